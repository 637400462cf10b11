//! The command line and every setting, in one place: each setting is a flag
//! and an environment variable with its default written once, here, so that
//! `kangzhan --help` lists them all. The README's configuration table
//! mirrors it.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "kangzhan",
    version,
    about = "GraphQL API for the War of Resistance against Japan, 1932-1945"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve GraphQL over HTTP (the default).
    Serve,
    /// Apply pending migrations (schema and dataset) and exit.
    Migrate,
    /// Print the GraphQL schema (SDL) and exit.
    Schema,
    /// Fill a fresh database with a synthetic dataset N times the real one,
    /// for benchmarks and scale tests (applies migrations first).
    Generate {
        /// How many times the real data: 1000 gives 30000 battles.
        #[arg(long)]
        scale: i32,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// The database: `sqlite://...` or `postgres://...`; SQLite is created,
    /// migrated and seeded on first start.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://kangzhan.db?mode=rwc",
        hide_env_values = true,
        global = true
    )]
    pub database_url: String,
    /// Where `serve` listens.
    #[arg(long, env = "KANGZHAN_LISTEN", default_value = "127.0.0.1:8000", global = true)]
    pub listen: SocketAddr,
    /// Database connections this server holds at most, all uses together.
    #[arg(long, env = "KANGZHAN_MAX_CONNECTIONS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_connections: u32,
    /// How long a request waits to connect to, or for a connection of, the
    /// database before it is answered SERVICE_UNAVAILABLE (ms).
    #[arg(long = "database-timeout-ms", env = "KANGZHAN_DATABASE_TIMEOUT_MS", default_value = "2000",
          value_parser = millis, global = true)]
    pub database_timeout: Duration,
    /// Browser origins allowed on the API: `*`, or a comma-separated list of
    /// origins that may then send credentials.
    #[arg(long, env = "KANGZHAN_CORS_ORIGINS", default_value = "*", global = true)]
    pub cors_origins: CorsOrigins,
    /// `max-age` of cacheable `GET /graphql` answers (seconds).
    #[arg(long, env = "KANGZHAN_CACHE_MAX_AGE", default_value_t = 60, global = true)]
    pub cache_max_age: u32,
    /// Log lines as human-readable text or one JSON object each.
    #[arg(long, env = "KANGZHAN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human, global = true)]
    pub log_format: LogFormat,
    /// How long requests in flight may take to finish after SIGTERM (seconds).
    #[arg(long, env = "KANGZHAN_SHUTDOWN_GRACE_SECS", default_value_t = 10, global = true)]
    pub shutdown_grace_secs: u64,
    #[command(flatten)]
    pub http: HttpLimits,
    #[command(flatten)]
    pub limits: Limits,
}

/// What one client connection may take of the server.
#[derive(Debug, Clone, Args)]
pub struct HttpLimits {
    /// Time a client has to send a request's body once its headers are in (ms);
    /// a slower one is answered 408 and disconnected.
    #[arg(long = "body-timeout-ms", env = "KANGZHAN_BODY_TIMEOUT_MS", default_value = "5000",
          value_parser = millis, global = true)]
    pub body_timeout: Duration,
    /// Time a client has to send a request's headers (ms).
    #[arg(long = "header-timeout-ms", env = "KANGZHAN_HEADER_TIMEOUT_MS", default_value = "5000",
          value_parser = millis, global = true)]
    pub header_timeout: Duration,
    /// Client connections held open at once; further ones wait in the
    /// kernel's backlog. 0: derived from the open-file limit, so that the
    /// server never runs out of file descriptors.
    #[arg(long, env = "KANGZHAN_MAX_CLIENT_CONNECTIONS", default_value_t = 0, global = true)]
    pub max_client_connections: usize,
}

/// What one request may ask of the server. Each is rejected with a clear
/// error and its own `extensions.code`.
#[derive(Debug, Clone, Args)]
pub struct Limits {
    /// Nesting of fields, introspection excepted.
    #[arg(long, env = "KANGZHAN_MAX_DEPTH", default_value_t = 12, global = true)]
    pub max_depth: usize,
    /// Fields weighted by the lists they sit under (a page counts its size,
    /// other lists 5 or 50).
    #[arg(long, env = "KANGZHAN_MAX_COMPLEXITY", default_value_t = 200_000, global = true)]
    pub max_complexity: usize,
    /// Fields in an operation, fragments expanded.
    #[arg(long, env = "KANGZHAN_MAX_FIELDS", default_value_t = 2000, global = true)]
    pub max_fields: usize,
    /// Aliased fields in a document.
    #[arg(long, env = "KANGZHAN_MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,
    /// Fields at the root of an operation.
    #[arg(long, env = "KANGZHAN_MAX_ROOT_FIELDS", default_value_t = 20, global = true)]
    pub max_root_fields: usize,
    /// Directives in a document.
    #[arg(long, env = "KANGZHAN_MAX_DIRECTIVES", default_value_t = 50, global = true)]
    pub max_directives: usize,
    /// Request body size; larger is a 413.
    #[arg(long, env = "KANGZHAN_MAX_BODY_BYTES", default_value_t = 64 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Requests in one batch; 0 turns batching off.
    #[arg(long, env = "KANGZHAN_MAX_BATCH", default_value_t = 0, global = true)]
    pub max_batch: usize,
    /// Time one request (or batch) may execute (ms).
    #[arg(long = "timeout-ms", env = "KANGZHAN_TIMEOUT_MS", default_value = "5000",
          value_parser = millis, global = true)]
    pub timeout: Duration,
    /// `false` turns introspection (and `/schema.graphql`) off.
    #[arg(long, env = "KANGZHAN_INTROSPECTION", default_value = "true",
          value_parser = BoolishValueParser::new(), action = clap::ArgAction::Set, global = true)]
    pub introspection: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

fn millis(text: &str) -> Result<Duration, String> {
    text.parse::<u64>()
        .map(Duration::from_millis)
        .map_err(|_| format!("{text:?} is not a number of milliseconds"))
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
        if origins.is_empty() {
            return Err("give `*` or a list of origins".to_owned());
        }
        match origins
            .iter()
            .find(|o| !(o.starts_with("http://") || o.starts_with("https://")))
        {
            Some(bad) => Err(format!("{bad:?} is not an origin like https://example.org")),
            None => Ok(CorsOrigins::List(origins)),
        }
    }
}

impl Config {
    /// The settings of this process: flags, then the environment, then the defaults.
    pub fn from_env() -> Self {
        Cli::parse_from(["kangzhan"]).config
    }

    /// The settings for a database URL, everything else from the environment
    /// or its default (tests, benchmarks, the fuzzer).
    pub fn for_database(database_url: &str) -> Self {
        Config {
            database_url: database_url.to_owned(),
            ..Config::from_env()
        }
    }
}
