//! GraphQL over HTTP: methods, media types, and bad requests that must get
//! a clear error and leave the server serving.

use actix_web::http::StatusCode;
use serde_json::json;

use crate::db_test;
use crate::helpers::TestApp;

const SMALL_QUERY: &str = "{ phases { name } }";

async fn server_still_answers(app: &TestApp) {
    let data = app.query(SMALL_QUERY).await;
    assert_eq!(data["phases"].as_array().map(Vec::len), Some(6));
}

db_test!(health_and_playground);
async fn health_and_playground(app: TestApp) {
    let health = app.send(app.client.get(format!("{}/healthz", app.address)), None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.text, "ok");

    let playground = app.send(app.client.get(format!("{}/", app.address)), None).await;
    assert_eq!(playground.status, StatusCode::OK);
    assert!(
        playground.content_type.starts_with("text/html"),
        "{}",
        playground.content_type
    );
    assert!(playground.text.contains("GraphiQL"));
    // It opens on the README's example (the page fetches it), which runs as is.
    let example = app.query(kangzhan::http::EXAMPLE_QUERY).await;
    let battles = example["commanders"]["nodes"][0]["battles"].as_array().unwrap();
    assert!(!battles.is_empty() && battles.iter().all(|b| !b["forces"].as_array().unwrap().is_empty()));

    let missing = app
        .send(app.client.get(format!("{}/no-such-page", app.address)), None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

db_test!(get_runs_queries);
async fn get_runs_queries(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let request = app
        .client
        .get(&url)
        .query(&[
            ("query", "query Q($n: Int!) { battle(ordinal: $n) { name } }"),
            ("variables", r#"{"n": 4}"#),
            ("operationName", "Q"),
        ])
        .unwrap();
    let reply = app.send(request, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json()["data"]["battle"]["name"], "淞沪会战");

    let no_query = app.send(app.client.get(&url), None).await;
    assert_eq!(no_query.status, StatusCode::BAD_REQUEST);
    assert!(
        no_query.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("query")
    );

    let bad_variables = app
        .client
        .get(&url)
        .query(&[("query", "{ phases { name } }"), ("variables", "{not json")])
        .unwrap();
    let reply = app.send(bad_variables, None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("variables")
    );
}

db_test!(response_type_follows_accept);
async fn response_type_follows_accept(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let body = json!({ "query": SMALL_QUERY }).to_string();
    let post = |accept: Option<&str>| {
        let request = app
            .client
            .post(&url)
            .insert_header(("content-type", "application/json"));
        match accept {
            Some(accept) => request.insert_header(("accept", accept)),
            None => request,
        }
    };

    let plain = app.send(post(Some("application/json")), Some(body.as_bytes())).await;
    assert!(
        plain.content_type.starts_with("application/json"),
        "{}",
        plain.content_type
    );

    let none = app.send(post(None), Some(body.as_bytes())).await;
    assert!(
        none.content_type.starts_with("application/json"),
        "{}",
        none.content_type
    );

    let modern = app
        .send(
            post(Some("application/graphql-response+json, application/json;q=0.9")),
            Some(body.as_bytes()),
        )
        .await;
    assert!(
        modern.content_type.starts_with("application/graphql-response+json"),
        "{}",
        modern.content_type
    );
    assert_eq!(modern.status, StatusCode::OK);

    let refused = app.send(post(Some("text/html")), Some(body.as_bytes())).await;
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);

    // A query that fails validation: 400 under graphql-response+json, 200 under json.
    let invalid = json!({ "query": "{ noSuchField }" }).to_string();
    let modern = app
        .send(
            post(Some("application/graphql-response+json")),
            Some(invalid.as_bytes()),
        )
        .await;
    assert_eq!(modern.status, StatusCode::BAD_REQUEST);
    assert!(
        modern.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("noSuchField")
    );
    let legacy = app.send(post(Some("application/json")), Some(invalid.as_bytes())).await;
    assert_eq!(legacy.status, StatusCode::OK);
    assert!(
        legacy.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("noSuchField")
    );
}

db_test!(bad_requests_get_clear_errors);
async fn bad_requests_get_clear_errors(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let json_post = || {
        app.client
            .post(&url)
            .insert_header(("content-type", "application/json"))
    };

    let malformed = app.send(json_post(), Some(b"{\"query\": ")).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let body = malformed.json();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("JSON"));

    let not_utf8 = app.send(json_post(), Some(b"{\"query\": \"\xff\xfe\"}")).await;
    assert_eq!(not_utf8.status, StatusCode::BAD_REQUEST);

    let no_query = app.send(json_post(), Some(b"{\"variables\": {}}")).await;
    assert_eq!(no_query.status, StatusCode::BAD_REQUEST);

    let wrong_type = app
        .send(
            app.client.post(&url).insert_header(("content-type", "text/plain")),
            Some(b"{ phases { name } }"),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        wrong_type.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );

    let huge = json!({ "query": format!("{{ phases {{ name }} }} #{}", "x".repeat(100_000)) }).to_string();
    let too_large = app.send(json_post(), Some(huge.as_bytes())).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.json()["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");

    let syntax = app.query_error("{ phases { name ").await;
    assert!(syntax["message"].as_str().unwrap().contains("expected"), "{syntax}");

    let mutation = app.query_error("mutation { anything }").await;
    assert!(
        mutation["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("mutation"),
        "{mutation}"
    );

    server_still_answers(&app).await;
}
