//! The held PostgreSQL connections (`src/pool.rs`), driven directly: a
//! statement cut off half-way must not leave its connection to the next one.

use std::sync::Arc;
use std::time::Duration;

use kangzhan::config::Config;
use kangzhan::data::pool::{Pool, RequestDb};
use kangzhan::metrics::Metrics;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{Backend, TestApp};

#[actix_web::test]
async fn a_statement_cut_off_does_not_leave_its_connection_half_read() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let db = kangzhan::data::connect(&Config::for_database(&app.database_url))
        .await
        .unwrap();
    // One connection: the next statement gets the same one unless it was closed.
    let pool = Pool::new(db, 1, Duration::from_secs(2));
    let request = RequestDb::new(pool, Arc::new(Metrics::default()));
    let backend = request.get_database_backend();

    let slow = request.query_all_raw(Statement::from_string(backend, "SELECT pg_sleep(0.5), 41 AS n"));
    assert!(
        tokio::time::timeout(Duration::from_millis(50), slow).await.is_err(),
        "the slow statement should have been cut off"
    );

    let rows = request
        .query_all_raw(Statement::from_string(backend, "SELECT 42 AS n"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].try_get::<i32>("", "n").unwrap(), 42);
    assert_eq!(request.statements(), 2);
}
