//! Defects third-party fuzzers and attack tools found, each held here: the
//! response format (empty objects, null propagation, key order per type),
//! NUL bytes in text arguments, request errors, introspection leaks, slow
//! and oversized bodies, and the connection cap.

use std::time::Duration;

use actix_web::http::StatusCode;
use serde_json::json;

use crate::db_test;
use crate::helpers::{Backend, TestApp, raw};

db_test!(an_empty_selection_is_an_empty_object);
async fn an_empty_selection_is_an_empty_object(app: TestApp) {
    let data = app
        .query(r#"{ search(text: "军", first: 3) { ... on Force { name } } }"#)
        .await;
    let results = data["search"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{data}");
    assert!(results.iter().all(|r| r.is_object()), "{data}");
    assert_eq!(results[0], json!({}), "a battle matched first: {data}");

    let data = app
        .query(r#"{ node(id: "QmF0dGxlOjE=") { ... on Force { name } } }"#)
        .await;
    assert_eq!(data["node"], json!({}), "battle 1 exists: {data}");

    let data = app.query(r#"{ battle(ordinal: 1) { name @skip(if: true) } }"#).await;
    assert_eq!(data["battle"], json!({}));
    let data = app
        .query_with(
            r#"query($no: Boolean!) { battle(ordinal: 1) { name @include(if: $no) ...F } } fragment F on Battle { ordinal @include(if: $no) }"#,
            json!({ "no": false }),
        )
        .await;
    assert_eq!(data["battle"], json!({}));
    // A hidden `__typename` never shows.
    let data = app
        .query(r#"{ nodes(ids: ["QmF0dGxlOjE="]) { ... on Battle { ordinal } } }"#)
        .await;
    assert_eq!(data["nodes"], json!([{ "ordinal": 1 }]));
}

db_test!(an_error_in_a_non_null_root_field_nulls_data);
async fn an_error_in_a_non_null_root_field_nulls_data(app: TestApp) {
    let body = app
        .post(&json!({ "query": r#"{ phases { ordinal } search(text: "") { __typename } }"# }))
        .await
        .json();
    assert_eq!(body["data"], serde_json::Value::Null, "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["search"]), "{body}");

    // `battles` is a non-null connection too.
    let body = app
        .post(&json!({ "query": r#"{ phases { ordinal } battles(first: 1000) { totalCount } }"# }))
        .await
        .json();
    assert_eq!(body["data"], serde_json::Value::Null, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
}

db_test!(keys_follow_the_selection_of_each_concrete_type);
async fn keys_follow_the_selection_of_each_concrete_type(app: TestApp) {
    let reply = app
        .post(&json!({ "query": r#"{ nodes(ids: ["UGhhc2U6NQ=="]) { ... on Belligerent { battles { name } } ... on Phase { nameEn battles { name } } } }"# }))
        .await;
    let text = reply.text;
    let name_en = text.find("\"nameEn\"").expect(&text);
    let battles = text.find("\"battles\"").expect(&text);
    assert!(name_en < battles, "nameEn comes first for a Phase: {text}");
    assert!(!text.contains("__kangzhan"), "{text}");

    // A type no fragment picks out keeps the order of the fields it gets.
    let reply = app
        .post(&json!({ "query": r#"{ node(id: "QmF0dGxlOjE=") { ... on Phase { id } __typename id } }"# }))
        .await;
    assert_eq!(
        reply.text, r#"{"data":{"node":{"__typename":"Battle","id":"QmF0dGxlOjE="}}}"#,
        "{}",
        reply.text
    );
}

db_test!(nul_bytes_in_text_are_refused_alike);
async fn nul_bytes_in_text_are_refused_alike(app: TestApp) {
    for (query, argument) in [
        ("query($t: String!) { search(text: $t) { __typename } }", "search.text"),
        (
            "query($t: String) { battles(filter: { nameContains: $t }) { totalCount } }",
            "filter.nameContains",
        ),
        (
            "query($t: String) { commanders(filter: { nameContains: $t }) { totalCount } }",
            "filter.nameContains",
        ),
        (
            "query($t: String) { forces(filter: { nameContains: $t }) { totalCount } }",
            "filter.nameContains",
        ),
    ] {
        let body = app
            .post(&json!({ "query": query, "variables": { "t": "a\u{0}" } }))
            .await
            .json();
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{query}: {body}");
        assert!(error["message"].as_str().unwrap().contains(argument), "{body}");
    }
    // Search input is trimmed.
    let data = app
        .query(r#"{ search(text: " 薛岳 ") { ... on Commander { name } } }"#)
        .await;
    assert_eq!(data["search"][0]["name"], "薛岳");
}

db_test!(request_errors_are_request_errors);
async fn request_errors_are_request_errors(app: TestApp) {
    let app = &app;
    let post = move |query: &str, variables: serde_json::Value| {
        let request = app
            .client
            .post(format!("{}/graphql", app.address))
            .insert_header(("content-type", "application/json"))
            .insert_header(("accept", "application/graphql-response+json"));
        let body = json!({ "query": query, "variables": variables }).to_string();
        async move { app.send(request, Some(body.as_bytes())).await }
    };
    let missing = post("query($id: ID!) { node(id: $id) { id } }", json!({})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "{}", missing.text);
    let body = missing.json();
    assert!(body.get("data").is_none(), "{body}");
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("was not sent"),
        "{body}"
    );

    // An impossible date literal fails validation: no field runs.
    let date = post(
        r#"{ phases { ordinal } battles(filter: { activeOn: "1937-02-30" }) { totalCount } }"#,
        json!({}),
    )
    .await;
    assert_eq!(date.status, StatusCode::BAD_REQUEST, "{}", date.text);
    let body = date.json();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("activeOn"),
        "{body}"
    );

    let gzip = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("content-encoding", "gzip"));
    let gzip = app.send(gzip, Some(b"\x1f\x8b\x08\x00")).await;
    assert_eq!(gzip.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", gzip.text);

    let parse = post("{ phases { name }\n  battle(ordinal: ) }", json!({})).await;
    let body = parse.json();
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        !message.contains('\n') && message.starts_with("syntax error: expected"),
        "{body}"
    );
    assert_eq!(body["errors"][0]["locations"][0]["line"], 2, "{body}");
}

#[actix_web::test]
async fn introspection_off_hides_the_schema() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.limits.introspection = false)
        .await
        .unwrap();
    let sdl = app
        .send(app.client.get(format!("{}/schema.graphql", app.address)), None)
        .await;
    assert_eq!(sdl.status, StatusCode::NOT_FOUND);
    for query in [
        "{ battlez }",
        "{ battles(frist: 1) { totalCount } }",
        "{ battles { nodes { nam } } }",
        "{ battle { name } }",
    ] {
        let body = app.post(&json!({ "query": query })).await.json();
        let message = body["errors"][0]["message"].as_str().unwrap().to_owned();
        assert!(!message.contains("Did you mean"), "{query}: {message}");
        for name in [
            "battles",
            "first",
            "name",
            "Query",
            "Int",
            "ordinal",
            "BattleConnection",
        ] {
            let leaked = message.contains(&format!("\"{name}\"")) && !query.contains(name);
            assert!(!leaked, "{query}: {message} names {name}");
        }
    }
}

#[actix_web::test]
async fn a_stalled_body_is_timed_out_and_a_huge_one_refused_at_once() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.http.body_timeout = Duration::from_millis(500))
        .await
        .unwrap();
    let address = app.address.clone();
    let (stalled, huge) = actix_web::rt::task::spawn_blocking(move || {
        let stalled = raw(
            &address,
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\"",
            Duration::from_secs(10),
        );
        let huge = raw(
            &address,
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n",
            Duration::from_secs(10),
        );
        (stalled, huge)
    })
    .await
    .unwrap();
    assert!(stalled.0.starts_with("HTTP/1.1 408"), "{}", stalled.0);
    assert!(stalled.0.contains("REQUEST_TIMEOUT"), "{}", stalled.0);
    assert!(stalled.1 < Duration::from_secs(5), "{:?}", stalled.1);
    assert!(huge.0.starts_with("HTTP/1.1 413"), "{}", huge.0);
    assert!(huge.1 < Duration::from_secs(2), "refused from the header: {:?}", huge.1);
    let data = app.query("{ battle(ordinal: 4) { name } }").await;
    assert_eq!(data["battle"]["name"], "淞沪会战");
}

#[actix_web::test]
async fn connections_stay_within_the_cap() {
    let Some(app) = TestApp::spawn_with(Backend::Postgres, |c| c.max_connections = 3).await else {
        return;
    };
    let database = app.database_url.rsplit('/').next().unwrap().to_owned();
    let query = json!({ "query": "{ commanders(first: 100) { nodes { name battles { name forces { name } } } } }" });
    let mut most = 0;
    for _ in 0..5 {
        let load = (0..16).map(|_| app.post(&query));
        let probes = (0..4).map(|_| app.send(app.client.get(format!("{}/readyz", app.address)), None));
        let (replies, ready) = futures_util::future::join(
            futures_util::future::join_all(load),
            futures_util::future::join_all(probes),
        )
        .await;
        assert!(replies.iter().all(|r| r.status == StatusCode::OK));
        assert!(ready.iter().all(|r| r.status == StatusCode::OK));
        let admin = sea_orm::Database::connect(&app.database_url).await.unwrap();
        let row = sea_orm::ConnectionTrait::query_one_raw(
            &admin,
            sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '{database}'"),
            ),
        )
        .await
        .unwrap()
        .unwrap();
        admin.close().await.ok();
        // Our own connection for counting is one of them.
        let n: i64 = row.try_get("", "n").unwrap();
        most = most.max(n - 1);
    }
    assert!(most <= 3, "{most} backend connections with KANGZHAN_MAX_CONNECTIONS=3");
    assert!(most >= 1);
}

db_test!(web_clients_get_what_they_send_for);
async fn web_clients_get_what_they_send_for(app: TestApp) {
    // Invalid UTF-8 in a GET query string is refused, as in a POST body.
    let url = format!("{}/graphql?query=%7B%20phases%20%7B%20name%20%7D%20%7D%FF", app.address);
    let reply = app.send(app.client.get(url), None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);

    // A preflight for the headers real GraphQL clients send is allowed.
    let preflight = app
        .client
        .request(actix_web::http::Method::OPTIONS, format!("{}/graphql", app.address))
        .insert_header(("origin", "https://example.org"))
        .insert_header(("access-control-request-method", "POST"))
        .insert_header((
            "access-control-request-headers",
            "content-type, authorization, apollographql-client-name, apollographql-client-version, apollo-require-preflight",
        ));
    let reply = app.send(preflight, None).await;
    assert!(reply.status.is_success(), "{} {}", reply.status, reply.text);
    let allowed = reply
        .headers
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    for header in ["authorization", "apollographql-client-name", "apollo-require-preflight"] {
        assert!(allowed.contains(header), "{header} not in {allowed}");
    }
}
