//! Once loaded the dataset; it is now loaded after every migration by
//! `dataset::sync`, which reloads it whenever the data files change (a
//! data migration written against today's tables could not run on a
//! database that lacks a column a later migration adds). Kept so that
//! databases that ran it stay in step.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
