//! Request IDs and the one log line per request: a middleware gives every
//! request an ID (the client's `X-Request-ID` when it is a plain one, else
//! 64 random bits in hex), returns it in the response header, and logs one
//! line when the response is ready. The GraphQL handler fills in the
//! request's `RequestLog` (operation, statements, errors) on the way.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::pipeline::Outcome;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request's ID, in the request's extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// What the GraphQL handler reports for the log line, in the request's
/// extensions from the start of the request to its log line.
#[derive(Clone, Default)]
pub struct RequestLog(Rc<RefCell<Fields>>);

#[derive(Default)]
struct Fields {
    operation: Option<String>,
    statements: usize,
    errors: usize,
}

impl RequestLog {
    pub fn record(&self, outcome: &Outcome) {
        let mut fields = self.0.borrow_mut();
        if fields.operation.is_none() {
            fields.operation.clone_from(&outcome.operation);
        }
        fields.statements += outcome.statements;
        fields.errors += outcome.response.errors.len();
    }
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
        .unwrap_or_else(|| format!("{:016x}", getrandom::u64().unwrap_or_default()))
}

/// The middleware: ID in, ID out, one log line.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = request_id(req.headers());
    let log = RequestLog::default();
    req.extensions_mut().insert(RequestId(id.clone()));
    req.extensions_mut().insert(log.clone());
    let (method, path) = (req.method().clone(), req.path().to_owned());
    let mut res = next.call(req).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    let fields = log.0.borrow();
    tracing::info!(
        request_id = %id,
        %method,
        %path,
        status = res.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        operation = fields.operation.as_deref().unwrap_or(""),
        sql_statements = fields.statements,
        errors = fields.errors,
        "request"
    );
    drop(fields);
    Ok(res)
}
