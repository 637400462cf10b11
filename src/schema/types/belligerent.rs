//! `Belligerent`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{NameSubject, belligerent};

use super::knowledge::{self, Name};
use super::{Battle, Commander, Force};
use crate::data::lists;
use crate::data::loaders::{self, BattlesByBelligerent, CommandersByBelligerent, ForcesByBelligerent};
use crate::data::pagination::PageRequest;
use crate::error::Result;
use crate::schema::connections::{self, BattleConnection, CommanderConnection, ForceConnection, Scope};
use crate::schema::filters::{BattleFilter, CommanderFilter, ForceFilter};
use crate::schema::ids::{NodeType, encode};
use crate::schema::orders::{BattleOrder, CommanderOrder, ForceOrder};

/// A party to the war: China, Japan, and the others the source names as fighting.
#[derive(Clone)]
pub struct Belligerent(pub Arc<belligerent::Model>);

/// A party to the war: China, Japan, and the others the source names as fighting.
#[Object]
impl Belligerent {
    /// The belligerent's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Belligerent, self.0.id)
    }

    /// e.g. "中国", "日本".
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A BCP 47 tag (zh-Hant, ja, en, zh-Latn-pinyin, ...): the preferred name in that language, else the source's form."
        )]
        lang: Option<String>,
    ) -> Result<String> {
        knowledge::name_in(ctx, NameSubject::Belligerent, self.0.id, &self.0.name, lang).await
    }

    /// Every name: zh-Hans (as the source writes it), en, zh-Hant, and, where they apply, ja, zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn names(&self, ctx: &Context<'_>) -> Result<Vec<Name>> {
        knowledge::names_of(ctx, NameSubject::Belligerent, self.0.id).await
    }

    /// The record is the dataset's own judgement, not stated by the source; `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark: why the record is editorial, or what a reader should know (e.g. where other accounts differ).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// e.g. "China", "Japan".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Its forces named in the source.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn forces(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        loaders::load_many::<ForcesByBelligerent, _, _>(ctx, self.0.id).await
    }

    /// Its commanders named in the source.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn commanders(&self, ctx: &Context<'_>) -> Result<Vec<Commander>> {
        loaders::load_many::<CommandersByBelligerent, _, _>(ctx, self.0.id).await
    }

    /// The battles it fought in, by ordinal.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByBelligerent, _, _>(ctx, self.0.id).await
    }

    /// The battles it fought in, as a connection that pages, filters, orders, counts and aggregates like `Query.battles`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn battles_connection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor (of this list).")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor (of this list).")] before: Option<String>,
        #[graphql(desc = "Only those that match the filter; null or {} for all.")] filter: Option<BattleFilter>,
        #[graphql(desc = "The order of the list; null means ORDINAL_ASC.")] order_by: Option<BattleOrder>,
    ) -> Result<BattleConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        let scope = Scope::Of(&lists::BELLIGERENT_BATTLES, self.0.id);
        connections::battles(ctx, scope, request, filter.as_ref(), order_by).await
    }

    /// Its forces, as a connection that pages, filters, orders and counts like `Query.forces`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn forces_connection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor (of this list).")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor (of this list).")] before: Option<String>,
        #[graphql(desc = "Only those that match the filter; null or {} for all.")] filter: Option<ForceFilter>,
        #[graphql(desc = "The order of the list; null keeps the dataset's order (by ID).")] order_by: Option<
            ForceOrder,
        >,
    ) -> Result<ForceConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        let scope = Scope::Of(&lists::BELLIGERENT_FORCES, self.0.id);
        connections::forces(ctx, scope, request, filter.as_ref(), order_by).await
    }

    /// Its commanders, as a connection that pages, filters, orders and counts like `Query.commanders`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn commanders_connection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many from the start (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor (of this list).")] after: Option<String>,
        #[graphql(desc = "At most this many from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor (of this list).")] before: Option<String>,
        #[graphql(desc = "Only those that match the filter; null or {} for all.")] filter: Option<CommanderFilter>,
        #[graphql(desc = "The order of the list; null keeps the dataset's order (by ID).")] order_by: Option<
            CommanderOrder,
        >,
    ) -> Result<CommanderConnection> {
        let request = PageRequest::new(first, after, last, before)?;
        let scope = Scope::Of(&lists::BELLIGERENT_COMMANDERS, self.0.id);
        connections::commanders(ctx, scope, request, filter.as_ref(), order_by).await
    }
}
