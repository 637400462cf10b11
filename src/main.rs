//! `kangzhan`: parse the command line, set up logging and config, hand over.

use std::net::TcpListener;
use std::process::ExitCode;

use clap::Parser;
use kangzhan::cli::{Cli, Command};
use kangzhan::config::{Config, DEFAULT_LISTEN};
use kangzhan::{graphql, startup};
use tracing_subscriber::EnvFilter;

// A response is thousands of small allocations (values, boxed field
// futures, rows); glibc's malloc took a fifth of the deep traversal's time,
// mimalloc a third of that (bench/results, docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kangzhan: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, human-readable unless `KANGZHAN_LOG_FORMAT=json`;
/// `RUST_LOG` filters them. (Read here, before anything logs; a bad value
/// is reported with the rest of the configuration.)
fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("KANGZHAN_LOG_FORMAT").as_deref() == Ok("json") {
        logs.json().flatten_event(true).with_current_span(false).init();
    } else {
        logs.init();
    }
}

async fn run(command: Option<Command>) -> Result<(), String> {
    let command = command.unwrap_or(Command::Serve {
        listen: DEFAULT_LISTEN.parse().expect("default address"),
    });
    match command {
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Generate { scale } => {
            let config = Config::from_env()?;
            let db = startup::prepare_database(&config).await?;
            let generated = kangzhan::generate::generate(&db, scale).await?;
            println!(
                "{} times the real data: {} rows added in {:.1} s",
                generated.copies, generated.rows, generated.seconds
            );
            Ok(())
        }
        Command::Migrate => {
            let config = Config::from_env()?;
            startup::prepare_database(&config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Serve { listen } => {
            let mut config = Config::from_env()?;
            config.listen = listen;
            let db = startup::prepare_database(&config).await?;
            let listener =
                TcpListener::bind(config.listen).map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
            tracing::info!(
                "serving GraphQL on http://{0}/graphql, GraphiQL on http://{0}/",
                config.listen
            );
            startup::run(listener, db, &config)
                .map_err(|e| format!("cannot start the server: {e}"))?
                .await
                .map_err(|e| format!("the server stopped: {e}"))?;
            tracing::info!("stopped");
            Ok(())
        }
    }
}
