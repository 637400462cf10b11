//! The list filters: GraphQL inputs, checked, turned into SQL conditions.
//!
//! What a filter means, exactly (also in the README, "Asking questions"):
//! - the conditions given in one filter object must all hold; `and` adds
//!   filters that must all hold, `or` filters of which one must, `not` a
//!   filter that must not;
//! - a field left out does not filter; a field given as `null` is refused
//!   (`BAD_USER_INPUT`), as are an empty `and`/`or` list and an empty
//!   object inside `and`, `or`, `not`, `side` or a figure: each of these
//!   reads as a restriction but would restrict nothing (or everything), so
//!   the server does not guess. The `filter` argument itself may be `null`
//!   or `{}`: no filter, the whole list;
//! - IDs must name existing objects of the right type;
//! - at most [`MAX_DEPTH`] levels of `and`/`or`/`not` and [`MAX_OBJECTS`]
//!   filter objects in one filter.
//!
//! Filters are checked in one pass that builds the condition and collects
//! the IDs it names; the IDs are then looked up together (one statement per
//! type, through the loaders).

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined};
use entity::{
    battle, battle_force, battle_place, battle_side, command, commander, event, event_commander, event_force,
    event_place, force, place,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, IntoSimpleExpr, QuerySelect, QueryTrait};

use super::geo::GeoCircle;
use super::ids::{NodeType, decode_as};
use super::scalars::Date;
use super::text;
use super::types::{ForceKind, PlaceKind, QuantityQualifier};
use crate::data::loaders::{
    self, BattleById, BelligerentById, CommanderById, EventById, ForceById, PhaseById, PlaceById,
};
use crate::error::{Error, Result};

/// Levels of `and`/`or`/`not` one filter may nest.
pub const MAX_DEPTH: usize = 5;
/// Filter objects one filter may hold, nested ones included.
pub const MAX_OBJECTS: usize = 32;

/// Filters for lists of battles. Every condition given must hold; leave a
/// field out not to filter by it (null is refused).
#[derive(InputObject, Default)]
pub struct BattleFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: MaybeUndefined<String>,
    /// Battles of this phase.
    pub phase_id: MaybeUndefined<ID>,
    /// Battles this belligerent fought in.
    pub belligerent_id: MaybeUndefined<ID>,
    /// Battles this commander is named in.
    pub commander_id: MaybeUndefined<ID>,
    /// Battles this force took part in.
    pub force_id: MaybeUndefined<ID>,
    /// Battles under way on that day (see `certainty`).
    pub active_on: MaybeUndefined<Date>,
    /// Battles that overlap [from, to] (see `certainty`). Alone: battles that ended on or after that day.
    pub from: MaybeUndefined<Date>,
    /// With `from`: battles that overlap [from, to]. Alone: battles that began by that day.
    pub to: MaybeUndefined<Date>,
    /// How `activeOn`, `from` and `to` of this filter treat dates known only to the ten days or the month. Default POSSIBLE.
    pub certainty: MaybeUndefined<DateCertainty>,
    /// Battles where at least one side matches every condition given.
    pub side: MaybeUndefined<BattleSideFilter>,
    /// Battles whose title, narrative or outcome names this place.
    pub place_id: MaybeUndefined<ID>,
    /// Battles that name a place within the circle.
    pub near: MaybeUndefined<GeoCircle>,
    /// Every one of these filters holds (at least one filter).
    pub and: MaybeUndefined<Vec<BattleFilter>>,
    /// At least one of these filters holds (at least one filter).
    pub or: MaybeUndefined<Vec<BattleFilter>>,
    /// This filter does not hold.
    pub not: MaybeUndefined<Box<BattleFilter>>,
}

/// How activeOn and from/to treat dates known only to the ten days or the month.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateCertainty {
    /// The battle may have been under way (the core contract's rule):
    /// activeOn: start.earliest <= day <= end.latest;
    /// from/to: start.earliest <= to and end.latest >= from.
    #[default]
    Possible,
    /// The battle was under way whatever the exact dates:
    /// activeOn: start.latest <= day <= end.earliest;
    /// from/to: start.latest <= to and end.earliest >= from.
    Certain,
}

/// Conditions on a figure. Comparisons use the stated value; qualifier keeps only figures hedged in one of these ways. A side where the source states no such figure matches none of them.
#[derive(InputObject, Default)]
pub struct QuantityFilter {
    /// The value is greater than this.
    pub gt: MaybeUndefined<i32>,
    /// The value is at least this.
    pub gte: MaybeUndefined<i32>,
    /// The value is less than this.
    pub lt: MaybeUndefined<i32>,
    /// The value is at most this.
    pub lte: MaybeUndefined<i32>,
    /// The figure is hedged in one of these ways (at least one).
    pub qualifier: MaybeUndefined<Vec<QuantityQualifier>>,
}

/// Holds when at least one side of the battle matches every condition given.
#[derive(InputObject, Default)]
pub struct BattleSideFilter {
    /// The side is this belligerent.
    pub belligerent_id: MaybeUndefined<ID>,
    /// Its troops committed, as the source states them.
    pub strength: MaybeUndefined<QuantityFilter>,
    /// Its casualties, as the source states them.
    pub casualties: MaybeUndefined<QuantityFilter>,
}

/// Filters for lists of commanders. Every condition given must hold; leave
/// a field out not to filter by it (null is refused).
#[derive(InputObject, Default)]
pub struct CommanderFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: MaybeUndefined<String>,
    /// Commanders of this belligerent.
    pub belligerent_id: MaybeUndefined<ID>,
    /// Every one of these filters holds (at least one filter).
    pub and: MaybeUndefined<Vec<CommanderFilter>>,
    /// At least one of these filters holds (at least one filter).
    pub or: MaybeUndefined<Vec<CommanderFilter>>,
    /// This filter does not hold.
    pub not: MaybeUndefined<Box<CommanderFilter>>,
}

/// Filters for lists of forces. Every condition given must hold; leave a
/// field out not to filter by it (null is refused).
#[derive(InputObject, Default)]
pub struct ForceFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: MaybeUndefined<String>,
    /// Forces of this belligerent.
    pub belligerent_id: MaybeUndefined<ID>,
    /// Forces of this kind.
    pub kind: MaybeUndefined<ForceKind>,
    /// Every one of these filters holds (at least one filter).
    pub and: MaybeUndefined<Vec<ForceFilter>>,
    /// At least one of these filters holds (at least one filter).
    pub or: MaybeUndefined<Vec<ForceFilter>>,
    /// This filter does not hold.
    pub not: MaybeUndefined<Box<ForceFilter>>,
}

/// Filters for lists of places. Every condition given must hold; leave a
/// field out not to filter by it (null is refused).
#[derive(InputObject, Default)]
pub struct PlaceFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: MaybeUndefined<String>,
    /// Places of this kind.
    pub kind: MaybeUndefined<PlaceKind>,
    /// Places whose location lies within the circle (places without a location never do).
    pub near: MaybeUndefined<GeoCircle>,
    /// Places this battle's title, narrative or outcome names.
    pub battle_id: MaybeUndefined<ID>,
    /// Every one of these filters holds (at least one filter).
    pub and: MaybeUndefined<Vec<PlaceFilter>>,
    /// At least one of these filters holds (at least one filter).
    pub or: MaybeUndefined<Vec<PlaceFilter>>,
    /// This filter does not hold.
    pub not: MaybeUndefined<Box<PlaceFilter>>,
}

/// Filters for lists of events. Every condition given must hold; leave a
/// field out not to filter by it (null is refused).
#[derive(InputObject, Default)]
pub struct EventFilter {
    /// Events whose date may be that day (date.earliest <= day <= date.latest).
    pub on: MaybeUndefined<Date>,
    /// Events whose date may fall in [from, to] (date.latest >= from). Alone: events that may be on or after that day.
    pub from: MaybeUndefined<Date>,
    /// Events whose date may fall in [from, to] (date.earliest <= to). Alone: events that may be on or before that day.
    pub to: MaybeUndefined<Date>,
    /// Events of this battle's narrative.
    pub battle_id: MaybeUndefined<ID>,
    /// Events whose clause names this place.
    pub place_id: MaybeUndefined<ID>,
    /// Events whose clause names this force.
    pub force_id: MaybeUndefined<ID>,
    /// Events whose clause names this commander.
    pub commander_id: MaybeUndefined<ID>,
    /// Every one of these filters holds (at least one filter).
    pub and: MaybeUndefined<Vec<EventFilter>>,
    /// At least one of these filters holds (at least one filter).
    pub or: MaybeUndefined<Vec<EventFilter>>,
    /// This filter does not hold.
    pub not: MaybeUndefined<Box<EventFilter>>,
}

/// `name` or `name_en` contains `text` (already checked by `text`); `%`,
/// `_` and `\` in it match themselves.
pub fn name_contains<C: ColumnTrait>(name: C, name_en: C, text: &str) -> Condition {
    let escaped: String = text
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
    Condition::any()
        .add(name.into_simple_expr().like(pattern()))
        .add(Expr::expr(Func::lower(name_en.into_simple_expr())).like(pattern()))
}

/// One pass over a filter: where it is (for messages), how much of it has
/// been seen, and the IDs it names.
pub struct Walk {
    objects: usize,
    ids: Vec<(NodeType, i32, String, ID)>,
}

impl Walk {
    /// A field's value; `null` is refused.
    fn given<'v, T>(&self, value: &'v MaybeUndefined<T>, path: &str, field: &str) -> Result<Option<&'v T>> {
        match value {
            MaybeUndefined::Undefined => Ok(None),
            MaybeUndefined::Null => Err(Error::bad_input(format!(
                "{path}.{field} is null: leave it out not to filter by it"
            ))),
            MaybeUndefined::Value(value) => Ok(Some(value)),
        }
    }

    /// The number behind an ID field, to be checked for existence later.
    fn id(&mut self, value: &MaybeUndefined<ID>, node_type: NodeType, path: &str, field: &str) -> Result<Option<i32>> {
        let Some(id) = self.given(value, path, field)? else {
            return Ok(None);
        };
        let argument = format!("{path}.{field}");
        let number = decode_as(id, node_type, &argument)?;
        self.ids.push((node_type, number, argument, id.clone()));
        Ok(Some(number))
    }

    /// An object inside `and`, `or`, `not`, `side` or a figure must say something.
    fn not_empty(conditions: usize, path: &str) -> Result<()> {
        if conditions == 0 {
            return Err(Error::bad_input(format!(
                "{path} is empty: give at least one condition"
            )));
        }
        Ok(())
    }

    fn enter(&mut self, path: &str, depth: usize) -> Result<()> {
        self.objects += 1;
        if depth > MAX_DEPTH {
            return Err(Error::bad_input(format!(
                "{path}: and/or/not nest at most {MAX_DEPTH} levels"
            )));
        }
        if self.objects > MAX_OBJECTS {
            return Err(Error::bad_input(format!(
                "{path}: a filter holds at most {MAX_OBJECTS} filter objects"
            )));
        }
        Ok(())
    }

    /// Checks that every ID named exists: an unknown ID is an error, not an empty list.
    async fn check_ids(&self, ctx: &Context<'_>) -> Result<()> {
        let lookups = self.ids.iter().map(|(node_type, number, _, _)| async move {
            let number = *number;
            Ok::<bool, Error>(match node_type {
                NodeType::Battle => loaders::load_one::<BattleById>(ctx, number).await?.is_some(),
                NodeType::Commander => loaders::load_one::<CommanderById>(ctx, number).await?.is_some(),
                NodeType::Force => loaders::load_one::<ForceById>(ctx, number).await?.is_some(),
                NodeType::Belligerent => loaders::load_one::<BelligerentById>(ctx, number).await?.is_some(),
                NodeType::Phase => loaders::load_one::<PhaseById>(ctx, number).await?.is_some(),
                NodeType::Place => loaders::load_one::<PlaceById>(ctx, number).await?.is_some(),
                NodeType::Event => loaders::load_one::<EventById>(ctx, number).await?.is_some(),
            })
        });
        let found = futures_util::future::try_join_all(lookups).await?;
        for ((node_type, _, argument, id), found) in self.ids.iter().zip(found) {
            if !found {
                return Err(Error::bad_input(format!(
                    "{argument}: no {} has the ID {:?}",
                    node_type.name(),
                    id.as_str()
                )));
            }
        }
        Ok(())
    }
}

/// A filter input's `and`, `or` and `not`.
type Combinators<'a, F> = (
    &'a MaybeUndefined<Vec<F>>,
    &'a MaybeUndefined<Vec<F>>,
    &'a MaybeUndefined<Box<F>>,
);

/// A filter input: its own conditions, and its `and`/`or`/`not`.
pub trait ListFilter: Sized {
    fn own(&self, walk: &mut Walk, path: &str) -> Result<Vec<Condition>>;
    fn combinators(&self) -> Combinators<'_, Self>;
}

/// `ListFilter::combinators` of a filter input with `and`, `or` and `not` fields.
macro_rules! combinators {
    () => {
        fn combinators(&self) -> Combinators<'_, Self> {
            (&self.and, &self.or, &self.not)
        }
    };
}

fn build<F: ListFilter>(filter: &F, walk: &mut Walk, path: &str, depth: usize) -> Result<Condition> {
    walk.enter(path, depth)?;
    let mut all = Condition::all();
    let own = filter.own(walk, path)?;
    let mut conditions = own.len();
    for condition in own {
        all = all.add(condition);
    }
    let (and, or, not) = filter.combinators();
    for (field, list, combine) in [("and", and, Condition::all()), ("or", or, Condition::any())] {
        if let Some(list) = walk.given(list, path, field)? {
            if list.is_empty() {
                return Err(Error::bad_input(format!(
                    "{path}.{field} is empty: give at least one filter"
                )));
            }
            let mut combined = combine;
            for (i, item) in list.iter().enumerate() {
                combined = combined.add(build(item, walk, &format!("{path}.{field}[{i}]"), depth + 1)?);
            }
            all = all.add(combined);
            conditions += 1;
        }
    }
    if let Some(not) = walk.given(not, path, "not")? {
        all = all.add(build(not.as_ref(), walk, &format!("{path}.not"), depth + 1)?.not());
        conditions += 1;
    }
    if depth > 0 {
        Walk::not_empty(conditions, path)?;
    }
    Ok(all)
}

/// The condition of a `filter` argument: none for `null`.
pub async fn condition<F: ListFilter>(ctx: &Context<'_>, filter: Option<&F>) -> Result<Condition> {
    let Some(filter) = filter else {
        return Ok(Condition::all());
    };
    let mut walk = Walk {
        objects: 0,
        ids: Vec::new(),
    };
    let condition = build(filter, &mut walk, "filter", 0)?;
    walk.check_ids(ctx).await?;
    Ok(condition)
}

fn name_filter<C: ColumnTrait>(
    walk: &Walk,
    value: &MaybeUndefined<String>,
    path: &str,
    columns: (C, C),
) -> Result<Option<Condition>> {
    let Some(value) = walk.given(value, path, "nameContains")? else {
        return Ok(None);
    };
    let text = text::checked(&format!("{path}.nameContains"), value)?;
    Ok(Some(name_contains(columns.0, columns.1, text)))
}

/// `listed IN (SELECT target FROM link WHERE column = id)`: the rows a link
/// table joins to `id`, e.g. the battles a commander is named in.
fn linked<E: EntityTrait>(listed: impl ColumnTrait, target: E::Column, column: E::Column, id: i32) -> Condition {
    let linked = E::find()
        .select_only()
        .column(target)
        .filter(column.eq(id))
        .into_query();
    Condition::all().add(listed.in_subquery(linked))
}

/// `battle.id IN (SELECT battle_id FROM link WHERE column = id)`.
fn battles_linked<E: EntityTrait>(battle_id: E::Column, column: E::Column, id: i32) -> Condition {
    linked::<E>(battle::Column::Id, battle_id, column, id)
}

use sea_orm::QueryFilter as _;

impl ListFilter for BattleFilter {
    fn own(&self, walk: &mut Walk, path: &str) -> Result<Vec<Condition>> {
        let mut own = Vec::new();
        own.extend(name_filter(
            walk,
            &self.name_contains,
            path,
            (battle::Column::Name, battle::Column::NameEn),
        )?);
        if let Some(id) = walk.id(&self.phase_id, NodeType::Phase, path, "phaseId")? {
            own.push(Condition::all().add(battle::COLUMN.phase_id.eq(id)));
        }
        if let Some(id) = walk.id(&self.belligerent_id, NodeType::Belligerent, path, "belligerentId")? {
            use battle_side::Column as S;
            own.push(battles_linked::<battle_side::Entity>(S::BattleId, S::BelligerentId, id));
        }
        if let Some(id) = walk.id(&self.commander_id, NodeType::Commander, path, "commanderId")? {
            use command::Column as C;
            own.push(battles_linked::<command::Entity>(C::BattleId, C::CommanderId, id));
        }
        if let Some(id) = walk.id(&self.force_id, NodeType::Force, path, "forceId")? {
            use battle_force::Column as F;
            own.push(battles_linked::<battle_force::Entity>(F::BattleId, F::ForceId, id));
        }
        own.extend(self.dates(walk, path)?);
        if let Some(side) = walk.given(&self.side, path, "side")? {
            own.push(side.condition(walk, &format!("{path}.side"))?);
        }
        if let Some(id) = walk.id(&self.place_id, NodeType::Place, path, "placeId")? {
            use battle_place::Column as P;
            own.push(battles_linked::<battle_place::Entity>(P::BattleId, P::PlaceId, id));
        }
        if let Some(near) = walk.given(&self.near, path, "near")? {
            let circle = near.check(&format!("{path}.near"))?;
            // Not correlated: the places in the circle are found once.
            let mut named = Query::select();
            named
                .column((battle_place::Entity, battle_place::Column::BattleId))
                .from(battle_place::Entity)
                .inner_join(
                    place::Entity,
                    Expr::col((place::Entity, place::Column::Id))
                        .equals((battle_place::Entity, battle_place::Column::PlaceId)),
                )
                .cond_where(circle.condition("place"));
            own.push(Condition::all().add(battle::Column::Id.in_subquery(named)));
        }
        Ok(own)
    }

    combinators!();
}

impl BattleFilter {
    /// `activeOn`, `from` and `to`, under this filter's `certainty`.
    fn dates(&self, walk: &Walk, path: &str) -> Result<Option<Condition>> {
        let active_on = walk.given(&self.active_on, path, "activeOn")?;
        let from = walk.given(&self.from, path, "from")?;
        let to = walk.given(&self.to, path, "to")?;
        let certainty = walk.given(&self.certainty, path, "certainty")?;
        if active_on.is_none() && from.is_none() && to.is_none() {
            if certainty.is_some() {
                return Err(Error::bad_input(format!(
                    "{path}.certainty applies to activeOn, from and to of the same filter: give one of them"
                )));
            }
            return Ok(None);
        }
        if let (Some(Date(from)), Some(Date(to))) = (from, to)
            && from > to
        {
            return Err(Error::bad_input(format!("{path}: from ({from}) is after to ({to})")));
        }
        // Under POSSIBLE a battle spans [start.earliest, end.latest]; under
        // CERTAIN only [start.latest, end.earliest].
        let (began, ended) = match certainty.copied().unwrap_or_default() {
            DateCertainty::Possible => (battle::COLUMN.start_earliest, battle::COLUMN.end_latest),
            DateCertainty::Certain => (battle::COLUMN.start_latest, battle::COLUMN.end_earliest),
        };
        let mut condition = Condition::all();
        if let Some(Date(day)) = active_on {
            condition = condition.add(began.lte(*day)).add(ended.gte(*day));
        }
        if let Some(Date(from)) = from {
            condition = condition.add(ended.gte(*from));
        }
        if let Some(Date(to)) = to {
            condition = condition.add(began.lte(*to));
        }
        Ok(Some(condition))
    }
}

impl BattleSideFilter {
    /// `battle.id IN (SELECT battle_id FROM battle_side WHERE the side matches)`:
    /// not correlated, so both planners read the matching sides once.
    fn condition(&self, walk: &mut Walk, path: &str) -> Result<Condition> {
        let side = Alias::new("side_filter");
        let column = |name: &str| Expr::col((side.clone(), Alias::new(name)));
        let mut matches = Query::select();
        matches
            .expr(column("battle_id"))
            .from_as(battle_side::Entity, side.clone());
        let mut conditions = 0;
        if let Some(id) = walk.id(&self.belligerent_id, NodeType::Belligerent, path, "belligerentId")? {
            matches.and_where(column("belligerent_id").eq(id));
            conditions += 1;
        }
        for (field, figure, value, qualifier) in [
            ("strength", &self.strength, "strength_value", "strength_qualifier"),
            (
                "casualties",
                &self.casualties,
                "casualties_value",
                "casualties_qualifier",
            ),
        ] {
            if let Some(figure) = walk.given(figure, path, field)? {
                let path = format!("{path}.{field}");
                matches.cond_where(figure.condition(walk, &path, column(value), column(qualifier))?);
                conditions += 1;
            }
        }
        Walk::not_empty(conditions, path)?;
        Ok(Condition::all().add(battle::Column::Id.in_subquery(matches)))
    }
}

impl QuantityFilter {
    fn condition(&self, walk: &Walk, path: &str, value: SimpleExpr, qualifier: SimpleExpr) -> Result<Condition> {
        let mut condition = Condition::all();
        let mut conditions = 0;
        for (field, bound) in [
            ("gt", &self.gt),
            ("gte", &self.gte),
            ("lt", &self.lt),
            ("lte", &self.lte),
        ] {
            if let Some(bound) = walk.given(bound, path, field)? {
                let value = value.clone();
                condition = condition.add(match field {
                    "gt" => value.gt(*bound),
                    "gte" => value.gte(*bound),
                    "lt" => value.lt(*bound),
                    _ => value.lte(*bound),
                });
                conditions += 1;
            }
        }
        if let Some(qualifiers) = walk.given(&self.qualifier, path, "qualifier")? {
            if qualifiers.is_empty() {
                return Err(Error::bad_input(format!(
                    "{path}.qualifier is empty: give at least one qualifier"
                )));
            }
            use sea_orm::ActiveEnum;
            let stored = qualifiers
                .iter()
                .map(|q| entity::QuantityQualifier::from(*q).to_value());
            condition = condition.add(qualifier.is_in(stored));
            conditions += 1;
        }
        Walk::not_empty(conditions, path)?;
        Ok(condition)
    }
}

impl ListFilter for CommanderFilter {
    fn own(&self, walk: &mut Walk, path: &str) -> Result<Vec<Condition>> {
        let mut own = Vec::new();
        own.extend(name_filter(
            walk,
            &self.name_contains,
            path,
            (commander::Column::Name, commander::Column::NameEn),
        )?);
        if let Some(id) = walk.id(&self.belligerent_id, NodeType::Belligerent, path, "belligerentId")? {
            own.push(Condition::all().add(commander::COLUMN.belligerent_id.eq(id)));
        }
        Ok(own)
    }

    combinators!();
}

impl ListFilter for ForceFilter {
    fn own(&self, walk: &mut Walk, path: &str) -> Result<Vec<Condition>> {
        let mut own = Vec::new();
        own.extend(name_filter(
            walk,
            &self.name_contains,
            path,
            (force::Column::Name, force::Column::NameEn),
        )?);
        if let Some(id) = walk.id(&self.belligerent_id, NodeType::Belligerent, path, "belligerentId")? {
            own.push(Condition::all().add(force::COLUMN.belligerent_id.eq(id)));
        }
        if let Some(kind) = walk.given(&self.kind, path, "kind")? {
            own.push(Condition::all().add(force::COLUMN.kind.eq(entity::ForceKind::from(*kind))));
        }
        Ok(own)
    }

    combinators!();
}

impl ListFilter for PlaceFilter {
    fn own(&self, walk: &mut Walk, path: &str) -> Result<Vec<Condition>> {
        let mut own = Vec::new();
        own.extend(name_filter(
            walk,
            &self.name_contains,
            path,
            (place::Column::Name, place::Column::NameEn),
        )?);
        if let Some(kind) = walk.given(&self.kind, path, "kind")? {
            own.push(Condition::all().add(place::COLUMN.kind.eq(entity::PlaceKind::from(*kind))));
        }
        if let Some(near) = walk.given(&self.near, path, "near")? {
            own.push(near.check(&format!("{path}.near"))?.condition("place"));
        }
        if let Some(id) = walk.id(&self.battle_id, NodeType::Battle, path, "battleId")? {
            use battle_place::Column as P;
            own.push(linked::<battle_place::Entity>(
                place::Column::Id,
                P::PlaceId,
                P::BattleId,
                id,
            ));
        }
        Ok(own)
    }

    combinators!();
}

/// `event.id IN (SELECT event_id FROM link WHERE column = id)`.
fn events_linked<E: EntityTrait>(event_id: E::Column, column: E::Column, id: i32) -> Condition {
    linked::<E>(event::Column::Id, event_id, column, id)
}

impl ListFilter for EventFilter {
    fn own(&self, walk: &mut Walk, path: &str) -> Result<Vec<Condition>> {
        let mut own = Vec::new();
        let on = walk.given(&self.on, path, "on")?;
        let from = walk.given(&self.from, path, "from")?;
        let to = walk.given(&self.to, path, "to")?;
        if let (Some(Date(from)), Some(Date(to))) = (from, to)
            && from > to
        {
            return Err(Error::bad_input(format!("{path}: from ({from}) is after to ({to})")));
        }
        // Every event's date lies within a month, so a date that may reach
        // `day` began at most that many days before it: a second bound on
        // date_earliest makes both an index range.
        let span = chrono::Days::new(migration::places::MAX_EVENT_SPAN_DAYS);
        let began_by = |day: chrono::NaiveDate| day.checked_sub_days(span).unwrap_or(day);
        if let Some(Date(day)) = on {
            own.push(
                Condition::all()
                    .add(event::COLUMN.date_earliest.lte(*day))
                    .add(event::COLUMN.date_earliest.gte(began_by(*day)))
                    .add(event::COLUMN.date_latest.gte(*day)),
            );
        }
        if let Some(Date(from)) = from {
            own.push(
                Condition::all()
                    .add(event::COLUMN.date_earliest.gte(began_by(*from)))
                    .add(event::COLUMN.date_latest.gte(*from)),
            );
        }
        if let Some(Date(to)) = to {
            own.push(Condition::all().add(event::COLUMN.date_earliest.lte(*to)));
        }
        if let Some(id) = walk.id(&self.battle_id, NodeType::Battle, path, "battleId")? {
            own.push(Condition::all().add(event::COLUMN.battle_id.eq(id)));
        }
        if let Some(id) = walk.id(&self.place_id, NodeType::Place, path, "placeId")? {
            use event_place::Column as L;
            own.push(events_linked::<event_place::Entity>(L::EventId, L::PlaceId, id));
        }
        if let Some(id) = walk.id(&self.force_id, NodeType::Force, path, "forceId")? {
            use event_force::Column as L;
            own.push(events_linked::<event_force::Entity>(L::EventId, L::ForceId, id));
        }
        if let Some(id) = walk.id(&self.commander_id, NodeType::Commander, path, "commanderId")? {
            use event_commander::Column as L;
            own.push(events_linked::<event_commander::Entity>(L::EventId, L::CommanderId, id));
        }
        Ok(own)
    }

    combinators!();
}
