//! The GraphQL schema: types, loaders, and the one place it is built.

pub mod connections;
pub mod field_order;
pub mod filters;
pub mod ids;
pub mod loaders;
pub mod pagination;
pub mod query;
pub mod scalars;
pub mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

pub use query::QueryRoot;

pub type AppSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Builds the schema once, with the database connection every resolver
/// shares. Loaders are added per request (`loaders::for_request`).
pub fn build_schema(db: DatabaseConnection) -> AppSchema {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .data(db)
        .extension(field_order::FieldOrder)
        .finish()
}

/// The schema's SDL, as `kangzhan schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}
