//! Abuse: every limit rejects with its own code, hostile requests get clear
//! errors, and the server answers a normal query right after each.

use actix_web::http::StatusCode;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::{Backend, TestApp};

/// The query GraphiQL and graphql-js send for the schema: every option of
/// `getIntrospectionQuery` on, `TypeRef` nested nine levels.
const FULL_INTROSPECTION: &str = include_str!("introspection.graphql");

async fn still_serving(app: &TestApp) {
    let data = app.query("{ battle(ordinal: 4) { name } }").await;
    assert_eq!(data["battle"]["name"], "淞沪会战");
}

async fn rejected(app: &TestApp, query: &str, code: &str) -> Value {
    let reply = app.post(&json!({ "query": query })).await;
    let body = reply.json();
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{query}: {body}");
    assert!(
        body.get("data").is_none(),
        "rejected before execution, so no data entry: {body}"
    );
    still_serving(app).await;
    error.clone()
}

/// `{ commanders { nodes { battles { commanders ... } } } }`, `levels` lists deep.
fn nested(levels: usize) -> String {
    let mut query = "name".to_owned();
    for level in (0..levels).rev() {
        let field = if level % 2 == 0 { "battles" } else { "commanders" };
        query = format!("{field} {{ name {query} }}");
    }
    format!("{{ commanders(first: 100) {{ nodes {{ name {query} }} }} }}")
}

db_test!(limits_reject_with_their_codes);
async fn limits_reject_with_their_codes(app: TestApp) {
    // A traversal seven levels deep, of all commanders, passes...
    let data = app.query(&nested(4)).await;
    assert!(data["commanders"]["nodes"].as_array().unwrap().len() > 30);
    // ...12 levels would; commanders, nodes, ten lists and name are 13.
    let deep = format!(
        "{{ commanders {{ nodes {{ {} name {} }} }} }}",
        "battles { commanders { ".repeat(5),
        "} } ".repeat(5)
    );
    let error = rejected(&app, &deep, "QUERY_TOO_DEEP").await;
    assert!(error["message"].as_str().unwrap().contains("limit of 12"), "{error}");

    let error = rejected(&app, &nested(6), "QUERY_TOO_COMPLEX").await;
    assert!(
        error["message"].as_str().unwrap().contains("limit of 200000"),
        "{error}"
    );

    let aliases: String = (0..31).map(|i| format!("a{i}: phases {{ name }} ")).collect();
    rejected(&app, &format!("{{ {aliases} }}"), "TOO_MANY_ALIASES").await;

    let roots: String = (0..21)
        .map(|i| format!("r{i}: battle(ordinal: {}) {{ name }} ", i % 30 + 1))
        .collect();
    rejected(&app, &format!("{{ {roots} }}"), "TOO_MANY_ROOT_FIELDS").await;

    let directives: String = (0..51).map(|_| "@include(if: true) ").collect();
    rejected(
        &app,
        &format!("{{ phases {directives} {{ name }} }}"),
        "TOO_MANY_DIRECTIVES",
    )
    .await;

    let cycle =
        "{ battles { nodes { ...A } } } fragment A on Battle { name ...B } fragment B on Battle { ordinal ...A }";
    let error = rejected(&app, cycle, "GRAPHQL_VALIDATION_FAILED").await;
    assert!(error["message"].as_str().unwrap().contains("spreads itself"), "{error}");

    rejected(&app, "{ battles { nodes { name } ", "GRAPHQL_PARSE_FAILED").await;
    rejected(
        &app,
        "{ battles { nodes { noSuchField } } }",
        "GRAPHQL_VALIDATION_FAILED",
    )
    .await;
}

db_test!(introspection_that_multiplies_itself_is_refused);
async fn introspection_that_multiplies_itself_is_refused(app: TestApp) {
    // Each possibleTypes/interfaces pair multiplies the answer by five.
    let mut inner = "name".to_owned();
    for _ in 0..8 {
        inner = format!("possibleTypes {{ name interfaces {{ name {inner} }} }}");
    }
    let started = std::time::Instant::now();
    let error = rejected(
        &app,
        &format!("{{ __type(name: \"Node\") {{ {inner} }} }}"),
        "QUERY_TOO_COMPLEX",
    )
    .await;
    assert!(
        error["message"].as_str().unwrap().contains("introspection lists"),
        "{error}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

db_test!(fragment_bombs_are_cheap);
async fn fragment_bombs_are_cheap(app: TestApp) {
    // Each fragment spreads the next twice: 2^25 fields if expanded naively.
    let mut document = "{ ...F0 }".to_owned();
    for i in 0..25 {
        document.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1));
    }
    document.push_str(" fragment F25 on Query { phases { name } }");
    let started = std::time::Instant::now();
    let error = rejected(&app, &document, "QUERY_TOO_COMPLEX").await;
    assert!(error["message"].as_str().unwrap().contains("fields"), "{error}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

db_test!(introspection_passes_the_default_limits);
async fn introspection_passes_the_default_limits(app: TestApp) {
    let data = app.query(FULL_INTROSPECTION).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    assert!(
        types
            .iter()
            .any(|t| t["name"] == "Battle" && t["description"].is_string())
    );
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
}

#[actix_web::test]
async fn introspection_can_be_turned_off() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.limits.introspection = false)
        .await
        .unwrap();
    for query in [
        "{ __schema { types { name } } }",
        "{ ...F } fragment F on Query { __type(name: \"Battle\") { name } }",
    ] {
        let body = app.post(&json!({ "query": query })).await.json();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "INTROSPECTION_DISABLED",
            "{body}"
        );
    }
    let data = app.query("{ battle(ordinal: 1) { __typename } }").await;
    assert_eq!(data["battle"]["__typename"], "Battle");
    still_serving(&app).await;
}

db_test!(hostile_requests_get_clear_errors);
async fn hostile_requests_get_clear_errors(app: TestApp) {
    // A huge list of IDs: refused by count, or by body size.
    let ids: Vec<String> = (1..=1000).map(|i| format!("QmF0dGxlOj{i}")).collect();
    let reply = app
        .post(&json!({ "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": { "ids": ids } }))
        .await;
    let body = reply.json();
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("at most 100"),
        "{body}"
    );
    let ids: Vec<String> = (1..=10_000).map(|i| format!("QmF0dGxlOj{i}")).collect();
    let reply = app
        .post(&json!({ "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": { "ids": ids } }))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A giant string argument.
    let giant = "長".repeat(20_000);
    let body = app
        .post(
            &json!({ "query": "query($t: String!) { search(text: $t) { __typename } }", "variables": { "t": giant } }),
        )
        .await
        .json();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");

    // Variables of the wrong type, and a truncated body.
    let body = app
        .post(&json!({ "query": "query($n: Int!) { battle(ordinal: $n) { name } }", "variables": { "n": "four" } }))
        .await
        .json();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("ordinal"),
        "{body}"
    );
    let truncated = app
        .send(
            app.client
                .post(format!("{}/graphql", app.address))
                .insert_header(("content-type", "application/json")),
            Some(br#"{"query": "{ phases { na"#),
        )
        .await;
    assert_eq!(truncated.status, StatusCode::BAD_REQUEST);

    // GET cannot run mutations.
    let get = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "mutation { x }")])
        .unwrap();
    let reply = app.send(get, None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);

    // Batches are off by default.
    let batch = app.post(&json!([{ "query": "{ phases { name } }" }])).await;
    assert_eq!(batch.status, StatusCode::BAD_REQUEST);
    assert!(
        batch.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("turned off")
    );

    still_serving(&app).await;
}

#[actix_web::test]
async fn batches_when_turned_on() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.limits.max_batch = 3)
        .await
        .unwrap();
    let reply = app
        .post(&json!([{ "query": "{ battle(ordinal: 1) { name } }" }, { "query": "{ battle(ordinal: 2) { name } }" }]))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body[0]["data"]["battle"]["name"], "一·二八淞沪抗战");
    assert_eq!(body[1]["data"]["battle"]["name"], "长城抗战");
    let too_many = app
        .post(&Value::Array(vec![json!({ "query": "{ phases { name } }" }); 4]))
        .await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert!(
        too_many.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1 to 3")
    );
}

#[actix_web::test]
async fn slow_requests_time_out() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.limits.timeout = std::time::Duration::from_millis(1)
    })
    .await
    .unwrap();
    let reply = app.post(&json!({ "query": nested(4) })).await;
    assert_eq!(reply.status, StatusCode::GATEWAY_TIMEOUT, "{}", reply.text);
    assert_eq!(reply.json()["errors"][0]["extensions"]["code"], "TIMEOUT");
}

db_test!(deeply_nested_values_are_refused_before_they_are_parsed);
async fn deeply_nested_values_are_refused_before_they_are_parsed(app: TestApp) {
    // Each of these overflowed a worker's stack (the parser and the input
    // conversion recurse once per level) and stopped the whole server.
    let lists = format!("{{ nodes(ids: {}\"x\"{}) {{ id }} }}", "[".repeat(500), "]".repeat(500));
    let filters = format!(
        "{{ battles(filter: {}{{ nameContains: \"a\" }}{}) {{ totalCount }} }}",
        "{ not: ".repeat(4000),
        " }".repeat(4000)
    );
    for query in [lists, filters] {
        let error = rejected(&app, &query, "QUERY_TOO_DEEP").await;
        assert!(error["message"].as_str().unwrap().contains("nests brackets"));
        still_serving(&app).await;
    }
    // Brackets in strings and comments do not count.
    let text = format!(
        "# {}\n{{ battles(filter: {{ nameContains: \"{}\" }}) {{ totalCount }} }}",
        "{".repeat(200),
        "[".repeat(90)
    );
    app.query(&text).await;
    // Through variables, JSON's own depth limit answers first; within it the
    // filter's own limit does.
    let mut filter = json!({ "nameContains": "a" });
    for _ in 0..200 {
        filter = json!({ "not": filter });
    }
    let reply = app
        .post(&json!({ "query": "query($f: BattleFilter) { battles(filter: $f) { totalCount } }", "variables": { "f": filter } }))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    let mut filter = json!({ "nameContains": "a" });
    for _ in 0..100 {
        filter = json!({ "not": filter });
    }
    let reply = app
        .post(&json!({ "query": "query($f: BattleFilter) { battles(filter: $f) { totalCount } }", "variables": { "f": filter } }))
        .await
        .json();
    assert_eq!(reply["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{reply}");
    still_serving(&app).await;
}
