//! Request IDs and the one log line per request.
//!
//! The middleware in `startup` gives every request an ID (the client's
//! `X-Request-ID` when it is a sane one), returns it in the response header,
//! and logs one line when the response is ready, with what the GraphQL
//! handler left in the response's extensions.

use std::hash::{BuildHasher, RandomState};
use std::time::Instant;

use actix_web::http::header::HeaderMap;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request's ID, in the request's extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// What the GraphQL handler reports for the log line and the metrics.
#[derive(Clone, Debug, Default)]
pub struct RequestLog {
    pub operation: Option<String>,
    pub statements: usize,
    pub errors: usize,
    /// The code of a request refused before execution (415, 413, bad JSON ...),
    /// which the middleware counts, since it never reached `execute`.
    pub rejected: Option<String>,
}

/// The client's ID when it is short and plain, else a new random one.
pub fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{:016x}", RandomState::new().hash_one(Instant::now())))
}
