//! Fuzzing the schema in-process: random text, mutated queries and
//! generated queries with random arguments and variables go through the
//! same limits, loaders and resolvers as HTTP requests, and random raw HTTP
//! requests go to the real server over sockets. Nothing may panic;
//! every answer must be a well-formed GraphQL response.
//!
//! `KANGZHAN_FUZZ_CASES` sets the inputs per strategy (default 256); for a
//! long run: `KANGZHAN_FUZZ_CASES=100000 cargo test --release --test api fuzz -- --nocapture`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kangzhan::app::App;
use kangzhan::config::Config;
use kangzhan::pipeline::{GraphqlService, RequestContext};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

const SEEDS: &[&str] = &[
    "{ battles(first: 5, orderBy: START_DESC) { totalCount edges { cursor node { name start { text earliest } } } pageInfo { endCursor } } }",
    "query($id: ID!) { node(id: $id) { id ... on Battle { name sides { strength { value text } } } ... on Commander { name } } }",
    "{ commanders(filter: { nameContains: \"岳\" }) { nodes { name battles { name forces { name parent { name } } } } } }",
    "{ search(text: \"军\", first: 10) { __typename ... on Force { name kind subordinates { name } } } }",
    "{ belligerents { name forces { name } } phases { name battles { ordinal } } }",
    "query Q($d: Date) { battles(filter: { activeOn: $d }) { nodes { name commands { role killedInAction force { name } } } } }",
    "{ ...F } fragment F on Query { forces(last: 3, filter: { kind: DIVISION }) { nodes { name battles { name } } } }",
];

const ROOT_FIELDS: &[&str] = &[
    "battles",
    "commanders",
    "forces",
    "belligerents",
    "phases",
    "search",
    "node",
    "nodes",
    "battle",
    "__schema",
    "__typename",
];
const FIELDS: &[&str] = &[
    "id",
    "name",
    "nameEn",
    "ordinal",
    "narrative",
    "phase",
    "start",
    "end",
    "sides",
    "commanders",
    "commands",
    "forces",
    "battles",
    "belligerent",
    "strength",
    "casualties",
    "value",
    "text",
    "earliest",
    "nodes",
    "edges",
    "node",
    "cursor",
    "pageInfo",
    "totalCount",
    "parent",
    "subordinates",
    "kind",
    "role",
    "killedInAction",
    "battle",
    "commander",
    "force",
    "__typename",
    "types",
    "fields",
    "nope",
];
const ARGUMENTS: &[&str] = &[
    "first",
    "last",
    "after",
    "before",
    "filter",
    "orderBy",
    "text",
    "id",
    "ids",
    "ordinal",
    "nameContains",
    "activeOn",
];

/// A random argument value, of any type and size.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (-5i32..150).prop_map(|n| n.to_string()),
        "\"[^\"\\\\]{0,40}\"",
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("START_DESC".to_owned()),
        Just("\"QmF0dGxlOjQ=\"".to_owned()),
        Just("{ nameContains: \"a\", activeOn: \"1938-01-01\" }".to_owned()),
        Just("[\"x\", \"Q29tbWFuZGVyOjE=\"]".to_owned()),
        Just("$v".to_owned()),
    ]
}

/// A random selection set, `depth` levels at most.
fn selection(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop::sample::select(FIELDS).prop_map(str::to_owned).boxed();
    if depth == 0 {
        return leaf;
    }
    let field = (
        prop::option::of("[a-z]{1,3}"),
        prop::sample::select(FIELDS),
        prop::option::of((prop::sample::select(ARGUMENTS), value())),
        prop::option::of(selection(depth - 1)),
        prop::option::of(prop::sample::select(
            &["@skip(if: false)", "@include(if: $b)", "@deprecated"][..],
        )),
    )
        .prop_map(|(alias, name, argument, children, directive)| {
            let mut field = String::new();
            if let Some(alias) = alias {
                field.push_str(&format!("{alias}: "));
            }
            field.push_str(name);
            if let Some((argument, value)) = argument {
                field.push_str(&format!("({argument}: {value})"));
            }
            if let Some(directive) = directive {
                field.push_str(&format!(" {directive}"));
            }
            if let Some(children) = children {
                field.push_str(&format!(" {{ {children} }}"));
            }
            field
        });
    prop::collection::vec(prop_oneof![3 => field, 1 => leaf], 1..4)
        .prop_map(|fields| fields.join(" "))
        .boxed()
}

/// A generated document: root fields with arguments and selections.
fn generated() -> impl Strategy<Value = String> {
    (
        prop::sample::select(ROOT_FIELDS),
        prop::option::of((prop::sample::select(ARGUMENTS), value())),
        selection(4),
        prop::bool::ANY,
    )
        .prop_map(|(root, argument, children, with_variables)| {
            let argument = argument
                .map(|(name, value)| format!("({name}: {value})"))
                .unwrap_or_default();
            let header = if with_variables {
                "query Q($v: ID, $b: Boolean = true) "
            } else {
                ""
            };
            format!("{header}{{ {root}{argument} {{ {children} }} }}")
        })
}

/// A seed query with a few random edits.
fn mutated() -> impl Strategy<Value = String> {
    (
        prop::sample::select(SEEDS),
        prop::collection::vec(
            (any::<prop::sample::Index>(), 0u8..4, "[{}()\\[\\]:$@!.,\"a-z0-9 ]{0,5}"),
            1..6,
        ),
    )
        .prop_map(|(seed, edits)| {
            let mut text: Vec<char> = seed.chars().collect();
            for (at, op, insert) in edits {
                let i = at.index(text.len() + 1);
                match op {
                    0 => text.splice(i..i, insert.chars()).for_each(drop),
                    1 => text.truncate(i),
                    2 if i < text.len() => {
                        text.remove(i);
                    }
                    _ => {
                        let copy: Vec<char> = text[i..].iter().take(20).copied().collect();
                        text.splice(i..i, copy).for_each(drop)
                    }
                }
            }
            text.into_iter().collect()
        })
}

/// Random variables: any JSON object.
fn variables() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)),
        ".{0,30}".prop_map(serde_json::Value::from),
    ];
    let json = leaf.prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z$]{1,4}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map(prop::sample::select(&["v", "id", "b", "d", "n", "ids"][..]), json, 0..3)
        .prop_map(|m| serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    service: GraphqlService,
    _file: std::path::PathBuf,
}

impl Harness {
    fn new(name: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let file = std::env::temp_dir().join(format!("kangzhan_fuzz_{name}_{}.db", std::process::id()));
        let config = Config::for_database(&format!("sqlite://{}?mode=rwc", file.display()));
        let db = runtime.block_on(kangzhan::data::prepare(&config)).unwrap();
        let service = runtime.block_on(App::build(db, &config)).unwrap().service;
        Harness {
            runtime,
            service,
            _file: file,
        }
    }

    /// Runs one document; fails the property if the answer is malformed.
    fn run(&self, query: &str, variables: serde_json::Value) -> Result<(), TestCaseError> {
        let request = async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables));
        let context = RequestContext {
            request_id: "fuzz",
            is_get: false,
            deadline: Instant::now() + Duration::from_secs(5),
        };
        let response = self.runtime.block_on(self.service.execute(request, &context)).response;
        let json = serde_json::to_value(&response).map_err(|e| TestCaseError::fail(format!("{query}: {e}")))?;
        for error in &response.errors {
            prop_assert!(!error.message.is_empty(), "empty error message for {}", query);
            prop_assert!(
                !error.message.contains("SELECT"),
                "SQL leaked for {}: {}",
                query,
                error.message
            );
        }
        if response.errors.is_empty() {
            prop_assert!(json["data"].is_object(), "no data and no errors for {}", query);
        }
        Ok(())
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self._file);
    }
}

fn cases() -> u32 {
    std::env::var("KANGZHAN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

fn fuzz(name: &str, strategy: impl Strategy<Value = (String, serde_json::Value)>) -> usize {
    let harness = Harness::new(name);
    let tried = AtomicUsize::new(0);
    let mut runner = TestRunner::new(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let outcome = runner.run(&strategy, |(query, variables)| {
        tried.fetch_add(1, Ordering::Relaxed);
        harness.run(&query, variables)
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    tried.load(Ordering::Relaxed)
}

#[test]
fn random_text_never_panics() {
    let tried = fuzz("random", ("(?s).{0,300}", variables()));
    eprintln!("fuzz: {tried} random documents, no panic");
}

#[test]
fn mutated_queries_never_panic() {
    let tried = fuzz("mutated", (mutated(), variables()));
    eprintln!("fuzz: {tried} mutated queries, no panic");
}

#[test]
fn generated_queries_never_panic() {
    let tried = fuzz("generated", (generated(), variables()));
    eprintln!("fuzz: {tried} generated queries, no panic");
}

/// One raw HTTP/1.1 request: method, target, headers and body all drawn at
/// random around what clients really send.
fn http_request() -> impl Strategy<Value = Vec<u8>> {
    let method = prop_oneof![
        4 => Just("POST"),
        3 => Just("GET"),
        1 => prop::sample::select(vec!["PUT", "OPTIONS", "HEAD", "DELETE", "PATCH"]),
    ];
    let query_json =
        (prop_oneof![generated(), mutated()], variables()).prop_map(|(query, variables)| json_body(&query, variables));
    let target = prop_oneof![
        4 => Just("/graphql".to_owned()),
        3 => prop_oneof![generated(), mutated()].prop_map(|q| format!("/graphql?query={}", percent(&q))),
        1 => "[!-~]{0,40}".prop_map(|t| format!("/graphql?{t}")),
        1 => prop::sample::select(vec!["/", "/schema.graphql", "/healthz", "/readyz", "/timeline", "/nope"]).prop_map(str::to_owned),
    ];
    let content_type = prop_oneof![
        4 => Just(Some("application/json".to_owned())),
        1 => Just(Some("application/graphql-response+json; charset=utf-8".to_owned())),
        1 => prop::sample::select(vec!["application/x-www-form-urlencoded", "text/plain", "application/graphql", "multipart/form-data; boundary=x", "application/json; charset=latin1"]).prop_map(|t| Some(t.to_owned())),
        1 => "[ -~]{0,30}".prop_map(Some),
        1 => Just(None),
    ];
    let accept = prop_oneof![
        Just(None),
        prop::sample::select(vec![
            "application/json",
            "application/graphql-response+json",
            "*/*",
            "text/html",
            "application/json;q=0, */*;q=0.1"
        ])
        .prop_map(|a| Some(a.to_owned())),
        "[ -~]{0,30}".prop_map(Some),
    ];
    let body = prop_oneof![
        4 => query_json,
        1 => prop::collection::vec(any::<u8>(), 0..300),
        1 => Just(b"[{\"query\":\"{ phases { name } }\"},{\"query\":\"{ __typename }\"}]".to_vec()),
        1 => Just(b"{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"00\"}}}".to_vec()),
    ];
    (method, target, content_type, accept, body).prop_map(|(method, target, content_type, accept, body)| {
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
        for (name, value) in [("Content-Type", content_type), ("Accept", accept)] {
            if let Some(value) = value {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut request = head.into_bytes();
        request.extend_from_slice(&body);
        request
    })
}

fn json_body(query: &str, variables: serde_json::Value) -> Vec<u8> {
    serde_json::json!({ "query": query, "variables": variables })
        .to_string()
        .into_bytes()
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Random requests to the real server over real sockets: never a 5xx, and
/// every answer from `/graphql` that says it is JSON is a GraphQL response.
#[actix_web::test]
async fn random_http_requests_never_break_the_server() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    let address = app.address.clone();
    let tried = actix_web::rt::task::spawn_blocking(move || {
        let tried = AtomicUsize::new(0);
        let mut runner = TestRunner::new(ProptestConfig {
            cases: cases(),
            failure_persistence: None,
            ..ProptestConfig::default()
        });
        let outcome = runner.run(&http_request(), |request| {
            tried.fetch_add(1, Ordering::Relaxed);
            let shown = String::from_utf8_lossy(&request).into_owned();
            let (answer, _) = crate::helpers::raw(&address, &request, Duration::from_secs(10));
            let status: u16 = answer
                .strip_prefix("HTTP/1.1 ")
                .and_then(|rest| rest.get(..3))
                .and_then(|code| code.parse().ok())
                .ok_or_else(|| TestCaseError::fail(format!("no HTTP answer to {shown:?}: {answer:?}")))?;
            prop_assert!(status < 500, "{} for {:?}: {}", status, shown, answer);
            let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
            let head = head.to_ascii_lowercase();
            let is_graphql = shown
                .split_whitespace()
                .nth(1)
                .is_some_and(|t| t.starts_with("/graphql"));
            if is_graphql && head.contains("content-type: application/") && head.contains("json") && !body.is_empty() {
                let json: serde_json::Value = serde_json::from_str(body)
                    .map_err(|e| TestCaseError::fail(format!("not JSON ({e}) for {shown:?}: {answer}")))?;
                prop_assert!(
                    json.get("data").is_some() || json["errors"].is_array(),
                    "not a GraphQL response for {:?}: {}",
                    shown,
                    body
                );
            }
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{failure}");
        }
        tried.load(Ordering::Relaxed)
    })
    .await
    .unwrap();
    eprintln!("fuzz: {tried} random HTTP requests, no 5xx");
    let data = app.query("{ battle(ordinal: 4) { name } }").await;
    assert_eq!(data["battle"]["name"], "淞沪会战");
}
