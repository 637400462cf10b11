//! Kangzhan: a GraphQL API for the battles, forces and commanders of the War
//! of Resistance against Japan (1932-1945).

pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod pool;
pub mod startup;
