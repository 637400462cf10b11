//! `kangzhan generate --scale N`: a synthetic dataset N times the real one,
//! for benchmarks and scale tests only. Copy k of every battle, force and
//! commander (k = 1..N-1) gets the IDs `k * STRIDE + id`, names marked
//! `#k`, and the same links to the other records of its copy; phases and
//! belligerents are shared. So each record has exactly as many links as in
//! the real data, and the real data (copy 0) stays as it is.

use std::time::Instant;

use entity::{battle, battle_force, battle_side, command, commander, force};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait};

/// Room for each copy's IDs; the real data's IDs stay below it.
pub const STRIDE: i32 = 1000;
/// Rows per INSERT, in whole copies, so a force and its parent share a
/// statement (foreign keys are checked at the end of each statement).
const ROWS_PER_STATEMENT: usize = 1000;

/// What `generate` made.
#[derive(Debug)]
pub struct Generated {
    pub copies: i32,
    pub rows: usize,
    pub seconds: f64,
}

fn marked(name: &str, copy: i32) -> String {
    format!("{name} #{copy}")
}

fn shift(id: i32, copy: i32) -> i32 {
    copy * STRIDE + id
}

/// Inserts `copies` copies of `rows`, whole copies per statement.
async fn insert_copies<E, M>(
    txn: &sea_orm::DatabaseTransaction,
    rows: &[M],
    copies: std::ops::Range<i32>,
    copy_of: impl Fn(&M, i32) -> E::ActiveModel,
) -> Result<usize, sea_orm::DbErr>
where
    E: EntityTrait,
{
    let per_statement = (ROWS_PER_STATEMENT / rows.len().max(1)).max(1);
    let copies: Vec<i32> = copies.collect();
    let mut inserted = 0;
    for group in copies.chunks(per_statement) {
        let batch: Vec<E::ActiveModel> = group
            .iter()
            .flat_map(|&k| rows.iter().map(move |row| (row, k)))
            .map(|(row, k)| copy_of(row, k))
            .collect();
        inserted += batch.len();
        E::insert_many(batch).exec_without_returning(txn).await?;
    }
    Ok(inserted)
}

/// Adds copies 1..scale of the real data to a migrated database.
pub async fn generate(db: &DatabaseConnection, scale: i32) -> Result<Generated, String> {
    if !(1..=STRIDE * 2).contains(&scale) {
        return Err(format!("--scale must be between 1 and {}", STRIDE * 2));
    }
    let started = Instant::now();
    let err = |e: sea_orm::DbErr| format!("cannot generate: {e}");
    let battles = battle::Entity::find().all(db).await.map_err(err)?;
    if battles.len() != 30 || battles.iter().any(|b| b.id >= STRIDE) {
        return Err("the database already holds more than the real data: generate into a fresh database".to_owned());
    }
    let forces = force::Entity::find().all(db).await.map_err(err)?;
    let commanders = commander::Entity::find().all(db).await.map_err(err)?;
    let sides = battle_side::Entity::find().all(db).await.map_err(err)?;
    let battle_forces = battle_force::Entity::find().all(db).await.map_err(err)?;
    let commands = command::Entity::find().all(db).await.map_err(err)?;
    // Parents first within a copy.
    let mut forces = forces;
    forces.sort_by_key(|f| (f.parent_id.is_some(), f.id));

    let copies = 1..scale;
    let txn = db.begin().await.map_err(err)?;
    let mut rows = 0;
    rows += insert_copies::<battle::Entity, _>(&txn, &battles, copies.clone(), |b, k| battle::ActiveModel {
        id: Set(shift(b.id, k)),
        ordinal: Set(shift(b.ordinal, k)),
        name: Set(marked(&b.name, k)),
        name_en: Set(marked(&b.name_en, k)),
        phase_id: Set(b.phase_id),
        start_text: Set(b.start_text.clone()),
        start_earliest: Set(b.start_earliest),
        start_latest: Set(b.start_latest),
        start_precision: Set(b.start_precision),
        end_text: Set(b.end_text.clone()),
        end_earliest: Set(b.end_earliest),
        end_latest: Set(b.end_latest),
        end_precision: Set(b.end_precision),
        narrative: Set(b.narrative.clone()),
        outcome: Set(b.outcome.clone()),
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<force::Entity, _>(&txn, &forces, copies.clone(), |f, k| force::ActiveModel {
        id: Set(shift(f.id, k)),
        belligerent_id: Set(f.belligerent_id),
        parent_id: Set(f.parent_id.map(|p| shift(p, k))),
        name: Set(marked(&f.name, k)),
        name_en: Set(marked(&f.name_en, k)),
        kind: Set(f.kind),
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<commander::Entity, _>(&txn, &commanders, copies.clone(), |c, k| commander::ActiveModel {
        id: Set(shift(c.id, k)),
        belligerent_id: Set(c.belligerent_id),
        name: Set(marked(&c.name, k)),
        name_en: Set(marked(&c.name_en, k)),
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<battle_side::Entity, _>(&txn, &sides, copies.clone(), |s, k| battle_side::ActiveModel {
        battle_id: Set(shift(s.battle_id, k)),
        belligerent_id: Set(s.belligerent_id),
        strength_value: Set(s.strength_value),
        strength_qualifier: Set(s.strength_qualifier),
        strength_text: Set(s.strength_text.clone()),
        casualties_value: Set(s.casualties_value),
        casualties_qualifier: Set(s.casualties_qualifier),
        casualties_text: Set(s.casualties_text.clone()),
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<battle_force::Entity, _>(&txn, &battle_forces, copies.clone(), |l, k| {
        battle_force::ActiveModel {
            battle_id: Set(shift(l.battle_id, k)),
            force_id: Set(shift(l.force_id, k)),
        }
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<command::Entity, _>(&txn, &commands, copies, |c, k| command::ActiveModel {
        battle_id: Set(shift(c.battle_id, k)),
        commander_id: Set(shift(c.commander_id, k)),
        force_id: Set(c.force_id.map(|f| shift(f, k))),
        role: Set(c.role.clone()),
        killed_in_action: Set(c.killed_in_action),
    })
    .await
    .map_err(err)?;
    txn.commit().await.map_err(err)?;

    // Planner statistics for the new rows (PostgreSQL's and SQLite's ANALYZE).
    use sea_orm::ConnectionTrait;
    db.execute_unprepared("ANALYZE").await.map_err(err)?;
    let total = battle::Entity::find().count(db).await.map_err(err)?;
    tracing::info!(battles = total, "generated");
    Ok(Generated {
        copies: scale,
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}
