//! Media types: what the client sends and what it accepts.

use actix_web::HttpRequest;
use actix_web::http::header::{self, Header, Quality};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// Which JSON media type the client wants answers in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResponseType {
    /// `application/graphql-response+json`: request errors are 4xx.
    GraphqlResponseJson,
    /// `application/json`: every well-formed request gets a 200.
    Json,
}

impl ResponseType {
    pub fn content_type(self) -> &'static str {
        match self {
            ResponseType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            ResponseType::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response type from `Accept`, ranked by actix-web (q-factor,
/// then specificity, then the client's order); `None` when it accepts
/// neither JSON type. No header means `application/json`, as the spec asks
/// for clients that predate it.
pub fn response_type(req: &HttpRequest) -> Option<ResponseType> {
    let present = req
        .headers()
        .get_all(header::ACCEPT)
        .any(|v| v.to_str().is_ok_and(|v| !v.trim().is_empty()));
    // A header that is not text counts as absent.
    let accept = match header::Accept::parse(req) {
        Ok(accept) if present => accept,
        _ => return Some(ResponseType::Json),
    };
    let wanted = accept
        .0
        .into_iter()
        .filter(|range| range.quality > Quality::ZERO)
        .collect();
    header::Accept(wanted)
        .ranked()
        .iter()
        .find_map(|media| match media.essence_str() {
            GRAPHQL_RESPONSE_JSON => Some(ResponseType::GraphqlResponseJson),
            "application/json" | "application/*" | "*/*" => Some(ResponseType::Json),
            _ => None,
        })
}

/// Whether the body is declared as JSON (any charset parameter).
pub fn is_json_body(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}
