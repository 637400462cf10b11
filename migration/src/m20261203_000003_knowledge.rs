//! Names in every script, the passages of the source behind each link and
//! figure, the dataset's editorial remarks, and the dataset's fingerprint.
//! Two forces of one belligerent may now share a name (第5军 of 1932 and of
//! 1939), so that index is no longer unique (nor again after `down`).

use entity::{
    battle, battle_force, battle_side, belligerent, command, commander, dataset_state, force, passage, phase,
    record_name,
};
use sea_orm_migration::prelude::*;

use crate::m20261124_000001_create_schema::{enum_col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that get `editorial` and `note`.
fn remarked() -> [DynIden; 8] {
    [
        phase::Entity.into_iden(),
        belligerent::Entity.into_iden(),
        battle::Entity.into_iden(),
        force::Entity.into_iden(),
        commander::Entity.into_iden(),
        battle_side::Entity.into_iden(),
        battle_force::Entity.into_iden(),
        command::Entity.into_iden(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for table in remarked() {
            let columns = [
                ColumnDef::new("editorial").boolean().not_null().default(false).take(),
                ColumnDef::new("note").text().null().take(),
            ];
            for mut column in columns {
                manager
                    .alter_table(Table::alter().table(table.clone()).add_column(&mut column).take())
                    .await?;
            }
        }
        for column in [
            battle_side::Column::StrengthSharedWith,
            battle_side::Column::CasualtiesSharedWith,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(battle_side::Entity)
                        .add_column(ColumnDef::new(column).integer().null())
                        .take(),
                )
                .await?;
        }

        // After a `down` the non-unique index is already there.
        manager
            .drop_index(
                Index::drop()
                    .name("ux_force_belligerent_name")
                    .table(force::Entity)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("ix_force_belligerent_name", force::Entity, &["belligerent_id", "name"])
                    .if_not_exists()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(record_name::Entity)
                    .col(enum_col(record_name::Column::Subject))
                    .col(ColumnDef::new(record_name::Column::SubjectId).integer().not_null())
                    .col(ColumnDef::new(record_name::Column::Position).integer().not_null())
                    .col(ColumnDef::new(record_name::Column::Lang).string_len(32).not_null())
                    .col(ColumnDef::new(record_name::Column::Text).string().not_null())
                    .col(ColumnDef::new(record_name::Column::Preferred).boolean().not_null())
                    .col(ColumnDef::new(record_name::Column::Origin).string_len(32).not_null())
                    .col(ColumnDef::new(record_name::Column::Editorial).boolean().not_null())
                    .col(ColumnDef::new(record_name::Column::Note).text().null())
                    .primary_key(
                        Index::create()
                            .col(record_name::Column::Subject)
                            .col(record_name::Column::SubjectId)
                            .col(record_name::Column::Position),
                    )
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(passage::Entity)
                    .col(ColumnDef::new(passage::Column::BattleId).integer().not_null())
                    .col(enum_col(passage::Column::Subject))
                    .col(ColumnDef::new(passage::Column::SubjectId).integer().not_null())
                    .col(ColumnDef::new(passage::Column::Position).integer().not_null())
                    .col(enum_col(passage::Column::Field))
                    .col(ColumnDef::new(passage::Column::CharStart).integer().not_null())
                    .col(ColumnDef::new(passage::Column::CharEnd).integer().not_null())
                    .col(ColumnDef::new(passage::Column::Text).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(passage::Column::BattleId)
                            .col(passage::Column::Subject)
                            .col(passage::Column::SubjectId)
                            .col(passage::Column::Position),
                    )
                    .foreign_key(&mut fk(
                        "fk_passage_battle",
                        (passage::Entity, passage::Column::BattleId),
                        (battle::Entity, battle::Column::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(dataset_state::Entity)
                    .col(
                        ColumnDef::new(dataset_state::Column::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(dataset_state::Column::Fingerprint).string().not_null())
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            dataset_state::Entity.into_iden(),
            passage::Entity.into_iden(),
            record_name::Entity.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        // The index on (belligerent, name) stays non-unique: the data now
        // loaded has two China 第5军, and no code before this needs it unique.
        for column in ["strength_shared_with", "casualties_shared_with"] {
            manager
                .alter_table(Table::alter().table(battle_side::Entity).drop_column(column).take())
                .await?;
        }
        for table in remarked() {
            for column in ["editorial", "note"] {
                manager
                    .alter_table(Table::alter().table(table.clone()).drop_column(column).take())
                    .await?;
            }
        }
        Ok(())
    }
}
