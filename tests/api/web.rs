//! What browsers and web clients meet: the embedded playground and
//! timeline, the SDL file, CORS, HTTP caching, persisted queries and
//! compression.

use actix_web::http::StatusCode;
use serde_json::json;

use crate::db_test;
use crate::helpers::{Backend, TestApp};

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> crate::helpers::Reply {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    app.send(request, None).await
}

db_test!(pages_are_served_from_our_own_origin);
async fn pages_are_served_from_our_own_origin(app: TestApp) {
    let index = get(&app, "/", &[]).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.content_type.starts_with("text/html"));
    // Every script and stylesheet the page names is ours, and is served.
    let mut assets = 0;
    for attribute in ["src=\"", "href=\""] {
        for part in index.text.split(attribute).skip(1) {
            let url = part.split('"').next().unwrap();
            if url.starts_with("data:") {
                continue;
            }
            assert!(url.starts_with("/playground/"), "{url} is not ours");
            let asset = get(&app, url, &[]).await;
            assert_eq!(asset.status, StatusCode::OK, "{url}");
            let expected = if url.ends_with(".js") {
                "text/javascript"
            } else {
                "text/css"
            };
            assert!(
                asset.content_type.starts_with(expected),
                "{url}: {}",
                asset.content_type
            );
            assets += 1;
        }
    }
    assert!(assets >= 2, "the page loads its script and styles: {}", index.text);

    let example = get(&app, "/playground/example.graphql", &[]).await;
    assert_eq!(example.text, kangzhan::http::EXAMPLE_QUERY);

    let timeline = get(&app, "/timeline", &[]).await;
    assert_eq!(timeline.status, StatusCode::OK);
    assert!(timeline.text.contains("/timeline/timeline.js"), "{}", timeline.text);
    let script = get(&app, "/timeline/timeline.js", &[]).await;
    assert!(script.content_type.starts_with("text/javascript") && script.text.contains("/graphql"));

    // Revalidation: the ETag gives a 304.
    let etag = index.headers.get("etag").unwrap().to_str().unwrap().to_owned();
    assert_eq!(index.headers.get("cache-control").unwrap(), "no-cache");
    let again = get(&app, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty());

    assert_eq!(
        get(&app, "/playground/nope.js", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/playground/../Cargo.toml", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

db_test!(the_map_and_its_font_are_served_from_our_own_origin);
async fn the_map_and_its_font_are_served_from_our_own_origin(app: TestApp) {
    let map = get(&app, "/map", &[]).await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(map.content_type.starts_with("text/html"));
    // Every file the page names is ours, and is served with its type.
    let mut files = 0;
    for attribute in ["src=\"", "href=\""] {
        for part in map.text.split(attribute).skip(1) {
            let url = part.split('"').next().unwrap();
            if url.starts_with('#') || ["/", "/timeline", "/graphql"].contains(&url) || url.starts_with("data:") {
                continue;
            }
            assert!(
                url.starts_with("/map/") || url.starts_with("/fonts/"),
                "{url} is not ours"
            );
            let file = get(&app, url, &[]).await;
            assert_eq!(file.status, StatusCode::OK, "{url}");
            files += 1;
        }
    }
    assert!(files >= 2, "the page loads its script and styles: {}", map.text);
    let font = get(&app, "/fonts/noto-sans-sc-kangzhan-400.woff2", &[]).await;
    assert_eq!(
        (font.status, font.content_type.as_str()),
        (StatusCode::OK, "font/woff2")
    );
    let licence = get(&app, "/fonts/OFL.txt", &[]).await;
    assert!(licence.content_type.starts_with("text/plain") && licence.text.contains("SIL Open Font License"));
}

/// The web font was subset from today's data: every character of the data
/// files is in it, or in the list of those Noto Sans SC lacks.
#[test]
fn the_web_font_covers_every_character_of_the_data() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fonts = root.join("static/fonts");
    let read = |name: &str| std::fs::read_to_string(fonts.join(name)).unwrap();
    let covered: std::collections::BTreeSet<char> = read("noto-sans-sc-kangzhan-400.txt").chars().collect();
    let lacking: std::collections::BTreeSet<char> = read("noto-sans-sc-kangzhan-400.missing.txt").chars().collect();
    assert!(lacking.len() <= 8, "Noto Sans SC lacks only a few: {lacking:?}");
    let data = root.join("migration/data");
    let mut missing = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".toml") || name == "battles.zh.txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        missing.extend(
            text.chars()
                .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{feff}')
                .filter(|c| !covered.contains(c) && !lacking.contains(c)),
        );
    }
    assert!(
        missing.is_empty(),
        "the data has characters the web font was not subset for: {missing:?}; run `cd map && npm ci && npm run build:font`"
    );
}

db_test!(the_sdl_is_a_file_too);
async fn the_sdl_is_a_file_too(app: TestApp) {
    let sdl = get(&app, "/schema.graphql", &[]).await;
    assert_eq!(sdl.status, StatusCode::OK);
    assert_eq!(sdl.text, include_str!("../../schema.graphql"));
}

db_test!(cors_lets_any_page_read_without_credentials);
async fn cors_lets_any_page_read_without_credentials(app: TestApp) {
    let preflight = app
        .send(
            app.client
                .request(actix_web::http::Method::OPTIONS, format!("{}/graphql", app.address))
                .insert_header(("origin", "https://example.org"))
                .insert_header(("access-control-request-method", "POST"))
                .insert_header(("access-control-request-headers", "content-type")),
            None,
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK, "{}", preflight.text);
    assert_eq!(preflight.headers.get("access-control-allow-origin").unwrap(), "*");
    assert!(preflight.headers.get("access-control-allow-credentials").is_none());
    assert!(
        preflight
            .headers
            .get("access-control-allow-methods")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("POST")
    );

    let request = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("origin", "https://example.org"))
        .insert_header(("content-type", "application/json"));
    let reply = app
        .send(
            request,
            Some(json!({ "query": "{ phases { name } }" }).to_string().as_bytes()),
        )
        .await;
    assert_eq!(reply.headers.get("access-control-allow-origin").unwrap(), "*");
}

#[actix_web::test]
async fn cors_with_a_list_of_origins() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.cors_origins = "https://a.example, https://b.example".parse().unwrap()
    })
    .await
    .unwrap();
    let post = |origin: &str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .insert_header(("origin", origin))
            .insert_header(("content-type", "application/json"))
    };
    let body = json!({ "query": "{ phases { name } }" }).to_string();
    let allowed = app.send(post("https://b.example"), Some(body.as_bytes())).await;
    assert_eq!(
        allowed.headers.get("access-control-allow-origin").unwrap(),
        "https://b.example"
    );
    assert_eq!(allowed.headers.get("access-control-allow-credentials").unwrap(), "true");
    let preflight = app
        .send(
            app.client
                .request(actix_web::http::Method::OPTIONS, format!("{}/graphql", app.address))
                .insert_header(("origin", "https://a.example"))
                .insert_header(("access-control-request-method", "POST")),
            None,
        )
        .await;
    assert_eq!(
        preflight.headers.get("access-control-allow-origin").unwrap(),
        "https://a.example"
    );
    let other = app.send(post("https://evil.example"), Some(body.as_bytes())).await;
    assert!(
        other.headers.get("access-control-allow-origin").is_none(),
        "{:?}",
        other.headers
    );
}

db_test!(get_answers_can_be_cached);
async fn get_answers_can_be_cached(app: TestApp) {
    let url = "/graphql?query=%7B%20battle(ordinal%3A%204)%20%7B%20name%20%7D%20%7D";
    let first = get(&app, url, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.headers.get("cache-control").unwrap(), "public, max-age=60");
    let etag = first.headers.get("etag").unwrap().to_str().unwrap().to_owned();
    let again = get(&app, url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Another query, another tag; errors are not cached.
    let other = get(
        &app,
        "/graphql?query=%7B%20battle(ordinal%3A%205)%20%7B%20name%20%7D%20%7D",
        &[],
    )
    .await;
    assert_ne!(other.headers.get("etag").unwrap().to_str().unwrap(), etag);
    let error = get(
        &app,
        "/graphql?query=%7B%20battles(first%3A%20500)%20%7B%20totalCount%20%7D%20%7D",
        &[],
    )
    .await;
    assert!(error.headers.get("etag").is_none() && error.headers.get("cache-control").is_none());
    // POST answers are not cached.
    let post = app.post(&json!({ "query": "{ battle(ordinal: 4) { name } }" })).await;
    assert!(post.headers.get("etag").is_none());
}

db_test!(persisted_queries_by_hash);
async fn persisted_queries_by_hash(app: TestApp) {
    let query = "{ battle(ordinal: 8) { name nameEn } }";
    let hash = "1a8a2c8b1d1e4b8f1fca2b1e7e6f38b79a7f6c0e4b4d18f2b8b7a9c0d1e2f3a4";
    // The real SHA-256 of the query, as Apollo clients send it.
    let sha = sha256_hex(query);
    assert_ne!(sha, hash);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha } });

    // A miss under graphql-response+json stays a 200: Apollo's link gives up
    // on persisted queries for good after a 4xx.
    let request = app
        .client
        .post(format!("{}/graphql", app.address))
        .insert_header(("content-type", "application/json"))
        .insert_header(("accept", "application/graphql-response+json"));
    let reply = app
        .send(
            request,
            Some(json!({ "extensions": extensions }).to_string().as_bytes()),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let miss = reply.json();
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound", "{miss}");
    assert_eq!(miss["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");

    let register = app
        .post(&json!({ "query": query, "extensions": extensions }))
        .await
        .json();
    assert_eq!(register["data"]["battle"]["nameEn"], "Battle of Wuhan");

    let hit = app.post(&json!({ "extensions": extensions })).await.json();
    assert_eq!(hit["data"]["battle"]["name"], "武汉会战", "{hit}");

    let wrong = app
        .post(&json!({ "query": "{ phases { name } }", "extensions": extensions }))
        .await
        .json();
    // A hash that is not the query's.
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{wrong}");
    assert!(
        wrong["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not the SHA-256 of the query"),
        "{wrong}"
    );
    assert!(wrong.get("data").is_none(), "{wrong}");
}

db_test!(answers_are_compressed_when_the_client_accepts_it);
async fn answers_are_compressed_when_the_client_accepts_it(app: TestApp) {
    for encoding in ["gzip", "br"] {
        let request = app
            .client
            .post(format!("{}/graphql", app.address))
            .insert_header(("content-type", "application/json"))
            .insert_header(("accept-encoding", encoding));
        let body = json!({ "query": "{ battles(first: 30) { nodes { narrative outcome } } }" }).to_string();
        let mut response = request.send_body(body).await.unwrap();
        assert_eq!(response.headers().get("content-encoding").unwrap(), encoding);
        let compressed = response.body().limit(1 << 20).await.unwrap();
        assert!(compressed.len() < 20_000, "{encoding}: {} bytes", compressed.len());
    }
    let plain = app
        .post(&json!({ "query": "{ battles(first: 30) { nodes { narrative outcome } } }" }))
        .await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert!(plain.text.len() > 20_000);
}

/// SHA-256 as lowercase hex, as Apollo clients hash their queries.
fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn sha256_matches_a_known_digest() {
    assert_eq!(
        sha256_hex("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
