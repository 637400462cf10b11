//! Who says so, and under which name: `Name`, `Passage`, `Participation`,
//! and the resolvers every named type shares.

use std::sync::Arc;

use async_graphql::{Context, Enum, Object};
use entity::{NameSubject, PassageSubject, battle_force, passage, record_name};

use super::{Battle, Force};
use crate::data::knowledge::{Fact, NamesOf, ParticipationsByBattle, ParticipationsByForce, PassagesOf};
use crate::data::loaders::{self, BattleById, ForceById};
use crate::error::{Error, Result};
use crate::schema::lang;

/// A name in one language or script.
#[derive(Clone)]
pub struct Name(pub Arc<record_name::Model>);

/// A name in one language or script. lang is a BCP 47 tag: zh-Hans (simplified, as the source writes it), zh-Hant (traditional), ja (Japanese), en (as English-language histories write it: the nameEn), zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
#[Object]
impl Name {
    /// The name in that language or script.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// A BCP 47 tag: zh-Hans, zh-Hant, ja, en, zh-Latn-pinyin, zh-Latn-wadegile, ja-Latn-hepburn.
    async fn lang(&self) -> &str {
        &self.0.lang
    }

    /// The form shown by default for that language (one per lang).
    async fn preferred(&self) -> bool {
        self.0.preferred
    }

    /// Where the form comes from: "source" (as the source writes it), "dataset" (the dataset's English), a converter ("opencc:s2t", "pypinyin", ...), "ascii" (the preferred form without diacritics) or "historiography" (a form the literature uses).
    async fn origin(&self) -> &str {
        &self.0.origin
    }

    /// The dataset's own judgement, not the source's words or a converter's output: the English names, forms from the literature, and converter output corrected by hand.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// Why, where the name is editorial.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A record's names, zh-Hans first, then en, then the other scripts.
pub async fn names_of(ctx: &Context<'_>, subject: NameSubject, id: i32) -> Result<Vec<Name>> {
    let names = loaders::load_key::<_, NamesOf>(ctx, (subject, id)).await?;
    Ok(names.unwrap_or_default().into_iter().map(Name).collect())
}

/// The `name` field: the source's form, or the preferred name in `lang`
/// (falling back to the source's form when the record has none in it).
pub async fn name_in(
    ctx: &Context<'_>,
    subject: NameSubject,
    id: i32,
    own: &str,
    lang: Option<String>,
) -> Result<String> {
    let Some(tag) = lang else {
        return Ok(own.to_owned());
    };
    let chain = lang::lookup_chain(&tag)?;
    let names = loaders::load_key::<_, NamesOf>(ctx, (subject, id))
        .await?
        .unwrap_or_default();
    let found = lang::pick(
        &chain,
        names.iter().map(|n| (n.lang.as_str(), n.text.as_str(), n.preferred)),
    );
    Ok(found.unwrap_or(own).to_owned())
}

/// Which text of a battle's entry in the source a passage is taken from.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::SourceField")]
pub enum SourceField {
    /// The battle's title (its `name`).
    Title,
    /// The 过程 paragraph.
    Narrative,
    /// The 战果 paragraph.
    Outcome,
}

/// The words of the source that state a fact.
#[derive(Clone)]
pub struct Passage(pub Arc<passage::Model>);

/// The words of the source that state a fact. start and end are offsets in Unicode characters (code points) into the battle's name (TITLE), narrative or outcome as the API returns them, end exclusive: text is exactly that slice.
#[Object]
impl Passage {
    /// The battle whose entry the passage is taken from.
    async fn battle(&self, ctx: &Context<'_>) -> Result<Battle> {
        loaders::load_required::<BattleById, _>(ctx, self.0.battle_id).await
    }

    /// Which of the battle's texts.
    async fn field(&self) -> SourceField {
        self.0.field.into()
    }

    /// Offset of the first character, in code points.
    async fn start(&self) -> i32 {
        self.0.char_start
    }

    /// Offset just after the last character, in code points (end exclusive).
    async fn end(&self) -> i32 {
        self.0.char_end
    }

    /// The source's words: exactly the slice start..end of the field.
    async fn text(&self) -> &str {
        &self.0.text
    }
}

impl From<Arc<passage::Model>> for Passage {
    fn from(model: Arc<passage::Model>) -> Self {
        Passage(model)
    }
}

/// Every passage behind a fact; the dataset guarantees at least one.
pub async fn passages_of(ctx: &Context<'_>, fact: Fact) -> Result<Vec<Passage>> {
    let passages = loaders::load_key::<_, PassagesOf>(ctx, fact).await?;
    Ok(passages.unwrap_or_default().into_iter().map(Passage).collect())
}

/// The one passage of a figure.
pub async fn passage_of(ctx: &Context<'_>, fact: Fact) -> Result<Passage> {
    match passages_of(ctx, fact).await?.into_iter().next() {
        Some(passage) => Ok(passage),
        None => {
            tracing::error!(?fact, "a figure without its passage");
            Err(Error::dangling(format!("{fact:?}")))
        }
    }
}

/// A force's part in a battle: the battle x force link, with the source's words for it.
#[derive(Clone)]
pub struct Participation(pub Arc<battle_force::Model>);

impl From<Arc<battle_force::Model>> for Participation {
    fn from(model: Arc<battle_force::Model>) -> Self {
        Participation(model)
    }
}

/// A force's part in a battle: the battle x force link, with the source's words for it.
#[Object]
impl Participation {
    /// The battle.
    async fn battle(&self, ctx: &Context<'_>) -> Result<Battle> {
        loaders::load_required::<BattleById, _>(ctx, self.0.battle_id).await
    }

    /// The force that took part.
    async fn force(&self, ctx: &Context<'_>) -> Result<Force> {
        loaders::load_required::<ForceById, _>(ctx, self.0.force_id).await
    }

    /// Each place in the battle's text that names this force in this battle (at least one).
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn passages(&self, ctx: &Context<'_>) -> Result<Vec<Passage>> {
        passages_of(ctx, (self.0.battle_id, PassageSubject::Participation, self.0.force_id)).await
    }

    /// The link is the dataset's own judgement (e.g. which force the text's words mean); `note` says why.
    async fn editorial(&self) -> bool {
        self.0.editorial
    }

    /// The dataset's remark on the link, e.g. how the text's words were read.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// `Battle.participations`.
pub async fn of_battle(ctx: &Context<'_>, battle_id: i32) -> Result<Vec<Participation>> {
    loaders::load_many::<ParticipationsByBattle, _, _>(ctx, battle_id).await
}

/// `Force.participations`.
pub async fn of_force(ctx: &Context<'_>, force_id: i32) -> Result<Vec<Participation>> {
    loaders::load_many::<ParticipationsByForce, _, _>(ctx, force_id).await
}
