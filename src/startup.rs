//! Wiring: connect, migrate, build the schema once, bind, serve.

use std::net::TcpListener;
use std::time::Instant;

use actix_web::dev::{Server, Service};
use actix_web::{App, HttpServer, web};
use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::graphql::build_schema;
use crate::http::{AppState, playground_html, routes};

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

/// Starts serving on an already-bound listener (tests bind port 0).
pub fn run(listener: TcpListener, db: DatabaseConnection) -> std::io::Result<Server> {
    let state = web::Data::new(AppState {
        schema: build_schema(db.clone()),
        db,
        playground: playground_html().into(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap_fn(|req, srv| {
                let started = Instant::now();
                let method = req.method().clone();
                let path = req.path().to_owned();
                let fut = srv.call(req);
                async move {
                    let res = fut.await?;
                    tracing::info!(
                        %method, %path, status = res.status().as_u16(),
                        ms = started.elapsed().as_secs_f64() * 1000.0, "request"
                    );
                    Ok(res)
                }
            })
            .configure(routes)
    })
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
