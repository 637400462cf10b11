//! The GraphQL schema: the object types and their resolvers (`types`), the
//! root `Query`, inputs (`filters`), Relay connections, global IDs, scalars
//! and the checks every text argument passes (`text`).
//!
//! [`build`] is the one schema builder: `serve`, `kangzhan schema`, the
//! tests, the fuzzers and the benches all use it, so `schema.graphql` is
//! exactly what clients introspect.

pub mod connections;
pub mod filters;
pub mod geo;
pub mod ids;
pub mod lang;
pub mod orders;
pub mod query;
pub mod scalars;
pub mod search;
pub mod text;
pub mod types;

use async_graphql::{EmptyMutation, EmptySubscription, SDLExportOptions, Schema};

use std::sync::Arc;

use crate::config::Limits;
use crate::search::SearchIndex;
pub use query::QueryRoot;

pub type AppSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// The schema with its limits and the search index. The database handle and the loaders are
/// added per request (`data::loaders::for_request`), so that each request
/// counts its own statements.
pub fn build(limits: &Limits, index: Arc<SearchIndex>) -> AppSchema {
    let mut builder = Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .limit_complexity(limits.max_complexity)
        .data(index);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The schema's SDL as `kangzhan schema` prints it, `/schema.graphql` serves
/// it and `schema.graphql` holds it: with `@specifiedBy`, which introspection
/// shows and async-graphql's export leaves out unless asked.
pub fn sdl(schema: &AppSchema) -> String {
    schema.sdl_with_options(SDLExportOptions::new().include_specified_by())
}
