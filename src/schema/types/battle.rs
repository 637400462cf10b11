//! `Battle`, and the links that hang off it: `BattleSide` and `Command`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{NameSubject, PassageSubject, battle, battle_side, command};

use super::knowledge::{self, Name, Participation, Passage};
use super::{Belligerent, Commander, Event, Force, FuzzyDate, Phase, Place, Quantity};
use crate::data::lists;
use crate::data::loaders::{
    self, BattleById, BelligerentById, CommanderById, CommandersByBattle, CommandsByBattle, EventsByBattle, ForceById,
    ForcesByBattle, PhaseById, PlacesByBattle, SidesByBattle,
};
use crate::data::pagination::PageRequest;
use crate::error::Result;
use crate::schema::connections::{self, CommanderConnection, ForceConnection, Scope};
use crate::schema::filters::{CommanderFilter, ForceFilter};
use crate::schema::ids::{NodeType, encode};
use crate::schema::orders::{CommanderOrder, ForceOrder};

/// A battle or campaign, as one entry of the source's list of 30.
#[derive(Clone)]
pub struct Battle(pub Arc<battle::Model>);

/// A battle or campaign, as one entry of the source's list of 30.
#[Object]
impl Battle {
    /// The battle's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Battle, self.0.id)
    }

    /// Position in the source list, 1..30.
    async fn ordinal(&self) -> i32 {
        self.0.ordinal
    }

    /// The title as the source writes it, e.g. "淞沪会战".
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A BCP 47 tag (zh-Hant, ja, en, zh-Latn-pinyin, ...): the preferred name in that language, else the source's form."
        )]
        lang: Option<String>,
    ) -> Result<String> {
        knowledge::name_in(ctx, NameSubject::Battle, self.0.id, &self.0.name, lang).await
    }

    /// Every name: zh-Hans (as the source writes it), en, zh-Hant, and, where they apply, ja, zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn names(&self, ctx: &Context<'_>) -> Result<Vec<Name>> {
        knowledge::names_of(ctx, NameSubject::Battle, self.0.id).await
    }

    /// The record is the dataset's own judgement, not stated by the source; `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark: why the record is editorial, or what a reader should know (e.g. where other accounts differ).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// e.g. "Battle of Shanghai".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// The stage of the war the source files it under.
    async fn phase(&self, ctx: &Context<'_>) -> Result<Phase> {
        loaders::load_required::<PhaseById, _>(ctx, self.0.phase_id).await
    }

    /// When it began.
    async fn start(&self) -> FuzzyDate {
        let b = &self.0;
        FuzzyDate::new(&b.start_text, b.start_earliest, b.start_latest, b.start_precision)
    }

    /// When it ended.
    async fn end(&self) -> FuzzyDate {
        let b = &self.0;
        FuzzyDate::new(&b.end_text, b.end_earliest, b.end_latest, b.end_precision)
    }

    /// The source's 过程 paragraph.
    async fn narrative(&self) -> &str {
        &self.0.narrative
    }

    /// The source's 战果 paragraph.
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }

    /// One entry per belligerent that fought: troops committed and losses.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn sides(&self, ctx: &Context<'_>) -> Result<Vec<BattleSide>> {
        loaders::load_many::<SidesByBattle, _, _>(ctx, self.0.id).await
    }

    /// Every commander named for this battle, each once.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn commanders(&self, ctx: &Context<'_>) -> Result<Vec<Commander>> {
        loaders::load_many::<CommandersByBattle, _, _>(ctx, self.0.id).await
    }

    /// Who commanded what in this battle, and with what fate.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn commands(&self, ctx: &Context<'_>) -> Result<Vec<Command>> {
        loaders::load_many::<CommandsByBattle, _, _>(ctx, self.0.id).await
    }

    /// Every force (unit) named as taking part.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn forces(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        loaders::load_many::<ForcesByBattle, _, _>(ctx, self.0.id).await
    }

    /// Each force's part, with the source's words that name it here; by force ID.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn participations(&self, ctx: &Context<'_>) -> Result<Vec<Participation>> {
        knowledge::of_battle(ctx, self.0.id).await
    }

    /// Every place its title, narrative or outcome names, by place ID.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn places(&self, ctx: &Context<'_>) -> Result<Vec<Place>> {
        loaders::load_many::<PlacesByBattle, _, _>(ctx, self.0.id).await
    }

    /// The dated steps of its narrative, in the order the narrative tells them.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        loaders::load_many::<EventsByBattle, _, _>(ctx, self.0.id).await
    }

    /// The commanders of `commanders`, as a connection that pages, filters, orders and counts like `Query.commanders`.
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
        let scope = Scope::Of(&lists::BATTLE_COMMANDERS, self.0.id);
        connections::commanders(ctx, scope, request, filter.as_ref(), order_by).await
    }

    /// The forces of `forces`, as a connection that pages, filters, orders and counts like `Query.forces`.
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
        let scope = Scope::Of(&lists::BATTLE_FORCES, self.0.id);
        connections::forces(ctx, scope, request, filter.as_ref(), order_by).await
    }
}

/// One belligerent's part in a battle.
#[derive(Clone)]
pub struct BattleSide(pub Arc<battle_side::Model>);

/// One belligerent's part in a battle.
#[Object]
impl BattleSide {
    /// Who fought.
    async fn belligerent(&self, ctx: &Context<'_>) -> Result<Belligerent> {
        loaders::load_required::<BelligerentById, _>(ctx, self.0.belligerent_id).await
    }

    /// Troops committed, where the source gives them.
    async fn strength(&self) -> Option<Quantity> {
        let s = &self.0;
        Quantity::from_columns(s.strength_value, s.strength_qualifier, &s.strength_text).map(|q| {
            q.of(
                (s.battle_id, PassageSubject::Strength, s.belligerent_id),
                s.strength_shared_with,
            )
        })
    }

    /// Killed, wounded and missing (伤亡/损失/死伤), where the source gives them.
    async fn casualties(&self) -> Option<Quantity> {
        let s = &self.0;
        Quantity::from_columns(s.casualties_value, s.casualties_qualifier, &s.casualties_text).map(|q| {
            q.of(
                (s.battle_id, PassageSubject::Casualties, s.belligerent_id),
                s.casualties_shared_with,
            )
        })
    }

    /// The side is the dataset's inference, not stated by the source (the United States in battle 21); `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark on this side, e.g. how its figures are counted.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A commander's part in a battle.
#[derive(Clone)]
pub struct Command(pub Arc<command::Model>);

/// A commander's part in a battle.
#[Object]
impl Command {
    /// The battle.
    async fn battle(&self, ctx: &Context<'_>) -> Result<Battle> {
        loaders::load_required::<BattleById, _>(ctx, self.0.battle_id).await
    }

    /// The commander.
    async fn commander(&self, ctx: &Context<'_>) -> Result<Commander> {
        loaders::load_required::<CommanderById, _>(ctx, self.0.commander_id).await
    }

    /// The force he led in this battle, where the source names one.
    async fn force(&self, ctx: &Context<'_>) -> Result<Option<Force>> {
        loaders::load_optional::<ForceById, _>(ctx, self.0.force_id).await
    }

    /// His post, e.g. "第5战区司令长官", where the source gives one.
    async fn role(&self) -> Option<&str> {
        self.0.role.as_deref()
    }

    /// Killed in this battle (阵亡/殉国/打死).
    async fn killed_in_action(&self) -> bool {
        self.0.killed_in_action
    }

    /// Each place in the battle's text that names this commander in this battle (at least one).
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn passages(&self, ctx: &Context<'_>) -> Result<Vec<Passage>> {
        knowledge::passages_of(ctx, (self.0.battle_id, PassageSubject::Command, self.0.commander_id)).await
    }

    /// The link is the dataset's own judgement, not stated by the source; `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark, e.g. where other accounts differ from the source.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
