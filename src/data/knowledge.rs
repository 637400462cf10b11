//! Loaders for what says who and where: names by record, passages by fact,
//! and the battle x force links. One statement per batch, as every loader.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{NameSubject, PassageSubject, battle_force, passage, record_name};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use super::loaders::LoaderDb;
use crate::error::Error;

/// A record's names, in their order (zh-Hans, en, then the rest).
pub struct NamesOf(pub LoaderDb);

impl Loader<(NameSubject, i32)> for NamesOf {
    type Value = Vec<Arc<record_name::Model>>;
    type Error = Error;

    async fn load(&self, keys: &[(NameSubject, i32)]) -> Result<HashMap<(NameSubject, i32), Self::Value>, Error> {
        let mut by_subject: HashMap<NameSubject, Vec<i32>> = HashMap::new();
        for (subject, id) in keys {
            by_subject.entry(*subject).or_default().push(*id);
        }
        let mut any = Condition::any();
        for (subject, ids) in by_subject {
            any = any.add(
                Condition::all()
                    .add(record_name::Column::Subject.eq(subject))
                    .add(record_name::COLUMN.subject_id.is_in(ids)),
            );
        }
        let rows = record_name::Entity::find()
            .filter(any)
            .order_by_asc(record_name::COLUMN.subject_id)
            .order_by_asc(record_name::COLUMN.position)
            .all(self.0.record::<Self>(keys.len()))
            .await?;
        let mut groups: HashMap<_, Self::Value> = HashMap::new();
        for row in rows {
            groups
                .entry((row.subject, row.subject_id))
                .or_default()
                .push(Arc::new(row));
        }
        Ok(groups)
    }
}

/// What a passage is about: (battle, subject, subject ID).
pub type Fact = (i32, PassageSubject, i32);

/// The passages behind each fact, in text order.
pub struct PassagesOf(pub LoaderDb);

impl Loader<Fact> for PassagesOf {
    type Value = Vec<Arc<passage::Model>>;
    type Error = Error;

    async fn load(&self, keys: &[Fact]) -> Result<HashMap<Fact, Self::Value>, Error> {
        let battles: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let subjects: Vec<PassageSubject> = keys.iter().map(|k| k.1).collect();
        // The battles' passages of those kinds: a few per battle, so this
        // reads little more than was asked for and keeps one statement.
        let rows = passage::Entity::find()
            .filter(passage::COLUMN.battle_id.is_in(battles))
            .filter(passage::Column::Subject.is_in(subjects))
            .order_by_asc(passage::COLUMN.battle_id)
            .order_by_asc(passage::COLUMN.position)
            .all(self.0.record::<Self>(keys.len()))
            .await?;
        let wanted: std::collections::HashSet<&Fact> = keys.iter().collect();
        let mut groups: HashMap<Fact, Self::Value> = HashMap::new();
        for row in rows {
            let key = (row.battle_id, row.subject, row.subject_id);
            if wanted.contains(&key) {
                groups.entry(key).or_default().push(Arc::new(row));
            }
        }
        Ok(groups)
    }
}

/// The battle x force links, by either end.
pub struct ParticipationsByBattle(pub LoaderDb);
pub struct ParticipationsByForce(pub LoaderDb);

impl Loader<i32> for ParticipationsByBattle {
    type Value = Vec<Arc<battle_force::Model>>;
    type Error = Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
        let rows = battle_force::Entity::find()
            .filter(battle_force::COLUMN.battle_id.is_in(keys.iter().copied()))
            .order_by_asc(battle_force::COLUMN.force_id)
            .all(self.0.record::<Self>(keys.len()))
            .await?;
        let mut groups: HashMap<i32, Self::Value> = HashMap::new();
        for row in rows {
            groups.entry(row.battle_id).or_default().push(Arc::new(row));
        }
        Ok(groups)
    }
}

impl Loader<i32> for ParticipationsByForce {
    type Value = Vec<Arc<battle_force::Model>>;
    type Error = Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
        let rows = battle_force::Entity::find()
            .filter(battle_force::COLUMN.force_id.is_in(keys.iter().copied()))
            .order_by_asc(battle_force::COLUMN.battle_id)
            .all(self.0.record::<Self>(keys.len()))
            .await?;
        let mut groups: HashMap<i32, Self::Value> = HashMap::new();
        for row in rows {
            groups.entry(row.force_id).or_default().push(Arc::new(row));
        }
        Ok(groups)
    }
}
