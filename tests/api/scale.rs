//! The synthetic dataset of `kangzhan generate`: N copies of the real data,
//! each record with as many links as the real one, and batching that still
//! costs one statement per level.

use serde_json::json;

use crate::db_test;
use crate::helpers::TestApp;

db_test!(generate_multiplies_the_data_and_keeps_its_shape);
async fn generate_multiplies_the_data_and_keeps_its_shape(app: TestApp) {
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let generated = kangzhan::generate::generate(&db, 4).await.unwrap();
    assert_eq!(generated.copies, 4);
    let again = kangzhan::generate::generate(&db, 4).await.unwrap_err();
    assert!(again.contains("fresh database"), "{again}");
    db.close().await.ok();

    let data = app
        .query("{ battles { totalCount } commanders { totalCount } forces { totalCount } }")
        .await;
    assert_eq!(data["battles"]["totalCount"], 120);
    assert_eq!(data["commanders"]["totalCount"], 35 * 4);
    let forces = data["forces"]["totalCount"].as_i64().unwrap();
    assert_eq!(forces % 4, 0);

    // Copy 2 of 薛岳 fought copy 2 of his two battles, with the same forces.
    let data = app
        .query(r#"{ commanders(filter: { nameContains: "薛岳 #2" }) { nodes { name battles { name forces { name } } } } }"#)
        .await;
    let xue = &data["commanders"]["nodes"][0];
    assert_eq!(xue["name"], "薛岳 #2");
    let battles: Vec<&str> = xue["battles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(battles, ["武汉会战 #2", "第一次长沙会战 #2"]);
    assert!(
        xue["battles"][0]["forces"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "第106师团 #2")
    );

    // Still one statement per level, for all the commanders of a page.
    let deep = "{ commanders(first: 100) { nodes { battles { commanders { battles { forces { name } } } } } } }";
    let before = app.statements().await;
    let reply = app.post(&json!({ "query": deep })).await.json();
    assert!(reply.get("errors").is_none(), "{reply}");
    assert_eq!(app.statements().await - before, 5);
}
