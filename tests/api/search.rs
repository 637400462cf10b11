//! `searchConnection`: every kind of name in every script and spelling, the
//! battles' texts and the roles, ranked, paged and counted; bad text refused.

use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

const EDGES: &str = "totalCount countsByType { type count } pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { __typename ... on Battle { ordinal name } ... on Commander { name } ... on Force { name } ... on Place { name } ... on Event { text } }
            matches { field lang text start end passage { battle { ordinal name narrative outcome } field start end text } } }";

async fn search(app: &TestApp, text: &str, args: &str) -> Value {
    let q = format!("query($t: String!) {{ searchConnection(text: $t{args}) {{ {EDGES} }} }}");
    app.query_with(&q, json!({ "t": text })).await["searchConnection"].clone()
}

fn first_name(result: &Value) -> &str {
    result["edges"][0]["node"]["name"].as_str().unwrap_or_default()
}

/// Every match's offsets and passage say what the match is.
fn check_matches(query: &str, result: &Value) {
    for edge in result["edges"].as_array().unwrap() {
        for m in edge["matches"].as_array().unwrap() {
            let text: Vec<char> = m["text"].as_str().unwrap().chars().collect();
            let (start, end) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert!(start < end && end <= text.len(), "{query}: {m}");
            match m["field"].as_str().unwrap() {
                "NAME" => assert!(m["lang"].is_string() && m["passage"].is_null(), "{m}"),
                "ROLE" => assert!(m["passage"].is_null(), "{m}"),
                field => {
                    let p = &m["passage"];
                    assert_eq!(p["field"], field, "{m}");
                    let source = p["battle"][field.to_lowercase()].as_str().unwrap();
                    let chars: Vec<char> = source.chars().collect();
                    let (ps, pe) = (
                        p["start"].as_u64().unwrap() as usize,
                        p["end"].as_u64().unwrap() as usize,
                    );
                    let slice: String = chars[ps..pe].iter().collect();
                    assert_eq!(slice, p["text"].as_str().unwrap(), "{m}");
                    let matched: String = text[start..end].iter().collect();
                    assert_eq!(matched, slice, "the sentence's match is the passage: {m}");
                }
            }
        }
    }
}

db_test!(search_finds_every_kind_of_name_in_every_script);
async fn search_finds_every_kind_of_name_in_every_script(app: TestApp) {
    let cases = [
        ("淞滬會戰", "淞沪会战", "zh-Hant"),
        ("淞沪会战", "淞沪会战", "zh-Hans"),
        ("Battle of Shanghai", "淞沪会战", "en"),
        ("hsueh yueh", "薛岳", "zh-Latn-wadegile"),
        ("Hsüeh-Yüeh", "薛岳", "zh-Latn-wadegile"),
        ("xueyue", "薛岳", "zh-Latn-pinyin"),
        ("T'ang En-po", "汤恩伯", "zh-Latn-wadegile"),
        ("tang enbo", "汤恩伯", "en"),
        ("岡村寧次", "冈村宁次", "zh-Hant"),
        ("okamura yasuji", "冈村宁次", "en"),
        ("ITAGAKI SEISHIRO", "板垣征四郎", "en"),
        ("Itagaki Seishirō", "板垣征四郎", "ja-Latn-hepburn"),
        ("第5師団", "第5师团", "zh-Hant"),
        ("支那派遣軍", "中国派遣军", "ja"),
        ("chiang kai-shek", "蒋介石", "en"),
    ];
    for (query, expected, lang) in cases {
        let result = search(&app, query, "").await;
        assert_eq!(first_name(&result), expected, "{query}: {result}");
        let name_match = &result["edges"][0]["matches"][0];
        assert_eq!(name_match["field"], "NAME", "{query}");
        // The best match is a whole name; its lang is one that has it.
        assert_eq!(
            (name_match["start"].as_u64(), name_match["end"].as_u64()),
            (
                Some(0),
                Some(name_match["text"].as_str().unwrap().chars().count() as u64)
            ),
            "{query}: {name_match}"
        );
        let langs: Vec<&str> = result["edges"][0]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["lang"].as_str())
            .collect();
        assert!(
            langs.contains(&lang) || lang == "zh-Hant" && langs.contains(&"ja"),
            "{query}: matched in {langs:?}, not {lang}"
        );
        check_matches(query, &result);
    }
}

db_test!(search_ranks_names_before_texts_and_says_why);
async fn search_ranks_names_before_texts_and_says_why(app: TestApp) {
    // The place 长沙 is a whole name; three battles are named for it;
    // other battles and events only tell of it.
    let result = search(&app, "长沙", ", first: 100").await;
    let edges = result["edges"].as_array().unwrap();
    let is_name = |e: &Value| e["matches"][0]["field"] == "NAME";
    let names: Vec<&Value> = edges
        .iter()
        .take_while(|e| is_name(e))
        .map(|e| &e["node"]["name"])
        .collect();
    assert_eq!(
        names,
        ["长沙", "第一次长沙会战", "第二次长沙会战", "第三次长沙会战"],
        "{result}"
    );
    assert_eq!(edges[0]["node"]["__typename"], "Place");
    assert!(
        edges.len() > names.len(),
        "some other battle's text names 长沙: {result}"
    );
    assert!(
        edges[names.len()..].iter().all(|e| !is_name(e)),
        "names first, then texts: {result}"
    );
    check_matches("长沙", &result);

    // A narrative match carries its sentence and its passage.
    let result = search(&app, "杭州湾", ", types: [BATTLE]").await;
    let edge = &result["edges"][0];
    assert_eq!(edge["node"]["name"], "淞沪会战", "{result}");
    let m = &edge["matches"][0];
    assert_eq!(m["field"], "NARRATIVE");
    assert_eq!(
        m["text"],
        "11月5日，日军第10军登陆杭州湾，中国军队侧后受敌，被迫全面撤退，由于撤退秩序混乱，中国损失不少。"
    );
    assert_eq!(m["passage"]["text"], "杭州湾");
    check_matches("杭州湾", &result);

    // Roles are searched, for their commanders.
    let result = search(&app, "前敌总指挥", ", types: [COMMANDER]").await;
    assert_eq!(first_name(&result), "汤恩伯", "{result}");
    assert_eq!(result["edges"][0]["matches"][0]["field"], "ROLE");
    assert_eq!(result["edges"][0]["matches"][0]["text"], "第7集团前敌总指挥");
}

db_test!(search_pages_counts_and_restricts);
async fn search_pages_counts_and_restricts(app: TestApp) {
    let all = search(&app, "军", ", first: 100").await;
    let total = all["totalCount"].as_u64().unwrap();
    let counted: u64 = all["countsByType"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, total);
    assert_eq!(
        all["countsByType"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["type"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["BATTLE", "COMMANDER", "FORCE", "PLACE", "EVENT"]
    );
    assert!(total > 60, "军 is in many force names and every narrative: {total}");

    // Pages of 7 add up to the same list, in the same order, each result once.
    let mut paged = Vec::new();
    let mut after = String::new();
    loop {
        let page = search(&app, "军", &format!(", first: 7{after}")).await;
        assert_eq!(page["totalCount"].as_u64(), Some(total));
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !paged.is_empty());
        paged.extend(page["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = format!(", after: \"{}\"", page["pageInfo"]["endCursor"].as_str().unwrap());
    }
    assert_eq!(paged.len() as u64, total);
    let first_100: Vec<Value> = all["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(paged[..first_100.len()], first_100[..]);

    let forces = search(&app, "军", ", types: [FORCE], first: 100").await;
    assert!(
        forces["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["__typename"] == "Force")
    );
    assert_eq!(
        forces["countsByType"],
        json!([{ "type": "FORCE", "count": forces["totalCount"] }])
    );

    // The old field answers from the same index, in the same order.
    let data = app.query(r#"{ search(text: "军", first: 5) { ... on Battle { name } ... on Commander { name } ... on Force { name } ... on Place { name } } }"#).await;
    let old: Vec<&Value> = data["search"].as_array().unwrap().iter().map(|n| &n["name"]).collect();
    let new: Vec<&Value> = first_100[..5].iter().map(|n| &n["name"]).collect();
    assert_eq!(old, new);
}

db_test!(search_text_is_literal_and_bad_text_is_refused);
async fn search_text_is_literal_and_bad_text_is_refused(app: TestApp) {
    for literal in ["%", "_", "军%", "%_%"] {
        let result = search(&app, literal, "").await;
        assert_eq!(result["totalCount"], 0, "{literal} matches itself only: {result}");
    }
    // A decimal point is a character: 15万 is not 1.5万.
    let result = search(&app, "15万", ", first: 100").await;
    for edge in result["edges"].as_array().unwrap() {
        for m in edge["matches"].as_array().unwrap() {
            let text: Vec<char> = m["text"].as_str().unwrap().chars().collect();
            let matched: String = text[m["start"].as_u64().unwrap() as usize..m["end"].as_u64().unwrap() as usize]
                .iter()
                .collect();
            assert_eq!(matched, "15万", "{m}");
        }
    }
    assert!(search(&app, "1.5万", "").await["totalCount"].as_u64().unwrap() > 0);

    let long = "军".repeat(101);
    let bad = [
        ("", "1 to 100"),
        ("   ", "1 to 100"),
        (long.as_str(), "longer than 100"),
        ("a\u{0}b", "control characters"),
        ("- ' ·", "nothing to search for"),
    ];
    for (text, message) in bad {
        let reply = app
            .post(&json!({ "query": "query($t: String!) { searchConnection(text: $t) { totalCount } }", "variables": { "t": text } }))
            .await
            .json();
        let error = &reply["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{text:?}: {reply}");
        assert!(
            error["message"].as_str().unwrap().contains(message),
            "{text:?}: {reply}"
        );
    }
    for args in [
        r#"types: []"#,
        r#"first: -1"#,
        r#"first: 101"#,
        r#"after: "bm90IGEgY3Vyc29y""#,
        r#"after: "c2VhcmNofDB8QnwwMQ==""#,
    ] {
        let error = app
            .query_error(&format!(
                r#"{{ searchConnection(text: "军", {args}) {{ totalCount }} }}"#
            ))
            .await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{args}: {error}");
    }
}
