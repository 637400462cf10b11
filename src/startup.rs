//! Serving: bind, the HTTP server's own limits, the routes, graceful stop.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{HttpServer, web};

use crate::app::App;
use crate::config::Config;
use crate::http::{request_log, routes};

/// Starts serving `app` on an already-bound listener (tests bind port 0).
/// The server stops gracefully on SIGTERM and SIGINT: it stops accepting,
/// lets in-flight requests finish (up to the shutdown grace), then resolves.
pub fn serve(listener: TcpListener, app: App, config: &Config) -> std::io::Result<Server> {
    let routes = routes(app.cors_origins.clone());
    let app = web::Data::new(app);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let server = HttpServer::new(move || {
        actix_web::App::new()
            .app_data(app.clone())
            .wrap(Compress::default())
            .wrap(from_fn(request_log::middleware))
            .configure(routes.clone())
    })
    .workers(workers)
    .client_request_timeout(config.http.header_timeout)
    .max_connections(client_connections_per_worker(config, workers))
    .shutdown_timeout(config.shutdown_grace_secs)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Client connections each worker holds at most: the setting, or what the
/// open-file limit leaves after the database connections and some room for
/// files, so that accepting never fails for want of a descriptor (a
/// connection over the cap waits in the kernel's backlog instead).
fn client_connections_per_worker(config: &Config, workers: usize) -> usize {
    let total = match config.http.max_client_connections {
        0 => open_file_limit().map_or(25_000, |limit| {
            limit.saturating_sub(config.max_connections as usize + 64).max(16)
        }),
        n => n,
    };
    (total / workers).max(1)
}

/// The soft limit on open files, from /proc (Linux); `None` elsewhere.
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}
