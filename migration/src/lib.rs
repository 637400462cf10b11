//! Kangzhan's database migrations (the schema), and the dataset from
//! `migration/data/*.toml`, which `dataset::sync` loads after them.

pub use sea_orm_migration::prelude::*;

pub mod dataset;
mod m20261124_000001_create_schema;
mod m20261124_000002_load_dataset;
mod m20261203_000003_knowledge;
mod m20261203_000004_places_events;
pub mod names;
pub mod passages;
pub mod places;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_schema::Migration),
            Box::new(m20261124_000002_load_dataset::Migration),
            Box::new(m20261203_000003_knowledge::Migration),
            Box::new(m20261203_000004_places_events::Migration),
        ]
    }
}
