//! Settings, read from the environment in one place, each with its default.

use std::net::SocketAddr;

/// `DATABASE_URL` when unset: a SQLite file in the working directory,
/// created (and then migrated and seeded) on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kangzhan.db?mode=rwc";
/// `--listen` when not given.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8000";

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// `KANGZHAN_MAX_CONNECTIONS` (default 10): the database pool's size.
    pub max_connections: u32,
    /// Where `serve` listens; set by `--listen`.
    pub listen: SocketAddr,
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
        let max_connections = match std::env::var("KANGZHAN_MAX_CONNECTIONS") {
            Ok(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                format!("KANGZHAN_MAX_CONNECTIONS must be a positive integer, not {v:?}")
            })?,
            Err(_) => 10,
        };
        Ok(Config {
            database_url,
            max_connections,
            listen: DEFAULT_LISTEN.parse().expect("the default address parses"),
        })
    }
}
