//! `names.toml`: each record's names in other scripts and romanizations,
//! made by `data/tools/names.py` from converters and reviewed by hand.
//! The record's own `name` (zh-Hans) and `name_en` (en) come first.

use std::collections::{BTreeMap, HashSet};

use entity::{NameSubject, record_name};
use sea_orm_migration::sea_orm::ActiveValue::Set;
use serde::Deserialize;

pub(crate) const NAMES: &str = include_str!("../data/names.toml");

/// The tags a name may carry.
pub const LANGS: [&str; 7] = [
    "zh-Hans",
    "zh-Hant",
    "ja",
    "en",
    "zh-Latn-pinyin",
    "zh-Latn-wadegile",
    "ja-Latn-hepburn",
];

/// Where a name written as the source writes it comes from.
pub const FROM_SOURCE: &str = "source";
/// Where the English names come from: the dataset's editors.
pub const FROM_EDITORS: &str = "dataset";
/// The remark on every English name.
pub const ENGLISH_NOTE: &str = "The dataset's English name, as English-language histories write it";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRecord {
    pub lang: String,
    pub text: String,
    /// The converter or table that made it, `ascii` (the preferred form
    /// without diacritics), or `historiography`.
    pub via: String,
    #[serde(default = "yes")]
    pub preferred: bool,
    /// On a hand edit: what the converter made.
    pub converted: Option<String>,
    /// Why the form was edited, or which history it follows.
    pub why: Option<String>,
    /// For Hepburn: the kana reading romanized.
    pub reading: Option<String>,
}

fn yes() -> bool {
    true
}

impl NameRecord {
    /// Judgement, not conversion: a hand edit or a form from the literature.
    pub fn editorial(&self) -> bool {
        self.converted.is_some() || self.via == "historiography"
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByOrdinal {
    pub ordinal: i32,
    pub names: Vec<NameRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByCode {
    pub code: String,
    pub names: Vec<NameRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ById {
    pub id: i32,
    pub names: Vec<NameRecord>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesFile {
    #[serde(default)]
    pub battle: Vec<ByOrdinal>,
    #[serde(default)]
    pub phase: Vec<ByOrdinal>,
    #[serde(default)]
    pub belligerent: Vec<ByCode>,
    #[serde(default)]
    pub force: Vec<ById>,
    #[serde(default)]
    pub commander: Vec<ById>,
    #[serde(default)]
    pub place: Vec<ById>,
}

impl NamesFile {
    pub fn parse() -> Result<Self, String> {
        toml::from_str(NAMES).map_err(|e| format!("migration/data/names.toml: {e}"))
    }

    /// The file's entries by subject and record ID (belligerents by code,
    /// resolved by the caller).
    pub fn by_subject(&self, belligerent_ids: &dyn Fn(&str) -> Option<i32>) -> Result<Entries, Vec<String>> {
        let mut entries = Entries::new();
        let mut twice = Vec::new();
        let mut unknown = Vec::new();
        let mut add = |subject, id, names: &[NameRecord]| {
            if entries.insert((subject, id), names.to_vec()).is_some() {
                twice.push(format!("names.toml: {subject:?} {id} appears twice"));
            }
        };
        for r in &self.battle {
            add(NameSubject::Battle, r.ordinal, &r.names);
        }
        for r in &self.phase {
            add(NameSubject::Phase, r.ordinal, &r.names);
        }
        for r in &self.force {
            add(NameSubject::Force, r.id, &r.names);
        }
        for r in &self.commander {
            add(NameSubject::Commander, r.id, &r.names);
        }
        for r in &self.place {
            add(NameSubject::Place, r.id, &r.names);
        }
        for r in &self.belligerent {
            match belligerent_ids(&r.code) {
                Some(id) => add(NameSubject::Belligerent, id, &r.names),
                None => unknown.push(format!("names.toml: unknown belligerent {}", r.code)),
            }
        }
        twice.extend(unknown);
        if twice.is_empty() { Ok(entries) } else { Err(twice) }
    }
}

pub type Entries = BTreeMap<(NameSubject, i32), Vec<NameRecord>>;

/// A record the names belong to, with the langs it must have beyond
/// zh-Hans, en and zh-Hant.
pub struct Named<'a> {
    pub subject: NameSubject,
    pub id: i32,
    pub name: &'a str,
    pub name_en: &'a str,
    pub required: &'a [&'a str],
}

/// One name before it becomes a row.
struct Form<'a> {
    lang: &'a str,
    text: &'a str,
    preferred: bool,
    origin: &'a str,
    editorial: bool,
    note: Option<String>,
}

/// The record's names as rows: zh-Hans, en, then the file's, checked.
pub fn rows(named: &Named, entries: &[NameRecord], errors: &mut Vec<String>) -> Vec<record_name::ActiveModel> {
    let what = format!("names of {:?} {} ({})", named.subject, named.id, named.name);
    let mut forms = vec![
        Form {
            lang: "zh-Hans",
            text: named.name,
            preferred: true,
            origin: FROM_SOURCE,
            editorial: false,
            note: None,
        },
        Form {
            lang: "en",
            text: named.name_en,
            preferred: true,
            origin: FROM_EDITORS,
            editorial: true,
            note: Some(ENGLISH_NOTE.to_owned()),
        },
    ];
    for entry in entries {
        if !LANGS.contains(&entry.lang.as_str()) {
            errors.push(format!("{what}: unknown lang {}", entry.lang));
        }
        if entry.text.trim().is_empty() || entry.text.trim() != entry.text {
            errors.push(format!(
                "{what}: {} name {:?} is blank or padded",
                entry.lang, entry.text
            ));
        }
        if entry.editorial() && entry.why.is_none() {
            errors.push(format!("{what}: {} name {} needs a why", entry.lang, entry.text));
        }
        forms.push(Form {
            lang: &entry.lang,
            text: &entry.text,
            preferred: entry.preferred,
            origin: &entry.via,
            editorial: entry.editorial(),
            note: entry.why.clone(),
        });
    }

    let mut preferred = HashSet::new();
    for form in forms.iter().filter(|f| f.preferred) {
        if !preferred.insert(form.lang) {
            errors.push(format!("{what}: two preferred {} names", form.lang));
        }
    }
    for lang in ["zh-Hant"].iter().chain(named.required) {
        if !preferred.contains(lang) {
            errors.push(format!("{what}: no preferred {lang} name"));
        }
    }
    for form in &forms {
        if !preferred.contains(form.lang) {
            errors.push(format!("{what}: {} names but none preferred", form.lang));
        }
    }
    forms
        .into_iter()
        .enumerate()
        .map(|(position, form)| record_name::ActiveModel {
            subject: Set(named.subject),
            subject_id: Set(named.id),
            position: Set(position as i32),
            lang: Set(form.lang.to_owned()),
            text: Set(form.text.to_owned()),
            preferred: Set(form.preferred),
            origin: Set(form.origin.to_owned()),
            editorial: Set(form.editorial),
            note: Set(form.note),
        })
        .collect()
}
