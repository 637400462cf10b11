//! Data access: the database connection and migrations (here), the
//! connections requests run on (`pool`), the DataLoaders (`loaders`) and
//! keyset pagination (`pagination`).

pub mod aggregate;
pub mod knowledge;
pub mod lists;
pub mod loaders;
pub mod pagination;
pub mod pool;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// Connects to the configured database: at most `max_connections`
/// connections, for migrations, probes and requests together (requests hold
/// theirs through `pool::Pool`, which takes them from this pool).
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(&config.database_url);
    // Short timeouts: when the database is away, requests should fail fast
    // with SERVICE_UNAVAILABLE, not hang to the request timeout; the pool
    // reconnects by itself once it is back.
    options
        .max_connections(config.max_connections)
        .connect_timeout(config.database_timeout)
        .acquire_timeout(config.database_timeout)
        // A ping costs a round trip (on SQLite, two thread switches) for
        // every statement; only a connection left idle a while may have been
        // dropped by the server, so only that one is checked.
        .test_before_acquire_if_idle_for(std::time::Duration::from_secs(1))
        // Rows come from SQLite's worker thread through a channel; at the
        // default 50 a level of a deep query is several handovers.
        .map_sqlx_sqlite_opts(|options| options.row_buffer_size(1024))
        // PostgreSQL's JIT compiles a plan it estimates as costly (an
        // aggregate over 1000x data) for most of a second, ten times what
        // running it takes; every statement here is short.
        .map_sqlx_postgres_opts(|options| options.options([("jit", "off")]))
        .sqlx_logging(false);
    Database::connect(options).await
}

/// Applies every pending migration, then loads the dataset if the tables
/// do not hold this build's.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    if migration::dataset::sync(db).await? {
        tracing::info!(fingerprint = migration::dataset::fingerprint(), "loaded the dataset");
    }
    Ok(())
}

/// Connects and applies pending migrations, with messages for the operator.
pub async fn prepare(config: &Config) -> Result<DatabaseConnection, String> {
    let db = connect(config).await.map_err(|e| {
        format!(
            "cannot connect to the database at {}: {e}",
            redact(&config.database_url)
        )
    })?;
    migrate(&db)
        .await
        .map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok(db)
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
