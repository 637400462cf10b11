//! The HTTP layer: GraphQL over HTTP on `/graphql` (`graphql`, `negotiate`),
//! the embedded pages (GraphiQL on `/`, the timeline on `/timeline`, the map on `/map`) and the
//! SDL on `/schema.graphql` (`assets`), the operator's `/healthz`, `/readyz`,
//! `/metrics` (`ops`), and the request log (`request_log`).
//!
//! The GraphQL handling is ours rather than async-graphql-actix-web's: its
//! stock handler answers `application/graphql-response+json` to clients that
//! accept only `application/json` and answers request errors with 200 and
//! `"data": null`, which the GraphQL-over-HTTP audits reject.

mod assets;
mod graphql;
mod negotiate;
mod ops;
mod playground;
pub mod request_log;

use actix_cors::Cors;
use actix_web::http::header;
use actix_web::web;

use crate::config::CorsOrigins;

pub use assets::{Assets, etag};
pub use playground::{EXAMPLE_QUERY, EXAMPLES};

/// CORS for the API: any origin without credentials, or a list of origins
/// that may send credentials. Any request header a GraphQL client sends
/// (`authorization`, Apollo's `apollographql-client-*`, ...) is allowed;
/// preflights are cached a day.
fn cors(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST"])
        .allow_any_header()
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
        .route("/playground/examples.json", web::get().to(playground::examples))
        .route("/playground/{path:.*}", web::get().to(assets::playground_file))
        .route("/timeline", web::get().to(assets::timeline_index))
        .route("/timeline/{path:.*}", web::get().to(assets::timeline_file))
        .route("/map", web::get().to(assets::map_index))
        .route("/map/{path:.*}", web::get().to(assets::map_file))
        .route("/fonts/{path:.*}", web::get().to(assets::font_file))
        .route("/healthz", web::get().to(ops::healthz))
        .route("/readyz", web::get().to(ops::readyz))
        .route("/metrics", web::get().to(ops::metrics))
        .default_service(web::to(ops::not_found));
    }
}
