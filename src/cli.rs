//! The command line: `kangzhan [serve|migrate|schema|generate]`.

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::config::DEFAULT_LISTEN;

#[derive(Debug, Parser)]
#[command(
    name = "kangzhan",
    version,
    about = "GraphQL API for the War of Resistance against Japan, 1932-1945"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve GraphQL over HTTP (the default).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = DEFAULT_LISTEN)]
        listen: SocketAddr,
    },
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
