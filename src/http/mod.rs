//! The HTTP layer: GraphQL over HTTP on `/graphql`, GraphiQL on `/`, and the
//! operator's endpoints `/healthz`, `/readyz` and `/metrics`.
//!
//! The GraphQL handling is ours rather than async-graphql-actix-web's, so
//! that bad requests get a GraphQL error body, the response media type
//! follows the client's `Accept` header as the GraphQL-over-HTTP spec asks,
//! and every request gets an ID, a time limit and a log line.

mod graphql;
mod negotiate;
mod ops;
mod playground;
pub mod request_log;

use std::sync::Arc;

use actix_web::web;
use sea_orm::DatabaseConnection;

use crate::config::Limits;
use crate::graphql::AppSchema;
use crate::metrics::Metrics;

pub use playground::{EXAMPLE_QUERY, playground_html};
pub use request_log::RequestLog;

/// What `serve` shares with every handler.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: DatabaseConnection,
    pub limits: Arc<Limits>,
    pub metrics: Arc<Metrics>,
    /// The GraphiQL page, built once.
    pub playground: Arc<str>,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql::post))
        .route("/graphql", web::get().to(graphql::get))
        .route("/", web::get().to(playground::page))
        .route("/playground/example.graphql", web::get().to(playground::example))
        .route("/healthz", web::get().to(ops::healthz))
        .route("/readyz", web::get().to(ops::readyz))
        .route("/metrics", web::get().to(ops::metrics))
        .default_service(web::to(ops::not_found));
}
