//! The application: everything a server shares between its requests, built
//! once by [`App::build`] — for `serve`, the tests, the fuzzers and the
//! benches alike.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::config::{Config, CorsOrigins};
use crate::data::pool::Pool;
use crate::http::Assets;
use crate::metrics::Metrics;
use crate::pipeline::GraphqlService;
use crate::schema;
use crate::search::SearchIndex;

pub struct App {
    /// Every GraphQL request goes through it.
    pub service: GraphqlService,
    /// The connections requests and `/readyz` run on.
    pub pool: Arc<Pool>,
    pub metrics: Arc<Metrics>,
    pub assets: Assets,
    /// The SDL and its ETag for `/schema.graphql`; `None` with introspection off.
    pub sdl: Option<(String, String)>,
    pub cors_origins: CorsOrigins,
    /// `max-age` of cacheable `GET /graphql` answers, in seconds.
    pub cache_max_age: u32,
    /// How long a client may take to send a body.
    pub body_timeout: Duration,
}

impl App {
    /// The application over `db` (connected and migrated: `data::prepare`),
    /// with the search index read from it.
    pub async fn build(db: DatabaseConnection, config: &Config) -> Result<App, String> {
        let started = std::time::Instant::now();
        let index = SearchIndex::load(&db)
            .await
            .map_err(|e| format!("cannot build the search index: {e}"))?;
        tracing::info!(
            entries = index.len(),
            megabytes = index.heap_bytes() / 1_000_000,
            ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        let schema = schema::build(&config.limits, Arc::new(index));
        let sdl = config.limits.introspection.then(|| {
            let sdl = schema::sdl(&schema);
            let etag = crate::http::etag(sdl.as_bytes());
            (sdl, etag)
        });
        let metrics = Arc::new(Metrics::default());
        let pool = Pool::new(db, config.max_connections as usize, config.database_timeout);
        Ok(App {
            service: GraphqlService::new(schema, Arc::new(config.limits.clone()), pool.clone(), metrics.clone()),
            pool,
            metrics,
            assets: Assets::load(),
            sdl,
            cors_origins: config.cors_origins.clone(),
            cache_max_age: config.cache_max_age,
            body_timeout: config.http.body_timeout,
        })
    }
}
