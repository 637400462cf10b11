//! `Place`, `GeoPoint` and `Event`: where the texts say things happened,
//! and the dated steps of the narratives.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use entity::{NameSubject, PassageSubject, event, passage, place};

use super::knowledge::{self, Name, Passage};
use super::{Battle, Commander, Force, FuzzyDate};
use crate::data::loaders::{
    self, BattleById, BattlesByPlace, CommandersByEvent, EventsByPlace, ForcesByEvent, MentionsOfPlace, PlacesByEvent,
};
use crate::error::Result;
use crate::schema::ids::{NodeType, encode};

/// What kind of place a battle's text names.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::PlaceKind")]
pub enum PlaceKind {
    /// A city (徐州, 长沙).
    City,
    /// A town (台儿庄, 忻口).
    Town,
    /// A village.
    Village,
    /// A pass through mountains or a wall (娘子关, 平型关, 喜峰口).
    Pass,
    /// A fort or fortified point.
    Fort,
    /// A river (淮河, 修水).
    River,
    /// A lake.
    Lake,
    /// A mountain or range.
    Mountain,
    /// A bay (杭州湾).
    Bay,
    /// A railway (平绥铁路); its location, if any, is a representative point.
    Railway,
    /// A part of a country or province (豫南, 滇西); its location, if any, is a representative point.
    Region,
    /// Anything else.
    Other,
}

/// A point on the earth, WGS 84.
#[derive(SimpleObject, Clone)]
pub struct GeoPoint {
    /// Degrees north (negative: south).
    pub latitude: f64,
    /// Degrees east (negative: west).
    pub longitude: f64,
    /// Where the point comes from: the gazetteer and its record, or how it was derived (e.g. the seat of the county that holds a pass).
    pub source: String,
    /// Roughly how far from the point the place may lie, in kilometres.
    pub uncertainty_km: f64,
}

/// A place a battle's text names (its title, narrative or outcome).
#[derive(Clone)]
pub struct Place(pub Arc<place::Model>);

/// A place a battle's text names (its title, narrative or outcome).
#[Object]
impl Place {
    /// The place's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Place, self.0.id)
    }

    /// As the source writes it, e.g. "台儿庄".
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A BCP 47 tag (zh-Hant, ja, en, zh-Latn-pinyin, zh-Latn-wadegile, ...): the preferred name in that language, else the source's form."
        )]
        lang: Option<String>,
    ) -> Result<String> {
        knowledge::name_in(ctx, NameSubject::Place, self.0.id, &self.0.name, lang).await
    }

    /// As English-language histories write it, e.g. "Taierzhuang", "Kunlun Pass".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Every name: zh-Hans (as the source writes it), en, zh-Hant, and, where they apply, ja, zh-Latn-pinyin, zh-Latn-wadegile and forms from the literature (Nanking, Hankow).
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn names(&self, ctx: &Context<'_>) -> Result<Vec<Name>> {
        knowledge::names_of(ctx, NameSubject::Place, self.0.id).await
    }

    /// What kind of place.
    async fn kind(&self) -> PlaceKind {
        self.0.kind.into()
    }

    /// Where a gazetteer puts it; null only where no gazetteer places it, nor its county.
    async fn location(&self) -> Option<GeoPoint> {
        let p = &self.0;
        match (p.latitude, p.longitude, &p.location_source, p.uncertainty_km) {
            (Some(latitude), Some(longitude), Some(source), Some(uncertainty_km)) => Some(GeoPoint {
                latitude,
                longitude,
                source: source.clone(),
                uncertainty_km,
            }),
            _ => None,
        }
    }

    /// The battles whose title, narrative or outcome names it, by start date.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByPlace, _, _>(ctx, self.0.id).await
    }

    /// The events that happened there, by date.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        loaders::load_many::<EventsByPlace, _, _>(ctx, self.0.id).await
    }

    /// Each place in a battle's texts that names it, by battle then text order.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn passages(&self, ctx: &Context<'_>) -> Result<Vec<Passage>> {
        let passages = loaders::load_many::<MentionsOfPlace, Arc<passage::Model>, _>(ctx, self.0.id).await?;
        Ok(passages)
    }

    /// The identification is the dataset's own judgement (which of several same-named places, or what the text's words mean); `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark on the place, e.g. why it is identified so.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// Something the narrative of a battle says happened on a date it gives.
#[derive(Clone)]
pub struct Event(pub Arc<event::Model>);

/// Something the narrative of a battle says happened on a date it gives.
#[Object]
impl Event {
    /// The event's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Event, self.0.id)
    }

    /// The battle whose narrative tells it.
    async fn battle(&self, ctx: &Context<'_>) -> Result<Battle> {
        loaders::load_required::<BattleById, _>(ctx, self.0.battle_id).await
    }

    /// The date as the narrative gives it, year and month filled in from the text before it.
    async fn date(&self) -> FuzzyDate {
        let e = &self.0;
        FuzzyDate::new(&e.date_text, e.date_earliest, e.date_latest, e.date_precision)
    }

    /// The clause of the narrative that tells it, verbatim.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// Where the clause stands in the battle's narrative.
    async fn passage(&self) -> Passage {
        let e = &self.0;
        Passage(Arc::new(passage::Model {
            battle_id: e.battle_id,
            subject: PassageSubject::Event,
            subject_id: e.id,
            position: 0,
            field: entity::SourceField::Narrative,
            char_start: e.char_start,
            char_end: e.char_end,
            text: e.text.clone(),
        }))
    }

    /// The places the clause names, in its order.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn places(&self, ctx: &Context<'_>) -> Result<Vec<Place>> {
        loaders::load_many::<PlacesByEvent, _, _>(ctx, self.0.id).await
    }

    /// The forces the clause names, in its order.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn forces(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        loaders::load_many::<ForcesByEvent, _, _>(ctx, self.0.id).await
    }

    /// The commanders the clause names, in its order.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn commanders(&self, ctx: &Context<'_>) -> Result<Vec<Commander>> {
        loaders::load_many::<CommandersByEvent, _, _>(ctx, self.0.id).await
    }

    /// The dataset's remark, e.g. where the source tells dates out of order.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}
