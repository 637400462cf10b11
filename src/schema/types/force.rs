//! `Force` and `ForceKind`.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use entity::{NameSubject, force};

use super::knowledge::{self, Name, Participation};
use super::{Battle, Belligerent};
use crate::data::lists;
use crate::data::loaders::{self, BattlesByForce, BelligerentById, ForceById, SubordinatesByForce};
use crate::data::pagination::PageRequest;
use crate::error::Result;
use crate::schema::connections::{self, BattleConnection, ForceConnection, Scope};
use crate::schema::filters::{BattleFilter, ForceFilter};
use crate::schema::ids::{NodeType, encode};
use crate::schema::orders::{BattleOrder, ForceOrder};

/// A unit of one belligerent: a war zone, army, division, brigade, ...
#[derive(Clone)]
pub struct Force(pub Arc<force::Model>);

/// A unit of one belligerent: a war zone, army, division, brigade, ...
#[Object]
impl Force {
    /// The force's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Force, self.0.id)
    }

    /// As the source writes it, normalised to the full form, e.g. "第74军", "第5师团".
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A BCP 47 tag (zh-Hant, ja, en, zh-Latn-pinyin, ...): the preferred name in that language, else the source's form."
        )]
        lang: Option<String>,
    ) -> Result<String> {
        knowledge::name_in(ctx, NameSubject::Force, self.0.id, &self.0.name, lang).await
    }

    /// Every name: zh-Hans (as the source writes it), en, zh-Hant, and, where they apply, ja, zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn names(&self, ctx: &Context<'_>) -> Result<Vec<Name>> {
        knowledge::names_of(ctx, NameSubject::Force, self.0.id).await
    }

    /// The record is the dataset's own judgement, not stated by the source; `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark: why the record is editorial, or what a reader should know (e.g. where other accounts differ).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// e.g. "74th Army", "5th Division".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Its echelon.
    async fn kind(&self) -> ForceKind {
        self.0.kind.into()
    }

    /// The side it fought on.
    async fn belligerent(&self, ctx: &Context<'_>) -> Result<Belligerent> {
        loaders::load_required::<BelligerentById, _>(ctx, self.0.belligerent_id).await
    }

    /// The force it belongs to, where the source says so (第57师 -> 第74军).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Force>> {
        loaders::load_optional::<ForceById, _>(ctx, self.0.parent_id).await
    }

    /// The forces that belong to it, where the source says so.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn subordinates(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        loaders::load_many::<SubordinatesByForce, _, _>(ctx, self.0.id).await
    }

    /// Every battle it took part in, by start date.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByForce, _, _>(ctx, self.0.id).await
    }

    /// Its part in each battle, with the source's words that name it there; by battle ordinal.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn participations(&self, ctx: &Context<'_>) -> Result<Vec<Participation>> {
        knowledge::of_force(ctx, self.0.id).await
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
        let scope = Scope::Of(&lists::FORCE_BATTLES, self.0.id);
        connections::battles(ctx, scope, request, filter.as_ref(), order_by).await
    }

    /// Its subordinates, as a connection that pages, filters, orders and counts like `Query.forces`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::pipeline::limits::page_cost(first, last, child_complexity)")]
    async fn subordinates_connection(
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
        let scope = Scope::Of(&lists::FORCE_SUBORDINATES, self.0.id);
        connections::forces(ctx, scope, request, filter.as_ref(), order_by).await
    }
}

/// The echelon of a force.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::ForceKind")]
pub enum ForceKind {
    /// 战区
    WarZone,
    /// A general army (総軍), above the area armies: 支那派遣軍.
    GeneralArmy,
    /// 方面军
    AreaArmy,
    /// 集团军 / 兵团
    ArmyGroup,
    /// 军 (Chinese corps-sized army; Japanese 军 such as 第11军)
    Army,
    /// 师 / 师团
    Division,
    /// 旅 / 旅团 / 混成旅团
    Brigade,
    /// 团 / 联队
    Regiment,
    /// 支队 / 挺进纵队 / 大刀队
    Detachment,
    /// 海军, 舰队, 海军陆战队
    Naval,
    /// 空军
    Air,
    /// Anything else.
    Other,
}
