//! `Query.searchConnection` (and the older `Query.search`): results from
//! the start-up index (`crate::search`), loaded as objects through the
//! loaders, one statement per type.

use std::sync::Arc;

use async_graphql::connection::PageInfo;
use async_graphql::{Context, Enum, Object, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use entity::{PassageSubject, passage};

use super::text;
use super::types::{Passage, SearchResult};
use crate::data::loaders::{self, BattleById, CommanderById, EventById, ForceById, PlaceById};
use crate::data::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::error::{Error, Result};
use crate::search::fold::Folded;
use crate::search::{Hit, Kind, Match, Origin, Rank, SearchIndex};

/// What a search may return.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SearchType {
    Battle,
    Commander,
    Force,
    Place,
    Event,
}

impl From<SearchType> for Kind {
    fn from(t: SearchType) -> Kind {
        match t {
            SearchType::Battle => Kind::Battle,
            SearchType::Commander => Kind::Commander,
            SearchType::Force => Kind::Force,
            SearchType::Place => Kind::Place,
            SearchType::Event => Kind::Event,
        }
    }
}

impl From<Kind> for SearchType {
    fn from(k: Kind) -> SearchType {
        match k {
            Kind::Battle => SearchType::Battle,
            Kind::Commander => SearchType::Commander,
            Kind::Force => SearchType::Force,
            Kind::Place => SearchType::Place,
            Kind::Event => SearchType::Event,
        }
    }
}

/// Where a search matched.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SearchField {
    /// One of the result's names, in any lang.
    Name,
    /// The battle's 过程 paragraph.
    Narrative,
    /// The battle's 战果 paragraph.
    Outcome,
    /// The commander's post in a battle, e.g. "第9战区司令长官".
    Role,
}

/// Why a result matched.
pub struct SearchMatch(Match);

/// Why a result matched.
#[Object]
impl SearchMatch {
    /// Where it matched: a name, a battle's text, or a role.
    async fn field(&self) -> SearchField {
        match &self.0.origin {
            Origin::Name { .. } => SearchField::Name,
            Origin::Text {
                field: entity::SourceField::Outcome,
            } => SearchField::Outcome,
            Origin::Text { .. } | Origin::Clause { .. } => SearchField::Narrative,
            Origin::Role => SearchField::Role,
        }
    }

    /// For NAME: the lang of the name that matched.
    async fn lang(&self) -> Option<&str> {
        match &self.0.origin {
            Origin::Name { lang } => Some(lang.as_ref()),
            _ => None,
        }
    }

    /// The matched name, or the sentence of the battle's text around the match.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// The match inside text, as Unicode character offsets.
    async fn start(&self) -> i32 {
        self.0.start as i32
    }

    /// End of the match inside text, exclusive.
    async fn end(&self) -> i32 {
        self.0.end as i32
    }

    /// For NARRATIVE and OUTCOME: the passage of the source.
    async fn passage(&self) -> Option<Passage> {
        let span = self.0.passage.as_ref()?;
        Some(Passage(Arc::new(passage::Model {
            battle_id: span.battle_id,
            // A match states no fact of the dataset; only the span is shown.
            subject: PassageSubject::Command,
            subject_id: 0,
            position: 0,
            field: span.field,
            char_start: span.start as i32,
            char_end: span.end as i32,
            text: span.text.clone(),
        })))
    }
}

/// A result with its cursor and why it matched.
pub struct SearchEdge {
    hit: Hit,
    node: SearchResult,
    matches: Vec<Match>,
}

/// A result with its cursor and why it matched.
#[Object]
impl SearchEdge {
    /// Where this result stands in the list, for `after`.
    async fn cursor(&self) -> String {
        cursor(&self.hit)
    }

    /// The battle, commander, force, place or event.
    async fn node(&self) -> &SearchResult {
        &self.node
    }

    /// The names that matched (best first), then the places in the battle's texts or the commander's roles (at most 10 in all).
    async fn matches(&self) -> Vec<SearchMatch> {
        self.matches.iter().cloned().map(SearchMatch).collect()
    }
}

/// How many results of one type matched.
#[derive(SimpleObject)]
pub struct SearchTypeCount {
    /// The type.
    #[graphql(name = "type")]
    kind: SearchType,
    /// How many results of it matched, on all pages.
    count: i32,
}

/// A page of search results, best first.
pub struct SearchConnection {
    edges: Vec<SearchEdge>,
    has_previous_page: bool,
    has_next_page: bool,
    total: usize,
    counts: Vec<(SearchType, usize)>,
}

/// A page of search results, best first.
#[Object]
impl SearchConnection {
    /// This page's results, each with its cursor and why it matched.
    async fn edges(&self) -> &[SearchEdge] {
        &self.edges
    }

    /// This page's results, without the reasons.
    async fn nodes(&self) -> Vec<&SearchResult> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// Whether there are results before and after this page, and its first and last cursors.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|e| cursor(&e.hit)),
            end_cursor: self.edges.last().map(|e| cursor(&e.hit)),
        }
    }

    /// Every result that matched, on all pages.
    async fn total_count(&self) -> i32 {
        self.total as i32
    }

    /// Results per type, on all pages: each type asked for, in the order BATTLE, COMMANDER, FORCE, PLACE, EVENT.
    async fn counts_by_type(&self) -> Vec<SearchTypeCount> {
        self.counts
            .iter()
            .map(|&(kind, count)| SearchTypeCount {
                kind,
                count: count as i32,
            })
            .collect()
    }
}

fn rank_code(rank: Rank) -> u8 {
    match rank {
        Rank::Whole => 0,
        Rank::Start => 1,
        Rank::Part => 2,
        Rank::Text => 3,
    }
}

fn kind_code(kind: Kind) -> &'static str {
    match kind {
        Kind::Battle => "B",
        Kind::Commander => "C",
        Kind::Force => "F",
        Kind::Place => "P",
        Kind::Event => "E",
    }
}

/// A result's place in the order: rank, type, ID.
fn cursor(hit: &Hit) -> String {
    STANDARD.encode(format!(
        "search|{}|{}|{}",
        rank_code(hit.rank),
        kind_code(hit.kind),
        hit.id
    ))
}

/// The (rank, type, ID) a cursor of this list names.
fn decode(cursor: &str) -> Result<(u8, &'static str, i32)> {
    let invalid = || Error::bad_input("searchConnection.after: not a cursor of searchConnection");
    let bytes = STANDARD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<&str> = text.split('|').collect();
    let ["search", rank, kind, id] = parts.as_slice() else {
        return Err(invalid());
    };
    let rank_text = rank;
    let rank: u8 = rank.parse().map_err(|_| invalid())?;
    let kind = ["B", "C", "F", "P", "E"]
        .into_iter()
        .find(|k| k == kind)
        .ok_or_else(invalid)?;
    let number: i32 = id.parse().map_err(|_| invalid())?;
    // Only the form this server writes: no "+1", no "01".
    if rank > 3 || rank.to_string() != *rank_text || number.to_string() != *id {
        return Err(invalid());
    }
    Ok((rank, kind, number))
}

/// The index's answer to `text`, checked, for `types` (null: all).
fn hits(
    ctx: &Context<'_>,
    field: &str,
    text: &str,
    types: Option<&[SearchType]>,
    names_only: bool,
) -> Result<(Vec<Hit>, Vec<Kind>, String)> {
    let argument = format!("{field}.text");
    let text = text::required(&argument, text)?;
    let folded = Folded::new(text);
    if folded.text.is_empty() {
        return Err(Error::bad_input(format!(
            "{argument}: nothing to search for once spaces, hyphens, apostrophes and dots are set aside"
        )));
    }
    let kinds: Vec<Kind> = match types {
        None => vec![Kind::Battle, Kind::Commander, Kind::Force, Kind::Place, Kind::Event],
        Some([]) => {
            return Err(Error::bad_input(
                "types: name at least one type, or leave it out for all",
            ));
        }
        Some(types) => {
            let mut kinds: Vec<Kind> = types.iter().map(|&t| t.into()).collect();
            kinds.sort();
            kinds.dedup();
            kinds
        }
    };
    let index = ctx.data_unchecked::<Arc<SearchIndex>>();
    Ok((index.search(&folded.text, &kinds, names_only), kinds, folded.text))
}

/// Loads the results' objects: one statement per type.
async fn nodes(ctx: &Context<'_>, hits: Vec<Hit>) -> Result<Vec<(Hit, SearchResult)>> {
    let loads = hits.into_iter().map(|hit| async move {
        let node = match hit.kind {
            Kind::Battle => loaders::load_required::<BattleById, _>(ctx, hit.id)
                .await
                .map(SearchResult::Battle),
            Kind::Commander => loaders::load_required::<CommanderById, _>(ctx, hit.id)
                .await
                .map(SearchResult::Commander),
            Kind::Force => loaders::load_required::<ForceById, _>(ctx, hit.id)
                .await
                .map(SearchResult::Force),
            Kind::Place => loaders::load_required::<PlaceById, _>(ctx, hit.id)
                .await
                .map(SearchResult::Place),
            Kind::Event => loaders::load_required::<EventById, _>(ctx, hit.id)
                .await
                .map(SearchResult::Event),
        };
        node.map(|node| (hit, node))
    });
    futures_util::future::try_join_all(loads).await
}

/// `Query.searchConnection`.
pub async fn connection(
    ctx: &Context<'_>,
    text: &str,
    types: Option<&[SearchType]>,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<SearchConnection> {
    let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(0..=MAX_PAGE_SIZE).contains(&first) {
        return Err(Error::bad_input(format!(
            "searchConnection: first must be between 0 and {MAX_PAGE_SIZE}, not {first}"
        )));
    }
    let after = after.map(decode).transpose()?;
    let (hits, kinds, query) = hits(ctx, "searchConnection", text, types, false)?;
    let index = ctx.data_unchecked::<Arc<SearchIndex>>();
    let counts = kinds
        .iter()
        .map(|&k| (k.into(), hits.iter().filter(|h| h.kind == k).count()))
        .collect();
    let total = hits.len();
    let skip = match after {
        None => 0,
        Some(key) => hits.partition_point(|h| (rank_code(h.rank), kind_code(h.kind), h.id) <= key),
    };
    let page: Vec<Hit> = hits.into_iter().skip(skip).take(first as usize + 1).collect();
    let has_next_page = page.len() > first as usize;
    let page: Vec<Hit> = page.into_iter().take(first as usize).collect();
    let edges = nodes(ctx, page)
        .await?
        .into_iter()
        .map(|(hit, node)| SearchEdge {
            matches: index.matches(&hit, &query),
            hit,
            node,
        })
        .collect();
    Ok(SearchConnection {
        edges,
        has_previous_page: skip > 0,
        has_next_page,
        total,
        counts,
    })
}

/// `Query.search`: the first results of the same search, by names only,
/// as the core contract has it ("whose Chinese or English name contains").
pub async fn first_results(ctx: &Context<'_>, text: &str, first: i32) -> Result<Vec<SearchResult>> {
    if !(0..=MAX_PAGE_SIZE).contains(&first) {
        return Err(Error::bad_input(format!(
            "search: first must be between 0 and {MAX_PAGE_SIZE}, not {first}"
        )));
    }
    let (hits, _, _) = hits(ctx, "search", text, None, true)?;
    let page = hits.into_iter().take(first as usize).collect();
    Ok(nodes(ctx, page).await?.into_iter().map(|(_, node)| node).collect())
}
