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

    let miss = app.post(&json!({ "extensions": extensions })).await.json();
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
    assert!(
        wrong["errors"][0]["message"].as_str().is_some(),
        "a hash that is not the query's: {wrong}"
    );
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

/// SHA-256 as lowercase hex, small enough to keep here rather than add a
/// crate for one test.
fn sha256_hex(text: &str) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let mut message = text.as_bytes().to_vec();
    let bits = (message.len() as u64) * 8;
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bits.to_be_bytes());
    for chunk in message.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (h, v) in h.iter_mut().zip(v) {
            *h = h.wrapping_add(v);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[test]
fn sha256_matches_a_known_digest() {
    assert_eq!(
        sha256_hex("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
