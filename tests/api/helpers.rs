//! `TestApp`: the server on a free port over a scratch database, and an
//! HTTP client to talk to it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use kangzhan::config::Config;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

/// Runs an async test body once on SQLite and once on PostgreSQL:
/// `db_test!(name)` for `async fn name(app: TestApp)`.
#[macro_export]
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            use $crate::helpers::{Backend, TestApp};

            #[actix_web::test]
            async fn sqlite() {
                super::$name(
                    TestApp::spawn(Backend::Sqlite)
                        .await
                        .expect("SQLite is always there"),
                )
                .await
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = TestApp::spawn(Backend::Postgres).await {
                    super::$name(app).await
                }
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests make their scratch databases on.
fn postgres_admin_url() -> String {
    std::env::var("KANGZHAN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Whether CI runs this (`CI=true`): there a missing tool is a failure.
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says that a test is skipped for want of `what`, where cargo does not
/// hide it (it keeps a passing test's output to itself); on CI, fails.
pub fn skip(what: &str) {
    assert!(!on_ci(), "CI must have {what}");
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}

/// Whether PostgreSQL answers at `admin_url`, asked once per test run (a
/// connect timeout for each test made a run without it take minutes).
fn postgres_reachable(admin_url: &str) -> bool {
    static REACHABLE: OnceLock<bool> = OnceLock::new();
    *REACHABLE.get_or_init(|| {
        let address = admin_url
            .split('@')
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("127.0.0.1:5432");
        let reachable = address
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok());
        if !reachable {
            skip(&format!(
                "PostgreSQL at {admin_url}: every PostgreSQL half of the suite is skipped \
                 (set KANGZHAN_TEST_POSTGRES_URL, or start PostgreSQL)"
            ));
        }
        reachable
    })
}

fn unique_suffix() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A scratch database, removed when dropped (even when the test panics).
pub enum Scratch {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match self {
            Scratch::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Scratch::PostgresDatabase { admin_url, name } => {
                let (admin_url, database) = (admin_url.clone(), name.clone());
                // Drop runs outside async code: use a runtime of our own.
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                    runtime.block_on(async {
                        let admin = Database::connect(&admin_url).await.map_err(std::io::Error::other)?;
                        admin
                            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"))
                            .await
                            .map_err(std::io::Error::other)?;
                        Ok::<_, std::io::Error>(())
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop the scratch database {name}: {dropped:?}");
                }
            }
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: awc::Client,
    /// The database the server runs on, for tests that go behind its back.
    pub database_url: String,
    // Dropped last: the server's connections go first.
    _scratch: Option<Scratch>,
}

/// A response, its body read and parsed as JSON where it is JSON.
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: actix_web::http::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl TestApp {
    /// The server over a fresh, migrated and seeded database; `None` when
    /// PostgreSQL is wanted but not reachable and this is not CI (on CI,
    /// `CI=true`, that is a failure).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with settings changed by `configure` first.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let (database_url, scratch) = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("kangzhan_test_{}.db", unique_suffix()));
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Scratch::SqliteFile(path),
                )
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                if !postgres_reachable(&admin_url) {
                    return None;
                }
                let admin = Database::connect(&admin_url).await.expect("connect to PostgreSQL");
                let name = format!("kangzhan_test_{}", unique_suffix());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create the scratch database");
                admin.close().await.ok();
                let (base, _) = admin_url.rsplit_once('/').expect("the URL names a database");
                (
                    format!("{base}/{name}"),
                    Scratch::PostgresDatabase {
                        admin_url: admin_url.clone(),
                        name,
                    },
                )
            }
        };

        Some(Self::start(&database_url, Some(scratch), configure).await)
    }

    /// The server over an existing database (migrated and seeded if need be).
    pub async fn start(database_url: &str, scratch: Option<Scratch>, configure: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(database_url);
        config.max_connections = 5;
        configure(&mut config);
        let db = kangzhan::data::prepare(&config).await.expect("migrate and seed");

        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().unwrap().port();
        let app = kangzhan::app::App::build(db, &config).await.expect("build the app");
        let server = kangzhan::startup::serve(listener, app, &config).expect("start the server");
        actix_web::rt::spawn(server);

        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            database_url: database_url.to_owned(),
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            _scratch: scratch,
        }
    }

    /// SQL statements the server has run so far, from its /metrics.
    pub async fn statements(&self) -> usize {
        self.metric("kangzhan_sql_statements_total").await as usize
    }

    /// A metric without labels, from /metrics.
    pub async fn metric(&self, name: &str) -> f64 {
        let metrics = self
            .send(self.client.get(format!("{}/metrics", self.address)), None)
            .await;
        metrics
            .text
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {}", metrics.text))
    }

    pub async fn send(&self, request: awc::ClientRequest, body: Option<&[u8]>) -> Reply {
        let sent = match body {
            Some(body) => request.send_body(body.to_vec()).await,
            None => request.send().await,
        };
        let mut response = sent.expect("the server answers");
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("read the body");
        Reply {
            headers: response.headers().clone(),
            status: response.status(),
            content_type: response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// POSTs a JSON body to /graphql.
    pub async fn post(&self, body: &Value) -> Reply {
        let request = self
            .client
            .post(format!("{}/graphql", self.address))
            .insert_header(("content-type", "application/json"));
        self.send(request, Some(body.to_string().as_bytes())).await
    }

    /// Runs a query that must succeed, and returns its `data`.
    pub async fn query(&self, query: &str) -> Value {
        self.query_with(query, json!({})).await
    }

    pub async fn query_with(&self, query: &str, variables: Value) -> Value {
        let reply = self.post(&json!({ "query": query, "variables": variables })).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let body = reply.json();
        assert!(body.get("errors").is_none(), "unexpected errors for {query}: {body}");
        body["data"].clone()
    }

    /// Runs a query that must fail, and returns its first error.
    pub async fn query_error(&self, query: &str) -> Value {
        let reply = self.post(&json!({ "query": query })).await;
        let body = reply.json();
        body["errors"][0].clone()
    }
}

/// Sends `head` on a raw socket, then reads one answer (to its
/// `Content-Length`, else to the end) or until `within` has passed.
pub fn raw(address: &str, head: &[u8], within: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(address.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(within)).unwrap();
    stream.write_all(head).unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0; 8192];
    while let Ok(n @ 1..) = stream.read(&mut chunk) {
        answer.extend_from_slice(&chunk[..n]);
        if response_complete(&answer) || started.elapsed() > within {
            break;
        }
    }
    (String::from_utf8_lossy(&answer).into_owned(), started.elapsed())
}

/// Whether `answer` holds a whole HTTP/1.1 response with a `Content-Length`.
fn response_complete(answer: &[u8]) -> bool {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse::<usize>().ok());
    length.is_some_and(|length| answer.len() >= end + 4 + length)
}
