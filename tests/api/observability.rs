//! What operators see: request IDs, metrics, readiness, and internal errors
//! that name the request instead of the SQL.

use sea_orm::{ConnectionTrait, Database};
use serde_json::json;

use crate::db_test;
use crate::helpers::TestApp;

db_test!(every_response_names_its_request);
async fn every_response_names_its_request(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let body = json!({ "query": "{ phases { name } }" }).to_string();
    let post = || {
        app.client
            .post(&url)
            .insert_header(("content-type", "application/json"))
    };

    let mut response = post().send_body(body.clone()).await.unwrap();
    let _ = response.body().await;
    let generated = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(generated.len(), 16, "{generated}");

    let mut response = post()
        .insert_header(("x-request-id", "trace-abc_123"))
        .send_body(body.clone())
        .await
        .unwrap();
    let _ = response.body().await;
    assert_eq!(response.headers().get("x-request-id").unwrap(), "trace-abc_123");

    let mut response = post()
        .insert_header(("x-request-id", "bad id with spaces"))
        .send_body(body)
        .await
        .unwrap();
    let _ = response.body().await;
    assert_ne!(response.headers().get("x-request-id").unwrap(), "bad id with spaces");
}

db_test!(metrics_count_requests_statements_batches_and_errors);
async fn metrics_count_requests_statements_batches_and_errors(app: TestApp) {
    app.query("query Timeline { battles(first: 30) { nodes { name phase { name } } } }")
        .await;
    app.query_error("{ battles(first: 1000) { totalCount } }").await;
    // Refused before execution: counted too.
    let text_plain = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "text/plain"));
    assert_eq!(app.send(text_plain, Some(b"{ phases { name } }")).await.status, 415);
    let metrics = app.send(app.client.get(format!("{}/metrics", app.address)), None).await;
    assert!(
        metrics.content_type.starts_with("text/plain; version=0.0.4"),
        "{}",
        metrics.content_type
    );
    let text = metrics.text;
    for expected in [
        "kangzhan_requests_total{operation=\"Timeline\",outcome=\"ok\"} 1",
        "kangzhan_requests_total{operation=\"anonymous\",outcome=\"error\"} 1",
        "kangzhan_request_duration_seconds_count 3",
        "kangzhan_dataloader_batch_size_bucket{loader=\"PhaseById\",le=\"+Inf\"} 1",
        "kangzhan_errors_total{code=\"BAD_USER_INPUT\"} 1",
        "kangzhan_requests_total{operation=\"anonymous\",outcome=\"rejected\"} 1",
        "kangzhan_errors_total{code=\"UNSUPPORTED_MEDIA_TYPE\"} 1",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    // The page and the phases: two statements.
    assert!(app.statements().await >= 2);
}

db_test!(readiness_follows_the_database);
async fn readiness_follows_the_database(app: TestApp) {
    let ready = app.send(app.client.get(format!("{}/readyz", app.address)), None).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.text, "ready");
}

db_test!(internal_errors_name_the_request_not_the_sql);
async fn internal_errors_name_the_request_not_the_sql(app: TestApp) {
    // Break the database behind the server's back.
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared("DROP TABLE battle_force").await.unwrap();
    db.close().await.ok();

    let request = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-request-id", "broken-1"));
    let reply = app
        .send(
            request,
            Some(
                json!({ "query": "{ battle(ordinal: 1) { name forces { name } } }" })
                    .to_string()
                    .as_bytes(),
            ),
        )
        .await;
    let body = reply.json();
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{body}");
    assert_eq!(error["extensions"]["requestId"], "broken-1", "{body}");
    assert_eq!(error["message"], "internal error");
    for leak in ["battle_force", "SELECT", "no such table", "does not exist"] {
        assert!(!reply.text.contains(leak), "{leak} leaked: {}", reply.text);
    }
    // The rest of the API still works.
    let data = app.query("{ battle(ordinal: 1) { name } }").await;
    assert_eq!(data["battle"]["name"], "一·二八淞沪抗战");
}
