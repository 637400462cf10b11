//! `kangzhan`: parse the command line, set up logging, hand over.

use std::io::IsTerminal;
use std::net::TcpListener;
use std::process::ExitCode;

use clap::Parser;
use kangzhan::app::App;
use kangzhan::config::{Cli, Command, Config, LogFormat};
use kangzhan::{data, schema, startup};
use tracing_subscriber::EnvFilter;

// A response is thousands of small allocations (values, boxed field
// futures, rows), where glibc's malloc is slow (the figures:
// docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.config.log_format);
    match run(cli.command.unwrap_or(Command::Serve), cli.config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kangzhan: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, human-readable (coloured on a terminal only) or one
/// JSON object per line; `RUST_LOG` filters them.
fn init_logging(format: LogFormat) {
    let directives = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
    let mut filter = EnvFilter::new(&directives);
    if !directives.contains("actix_http") {
        // actix-http logs every malformed request head at ERROR (a client's
        // mistake, already answered 400), which would let any client write
        // error lines; `RUST_LOG=actix_http=debug` brings them back.
        filter = filter.add_directive("actix_http::h1::dispatcher=off".parse().expect("a valid directive"));
    }
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => logs.json().flatten_event(true).with_current_span(false).init(),
        LogFormat::Human => logs.init(),
    }
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Schema => {
            print!("{}", schema::sdl(&schema::build(&config.limits, Default::default())));
            Ok(())
        }
        Command::Generate { scale } => {
            let db = data::prepare(&config).await?;
            let generated = kangzhan::generate::generate(&db, scale).await?;
            println!(
                "{} times the real data: {} rows added in {:.1} s",
                generated.copies, generated.rows, generated.seconds
            );
            Ok(())
        }
        Command::Migrate => {
            data::prepare(&config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Serve => {
            let db = data::prepare(&config).await?;
            let listener =
                TcpListener::bind(config.listen).map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
            tracing::info!(
                "serving GraphQL on http://{0}/graphql, GraphiQL on http://{0}/",
                config.listen
            );
            startup::serve(listener, App::build(db, &config).await?, &config)
                .map_err(|e| format!("cannot start the server: {e}"))?
                .await
                .map_err(|e| format!("the server stopped: {e}"))?;
            tracing::info!("stopped");
            Ok(())
        }
    }
}
