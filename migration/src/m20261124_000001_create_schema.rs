//! The tables, their keys, and an index on every foreign key and on every
//! column that a filter or an ordering uses.

use entity::{battle, battle_force, battle_side, belligerent, command, commander, force, phase};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A short string column for the enums (`DAY`, `MORE_THAN`, `ARMY`, ...).
pub(crate) fn enum_col<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).string_len(16).not_null().take()
}

pub(crate) fn fk<F: IntoIden, T: IntoIden>(
    name: &str,
    from: (F, impl IntoIden),
    to: (T, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

pub(crate) fn index<T: IntoIden>(name: &str, table: T, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).take();
    for col in cols {
        stmt.col(*col);
    }
    stmt
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(phase::Entity)
                    .col(ColumnDef::new(phase::Column::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(phase::Column::Ordinal).integer().not_null().unique_key())
                    .col(ColumnDef::new(phase::Column::Name).string().not_null().unique_key())
                    .col(ColumnDef::new(phase::Column::NameEn).string().not_null())
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(belligerent::Entity)
                    .col(
                        ColumnDef::new(belligerent::Column::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(belligerent::Column::Code)
                            .string_len(16)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(belligerent::Column::Name)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(belligerent::Column::NameEn).string().not_null())
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(battle::Entity)
                    .col(ColumnDef::new(battle::Column::Id).integer().not_null().primary_key())
                    .col(
                        ColumnDef::new(battle::Column::Ordinal)
                            .integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(battle::Column::Name).string().not_null().unique_key())
                    .col(ColumnDef::new(battle::Column::NameEn).string().not_null())
                    .col(ColumnDef::new(battle::Column::PhaseId).integer().not_null())
                    .col(ColumnDef::new(battle::Column::StartText).string().not_null())
                    .col(ColumnDef::new(battle::Column::StartEarliest).date().not_null())
                    .col(ColumnDef::new(battle::Column::StartLatest).date().not_null())
                    .col(enum_col(battle::Column::StartPrecision))
                    .col(ColumnDef::new(battle::Column::EndText).string().not_null())
                    .col(ColumnDef::new(battle::Column::EndEarliest).date().not_null())
                    .col(ColumnDef::new(battle::Column::EndLatest).date().not_null())
                    .col(enum_col(battle::Column::EndPrecision))
                    .col(ColumnDef::new(battle::Column::Narrative).text().not_null())
                    .col(ColumnDef::new(battle::Column::Outcome).text().not_null())
                    .foreign_key(&mut fk(
                        "fk_battle_phase",
                        (battle::Entity, battle::Column::PhaseId),
                        (phase::Entity, phase::Column::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(force::Entity)
                    .col(ColumnDef::new(force::Column::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(force::Column::BelligerentId).integer().not_null())
                    .col(ColumnDef::new(force::Column::ParentId).integer().null())
                    .col(ColumnDef::new(force::Column::Name).string().not_null())
                    .col(ColumnDef::new(force::Column::NameEn).string().not_null())
                    .col(enum_col(force::Column::Kind))
                    .foreign_key(&mut fk(
                        "fk_force_belligerent",
                        (force::Entity, force::Column::BelligerentId),
                        (belligerent::Entity, belligerent::Column::Id),
                    ))
                    .foreign_key(
                        &mut fk(
                            "fk_force_parent",
                            (force::Entity, force::Column::ParentId),
                            (force::Entity, force::Column::Id),
                        )
                        .on_delete(ForeignKeyAction::SetNull)
                        .take(),
                    )
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(commander::Entity)
                    .col(ColumnDef::new(commander::Column::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(commander::Column::BelligerentId).integer().not_null())
                    .col(ColumnDef::new(commander::Column::Name).string().not_null())
                    .col(ColumnDef::new(commander::Column::NameEn).string().not_null())
                    .foreign_key(&mut fk(
                        "fk_commander_belligerent",
                        (commander::Entity, commander::Column::BelligerentId),
                        (belligerent::Entity, belligerent::Column::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(battle_side::Entity)
                    .col(ColumnDef::new(battle_side::Column::BattleId).integer().not_null())
                    .col(ColumnDef::new(battle_side::Column::BelligerentId).integer().not_null())
                    .col(ColumnDef::new(battle_side::Column::StrengthValue).integer().null())
                    .col(
                        ColumnDef::new(battle_side::Column::StrengthQualifier)
                            .string_len(16)
                            .null(),
                    )
                    .col(ColumnDef::new(battle_side::Column::StrengthText).string().null())
                    .col(ColumnDef::new(battle_side::Column::CasualtiesValue).integer().null())
                    .col(
                        ColumnDef::new(battle_side::Column::CasualtiesQualifier)
                            .string_len(16)
                            .null(),
                    )
                    .col(ColumnDef::new(battle_side::Column::CasualtiesText).string().null())
                    .primary_key(
                        Index::create()
                            .col(battle_side::Column::BattleId)
                            .col(battle_side::Column::BelligerentId),
                    )
                    .foreign_key(&mut fk(
                        "fk_battle_side_battle",
                        (battle_side::Entity, battle_side::Column::BattleId),
                        (battle::Entity, battle::Column::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_battle_side_belligerent",
                        (battle_side::Entity, battle_side::Column::BelligerentId),
                        (belligerent::Entity, belligerent::Column::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(battle_force::Entity)
                    .col(ColumnDef::new(battle_force::Column::BattleId).integer().not_null())
                    .col(ColumnDef::new(battle_force::Column::ForceId).integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(battle_force::Column::BattleId)
                            .col(battle_force::Column::ForceId),
                    )
                    .foreign_key(&mut fk(
                        "fk_battle_force_battle",
                        (battle_force::Entity, battle_force::Column::BattleId),
                        (battle::Entity, battle::Column::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_battle_force_force",
                        (battle_force::Entity, battle_force::Column::ForceId),
                        (force::Entity, force::Column::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(command::Entity)
                    .col(ColumnDef::new(command::Column::BattleId).integer().not_null())
                    .col(ColumnDef::new(command::Column::CommanderId).integer().not_null())
                    .col(ColumnDef::new(command::Column::ForceId).integer().null())
                    .col(ColumnDef::new(command::Column::Role).string().null())
                    .col(ColumnDef::new(command::Column::KilledInAction).boolean().not_null())
                    .primary_key(
                        Index::create()
                            .col(command::Column::BattleId)
                            .col(command::Column::CommanderId),
                    )
                    .foreign_key(&mut fk(
                        "fk_command_battle",
                        (command::Entity, command::Column::BattleId),
                        (battle::Entity, battle::Column::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_command_commander",
                        (command::Entity, command::Column::CommanderId),
                        (commander::Entity, commander::Column::Id),
                    ))
                    .foreign_key(
                        &mut fk(
                            "fk_command_force",
                            (command::Entity, command::Column::ForceId),
                            (force::Entity, force::Column::Id),
                        )
                        .on_delete(ForeignKeyAction::SetNull)
                        .take(),
                    )
                    .take(),
            )
            .await?;

        // Composite primary keys already index their leading column
        // (battle_side.battle_id, battle_force.battle_id, command.battle_id).
        let indexes = [
            index("ux_force_belligerent_name", force::Entity, &["belligerent_id", "name"])
                .unique()
                .take(),
            index(
                "ux_commander_belligerent_name",
                commander::Entity,
                &["belligerent_id", "name"],
            )
            .unique()
            .take(),
            index("ix_battle_phase_id", battle::Entity, &["phase_id"]),
            index("ix_battle_start", battle::Entity, &["start_earliest", "ordinal"]),
            index("ix_battle_end_latest", battle::Entity, &["end_latest"]),
            index("ix_force_parent_id", force::Entity, &["parent_id"]),
            index("ix_force_kind", force::Entity, &["kind"]),
            index(
                "ix_battle_side_belligerent_id",
                battle_side::Entity,
                &["belligerent_id"],
            ),
            index("ix_battle_force_force_id", battle_force::Entity, &["force_id"]),
            index("ix_command_commander_id", command::Entity, &["commander_id"]),
            index("ix_command_force_id", command::Entity, &["force_id"]),
        ];
        for stmt in indexes {
            manager.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so no foreign key is left dangling.
        for table in [
            command::Entity.into_iden(),
            battle_force::Entity.into_iden(),
            battle_side::Entity.into_iden(),
            commander::Entity.into_iden(),
            force::Entity.into_iden(),
            battle::Entity.into_iden(),
            belligerent::Entity.into_iden(),
            phase::Entity.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
