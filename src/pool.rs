//! The connections requests run their statements on.
//!
//! sqlx's pool pings every connection it takes back (sqlx-core 0.9,
//! `PoolConnection::return_to_pool`): on PostgreSQL a second round trip to
//! the backend for every statement. On PostgreSQL, request statements
//! therefore run on connections kept out of sqlx's pool (`detach`ed) and
//! handed back here without a ping; with the server and PostgreSQL on one
//! core and 32 connections that raised node lookups by a quarter and the
//! deep traversal by a fifth. A connection is only kept when its statement
//! finished: one whose future was dropped mid-way (a timeout) or that failed
//! is closed, never reused half-read.
//!
//! SQLite stays on sqlx's pool: there the ping is a message to the
//! connection's own thread, and holding connections measured slower for
//! lookups (19800 → 17300 req/s at 32 connections) for a 5% gain on the deep
//! traversal.
//!
//! `RequestDb` is what a request holds: sea-orm queries run through it
//! (`ConnectionTrait`), and it counts the request's statements.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::sea_query::Values;
use sea_orm::sqlx::{self, PgConnection};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Semaphore;

use crate::metrics::Metrics;

/// Up to `max` PostgreSQL connections for request statements, opened
/// through `db`'s pool (same URL and options) as they are first needed; on
/// SQLite, `db` itself.
pub struct Pool {
    db: DatabaseConnection,
    idle: Mutex<Vec<PgConnection>>,
    permits: Semaphore,
    acquire_timeout: Duration,
}

impl Pool {
    pub fn new(db: DatabaseConnection, max: usize, acquire_timeout: Duration) -> Arc<Self> {
        Arc::new(Pool {
            db,
            idle: Mutex::new(Vec::with_capacity(max)),
            permits: Semaphore::new(max),
            acquire_timeout,
        })
    }

    fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Runs one query; an idle connection that turns out broken (the server
    /// restarted) is replaced by a new one once.
    async fn fetch_all(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        if self.backend() != DbBackend::Postgres {
            return self.db.query_all_raw(statement).await;
        }
        // The timer only when all connections are busy: most statements find
        // one free.
        let _permit = match self.permits.try_acquire() {
            Ok(permit) => permit,
            Err(_) => tokio::time::timeout(self.acquire_timeout, self.permits.acquire())
                .await
                .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::Timeout))?
                .map_err(|_| DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed))?,
        };
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let reused = idle.is_some();
        let mut connection = match idle {
            Some(connection) => connection,
            None => self.open().await?,
        };
        let rows = match fetch_all(&mut connection, &statement).await {
            Err(error) if reused && is_broken(&error) => {
                connection = self.open().await?;
                fetch_all(&mut connection, &statement).await
            }
            rows => rows,
        };
        let rows = rows.map_err(|e| DbErr::Query(RuntimeErr::SqlxError(Arc::new(e))))?;
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(connection);
        Ok(rows)
    }

    async fn open(&self) -> Result<PgConnection, DbErr> {
        let acquired = self.db.get_postgres_connection_pool().acquire().await;
        acquired.map(|c| c.detach()).map_err(|e| match e {
            sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            e => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))),
        })
    }
}

async fn fetch_all(connection: &mut PgConnection, statement: &Statement) -> Result<Vec<QueryResult>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(statement.sql.as_str());
    let values = SqlxValues(statement.values.clone().unwrap_or(Values(Vec::new())));
    let rows = sqlx::query_with(sql, values).fetch_all(connection).await?;
    Ok(rows.into_iter().map(QueryResult::from).collect())
}

/// Errors that mean the connection is gone rather than the query wrong.
fn is_broken(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed
    )
}

/// One request's handle on the database: its statements are counted, for
/// the request's log line and for `/metrics`.
#[derive(Clone)]
pub struct RequestDb {
    pool: Arc<Pool>,
    metrics: Arc<Metrics>,
    statements: Arc<AtomicUsize>,
}

impl RequestDb {
    pub fn new(pool: Arc<Pool>, metrics: Arc<Metrics>) -> Self {
        RequestDb {
            pool,
            metrics,
            statements: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Where the request's statements and loader batches are counted.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Statements run so far through this handle.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::Relaxed)
    }

    fn count(&self) {
        self.statements.fetch_add(1, Ordering::Relaxed);
        self.metrics.count_statement();
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for RequestDb {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.backend()
    }

    /// Requests only read; writes (migrations) go through sea-orm's pool.
    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.count();
        self.pool.db.execute_raw(statement).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.count();
        self.pool.db.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        Ok(self.query_all_raw(statement).await?.into_iter().next())
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.count();
        self.pool.fetch_all(statement).await
    }
}
