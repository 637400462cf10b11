//! The `kangzhan` binary as the README uses it: `serve` with the defaults
//! creates, migrates and seeds `kangzhan.db` in the working directory;
//! `schema` prints the SDL; bad settings end with a message, not a panic.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_kangzhan");

/// A child process killed when dropped, so a failing test leaves none behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[actix_web::test]
async fn serve_with_defaults_seeds_sqlite_and_answers() {
    let dir = std::env::temp_dir().join(format!("kangzhan_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let _server = Running(
        Command::new(BINARY)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start kangzhan serve"),
    );

    let client = awc::Client::default();
    let started = Instant::now();
    loop {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            && response.status().is_success()
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not come up"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let mut response = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .send_json(&serde_json::json!({ "query": "{ battles { totalCount } }" }))
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["battles"]["totalCount"], 30);
    assert!(
        dir.join("kangzhan.db").exists(),
        "the default database is kangzhan.db in the working directory"
    );
    drop(_server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn schema_prints_the_checked_in_sdl() {
    let output = Command::new(BINARY).arg("schema").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        include_str!("../../schema.graphql")
    );
}

#[test]
fn bad_settings_end_with_a_message() {
    for (database_url, words) in [
        (
            "sqlite:///nonexistent-dir/sub/kangzhan.db?mode=rwc",
            "cannot connect to the database",
        ),
        (
            "mysql://nobody@127.0.0.1:1/none",
            "cannot connect to the database",
        ),
    ] {
        let output = Command::new(BINARY)
            .arg("migrate")
            .env("DATABASE_URL", database_url)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{database_url}: {stderr}");
        assert!(
            stderr.contains(words) && !stderr.contains("panicked"),
            "{database_url}: {stderr}"
        );
    }
    let output = Command::new(BINARY)
        .args(["serve", "--listen", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "clap rejects the address");
}
