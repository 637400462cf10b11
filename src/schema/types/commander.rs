//! `Commander`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{NameSubject, commander};

use super::knowledge::{self, Name};
use super::{Battle, Belligerent, Command};
use crate::data::lists;
use crate::data::loaders::{self, BattlesByCommander, BelligerentById, CommandsByCommander};
use crate::data::pagination::PageRequest;
use crate::error::Result;
use crate::schema::connections::{self, BattleConnection, Scope};
use crate::schema::filters::BattleFilter;
use crate::schema::ids::{NodeType, encode};
use crate::schema::orders::BattleOrder;

/// A commander the source names, on one belligerent's side.
#[derive(Clone)]
pub struct Commander(pub Arc<commander::Model>);

/// A commander the source names, on one belligerent's side.
#[Object]
impl Commander {
    /// The commander's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Commander, self.0.id)
    }

    /// As the source writes it, e.g. "薛岳".
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A BCP 47 tag (zh-Hant, ja, en, zh-Latn-pinyin, ...): the preferred name in that language, else the source's form."
        )]
        lang: Option<String>,
    ) -> Result<String> {
        knowledge::name_in(ctx, NameSubject::Commander, self.0.id, &self.0.name, lang).await
    }

    /// Every name: zh-Hans (as the source writes it), en, zh-Hant, and, where they apply, ja, zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn names(&self, ctx: &Context<'_>) -> Result<Vec<Name>> {
        knowledge::names_of(ctx, NameSubject::Commander, self.0.id).await
    }

    /// The record is the dataset's own judgement, not stated by the source; `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark: why the record is editorial, or what a reader should know (e.g. where other accounts differ).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// As English-language histories write it, e.g. "Xue Yue", "Okamura Yasuji".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// The side he fought on.
    async fn belligerent(&self, ctx: &Context<'_>) -> Result<Belligerent> {
        loaders::load_required::<BelligerentById, _>(ctx, self.0.belligerent_id).await
    }

    /// Every battle he took part in, by start date.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByCommander, _, _>(ctx, self.0.id).await
    }

    /// His part in each of those battles: post, force, fate; by battle ordinal.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn commands(&self, ctx: &Context<'_>) -> Result<Vec<Command>> {
        loaders::load_many::<CommandsByCommander, _, _>(ctx, self.0.id).await
    }

    /// His battles, as a connection that pages, filters, orders, counts and aggregates like `Query.battles`.
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
        let scope = Scope::Of(&lists::COMMANDER_BATTLES, self.0.id);
        connections::battles(ctx, scope, request, filter.as_ref(), order_by).await
    }
}
