//! The ecosystem's own tools against our running server (scripts in
//! `tests/js`): graphql-http's GraphQL-over-HTTP audits, graphql-js building
//! a schema from our introspection and finding no breaking change against
//! the contract, and Debian's Chromium driving the playground and the
//! timeline. They need `npm ci --prefix tests/js` and `/usr/bin/chromium`;
//! without them the tests are skipped, except on CI, where they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::{Backend, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the JS tools (and, for the browser, Chromium) are installed.
fn tools_ready(needs_browser: bool) -> bool {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let modules = repo().join("tests/js/node_modules/graphql-http").exists();
    let browser = !needs_browser || Path::new(CHROMIUM).exists();
    if node && modules && browser {
        return true;
    }
    let missing = format!("node: {node}, tests/js/node_modules: {modules}, chromium: {browser}");
    crate::helpers::skip(&format!(
        "the JS test tools ({missing}): run `npm ci --prefix tests/js` and install chromium"
    ));
    false
}

/// Runs `node tests/js/<script> <args>` against `app`; fails with its output.
/// The core contract and the extensions implemented, as introspection.mjs takes them.
fn contract_paths() -> PathBuf {
    let paths: Vec<String> = std::iter::once("api-contract.graphql")
        .chain(crate::schema::EXTENSIONS.iter().map(|(file, _)| *file))
        .map(|file| repo().join("tests/contract").join(file).display().to_string())
        .collect();
    PathBuf::from(paths.join(","))
}

async fn node(app: &TestApp, script: &str, extra: &[PathBuf]) {
    let mut command = Command::new("node");
    command
        .arg(repo().join("tests/js").join(script))
        .arg(&app.address)
        .args(extra)
        .current_dir(repo());
    // The server runs on this thread's runtime too: wait without blocking it.
    let output = actix_web::rt::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.lines().last().is_some_and(|l| l.ends_with(" 0 failed")),
        "{script}: {stdout}"
    );
}

#[actix_web::test]
async fn graphql_over_http_audits_pass() {
    if !tools_ready(false) {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    node(&app, "audit.mjs", &[]).await;
}

#[actix_web::test]
async fn graphql_js_builds_our_schema_without_breaking_the_contract() {
    if !tools_ready(false) {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    node(
        &app,
        "introspection.mjs",
        &[contract_paths(), repo().join("schema.graphql")],
    )
    .await;
}

#[actix_web::test]
async fn playground_and_timeline_work_in_a_browser() {
    if !tools_ready(true) {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let closed = TestApp::spawn_with(Backend::Sqlite, |c| c.limits.introspection = false)
        .await
        .unwrap();
    node(&app, "browser.mjs", &[PathBuf::from(&closed.address)]).await;
}
