//! The places the battles' texts name, where gazetteers put them, and the
//! dated events of the narratives with the places, forces and commanders
//! each names.

use entity::{
    battle, battle_place, commander, dataset_state, event, event_commander, event_force, event_place, force, place,
};
use sea_orm_migration::prelude::*;

use crate::m20261124_000001_create_schema::{enum_col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn int<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column).integer().not_null().take()
}

fn float<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column).double().null().take()
}

/// A link from an event to `target` (`column` names it), with its position.
fn event_link<L: IntoIden + Copy, C: IntoIden + Copy, T: IntoIden + Copy>(
    link: L,
    link_name: &str,
    column: C,
    target: T,
    target_id: impl IntoIden + Copy,
) -> TableCreateStatement {
    Table::create()
        .table(link)
        .col(int(Alias::new("event_id")))
        .col(int(column))
        .col(int(Alias::new("position")))
        .primary_key(Index::create().col(Alias::new("event_id")).col(column))
        .foreign_key(&mut fk(
            &format!("fk_{link_name}_event"),
            (link, Alias::new("event_id")),
            (event::Entity, event::Column::Id),
        ))
        .foreign_key(&mut fk(
            &format!("fk_{link_name}_target"),
            (link, column),
            (target, target_id),
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use place::Column as P;
        manager
            .create_table(
                Table::create()
                    .table(place::Entity)
                    .col(ColumnDef::new(P::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(P::Name).string().not_null())
                    .col(ColumnDef::new(P::NameEn).string().not_null())
                    .col(enum_col(P::Kind))
                    .col(float(P::Latitude))
                    .col(float(P::Longitude))
                    .col(float(P::UnitX))
                    .col(float(P::UnitY))
                    .col(float(P::UnitZ))
                    .col(ColumnDef::new(P::Cell).integer().null())
                    .col(ColumnDef::new(P::LocationSource).text().null())
                    .col(float(P::UncertaintyKm))
                    .col(ColumnDef::new(P::Editorial).boolean().not_null().default(false))
                    .col(ColumnDef::new(P::Note).text().null())
                    .take(),
            )
            .await?;
        // A `near` filter seeks the cells its bounding box covers.
        manager
            .create_index(index("ix_place_cell", place::Entity, &["cell"]))
            .await?;

        use battle_place::Column as BP;
        manager
            .create_table(
                Table::create()
                    .table(battle_place::Entity)
                    .col(int(BP::BattleId))
                    .col(int(BP::PlaceId))
                    .primary_key(Index::create().col(BP::BattleId).col(BP::PlaceId))
                    .foreign_key(&mut fk(
                        "fk_battle_place_battle",
                        (battle_place::Entity, BP::BattleId),
                        (battle::Entity, battle::Column::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_battle_place_place",
                        (battle_place::Entity, BP::PlaceId),
                        (place::Entity, P::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("ix_battle_place_place", battle_place::Entity, &["place_id"]))
            .await?;

        use event::Column as E;
        manager
            .create_table(
                Table::create()
                    .table(event::Entity)
                    .col(ColumnDef::new(E::Id).integer().not_null().primary_key())
                    .col(int(E::BattleId))
                    .col(int(E::Position))
                    .col(ColumnDef::new(E::DateText).string().not_null())
                    .col(ColumnDef::new(E::DateEarliest).date().not_null())
                    .col(ColumnDef::new(E::DateLatest).date().not_null())
                    .col(enum_col(E::DatePrecision))
                    .col(int(E::CharStart))
                    .col(int(E::CharEnd))
                    .col(ColumnDef::new(E::Text).text().not_null())
                    .col(ColumnDef::new(E::Note).text().null())
                    .foreign_key(&mut fk(
                        "fk_event_battle",
                        (event::Entity, E::BattleId),
                        (battle::Entity, battle::Column::Id),
                    ))
                    .take(),
            )
            .await?;
        // Query.events' order, and Battle.events'.
        manager
            .create_index(index(
                "ix_event_date",
                event::Entity,
                &["date_earliest", "date_latest", "battle_id", "position"],
            ))
            .await?;
        manager
            .create_index(index("ix_event_battle", event::Entity, &["battle_id", "position"]))
            .await?;

        let links = [
            event_link(
                event_place::Entity,
                "event_place",
                event_place::Column::PlaceId,
                place::Entity,
                P::Id,
            ),
            event_link(
                event_force::Entity,
                "event_force",
                event_force::Column::ForceId,
                force::Entity,
                force::Column::Id,
            ),
            event_link(
                event_commander::Entity,
                "event_commander",
                event_commander::Column::CommanderId,
                commander::Entity,
                commander::Column::Id,
            ),
        ];
        for link in links {
            manager.create_table(link).await?;
        }
        for (name, table, column) in [
            ("ix_event_place_place", event_place::Entity.into_iden(), "place_id"),
            ("ix_event_force_force", event_force::Entity.into_iden(), "force_id"),
            (
                "ix_event_commander_commander",
                event_commander::Entity.into_iden(),
                "commander_id",
            ),
        ] {
            manager.create_index(index(name, table, &[column])).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The rows held are no longer the whole dataset: forget its
        // fingerprint, so that the next start loads it again.
        manager
            .exec_stmt(Query::delete().from_table(dataset_state::Entity).to_owned())
            .await?;
        for table in [
            event_commander::Entity.into_iden(),
            event_force::Entity.into_iden(),
            event_place::Entity.into_iden(),
            event::Entity.into_iden(),
            battle_place::Entity.into_iden(),
            place::Entity.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
