//! The database goes away and comes back: a throwaway PostgreSQL cluster
//! (initdb + pg_ctl in a temp dir, run as the `postgres` user) is killed
//! under the running server. Requests must fail fast with a clear error,
//! /readyz must turn 503 while /healthz stays 200, and once the database is
//! back, requests succeed again without a restart.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::TestApp;

/// A PostgreSQL cluster of our own, stopped and removed when dropped.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

/// Runs a PostgreSQL tool as the `postgres` user (initdb refuses root).
fn as_postgres(bin: &Path, tool: &str, args: &[&str]) -> std::process::Output {
    Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(bin.join(tool))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"))
}

impl Cluster {
    /// `None` where this machine cannot make one (no PostgreSQL binaries, not
    /// root); on CI that is a failure.
    fn create() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|versions| {
            versions
                .filter_map(Result::ok)
                .map(|v| v.path().join("bin"))
                .find(|b| b.join("pg_ctl").exists())
        });
        let usable = bin.is_some()
            && Command::new("id")
                .arg("-u")
                .output()
                .is_ok_and(|o| o.stdout.starts_with(b"0"));
        let Some(bin) = bin.filter(|_| usable) else {
            crate::helpers::skip("PostgreSQL binaries and root, for a throwaway cluster");
            return None;
        };
        let dir = std::env::temp_dir().join(format!("kangzhan_pg_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let chown = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .unwrap();
        assert!(chown.success());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data = dir.join("data");
        let out = as_postgres(
            &bin,
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let cluster = Cluster { bin, dir, port };
        cluster.start();
        Some(cluster)
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        let out = as_postgres(
            &self.bin,
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Kills the server the hard way, as a crash or a lost host would.
    fn kill(&self) {
        let data = self.dir.join("data");
        let out = as_postgres(
            &self.bin,
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"],
        );
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = as_postgres(
            &self.bin,
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[actix_web::test]
async fn the_server_outlives_its_database() {
    let Some(cluster) = Cluster::create() else {
        return;
    };
    let cluster = Arc::new(cluster);
    let app = TestApp::start(&cluster.url(), None, |_| {}).await;
    let query = json!({ "query": "{ battle(ordinal: 8) { name commanders { name } } }" });
    let status = |path: &'static str| {
        let app = &app;
        async move {
            app.send(app.client.get(format!("{}{path}", app.address)), None)
                .await
                .status
                .as_u16()
        }
    };
    assert_eq!(app.post(&query).await.json()["data"]["battle"]["name"], "武汉会战");
    assert_eq!(status("/readyz").await, 200);

    cluster.kill();
    let started = Instant::now();
    let body = app.post(&query).await.json();
    let failed_in = started.elapsed();
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "SERVICE_UNAVAILABLE", "{body}");
    assert!(error["message"].as_str().unwrap().contains("unavailable"), "{body}");
    assert!(error["extensions"]["requestId"].is_string(), "{body}");
    assert!(failed_in < Duration::from_secs(6), "failed fast: {failed_in:?}");
    // Health checkers give up after a second.
    let started = Instant::now();
    assert_eq!(status("/readyz").await, 503);
    let answered_in = started.elapsed();
    assert!(answered_in < Duration::from_secs(1), "/readyz took {answered_in:?}");
    assert_eq!(status("/healthz").await, 200);

    cluster.start();
    let started = Instant::now();
    loop {
        let body = app.post(&query).await.json();
        if body["data"]["battle"]["name"] == "武汉会战" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not back after 30 s: {body}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status("/readyz").await, 200);

    // A restart while the server idles kills every pooled connection: each
    // statement that finds its connection dead runs again on a new one, so
    // no request fails once PostgreSQL is back.
    for _ in 0..3 {
        let warm = futures_util::future::join_all((0..5).map(|_| app.post(&query))).await;
        assert!(warm.iter().all(|r| r.json()["data"]["battle"]["name"] == "武汉会战"));
        cluster.kill();
        cluster.start();
        for i in 0..10 {
            let body = app.post(&query).await.json();
            assert_eq!(
                body["data"]["battle"]["name"], "武汉会战",
                "request {i} after the restart: {body}"
            );
        }
    }

    // A restart under load: requests sent while PostgreSQL is down may fail
    // (SERVICE_UNAVAILABLE), but none sent after it is back.
    let back: Cell<Option<Instant>> = Cell::new(None);
    let done = Cell::new(false);
    let load = |_| {
        let (app, query, back, done) = (&app, &query, &back, &done);
        async move {
            let mut failed_after_restart = Vec::new();
            let mut answered = 0;
            while !done.get() {
                let sent = Instant::now();
                let body = app.post(query).await.json();
                answered += 1;
                let ok = body["data"]["battle"]["name"] == "武汉会战";
                if !ok && back.get().is_some_and(|back| sent > back) {
                    failed_after_restart.push(body);
                }
            }
            (answered, failed_after_restart)
        }
    };
    let restarts = async {
        for _ in 0..3 {
            actix_web::rt::time::sleep(Duration::from_millis(300)).await;
            back.set(None);
            let c = cluster.clone();
            actix_web::rt::task::spawn_blocking(move || c.kill()).await.unwrap();
            actix_web::rt::time::sleep(Duration::from_millis(200)).await;
            let c = cluster.clone();
            actix_web::rt::task::spawn_blocking(move || c.start()).await.unwrap();
            back.set(Some(Instant::now()));
        }
        actix_web::rt::time::sleep(Duration::from_millis(500)).await;
        done.set(true);
    };
    let (loads, ()) = futures_util::future::join(futures_util::future::join_all((0..4).map(load)), restarts).await;
    for (answered, failed) in loads {
        assert!(answered > 3, "the load ran: {answered} requests");
        assert!(failed.is_empty(), "failed after PostgreSQL was back: {failed:?}");
    }
}
