//! The GraphQL schema: types, loaders, and the one place it is built.

pub mod connections;
pub mod field_order;
pub mod filters;
pub mod ids;
pub mod limits;
pub mod loaders;
pub mod pagination;
pub mod query;
pub mod scalars;
pub mod types;

use std::sync::Arc;

use async_graphql::extensions::apollo_persisted_queries::{ApolloPersistedQueries, LruCacheStorage};
use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use crate::config::Limits;

pub use query::QueryRoot;

pub type AppSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Builds the schema once, with its limits. The database connection and the
/// loaders are added per request (`http::graphql`), so that each request
/// counts its own SQL statements; `db` here serves in-process execution.
pub fn build_schema(db: DatabaseConnection, limits: Arc<Limits>) -> AppSchema {
    let mut builder = Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .data(db)
        // First, so that a persisted query's text is in place before the
        // limits look at it. Each instance keeps its own cache; a miss tells
        // the client to send the text again, as the APQ protocol expects.
        .extension(ApolloPersistedQueries::new(LruCacheStorage::new(1024)))
        .extension(limits::QueryLimits(limits.clone()))
        .extension(field_order::FieldOrder);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The schema's SDL, as `kangzhan schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}
