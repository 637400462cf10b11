//! Wiring: connect, migrate, build the schema once, bind, serve.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Compress;
use actix_web::{App, HttpMessage, HttpServer, web};
use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::graphql::Executor;
use crate::http::request_log::{REQUEST_ID_HEADER, RequestId, request_id};
use crate::http::{AppState, RequestLog, routes};
use crate::pool::Pool;

/// How long in-flight requests may take to finish after SIGTERM or SIGINT.
const SHUTDOWN_GRACE_SECS: u64 = 10;

/// Connects to the configured database and applies pending migrations.
pub async fn prepare_database(config: &Config) -> Result<DatabaseConnection, String> {
    let db = crate::db::connect(config).await.map_err(|e| {
        format!(
            "cannot connect to the database at {}: {e}",
            redact(&config.database_url)
        )
    })?;
    crate::db::migrate(&db)
        .await
        .map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok(db)
}

/// Starts serving on an already-bound listener (tests bind port 0). The
/// server stops gracefully on SIGTERM and SIGINT: it stops accepting, lets
/// in-flight requests finish (up to `SHUTDOWN_GRACE_SECS`), then resolves.
pub fn run(listener: TcpListener, db: DatabaseConnection, config: &Config) -> std::io::Result<Server> {
    let executor = Executor::new(Arc::new(config.limits.clone()));
    let pool = Pool::new(db.clone(), config.max_connections as usize, crate::db::ACQUIRE_TIMEOUT);
    let state = web::Data::new(AppState::new(
        executor,
        pool,
        db,
        config.limits.clone(),
        config.cache_max_age,
    ));
    let routes = routes(config.cors_origins.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(Compress::default())
            .wrap_fn(|req, srv| {
                let started = Instant::now();
                let id = request_id(req.headers());
                req.extensions_mut().insert(RequestId(id.clone()));
                let (method, path) = (req.method().clone(), req.path().to_owned());
                let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Ok(value) = HeaderValue::from_str(&id) {
                        res.headers_mut()
                            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
                    }
                    let log = res
                        .response()
                        .extensions()
                        .get::<RequestLog>()
                        .cloned()
                        .unwrap_or_default();
                    let seconds = started.elapsed().as_secs_f64();
                    if let (Some(code), Some(metrics)) = (&log.rejected, &metrics) {
                        metrics.observe_request(None, "rejected", seconds);
                        metrics.count_error(code);
                    }
                    tracing::info!(
                        request_id = %id,
                        %method,
                        %path,
                        status = res.status().as_u16(),
                        duration_ms = seconds * 1000.0,
                        operation = log.operation.as_deref().unwrap_or(""),
                        sql_statements = log.statements,
                        errors = log.errors,
                        "request"
                    );
                    Ok(res)
                }
            })
            .configure(routes.clone())
    })
    .shutdown_timeout(SHUTDOWN_GRACE_SECS)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
