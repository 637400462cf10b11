//! Endpoints for operators and load balancers.

use std::time::Duration;

use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::App;

/// Alive: the process answers. Says nothing about the database.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type(ContentType::plaintext())
        .body("ok")
}

/// Health checkers give up after a second; the answer comes before that.
const READY_WITHIN: Duration = Duration::from_millis(800);

/// Ready: a statement runs on the connections requests use, in time; 503
/// otherwise, so a load balancer sends traffic elsewhere while it is away.
pub async fn readyz(app: web::Data<App>) -> HttpResponse {
    let ready = matches!(tokio::time::timeout(READY_WITHIN, app.pool.ping()).await, Ok(Ok(())));
    let mut response = if ready {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type(ContentType::plaintext())
        .body(if ready { "ready" } else { "the database is unavailable" })
}

/// Prometheus metrics, text format 0.0.4.
pub async fn metrics(app: web::Data<App>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(app.metrics.render())
}

pub async fn not_found(req: HttpRequest) -> HttpResponse {
    not_found_response(&req)
}

pub fn not_found_response(req: &HttpRequest) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type(ContentType::plaintext())
        .body(format!(
            "no such page: {} {}; GraphQL is at /graphql",
            req.method(),
            req.path()
        ))
}
