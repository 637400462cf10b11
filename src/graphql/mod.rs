//! The GraphQL schema: types, loaders, and the one place it is built.

pub mod batch_scheduler;
pub mod connections;
pub mod executor;
pub mod field_order;
pub mod filters;
pub mod ids;
pub mod limits;
pub mod loaders;
pub mod pagination;
pub mod query;
pub mod scalars;
pub mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use executor::Executor;
pub use query::QueryRoot;

pub type AppSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// The schema's SDL, as `kangzhan schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}
