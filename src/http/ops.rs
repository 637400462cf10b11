//! Endpoints for operators and load balancers.

use std::time::Duration;

use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;

/// Alive: the process answers. Says nothing about the database.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type(ContentType::plaintext())
        .body("ok")
}

/// Ready: the database answers within two seconds; 503 otherwise, so a
/// load balancer sends traffic elsewhere while it is away.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ready = matches!(
        tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await,
        Ok(Ok(()))
    );
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
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
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
