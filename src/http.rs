//! The HTTP layer: GraphQL over HTTP on `/graphql` (POST and GET), GraphiQL
//! on `/`, and `/healthz`.
//!
//! The request and response handling is ours rather than the stock
//! async-graphql-actix-web extractor's, so that bad requests get a GraphQL
//! error body and the response media type follows the client's `Accept`
//! header, as the GraphQL-over-HTTP spec asks.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use futures_util::StreamExt;
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::graphql::{AppSchema, loaders};

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The query GraphiQL opens with: a commander, to his battles, to the forces there.
pub const EXAMPLE_QUERY: &str = r#"# A commander, the battles he fought, and the forces in each.
{
  commanders(first: 1, filter: { nameContains: "薛岳" }) {
    nodes {
      name
      nameEn
      battles {
        name
        nameEn
        start { text }
        end { text }
        forces {
          name
          nameEn
          kind
          belligerent { nameEn }
        }
      }
    }
  }
}
"#;

/// What `serve` shares with every handler.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: DatabaseConnection,
    /// The GraphiQL page, built once.
    pub playground: std::sync::Arc<str>,
}

/// The GraphiQL page, opening on `EXAMPLE_QUERY`.
pub fn playground_html() -> String {
    let page = GraphiQLSource::build()
        .endpoint("/graphql")
        .title("Kangzhan GraphiQL")
        .finish();
    // GraphiQLSource has no setting for the opening query: add the prop to
    // the one `GraphiQL` element it renders. `</` is escaped so the string
    // cannot end the script.
    let example = serde_json::to_string(EXAMPLE_QUERY)
        .unwrap_or_default()
        .replace("</", "<\\/");
    page.replacen(
        "React.createElement(GraphiQL, {",
        &format!("React.createElement(GraphiQL, {{\n          defaultQuery: {example},"),
        1,
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql_post))
        .route("/graphql", web::get().to(graphql_get))
        .route("/", web::get().to(graphiql))
        .route("/healthz", web::get().to(healthz))
        .default_service(web::to(not_found));
}

/// Which JSON media type the client wants answers in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ResponseType {
    /// `application/graphql-response+json`: request errors are 4xx.
    GraphqlResponseJson,
    /// `application/json`: every well-formed request gets a 200.
    Json,
}

impl ResponseType {
    fn content_type(self) -> &'static str {
        match self {
            ResponseType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            ResponseType::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response type from `Accept`, in the client's order of
/// preference; `None` when it accepts neither JSON type.
fn negotiate(req: &HttpRequest) -> Option<ResponseType> {
    let Some(accept) = req.headers().get(header::ACCEPT) else {
        return Some(ResponseType::Json);
    };
    let Ok(accept) = accept.to_str() else {
        return Some(ResponseType::Json);
    };
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
    ranges
        .iter()
        .find_map(|(_, _, media)| match media.as_str() {
            GRAPHQL_RESPONSE_JSON => Some(ResponseType::GraphqlResponseJson),
            "application/json" | "application/*" | "*/*" => Some(ResponseType::Json),
            _ => None,
        })
}

/// A response whose body is a GraphQL error list, for requests that never
/// reached execution.
fn request_error(
    status: StatusCode,
    response_type: ResponseType,
    code: &str,
    message: &str,
) -> HttpResponse {
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    let error = async_graphql::ServerError {
        extensions: Some(extensions),
        ..async_graphql::ServerError::new(message, None)
    };
    let response = async_graphql::Response::from_errors(vec![error]);
    let body = serde_json::to_string(&response).unwrap_or_default();
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, response_type.content_type()))
        .body(body)
}

async fn execute(
    state: &AppState,
    request: async_graphql::Request,
    response_type: ResponseType,
) -> HttpResponse {
    let request = loaders::for_request(request, &state.db);
    let response = state.schema.execute(request).await;
    // Errors without a path come from parsing or validation: execution never
    // started, which graphql-response+json answers with a 400.
    let never_executed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if never_executed && response_type == ResponseType::GraphqlResponseJson {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    match serde_json::to_string(&response) {
        Ok(body) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, response_type.content_type()))
            .body(body),
        Err(err) => {
            tracing::error!(error = %err, "could not serialise a response");
            request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                response_type,
                "INTERNAL_SERVER_ERROR",
                "internal error",
            )
        }
    }
}

async fn graphql_post(
    req: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some(response_type) = negotiate(&req) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            ResponseType::Json,
            "NOT_ACCEPTABLE",
            "this server answers in application/graphql-response+json or application/json",
        );
    };
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            response_type,
            "UNSUPPORTED_MEDIA_TYPE",
            "POST /graphql takes a JSON body: send Content-Type: application/json",
        );
    }

    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return request_error(
                StatusCode::BAD_REQUEST,
                response_type,
                "BAD_REQUEST",
                "the request body could not be read",
            );
        };
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                response_type,
                "PAYLOAD_TOO_LARGE",
                &format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            );
        }
        body.extend_from_slice(&chunk);
    }

    let params = match serde_json::from_slice::<RequestParams>(&body) {
        Ok(params) => params,
        Err(err) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                response_type,
                "BAD_REQUEST",
                &format!("the body is not a GraphQL request in JSON: {err}"),
            );
        }
    };
    match params.into_request() {
        Ok(request) => execute(&state, request, response_type).await,
        Err(message) => request_error(
            StatusCode::BAD_REQUEST,
            response_type,
            "BAD_REQUEST",
            &message,
        ),
    }
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
            let value = async_graphql::Value::from_json(value)
                .map_err(|e| format!("`extensions.{key}`: {e}"))?;
            request.extensions.insert(key, value);
        }
        Ok(request)
    }
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

async fn graphql_get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(response_type) = negotiate(&req) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            ResponseType::Json,
            "NOT_ACCEPTABLE",
            "this server answers in application/graphql-response+json or application/json",
        );
    };
    let bad = |message: String| {
        request_error(
            StatusCode::BAD_REQUEST,
            response_type,
            "BAD_REQUEST",
            &message,
        )
    };
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
    let request = match request {
        Ok(request) => request,
        Err(message) => return bad(message),
    };
    execute(&state, request, response_type).await
}

/// A query-string parameter that holds JSON text.
fn json_param<T: serde::de::DeserializeOwned>(
    name: &str,
    text: Option<String>,
) -> Result<Option<T>, String> {
    match text {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("`{name}` is not a JSON object: {e}")),
    }
}

async fn graphiql(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(state.playground.to_string())
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .content_type(ContentType::plaintext())
        .body("ok")
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type(ContentType::plaintext())
        .body(format!(
            "no such page: {} {}; GraphQL is at /graphql",
            req.method(),
            req.path()
        ))
}
