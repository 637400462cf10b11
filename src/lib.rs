//! Kangzhan: a GraphQL API for the battles, forces and commanders of the War
//! of Resistance against Japan (1932-1945).
//!
//! - `schema`: the GraphQL types and their resolvers;
//! - `data`: the database, the connections requests hold, loaders, pagination;
//! - `pipeline`: one GraphQL request from its text to its response;
//! - `http`: GraphQL over HTTP, the pages, the operator's endpoints;
//! - `app` builds it all once; `startup` serves it; `config` holds every setting.

pub mod app;
pub mod config;
pub mod data;
pub mod error;
pub mod generate;
pub mod http;
pub mod metrics;
pub mod pipeline;
pub mod schema;
pub mod search;
pub mod startup;
