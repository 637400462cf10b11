//! The whole request pipeline in-process, as `kangzhan serve` wires it
//! (`startup::serve`): the request-log middleware, compression, the routes
//! with CORS, then the GraphQL handler: body, JSON, document, limits,
//! validation and execution against a migrated, seeded SQLite database.
//!
//! Input layout: byte 0 picks the request, the rest is the POST body or
//! the GET query string (bytes a URI cannot hold are percent-encoded; `%`,
//! `&`, `=` and `+` are left as they are, so that the fuzzer writes the
//! encoding itself):
//!   bit 0     method: 0 POST, 1 GET
//!   bits 1-3  Content-Type (`CONTENT_TYPES`)
//!   bits 4-6  Accept (`ACCEPTS`)
//!   bit 7     an `X-Request-ID` header
//!
//! Every answer must be under 500 (on SQLite nothing is unavailable and a
//! 5s timeout is a finding too), JSON with `data` or `errors` (an array of
//! those for a batch), every error with a message and one of our codes, none
//! `INTERNAL_SERVER_ERROR`/`SERVICE_UNAVAILABLE`, and no SQL in a message.
//!
//! Batching is turned on (`KANGZHAN_MAX_BATCH`, 4 unless set), so that the
//! fuzzer reaches the batch path; everything else is the served default.

#![no_main]

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::{self, MessageBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{Method, Uri, header};
use actix_web::middleware::{Compress, from_fn};
use actix_web::rt::SystemRunner;
use actix_web::{test, web};
use kangzhan::app::App;
use kangzhan::config::Config;
use kangzhan::http::{request_log, routes};
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&str>; 8] = [
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("APPLICATION/JSON"),
    Some("application/graphql-response+json"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
    Some("application/graphql"),
    None,
];

const ACCEPTS: [Option<&str>; 8] = [
    None,
    Some("application/json"),
    Some("application/graphql-response+json"),
    Some("application/graphql-response+json, application/json;q=0.9"),
    Some("*/*"),
    Some("text/html"),
    Some("application/json;q=0"),
    Some(""),
];

/// What one request came back with.
struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Result<web::Bytes, String>,
}

type Call = Rc<dyn Fn(test::TestRequest) -> Pin<Box<dyn Future<Output = Answer>>>>;

struct Harness {
    system: SystemRunner,
    call: Call,
    /// `KANGZHAN_FUZZ_PRINT=1`: print every answer (to see what an input gets).
    print: bool,
    _dir: PathBuf,
}

const DIR_PREFIX: &str = "kangzhan-fuzz-";

/// A fresh folder for the database, `$TMPDIR/kangzhan-fuzz-<pid>`. The
/// harness is never dropped (see `HARNESS`), so the folders of processes
/// that are gone are removed when the next one starts.
fn temp_dir() -> PathBuf {
    let base = std::env::temp_dir();
    if let Ok(entries) = std::fs::read_dir(&base) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
                continue;
            };
            if pid.parse::<u32>().is_ok() && !std::path::Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = base.join(format!("{DIR_PREFIX}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the database's folder");
    dir
}

impl Harness {
    fn new() -> Harness {
        let dir = temp_dir();
        let url = format!("sqlite://{}?mode=rwc", dir.join("kangzhan.db").display());
        let mut config = Config::for_database(&url);
        if std::env::var_os("KANGZHAN_MAX_BATCH").is_none() {
            config.limits.max_batch = 4;
        }
        let system = actix_web::rt::System::new();
        let call = system.block_on(async {
            let db = kangzhan::data::prepare(&config).await.expect("prepare the database");
            let app = App::build(db, &config);
            // As `startup::serve` builds each worker's app.
            let routes = routes(app.cors_origins.clone());
            let app = web::Data::new(app);
            let service = test::init_service(
                actix_web::App::new()
                    .app_data(app.clone())
                    .wrap(Compress::default())
                    .wrap(from_fn(request_log::middleware))
                    .configure(routes),
            )
            .await;
            boxed(service)
        });
        Harness {
            system,
            call,
            print: std::env::var_os("KANGZHAN_FUZZ_PRINT").is_some(),
            _dir: dir,
        }
    }
}

/// The service behind one nameable type.
fn boxed<S, B>(service: S) -> Call
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    let service = Rc::new(service);
    Rc::new(move |request: test::TestRequest| {
        let service = service.clone();
        Box::pin(async move {
            match service.call(request.to_request()).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let content_type = content_type(response.headers());
                    let body = body::to_bytes(response.into_body()).await.map_err(|e| {
                        let e: Box<dyn std::error::Error> = e.into();
                        e.to_string()
                    });
                    Answer {
                        status,
                        content_type,
                        body,
                    }
                }
                // What the server would answer for an error a service returned.
                Err(error) => {
                    let response = error.error_response();
                    let status = response.status().as_u16();
                    let content_type = content_type(response.headers());
                    let body = body::to_bytes(response.into_body()).await.map_err(|e| e.to_string());
                    Answer {
                        status,
                        content_type,
                        body,
                    }
                }
            }
        })
    })
}

fn content_type(headers: &actix_web::http::header::HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

thread_local! {
    /// Built on the first input, never dropped: at exit, actix's own
    /// thread-locals (its request pools) go before this one would, and
    /// dropping the service then panics.
    static HARNESS: &'static Harness = Box::leak(Box::new(Harness::new()));
}

/// Bytes a URI's query may not hold, percent-encoded; `%` stays, so the
/// input writes its own escapes (invalid ones too).
fn query_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn fully_encoded(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (*b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn request(data: &[u8]) -> test::TestRequest {
    let (flags, rest) = match data.split_first() {
        Some((flags, rest)) => (*flags, rest),
        None => (0, data),
    };
    let get = flags & 1 == 1;
    let content_type = CONTENT_TYPES[usize::from((flags >> 1) & 7)];
    let accept = ACCEPTS[usize::from((flags >> 4) & 7)];
    let mut request = test::TestRequest::default();
    if get {
        let uri = if rest.is_empty() {
            "/graphql".to_owned()
        } else {
            let uri = format!("/graphql?{}", query_string(rest));
            if uri.parse::<Uri>().is_ok() {
                uri
            } else {
                format!("/graphql?{}", fully_encoded(rest))
            }
        };
        request = request.method(Method::GET).uri(&uri);
    } else {
        request = request.method(Method::POST).uri("/graphql").set_payload(rest.to_vec());
    }
    if let Some(content_type) = content_type {
        request = request.insert_header((header::CONTENT_TYPE, content_type));
    }
    if let Some(accept) = accept {
        request = request.insert_header((header::ACCEPT, accept));
    }
    if flags & 0x80 != 0 {
        request = request.insert_header((request_log::REQUEST_ID_HEADER, "fuzz-request-1"));
    }
    request
}

/// What SQL, or a database error passed on as it is, looks like in a message.
const SQL_MARKERS: [&str; 5] = ["SELECT", "FROM \"", "error returned from database", "sqlx", "SQLITE"];

/// The SQL-looking text in `message` that is not an echo of the input (a
/// parse error or a bad argument quotes what the client wrote): each marker
/// with the 16 characters after it must appear in the input as they are, or
/// JSON-escaped. Real SQL (`SELECT "battle"."id", ...`) never does.
fn leaked_sql(message: &str, input: &str) -> Option<String> {
    for marker in SQL_MARKERS {
        for (at, _) in message.match_indices(marker) {
            let window: String = message[at..].chars().take(marker.chars().count() + 16).collect();
            let escaped = serde_json::to_string(&window).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            if !input.contains(window.as_str()) && !input.contains(escaped) {
                return Some(window);
            }
        }
    }
    None
}

/// The checks on one answer; `Err` says what is wrong.
fn check(answer: &Answer, input: &[u8]) -> Result<(), String> {
    if answer.status >= 500 {
        return Err(format!("status {}", answer.status));
    }
    let body = answer
        .body
        .as_ref()
        .map_err(|e| format!("the body could not be read: {e}"))?;
    let json_type = answer
        .content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("application/graphql-response+json"));
    if !json_type {
        return Err(format!("Content-Type {:?} is not JSON", answer.content_type));
    }
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON ({e}): {body:?}"))?;
    let responses = match &json {
        serde_json::Value::Array(items) if !items.is_empty() => items.iter().collect(),
        serde_json::Value::Array(_) => return Err("an empty batch answer".to_owned()),
        single => vec![single],
    };
    let input_text = String::from_utf8_lossy(input);
    for response in responses {
        let object = response.as_object().ok_or("a response that is not an object")?;
        if !object.contains_key("data") && !object.contains_key("errors") {
            return Err("a response with neither `data` nor `errors`".to_owned());
        }
        if let Some(errors) = object.get("errors") {
            let errors = errors.as_array().ok_or("`errors` is not a list")?;
            if errors.is_empty() {
                return Err("`errors` is empty".to_owned());
            }
            for error in errors {
                let message = error["message"].as_str().ok_or("an error without a message")?;
                if message.is_empty() {
                    return Err("an empty error message".to_owned());
                }
                if let Some(leak) = leaked_sql(message, &input_text) {
                    return Err(format!(
                        "SQL or a database error in an error message ({leak:?}): {message}"
                    ));
                }
                let code = error["extensions"]["code"]
                    .as_str()
                    .ok_or("an error without extensions.code")?;
                if code == "INTERNAL_SERVER_ERROR" || code == "SERVICE_UNAVAILABLE" {
                    return Err(format!("an error on our side: {code}: {message}"));
                }
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    HARNESS.with(|harness| {
        let answer = harness.system.block_on((harness.call)(request(data)));
        if harness.print {
            eprintln!(
                "{:?} -> {} {:?} {}",
                String::from_utf8_lossy(data),
                answer.status,
                answer.content_type,
                answer
                    .body
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            );
        }
        if let Err(problem) = check(&answer, data) {
            panic!(
                "{problem}\ninput: {data:?}\nas text: {:?}\nstatus {}, body: {}",
                String::from_utf8_lossy(data),
                answer.status,
                answer
                    .body
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            );
        }
    });
});
