//! The dataset: the TOML files in `migration/data/`, parsed, checked and
//! resolved into rows. The files are compiled into the binary, so a server
//! started anywhere seeds the same data.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::{
    DatePrecision, ForceKind, NameSubject, PassageSubject, QuantityQualifier, battle, battle_force, battle_place,
    battle_side, belligerent, command, commander, dataset_state, event, event_commander, event_force, event_place,
    force, passage, phase, place, record_name,
};
use sea_orm_migration::sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, TransactionSession,
    TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Deserializer};

use crate::names::{self, Named, NamesFile};
use crate::passages::{Span, Texts};
use crate::places::{self, BattleLinks};

const BELLIGERENTS: &str = include_str!("../data/belligerents.toml");
const PHASES: &str = include_str!("../data/phases.toml");
const FORCES: &str = include_str!("../data/forces.toml");
const COMMANDERS: &str = include_str!("../data/commanders.toml");
const BATTLES: &str = include_str!("../data/battles.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BelligerentRecord {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseRecord {
    pub ordinal: i32,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForceRecord {
    pub id: i32,
    pub belligerent: String,
    pub name: String,
    pub name_en: String,
    pub kind: ForceKind,
    /// What references name this force by when two forces of one
    /// belligerent share a name (第5军 of 1932 and of 1939); else the name.
    pub key: Option<String>,
    /// The key or name of the force it belongs to.
    pub parent: Option<String>,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

impl ForceRecord {
    /// What references to this force say: its key, or else its name.
    pub fn reference(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommanderRecord {
    pub id: i32,
    pub belligerent: String,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuzzyDateRecord {
    pub text: String,
    #[serde(deserialize_with = "toml_date")]
    pub earliest: NaiveDate,
    #[serde(deserialize_with = "toml_date")]
    pub latest: NaiveDate,
    pub precision: DatePrecision,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantityRecord {
    pub text: String,
    pub value: i32,
    pub qualifier: QuantityQualifier,
    /// Codes of the other sides the source counts in this one figure
    /// (battle 24: Japan's divisions and the collaborationists' together).
    #[serde(default)]
    pub shared_with: Vec<String>,
}

/// One quote, or several where the text names a thing in more than one way.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Quotes {
    One(String),
    Many(Vec<String>),
}

impl Quotes {
    pub fn all(&self) -> Vec<&str> {
        match self {
            Quotes::One(quote) => vec![quote],
            Quotes::Many(quotes) => quotes.iter().map(String::as_str).collect(),
        }
    }
}

/// A force linked to a battle: its name (or key) when the paragraphs write
/// it out, or with the words of the paragraphs that name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ForceRef {
    Name(String),
    #[serde(rename_all = "snake_case")]
    Detailed {
        name: String,
        quote: Option<Quotes>,
        #[serde(default)]
        editorial: bool,
        note: Option<String>,
    },
}

impl ForceRef {
    /// The key or name of the force.
    pub fn name(&self) -> &str {
        match self {
            ForceRef::Name(name) | ForceRef::Detailed { name, .. } => name,
        }
    }

    /// The words of the battle's paragraphs that name this force, if they
    /// are not its name.
    pub fn quotes(&self) -> Option<Vec<&str>> {
        match self {
            ForceRef::Name(_) | ForceRef::Detailed { quote: None, .. } => None,
            ForceRef::Detailed { quote: Some(q), .. } => Some(q.all()),
        }
    }

    pub fn editorial(&self) -> bool {
        matches!(self, ForceRef::Detailed { editorial: true, .. })
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            ForceRef::Detailed { note, .. } => note.as_deref(),
            ForceRef::Name(_) => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideRecord {
    pub belligerent: String,
    pub strength: Option<QuantityRecord>,
    pub casualties: Option<QuantityRecord>,
    #[serde(default)]
    pub forces: Vec<ForceRef>,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRecord {
    pub commander: String,
    pub force: Option<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub killed_in_action: bool,
    /// The words that name him, where the text does not write his name.
    pub quote: Option<Quotes>,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BattleRecord {
    pub ordinal: i32,
    pub name: String,
    pub name_en: String,
    pub phase: i32,
    pub start: FuzzyDateRecord,
    pub end: FuzzyDateRecord,
    pub narrative: String,
    pub outcome: String,
    #[serde(default)]
    pub side: Vec<SideRecord>,
    #[serde(default)]
    pub command: Vec<CommandRecord>,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

/// The five files as written.
#[derive(Debug)]
pub struct Dataset {
    pub belligerents: Vec<BelligerentRecord>,
    pub phases: Vec<PhaseRecord>,
    pub forces: Vec<ForceRecord>,
    pub commanders: Vec<CommanderRecord>,
    pub battles: Vec<BattleRecord>,
    pub names: NamesFile,
    pub places: places::Files,
}

/// The dataset as rows, every name resolved to an ID.
#[derive(Debug, Default)]
pub struct Rows {
    pub phases: Vec<phase::ActiveModel>,
    pub belligerents: Vec<belligerent::ActiveModel>,
    pub forces: Vec<force::ActiveModel>,
    pub commanders: Vec<commander::ActiveModel>,
    pub battles: Vec<battle::ActiveModel>,
    pub battle_sides: Vec<battle_side::ActiveModel>,
    pub battle_forces: Vec<battle_force::ActiveModel>,
    pub commands: Vec<command::ActiveModel>,
    pub names: Vec<record_name::ActiveModel>,
    pub passages: Vec<passage::ActiveModel>,
    pub places: Vec<place::ActiveModel>,
    pub battle_places: Vec<battle_place::ActiveModel>,
    pub events: Vec<event::ActiveModel>,
    pub event_places: Vec<event_place::ActiveModel>,
    pub event_forces: Vec<event_force::ActiveModel>,
    pub event_commanders: Vec<event_commander::ActiveModel>,
}

/// Checks a record's remark: an editorial record says why.
fn remark(what: &str, editorial: bool, note: &Option<String>, errors: &mut Vec<String>) -> Option<String> {
    if editorial && note.is_none() {
        errors.push(format!("{what}: editorial, but no note says why"));
    }
    if note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        errors.push(format!("{what}: empty note"));
    }
    note.clone()
}

/// Rows for the passages of one fact of a battle.
fn passage_rows(
    battle_id: i32,
    subject: PassageSubject,
    subject_id: i32,
    spans: Vec<Span>,
) -> Vec<passage::ActiveModel> {
    spans
        .into_iter()
        .enumerate()
        .map(|(position, span)| passage::ActiveModel {
            battle_id: Set(battle_id),
            subject: Set(subject),
            subject_id: Set(subject_id),
            position: Set(position as i32),
            field: Set(span.field),
            char_start: Set(span.start as i32),
            char_end: Set(span.end as i32),
            text: Set(span.text),
        })
        .collect()
}

fn toml_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error;
    let value = toml::value::Datetime::deserialize(deserializer)?;
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .ok_or_else(|| D::Error::custom(format!("no such day: {value}"))),
        _ => Err(D::Error::custom(format!("expected a plain date, got {value}"))),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| format!("migration/data/{file}: {e}"))
}

impl Dataset {
    /// Parses the files compiled into the binary.
    pub fn parse() -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Belligerents {
            belligerent: Vec<BelligerentRecord>,
        }
        #[derive(Deserialize)]
        struct Phases {
            phase: Vec<PhaseRecord>,
        }
        #[derive(Deserialize)]
        struct Forces {
            force: Vec<ForceRecord>,
        }
        #[derive(Deserialize)]
        struct Commanders {
            commander: Vec<CommanderRecord>,
        }
        #[derive(Deserialize)]
        struct Battles {
            battle: Vec<BattleRecord>,
        }
        Ok(Dataset {
            belligerents: parse::<Belligerents>("belligerents.toml", BELLIGERENTS)?.belligerent,
            phases: parse::<Phases>("phases.toml", PHASES)?.phase,
            forces: parse::<Forces>("forces.toml", FORCES)?.force,
            commanders: parse::<Commanders>("commanders.toml", COMMANDERS)?.commander,
            battles: parse::<Battles>("battles.toml", BATTLES)?.battle,
            names: NamesFile::parse()?,
            places: places::Files::parse()?,
        })
    }

    /// Checks every reference and key, and turns the records into rows.
    /// Every problem found is reported, not just the first.
    pub fn resolve(&self) -> Result<Rows, Vec<String>> {
        let mut errors = Vec::new();
        let mut rows = Rows::default();

        let mut belligerent_ids = HashMap::new();
        for b in &self.belligerents {
            if belligerent_ids.insert(b.code.as_str(), b.id).is_some() {
                errors.push(format!("belligerent code {} appears twice", b.code));
            }
            rows.belligerents.push(belligerent::ActiveModel {
                id: Set(b.id),
                code: Set(b.code.clone()),
                name: Set(b.name.clone()),
                name_en: Set(b.name_en.clone()),
                editorial: Set(b.editorial),
                note: Set(remark(&b.code, b.editorial, &b.note, &mut errors)),
            });
        }
        let belligerent_id = |code: &str, errors: &mut Vec<String>, what: &str| {
            let id = belligerent_ids.get(code).copied();
            if id.is_none() {
                errors.push(format!("{what}: unknown belligerent {code}"));
            }
            id
        };

        let mut phase_ordinals = HashSet::new();
        for p in &self.phases {
            if !phase_ordinals.insert(p.ordinal) {
                errors.push(format!("phase {} appears twice", p.ordinal));
            }
            rows.phases.push(phase::ActiveModel {
                id: Set(p.ordinal),
                ordinal: Set(p.ordinal),
                name: Set(p.name.clone()),
                name_en: Set(p.name_en.clone()),
                editorial: Set(p.editorial),
                note: Set(remark(
                    &format!("phase {}", p.ordinal),
                    p.editorial,
                    &p.note,
                    &mut errors,
                )),
            });
        }

        // Forces and commanders are named by (belligerent, name).
        let mut force_ids: HashMap<(i32, &str), i32> = HashMap::new();
        let mut force_belligerent: HashMap<i32, i32> = HashMap::new();
        let force_names: HashMap<i32, &str> = self.forces.iter().map(|f| (f.id, f.name.as_str())).collect();
        let mut same_name = HashSet::new();
        let mut ids_seen = HashSet::new();
        for f in &self.forces {
            if !ids_seen.insert(f.id) {
                errors.push(format!("force id {} appears twice", f.id));
            }
            let Some(bid) = belligerent_id(&f.belligerent, &mut errors, &f.name) else {
                continue;
            };
            if force_ids.insert((bid, f.reference()), f.id).is_some() {
                errors.push(format!("force {} of {} appears twice", f.reference(), f.belligerent));
            }
            if !same_name.insert((bid, f.name.as_str())) && f.key.is_none() {
                errors.push(format!(
                    "force {} of {}: another force has this name, so each needs a key",
                    f.name, f.belligerent
                ));
            }
            force_belligerent.insert(f.id, bid);
        }
        for f in &self.forces {
            let Some(&bid) = force_belligerent.get(&f.id) else {
                continue;
            };
            let parent_id = f.parent.as_deref().and_then(|parent| {
                let id = force_ids.get(&(bid, parent)).copied();
                if id.is_none() {
                    errors.push(format!("force {}: unknown parent {parent}", f.name));
                }
                id
            });
            rows.forces.push(force::ActiveModel {
                id: Set(f.id),
                belligerent_id: Set(bid),
                parent_id: Set(parent_id),
                name: Set(f.name.clone()),
                name_en: Set(f.name_en.clone()),
                kind: Set(f.kind),
                editorial: Set(f.editorial),
                note: Set(remark(&format!("force {}", f.id), f.editorial, &f.note, &mut errors)),
            });
        }

        let mut commander_ids: HashMap<&str, i32> = HashMap::new();
        let mut ids_seen = HashSet::new();
        for c in &self.commanders {
            if !ids_seen.insert(c.id) {
                errors.push(format!("commander id {} appears twice", c.id));
            }
            // Commanders are referred to by name alone, so names must be unique.
            if commander_ids.insert(c.name.as_str(), c.id).is_some() {
                errors.push(format!("commander {} appears twice", c.name));
            }
            let Some(bid) = belligerent_id(&c.belligerent, &mut errors, &c.name) else {
                continue;
            };
            rows.commanders.push(commander::ActiveModel {
                id: Set(c.id),
                belligerent_id: Set(bid),
                name: Set(c.name.clone()),
                name_en: Set(c.name_en.clone()),
                editorial: Set(c.editorial),
                note: Set(remark(
                    &format!("commander {}", c.id),
                    c.editorial,
                    &c.note,
                    &mut errors,
                )),
            });
        }

        let mut linked_forces = HashSet::new();
        let mut linked_commanders = HashSet::new();
        let mut links: HashMap<i32, BattleLinks> = HashMap::new();
        for b in &self.battles {
            let battle_links = links.entry(b.ordinal).or_default();
            let what = format!("battle {}", b.ordinal);
            if !phase_ordinals.contains(&b.phase) {
                errors.push(format!("{what}: unknown phase {}", b.phase));
            }
            for date in [&b.start, &b.end] {
                if date.earliest > date.latest {
                    errors.push(format!("{what}: {} ends before it starts", date.text));
                }
            }
            if b.start.earliest > b.end.latest {
                errors.push(format!("{what}: ends before it starts"));
            }
            rows.battles.push(battle::ActiveModel {
                id: Set(b.ordinal),
                ordinal: Set(b.ordinal),
                name: Set(b.name.clone()),
                name_en: Set(b.name_en.clone()),
                phase_id: Set(b.phase),
                start_text: Set(b.start.text.clone()),
                start_earliest: Set(b.start.earliest),
                start_latest: Set(b.start.latest),
                start_precision: Set(b.start.precision),
                end_text: Set(b.end.text.clone()),
                end_earliest: Set(b.end.earliest),
                end_latest: Set(b.end.latest),
                end_precision: Set(b.end.precision),
                narrative: Set(b.narrative.clone()),
                outcome: Set(b.outcome.clone()),
                editorial: Set(b.editorial),
                note: Set(remark(&what, b.editorial, &b.note, &mut errors)),
            });
            let texts = Texts {
                title: &b.name,
                narrative: &b.narrative,
                outcome: &b.outcome,
            };

            // The battle's forces by name, for the commands to refer to.
            let mut battle_forces: HashMap<&str, i32> = HashMap::new();
            let mut sides_seen = HashSet::new();
            for side in &b.side {
                let Some(bid) = belligerent_id(&side.belligerent, &mut errors, &what) else {
                    continue;
                };
                if !sides_seen.insert(bid) {
                    errors.push(format!("{what}: two sides for {}", side.belligerent));
                }
                let (strength_value, strength_qualifier, strength_text) = quantity(&side.strength);
                let (casualties_value, casualties_qualifier, casualties_text) = quantity(&side.casualties);
                let mut shared_with = |figure: &Option<QuantityRecord>, subject, errors: &mut Vec<String>| {
                    let figure = figure.as_ref()?;
                    match texts.figure(&figure.text) {
                        Ok(span) => rows.passages.extend(passage_rows(b.ordinal, subject, bid, vec![span])),
                        Err(e) => errors.push(format!("{what}, {}: {e}", side.belligerent)),
                    }
                    match figure.shared_with.as_slice() {
                        [] => None,
                        [code] => belligerent_id(code, errors, &what),
                        _ => {
                            errors.push(format!("{what}: a figure shared with more than one other side"));
                            None
                        }
                    }
                };
                let strength_shared_with = shared_with(&side.strength, PassageSubject::Strength, &mut errors);
                let casualties_shared_with = shared_with(&side.casualties, PassageSubject::Casualties, &mut errors);
                rows.battle_sides.push(battle_side::ActiveModel {
                    battle_id: Set(b.ordinal),
                    belligerent_id: Set(bid),
                    strength_value: Set(strength_value),
                    strength_qualifier: Set(strength_qualifier),
                    strength_text: Set(strength_text),
                    casualties_value: Set(casualties_value),
                    casualties_qualifier: Set(casualties_qualifier),
                    casualties_text: Set(casualties_text),
                    strength_shared_with: Set(strength_shared_with),
                    casualties_shared_with: Set(casualties_shared_with),
                    editorial: Set(side.editorial),
                    note: Set(remark(&what, side.editorial, &side.note, &mut errors)),
                });
                for force_ref in &side.forces {
                    let name = force_ref.name();
                    let Some(&force_id) = force_ids.get(&(bid, name)) else {
                        errors.push(format!("{what}: unknown force {name} of {}", side.belligerent));
                        continue;
                    };
                    if battle_forces.insert(name, force_id).is_some() {
                        errors.push(format!("{what}: force {name} listed twice"));
                    }
                    linked_forces.insert(force_id);
                    let written = force_names.get(&force_id).copied().unwrap_or(name);
                    let quotes = force_ref.quotes().unwrap_or_else(|| vec![written]);
                    let spans = texts.occurrences(&quotes);
                    if spans.is_empty() {
                        errors.push(format!(
                            "{what}: force {name}: none of {quotes:?} is in the battle's texts"
                        ));
                    }
                    battle_links.forces.insert(name, (force_id, spans.clone()));
                    rows.passages
                        .extend(passage_rows(b.ordinal, PassageSubject::Participation, force_id, spans));
                    let which = format!("{what}, force {name}");
                    rows.battle_forces.push(battle_force::ActiveModel {
                        battle_id: Set(b.ordinal),
                        force_id: Set(force_id),
                        editorial: Set(force_ref.editorial()),
                        note: Set(remark(
                            &which,
                            force_ref.editorial(),
                            &force_ref.note().map(str::to_owned),
                            &mut errors,
                        )),
                    });
                }
            }

            let mut commanders_seen = HashSet::new();
            for c in &b.command {
                let Some(&commander_id) = commander_ids.get(c.commander.as_str()) else {
                    errors.push(format!("{what}: unknown commander {}", c.commander));
                    continue;
                };
                if !commanders_seen.insert(commander_id) {
                    errors.push(format!("{what}: commander {} listed twice", c.commander));
                }
                linked_commanders.insert(commander_id);
                let quotes = c.quote.as_ref().map_or_else(|| vec![c.commander.as_str()], |q| q.all());
                let spans = texts.occurrences(&quotes);
                if spans.is_empty() {
                    errors.push(format!(
                        "{what}: commander {}: none of {quotes:?} is in the battle's texts",
                        c.commander
                    ));
                }
                battle_links
                    .commanders
                    .insert(c.commander.as_str(), (commander_id, spans.clone()));
                rows.passages
                    .extend(passage_rows(b.ordinal, PassageSubject::Command, commander_id, spans));
                let force_id = c.force.as_deref().and_then(|name| {
                    let id = battle_forces.get(name).copied();
                    if id.is_none() {
                        errors.push(format!(
                            "{what}: {} leads {name}, which is not among the battle's forces",
                            c.commander
                        ));
                    }
                    id
                });
                rows.commands.push(command::ActiveModel {
                    battle_id: Set(b.ordinal),
                    commander_id: Set(commander_id),
                    force_id: Set(force_id),
                    role: Set(c.role.clone()),
                    killed_in_action: Set(c.killed_in_action),
                    editorial: Set(c.editorial),
                    note: Set(remark(
                        &format!("{what}, commander {}", c.commander),
                        c.editorial,
                        &c.note,
                        &mut errors,
                    )),
                });
            }
        }

        places::resolve(&self.places, &self.battles, &links, &mut rows, &mut errors);
        self.names(&belligerent_ids, &mut rows, &mut errors);

        for f in &self.forces {
            if !linked_forces.contains(&f.id) {
                errors.push(format!("force {} takes part in no battle", f.name));
            }
        }
        for c in &self.commanders {
            if !linked_commanders.contains(&c.id) {
                errors.push(format!("commander {} commands in no battle", c.name));
            }
        }

        if errors.is_empty() { Ok(rows) } else { Err(errors) }
    }

    /// Every record's names: its own two, then names.toml's, which must
    /// name only records that exist and give each the langs it needs.
    fn names(&self, belligerent_ids: &HashMap<&str, i32>, rows: &mut Rows, errors: &mut Vec<String>) {
        let mut entries = match self.names.by_subject(&|code| belligerent_ids.get(code).copied()) {
            Ok(entries) => entries,
            Err(e) => {
                errors.extend(e);
                return;
            }
        };
        const JAPANESE_PERSON: &[&str] = &["ja", "ja-Latn-hepburn"];
        const JAPANESE_UNIT: &[&str] = &["ja"];
        const CHINESE_PERSON: &[&str] = &["zh-Latn-pinyin", "zh-Latn-wadegile"];
        let mut named = Vec::new();
        for b in &self.battles {
            named.push(Named {
                subject: NameSubject::Battle,
                id: b.ordinal,
                name: &b.name,
                name_en: &b.name_en,
                required: &[],
            });
        }
        for p in &self.phases {
            named.push(Named {
                subject: NameSubject::Phase,
                id: p.ordinal,
                name: &p.name,
                name_en: &p.name_en,
                required: &[],
            });
        }
        for b in &self.belligerents {
            named.push(Named {
                subject: NameSubject::Belligerent,
                id: b.id,
                name: &b.name,
                name_en: &b.name_en,
                required: &[],
            });
        }
        for f in &self.forces {
            let required = if f.belligerent == "JP" { JAPANESE_UNIT } else { &[] };
            named.push(Named {
                subject: NameSubject::Force,
                id: f.id,
                name: &f.name,
                name_en: &f.name_en,
                required,
            });
        }
        for c in &self.commanders {
            let required = match c.belligerent.as_str() {
                "JP" => JAPANESE_PERSON,
                "CN" => CHINESE_PERSON,
                _ => &[],
            };
            named.push(Named {
                subject: NameSubject::Commander,
                id: c.id,
                name: &c.name,
                name_en: &c.name_en,
                required,
            });
        }
        for p in &self.places.places {
            named.push(Named {
                subject: NameSubject::Place,
                id: p.id,
                name: &p.name,
                name_en: &p.name_en,
                required: &[],
            });
        }
        for record in &named {
            let mine = entries.remove(&(record.subject, record.id)).unwrap_or_default();
            rows.names.extend(names::rows(record, &mine, errors));
        }
        for (subject, id) in entries.keys() {
            errors.push(format!("names.toml: names for {subject:?} {id}, which does not exist"));
        }
    }
}

fn quantity(q: &Option<QuantityRecord>) -> (Option<i32>, Option<QuantityQualifier>, Option<String>) {
    match q {
        Some(q) => (Some(q.value), Some(q.qualifier), Some(q.text.clone())),
        None => (None, None, None),
    }
}

/// Parses and resolves the dataset, or explains every problem with it.
pub fn rows() -> Result<Rows, DbErr> {
    let dataset = Dataset::parse().map_err(DbErr::Custom)?;
    dataset
        .resolve()
        .map_err(|errors| DbErr::Custom(format!("the dataset is inconsistent:\n{}", errors.join("\n"))))
}

/// Inserts the dataset into empty tables, parents before children.
pub async fn insert<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let rows = rows()?;
    // Forces refer to their parent force: insert them without parents
    // first, whatever the file order, then set the parents.
    let parents: Vec<(i32, Option<i32>)> = rows
        .forces
        .iter()
        .map(|f| (*f.id.as_ref(), *f.parent_id.as_ref()))
        .collect();
    let forces = rows.forces.into_iter().map(|mut f| {
        f.parent_id = Set(None);
        f
    });

    insert_all::<phase::Entity, _>(db, rows.phases).await?;
    insert_all::<belligerent::Entity, _>(db, rows.belligerents).await?;
    insert_all::<force::Entity, _>(db, forces).await?;
    for (id, parent_id) in parents.into_iter().filter(|(_, p)| p.is_some()) {
        force::Entity::update_many()
            .col_expr(force::Column::ParentId, Expr::value(parent_id))
            .filter(force::COLUMN.id.eq(id))
            .exec(db)
            .await?;
    }
    insert_all::<commander::Entity, _>(db, rows.commanders).await?;
    insert_all::<battle::Entity, _>(db, rows.battles).await?;
    insert_all::<battle_side::Entity, _>(db, rows.battle_sides).await?;
    insert_all::<battle_force::Entity, _>(db, rows.battle_forces).await?;
    insert_all::<command::Entity, _>(db, rows.commands).await?;
    insert_all::<record_name::Entity, _>(db, rows.names).await?;
    insert_all::<passage::Entity, _>(db, rows.passages).await?;
    insert_all::<place::Entity, _>(db, rows.places).await?;
    insert_all::<battle_place::Entity, _>(db, rows.battle_places).await?;
    insert_all::<event::Entity, _>(db, rows.events).await?;
    insert_all::<event_place::Entity, _>(db, rows.event_places).await?;
    insert_all::<event_force::Entity, _>(db, rows.event_forces).await?;
    insert_all::<event_commander::Entity, _>(db, rows.event_commanders).await?;
    Ok(())
}

/// A fingerprint of the data files compiled in and of the code that
/// derives rows from them (FNV-1a, 64 bits: stable across builds and
/// platforms, unlike `std`'s hasher), so that a change to either reloads.
pub fn fingerprint() -> String {
    const DERIVATION: [&str; 4] = [
        include_str!("dataset.rs"),
        include_str!("names.rs"),
        include_str!("passages.rs"),
        include_str!("places.rs"),
    ];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in [
        BELLIGERENTS,
        PHASES,
        FORCES,
        COMMANDERS,
        BATTLES,
        names::NAMES,
        places::PLACES,
        places::LOCATIONS,
        places::EVENTS,
    ]
    .into_iter()
    .chain(DERIVATION)
    {
        for byte in file.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Deletes every row of the dataset's tables, children before parents.
async fn clear<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    event_commander::Entity::delete_many().exec(db).await?;
    event_force::Entity::delete_many().exec(db).await?;
    event_place::Entity::delete_many().exec(db).await?;
    event::Entity::delete_many().exec(db).await?;
    battle_place::Entity::delete_many().exec(db).await?;
    place::Entity::delete_many().exec(db).await?;
    passage::Entity::delete_many().exec(db).await?;
    record_name::Entity::delete_many().exec(db).await?;
    command::Entity::delete_many().exec(db).await?;
    battle_force::Entity::delete_many().exec(db).await?;
    battle_side::Entity::delete_many().exec(db).await?;
    battle::Entity::delete_many().exec(db).await?;
    commander::Entity::delete_many().exec(db).await?;
    force::Entity::update_many()
        .col_expr(force::Column::ParentId, Expr::value(Option::<i32>::None))
        .exec(db)
        .await?;
    force::Entity::delete_many().exec(db).await?;
    belligerent::Entity::delete_many().exec(db).await?;
    phase::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// Loads the dataset compiled in, unless the tables already hold it:
/// run after the migrations, so the data always meets today's tables. A
/// binary with changed data files replaces the old rows in one
/// transaction; on PostgreSQL an advisory lock makes instances that start
/// together load it once. Returns whether it loaded.
pub async fn sync<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<bool, DbErr> {
    let wanted = fingerprint();
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Any fixed key will do; this one spells "kangzhan" in ASCII.
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7740520722866283630)")
            .await?;
    }
    let held = dataset_state::Entity::find_by_id(1).one(&txn).await?;
    if held.as_ref().is_some_and(|h| h.fingerprint == wanted) {
        txn.commit().await?;
        return Ok(false);
    }
    clear(&txn).await?;
    insert(&txn).await?;
    dataset_state::Entity::delete_many().exec(&txn).await?;
    dataset_state::Entity::insert(dataset_state::ActiveModel {
        id: Set(1),
        fingerprint: Set(wanted),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}

async fn insert_all<E, I>(db: &impl ConnectionTrait, models: I) -> Result<(), DbErr>
where
    E: EntityTrait,
    I: IntoIterator<Item = E::ActiveModel>,
{
    let models: Vec<_> = models.into_iter().collect();
    // Keep each statement well under SQLite's and PostgreSQL's bind limits.
    for chunk in models.chunks(500) {
        E::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}
