//! The root `Query` type.

use async_graphql::{Context, ID, Object};
use entity::{battle, belligerent, phase};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use super::connections::{
    self, BattleConnection, CommanderConnection, EventConnection, ForceConnection, PlaceConnection, Scope,
};
use super::filters::{BattleFilter, CommanderFilter, EventFilter, ForceFilter, PlaceFilter};
use super::ids::{self, NodeType};
use super::orders::{BattleOrder, CommanderOrder, ForceOrder};
use super::search::{self, SearchConnection, SearchType};
use super::types::{Battle, Belligerent, Node, Phase, SearchResult};
use crate::data::loaders::{
    self, BattleById, BelligerentById, CommanderById, EventById, ForceById, PhaseById, PlaceById,
};
use crate::data::pagination::PageRequest;
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

    /// The places the battles' texts name, in the dataset's order (by ID: in the order the source first names them).
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn places(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only the places that match the filter; null or {} for all.")] filter: Option<PlaceFilter>,
    ) -> Result<PlaceConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        connections::places(ctx, request, filter.as_ref()).await
    }

    /// The dated events of the narratives. By date, then battle ordinal, then position in the narrative.
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only the events that match the filter; null or {} for all.")] filter: Option<EventFilter>,
    ) -> Result<EventConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        connections::events(ctx, request, filter.as_ref()).await
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

    /// Battles, commanders, forces and places whose names contain the text, as `searchConnection` matches names: its first results by name, without the reasons.
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1 to 100 characters, matched as searchConnection matches them.")] text: String,
        #[graphql(
            default_with = "Some(20)",
            desc = "At most this many results (at most 100); null means 20."
        )]
        first: Option<i32>,
    ) -> Result<Vec<SearchResult>> {
        search::first_results(ctx, &text, first.unwrap_or(20)).await
    }

    /// Battles, commanders, forces and places by any of their names (any script or romanization, any case, simplified or traditional characters, with or without the diacritics, spaces, hyphens and apostrophes of romanizations: "hsueh yueh" finds Hsüeh Yüeh, "t'ai-erh-chuang" finds 台儿庄) or by the words of a battle's text, and events by the words of their clause. Text is matched literally (no wildcards). Best matches first: a whole name, then the start of a name, then part of a name, then the text; ties by type (battles, commanders, forces, places, events), then ID.
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, None, child_complexity)")]
    async fn search_connection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1 to 100 characters.")] text: String,
        #[graphql(desc = "Only results of these types; null for all.")] types: Option<Vec<SearchType>>,
        #[graphql(desc = "At most this many (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor (of a searchConnection).")] after: Option<String>,
    ) -> Result<SearchConnection> {
        search::connection(ctx, &text, types.as_deref(), first, after.as_deref()).await
    }
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
        NodeType::Place => loaders::load_one::<PlaceById>(ctx, id)
            .await?
            .map(|m| Node::Place(m.into())),
        NodeType::Event => loaders::load_one::<EventById>(ctx, id)
            .await?
            .map(|m| Node::Event(m.into())),
    })
}
