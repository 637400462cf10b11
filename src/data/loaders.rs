//! DataLoaders: every relation the schema exposes is loaded through one of
//! these, one SQL statement per batch of keys, so a request runs as many
//! statements as its query has levels, however many objects it returns.
//!
//! Loaders are named for what they return and their key. They are created
//! per request (see `for_request`). They keep no cache: a batch asks for each
//! key once, and every level of a query costs exactly one statement per
//! relation, whether its keys were seen at another level or not.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Request};
use entity::{
    PassageSubject, battle, battle_force, battle_place, battle_side, belligerent, command, commander, event,
    event_commander, event_force, event_place, force, passage, phase, place,
};
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QueryResult, QuerySelect,
    Related,
};

use super::aggregate::NestedFacts;
use super::knowledge::{NamesOf, ParticipationsByBattle, ParticipationsByForce, PassagesOf};
use super::lists::{NestedCounts, NestedPages};
use super::pool::{Pool, RequestDb};
use crate::error::{Error, Result};
use crate::metrics::Metrics;
use crate::pipeline::batch_scheduler::BatchScheduler;

/// Keys per statement: enough that a level of a query is one statement even
/// on the 1000x synthetic data, and well under SQLite's 32766 bind
/// parameters and PostgreSQL's 65535.
const MAX_KEYS_PER_BATCH: usize = 10_000;

/// What every loader holds: the request's database handle, which also
/// takes the loaders' batch sizes to the metrics.
#[derive(Clone)]
pub struct LoaderDb {
    pub db: RequestDb,
}

impl LoaderDb {
    /// A request's handle on `pool`, counting its statements into `metrics`.
    pub fn new(pool: Arc<Pool>, metrics: Arc<Metrics>) -> Self {
        LoaderDb {
            db: RequestDb::new(pool, metrics),
        }
    }

    /// The handle, once the batch size of loader `T` is recorded.
    pub fn record<T>(&self, keys: usize) -> &RequestDb {
        let name = std::any::type_name::<T>();
        // The loader's own name: `NestedPages<entity::battle::Model>` -> `NestedPages<battle>`.
        let name = name
            .split('<')
            .next()
            .unwrap_or(name)
            .rsplit("::")
            .next()
            .unwrap_or("loader");
        self.db.metrics().observe_batch(name, keys);
        &self.db
    }
}

/// Loads objects by primary key.
macro_rules! by_id {
    ($loader:ident, $entity:ident) => {
        pub struct $loader(pub LoaderDb);

        impl Loader<i32> for $loader {
            type Value = Arc<$entity::Model>;
            type Error = Error;

            async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::COLUMN.id.is_in(keys.iter().copied()))
                    .all(self.0.record::<Self>(keys.len()))
                    .await?;
                Ok(rows.into_iter().map(|row| (row.id, Arc::new(row))).collect())
            }
        }
    };
}

/// Loads the rows whose foreign key `$fk` is one of the keys, grouped by it,
/// in the order `$order` gives.
macro_rules! by_foreign_key {
    ($loader:ident, $entity:ident, $fk:ident, $order:ident) => {
        pub struct $loader(pub LoaderDb);

        impl Loader<i32> for $loader {
            type Value = Vec<Arc<$entity::Model>>;
            type Error = Error;

            async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::COLUMN.$fk.is_in(keys.iter().copied()))
                    .order_by_asc($entity::COLUMN.$order)
                    .all(self.0.record::<Self>(keys.len()))
                    .await?;
                let mut groups: HashMap<i32, Self::Value> = HashMap::new();
                for row in rows {
                    groups.entry(row.$fk).or_default().push(Arc::new(row));
                }
                Ok(groups)
            }
        }
    };
}

/// A row of a link table's far side, with the link's key beside it.
struct Linked<M> {
    key: i32,
    model: M,
}

impl<M: FromQueryResult> FromQueryResult for Linked<M> {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        Ok(Linked {
            key: row.try_get(prefix, LINK_KEY)?,
            model: M::from_query_result(row, prefix)?,
        })
    }
}

const LINK_KEY: &str = "link_key";

/// Loads the far side of a link table: the target's rows joined to the link
/// through its `belongs_to` relation, one statement per batch. The rows
/// carry only the target's columns, unprefixed, and the key: sea-orm reads
/// a prefixed column (as `find_also_related` selects) by a name it formats
/// anew for every column of every row.
macro_rules! via_link {
    // In the order of the link's `position`: the order the text names them in.
    ($loader:ident, $link:ident, $key:ident, $target:ident, link order) => {
        via_link!(@loader $loader, $link, $key, $target, [$link::COLUMN.$key, $link::COLUMN.position]);
    };
    ($loader:ident, $link:ident, $key:ident, $target:ident, $($order:ident),+) => {
        via_link!(@loader $loader, $link, $key, $target, [$($target::COLUMN.$order),+]);
    };
    (@loader $loader:ident, $link:ident, $key:ident, $target:ident, [$($order:expr),+]) => {
        pub struct $loader(pub LoaderDb);

        impl Loader<i32> for $loader {
            type Value = Vec<Arc<$target::Model>>;
            type Error = Error;

            async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
                let rows = $target::Entity::find()
                    .join_rev(JoinType::InnerJoin, <$link::Entity as Related<$target::Entity>>::to())
                    .filter($link::COLUMN.$key.is_in(keys.iter().copied()))
                    .column_as($link::COLUMN.$key.0, LINK_KEY)
                    $(.order_by_asc($order))+
                    .into_model::<Linked<$target::Model>>()
                    .all(self.0.record::<Self>(keys.len()))
                    .await?;
                let mut groups: HashMap<i32, Self::Value> = HashMap::new();
                for Linked { key, model } in rows {
                    groups.entry(key).or_default().push(Arc::new(model));
                }
                Ok(groups)
            }
        }
    };
}

by_id!(BattleById, battle);
by_id!(PlaceById, place);
by_id!(EventById, event);
by_id!(CommanderById, commander);
by_id!(ForceById, force);
by_id!(BelligerentById, belligerent);
by_id!(PhaseById, phase);

by_foreign_key!(SidesByBattle, battle_side, battle_id, belligerent_id);
by_foreign_key!(CommandsByBattle, command, battle_id, commander_id);
by_foreign_key!(CommandsByCommander, command, commander_id, battle_id);
by_foreign_key!(BattlesByPhase, battle, phase_id, ordinal);
by_foreign_key!(ForcesByBelligerent, force, belligerent_id, id);
by_foreign_key!(CommandersByBelligerent, commander, belligerent_id, id);

via_link!(CommandersByBattle, command, battle_id, commander, id);
via_link!(ForcesByBattle, battle_force, battle_id, force, id);
via_link!(
    BattlesByCommander,
    command,
    commander_id,
    battle,
    start_earliest,
    ordinal
);
via_link!(BattlesByForce, battle_force, force_id, battle, start_earliest, ordinal);
via_link!(BattlesByBelligerent, battle_side, belligerent_id, battle, ordinal);

by_foreign_key!(EventsByBattle, event, battle_id, position);
via_link!(PlacesByBattle, battle_place, battle_id, place, id);
via_link!(BattlesByPlace, battle_place, place_id, battle, start_earliest, ordinal);
via_link!(
    EventsByPlace,
    event_place,
    place_id,
    event,
    date_earliest,
    date_latest,
    battle_id,
    position
);
via_link!(PlacesByEvent, event_place, event_id, place, link order);
via_link!(ForcesByEvent, event_force, event_id, force, link order);
via_link!(CommandersByEvent, event_commander, event_id, commander, link order);

/// Where the battles' texts name each place: by battle, then text order.
pub struct MentionsOfPlace(pub LoaderDb);

impl Loader<i32> for MentionsOfPlace {
    type Value = Vec<Arc<passage::Model>>;
    type Error = Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
        let rows = passage::Entity::find()
            .filter(passage::Column::Subject.eq(PassageSubject::Place))
            .filter(passage::COLUMN.subject_id.is_in(keys.iter().copied()))
            .order_by_asc(passage::COLUMN.subject_id)
            .order_by_asc(passage::COLUMN.battle_id)
            .order_by_asc(passage::COLUMN.position)
            .all(self.0.record::<Self>(keys.len()))
            .await?;
        let mut groups: HashMap<i32, Self::Value> = HashMap::new();
        for row in rows {
            groups.entry(row.subject_id).or_default().push(Arc::new(row));
        }
        Ok(groups)
    }
}

/// A force's subordinates: the forces whose parent it is.
pub struct SubordinatesByForce(pub LoaderDb);

impl Loader<i32> for SubordinatesByForce {
    type Value = Vec<Arc<force::Model>>;
    type Error = Error;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Error> {
        let rows = force::Entity::find()
            .filter(force::COLUMN.parent_id.is_in(keys.iter().copied()))
            .order_by_asc(force::COLUMN.id)
            .all(self.0.record::<Self>(keys.len()))
            .await?;
        let mut groups: HashMap<i32, Self::Value> = HashMap::new();
        for row in rows {
            if let Some(parent_id) = row.parent_id {
                groups.entry(parent_id).or_default().push(Arc::new(row));
            }
        }
        Ok(groups)
    }
}

/// Adds what a request executes with: its connection, and a fresh instance
/// of every loader. Execute the request inside the returned scheduler's
/// `run`, which takes the loaders' batches (see `batch_scheduler`).
pub fn for_request(request: Request, db: &LoaderDb) -> (Request, BatchScheduler) {
    fn with<K, T>(scheduler: &BatchScheduler, loader: T) -> DataLoader<T>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        T: Loader<K, Error = Error>,
    {
        DataLoader::new(loader, scheduler.spawner())
            .max_batch_size(MAX_KEYS_PER_BATCH)
            // The scheduler decides when a batch is complete; a timer would
            // only add its wait to every level.
            .delay(std::time::Duration::ZERO)
    }
    let scheduler = BatchScheduler::default();
    let conn = db.db.clone();
    let db = || db.clone();
    let request = request
        .data(conn)
        .data(with(&scheduler, BattleById(db())))
        .data(with(&scheduler, CommanderById(db())))
        .data(with(&scheduler, ForceById(db())))
        .data(with(&scheduler, BelligerentById(db())))
        .data(with(&scheduler, PhaseById(db())))
        .data(with(&scheduler, SidesByBattle(db())))
        .data(with(&scheduler, CommandsByBattle(db())))
        .data(with(&scheduler, CommandsByCommander(db())))
        .data(with(&scheduler, BattlesByPhase(db())))
        .data(with(&scheduler, ForcesByBelligerent(db())))
        .data(with(&scheduler, CommandersByBelligerent(db())))
        .data(with(&scheduler, CommandersByBattle(db())))
        .data(with(&scheduler, ForcesByBattle(db())))
        .data(with(&scheduler, BattlesByCommander(db())))
        .data(with(&scheduler, BattlesByForce(db())))
        .data(with(&scheduler, BattlesByBelligerent(db())))
        .data(with(&scheduler, SubordinatesByForce(db())))
        .data(with(&scheduler, NestedPages::<battle::Model>::new(db())))
        .data(with(&scheduler, NestedPages::<commander::Model>::new(db())))
        .data(with(&scheduler, NestedPages::<force::Model>::new(db())))
        .data(with(&scheduler, NestedCounts(db())))
        .data(with(&scheduler, NestedFacts(db())))
        .data(with(&scheduler, NamesOf(db())))
        .data(with(&scheduler, PassagesOf(db())))
        .data(with(&scheduler, ParticipationsByBattle(db())))
        .data(with(&scheduler, ParticipationsByForce(db())))
        .data(with(&scheduler, PlaceById(db())))
        .data(with(&scheduler, EventById(db())))
        .data(with(&scheduler, EventsByBattle(db())))
        .data(with(&scheduler, PlacesByBattle(db())))
        .data(with(&scheduler, BattlesByPlace(db())))
        .data(with(&scheduler, EventsByPlace(db())))
        .data(with(&scheduler, PlacesByEvent(db())))
        .data(with(&scheduler, ForcesByEvent(db())))
        .data(with(&scheduler, CommandersByEvent(db())))
        .data(with(&scheduler, MentionsOfPlace(db())));
    (request, scheduler)
}

/// Loads through the request's instance of loader `T`.
pub async fn load_one<T>(ctx: &Context<'_>, key: i32) -> Result<Option<T::Value>>
where
    T: Loader<i32, Error = Error>,
{
    load_key::<i32, T>(ctx, key).await
}

/// Loads by any key type (names by record, passages by fact).
pub async fn load_key<K, T>(ctx: &Context<'_>, key: K) -> Result<Option<T::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    T: Loader<K, Error = Error>,
{
    ctx.data_unchecked::<DataLoader<T>>().load_one(key).await
}

/// Loads a list relation as GraphQL objects; no rows is an empty list.
pub async fn load_many<T, R, O>(ctx: &Context<'_>, key: i32) -> Result<Vec<O>>
where
    T: Loader<i32, Error = Error, Value = Vec<R>>,
    R: Clone + Send + Sync + 'static,
    O: From<R>,
{
    let rows = load_one::<T>(ctx, key).await?.unwrap_or_default();
    Ok(rows.into_iter().map(O::from).collect())
}

/// Loads the object a foreign key promises exists.
pub async fn load_required<T, O>(ctx: &Context<'_>, key: i32) -> Result<O>
where
    T: Loader<i32, Error = Error>,
    O: From<T::Value>,
{
    match load_one::<T>(ctx, key).await? {
        Some(row) => Ok(O::from(row)),
        None => {
            tracing::error!(key, loader = std::any::type_name::<T>(), "dangling foreign key");
            Err(Error::dangling(format!("{key}")))
        }
    }
}

/// Loads the object an optional foreign key points to.
pub async fn load_optional<T, O>(ctx: &Context<'_>, key: Option<i32>) -> Result<Option<O>>
where
    T: Loader<i32, Error = Error>,
    O: From<T::Value>,
{
    match key {
        Some(key) => load_required::<T, O>(ctx, key).await.map(Some),
        None => Ok(None),
    }
}
