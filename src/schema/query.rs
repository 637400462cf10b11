//! The root `Query` type.

use async_graphql::{Context, ID, Object};
use entity::{battle, belligerent, commander, force, phase};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::connections::{self, BattleConnection, CommanderConnection, ForceConnection, Scope};
use super::filters::{BattleFilter, CommanderFilter, ForceFilter, name_contains};
use super::ids::{self, NodeType};
use super::orders::{BattleOrder, CommanderOrder, ForceOrder};
use super::text;
use super::types::{Battle, Belligerent, Node, Phase, SearchResult};
use crate::data::loaders::{self, BattleById, BelligerentById, CommanderById, ForceById, PhaseById};
use crate::data::pagination::{MAX_PAGE_SIZE, PageRequest};
use crate::data::pool::RequestDb;
use crate::error::{Error, Result};

/// The most IDs one `nodes` call may ask for.
pub const MAX_NODES: usize = 100;

/// The entry points: look-ups by ID, paginated lists with filters, search.
pub struct QueryRoot;

/// The entry points: look-ups by ID, paginated lists with filters, search.
#[Object(name = "Query")]
impl QueryRoot {
    /// Any object by its global ID; null when no object has it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as `id` fields give them.")] id: ID,
    ) -> Result<Option<Node>> {
        let Some((node_type, number)) = ids::decode(&id) else {
            return Ok(None);
        };
        load_node(ctx, node_type, number).await
    }

    /// Several objects by global ID, in the order asked; null for each unknown ID.
    #[graphql(complexity = "1 + ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Up to 100 global IDs.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(Error::bad_input(format!(
                "nodes: at most {MAX_NODES} IDs, not {}",
                ids.len()
            )));
        }
        // Each load joins its loader's batch, so this is one statement per type.
        let loads = ids.iter().map(|id| async move {
            match ids::decode(id) {
                Some((node_type, number)) => load_node(ctx, node_type, number).await,
                None => Ok(None),
            }
        });
        futures_util::future::try_join_all(loads).await
    }

    /// The battles, in the source's order unless `orderBy` says otherwise.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn battles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only the battles that match the filter; null or {} for all.")] filter: Option<BattleFilter>,
        #[graphql(
            default_with = "Some(BattleOrder::OrdinalAsc)",
            desc = "The order of the list; null means ORDINAL_ASC."
        )]
        order_by: Option<BattleOrder>,
    ) -> Result<BattleConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        connections::battles(ctx, Scope::Root, request, filter.as_ref(), order_by).await
    }

    /// The commanders, in the dataset's order unless `orderBy` says otherwise.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn commanders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only the commanders that match the filter; null or {} for all.")] filter: Option<
            CommanderFilter,
        >,
        #[graphql(desc = "The order of the list; null keeps the dataset's order (by ID).")] order_by: Option<
            CommanderOrder,
        >,
    ) -> Result<CommanderConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        connections::commanders(ctx, Scope::Root, request, filter.as_ref(), order_by).await
    }

    /// The forces (units), in the dataset's order unless `orderBy` says otherwise.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn forces(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only the forces that match the filter; null or {} for all.")] filter: Option<ForceFilter>,
        #[graphql(desc = "The order of the list; null keeps the dataset's order (by ID).")] order_by: Option<
            ForceOrder,
        >,
    ) -> Result<ForceConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        connections::forces(ctx, Scope::Root, request, filter.as_ref(), order_by).await
    }

    /// Every belligerent, China and Japan first.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn belligerents(&self, ctx: &Context<'_>) -> Result<Vec<Belligerent>> {
        let rows = belligerent::Entity::find()
            .order_by_asc(belligerent::Column::Id)
            .all(db(ctx))
            .await?;
        Ok(rows.into_iter().map(Belligerent::from).collect())
    }

    /// Every phase of the war, in order.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn phases(&self, ctx: &Context<'_>) -> Result<Vec<Phase>> {
        let rows = phase::Entity::find()
            .order_by_asc(phase::Column::Ordinal)
            .all(db(ctx))
            .await?;
        Ok(rows.into_iter().map(Phase::from).collect())
    }

    /// A battle by its position in the source list, 1..30; null if there is none.
    async fn battle(&self, ctx: &Context<'_>, #[graphql(desc = "1..30.")] ordinal: i32) -> Result<Option<Battle>> {
        let row = battle::Entity::find()
            .filter(battle::COLUMN.ordinal.eq(ordinal))
            .one(db(ctx))
            .await?;
        Ok(row.map(Battle::from))
    }

    /// Battles, commanders and forces whose Chinese or English name contains the text:
    /// battles first (by ordinal), then commanders, then forces.
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1 to 100 characters; English matches in any case.")] text: String,
        #[graphql(
            default_with = "Some(20)",
            desc = "At most this many results (at most 100); null means 20."
        )]
        first: Option<i32>,
    ) -> Result<Vec<SearchResult>> {
        let first = first.unwrap_or(20);
        let text = text::required("search.text", &text)?;
        if !(0..=MAX_PAGE_SIZE).contains(&first) {
            return Err(Error::bad_input(format!(
                "search: first must be between 0 and {MAX_PAGE_SIZE}, not {first}"
            )));
        }
        let mut left = first as u64;
        let db = db(ctx);
        use {battle::Column as B, commander::Column as C, force::Column as F};
        let battles = matching::<battle::Entity, _>(db, B::Name, B::NameEn, B::Ordinal, text, left).await?;
        let mut results: Vec<SearchResult> = battles.into_iter().map(|b| SearchResult::Battle(b.into())).collect();
        left -= results.len() as u64;
        if left > 0 {
            let commanders = matching::<commander::Entity, _>(db, C::Name, C::NameEn, C::Id, text, left).await?;
            left -= commanders.len() as u64;
            results.extend(commanders.into_iter().map(|c| SearchResult::Commander(c.into())));
        }
        if left > 0 {
            let forces = matching::<force::Entity, _>(db, F::Name, F::NameEn, F::Id, text, left).await?;
            results.extend(forces.into_iter().map(|f| SearchResult::Force(f.into())));
        }
        Ok(results)
    }
}

/// Up to `limit` rows of `E` whose name contains `text`, in `order`.
async fn matching<E, C>(db: &RequestDb, name: C, name_en: C, order: C, text: &str, limit: u64) -> Result<Vec<E::Model>>
where
    E: EntityTrait<Column = C>,
    C: ColumnTrait,
{
    Ok(E::find()
        .filter(name_contains(name, name_en, text))
        .order_by_asc(order)
        .limit(limit)
        .all(db)
        .await?)
}

fn db<'a>(ctx: &Context<'a>) -> &'a RequestDb {
    ctx.data_unchecked::<RequestDb>()
}

async fn load_node(ctx: &Context<'_>, node_type: NodeType, id: i32) -> Result<Option<Node>> {
    Ok(match node_type {
        NodeType::Battle => loaders::load_one::<BattleById>(ctx, id)
            .await?
            .map(|m| Node::Battle(m.into())),
        NodeType::Commander => loaders::load_one::<CommanderById>(ctx, id)
            .await?
            .map(|m| Node::Commander(m.into())),
        NodeType::Force => loaders::load_one::<ForceById>(ctx, id)
            .await?
            .map(|m| Node::Force(m.into())),
        NodeType::Belligerent => loaders::load_one::<BelligerentById>(ctx, id)
            .await?
            .map(|m| Node::Belligerent(m.into())),
        NodeType::Phase => loaders::load_one::<PhaseById>(ctx, id)
            .await?
            .map(|m| Node::Phase(m.into())),
    })
}
