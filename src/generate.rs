//! `kangzhan generate --scale N`: a synthetic dataset N times the real one,
//! for benchmarks and scale tests only. Copy k of every battle, force and
//! commander (k = 1..N-1) gets the IDs `k * STRIDE + id`, names marked
//! `#k`, and the same links to the other records of its copy; phases and
//! belligerents are shared. So each record has exactly as many links as in
//! the real data, and the real data (copy 0) stays as it is. Copies of
//! places lie at points spread evenly over the globe (see `scattered`), so
//! that a `near` circle finds about as many places at any scale.

use std::time::Instant;

use entity::{
    NameSubject, PassageSubject, battle, battle_force, battle_place, battle_side, command, commander, event,
    event_commander, event_force, event_place, force, passage, place, record_name,
};
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

/// Where copy `copy` of place `id` lies: a point of a pseudo-random
/// sequence spread evenly over the sphere (the same on every run).
fn scattered(id: i32, copy: i32) -> (f64, f64) {
    let mut state = (u64::from(id as u32) << 32 | u64::from(copy as u32)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let latitude = (2.0 * next() - 1.0).asin().to_degrees();
    let longitude = 360.0 * next() - 180.0;
    (latitude, longitude)
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
    let names = record_name::Entity::find().all(db).await.map_err(err)?;
    let passages = passage::Entity::find().all(db).await.map_err(err)?;
    let places = place::Entity::find().all(db).await.map_err(err)?;
    let battle_places = battle_place::Entity::find().all(db).await.map_err(err)?;
    let events = event::Entity::find().all(db).await.map_err(err)?;
    let event_places = event_place::Entity::find().all(db).await.map_err(err)?;
    let event_forces = event_force::Entity::find().all(db).await.map_err(err)?;
    let event_commanders = event_commander::Entity::find().all(db).await.map_err(err)?;
    // Parents first within a copy.
    let mut forces = forces;
    forces.sort_by_key(|f| (f.parent_id.is_some(), f.id));

    let copies = 1..scale;
    let txn = db.begin().await.map_err(err)?;
    let mut rows = 0;
    // Each copy is its original with the IDs shifted and the names marked.
    rows += insert_copies::<battle::Entity, _>(&txn, &battles, copies.clone(), |b, k| {
        let mut copy: battle::ActiveModel = b.clone().into();
        copy.id = Set(shift(b.id, k));
        copy.ordinal = Set(shift(b.ordinal, k));
        copy.name = Set(marked(&b.name, k));
        copy.name_en = Set(marked(&b.name_en, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<force::Entity, _>(&txn, &forces, copies.clone(), |f, k| {
        let mut copy: force::ActiveModel = f.clone().into();
        copy.id = Set(shift(f.id, k));
        copy.parent_id = Set(f.parent_id.map(|p| shift(p, k)));
        copy.name = Set(marked(&f.name, k));
        copy.name_en = Set(marked(&f.name_en, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<commander::Entity, _>(&txn, &commanders, copies.clone(), |c, k| {
        let mut copy: commander::ActiveModel = c.clone().into();
        copy.id = Set(shift(c.id, k));
        copy.name = Set(marked(&c.name, k));
        copy.name_en = Set(marked(&c.name_en, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<battle_side::Entity, _>(&txn, &sides, copies.clone(), |s, k| {
        let mut copy: battle_side::ActiveModel = s.clone().into();
        copy.battle_id = Set(shift(s.battle_id, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<battle_force::Entity, _>(&txn, &battle_forces, copies.clone(), |l, k| {
        let mut copy: battle_force::ActiveModel = l.clone().into();
        copy.battle_id = Set(shift(l.battle_id, k));
        copy.force_id = Set(shift(l.force_id, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<command::Entity, _>(&txn, &commands, copies.clone(), |c, k| {
        let mut copy: command::ActiveModel = c.clone().into();
        copy.battle_id = Set(shift(c.battle_id, k));
        copy.commander_id = Set(shift(c.commander_id, k));
        copy.force_id = Set(c.force_id.map(|f| shift(f, k)));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<place::Entity, _>(&txn, &places, copies.clone(), |p, k| {
        let mut copy: place::ActiveModel = p.clone().into();
        copy.id = Set(shift(p.id, k));
        copy.name = Set(marked(&p.name, k));
        copy.name_en = Set(marked(&p.name_en, k));
        if p.latitude.is_some() {
            let (latitude, longitude) = scattered(p.id, k);
            let [x, y, z] = migration::places::unit_vector(latitude, longitude);
            copy.latitude = Set(Some(latitude));
            copy.longitude = Set(Some(longitude));
            copy.unit_x = Set(Some(x));
            copy.unit_y = Set(Some(y));
            copy.unit_z = Set(Some(z));
            copy.cell = Set(Some(migration::places::geo_cell(latitude, longitude)));
        }
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<battle_place::Entity, _>(&txn, &battle_places, copies.clone(), |l, k| {
        let mut copy: battle_place::ActiveModel = l.clone().into();
        copy.battle_id = Set(shift(l.battle_id, k));
        copy.place_id = Set(shift(l.place_id, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<event::Entity, _>(&txn, &events, copies.clone(), |e, k| {
        let mut copy: event::ActiveModel = e.clone().into();
        copy.id = Set(shift(e.id, k));
        copy.battle_id = Set(shift(e.battle_id, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<event_place::Entity, _>(&txn, &event_places, copies.clone(), |l, k| {
        let mut copy: event_place::ActiveModel = l.clone().into();
        copy.event_id = Set(shift(l.event_id, k));
        copy.place_id = Set(shift(l.place_id, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<event_force::Entity, _>(&txn, &event_forces, copies.clone(), |l, k| {
        let mut copy: event_force::ActiveModel = l.clone().into();
        copy.event_id = Set(shift(l.event_id, k));
        copy.force_id = Set(shift(l.force_id, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<event_commander::Entity, _>(&txn, &event_commanders, copies.clone(), |l, k| {
        let mut copy: event_commander::ActiveModel = l.clone().into();
        copy.event_id = Set(shift(l.event_id, k));
        copy.commander_id = Set(shift(l.commander_id, k));
        copy
    })
    .await
    .map_err(err)?;
    // Names of the copied records (phases and belligerents are shared), so
    // that search has 1000x names to look through.
    let copied_names: Vec<_> = names
        .into_iter()
        .filter(|n| {
            matches!(
                n.subject,
                NameSubject::Battle | NameSubject::Commander | NameSubject::Force | NameSubject::Place
            )
        })
        .collect();
    rows += insert_copies::<record_name::Entity, _>(&txn, &copied_names, copies.clone(), |n, k| {
        let mut copy: record_name::ActiveModel = n.clone().into();
        copy.subject_id = Set(shift(n.subject_id, k));
        copy.text = Set(marked(&n.text, k));
        copy
    })
    .await
    .map_err(err)?;
    rows += insert_copies::<passage::Entity, _>(&txn, &passages, copies, |p, k| {
        let mut copy: passage::ActiveModel = p.clone().into();
        copy.battle_id = Set(shift(p.battle_id, k));
        if matches!(
            p.subject,
            PassageSubject::Command | PassageSubject::Participation | PassageSubject::Place
        ) {
            copy.subject_id = Set(shift(p.subject_id, k));
        }
        copy
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
