//! Media types: what the client sends and what it accepts.

use actix_web::HttpRequest;
use actix_web::http::header;

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

/// Picks the response type from `Accept`, in the client's order of
/// preference; `None` when it accepts neither JSON type. No header means
/// `application/json`, as the spec asks for clients that predate it.
pub fn response_type(req: &HttpRequest) -> Option<ResponseType> {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(ResponseType::Json);
    };
    if accept.trim().is_empty() {
        return Some(ResponseType::Json);
    }
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, range)| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, media))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.iter().find_map(|(_, _, media)| match media.as_str() {
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
