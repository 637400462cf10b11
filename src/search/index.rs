//! The search index: every name of every battle, commander, force and
//! place, the battles' narratives and outcomes, the events' clauses and the
//! commanders' roles, folded
//! (`fold`) and indexed by character pairs, built once at start-up (the
//! data is read-only while serving). A query is folded the same way; its
//! rarest character pair picks the candidates, and each candidate is
//! checked by plain substring search, so `%` and `_` are characters like
//! any other and the cost follows the matches, not the size of the data.

use std::collections::HashMap;
use std::sync::Arc;

use entity::{NameSubject, SourceField, battle, command, event, record_name};
use futures_util::TryStreamExt;
use memchr::memmem;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::fold::{self, Folded};

/// What a result is, in the order results of equal rank come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Battle,
    Commander,
    Force,
    Place,
    Event,
}

/// How well a result matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// A whole name.
    Whole,
    /// The start of a name.
    Start,
    /// Part of a name.
    Part,
    /// A battle's text or a commander's role.
    Text,
}

/// Where an entry's text comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A name; `lang` is shared by every name of that lang.
    Name { lang: Arc<str> },
    /// A battle's narrative or outcome.
    Text { field: SourceField },
    /// A commander's post in a battle.
    Role,
    /// An event's clause, which stands in its battle's narrative at `offset`.
    Clause { battle_id: i32, offset: usize },
}

#[derive(Debug)]
struct Entry {
    id: i32,
    origin: Origin,
    /// The text as written, when folding changed it; else the folded text.
    written: Option<Box<str>>,
    /// The map from folded characters to the written ones, when they differ.
    origin_map: Option<Box<[u32]>>,
}

/// An entry before the index lays out its texts.
struct Pending {
    kind: Kind,
    id: i32,
    origin: Origin,
    written: Option<Box<str>>,
    folded: Folded,
}

/// One reason a result matched.
#[derive(Debug, Clone)]
pub struct Match {
    pub origin: Origin,
    /// The name, or the sentence around the match.
    pub text: String,
    /// The match within `text`, in code points.
    pub start: usize,
    pub end: usize,
    /// For battle texts: the battle and the match's span in the field.
    pub passage: Option<TextSpan>,
}

/// A span of a battle's narrative or outcome.
#[derive(Debug, Clone)]
pub struct TextSpan {
    pub battle_id: i32,
    pub field: SourceField,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A battle, commander or force that matched: its best rank, and the
/// entries where it matched, described (`SearchIndex::matches`) only for
/// the results a page shows.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: Kind,
    pub id: i32,
    pub rank: Rank,
    /// The first and last of the record's entries that matched.
    entries: (u32, u32),
}

/// Matches kept per result: enough to show why, not every mention of 日军.
pub const MATCHES_PER_HIT: usize = 10;

/// Folded texts by record, each record's entries together (names in their
/// order, then texts, then roles), and the entries holding each pair.
/// What a search reads of every candidate, kept apart from `Entry` and
/// small, so that a broad query's candidates share cache lines.
#[derive(Debug, Clone, Copy)]
struct Meta {
    kind: Kind,
    is_name: bool,
    id: i32,
    /// The folded text: `arena[folded.0..folded.1]`.
    folded: (u32, u32),
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    meta: Vec<Meta>,
    /// Every entry's folded text, in entry order: a search reads the
    /// candidates' texts front to back through one block of memory.
    arena: String,
    /// Entries holding each folded character pair, each entry once, in order.
    pairs: HashMap<(char, char), Vec<u32>>,
    /// Entries holding each folded character, for one-character queries.
    singles: HashMap<char, Vec<u32>>,
}

fn post<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<u32>>, key: K, entry: u32) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&entry) {
        list.push(entry);
    }
}

fn origin_order(origin: &Origin) -> u8 {
    match origin {
        Origin::Name { .. } => 0,
        Origin::Text { .. } | Origin::Clause { .. } => 1,
        Origin::Role => 2,
    }
}

impl SearchIndex {
    /// Reads every name, battle text and role from the database.
    pub async fn load(db: &DatabaseConnection) -> Result<SearchIndex, DbErr> {
        let mut entries = Vec::new();
        let mut add = |kind, id, origin, original: String| {
            let folded = Folded::new(&original);
            let written = (folded.text != original).then(|| original.into_boxed_str());
            entries.push(Pending {
                kind,
                id,
                origin,
                written,
                folded,
            });
        };
        // Streamed, not collected: at 1000x the rows would be held twice.
        let mut names = record_name::Entity::find()
            .filter(record_name::Column::Subject.is_in([
                NameSubject::Battle,
                NameSubject::Commander,
                NameSubject::Force,
                NameSubject::Place,
            ]))
            // The sort below is stable: this order is each record's names' order.
            .order_by_asc(record_name::Column::Subject)
            .order_by_asc(record_name::Column::SubjectId)
            .order_by_asc(record_name::Column::Position)
            .stream(db)
            .await?;
        let mut langs: HashMap<String, Arc<str>> = HashMap::new();
        while let Some(name) = names.try_next().await? {
            let lang = langs
                .entry(name.lang)
                .or_insert_with_key(|l| Arc::from(l.as_str()))
                .clone();
            let kind = match name.subject {
                NameSubject::Battle => Kind::Battle,
                NameSubject::Commander => Kind::Commander,
                NameSubject::Place => Kind::Place,
                _ => Kind::Force,
            };
            add(kind, name.subject_id, Origin::Name { lang }, name.text);
        }
        drop(names);
        let mut texts = battle::Entity::find()
            .select_only()
            .columns([battle::Column::Id, battle::Column::Narrative, battle::Column::Outcome])
            .into_tuple::<(i32, String, String)>()
            .stream(db)
            .await?;
        while let Some((id, narrative, outcome)) = texts.try_next().await? {
            add(
                Kind::Battle,
                id,
                Origin::Text {
                    field: SourceField::Narrative,
                },
                narrative,
            );
            add(
                Kind::Battle,
                id,
                Origin::Text {
                    field: SourceField::Outcome,
                },
                outcome,
            );
        }
        let mut clauses = event::Entity::find()
            .select_only()
            .columns([
                event::Column::Id,
                event::Column::BattleId,
                event::Column::CharStart,
                event::Column::Text,
            ])
            .into_tuple::<(i32, i32, i32, String)>()
            .stream(db)
            .await?;
        while let Some((id, battle_id, start, text)) = clauses.try_next().await? {
            let offset = usize::try_from(start).unwrap_or(0);
            add(Kind::Event, id, Origin::Clause { battle_id, offset }, text);
        }
        drop(clauses);
        let roles: Vec<(i32, Option<String>)> = command::Entity::find()
            .select_only()
            .columns([command::Column::CommanderId, command::Column::Role])
            .filter(command::Column::Role.is_not_null())
            .order_by_asc(command::Column::CommanderId)
            .order_by_asc(command::Column::BattleId)
            .into_tuple()
            .all(db)
            .await?;
        for (commander_id, role) in roles {
            if let Some(role) = role {
                add(Kind::Commander, commander_id, Origin::Role, role);
            }
        }
        Ok(SearchIndex::new(entries))
    }

    /// The index of `entries`: sorted so each record's are together, which
    /// lets a search group the matches of a record in one pass.
    fn new(mut pending: Vec<Pending>) -> SearchIndex {
        pending.sort_by_key(|e| (e.kind, e.id, origin_order(&e.origin)));
        let mut index = SearchIndex::default();
        index.arena.reserve(pending.iter().map(|e| e.folded.text.len()).sum());
        for (number, entry) in pending.into_iter().enumerate() {
            let number = number as u32;
            let chars: Vec<char> = entry.folded.text.chars().collect();
            for &c in &chars {
                post(&mut index.singles, c, number);
            }
            for pair in chars.windows(2) {
                post(&mut index.pairs, (pair[0], pair[1]), number);
            }
            let (text, origin_map) = entry.folded.into_parts();
            let start = index.arena.len() as u32;
            index.arena.push_str(&text);
            index.meta.push(Meta {
                kind: entry.kind,
                is_name: matches!(entry.origin, Origin::Name { .. }),
                id: entry.id,
                folded: (start, index.arena.len() as u32),
            });
            index.entries.push(Entry {
                id: entry.id,
                origin: entry.origin,
                written: entry.written,
                origin_map,
            });
        }
        for list in index.pairs.values_mut().chain(index.singles.values_mut()) {
            list.shrink_to_fit();
        }
        index
    }

    /// Entry `number`'s folded text.
    fn folded(&self, number: usize) -> &str {
        let (start, end) = self.meta[number].folded;
        &self.arena[start as usize..end as usize]
    }

    /// Entry `number`'s text as written.
    fn written(&self, number: usize) -> &str {
        self.entries[number]
            .written
            .as_deref()
            .unwrap_or_else(|| self.folded(number))
    }

    /// How many names, texts and roles it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// About how many bytes it holds, for the start-up log line.
    pub fn heap_bytes(&self) -> usize {
        let entries: usize = self
            .entries
            .iter()
            .map(|e| {
                std::mem::size_of::<Entry>()
                    + e.written.as_ref().map_or(0, |w| w.len())
                    + e.origin_map.as_ref().map_or(0, |m| 4 * m.len())
            })
            .sum();
        fn lists<K>(map: &HashMap<K, Vec<u32>>) -> usize {
            map.values().map(|l| 24 + 4 * l.capacity()).sum()
        }
        entries + self.arena.capacity() + lists(&self.pairs) + lists(&self.singles)
    }

    /// The entries that may hold `query` (already folded), in order: those
    /// of its rarest pair, or of its one character.
    fn candidates(&self, query: &str) -> &[u32] {
        let chars: Vec<char> = query.chars().collect();
        let list = if chars.len() == 1 {
            self.singles.get(&chars[0])
        } else {
            let mut rarest: Option<&Vec<u32>> = None;
            for pair in chars.windows(2) {
                match self.pairs.get(&(pair[0], pair[1])) {
                    None => return &[],
                    Some(list) if rarest.is_none_or(|r| list.len() < r.len()) => rarest = Some(list),
                    Some(_) => {}
                }
            }
            rarest
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// Every battle, commander and force matching `query` (folded, not
    /// empty), best first: by rank, then kind, then ID. The candidates come
    /// in entry order, so a record's matches are consecutive.
    pub fn search(&self, query: &str, kinds: &[Kind], names_only: bool) -> Vec<Hit> {
        let finder = memmem::Finder::new(query.as_bytes());
        let mut hits: Vec<Hit> = Vec::new();
        for &number in self.candidates(query) {
            let meta = self.meta[number as usize];
            if !kinds.contains(&meta.kind) || (names_only && !meta.is_name) {
                continue;
            }
            let folded = &self.arena.as_bytes()[meta.folded.0 as usize..meta.folded.1 as usize];
            let Some(at) = finder.find(folded) else {
                continue;
            };
            let rank = match meta.is_name {
                true if folded.len() == query.len() => Rank::Whole,
                true if at == 0 => Rank::Start,
                true => Rank::Part,
                false => Rank::Text,
            };
            match hits.last_mut() {
                Some(hit) if hit.kind == meta.kind && hit.id == meta.id => {
                    hit.rank = hit.rank.min(rank);
                    hit.entries.1 = number;
                }
                _ => hits.push(Hit {
                    kind: meta.kind,
                    id: meta.id,
                    rank,
                    entries: (number, number),
                }),
            }
        }
        hits.sort_unstable_by_key(|h| (h.rank, h.kind, h.id));
        hits
    }

    /// Why `hit` matched `query`: its names (whole names first), then each
    /// place in its texts and roles, at most `MATCHES_PER_HIT`.
    pub fn matches(&self, hit: &Hit, query: &str) -> Vec<Match> {
        let (first, last) = (hit.entries.0 as usize, hit.entries.1 as usize);
        let mut places: Vec<(usize, usize, usize)> = Vec::new();
        for number in first..=last {
            let entry = &self.entries[number];
            let folded = self.folded(number);
            let found = folded.match_indices(query).map(|(at, _)| at);
            // A name matches once; a text at every place.
            let found: Vec<usize> = match entry.origin {
                Origin::Name { .. } => found.take(1).collect(),
                _ => found.collect(),
            };
            for at in found {
                let (start, end) = fold::span(folded, entry.origin_map.as_deref(), at, query.len());
                places.push((number, start, end));
            }
        }
        places.sort_by_key(|&(number, start, end)| match self.entries[number].origin {
            Origin::Name { .. } => (0, start != 0 || end != self.written(number).chars().count()),
            _ => (1, false),
        });
        places
            .into_iter()
            .take(MATCHES_PER_HIT)
            .map(|(number, start, end)| describe(&self.entries[number], self.written(number), start, end))
            .collect()
    }
}

/// Sentence ends of the source's Chinese.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n')
}

/// The match at `start..end` of an entry, with its sentence for texts.
fn describe(entry: &Entry, written: &str, start: usize, end: usize) -> Match {
    let chars: Vec<char> = written.chars().collect();
    let slice = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    match &entry.origin {
        Origin::Text { field } => {
            let from = chars[..start]
                .iter()
                .rposition(|&c| ends_sentence(c))
                .map_or(0, |i| i + 1);
            let to = chars[end..]
                .iter()
                .position(|&c| ends_sentence(c))
                .map_or(chars.len(), |i| end + i + 1);
            Match {
                origin: entry.origin.clone(),
                text: slice(from, to),
                start: start - from,
                end: end - from,
                passage: Some(TextSpan {
                    battle_id: entry.id,
                    field: *field,
                    start,
                    end,
                    text: slice(start, end),
                }),
            }
        }
        Origin::Clause { battle_id, offset } => Match {
            origin: entry.origin.clone(),
            text: written.to_owned(),
            start,
            end,
            passage: Some(TextSpan {
                battle_id: *battle_id,
                field: SourceField::Narrative,
                start: offset + start,
                end: offset + end,
                text: slice(start, end),
            }),
        },
        _ => Match {
            origin: entry.origin.clone(),
            text: written.to_owned(),
            start,
            end,
            passage: None,
        },
    }
}
