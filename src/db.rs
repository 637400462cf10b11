//! Connecting to SQLite or PostgreSQL, and bringing the schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// How long a request waits for a connection before it is answered
/// SERVICE_UNAVAILABLE.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(&config.database_url);
    // Short timeouts: when the database is away, requests should fail in
    // about two seconds with SERVICE_UNAVAILABLE, not hang to the request
    // timeout; the pool reconnects by itself once it is back.
    options
        .max_connections(config.max_connections)
        .connect_timeout(Duration::from_secs(2))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A ping costs a round trip (on SQLite, two thread switches) for
        // every statement; only a connection left idle a while may have been
        // dropped by the server, so only that one is checked.
        .test_before_acquire_if_idle_for(Duration::from_secs(1))
        // Rows come from SQLite's worker thread through a channel; at the
        // default 50 a level of a deep query is several handovers.
        .map_sqlx_sqlite_opts(|options| options.row_buffer_size(1024))
        .sqlx_logging(false);
    Database::connect(options).await
}

/// Applies every pending migration: the tables, then the dataset.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
