//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use async_graphql::parser::types::OperationType;
use async_graphql::{ErrorExtensionValues, Value};
use futures_util::StreamExt;
use serde::Deserialize;

use super::negotiate::{self, ResponseType};
use super::request_log::{RequestId, RequestLog};
use super::{AppState, assets};
use crate::error::{BAD_USER_INPUT, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE};
use crate::graphql::executor::{self, PERSISTED_QUERY_NOT_FOUND};
use crate::graphql::limits::coded_error;
use crate::graphql::loaders::LoaderDb;

const BAD_REQUEST: &str = "BAD_REQUEST";
const TIMEOUT: &str = "TIMEOUT";

/// A response for a request that never reached execution.
fn request_error(status: StatusCode, response_type: ResponseType, code: &str, message: &str) -> HttpResponse {
    let response = async_graphql::Response::from_errors(vec![coded_error(code, message)]);
    let mut response = HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, response_type.content_type()))
        .body(to_json(&response));
    let log = RequestLog {
        errors: 1,
        rejected: Some(code.to_owned()),
        ..RequestLog::default()
    };
    response.extensions_mut().insert(log);
    response
}

/// The response as JSON. One that never reached execution has no `data`
/// entry at all, as the GraphQL-over-HTTP spec asks (async-graphql would
/// write `"data": null`).
fn to_json(response: &async_graphql::Response) -> String {
    #[derive(serde::Serialize)]
    struct ErrorsOnly<'a> {
        errors: &'a [async_graphql::ServerError],
    }
    // Not through serde_json::Value: its map would sort the fields.
    let json = if never_executed(response) {
        serde_json::to_string(&ErrorsOnly {
            errors: &response.errors,
        })
    } else {
        serde_json::to_string(response)
    };
    json.unwrap_or_else(|_| r#"{"errors":[{"message":"internal error"}]}"#.to_owned())
}

fn not_acceptable() -> HttpResponse {
    request_error(
        StatusCode::NOT_ACCEPTABLE,
        ResponseType::Json,
        "NOT_ACCEPTABLE",
        "this server answers in application/graphql-response+json or application/json",
    )
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
}

/// One request executed, and what the log line wants to know about it.
struct Executed {
    response: async_graphql::Response,
    timed_out: bool,
}

/// Executes one request within the time limit, on a connection that counts
/// its statements; logs database errors with the request ID and puts the ID
/// in the errors the client sees.
async fn execute(
    state: &AppState,
    request: async_graphql::Request,
    request_id: &str,
    log: &mut RequestLog,
    time_left: Duration,
) -> Executed {
    let loader_db = LoaderDb::new(state.pool.clone(), state.metrics.clone());

    let started = Instant::now();
    let (mut response, timed_out, operation) = match state.executor.prepare(request).await {
        Err(error) => (async_graphql::Response::from_errors(vec![error]), false, None),
        Ok(prepared) => {
            let operation = prepared.operation_name().map(str::to_owned);
            match tokio::time::timeout(time_left, state.executor.run(prepared, &loader_db)).await {
                Ok(response) => (response, false, operation),
                Err(_) => {
                    let message = format!(
                        "the request ran longer than {} ms and was stopped",
                        state.limits.timeout.as_millis()
                    );
                    (
                        async_graphql::Response::from_errors(vec![coded_error(TIMEOUT, message)]),
                        true,
                        operation,
                    )
                }
            }
        }
    };

    for error in &mut response.errors {
        let from_database = error.source::<sea_orm::DbErr>().is_some();
        let extensions = error.extensions.get_or_insert_with(ErrorExtensionValues::default);
        // Our own errors all carry a code. Those that do not come from
        // async-graphql: input values it could not coerce.
        let code = match extensions.get("code") {
            Some(Value::String(code)) => code.clone(),
            _ if from_database => INTERNAL_SERVER_ERROR.to_owned(),
            _ => BAD_USER_INPUT.to_owned(),
        };
        extensions.set("code", code.as_str());
        if code == INTERNAL_SERVER_ERROR || code == SERVICE_UNAVAILABLE {
            extensions.set("requestId", request_id);
            let cause = error
                .source::<sea_orm::DbErr>()
                .map(ToString::to_string)
                .unwrap_or_else(|| error.message.clone());
            tracing::error!(request_id, code, path = ?error.path, cause, "request failed");
        }
        state.metrics.count_error(&code);
    }

    let outcome = if timed_out {
        "timeout"
    } else if response.errors.is_empty() {
        "ok"
    } else {
        "error"
    };
    state
        .metrics
        .observe_request(operation.as_deref(), outcome, started.elapsed().as_secs_f64());
    log.operation = operation.or(log.operation.take());
    log.statements += loader_db.db.statements();
    log.errors += response.errors.len();
    Executed { response, timed_out }
}

/// A request that never reached execution. An APQ miss is not counted: it is
/// not the client's mistake, and Apollo's link turns persisted queries off
/// for good when it sees a 4xx, so it stays a 200.
fn never_executed(response: &async_graphql::Response) -> bool {
    executor::never_executed(response) && !response.errors.iter().any(is_persisted_query_miss)
}

fn is_persisted_query_miss(error: &async_graphql::ServerError) -> bool {
    matches!(
        error.extensions.as_ref().and_then(|e| e.get("code")),
        Some(Value::String(code)) if code == PERSISTED_QUERY_NOT_FOUND
    )
}

fn respond(response_type: ResponseType, status: StatusCode, body: String, log: RequestLog) -> HttpResponse {
    let mut response = HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, response_type.content_type()))
        .body(body);
    response.extensions_mut().insert(log);
    response
}

/// Runs one request and answers it.
async fn answer(
    state: &AppState,
    req: &HttpRequest,
    request: async_graphql::Request,
    response_type: ResponseType,
) -> HttpResponse {
    let request_id = request_id(req);
    let mut log = RequestLog::default();
    let executed = execute(state, request, &request_id, &mut log, state.limits.timeout).await;
    let status = if executed.timed_out {
        StatusCode::GATEWAY_TIMEOUT
    } else if response_type == ResponseType::GraphqlResponseJson && never_executed(&executed.response) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = to_json(&executed.response);
    if method_is_get(req) && status == StatusCode::OK && executed.response.errors.is_empty() {
        return cacheable(req, state, response_type, body, log);
    }
    respond(response_type, status, body, log)
}

fn method_is_get(req: &HttpRequest) -> bool {
    req.method() == actix_web::http::Method::GET
}

/// A successful GET answer: the same query gives the same bytes while the
/// data stays the same, so it carries an ETag and may be cached for
/// `KANGZHAN_CACHE_MAX_AGE` seconds; `If-None-Match` gets a 304.
fn cacheable(
    req: &HttpRequest,
    state: &AppState,
    response_type: ResponseType,
    body: String,
    log: RequestLog,
) -> HttpResponse {
    let etag = assets::etag(body.as_bytes());
    let cache_control = format!("public, max-age={}", state.cache_max_age);
    let mut response = assets::cached(req, body, response_type.content_type(), &etag, &cache_control);
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    response.extensions_mut().insert(log);
    response
}

fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default()
}

pub async fn post(req: HttpRequest, mut payload: web::Payload, state: web::Data<AppState>) -> HttpResponse {
    let Some(response_type) = negotiate::response_type(&req) else {
        return not_acceptable();
    };
    let bad = |status: StatusCode, code: &str, message: &str| request_error(status, response_type, code, message);
    if !negotiate::is_json_body(&req) {
        return bad(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "POST /graphql takes a JSON body: send Content-Type: application/json",
        );
    }

    let limit = state.limits.max_body_bytes;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return bad(
                StatusCode::BAD_REQUEST,
                BAD_REQUEST,
                "the request body could not be read",
            );
        };
        if body.len() + chunk.len() > limit {
            return bad(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                &format!("the request body is larger than {limit} bytes"),
            );
        }
        body.extend_from_slice(&chunk);
    }

    let parsed: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(err) => {
            return bad(
                StatusCode::BAD_REQUEST,
                BAD_REQUEST,
                &format!("the body is not JSON: {err}"),
            );
        }
    };
    match parsed {
        serde_json::Value::Array(items) => batch(&state, &req, items, response_type).await,
        single => match serde_json::from_value::<RequestParams>(single)
            .map_err(|e| e.to_string())
            .and_then(RequestParams::into_request)
        {
            Ok(request) => answer(&state, &req, request, response_type).await,
            Err(message) => bad(
                StatusCode::BAD_REQUEST,
                BAD_REQUEST,
                &format!("the body is not a GraphQL request: {message}"),
            ),
        },
    }
}

/// A JSON array of requests, answered with an array of responses, when
/// batching is on (`KANGZHAN_MAX_BATCH` > 0).
async fn batch(
    state: &AppState,
    req: &HttpRequest,
    items: Vec<serde_json::Value>,
    response_type: ResponseType,
) -> HttpResponse {
    let max = state.limits.max_batch;
    let bad = |message: String| request_error(StatusCode::BAD_REQUEST, response_type, BAD_REQUEST, &message);
    if max == 0 {
        return bad("batched requests are turned off on this server: send one request per POST".to_owned());
    }
    if items.is_empty() || items.len() > max {
        return bad(format!("a batch holds 1 to {max} requests, not {}", items.len()));
    }
    let mut requests = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<RequestParams>(item)
            .map_err(|e| e.to_string())
            .and_then(RequestParams::into_request)
        {
            Ok(request) => requests.push(request),
            Err(message) => return bad(format!("request {i} of the batch: {message}")),
        }
    }
    let request_id = request_id(req);
    let mut log = RequestLog::default();
    let mut responses = Vec::with_capacity(requests.len());
    let mut timed_out = false;
    let deadline = Instant::now() + state.limits.timeout;
    for request in requests {
        // One deadline for the whole batch, not one per request.
        let time_left = deadline.saturating_duration_since(Instant::now());
        let executed = execute(state, request, &request_id, &mut log, time_left).await;
        timed_out |= executed.timed_out;
        responses.push(executed.response);
    }
    let status = if timed_out {
        StatusCode::GATEWAY_TIMEOUT
    } else {
        StatusCode::OK
    };
    let body = format!("[{}]", responses.iter().map(to_json).collect::<Vec<_>>().join(","));
    respond(response_type, status, body, log)
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

/// The type of the operation a GET would run, when the query parses.
fn operation_type(query: &str, operation_name: Option<&str>) -> Option<OperationType> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    document
        .operations
        .iter()
        .find(|(name, _)| operation_name.is_none() || name.map(|n| n.as_str()) == operation_name)
        .map(|(_, operation)| operation.node.ty)
}

pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(response_type) = negotiate::response_type(&req) else {
        return not_acceptable();
    };
    let bad = |message: String| request_error(StatusCode::BAD_REQUEST, response_type, BAD_REQUEST, &message);
    let params = match web::Query::<GetParams>::from_query(req.query_string()) {
        Ok(params) => params.into_inner(),
        Err(err) => return bad(format!("the query string is not valid: {err}")),
    };
    if let Some(query) = &params.query
        && matches!(
            operation_type(query, params.operation_name.as_deref()),
            Some(OperationType::Mutation | OperationType::Subscription)
        )
    {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            response_type,
            "METHOD_NOT_ALLOWED",
            "GET runs queries only: send mutations with POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
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
        Ok(request) => answer(&state, &req, request, response_type).await,
        Err(message) => bad(message),
    }
}
