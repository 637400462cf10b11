//! `places.toml`, `locations.toml` and `events.toml`: the places the
//! battles' texts name, where gazetteers put them (`tools/places.py`), and
//! the dated events of the narratives. Checked against the battles' texts
//! and turned into rows; `dataset.rs` calls `resolve` once the battles,
//! forces and commanders are resolved.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use entity::{
    DatePrecision, PassageSubject, PlaceKind, SourceField, battle_place, event, event_commander, event_force,
    event_place, passage, place,
};
use sea_orm_migration::sea_orm::ActiveValue::Set;
use serde::Deserialize;

use crate::dataset::{BattleRecord, FuzzyDateRecord, Rows};
use crate::passages::{Span, Texts};

pub(crate) const PLACES: &str = include_str!("../data/places.toml");
pub(crate) const LOCATIONS: &str = include_str!("../data/locations.toml");
pub(crate) const EVENTS: &str = include_str!("../data/events.toml");

/// The earth's mean radius (IUGG), in km: `near` measures great circles on
/// a sphere of this radius.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRecord {
    pub id: i32,
    pub name: String,
    pub name_en: String,
    pub kind: PlaceKind,
    /// For the gazetteer script: the province-level division that holds it.
    pub province: Option<String>,
    /// For the gazetteer script: the county that holds a place no gazetteer lists.
    pub county: Option<String>,
    /// Other ways the texts write it.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Longer words in which the name or a form is not this place.
    #[serde(default)]
    pub except: Vec<String>,
    #[serde(default)]
    pub editorial: bool,
    pub note: Option<String>,
}

impl PlaceRecord {
    /// Every way the texts write it, the name first.
    pub fn written(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.forms.iter().map(String::as_str))
    }
}

/// What `tools/places.py` found for a place: a point, or why there is none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationRecord {
    pub place: i32,
    pub name: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub uncertainty_km: Option<f64>,
    pub source: Option<String>,
    /// For the reviewer: how the script chose the record.
    pub chosen: Option<String>,
    /// Instead of a point: why there is none.
    pub none: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    pub id: i32,
    pub battle: i32,
    /// The clause, verbatim.
    pub text: String,
    pub date: FuzzyDateRecord,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub forces: Vec<String>,
    #[serde(default)]
    pub commanders: Vec<String>,
    /// Which standing of `text` in the narrative, from 1, where it stands more than once.
    pub occurrence: Option<usize>,
    pub note: Option<String>,
}

/// The three files as written.
#[derive(Debug)]
pub struct Files {
    pub places: Vec<PlaceRecord>,
    pub locations: Vec<LocationRecord>,
    pub events: Vec<EventRecord>,
}

impl Files {
    pub fn parse() -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Places {
            #[serde(default)]
            place: Vec<PlaceRecord>,
        }
        #[derive(Deserialize)]
        struct Locations {
            #[serde(default)]
            location: Vec<LocationRecord>,
        }
        #[derive(Deserialize)]
        struct Events {
            #[serde(default)]
            event: Vec<EventRecord>,
        }
        let parse = |file: &str, text: &str| format!("migration/data/{file}: {text}");
        Ok(Files {
            places: toml::from_str::<Places>(PLACES)
                .map_err(|e| parse("places.toml", &e.to_string()))?
                .place,
            locations: toml::from_str::<Locations>(LOCATIONS)
                .map_err(|e| parse("locations.toml", &e.to_string()))?
                .location,
            events: toml::from_str::<Events>(EVENTS)
                .map_err(|e| parse("events.toml", &e.to_string()))?
                .event,
        })
    }
}

/// What a battle links, for the events to refer to: each force (by name or
/// key) and commander (by name) with the spans of its passages.
#[derive(Default)]
pub struct BattleLinks<'a> {
    pub forces: HashMap<&'a str, (i32, Vec<Span>)>,
    pub commanders: HashMap<&'a str, (i32, Vec<Span>)>,
}

/// A point as a unit vector: what `near` compares by dot product.
pub fn unit_vector(latitude: f64, longitude: f64) -> [f64; 3] {
    let (lat, lon) = (latitude.to_radians(), longitude.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The 1°×1° cell of a point: 360 cells per band of latitude, from the
/// south pole and the antimeridian; the north pole and 180°E fall in the
/// last band and column.
pub fn geo_cell(latitude: f64, longitude: f64) -> i32 {
    let band = (latitude.floor() as i32).clamp(-90, 89) + 90;
    let column = (longitude.floor() as i32).clamp(-180, 179) + 180;
    band * 360 + column
}

/// Every mention of every place in one battle's texts: each occurrence of a
/// name or form, except inside one of the place's `except` words or inside
/// a longer mention of another place.
fn mentions(places: &[PlaceRecord], texts: &Texts) -> Vec<(i32, Span)> {
    let mut found: Vec<(i32, Span)> = Vec::new();
    for p in places {
        let excluded = texts.occurrences(&p.except.iter().map(String::as_str).collect::<Vec<_>>());
        for form in p.written() {
            for span in texts.occurrences(&[form]) {
                let inside_except = excluded
                    .iter()
                    .any(|x| x.field == span.field && x.start <= span.start && span.end <= x.end);
                if !inside_except {
                    found.push((p.id, span));
                }
            }
        }
    }
    let within = |a: &Span, b: &Span| {
        a.field == b.field && b.start <= a.start && a.end <= b.end && (b.end - b.start) > (a.end - a.start)
    };
    let mut kept: Vec<(i32, Span)> = found
        .iter()
        .filter(|(_, a)| !found.iter().any(|(_, b)| within(a, b)))
        .cloned()
        .collect();
    kept.sort_by_key(|(id, s)| (*id, s.field as u8, s.start));
    kept.dedup();
    kept
}

/// The most days an event's date spans, latest - earliest: every event's
/// date lies within one month (checked here), which lets a date filter
/// bound `date_earliest` on both sides, an index range.
pub const MAX_EVENT_SPAN_DAYS: u64 = 30;

/// Checks a fuzzy date's shape: its days agree with its precision, within
/// one month.
pub fn check_date(date: &FuzzyDateRecord) -> Result<(), String> {
    let (a, b) = (date.earliest, date.latest);
    let last_of_month = |d: NaiveDate| {
        let next = if d.month() == 12 {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
        };
        next.and_then(|n| n.pred_opt()).map_or(31, |l| l.day())
    };
    let same_month = a.year() == b.year() && a.month() == b.month();
    let ten_day_start = |d: NaiveDate| matches!(d.day(), 1 | 11 | 21);
    let ten_day_end = |d: NaiveDate| d.day() == 10 || d.day() == 20 || d.day() == last_of_month(d);
    let ok = a <= b
        && match date.precision {
            // A day, or a span of days the source gives to the day (22-24日).
            DatePrecision::Day => same_month,
            // One ten-day period, or two together (中下旬).
            DatePrecision::TenDays => same_month && ten_day_start(a) && ten_day_end(b),
            DatePrecision::Month => same_month && a.day() == 1 && b.day() == last_of_month(b),
        };
    if ok {
        Ok(())
    } else {
        Err(format!("{}: {a}..{b} is not a {:?} span", date.text, date.precision))
    }
}

/// Checks the three files against the battles and each other, and adds
/// their rows: places, battle x place links and their passages, events and
/// their links.
pub fn resolve(
    files: &Files,
    battles: &[BattleRecord],
    links: &HashMap<i32, BattleLinks>,
    rows: &mut Rows,
    errors: &mut Vec<String>,
) {
    let mut place_ids: HashMap<&str, i32> = HashMap::new();
    let mut ids_seen = HashSet::new();
    for p in &files.places {
        let what = format!("place {} ({})", p.id, p.name);
        if !ids_seen.insert(p.id) {
            errors.push(format!("{what}: id appears twice"));
        }
        if place_ids.insert(p.name.as_str(), p.id).is_some() {
            errors.push(format!("{what}: another place has this name"));
        }
        if p.editorial && p.note.is_none() {
            errors.push(format!("{what}: editorial, but no note says why"));
        }
    }
    // A form names one place only.
    let mut form_owner: HashMap<&str, i32> = HashMap::new();
    for p in &files.places {
        for form in p.written() {
            if let Some(other) = form_owner.insert(form, p.id)
                && other != p.id
            {
                errors.push(format!("place {}: {form} is also a form of place {other}", p.id));
            }
        }
    }

    let mut located: BTreeMap<i32, &LocationRecord> = BTreeMap::new();
    for l in &files.locations {
        if located.insert(l.place, l).is_some() {
            errors.push(format!("locations.toml: place {} appears twice", l.place));
        }
    }
    for p in &files.places {
        let what = format!("place {} ({})", p.id, p.name);
        let Some(l) = located.remove(&p.id) else {
            errors.push(format!("{what}: not in locations.toml (run tools/places.py)"));
            continue;
        };
        if l.name != p.name {
            errors.push(format!(
                "{what}: locations.toml calls it {} (run tools/places.py)",
                l.name
            ));
        }
        let point = match (l.latitude, l.longitude, l.uncertainty_km, &l.source, &l.none) {
            (Some(lat), Some(lon), Some(km), Some(source), None) => {
                let valid = (-90.0..=90.0).contains(&lat)
                    && (-180.0..=180.0).contains(&lon)
                    && km.is_finite()
                    && km > 0.0
                    && !source.trim().is_empty();
                if !valid {
                    errors.push(format!(
                        "{what}: location {lat}, {lon} ±{km} km from {source:?} is not valid"
                    ));
                }
                Some((lat, lon, km, source.clone()))
            }
            (None, None, None, None, Some(why)) if !why.trim().is_empty() => None,
            _ => {
                errors.push(format!(
                    "{what}: a location needs latitude, longitude, uncertainty_km and source, or only `none`"
                ));
                None
            }
        };
        let unit = point.as_ref().map(|(lat, lon, _, _)| unit_vector(*lat, *lon));
        rows.places.push(place::ActiveModel {
            id: Set(p.id),
            name: Set(p.name.clone()),
            name_en: Set(p.name_en.clone()),
            kind: Set(p.kind),
            latitude: Set(point.as_ref().map(|p| p.0)),
            longitude: Set(point.as_ref().map(|p| p.1)),
            unit_x: Set(unit.map(|u| u[0])),
            unit_y: Set(unit.map(|u| u[1])),
            unit_z: Set(unit.map(|u| u[2])),
            cell: Set(point.as_ref().map(|(lat, lon, _, _)| geo_cell(*lat, *lon))),
            location_source: Set(point.as_ref().map(|p| p.3.clone())),
            uncertainty_km: Set(point.as_ref().map(|p| p.2)),
            editorial: Set(p.editorial),
            note: Set(p.note.clone()),
        });
    }
    for place in located.keys() {
        errors.push(format!(
            "locations.toml: place {place}, which places.toml does not have"
        ));
    }

    // Mentions: which battles name each place, and where.
    let mut mentioned = HashSet::new();
    let mut battle_mentions: HashMap<i32, Vec<(i32, Span)>> = HashMap::new();
    for b in battles {
        let texts = Texts {
            title: &b.name,
            narrative: &b.narrative,
            outcome: &b.outcome,
        };
        let found = mentions(&files.places, &texts);
        let mut by_place: BTreeMap<i32, Vec<Span>> = BTreeMap::new();
        for (id, span) in &found {
            by_place.entry(*id).or_default().push(span.clone());
        }
        for (place_id, spans) in by_place {
            mentioned.insert(place_id);
            rows.battle_places.push(battle_place::ActiveModel {
                battle_id: Set(b.ordinal),
                place_id: Set(place_id),
            });
            rows.passages.extend(
                spans
                    .into_iter()
                    .enumerate()
                    .map(|(position, span)| passage::ActiveModel {
                        battle_id: Set(b.ordinal),
                        subject: Set(PassageSubject::Place),
                        subject_id: Set(place_id),
                        position: Set(position as i32),
                        field: Set(span.field),
                        char_start: Set(span.start as i32),
                        char_end: Set(span.end as i32),
                        text: Set(span.text),
                    }),
            );
        }
        battle_mentions.insert(b.ordinal, found);
    }
    for p in &files.places {
        if !mentioned.contains(&p.id) {
            errors.push(format!("place {} ({}): no battle's text names it", p.id, p.name));
        }
    }

    events(files, battles, links, &place_ids, &battle_mentions, rows, errors);
}

/// Code-point offsets of every standing of `needle` in `text`.
fn standings(text: &str, needle: &str) -> Vec<(usize, usize)> {
    text.match_indices(needle)
        .map(|(at, _)| {
            let start = text[..at].chars().count();
            (start, start + needle.chars().count())
        })
        .collect()
}

fn events(
    files: &Files,
    battles: &[BattleRecord],
    links: &HashMap<i32, BattleLinks>,
    place_ids: &HashMap<&str, i32>,
    battle_mentions: &HashMap<i32, Vec<(i32, Span)>>,
    rows: &mut Rows,
    errors: &mut Vec<String>,
) {
    let by_ordinal: HashMap<i32, &BattleRecord> = battles.iter().map(|b| (b.ordinal, b)).collect();
    let mut ids_seen = HashSet::new();
    // (battle, start, end, id), to order each battle's events and find overlaps.
    let mut spans: Vec<(i32, usize, usize, i32)> = Vec::new();
    let mut models: HashMap<i32, event::ActiveModel> = HashMap::new();
    for e in &files.events {
        let what = format!("event {} (battle {})", e.id, e.battle);
        if !ids_seen.insert(e.id) {
            errors.push(format!("{what}: id appears twice"));
        }
        let Some(b) = by_ordinal.get(&e.battle) else {
            errors.push(format!("{what}: unknown battle"));
            continue;
        };
        if let Err(problem) = check_date(&e.date) {
            errors.push(format!("{what}: {problem}"));
        }
        let found = standings(&b.narrative, &e.text);
        let (start, end) = match (found.as_slice(), e.occurrence) {
            ([], _) => {
                errors.push(format!("{what}: {:?} is not in the narrative", e.text));
                continue;
            }
            ([one], None | Some(1)) => *one,
            (many, Some(n)) if n >= 1 && n <= many.len() => many[n - 1],
            (many, _) => {
                errors.push(format!(
                    "{what}: {:?} stands {} times in the narrative: give `occurrence`",
                    e.text,
                    many.len()
                ));
                continue;
            }
        };
        if e.text.trim().is_empty() {
            errors.push(format!("{what}: empty clause"));
        }
        spans.push((e.battle, start, end, e.id));
        let within_clause = |s: &Span| s.field == SourceField::Narrative && start <= s.start && s.end <= end;
        let overlaps_clause = |s: &Span| s.field == SourceField::Narrative && s.start < end && start < s.end;

        let mention_list = battle_mentions.get(&e.battle).map(Vec::as_slice).unwrap_or(&[]);
        let mut seen = HashSet::new();
        for (position, name) in e.places.iter().enumerate() {
            let Some(&place_id) = place_ids.get(name.as_str()) else {
                errors.push(format!("{what}: unknown place {name}"));
                continue;
            };
            if !seen.insert(place_id) {
                errors.push(format!("{what}: place {name} listed twice"));
            }
            if !mention_list.iter().any(|(id, s)| *id == place_id && within_clause(s)) {
                errors.push(format!("{what}: the clause does not name place {name}"));
            }
            rows.event_places.push(event_place::ActiveModel {
                event_id: Set(e.id),
                place_id: Set(place_id),
                position: Set(position as i32),
            });
        }
        let battle_links = links.get(&e.battle);
        for (position, name) in e.forces.iter().enumerate() {
            match battle_links.and_then(|l| l.forces.get(name.as_str())) {
                Some((force_id, passages)) => {
                    if !passages.iter().any(overlaps_clause) {
                        errors.push(format!("{what}: the clause does not name force {name}"));
                    }
                    rows.event_forces.push(event_force::ActiveModel {
                        event_id: Set(e.id),
                        force_id: Set(*force_id),
                        position: Set(position as i32),
                    });
                }
                None => errors.push(format!("{what}: force {name} is not one of the battle's forces")),
            }
        }
        for (position, name) in e.commanders.iter().enumerate() {
            match battle_links.and_then(|l| l.commanders.get(name.as_str())) {
                Some((commander_id, passages)) => {
                    if !passages.iter().any(overlaps_clause) {
                        errors.push(format!("{what}: the clause does not name commander {name}"));
                    }
                    rows.event_commanders.push(event_commander::ActiveModel {
                        event_id: Set(e.id),
                        commander_id: Set(*commander_id),
                        position: Set(position as i32),
                    });
                }
                None => errors.push(format!(
                    "{what}: commander {name} is not one of the battle's commanders"
                )),
            }
        }
        if e.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
            errors.push(format!("{what}: empty note"));
        }
        models.insert(
            e.id,
            event::ActiveModel {
                id: Set(e.id),
                battle_id: Set(e.battle),
                position: Set(0),
                date_text: Set(e.date.text.clone()),
                date_earliest: Set(e.date.earliest),
                date_latest: Set(e.date.latest),
                date_precision: Set(e.date.precision),
                char_start: Set(start as i32),
                char_end: Set(end as i32),
                text: Set(e.text.clone()),
                note: Set(e.note.clone()),
            },
        );
    }
    // Narrative order within each battle; clauses do not overlap.
    spans.sort();
    let mut position = 0;
    for (i, (battle, start, _, id)) in spans.iter().enumerate() {
        if i > 0 && spans[i - 1].0 == *battle {
            position += 1;
            if spans[i - 1].2 > *start {
                errors.push(format!("events {} and {id} of battle {battle} overlap", spans[i - 1].3));
            }
        } else {
            position = 0;
        }
        if let Some(mut model) = models.remove(id) {
            model.position = Set(position);
            rows.events.push(model);
        }
    }
}
