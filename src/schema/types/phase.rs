//! `Phase`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{NameSubject, phase};

use super::Battle;
use super::knowledge::{self, Name};
use crate::data::lists;
use crate::data::loaders::{self, BattlesByPhase};
use crate::data::pagination::PageRequest;
use crate::error::Result;
use crate::schema::connections::{self, BattleConnection, Scope};
use crate::schema::filters::BattleFilter;
use crate::schema::ids::{NodeType, encode};
use crate::schema::orders::BattleOrder;

/// A stage of the war as the source groups the battles (抗战初期, 战略相持阶段, ...).
#[derive(Clone)]
pub struct Phase(pub Arc<phase::Model>);

/// A stage of the war as the source groups the battles (抗战初期, 战略相持阶段, ...).
#[Object]
impl Phase {
    /// The phase's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Phase, self.0.id)
    }

    /// Position in time, 1 for the earliest.
    async fn ordinal(&self) -> i32 {
        self.0.ordinal
    }

    /// The source's heading, e.g. "抗战初期".
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A BCP 47 tag (zh-Hant, ja, en, zh-Latn-pinyin, ...): the preferred name in that language, else the source's form."
        )]
        lang: Option<String>,
    ) -> Result<String> {
        knowledge::name_in(ctx, NameSubject::Phase, self.0.id, &self.0.name, lang).await
    }

    /// Every name: zh-Hans (as the source writes it), en, zh-Hant, and, where they apply, ja, zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn names(&self, ctx: &Context<'_>) -> Result<Vec<Name>> {
        knowledge::names_of(ctx, NameSubject::Phase, self.0.id).await
    }

    /// The record is the dataset's own judgement, not stated by the source; `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark: why the record is editorial, or what a reader should know (e.g. where other accounts differ).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// e.g. "Early Stage of the War".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Its battles, by ordinal.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByPhase, _, _>(ctx, self.0.id).await
    }

    /// Its battles, as a connection that pages, filters, orders, counts and aggregates like `Query.battles`.
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
        let scope = Scope::Of(&lists::PHASE_BATTLES, self.0.id);
        connections::battles(ctx, scope, request, filter.as_ref(), order_by).await
    }
}
