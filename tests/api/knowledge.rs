//! Says who, under which name: every record's names, the passages of the
//! source behind every link and figure, the dataset's editorial marks, and
//! the search over all of them, through HTTP on both databases.

use std::collections::{BTreeMap, BTreeSet};

use migration::dataset::Dataset;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

const NAMES: &str = "names { text lang preferred origin editorial note }";

fn chars(text: &str) -> Vec<char> {
    text.chars().collect()
}

/// The code-point slice `start..end` of `text`.
fn slice(text: &str, start: &Value, end: &Value) -> String {
    let (start, end) = (start.as_u64().unwrap() as usize, end.as_u64().unwrap() as usize);
    let chars = chars(text);
    assert!(
        start < end && end <= chars.len(),
        "span {start}..{end} of a {}-character text",
        chars.len()
    );
    chars[start..end].iter().collect()
}

/// Checks every name list: zh-Hans is `name`, en is `nameEn`, zh-Hant is
/// there, one preferred name per lang, and the langs `required` asks for.
fn check_names(what: &str, record: &Value, required: &[&str]) {
    let names = record["names"].as_array().unwrap();
    let preferred = |lang: &str| -> Vec<&str> {
        names
            .iter()
            .filter(|n| n["lang"] == lang && n["preferred"] == true)
            .map(|n| n["text"].as_str().unwrap())
            .collect()
    };
    assert_eq!(
        preferred("zh-Hans"),
        [record["name"].as_str().unwrap()],
        "{what}: zh-Hans"
    );
    assert_eq!(preferred("en"), [record["nameEn"].as_str().unwrap()], "{what}: en");
    let langs: BTreeSet<&str> = names.iter().map(|n| n["lang"].as_str().unwrap()).collect();
    for lang in langs.iter().copied().chain(["zh-Hant"]).chain(required.iter().copied()) {
        assert_eq!(
            preferred(lang).len(),
            1,
            "{what}: one preferred {lang} name in {names:?}"
        );
    }
    for name in names {
        assert!(!name["text"].as_str().unwrap().trim().is_empty(), "{what}: blank name");
        if name["editorial"] == true {
            assert!(name["note"].is_string(), "{what}: editorial name {name} says why");
        }
    }
}

db_test!(every_record_has_its_names_in_every_script_it_needs);
async fn every_record_has_its_names_in_every_script_it_needs(app: TestApp) {
    let q = format!(
        "{{ battles(first: 100) {{ nodes {{ name nameEn {NAMES} }} }} phases {{ name nameEn {NAMES} }}
           belligerents {{ name nameEn {NAMES} commanders {{ name nameEn {NAMES} }} forces {{ name nameEn {NAMES} }} }} }}"
    );
    let data = app.query(&q).await;
    let dataset = Dataset::parse().unwrap();
    for b in data["battles"]["nodes"].as_array().unwrap() {
        check_names(&format!("battle {}", b["name"]), b, &[]);
    }
    for p in data["phases"].as_array().unwrap() {
        check_names(&format!("phase {}", p["name"]), p, &[]);
    }
    let (mut commanders, mut forces) = (0, 0);
    for side in data["belligerents"].as_array().unwrap() {
        check_names(&format!("belligerent {}", side["name"]), side, &[]);
        let (person, unit): (&[&str], &[&str]) = match side["nameEn"].as_str().unwrap() {
            "Japan" => (&["ja", "ja-Latn-hepburn"], &["ja"]),
            "China" => (&["zh-Latn-pinyin", "zh-Latn-wadegile"], &[]),
            _ => (&[], &[]),
        };
        for c in side["commanders"].as_array().unwrap() {
            check_names(&format!("commander {}", c["name"]), c, person);
            commanders += 1;
        }
        for f in side["forces"].as_array().unwrap() {
            check_names(&format!("force {}", f["name"]), f, unit);
            forces += 1;
        }
    }
    assert_eq!(
        (commanders, forces),
        (dataset.commanders.len(), dataset.forces.len()),
        "every record was checked"
    );
}

/// The preferred name of the record found by `search` for `lookup`.
async fn name_of(app: &TestApp, lookup: &str, lang: &str) -> String {
    let q = format!(
        r#"{{ search(text: "{lookup}", first: 1) {{ ... on Battle {{ name(lang: "{lang}") }} ... on Commander {{ name(lang: "{lang}") }} ... on Force {{ name(lang: "{lang}") }} }} }}"#
    );
    let data = app.query(&q).await;
    data["search"][0]["name"]
        .as_str()
        .unwrap_or_else(|| panic!("{lookup}: {data}"))
        .to_owned()
}

db_test!(names_are_the_forms_readers_use);
async fn names_are_the_forms_readers_use(app: TestApp) {
    let expected = [
        ("冈村宁次", "ja", "岡村寧次"),
        ("冈村宁次", "ja-Latn-hepburn", "Okamura Yasuji"),
        ("板垣征四郎", "ja", "板垣征四郎"),
        ("板垣征四郎", "ja-Latn-hepburn", "Itagaki Seishirō"),
        ("第5师团", "ja", "第5師団"),
        ("第5师团", "zh-Hant", "第5師團"),
        ("中国派遣军", "ja", "支那派遣軍"),
        ("薛岳", "zh-Latn-pinyin", "Xue Yue"),
        ("薛岳", "zh-Latn-wadegile", "Hsüeh Yüeh"),
        ("蒋介石", "zh-Latn-pinyin", "Jiang Jieshi"),
        ("蒋介石", "en", "Chiang Kai-shek"),
        ("蒋介石", "zh-Latn-wadegile", "Chiang Kai-shek"),
        ("淞沪会战", "zh-Hant", "淞滬會戰"),
        ("淞沪会战", "zh-TW", "淞滬會戰"),
        ("淞沪会战", "fr", "淞沪会战"),
        ("长衡会战", "zh-Hant", "長衡會戰"),
    ];
    for (lookup, lang, name) in expected {
        assert_eq!(name_of(&app, lookup, lang).await, name, "{lookup} in {lang}");
    }
    let data = app
        .query(r#"{ search(text: "薛岳", first: 1) { ... on Commander { names { text lang preferred } } } }"#)
        .await;
    let names = data["search"][0]["names"].as_array().unwrap();
    assert!(
        names.contains(&json!({ "text": "Hsueh Yueh", "lang": "zh-Latn-wadegile", "preferred": false })),
        "the ASCII form is a variant: {names:?}"
    );
    for bad in ["", "zh_Hant", "中文", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t"] {
        let error = app
            .query_error(&format!(
                r#"{{ battles(first: 1) {{ nodes {{ name(lang: "{bad}") }} }} }}"#
            ))
            .await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "lang {bad:?}: {error}");
    }
}

const PASSAGE: &str = "passages { battle { ordinal } field start end text }";

/// The battle's text a passage is taken from.
fn field_text<'a>(battle: &'a Value, field: &Value) -> &'a str {
    match field.as_str().unwrap() {
        "TITLE" => battle["name"].as_str().unwrap(),
        "NARRATIVE" => battle["narrative"].as_str().unwrap(),
        "OUTCOME" => battle["outcome"].as_str().unwrap(),
        other => panic!("field {other}"),
    }
}

fn check_passage(what: &str, battle: &Value, passage: &Value) {
    assert_eq!(passage["battle"]["ordinal"], battle["ordinal"], "{what}");
    let text = field_text(battle, &passage["field"]);
    assert_eq!(
        slice(text, &passage["start"], &passage["end"]),
        passage["text"].as_str().unwrap(),
        "{what}: text is the slice"
    );
}

db_test!(every_link_and_figure_has_the_passages_that_state_it);
async fn every_link_and_figure_has_the_passages_that_state_it(app: TestApp) {
    let dataset = Dataset::parse().unwrap();
    let fig = "{ text passage { battle { ordinal } field start end text } }";
    let q = format!(
        "{{ battles(first: 100) {{ nodes {{ ordinal name narrative outcome
            participations {{ battle {{ ordinal }} force {{ id name }} editorial note {PASSAGE} }}
            commands {{ commander {{ name }} editorial note {PASSAGE} }}
            sides {{ belligerent {{ nameEn }} strength {fig} casualties {fig} }} }} }} }}"
    );
    let data = app.query(&q).await;
    let battles = data["battles"]["nodes"].as_array().unwrap();
    assert_eq!(battles.len(), dataset.battles.len());
    let (mut links, mut figures) = (0, 0);
    for (battle, record) in battles.iter().zip(&dataset.battles) {
        let n = record.ordinal;
        // What the data files say names each force and commander here.
        let mut quotes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for side in &record.side {
            for f in &side.forces {
                let force = dataset.forces.iter().find(|r| r.reference() == f.name()).unwrap();
                let words = f.quotes().unwrap_or_else(|| vec![force.name.as_str()]);
                quotes.insert(force.name.clone(), words.iter().map(|w| w.to_string()).collect());
            }
        }
        let participations = battle["participations"].as_array().unwrap();
        assert_eq!(
            participations.len(),
            quotes.len(),
            "battle {n}: one participation per force"
        );
        for p in participations {
            let name = p["force"]["name"].as_str().unwrap();
            let what = format!("battle {n}, force {name}");
            assert_eq!(p["battle"]["ordinal"], n, "{what}");
            let passages = p["passages"].as_array().unwrap();
            assert!(!passages.is_empty(), "{what}: no passage");
            for passage in passages {
                check_passage(&what, battle, passage);
                let words = &quotes[name];
                assert!(
                    words.iter().any(|w| w == passage["text"].as_str().unwrap()),
                    "{what}: {passage} is not one of {words:?}"
                );
            }
            links += 1;
        }
        for c in battle["commands"].as_array().unwrap() {
            let name = c["commander"]["name"].as_str().unwrap();
            let what = format!("battle {n}, commander {name}");
            let record = record.command.iter().find(|r| r.commander == name).unwrap();
            let words = record.quote.as_ref().map_or_else(|| vec![name], |q| q.all());
            let passages = c["passages"].as_array().unwrap();
            assert!(!passages.is_empty(), "{what}: no passage");
            for passage in passages {
                check_passage(&what, battle, passage);
                assert!(words.contains(&passage["text"].as_str().unwrap()), "{what}: {passage}");
            }
            links += 1;
        }
        for side in battle["sides"].as_array().unwrap() {
            for figure in [&side["strength"], &side["casualties"]] {
                if figure.is_null() {
                    continue;
                }
                let what = format!(
                    "battle {n}, {} figure {}",
                    side["belligerent"]["nameEn"], figure["text"]
                );
                let passage = &figure["passage"];
                check_passage(&what, battle, passage);
                assert_ne!(passage["field"], "TITLE", "{what}");
                assert!(
                    passage["text"]
                        .as_str()
                        .unwrap()
                        .contains(figure["text"].as_str().unwrap()),
                    "{what}"
                );
                figures += 1;
            }
        }
    }
    let expected_links: usize = dataset
        .battles
        .iter()
        .map(|b| b.command.len() + b.side.iter().map(|s| s.forces.len()).sum::<usize>())
        .sum();
    let expected_figures: usize = dataset
        .battles
        .iter()
        .flat_map(|b| &b.side)
        .map(|s| s.strength.is_some() as usize + s.casualties.is_some() as usize)
        .sum();
    assert_eq!(
        (links, figures),
        (expected_links, expected_figures),
        "every link and figure was checked"
    );
}

db_test!(what_the_dataset_adds_is_marked_editorial_with_its_reason);
async fn what_the_dataset_adds_is_marked_editorial_with_its_reason(app: TestApp) {
    let data = app
        .query(
            r#"{ phases { ordinal editorial note }
                 b21: battle(ordinal: 21) { sides { belligerent { nameEn } editorial note } }
                 b24: battle(ordinal: 24) { sides { belligerent { nameEn } strength { text sharedWith { nameEn } } } }
                 b6: battle(ordinal: 6) { note editorial } }"#,
        )
        .await;
    let phases = data["phases"].as_array().unwrap();
    assert_eq!(phases[0]["editorial"], true);
    assert!(phases[0]["note"].is_string());
    assert!(
        phases[1..].iter().all(|p| p["editorial"] == false),
        "the source's headings are not editorial"
    );

    let sides = data["b21"]["sides"].as_array().unwrap();
    let us = sides
        .iter()
        .find(|s| s["belligerent"]["nameEn"] == "United States")
        .expect("a US side in battle 21");
    assert_eq!(us["editorial"], true);
    assert!(us["note"].as_str().unwrap().contains("史迪威"), "{us}");
    let cn = sides.iter().find(|s| s["belligerent"]["nameEn"] == "China").unwrap();
    assert_eq!(cn["editorial"], false);

    let sides = data["b24"]["sides"].as_array().unwrap();
    let jp = sides.iter().find(|s| s["belligerent"]["nameEn"] == "Japan").unwrap();
    assert_eq!(
        jp["strength"]["sharedWith"],
        json!([{ "nameEn": "Wang Jingwei regime (collaborationist)" }]),
        "{jp}"
    );

    let b6 = &data["b6"];
    assert_eq!(b6["editorial"], false);
    assert!(b6["note"].as_str().unwrap().contains("13"), "the fall of Nanjing: {b6}");
}
