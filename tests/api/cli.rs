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
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[actix_web::test]
async fn serve_with_defaults_seeds_sqlite_and_answers() {
    let dir = std::env::temp_dir().join(format!("kangzhan_cli_{}", std::process::id()));
    let (server, port) = serve(&dir, None, &[]).await;
    let client = awc::Client::default();
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
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts `kangzhan serve` over a fresh SQLite file, stderr to `log`; waits
/// until it answers.
async fn serve(dir: &std::path::Path, log: Option<&std::path::Path>, env: &[(&str, &str)]) -> (Running, u16) {
    serve_in(Command::new(BINARY), dir, log, env).await
}

/// As `serve`, under `ulimit -n open_files`.
async fn serve_limited(
    dir: &std::path::Path,
    log: &std::path::Path,
    env: &[(&str, &str)],
    open_files: u32,
) -> (Running, u16) {
    let mut shell = Command::new("sh");
    shell.args(["-c", &format!("ulimit -n {open_files} && exec \"$0\" \"$@\""), BINARY]);
    serve_in(shell, dir, Some(log), env).await
}

async fn serve_in(
    mut command: Command,
    dir: &std::path::Path,
    log: Option<&std::path::Path>,
    env: &[(&str, &str)],
) -> (Running, u16) {
    std::fs::create_dir_all(dir).unwrap();
    let port = free_port();
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null());
    match log {
        Some(log) => command.stderr(std::fs::File::create(log).unwrap()),
        None => command.stderr(Stdio::null()),
    };
    for (key, value) in env {
        command.env(key, value);
    }
    let server = Running(command.spawn().expect("start kangzhan serve"));
    let client = awc::Client::default();
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("http://127.0.0.1:{port}/healthz")).send().await
            && response.status().is_success()
        {
            return (server, port);
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not come up"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

fn sigterm(server: &Running) {
    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for the process to end by itself, and gives its exit code.
fn exit_code(server: &mut Running, within: Duration) -> Option<i32> {
    let started = Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            return status.code();
        }
        assert!(started.elapsed() < within, "still running after {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[actix_web::test]
async fn sigterm_lets_requests_in_flight_finish() {
    let dir = std::env::temp_dir().join(format!("kangzhan_sigterm_{}", std::process::id()));
    let (mut server, port) = serve(&dir, None, &[]).await;
    let client = awc::Client::builder().timeout(Duration::from_secs(30)).finish();
    let query = serde_json::json!({ "query": "{ commanders(first: 100) { nodes { battles { commanders { battles { forces { name } } } } } } }" });
    let requests: Vec<_> = (0..8)
        .map(|_| {
            client
                .post(format!("http://127.0.0.1:{port}/graphql"))
                .send_json(&query)
        })
        .collect();
    let in_flight = futures_util::future::join_all(requests);
    let answers = async {
        // Let the requests reach the server, then ask it to stop. Each takes
        // over a second in a debug build; 30 ms was too short for all eight
        // connections to be accepted while the whole suite loads the machine.
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        sigterm(&server);
    };
    let (responses, ()) = futures_util::join!(in_flight, answers);
    for response in responses {
        let mut response = response.expect("answered despite SIGTERM");
        assert!(response.status().is_success());
        let body: serde_json::Value = response.json().limit(16 << 20).await.unwrap();
        assert!(
            body["data"]["commanders"]["nodes"]
                .as_array()
                .is_some_and(|n| n.len() > 30),
            "{body}"
        );
    }
    assert_eq!(exit_code(&mut server, Duration::from_secs(15)), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix_web::test]
async fn logs_one_json_line_per_request() {
    let dir = std::env::temp_dir().join(format!("kangzhan_logs_{}", std::process::id()));
    let log = dir.join("stderr.log");
    std::fs::create_dir_all(&dir).unwrap();
    let (mut server, port) = serve(&dir, Some(&log), &[("KANGZHAN_LOG_FORMAT", "json")]).await;
    let mut response = awc::Client::default()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .insert_header(("x-request-id", "log-test-1"))
        .send_json(&serde_json::json!({ "query": "query Phases { phases { name battles { name } } }" }))
        .await
        .unwrap();
    let _ = response.body().await;
    sigterm(&server);
    assert_eq!(exit_code(&mut server, Duration::from_secs(15)), Some(0));

    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let line = lines
        .iter()
        .find(|l| l["request_id"] == "log-test-1")
        .unwrap_or_else(|| panic!("no line for the request in\n{text}"));
    assert_eq!(line["operation"], "Phases");
    assert_eq!(line["status"], 200);
    assert_eq!(line["sql_statements"], 2, "{line}");
    assert!(line["duration_ms"].as_f64().is_some(), "{line}");
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
        ("mysql://nobody@127.0.0.1:1/none", "cannot connect to the database"),
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

#[test]
fn every_setting_is_a_flag_and_a_variable() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for setting in [
        "DATABASE_URL",
        "KANGZHAN_LISTEN",
        "KANGZHAN_MAX_CONNECTIONS",
        "KANGZHAN_BODY_TIMEOUT_MS",
        "KANGZHAN_INTROSPECTION",
        "KANGZHAN_MAX_DEPTH",
        "KANGZHAN_TIMEOUT_MS",
    ] {
        assert!(help.contains(setting), "{setting} not in --help:\n{help}");
    }
    // `--listen` and KANGZHAN_LISTEN work without `serve`: clap reads them
    // (and refuses a bad address) for the default command too.
    let flag = Command::new(BINARY)
        .args(["--listen", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(flag.status.code(), Some(2), "{}", String::from_utf8_lossy(&flag.stderr));
    let variable = Command::new(BINARY)
        .env("KANGZHAN_LISTEN", "not-an-address")
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(variable.status.code(), Some(2));
}

/// 300 clients that send part of a request and then nothing (150 stalled
/// bodies, 150 stalled GET heads), against a server allowed 256 open files:
/// the connection cap keeps descriptors for the database, the timeouts free
/// the slots, and health checks and queries still get answers.
#[actix_web::test]
async fn stalled_clients_do_not_starve_the_server() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("kangzhan_stalled_{}", std::process::id()));
    let log = dir.join("stderr.log");
    let settings = [
        ("KANGZHAN_BODY_TIMEOUT_MS", "1000"),
        ("KANGZHAN_HEADER_TIMEOUT_MS", "1000"),
        ("KANGZHAN_LOG_FORMAT", "json"),
    ];
    let (server, port) = serve_limited(&dir, &log, &settings, 256).await;
    let address = format!("127.0.0.1:{port}");
    let stalled: Vec<std::net::TcpStream> = (0..300)
        .map(|i| {
            let mut stream = std::net::TcpStream::connect(&address).unwrap();
            let head: &[u8] = if i % 2 == 0 {
                b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\""
            } else {
                b"GET /graphql?query=%7B%20phases%20%7B%20name%20%7D%20%7D HTTP/1.1\r\nHost: x\r\n"
            };
            stream.write_all(head).unwrap();
            stream
        })
        .collect();

    // And a malformed head, which actix-http would log at ERROR.
    let mut malformed = std::net::TcpStream::connect(&address).unwrap();
    malformed.write_all(b"GARBAGE / HTTP/9\r\n\r\n").unwrap();

    let client = awc::Client::builder().timeout(Duration::from_secs(10)).finish();
    let started = Instant::now();
    let health = client.get(format!("http://{address}/healthz")).send().await;
    assert!(health.is_ok_and(|r| r.status().is_success()), "/healthz");
    let mut response = client
        .post(format!("http://{address}/graphql"))
        .send_json(&serde_json::json!({ "query": "{ battle(ordinal: 4) { name } }" }))
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["battle"]["name"], "淞沪会战", "{body}");
    let waited = started.elapsed();
    // Each slot frees within a timeout: two rounds of stalled clients at most.
    assert!(waited < Duration::from_secs(6), "answered after {waited:?}");
    drop(stalled);
    drop(server);
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("Too many open files"), "{log}");
    assert!(
        !log.contains("\"level\":\"ERROR\""),
        "client mistakes are not errors: {log}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
