//! `kangzhan`: parse the command line, set up logging and config, hand over.

use std::net::TcpListener;
use std::process::ExitCode;

use clap::Parser;
use kangzhan::cli::{Cli, Command};
use kangzhan::config::{Config, DEFAULT_LISTEN};
use kangzhan::{graphql, startup};
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kangzhan: {message}");
            ExitCode::FAILURE
        }
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
            let listener = TcpListener::bind(config.listen)
                .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
            tracing::info!(
                "serving GraphQL on http://{}/graphql, GraphiQL on http://{}/",
                config.listen,
                config.listen
            );
            startup::run(listener, db, &config)
                .map_err(|e| format!("cannot start the server: {e}"))?
                .await
                .map_err(|e| format!("the server stopped: {e}"))
        }
    }
}
