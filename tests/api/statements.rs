//! Batching, proved by counting SQL statements: a query costs one statement
//! per level of relations, however many objects each level returns.

use serde_json::json;

use crate::db_test;
use crate::helpers::TestApp;

const DEEP: &str = "query($n: Int) { commanders(first: $n) { nodes { name battles { name commanders { name battles { name forces { name } } } } } } }";

/// Statements the server ran for one query.
async fn statements_for(app: &TestApp, query: &str, variables: serde_json::Value) -> (usize, serde_json::Value) {
    let before = app.statements().await;
    let data = app.query_with(query, variables).await;
    (app.statements().await - before, data)
}

db_test!(deep_traversal_costs_one_statement_per_level);
async fn deep_traversal_costs_one_statement_per_level(app: TestApp) {
    let (one, data) = statements_for(&app, DEEP, json!({ "n": 1 })).await;
    assert_eq!(data["commanders"]["nodes"].as_array().unwrap().len(), 1);
    let (all, data) = statements_for(&app, DEEP, json!({ "n": 100 })).await;
    let commanders = data["commanders"]["nodes"].as_array().unwrap();
    assert!(commanders.len() > 30, "all the commanders: {}", commanders.len());
    let objects: usize = commanders
        .iter()
        .flat_map(|c| c["battles"].as_array().unwrap())
        .flat_map(|b| b["commanders"].as_array().unwrap())
        .map(|c| c["battles"].as_array().unwrap().len())
        .sum();
    assert!(objects > 100, "a traversal of many objects: {objects}");
    // The page, then battles, commanders, battles, forces: five levels.
    assert_eq!(one, 5, "statements for one commander");
    assert_eq!(all, one, "statements for all commanders");
}

db_test!(every_relation_is_batched);
async fn every_relation_is_batched(app: TestApp) {
    // Every relation the schema has: one statement for the list, then one
    // per relation selected, at whatever level.
    let relations = [
        ("battles(first: 100) { nodes { phase { name } } }", 2),
        ("battles(first: 100) { nodes { sides { belligerent { name } } } }", 3),
        (
            "battles(first: 100) { nodes { commands { commander { name } force { name } battle { name } } } }",
            5,
        ),
        (
            "battles(first: 100) { nodes { commanders { name } forces { name } } }",
            3,
        ),
        (
            "commanders(first: 100) { nodes { belligerent { name } commands { role } battles { name } } }",
            4,
        ),
        (
            "forces(first: 100) { nodes { parent { name } subordinates { name } belligerent { name } battles { name } } }",
            5,
        ),
        (
            "belligerents { forces { name } commanders { name } battles { name } }",
            4,
        ),
        ("phases { battles { name } }", 2),
        // Names, and passages of each kind of fact: one statement per level.
        // (Two sibling lists each feeding the next level's loader may cost
        // one statement each, as their rows arrive apart.)
        (
            "battles(first: 100) { nodes { names { text } commanders { names { text } } } }",
            4,
        ),
        ("forces(first: 100) { nodes { names { text } } }", 2),
        ("belligerents { names { text } }", 2),
        ("phases { names { text } }", 2),
        (
            "battles(first: 100) { nodes { commands { passages { text battle { name } } } } }",
            4,
        ),
        (
            "battles(first: 100) { nodes { participations { force { name } passages { text } } } }",
            4,
        ),
        (
            "battles(first: 100) { nodes { sides { strength { passage { text } } casualties { passage { text } } } } }",
            3,
        ),
        (
            "forces(first: 100) { nodes { participations { battle { name } passages { text } } } }",
            4,
        ),
        ("battles(first: 100) { nodes { places { name } events { text } } }", 3),
        (
            "places(first: 100) { nodes { battles { name } events { battle { name } } names { text } passages { text } } }",
            6,
        ),
        (
            "events(first: 100) { nodes { battle { name } places { name } forces { name } commanders { name } passage { text } } }",
            5,
        ),
        (
            // One statement per type of result: battles, commanders, forces, events.
            r#"searchConnection(text: "军", first: 100) { edges { node { ... on Battle { name } ... on Commander { name } ... on Force { name } ... on Event { text } } } }"#,
            4,
        ),
    ];
    for (selection, expected) in relations {
        let (count, _) = statements_for(&app, &format!("{{ {selection} }}"), json!({})).await;
        assert_eq!(count, expected, "{selection}");
    }
}

/// Every nested connection: (parent type, field, what the selection holds).
pub const NESTED: [(&str, &str, &str); 9] = [
    ("Battle", "commandersConnection", "commander"),
    ("Battle", "forcesConnection", "force"),
    ("Commander", "battlesConnection", "battle"),
    ("Force", "battlesConnection", "battle"),
    ("Force", "subordinatesConnection", "force"),
    ("Phase", "battlesConnection", "battle"),
    ("Belligerent", "battlesConnection", "battle"),
    ("Belligerent", "forcesConnection", "force"),
    ("Belligerent", "commandersConnection", "commander"),
];

/// The arguments a nested connection is asked with: filters and orderings
/// of its target type, forwards and backwards.
fn variants(target: &str) -> Vec<&'static str> {
    let common = vec![
        "first: 1",
        "first: 2, after: $after",
        "last: 2",
        "last: 1, before: $before",
    ];
    let specific: &[&'static str] = match target {
        "battle" => &[
            "first: 3, orderBy: CASUALTIES_DESC, filter: { or: [{ side: { casualties: { gt: 10000 } } }, { not: { nameContains: \"会战\" } }] }",
            "last: 3, orderBy: DURATION_DESC, filter: { certainty: CERTAIN, from: \"1938-01-01\", to: \"1941-12-31\" }",
        ],
        "commander" => &[
            "first: 3, orderBy: BATTLES_DESC, filter: { not: { nameContains: \"a\" } }",
            "last: 2, orderBy: NAME_EN_ASC, filter: { or: [{ nameContains: \"e\" }, { nameContains: \"o\" }] }",
        ],
        _ => &[
            "first: 3, orderBy: KIND_ASC, filter: { and: [{ not: { kind: OTHER } }, { nameContains: \"第\" }] }",
            "last: 2, orderBy: BATTLES_DESC, filter: { or: [{ kind: DIVISION }, { kind: ARMY }] }",
        ],
    };
    common.into_iter().chain(specific.iter().copied()).collect()
}

db_test!(every_nested_connection_is_one_statement_per_level);
async fn every_nested_connection_is_one_statement_per_level(app: TestApp) {
    let ids_of = |data: &serde_json::Value, list: &str| -> Vec<String> {
        let items = data[list]["nodes"].as_array().or(data[list].as_array()).unwrap();
        items.iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect()
    };
    let everything = app
        .query("{ battles(first: 100) { nodes { id } } commanders(first: 100) { nodes { id } } forces(first: 100) { nodes { id } } phases { id } belligerents { id } }")
        .await;
    for (parent, field, target) in NESTED {
        let parents = match parent {
            "Battle" => ids_of(&everything, "battles"),
            "Commander" => ids_of(&everything, "commanders"),
            "Force" => ids_of(&everything, "forces"),
            "Phase" => ids_of(&everything, "phases"),
            _ => ids_of(&everything, "belligerents"),
        };
        assert!(parents.len() > 1, "{parent}: several parents");
        // Cursors of this connection (its first item's, its last item's),
        // to page every parent from.
        let ends = app
            .query_with(
                &format!("query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {parent} {{ a: {field}(first: 1) {{ pageInfo {{ endCursor }} }} b: {field}(last: 1) {{ totalCount pageInfo {{ startCursor }} }} }} }} }}"),
                json!({ "ids": parents }),
            )
            .await;
        let cursor = |alias: &str, end: &str| -> String {
            ends["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find_map(|n| n[alias]["pageInfo"][end].as_str())
                .unwrap_or_else(|| panic!("{parent}.{field}: some parent has an item"))
                .to_owned()
        };
        let after = cursor("a", "endCursor");
        // The last item of the longest list has something before it.
        let longest = ends["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .max_by_key(|n| n["b"]["totalCount"].as_i64().unwrap())
            .unwrap();
        let before = longest["b"]["pageInfo"]["startCursor"].as_str().unwrap().to_owned();
        let aggregate = if target == "battle" {
            "aggregate { count sides { casualties { value } } groups(by: PHASE) { aggregate { groups(by: YEAR) { key } } } }"
        } else {
            ""
        };
        for arguments in variants(target) {
            let declared = if arguments.contains("$after") {
                ", $after: String"
            } else if arguments.contains("$before") {
                ", $before: String"
            } else {
                ""
            };
            let query = format!(
                "query($ids: [ID!]!{declared}) {{ nodes(ids: $ids) {{ ... on {parent} {{ {field}({arguments}) {{ totalCount {aggregate} pageInfo {{ hasNextPage }} nodes {{ id }} }} }} }} }}"
            );
            let (one, _) = statements_for(
                &app,
                &query,
                json!({ "ids": &parents[..1], "after": after, "before": before }),
            )
            .await;
            let (all, data) = statements_for(
                &app,
                &query,
                json!({ "ids": parents, "after": after, "before": before }),
            )
            .await;
            let items: usize = data["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n[field]["nodes"].as_array().unwrap().len())
                .sum();
            assert!(items > 0, "{parent}.{field}({arguments}) returns items for some parent");
            // nodes, the page, totalCount and (for battles) the aggregate
            // with its nested groups: one statement each.
            let expected = 3 + usize::from(target == "battle");
            assert_eq!(
                one, expected,
                "{parent}.{field}({arguments}): statements for one parent"
            );
            assert_eq!(all, one, "{parent}.{field}({arguments}): statements for all parents");
        }
    }
}
