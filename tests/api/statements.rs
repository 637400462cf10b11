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
    ];
    for (selection, expected) in relations {
        let (count, _) = statements_for(&app, &format!("{{ {selection} }}"), json!({})).await;
        assert_eq!(count, expected, "{selection}");
    }
}
