//! "Asking questions": nested connections, filters that combine, orderings
//! and aggregates. Expected answers are computed here from the plain fields
//! (the lists, the sides' figures, the dates), so each test checks the SQL
//! against an independent reading of the same data, on both databases.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;
use crate::statements::NESTED;

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn belligerent_id(app: &TestApp, name_en: &str) -> String {
    let data = app.query("{ belligerents { id nameEn } }").await;
    data["belligerents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["nameEn"] == name_en)
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .unwrap()
}

/// The plain list a nested connection stands beside.
fn plain(field: &str) -> &str {
    field.trim_end_matches("Connection")
}

fn parents_query(parent: &str) -> &'static str {
    match parent {
        "Battle" => "battles(first: 100) { nodes { id } }",
        "Commander" => "commanders(first: 100) { nodes { id } }",
        "Force" => "forces(first: 100) { nodes { id } }",
        "Phase" => "phases { id }",
        _ => "belligerents { id }",
    }
}

async fn parent_ids(app: &TestApp, parent: &str) -> Vec<String> {
    let data = app.query(&format!("{{ {} }}", parents_query(parent))).await;
    let list = data.as_object().unwrap().values().next().unwrap();
    ids(list.get("nodes").unwrap_or(list))
}

db_test!(nested_connections_hold_their_plain_lists);
async fn nested_connections_hold_their_plain_lists(app: TestApp) {
    for (parent, field, _) in NESTED {
        let query = format!(
            "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {parent} {{ {plain} {{ id }} {field}(first: 100) {{ totalCount nodes {{ id }} }} }} }} }}",
            plain = plain(field)
        );
        let data = app
            .query_with(&query, json!({ "ids": parent_ids(&app, parent).await }))
            .await;
        let mut items = 0;
        for node in data["nodes"].as_array().unwrap() {
            let listed: BTreeSet<String> = ids(&node[plain(field)]).into_iter().collect();
            let connected = ids(&node[field]["nodes"]);
            assert_eq!(connected.len(), listed.len(), "{parent}.{field}: each item once");
            assert_eq!(
                connected.into_iter().collect::<BTreeSet<_>>(),
                listed,
                "{parent}.{field}"
            );
            assert_eq!(node[field]["totalCount"], listed.len(), "{parent}.{field}.totalCount");
            items += listed.len();
        }
        assert!(items > 0, "{parent}.{field} holds something");
    }
}

/// Pages through one parent's connection `size` items at a time, forwards
/// or backwards, and returns the IDs in list order.
async fn page_through(
    app: &TestApp,
    parent: &str,
    id: &str,
    field: &str,
    arguments: &str,
    size: usize,
    backward: bool,
) -> Vec<String> {
    let (count, cursor, more, end) = if backward {
        ("last", "before", "hasPreviousPage", "startCursor")
    } else {
        ("first", "after", "hasNextPage", "endCursor")
    };
    let query = format!(
        "query($id: ID!, $cursor: String) {{ node(id: $id) {{ ... on {parent} {{ {field}({count}: {size}, {cursor}: $cursor{arguments}) {{ pageInfo {{ {more} {end} }} nodes {{ id }} }} }} }} }}"
    );
    let mut seen: Vec<String> = Vec::new();
    let mut at = Value::Null;
    for _ in 0..200 {
        let data = app.query_with(&query, json!({ "id": id, "cursor": at })).await;
        let connection = &data["node"][field];
        let mut page = ids(&connection["nodes"]);
        assert!(page.len() <= size);
        if backward {
            page.extend(seen);
            seen = page;
        } else {
            seen.extend(page);
        }
        if connection["pageInfo"][more] != true {
            return seen;
        }
        at = connection["pageInfo"][end].clone();
    }
    panic!("{parent}.{field} never ended");
}

db_test!(nested_connections_page_both_ways_under_every_ordering);
async fn nested_connections_page_both_ways_under_every_ordering(app: TestApp) {
    let orders = |target: &str| -> Vec<&'static str> {
        match target {
            "battle" => vec![
                "",
                ", orderBy: START_DESC",
                ", orderBy: CASUALTIES_DESC",
                ", orderBy: DURATION_DESC",
            ],
            "commander" => vec!["", ", orderBy: NAME_EN_ASC", ", orderBy: BATTLES_DESC"],
            _ => vec!["", ", orderBy: KIND_ASC", ", orderBy: BATTLES_DESC"],
        }
    };
    for (parent, field, target) in NESTED {
        // The parent with the longest list.
        let query = format!(
            "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {parent} {{ id {field}(first: 0) {{ totalCount }} }} }} }}"
        );
        let data = app
            .query_with(&query, json!({ "ids": parent_ids(&app, parent).await }))
            .await;
        let longest = data["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .max_by_key(|n| n[field]["totalCount"].as_i64().unwrap())
            .unwrap();
        let id = longest["id"].as_str().unwrap();
        let total = longest[field]["totalCount"].as_i64().unwrap();
        // (No force in the source has more than one subordinate.)
        assert!(total >= 1, "{parent}.{field}: a list to page");
        let size = if total >= 3 { 2 } else { 1 };
        for arguments in orders(target) {
            let whole = page_through(&app, parent, id, field, arguments, 100, false).await;
            let forwards = page_through(&app, parent, id, field, arguments, size, false).await;
            let backwards = page_through(&app, parent, id, field, arguments, size, true).await;
            assert_eq!(forwards, whole, "{parent}.{field}{arguments}: forwards by {size}");
            assert_eq!(backwards, whole, "{parent}.{field}{arguments}: backwards by {size}");
        }
    }
}

db_test!(cursors_belong_to_their_list_and_ordering);
async fn cursors_belong_to_their_list_and_ordering(app: TestApp) {
    let data = app
        .query("{ battles(first: 1) { pageInfo { endCursor } } phases { battlesConnection(first: 1) { pageInfo { endCursor } } } }")
        .await;
    let root = data["battles"]["pageInfo"]["endCursor"].as_str().unwrap();
    let nested = data["phases"][0]["battlesConnection"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap();
    for (query, cursor) in [
        // A root cursor on a relation, a relation's on the root, another ordering.
        ("{ phases { battlesConnection(after: $c) { totalCount } } }", root),
        ("{ battles(after: $c) { totalCount } }", nested),
        (
            "{ phases { battlesConnection(after: $c, orderBy: START_ASC) { totalCount } } }",
            nested,
        ),
        (
            "{ belligerents { battlesConnection(after: $c) { totalCount } } }",
            nested,
        ),
        ("{ commanders(before: $c) { totalCount } }", root),
    ] {
        let query = format!("query($c: String) {query}");
        let reply = app
            .post(&json!({ "query": query, "variables": { "c": cursor } }))
            .await
            .json();
        let error = &reply["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{query}: {reply}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("is not a cursor of this list and ordering")
        );
    }
}

/// Every battle with what the filters, orderings and aggregates look at.
async fn battles(app: &TestApp) -> Vec<Value> {
    let data = app
        .query(
            "{ battles(first: 100) { nodes { id ordinal nameEn phase { id ordinal name } \
             start { earliest latest precision edtf } end { earliest latest precision edtf } \
             sides { belligerent { id nameEn } strength { value qualifier } casualties { value qualifier } } } } }",
        )
        .await;
    data["battles"]["nodes"].as_array().unwrap().clone()
}

fn ordinals(data: &Value) -> Vec<i64> {
    data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["ordinal"].as_i64().unwrap())
        .collect()
}

async fn matching(app: &TestApp, filter: &str) -> Vec<i64> {
    let data = app
        .query(&format!(
            "{{ battles(first: 100, filter: {filter}) {{ totalCount nodes {{ ordinal }} }} }}"
        ))
        .await;
    let found = ordinals(&data["battles"]);
    assert_eq!(data["battles"]["totalCount"], found.len(), "{filter}: totalCount");
    found
}

fn casualties_of(battle: &Value, belligerent: &str) -> Option<(i64, String)> {
    battle["sides"].as_array().unwrap().iter().find_map(|side| {
        (side["belligerent"]["nameEn"] == belligerent && !side["casualties"].is_null()).then(|| {
            let c = &side["casualties"];
            (
                c["value"].as_i64().unwrap(),
                c["qualifier"].as_str().unwrap().to_owned(),
            )
        })
    })
}

db_test!(side_filters_compare_the_stated_figures);
async fn side_filters_compare_the_stated_figures(app: TestApp) {
    let all = battles(&app).await;
    let japan = belligerent_id(&app, "Japan").await;
    let found = matching(
        &app,
        &format!("{{ side: {{ belligerentId: \"{japan}\", casualties: {{ gt: 50000 }} }} }}"),
    )
    .await;
    let expected: Vec<i64> = all
        .iter()
        .filter(|b| casualties_of(b, "Japan").is_some_and(|(value, _)| value > 50000))
        .map(|b| b["ordinal"].as_i64().unwrap())
        .collect();
    assert_eq!(found, expected);
    // The source: 武汉会战, Japan's losses 近10万 (NEARLY 100000).
    let wuhan = all.iter().find(|b| b["nameEn"] == "Battle of Wuhan").unwrap();
    assert_eq!(casualties_of(wuhan, "Japan"), Some((100000, "NEARLY".to_owned())));
    assert!(found.contains(&wuhan["ordinal"].as_i64().unwrap()));

    // Qualifiers, and bounds on both sides; a side with no figure never matches.
    let found = matching(
        &app,
        "{ side: { casualties: { gte: 10000, lte: 100000, qualifier: [MORE_THAN, ABOUT] } } }",
    )
    .await;
    let expected: Vec<i64> = all
        .iter()
        .filter(|b| {
            b["sides"].as_array().unwrap().iter().any(|side| {
                let c = &side["casualties"];
                !c.is_null()
                    && (10000..=100000).contains(&c["value"].as_i64().unwrap())
                    && ["MORE_THAN", "ABOUT"].contains(&c["qualifier"].as_str().unwrap())
            })
        })
        .map(|b| b["ordinal"].as_i64().unwrap())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(found, expected);
}

db_test!(and_or_not_combine_as_logic_does);
async fn and_or_not_combine_as_logic_does(app: TestApp) {
    let all = battles(&app).await;
    let everything: BTreeSet<i64> = all.iter().map(|b| b["ordinal"].as_i64().unwrap()).collect();
    let phase_of = |ordinal: i64| -> i64 {
        all.iter().find(|b| b["ordinal"] == ordinal).unwrap()["phase"]["ordinal"]
            .as_i64()
            .unwrap()
    };
    let phases = app.query("{ phases { id ordinal } }").await;
    let phase = |ordinal: i64| -> String {
        phases["phases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["ordinal"] == ordinal)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (one, two) = (phase(1), phase(2));
    let in_one: BTreeSet<i64> = everything.iter().copied().filter(|o| phase_of(*o) == 1).collect();
    let in_two: BTreeSet<i64> = everything.iter().copied().filter(|o| phase_of(*o) == 2).collect();
    let set = |v: Vec<i64>| v.into_iter().collect::<BTreeSet<i64>>();

    let or = set(matching(
        &app,
        &format!("{{ or: [{{ phaseId: \"{one}\" }}, {{ phaseId: \"{two}\" }}] }}"),
    )
    .await);
    assert_eq!(or, in_one.union(&in_two).copied().collect());
    let not = set(matching(&app, &format!("{{ not: {{ phaseId: \"{one}\" }} }}")).await);
    assert_eq!(not, everything.difference(&in_one).copied().collect());
    let and = set(matching(
        &app,
        &format!("{{ and: [{{ phaseId: \"{one}\" }}, {{ phaseId: \"{two}\" }}] }}"),
    )
    .await);
    assert!(and.is_empty(), "no battle is in two phases");
    // Fields of one object, and: and or beside them, all hold together.
    let both = set(matching(
        &app,
        &format!("{{ nameContains: \"会战\", or: [{{ phaseId: \"{one}\" }}, {{ phaseId: \"{two}\" }}] }}"),
    )
    .await);
    let named: BTreeSet<i64> = set(matching(&app, "{ nameContains: \"会战\" }").await);
    assert_eq!(both, named.intersection(&or).copied().collect());
    // not of not.
    let twice = set(matching(&app, &format!("{{ not: {{ not: {{ phaseId: \"{one}\" }} }} }}")).await);
    assert_eq!(twice, in_one);
    // The whole argument may be null or {}: the whole list.
    assert_eq!(set(matching(&app, "{}").await), everything);
    assert_eq!(set(matching(&app, "null").await), everything);
}

db_test!(filters_refuse_what_would_restrict_nothing);
async fn filters_refuse_what_would_restrict_nothing(app: TestApp) {
    let japan = belligerent_id(&app, "Japan").await;
    let nested_not = "{ not: { not: { not: { not: { not: { not: { nameContains: \"a\" } } } } } } }";
    let many = format!("{{ or: [{}] }}", vec!["{ nameContains: \"a\" }"; 40].join(", "));
    let cases = [
        ("battles", "{ phaseId: null }".to_owned(), "filter.phaseId is null"),
        ("battles", "{ and: [] }".to_owned(), "filter.and is empty"),
        ("battles", "{ or: [] }".to_owned(), "filter.or is empty"),
        ("battles", "{ not: {} }".to_owned(), "filter.not is empty"),
        (
            "battles",
            "{ or: [{ nameContains: \"a\" }, {}] }".to_owned(),
            "filter.or[1] is empty",
        ),
        ("battles", "{ not: null }".to_owned(), "filter.not is null"),
        ("battles", "{ side: {} }".to_owned(), "filter.side is empty"),
        (
            "battles",
            "{ side: { casualties: {} } }".to_owned(),
            "filter.side.casualties is empty",
        ),
        (
            "battles",
            format!("{{ side: {{ belligerentId: \"{japan}\", casualties: {{ gt: null }} }} }}"),
            "filter.side.casualties.gt is null",
        ),
        (
            "battles",
            "{ side: { strength: { qualifier: [] } } }".to_owned(),
            "filter.side.strength.qualifier is empty",
        ),
        (
            "battles",
            "{ certainty: CERTAIN }".to_owned(),
            "filter.certainty applies to",
        ),
        (
            "battles",
            "{ and: [{ from: \"1940-01-01\", to: \"1939-01-01\" }] }".to_owned(),
            "filter.and[0]: from",
        ),
        ("battles", nested_not.to_owned(), "nest at most 5 levels"),
        ("battles", many, "at most 32 filter objects"),
        (
            "battles",
            "{ or: [{ phaseId: \"QmF0dGxlOjE=\" }] }".to_owned(),
            "filter.or[0].phaseId",
        ),
        (
            "battles",
            "{ not: { phaseId: \"UGhhc2U6OTk=\" } }".to_owned(),
            "filter.not.phaseId: no Phase has",
        ),
        ("commanders", "{ or: [] }".to_owned(), "filter.or is empty"),
        (
            "commanders",
            "{ belligerentId: null }".to_owned(),
            "filter.belligerentId is null",
        ),
        ("forces", "{ not: {} }".to_owned(), "filter.not is empty"),
        ("forces", "{ kind: null }".to_owned(), "filter.kind is null"),
    ];
    for (list, filter, message) in cases {
        let query = format!("{{ {list}(filter: {filter}) {{ totalCount }} }}");
        let error = app.query_error(&query).await;
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{query}: {error}");
        let text = error["message"].as_str().unwrap();
        assert!(text.contains(message), "{query}: {text:?} should say {message:?}");
    }
    // The same rules inside a nested connection.
    let error = app
        .query_error("{ phases { battlesConnection(filter: { or: [] }) { totalCount } } }")
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
}

db_test!(certainty_narrows_fuzzy_dates);
async fn certainty_narrows_fuzzy_dates(app: TestApp) {
    let all = battles(&app).await;
    let day = |v: &Value| v.as_str().unwrap().to_owned();
    // Days around every fuzzy boundary, where the two readings differ.
    let mut days: BTreeSet<String> = BTreeSet::new();
    for b in &all {
        for date in [&b["start"], &b["end"]] {
            if date["precision"] != "DAY" {
                days.insert(day(&date["earliest"]));
                days.insert(day(&date["latest"]));
            }
        }
    }
    assert!(!days.is_empty(), "the source has fuzzy dates");
    let mut differed = false;
    for on in &days {
        let possible = matching(&app, &format!("{{ activeOn: \"{on}\" }}")).await;
        let certain = matching(&app, &format!("{{ activeOn: \"{on}\", certainty: CERTAIN }}")).await;
        let expect = |from: &str, to: &str| -> Vec<i64> {
            all.iter()
                .filter(|b| day(&b[from][if from == "start" { "earliest" } else { "latest" }]) <= *on)
                .filter(|b| *on <= day(&b[to][if to == "end" { "latest" } else { "earliest" }]))
                .map(|b| b["ordinal"].as_i64().unwrap())
                .collect()
        };
        assert_eq!(possible, expect("start", "end"), "activeOn {on}");
        let certain_expected: Vec<i64> = all
            .iter()
            .filter(|b| day(&b["start"]["latest"]) <= *on && *on <= day(&b["end"]["earliest"]))
            .map(|b| b["ordinal"].as_i64().unwrap())
            .collect();
        assert_eq!(certain, certain_expected, "activeOn {on}, CERTAIN");
        differed |= possible != certain;
        assert!(certain.iter().all(|o| possible.contains(o)), "CERTAIN is narrower");
    }
    assert!(differed, "somewhere the readings differ");
    // from/to under CERTAIN.
    let (from, to) = ("1938-06-01", "1938-10-31");
    let certain = matching(
        &app,
        &format!("{{ from: \"{from}\", to: \"{to}\", certainty: CERTAIN }}"),
    )
    .await;
    let expected: Vec<i64> = all
        .iter()
        .filter(|b| day(&b["start"]["latest"]).as_str() <= to && day(&b["end"]["earliest"]).as_str() >= from)
        .map(|b| b["ordinal"].as_i64().unwrap())
        .collect();
    assert_eq!(certain, expected);
}

fn stated_casualties(battle: &Value) -> Option<i64> {
    let values: Vec<i64> = battle["sides"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["casualties"]["value"].as_i64())
        .collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

fn days_between(from: &str, to: &str) -> i64 {
    let parse = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    (parse(to) - parse(from)).num_days()
}

db_test!(battle_orders_sort_as_documented);
async fn battle_orders_sort_as_documented(app: TestApp) {
    let all = battles(&app).await;
    let text = |b: &Value, date: &str, end: &str| b[date][end].as_str().unwrap().to_owned();
    let ordinal = |b: &Value| b["ordinal"].as_i64().unwrap();
    let sorted = |key: &dyn Fn(&Value, &Value) -> std::cmp::Ordering| {
        let mut list = all.clone();
        list.sort_by(|a, b| key(a, b));
        list.iter().map(ordinal).collect::<Vec<_>>()
    };
    let expected: Vec<(&str, Vec<i64>)> = vec![
        ("ORDINAL_ASC", sorted(&|a, b| ordinal(a).cmp(&ordinal(b)))),
        ("ORDINAL_DESC", sorted(&|a, b| ordinal(b).cmp(&ordinal(a)))),
        (
            "START_ASC",
            sorted(&|a, b| (text(a, "start", "earliest"), ordinal(a)).cmp(&(text(b, "start", "earliest"), ordinal(b)))),
        ),
        (
            "START_DESC",
            sorted(&|a, b| (text(b, "start", "earliest"), ordinal(b)).cmp(&(text(a, "start", "earliest"), ordinal(a)))),
        ),
        (
            "END_ASC",
            sorted(&|a, b| (text(a, "end", "latest"), ordinal(a)).cmp(&(text(b, "end", "latest"), ordinal(b)))),
        ),
        (
            "END_DESC",
            sorted(&|a, b| (text(b, "end", "latest"), ordinal(b)).cmp(&(text(a, "end", "latest"), ordinal(a)))),
        ),
        (
            "DURATION_DESC",
            sorted(&|a, b| {
                let d = |x: &Value| days_between(&text(x, "start", "earliest"), &text(x, "end", "latest"));
                d(b).cmp(&d(a)).then(ordinal(a).cmp(&ordinal(b)))
            }),
        ),
        (
            "CASUALTIES_DESC",
            sorted(&|a, b| {
                let c = |x: &Value| stated_casualties(x).unwrap_or(-1);
                c(b).cmp(&c(a)).then(ordinal(a).cmp(&ordinal(b)))
            }),
        ),
    ];
    for (order, expected) in expected {
        let whole = app
            .query(&format!(
                "{{ battles(first: 100, orderBy: {order}) {{ nodes {{ ordinal }} }} }}"
            ))
            .await;
        assert_eq!(ordinals(&whole["battles"]), expected, "{order}");
        // By pages of 7, forwards and backwards: the same, nothing skipped or repeated.
        let mut forwards = Vec::new();
        let mut after = Value::Null;
        loop {
            let data = app
                .query_with(
                    &format!("query($a: String) {{ battles(first: 7, after: $a, orderBy: {order}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ ordinal }} }} }}"),
                    json!({ "a": after }),
                )
                .await;
            forwards.extend(ordinals(&data["battles"]));
            if data["battles"]["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = data["battles"]["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(forwards, expected, "{order} by pages");
        let mut backwards: Vec<i64> = Vec::new();
        let mut before = Value::Null;
        loop {
            let data = app
                .query_with(
                    &format!("query($b: String) {{ battles(last: 7, before: $b, orderBy: {order}) {{ pageInfo {{ hasPreviousPage startCursor }} nodes {{ ordinal }} }} }}"),
                    json!({ "b": before }),
                )
                .await;
            let mut page = ordinals(&data["battles"]);
            page.extend(backwards);
            backwards = page;
            if data["battles"]["pageInfo"]["hasPreviousPage"] != true {
                break;
            }
            before = data["battles"]["pageInfo"]["startCursor"].clone();
        }
        assert_eq!(backwards, expected, "{order} by pages backwards");
    }
}

/// The IDs' numbers, which order the dataset (`ids::encode` is base64 of "Type:n").
fn number(id: &str) -> i64 {
    use base64::Engine;
    let text = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(id).unwrap()).unwrap();
    text.rsplit(':').next().unwrap().parse().unwrap()
}

db_test!(commander_and_force_orders_sort_as_documented);
async fn commander_and_force_orders_sort_as_documented(app: TestApp) {
    let kinds = [
        "WAR_ZONE",
        "GENERAL_ARMY",
        "AREA_ARMY",
        "ARMY_GROUP",
        "ARMY",
        "DIVISION",
        "BRIGADE",
        "REGIMENT",
        "DETACHMENT",
        "NAVAL",
        "AIR",
        "OTHER",
    ];
    for (list, orders) in [
        ("commanders", vec!["NAME_EN_ASC", "BATTLES_DESC"]),
        ("forces", vec!["NAME_EN_ASC", "KIND_ASC", "BATTLES_DESC"]),
    ] {
        let kind = if list == "forces" { "kind" } else { "" };
        let mut all: Vec<Value> = Vec::new();
        let mut after = Value::Null;
        loop {
            let data = app
                .query_with(
                    &format!("query($a: String) {{ {list}(first: 100, after: $a) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ id nameEn {kind} battles {{ id }} }} }} }}"),
                    json!({ "a": after }),
                )
                .await;
            all.extend(data[list]["nodes"].as_array().unwrap().iter().cloned());
            if data[list]["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = data[list]["pageInfo"]["endCursor"].clone();
        }
        let name = |x: &Value| x["nameEn"].as_str().unwrap().to_ascii_lowercase();
        let battles = |x: &Value| x["battles"].as_array().unwrap().len();
        let rank = |x: &Value| kinds.iter().position(|k| x["kind"] == *k).unwrap_or(0);
        for order in orders {
            let mut expected = all.clone();
            expected.sort_by(|a, b| {
                let by_name =
                    (name(a), number(a["id"].as_str().unwrap())).cmp(&(name(b), number(b["id"].as_str().unwrap())));
                match order {
                    "NAME_EN_ASC" => by_name,
                    "KIND_ASC" => rank(a).cmp(&rank(b)).then(by_name),
                    _ => battles(b).cmp(&battles(a)).then(by_name),
                }
            });
            let expected = ids(&Value::Array(expected));
            // Pages of 13 under the order: the whole key is in the cursor.
            let mut found = Vec::new();
            let mut after = Value::Null;
            loop {
                let data = app
                    .query_with(
                        &format!("query($a: String) {{ {list}(first: 13, after: $a, orderBy: {order}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }}"),
                        json!({ "a": after }),
                    )
                    .await;
                found.extend(ids(&data[list]["nodes"]));
                if data[list]["pageInfo"]["hasNextPage"] != true {
                    break;
                }
                after = data[list]["pageInfo"]["endCursor"].clone();
            }
            assert_eq!(found, expected, "{list} {order}");
        }
    }
}

/// The contract's algebra, written again here from its text.
fn hedge(qualifiers: &[String]) -> &'static str {
    let all = |allowed: &[&str]| qualifiers.iter().all(|q| allowed.contains(&q.as_str()));
    let any = |q: &str| qualifiers.iter().any(|x| x == q);
    if all(&["EXACT"]) {
        "EXACT"
    } else if all(&["EXACT", "MORE_THAN"]) && any("MORE_THAN") {
        "MORE_THAN"
    } else if all(&["EXACT", "NEARLY"]) && any("NEARLY") {
        "NEARLY"
    } else {
        "ABOUT"
    }
}

/// Stated figures: value and qualifier.
type Figures = Vec<(i64, String)>;

/// The aggregate of `battles`, computed here: (count, from, to, sides).
fn expected_aggregate(battles: &[&Value]) -> Value {
    let mut sides: BTreeMap<i64, (String, i64, Figures, Figures)> = BTreeMap::new();
    for b in battles {
        for side in b["sides"].as_array().unwrap() {
            let id = number(side["belligerent"]["id"].as_str().unwrap());
            let entry = sides.entry(id).or_insert_with(|| {
                (
                    side["belligerent"]["nameEn"].as_str().unwrap().to_owned(),
                    0,
                    vec![],
                    vec![],
                )
            });
            entry.1 += 1;
            for (figure, into) in [("strength", &mut entry.2), ("casualties", &mut entry.3)] {
                if !side[figure].is_null() {
                    into.push((
                        side[figure]["value"].as_i64().unwrap(),
                        side[figure]["qualifier"].as_str().unwrap().to_owned(),
                    ));
                }
            }
        }
    }
    let sum = |figures: &[(i64, String)], battles: i64| {
        let qualifiers: Vec<String> = figures.iter().map(|(_, q)| q.clone()).collect();
        json!({
            "value": figures.iter().map(|(v, _)| v).sum::<i64>(),
            "qualifier": hedge(&qualifiers),
            "counted": figures.len(),
            "missing": battles - figures.len() as i64,
        })
    };
    json!({
        "count": battles.len(),
        "from": battles.iter().map(|b| b["start"]["earliest"].as_str().unwrap()).min(),
        "to": battles.iter().map(|b| b["end"]["latest"].as_str().unwrap()).max(),
        "sides": sides.values().map(|(name, n, strength, casualties)| json!({
            "belligerent": { "nameEn": name },
            "battles": n,
            "strength": sum(strength, *n),
            "casualties": sum(casualties, *n),
        })).collect::<Vec<_>>(),
    })
}

const AGGREGATE: &str = "count from to sides { belligerent { nameEn } battles \
    strength { value qualifier counted missing } casualties { value qualifier counted missing } }";

db_test!(aggregates_add_up_the_matched_battles_keeping_hedges);
async fn aggregates_add_up_the_matched_battles_keeping_hedges(app: TestApp) {
    let all = battles(&app).await;
    let everything: Vec<&Value> = all.iter().collect();
    // Over the filter, not the page.
    let data = app
        .query(&format!(
            "{{ battles(first: 1) {{ aggregate {{ {AGGREGATE} groups(by: PHASE) {{ key phase {{ name }} year belligerent {{ id }} aggregate {{ {AGGREGATE} groups(by: YEAR) {{ key year aggregate {{ count }} }} }} }} }} }} }}"
        ))
        .await;
    let aggregate = &data["battles"]["aggregate"];
    let mut ours = aggregate.clone();
    ours.as_object_mut().unwrap().remove("groups");
    assert_eq!(ours, expected_aggregate(&everything));
    // Some sum is hedged, so the algebra is exercised, not only EXACT.
    let hedges: BTreeSet<&str> = aggregate["sides"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            [
                s["strength"]["qualifier"].as_str().unwrap(),
                s["casualties"]["qualifier"].as_str().unwrap(),
            ]
        })
        .collect();
    assert!(hedges.iter().any(|q| *q != "EXACT"), "{hedges:?}");

    // Groups by phase, in phase order, each with the aggregate of its battles;
    // years nest inside.
    let groups = aggregate["groups"].as_array().unwrap();
    let mut covered = 0;
    let mut last_ordinal = 0;
    for group in groups {
        let members: Vec<&Value> = all.iter().filter(|b| b["phase"]["name"] == group["key"]).collect();
        let ordinal = members[0]["phase"]["ordinal"].as_i64().unwrap();
        assert!(ordinal > last_ordinal, "groups in phase order");
        last_ordinal = ordinal;
        assert_eq!(group["phase"]["name"], group["key"]);
        assert!(group["year"].is_null() && group["belligerent"].is_null());
        let mut inner = group["aggregate"].clone();
        let years = inner.as_object_mut().unwrap().remove("groups").unwrap();
        assert_eq!(inner, expected_aggregate(&members), "phase {}", group["key"]);
        let year_counts: usize = years
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["aggregate"]["count"].as_u64().unwrap() as usize)
            .sum();
        assert_eq!(year_counts, members.len());
        for year in years.as_array().unwrap() {
            assert_eq!(year["key"], year["year"].to_string());
        }
        covered += members.len();
    }
    assert_eq!(covered, all.len(), "every battle in one phase group");

    // By belligerent: a battle is in each of its sides' groups.
    let data = app
        .query(&format!("{{ battles {{ aggregate {{ groups(by: BELLIGERENT) {{ key belligerent {{ id name }} aggregate {{ {AGGREGATE} }} }} }} }} }}"))
        .await;
    for group in data["battles"]["aggregate"]["groups"].as_array().unwrap() {
        let id = group["belligerent"]["id"].as_str().unwrap();
        assert_eq!(group["key"], group["belligerent"]["name"]);
        let members: Vec<&Value> = all
            .iter()
            .filter(|b| {
                b["sides"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["belligerent"]["id"] == id)
            })
            .collect();
        assert_eq!(
            group["aggregate"],
            expected_aggregate(&members),
            "belligerent {}",
            group["key"]
        );
    }

    // A nested connection's aggregate is its parent's battles.
    let data = app
        .query(&format!(
            "{{ phases {{ id battles {{ id }} battlesConnection(first: 0) {{ aggregate {{ {AGGREGATE} }} }} }} }}"
        ))
        .await;
    for phase in data["phases"].as_array().unwrap() {
        let members: Vec<&Value> = all
            .iter()
            .filter(|b| phase["battles"].as_array().unwrap().iter().any(|x| x["id"] == b["id"]))
            .collect();
        assert_eq!(phase["battlesConnection"]["aggregate"], expected_aggregate(&members));
    }

    // Nothing matched: count 0, no dates, no sides.
    let data = app
        .query(&format!("{{ battles(filter: {{ nameContains: \"no such battle\" }}) {{ aggregate {{ {AGGREGATE} groups(by: YEAR) {{ key }} }} }} }}"))
        .await;
    assert_eq!(
        data["battles"]["aggregate"],
        json!({ "count": 0, "from": null, "to": null, "sides": [], "groups": [] })
    );
}

db_test!(fuzzy_dates_speak_edtf);
async fn fuzzy_dates_speak_edtf(app: TestApp) {
    let all = battles(&app).await;
    let mut seen = BTreeSet::new();
    for b in &all {
        for date in [&b["start"], &b["end"]] {
            let (earliest, latest) = (date["earliest"].as_str().unwrap(), date["latest"].as_str().unwrap());
            let expected = match date["precision"].as_str().unwrap() {
                "DAY" => earliest.to_owned(),
                "MONTH" => earliest[..7].to_owned(),
                _ => format!("[{earliest}..{latest}]"),
            };
            assert_eq!(date["edtf"], expected.as_str());
            seen.insert(date["precision"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(seen.len(), 3, "the source has all three precisions: {seen:?}");
}

db_test!(complexity_weighs_nested_page_sizes);
async fn complexity_weighs_nested_page_sizes(app: TestApp) {
    let query = |n: u32| {
        format!(
            "{{ commanders(first: {n}) {{ nodes {{ battlesConnection(first: {n}) {{ nodes {{ forcesConnection(first: {n}) {{ nodes {{ name }} }} }} }} }} }} }}"
        )
    };
    // 100 x 100 x 100 forces could be asked: refused before execution.
    let error = app.query_error(&query(100)).await;
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{error}");
    // The benchmark's traversal shape is well within.
    let data = app
        .query("{ commanders(first: 100) { nodes { battlesConnection(first: 5) { totalCount nodes { name forcesConnection(first: 10) { totalCount nodes { name } } } } } } }")
        .await;
    assert!(data["commanders"]["nodes"].as_array().unwrap().len() > 30);
}

db_test!(the_examples_run_and_the_readme_shows_them);
async fn the_examples_run_and_the_readme_shows_them(app: TestApp) {
    let readme = include_str!("../../README.md");
    let tabs = app
        .send(
            app.client.get(format!("{}/playground/examples.json", app.address)),
            None,
        )
        .await
        .json();
    assert_eq!(tabs.as_array().unwrap().len(), kangzhan::http::EXAMPLES.len());
    for ((query, variables), tab) in kangzhan::http::EXAMPLES.iter().zip(tabs.as_array().unwrap()) {
        assert_eq!(tab["query"], *query, "the page opens the examples in order");
        assert!(readme.contains(query.trim()), "README shows the example:\n{query}");
        let variables: Value = serde_json::from_str(variables).unwrap();
        app.query_with(query, variables).await;
    }
    // Page by page: following endCursor walks all of Li Zongren's battles.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .query_with(kangzhan::http::EXAMPLES[1].0, json!({ "after": after }))
            .await;
        let connection = &data["commanders"]["nodes"][0]["battlesConnection"];
        seen.extend(
            connection["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["name"].clone()),
        );
        if connection["pageInfo"]["hasNextPage"] != true {
            assert_eq!(connection["totalCount"], seen.len());
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert!(seen.len() > 2, "more than one page: {seen:?}");
    // The hedges show in the sums by phase.
    let data = app.query(kangzhan::http::EXAMPLES[3].0).await;
    let qualifiers: BTreeSet<String> = data["battles"]["aggregate"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["aggregate"]["sides"].as_array().unwrap().clone())
        .map(|s| s["casualties"]["qualifier"].as_str().unwrap().to_owned())
        .collect();
    assert!(qualifiers.len() > 1, "{qualifiers:?}");
    // Where and when: the landing in Hangzhou Bay, and Taierzhuang near Xuzhou.
    let data = app.query(kangzhan::http::EXAMPLES[5].0).await;
    let texts: Vec<&str> = data["events"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(texts.iter().any(|t| t.contains("杭州湾")), "{texts:?}");
    let near: Vec<&str> = data["places"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(near.contains(&"台儿庄"), "{near:?}");
}

db_test!(forged_cursors_are_refused_not_sent_to_the_database);
async fn forged_cursors_are_refused_not_sent_to_the_database(app: TestApp) {
    use base64::Engine;
    let forge = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    for (list, cursor) in [
        (
            "commanders(orderBy: NAME_EN_ASC",
            forge("commanders|NAME_EN_ASC|[\"a\\u0000\",1]"),
        ),
        (
            "battles(orderBy: START_ASC",
            forge("battles|START_ASC|[\"-5000-01-01\",1]"),
        ),
        (
            "battles(orderBy: END_DESC",
            forge("battles|END_DESC|[\"99999-01-01\",1]"),
        ),
        (
            "battles(orderBy: CASUALTIES_DESC",
            forge("battles|CASUALTIES_DESC|[1e99,1]"),
        ),
        (
            "phases { battlesConnection(orderBy: START_ASC",
            forge("Phase.battlesConnection|START_ASC|[\"1937-02-30\",1]"),
        ),
    ] {
        let close = if list.starts_with("phases") {
            ") { totalCount } }"
        } else {
            ") { totalCount }"
        };
        let query = format!("query($c: String) {{ {list}, after: $c{close} }}");
        let reply = app
            .post(&json!({ "query": query, "variables": { "c": cursor } }))
            .await
            .json();
        assert_eq!(
            reply["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{query}: {reply}"
        );
    }
}
