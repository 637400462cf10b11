//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP, transport only.
//! The body (deadline, size, JSON), media types, GET parameters and caching
//! headers are here; everything about the GraphQL request itself is the
//! pipeline's (`GraphqlService`).

use std::time::Instant;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use async_graphql::Value;
use futures_util::StreamExt;
use serde::Deserialize;

use super::assets;
use super::negotiate::{self, ResponseType};
use super::request_log::{RequestId, RequestLog};
use crate::app::App;
use crate::error::Code;
use crate::pipeline::{Outcome, RequestContext};

/// The response as JSON. One that never reached execution has no `data`
/// entry at all, as the GraphQL-over-HTTP spec asks.
fn to_json(outcome: &Outcome) -> String {
    #[derive(serde::Serialize)]
    struct ErrorsOnly<'a> {
        errors: &'a [async_graphql::ServerError],
    }
    // Not through serde_json::Value: its map would sort the fields.
    let json = if outcome.executed {
        serde_json::to_string(&outcome.response)
    } else {
        serde_json::to_string(&ErrorsOnly {
            errors: &outcome.response.errors,
        })
    };
    json.unwrap_or_else(|_| r#"{"errors":[{"message":"internal error"}]}"#.to_owned())
}

/// Answers one outcome (or, for a batch, several).
fn respond(req: &HttpRequest, response_type: ResponseType, outcomes: &[Outcome], batch: bool) -> HttpResponse {
    let graphql_response_json = response_type == ResponseType::GraphqlResponseJson;
    let status = if batch {
        // A batch is one answer: only a timeout changes its status.
        if outcomes.iter().any(|o| o.timed_out) { 504 } else { 200 }
    } else {
        outcomes[0].status(graphql_response_json)
    };
    let body = if batch {
        format!("[{}]", outcomes.iter().map(to_json).collect::<Vec<_>>().join(","))
    } else {
        to_json(&outcomes[0])
    };
    if let Some(log) = req.extensions().get::<RequestLog>() {
        for outcome in outcomes {
            log.record(outcome);
        }
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let cacheable = req.method() == actix_web::http::Method::GET
        && status == StatusCode::OK
        && outcomes[0].response.errors.is_empty();
    if cacheable {
        return cached(req, response_type, body);
    }
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, response_type.content_type()));
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response.insert_header((header::ALLOW, "POST"));
    }
    if matches!(status, StatusCode::REQUEST_TIMEOUT | StatusCode::PAYLOAD_TOO_LARGE) {
        // The rest of the body is not read: the connection cannot be reused.
        response.force_close();
    }
    response.body(body)
}

/// A successful GET answer: the same query gives the same bytes while the
/// data stays the same, so it carries an ETag and may be cached for
/// `KANGZHAN_CACHE_MAX_AGE` seconds; `If-None-Match` gets a 304.
fn cached(req: &HttpRequest, response_type: ResponseType, body: String) -> HttpResponse {
    let max_age = req.app_data::<web::Data<App>>().map_or(0, |app| app.cache_max_age);
    let etag = assets::etag(body.as_bytes());
    let cache_control = format!("public, max-age={max_age}");
    let mut response = assets::cached(req, body, response_type.content_type(), &etag, &cache_control);
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    response
}

fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default()
}

/// A refusal by the transport, answered like any outcome.
fn refuse(req: &HttpRequest, app: &App, response_type: ResponseType, code: Code, message: &str) -> HttpResponse {
    let outcome = app.service.refuse(code, message, &request_id(req));
    respond(req, response_type, &[outcome], false)
}

/// A GraphQL request as JSON carries it (POST body); GET's query string
/// carries the same, with `variables` and `extensions` as JSON text.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RequestParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<serde_json::Value>,
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

impl RequestParams {
    fn into_request(self) -> Result<async_graphql::Request, String> {
        let persisted = self
            .extensions
            .as_ref()
            .is_some_and(|e| e.contains_key("persistedQuery"));
        let query = match self.query {
            Some(query) => query,
            // A persisted query may stand in for the text.
            None if persisted => String::new(),
            None => return Err("the request has no `query`".to_owned()),
        };
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = self.operation_name {
            request = request.operation_name(name);
        }
        match self.variables {
            None | Some(serde_json::Value::Null) => {}
            Some(variables @ serde_json::Value::Object(_)) => {
                request = request.variables(async_graphql::Variables::from_json(variables))
            }
            Some(_) => return Err("`variables` must be a JSON object".to_owned()),
        }
        for (key, value) in self.extensions.unwrap_or_default() {
            let value = Value::from_json(value).map_err(|e| format!("`extensions.{key}`: {e}"))?;
            request.extensions.insert(key, value);
        }
        Ok(request)
    }

    fn from_json(value: serde_json::Value) -> Result<async_graphql::Request, String> {
        serde_json::from_value::<RequestParams>(value)
            .map_err(|e| e.to_string())
            .and_then(RequestParams::into_request)
    }
}

/// Reads the body within the deadline and the size limit. Not through
/// actix-web's `Json`/`JsonConfig`: they have no deadline, and their
/// refusals would need mapping back into GraphQL errors with codes.
async fn read_body(req: &HttpRequest, payload: &mut web::Payload, app: &App) -> Result<web::BytesMut, (Code, String)> {
    let limit = app.service.limits().max_body_bytes;
    let too_large = || {
        (
            Code::PayloadTooLarge,
            format!("the request body is larger than {limit} bytes"),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let read = async {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| (Code::BadRequest, format!("the request body could not be read: {e}")))?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    let deadline = app.body_timeout;
    tokio::time::timeout(deadline, read).await.unwrap_or_else(|_| {
        Err((
            Code::RequestTimeout,
            format!("the request body did not arrive within {} ms", deadline.as_millis()),
        ))
    })
}

pub async fn post(req: HttpRequest, mut payload: web::Payload, app: web::Data<App>) -> HttpResponse {
    let Some(response_type) = negotiate::response_type(&req) else {
        return not_acceptable(&req, &app);
    };
    let refuse = |code: Code, message: &str| refuse(&req, &app, response_type, code, message);
    if !negotiate::is_json_body(&req) {
        return refuse(
            Code::UnsupportedMediaType,
            "POST /graphql takes a JSON body: send Content-Type: application/json",
        );
    }
    let encoded = req
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"));
    if encoded {
        return refuse(
            Code::UnsupportedMediaType,
            "POST /graphql takes the JSON body as it is: no Content-Encoding",
        );
    }
    let body = match read_body(&req, &mut payload, &app).await {
        Ok(body) => body,
        Err((code, message)) => return refuse(code, &message),
    };
    let parsed: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(err) => return refuse(Code::BadRequest, &format!("the body is not JSON: {err}")),
    };
    match parsed {
        serde_json::Value::Array(items) => batch(&req, &app, items, response_type).await,
        single => match RequestParams::from_json(single) {
            Ok(request) => answer(&req, &app, request, response_type).await,
            Err(message) => refuse(
                Code::BadRequest,
                &format!("the body is not a GraphQL request: {message}"),
            ),
        },
    }
}

fn not_acceptable(req: &HttpRequest, app: &App) -> HttpResponse {
    refuse(
        req,
        app,
        ResponseType::Json,
        Code::NotAcceptable,
        "this server answers in application/graphql-response+json or application/json",
    )
}

fn context<'a>(req: &HttpRequest, request_id: &'a str, deadline: Instant) -> RequestContext<'a> {
    RequestContext {
        request_id,
        is_get: req.method() == actix_web::http::Method::GET,
        deadline,
    }
}

/// Runs one request and answers it.
async fn answer(
    req: &HttpRequest,
    app: &App,
    request: async_graphql::Request,
    response_type: ResponseType,
) -> HttpResponse {
    let request_id = request_id(req);
    let deadline = Instant::now() + app.service.limits().timeout;
    let outcome = app.service.execute(request, &context(req, &request_id, deadline)).await;
    respond(req, response_type, &[outcome], false)
}

/// A JSON array of requests, answered with an array of responses, when
/// batching is on (`KANGZHAN_MAX_BATCH` > 0). One deadline for the batch.
async fn batch(
    req: &HttpRequest,
    app: &App,
    items: Vec<serde_json::Value>,
    response_type: ResponseType,
) -> HttpResponse {
    let max = app.service.limits().max_batch;
    let bad = |message: String| refuse(req, app, response_type, Code::BadRequest, &message);
    if max == 0 {
        return bad("batched requests are turned off on this server: send one request per POST".to_owned());
    }
    if items.is_empty() || items.len() > max {
        return bad(format!("a batch holds 1 to {max} requests, not {}", items.len()));
    }
    let mut requests = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match RequestParams::from_json(item) {
            Ok(request) => requests.push(request),
            Err(message) => return bad(format!("request {i} of the batch: {message}")),
        }
    }
    let request_id = request_id(req);
    let deadline = Instant::now() + app.service.limits().timeout;
    let mut outcomes = Vec::with_capacity(requests.len());
    for request in requests {
        outcomes.push(app.service.execute(request, &context(req, &request_id, deadline)).await);
    }
    respond(req, response_type, &outcomes, true)
}

/// `GET /graphql` parameters; `variables` and `extensions` are JSON text.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// A query-string parameter that holds JSON text.
fn json_param<T: serde::de::DeserializeOwned>(name: &str, text: Option<String>) -> Result<Option<T>, String> {
    match text {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("`{name}` is not a JSON object: {e}")),
    }
}

pub async fn get(req: HttpRequest, app: web::Data<App>) -> HttpResponse {
    let Some(response_type) = negotiate::response_type(&req) else {
        return not_acceptable(&req, &app);
    };
    let bad = |message: String| refuse(&req, &app, response_type, Code::BadRequest, &message);
    // The form decoder would put replacement characters where a POST body
    // with the same bytes is refused.
    if percent_encoding::percent_decode_str(req.query_string())
        .decode_utf8()
        .is_err()
    {
        return bad("the query string is not valid UTF-8 once percent-decoded".to_owned());
    }
    let params = match web::Query::<GetParams>::from_query(req.query_string()) {
        Ok(params) => params.into_inner(),
        Err(err) => return bad(format!("the query string is not valid: {err}")),
    };
    let variables = match json_param("variables", params.variables) {
        Ok(variables) => variables,
        Err(message) => return bad(message),
    };
    let extensions = match json_param("extensions", params.extensions) {
        Ok(extensions) => extensions,
        Err(message) => return bad(message),
    };
    let request = RequestParams {
        query: params.query,
        operation_name: params.operation_name,
        variables,
        extensions,
    }
    .into_request();
    match request {
        Ok(request) => answer(&req, &app, request, response_type).await,
        Err(message) => bad(message),
    }
}
