//! The connections requests (and `/readyz`) run their statements on.
//!
//! sqlx's pool pings every connection it takes back (sqlx-core 0.9,
//! `PoolConnection::return_to_pool`): on PostgreSQL a second round trip for
//! every statement. So on PostgreSQL, request statements run on connections
//! taken from sqlx's pool once and kept here, never handed back while they
//! work (the figures: docs/performance.md). They stay checked out of sqlx's
//! pool, so they count against its size: migrations, probes and requests
//! together never hold more than `KANGZHAN_MAX_CONNECTIONS`.
//!
//! Every statement a request runs is a read, so one that fails because its
//! connection is gone (a PostgreSQL restart kills every pooled connection)
//! runs again, once, on a fresh connection; the idle connections of the same
//! era are let go with it. Only if that fails too does the client see
//! SERVICE_UNAVAILABLE.
//!
//! A connection whose statement was cut off (the request timed out) goes
//! back to sqlx's pool, which finishes or closes it before anyone reuses it.
//!
//! SQLite stays on sqlx's pool: there the ping is a message to the
//! connection's own thread, and holding connections measured slower.
//!
//! `RequestDb` is what a request holds: sea-orm queries run through it
//! (`ConnectionTrait`), and it counts the request's statements.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::sea_query::Values;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Semaphore;

use crate::metrics::Metrics;

/// The request connections, at most `max`, taken from `db`'s pool as they
/// are first needed; on SQLite, `db` itself.
pub struct Pool {
    db: DatabaseConnection,
    idle: Mutex<Vec<PoolConnection<Postgres>>>,
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

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// The connection migrations and writes go through.
    pub fn database(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Whether a statement runs, the way requests run theirs.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.fetch_all(Statement::from_string(self.backend(), "SELECT 1"))
            .await
            .map(drop)
    }

    /// Runs one query.
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
        let idle = self.lock_idle().pop();
        let mut connection = match idle {
            Some(connection) => connection,
            None => self.open().await?,
        };
        let rows = match fetch_all(&mut connection, &statement).await {
            Err(error) if is_connection_lost(&error) => {
                // Its siblings died with it (a restart): let them all go.
                let stale = std::mem::take(&mut *self.lock_idle());
                for mut stale in stale {
                    stale.close_on_drop();
                }
                connection.close_on_drop();
                drop(connection);
                tracing::warn!(%error, "a database connection was lost; retrying on a new one");
                connection = self.open().await?;
                fetch_all(&mut connection, &statement).await
            }
            rows => rows,
        };
        match rows {
            Ok(rows) => {
                self.lock_idle().push(connection);
                Ok(rows)
            }
            Err(error) => {
                connection.close_on_drop();
                Err(DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))))
            }
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<PoolConnection<Postgres>>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn open(&self) -> Result<PoolConnection<Postgres>, DbErr> {
        self.db
            .get_postgres_connection_pool()
            .acquire()
            .await
            .map_err(|e| match e {
                sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
                sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
                e => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))),
            })
    }
}

impl Drop for Pool {
    /// A pooled connection hands itself back to sqlx through a task on the
    /// runtime, which may be gone by now (a test's end): the idle ones are
    /// let go of directly.
    fn drop(&mut self) {
        for connection in std::mem::take(&mut *self.lock_idle()) {
            drop(connection.detach());
        }
    }
}

async fn fetch_all(
    connection: &mut PoolConnection<Postgres>,
    statement: &Statement,
) -> Result<Vec<QueryResult>, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(statement.sql.as_str());
    let values = SqlxValues(statement.values.clone().unwrap_or(Values(Vec::new())));
    let rows = sqlx::query_with(sql, values).fetch_all(&mut **connection).await?;
    Ok(rows.into_iter().map(QueryResult::from).collect())
}

/// Errors that mean the connection is gone rather than the statement wrong:
/// the socket failed, or PostgreSQL said it is shutting down or starting up
/// (SQLSTATE class 08, 57P01-57P03).
pub fn is_connection_lost(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(e) => e
            .code()
            .is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
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
