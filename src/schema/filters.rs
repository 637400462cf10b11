//! The list filters and orderings: GraphQL inputs, checked, turned into SQL
//! conditions on indexed columns.

use async_graphql::{Context, Enum, ID, InputObject};
use chrono::NaiveDate;
use entity::{battle, battle_force, battle_side, command, commander, force};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, IntoSimpleExpr, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

use super::ids::{NodeType, decode_as};
use super::scalars::Date;
use super::text;
use super::types::ForceKind;
use crate::data::loaders::{self, BelligerentById, CommanderById, ForceById, PhaseById};
use crate::data::pagination::KeysetOrder;
use crate::error::{Error, Result};

/// Filters for `battles`. All given filters must hold.
#[derive(InputObject, Default)]
pub struct BattleFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: Option<String>,
    /// Battles of this phase.
    pub phase_id: Option<ID>,
    /// Battles this belligerent fought in.
    pub belligerent_id: Option<ID>,
    /// Battles this commander is named in.
    pub commander_id: Option<ID>,
    /// Battles this force took part in.
    pub force_id: Option<ID>,
    /// Battles under way on that day: start.earliest <= day <= end.latest.
    pub active_on: Option<Date>,
    /// Battles that overlap [from, to]. Alone: battles that ended on or after that day.
    pub from: Option<Date>,
    /// With `from`: battles that overlap [from, to]. Alone: battles that began by that day.
    pub to: Option<Date>,
}

/// How `battles` is ordered.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum BattleOrder {
    /// Position in the source list, 1..30.
    #[default]
    OrdinalAsc,
    /// By start.earliest, then ordinal.
    StartAsc,
    /// By start.earliest, latest first, then ordinal descending.
    StartDesc,
}

/// Filters for `commanders`. All given filters must hold.
#[derive(InputObject, Default)]
pub struct CommanderFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: Option<String>,
    /// Commanders of this belligerent.
    pub belligerent_id: Option<ID>,
}

/// Filters for `forces`. All given filters must hold.
#[derive(InputObject, Default)]
pub struct ForceFilter {
    /// Chinese or English name contains this text (English: any case).
    pub name_contains: Option<String>,
    /// Forces of this belligerent.
    pub belligerent_id: Option<ID>,
    /// Forces of this kind.
    pub kind: Option<ForceKind>,
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

/// The `nameContains` filter of a list.
fn name_filter<C: ColumnTrait>(name: C, name_en: C, value: &Option<String>) -> Result<Option<Condition>> {
    match value {
        Some(value) => Ok(Some(name_contains(
            name,
            name_en,
            text::checked("filter.nameContains", value)?,
        ))),
        None => Ok(None),
    }
}

/// The number behind a filter's ID, after checking that the object exists:
/// an unknown ID is an error, not an empty list.
async fn existing_id<T>(ctx: &Context<'_>, id: &ID, node_type: NodeType, argument: &str) -> Result<i32>
where
    T: async_graphql::dataloader::Loader<i32, Error = Error>,
{
    let number = decode_as(id, node_type, argument)?;
    match loaders::load_one::<T>(ctx, number).await? {
        Some(_) => Ok(number),
        None => Err(Error::bad_input(format!(
            "{argument}: no {} has the ID {:?}",
            node_type.name(),
            id.as_str()
        ))),
    }
}

impl BattleFilter {
    pub async fn apply(&self, ctx: &Context<'_>, mut select: Select<battle::Entity>) -> Result<Select<battle::Entity>> {
        if let Some(condition) = name_filter(battle::Column::Name, battle::Column::NameEn, &self.name_contains)? {
            select = select.filter(condition);
        }
        if let Some(id) = &self.phase_id {
            let phase_id = existing_id::<PhaseById>(ctx, id, NodeType::Phase, "filter.phaseId").await?;
            select = select.filter(battle::COLUMN.phase_id.eq(phase_id));
        }
        if let Some(id) = &self.belligerent_id {
            let belligerent_id =
                existing_id::<BelligerentById>(ctx, id, NodeType::Belligerent, "filter.belligerentId").await?;
            let fought = battle_side::Entity::find()
                .select_only()
                .column(battle_side::Column::BattleId)
                .filter(battle_side::COLUMN.belligerent_id.eq(belligerent_id));
            select = select.filter(battle::Column::Id.in_subquery(fought.into_query()));
        }
        if let Some(id) = &self.commander_id {
            let commander_id = existing_id::<CommanderById>(ctx, id, NodeType::Commander, "filter.commanderId").await?;
            let commanded = command::Entity::find()
                .select_only()
                .column(command::Column::BattleId)
                .filter(command::COLUMN.commander_id.eq(commander_id));
            select = select.filter(battle::Column::Id.in_subquery(commanded.into_query()));
        }
        if let Some(id) = &self.force_id {
            let force_id = existing_id::<ForceById>(ctx, id, NodeType::Force, "filter.forceId").await?;
            let fought = battle_force::Entity::find()
                .select_only()
                .column(battle_force::Column::BattleId)
                .filter(battle_force::COLUMN.force_id.eq(force_id));
            select = select.filter(battle::Column::Id.in_subquery(fought.into_query()));
        }
        if let Some(Date(day)) = self.active_on {
            select = select
                .filter(battle::COLUMN.start_earliest.lte(day))
                .filter(battle::COLUMN.end_latest.gte(day));
        }
        if let (Some(Date(from)), Some(Date(to))) = (self.from, self.to)
            && from > to
        {
            return Err(Error::bad_input(format!("filter: from ({from}) is after to ({to})")));
        }
        if let Some(Date(from)) = self.from {
            select = select.filter(battle::COLUMN.end_latest.gte(from));
        }
        if let Some(Date(to)) = self.to {
            select = select.filter(battle::COLUMN.start_earliest.lte(to));
        }
        Ok(select)
    }
}

impl CommanderFilter {
    pub async fn apply(
        &self,
        ctx: &Context<'_>,
        mut select: Select<commander::Entity>,
    ) -> Result<Select<commander::Entity>> {
        if let Some(condition) = name_filter(commander::Column::Name, commander::Column::NameEn, &self.name_contains)? {
            select = select.filter(condition);
        }
        if let Some(id) = &self.belligerent_id {
            let belligerent_id =
                existing_id::<BelligerentById>(ctx, id, NodeType::Belligerent, "filter.belligerentId").await?;
            select = select.filter(commander::COLUMN.belligerent_id.eq(belligerent_id));
        }
        Ok(select)
    }
}

impl ForceFilter {
    pub async fn apply(&self, ctx: &Context<'_>, mut select: Select<force::Entity>) -> Result<Select<force::Entity>> {
        if let Some(condition) = name_filter(force::Column::Name, force::Column::NameEn, &self.name_contains)? {
            select = select.filter(condition);
        }
        if let Some(id) = &self.belligerent_id {
            let belligerent_id =
                existing_id::<BelligerentById>(ctx, id, NodeType::Belligerent, "filter.belligerentId").await?;
            select = select.filter(force::COLUMN.belligerent_id.eq(belligerent_id));
        }
        if let Some(kind) = self.kind {
            select = select.filter(force::COLUMN.kind.eq(entity::ForceKind::from(kind)));
        }
        Ok(select)
    }
}

impl KeysetOrder<battle::Entity> for BattleOrder {
    fn tag(&self) -> &'static str {
        match self {
            BattleOrder::OrdinalAsc => "BattleOrdinal",
            BattleOrder::StartAsc => "BattleStartAsc",
            BattleOrder::StartDesc => "BattleStartDesc",
        }
    }

    fn position(&self, row: &battle::Model) -> String {
        match self {
            BattleOrder::OrdinalAsc => row.ordinal.to_string(),
            BattleOrder::StartAsc | BattleOrder::StartDesc => {
                format!("{}/{}", row.start_earliest, row.ordinal)
            }
        }
    }

    fn beyond(&self, position: &str, after: bool) -> Option<Condition> {
        match self {
            BattleOrder::OrdinalAsc => {
                let ordinal: i32 = position.parse().ok()?;
                let col = battle::COLUMN.ordinal;
                Some(Condition::all().add(if after { col.gt(ordinal) } else { col.lt(ordinal) }))
            }
            BattleOrder::StartAsc | BattleOrder::StartDesc => {
                let (day, ordinal) = position.split_once('/')?;
                let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
                let ordinal: i32 = ordinal.parse().ok()?;
                // "After" in descending order is "before" in ascending order.
                let later = after == (*self == BattleOrder::StartAsc);
                let (start, ord) = (battle::COLUMN.start_earliest, battle::COLUMN.ordinal);
                // The plain range on start_earliest comes first so that the
                // planners seek ix_battle_start to the cursor instead of
                // filtering every row before it (see docs/query-plans.md).
                Some(if later {
                    Condition::all().add(start.gte(day)).add(
                        Condition::any()
                            .add(start.gt(day))
                            .add(Condition::all().add(start.eq(day)).add(ord.gt(ordinal))),
                    )
                } else {
                    Condition::all().add(start.lte(day)).add(
                        Condition::any()
                            .add(start.lt(day))
                            .add(Condition::all().add(start.eq(day)).add(ord.lt(ordinal))),
                    )
                })
            }
        }
    }

    fn order(&self, select: Select<battle::Entity>, reverse: bool) -> Select<battle::Entity> {
        let ascending = match self {
            BattleOrder::OrdinalAsc | BattleOrder::StartAsc => !reverse,
            BattleOrder::StartDesc => reverse,
        };
        let order = if ascending {
            sea_orm::Order::Asc
        } else {
            sea_orm::Order::Desc
        };
        match self {
            BattleOrder::OrdinalAsc => select.order_by(battle::Column::Ordinal, order),
            BattleOrder::StartAsc | BattleOrder::StartDesc => select
                .order_by(battle::Column::StartEarliest, order.clone())
                .order_by(battle::Column::Ordinal, order),
        }
    }
}

/// Commanders and forces are listed by ID: the dataset's order.
pub struct ById;

macro_rules! order_by_id {
    ($entity:ident, $tag:literal) => {
        impl KeysetOrder<$entity::Entity> for ById {
            fn tag(&self) -> &'static str {
                $tag
            }

            fn position(&self, row: &$entity::Model) -> String {
                row.id.to_string()
            }

            fn beyond(&self, position: &str, after: bool) -> Option<Condition> {
                let id: i32 = position.parse().ok()?;
                let col = $entity::COLUMN.id;
                Some(Condition::all().add(if after { col.gt(id) } else { col.lt(id) }))
            }

            fn order(&self, select: Select<$entity::Entity>, reverse: bool) -> Select<$entity::Entity> {
                if reverse {
                    select.order_by_desc($entity::Column::Id)
                } else {
                    select.order_by_asc($entity::Column::Id)
                }
            }
        }
    };
}

order_by_id!(commander, "CommanderId");
order_by_id!(force, "ForceId");
