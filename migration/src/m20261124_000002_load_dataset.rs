//! Loads the dataset in `migration/data/` into the empty tables.

use entity::{battle, battle_force, battle_side, belligerent, command, commander, force, phase};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::EntityTrait;

use crate::dataset;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dataset::insert(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        command::Entity::delete_many().exec(db).await?;
        battle_force::Entity::delete_many().exec(db).await?;
        battle_side::Entity::delete_many().exec(db).await?;
        battle::Entity::delete_many().exec(db).await?;
        commander::Entity::delete_many().exec(db).await?;
        force::Entity::update_many()
            .col_expr(force::Column::ParentId, Expr::value(Option::<i32>::None))
            .exec(db)
            .await?;
        force::Entity::delete_many().exec(db).await?;
        belligerent::Entity::delete_many().exec(db).await?;
        phase::Entity::delete_many().exec(db).await?;
        Ok(())
    }
}
