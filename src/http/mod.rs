//! The HTTP layer: GraphQL over HTTP on `/graphql`, the embedded pages
//! (GraphiQL on `/`, the timeline on `/timeline`), the SDL on
//! `/schema.graphql`, and the operator's `/healthz`, `/readyz`, `/metrics`.
//!
//! The GraphQL handling is ours rather than async-graphql-actix-web's, so
//! that bad requests get a GraphQL error body, the response media type
//! follows the client's `Accept` header as the GraphQL-over-HTTP spec asks,
//! and every request gets an ID, a time limit and a log line.

mod assets;
mod graphql;
mod negotiate;
mod ops;
mod playground;
pub mod request_log;

use std::sync::Arc;

use actix_cors::Cors;
use actix_web::http::header;
use actix_web::web;
use sea_orm::DatabaseConnection;

use crate::config::{CorsOrigins, Limits};
use crate::graphql::Executor;
use crate::metrics::Metrics;
use crate::pool::Pool;

pub use assets::Assets;
pub use playground::EXAMPLE_QUERY;
pub use request_log::RequestLog;

/// What `serve` shares with every handler.
#[derive(Clone)]
pub struct AppState {
    pub executor: Executor,
    pub db: DatabaseConnection,
    /// The connections requests run their statements on.
    pub pool: Arc<Pool>,
    pub limits: Arc<Limits>,
    pub metrics: Arc<Metrics>,
    pub assets: Arc<Assets>,
    /// The SDL and its ETag, for `/schema.graphql`.
    pub sdl: Arc<str>,
    pub sdl_etag: Arc<str>,
    /// `max-age` of cacheable `GET /graphql` answers, in seconds.
    pub cache_max_age: u32,
}

impl AppState {
    pub fn new(
        executor: Executor,
        pool: Arc<Pool>,
        db: DatabaseConnection,
        limits: Limits,
        cache_max_age: u32,
    ) -> Self {
        let sdl: Arc<str> = executor.schema.sdl().into();
        AppState {
            sdl_etag: assets::etag(sdl.as_bytes()).into(),
            sdl,
            executor,
            db,
            pool,
            limits: Arc::new(limits),
            metrics: Arc::new(Metrics::default()),
            assets: Arc::new(Assets::load()),
            cache_max_age,
        }
    }
}

/// CORS for the API: any origin without credentials, or a list of origins
/// that may send credentials. Preflights are answered and cached a day.
fn cors(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([header::ETAG, header::HeaderName::from_static("x-request-id")])
        .max_age(86_400);
    match origins {
        CorsOrigins::Any => cors.allow_any_origin().send_wildcard(),
        CorsOrigins::List(list) => list
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin))
            .supports_credentials(),
    }
}

/// The routes, with CORS on the API as `origins` says.
pub fn routes(origins: CorsOrigins) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg: &mut web::ServiceConfig| {
        cfg.service(
            web::resource("/graphql")
                .wrap(cors(&origins))
                .route(web::post().to(graphql::post))
                .route(web::get().to(graphql::get)),
        )
        .service(
            web::resource("/schema.graphql")
                .wrap(cors(&origins))
                .route(web::get().to(assets::schema_sdl)),
        )
        .route("/", web::get().to(assets::playground_index))
        .route("/playground/example.graphql", web::get().to(playground::example))
        .route("/playground/{path:.*}", web::get().to(assets::playground_file))
        .route("/timeline", web::get().to(assets::timeline_index))
        .route("/timeline/{path:.*}", web::get().to(assets::timeline_file))
        .route("/healthz", web::get().to(ops::healthz))
        .route("/readyz", web::get().to(ops::readyz))
        .route("/metrics", web::get().to(ops::metrics))
        .default_service(web::to(ops::not_found));
    }
}
