//! Black-box tests: each starts the real server on a free port, over a
//! fresh database, and talks to it over HTTP. Tests that need a database
//! run twice, on SQLite and on PostgreSQL (see `db_test!`).

mod helpers;

mod cli;
mod data;
mod faults;
mod fuzz;
mod graphql;
mod http;
mod js;
mod judges;
mod knowledge;
mod limits;
mod observability;
mod places;
mod pool;
mod questions;
mod scale;
mod schema;
mod search;
mod statements;
mod web;
