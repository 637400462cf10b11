//! Settings, read from the environment in one place, each with its default.
//! The README's configuration table lists the same names and defaults.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

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
    /// `KANGZHAN_CORS_ORIGINS` (default `*`): origins allowed to call
    /// `/graphql` from a browser, comma-separated, or `*` for any (the data is
    /// public and read-only). Credentials are allowed only with a list.
    pub cors_origins: CorsOrigins,
    /// `KANGZHAN_CACHE_MAX_AGE` (default 60): seconds a `GET /graphql`
    /// answer may be cached (`Cache-Control: public, max-age=N`).
    pub cache_max_age: u32,
    pub limits: Limits,
}

/// Which browser origins may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    Any,
    List(Vec<String>),
}

impl FromStr for CorsOrigins {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        if value.trim() == "*" {
            return Ok(CorsOrigins::Any);
        }
        let origins: Vec<String> = value
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        match origins
            .iter()
            .find(|o| !(o.starts_with("http://") || o.starts_with("https://")) || *o == "*")
        {
            _ if origins.is_empty() => Err("KANGZHAN_CORS_ORIGINS is empty: give `*` or a list of origins".to_owned()),
            Some(bad) => Err(format!(
                "KANGZHAN_CORS_ORIGINS: {bad:?} is not an origin like https://example.org"
            )),
            None => Ok(CorsOrigins::List(origins)),
        }
    }
}

/// What one request may ask of the server. Each is rejected with a clear
/// error and its own `extensions.code`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// `KANGZHAN_MAX_DEPTH` (12): nesting of fields, introspection excepted.
    pub max_depth: usize,
    /// `KANGZHAN_MAX_COMPLEXITY` (200000): fields weighted by the lists they
    /// sit under (a page counts its size, other lists count 5 each).
    pub max_complexity: usize,
    /// `KANGZHAN_MAX_FIELDS` (2000): fields in an operation, fragments expanded.
    pub max_fields: usize,
    /// `KANGZHAN_MAX_ALIASES` (30): aliased fields in a document.
    pub max_aliases: usize,
    /// `KANGZHAN_MAX_ROOT_FIELDS` (20): fields at the root of an operation.
    pub max_root_fields: usize,
    /// `KANGZHAN_MAX_DIRECTIVES` (50): directives in a document.
    pub max_directives: usize,
    /// `KANGZHAN_MAX_BODY_BYTES` (65536): request body size; larger is a 413.
    pub max_body_bytes: usize,
    /// `KANGZHAN_MAX_BATCH` (0): requests in one batch; 0 turns batching off.
    pub max_batch: usize,
    /// `KANGZHAN_TIMEOUT_MS` (5000): time one request may execute.
    pub timeout: Duration,
    /// `KANGZHAN_INTROSPECTION` (true): `false` turns introspection off.
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 12,
            max_complexity: 200_000,
            max_fields: 2000,
            max_aliases: 30,
            max_root_fields: 20,
            max_directives: 50,
            max_body_bytes: 64 * 1024,
            max_batch: 0,
            timeout: Duration::from_secs(5),
            introspection: true,
        }
    }
}

/// Reads `name`, or gives `default` when it is unset; a value that does
/// not parse is an error that names the variable.
fn env_or<T: FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .map_err(|_| format!("{name} has an invalid value: {value:?}")),
        Err(_) => Ok(default),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let defaults = Limits::default();
        let limits = Limits {
            max_depth: env_or("KANGZHAN_MAX_DEPTH", defaults.max_depth)?,
            max_complexity: env_or("KANGZHAN_MAX_COMPLEXITY", defaults.max_complexity)?,
            max_fields: env_or("KANGZHAN_MAX_FIELDS", defaults.max_fields)?,
            max_aliases: env_or("KANGZHAN_MAX_ALIASES", defaults.max_aliases)?,
            max_root_fields: env_or("KANGZHAN_MAX_ROOT_FIELDS", defaults.max_root_fields)?,
            max_directives: env_or("KANGZHAN_MAX_DIRECTIVES", defaults.max_directives)?,
            max_body_bytes: env_or("KANGZHAN_MAX_BODY_BYTES", defaults.max_body_bytes)?,
            max_batch: env_or("KANGZHAN_MAX_BATCH", defaults.max_batch)?,
            timeout: Duration::from_millis(env_or("KANGZHAN_TIMEOUT_MS", 5000u64)?),
            introspection: env_or("KANGZHAN_INTROSPECTION", defaults.introspection)?,
        };
        let max_connections: u32 = env_or("KANGZHAN_MAX_CONNECTIONS", 10)?;
        if max_connections == 0 {
            return Err("KANGZHAN_MAX_CONNECTIONS must be at least 1".to_owned());
        }
        // Read by main before anything else, since logging starts first;
        // checked here with the rest of the settings.
        if let Ok(other) = std::env::var("KANGZHAN_LOG_FORMAT")
            && other != "human"
            && other != "json"
        {
            return Err(format!("KANGZHAN_LOG_FORMAT must be human or json, not {other:?}"));
        }
        Ok(Config {
            database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned()),
            max_connections,
            listen: DEFAULT_LISTEN.parse().expect("the default address parses"),
            cors_origins: match std::env::var("KANGZHAN_CORS_ORIGINS") {
                Ok(value) => value.parse()?,
                Err(_) => CorsOrigins::Any,
            },
            cache_max_age: env_or("KANGZHAN_CACHE_MAX_AGE", 60)?,
            limits,
        })
    }

    /// The settings for a database URL, everything else at its default.
    pub fn for_database(database_url: &str) -> Self {
        Config {
            database_url: database_url.to_owned(),
            max_connections: 10,
            listen: DEFAULT_LISTEN.parse().expect("the default address parses"),
            cors_origins: CorsOrigins::Any,
            cache_max_age: 60,
            limits: Limits::default(),
        }
    }
}
