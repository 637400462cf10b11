//! The schema's behaviour: traversal, global IDs, pagination, filters,
//! search, and errors for bad arguments.

use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_owned())
        .collect()
}

fn ordinals(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["ordinal"].as_i64().unwrap())
        .collect()
}

/// The global ID of a commander, found by exact Chinese name.
async fn commander_id(app: &TestApp, name: &str) -> String {
    let data = app
        .query_with(
            "query($n: String) { commanders(filter: { nameContains: $n }) { nodes { id name } } }",
            json!({ "n": name }),
        )
        .await;
    let nodes = data["commanders"]["nodes"].as_array().unwrap();
    let found = nodes
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("no commander {name}"));
    found["id"].as_str().unwrap().to_owned()
}

db_test!(a_commander_to_his_battles_to_the_forces_there);
async fn a_commander_to_his_battles_to_the_forces_there(app: TestApp) {
    let data = app
        .query(
            r#"{ commanders(filter: { nameContains: "Xue Yue" }) {
                 totalCount
                 nodes { name nameEn belligerent { nameEn }
                   battles { ordinal name nameEn forces { name nameEn kind belligerent { nameEn } } commanders { name } } } } }"#,
        )
        .await;
    assert_eq!(data["commanders"]["totalCount"], 1);
    let xue = &data["commanders"]["nodes"][0];
    assert_eq!(xue["name"], "薛岳");
    assert_eq!(xue["belligerent"]["nameEn"], "China");
    let battles = &xue["battles"];
    // 武汉会战 (万家岭), 第一次长沙会战 (代司令长官).
    assert_eq!(ordinals(battles), vec![8, 11]);
    for battle in battles.as_array().unwrap() {
        assert!(names(&battle["commanders"]).contains(&"薛岳".to_owned()));
    }
    let wuhan_forces = names(&battles[0]["forces"]);
    assert!(wuhan_forces.contains(&"第106师团".to_owned()), "{wuhan_forces:?}");
}

db_test!(global_ids_resolve_and_are_stable);
async fn global_ids_resolve_and_are_stable(app: TestApp) {
    // base64("Battle:4"): the same on every database and every start.
    let data = app
        .query(r#"{ node(id: "QmF0dGxlOjQ=") { id __typename ... on Battle { name nameEn } } }"#)
        .await;
    assert_eq!(data["node"]["name"], "淞沪会战");
    assert_eq!(data["node"]["nameEn"], "Battle of Shanghai");

    let id = commander_id(&app, "冈村宁次").await;
    let data = app
        .query_with(
            r#"query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Commander { name } } }"#,
            json!({ "ids": [id, "not-an-id", "QmF0dGxlOjk5OQ==", "Q2FrZTox", "QmF0dGxlOjE="] }),
        )
        .await;
    let nodes = data["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    assert_eq!(nodes[0]["name"], "冈村宁次");
    assert!(
        nodes[1].is_null() && nodes[2].is_null() && nodes[3].is_null(),
        "{nodes:?}"
    );
    assert_eq!(nodes[4]["__typename"], "Battle");

    for bad in ["", "garbage", "QmF0dGxlOjA=", "QmF0dGxlOjAx"] {
        let data = app
            .query_with("query($id: ID!) { node(id: $id) { id } }", json!({ "id": bad }))
            .await;
        assert!(data["node"].is_null(), "{bad}: {data}");
    }

    // Every kind of node comes back by its own ID.
    let data = app
        .query("{ phases { id } belligerents { id } forces(first: 1) { nodes { id } } }")
        .await;
    for id in [
        &data["phases"][0]["id"],
        &data["belligerents"][0]["id"],
        &data["forces"]["nodes"][0]["id"],
    ] {
        let back = app
            .query_with("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id }))
            .await;
        assert_eq!(&back["node"]["id"], id);
    }

    let too_many: Vec<String> = (0..101).map(|_| "QmF0dGxlOjE=".to_owned()).collect();
    let error = app
        .post(&json!({ "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": { "ids": too_many } }))
        .await
        .json();
    assert!(
        error["errors"][0]["message"].as_str().unwrap().contains("at most 100"),
        "{error}"
    );
}

db_test!(pages_forward_and_backward);
async fn pages_forward_and_backward(app: TestApp) {
    const PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String, $order: BattleOrder) {
        battles(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
          totalCount edges { cursor node { ordinal } } nodes { ordinal }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"#;

    let default = app.query(PAGE).await;
    assert_eq!(ordinals(&default["battles"]["nodes"]), (1..=20).collect::<Vec<_>>());
    assert_eq!(default["battles"]["totalCount"], 30);
    assert_eq!(default["battles"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(default["battles"]["pageInfo"]["hasPreviousPage"], false);

    // Walk the whole list eight at a time.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.query_with(PAGE, json!({ "first": 8, "after": after })).await;
        let battles = &page["battles"];
        seen.extend(ordinals(&battles["nodes"]));
        let edges = battles["edges"].as_array().unwrap();
        assert_eq!(battles["pageInfo"]["endCursor"], edges.last().unwrap()["cursor"]);
        if battles["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = battles["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, (1..=30).collect::<Vec<_>>());

    // The last three, then the three before them.
    let tail = app.query_with(PAGE, json!({ "last": 3 })).await;
    assert_eq!(ordinals(&tail["battles"]["nodes"]), vec![28, 29, 30]);
    assert_eq!(tail["battles"]["pageInfo"]["hasPreviousPage"], true);
    let before = tail["battles"]["pageInfo"]["startCursor"].clone();
    let earlier = app.query_with(PAGE, json!({ "last": 3, "before": before })).await;
    assert_eq!(ordinals(&earlier["battles"]["nodes"]), vec![25, 26, 27]);
    assert_eq!(
        earlier["battles"]["pageInfo"]["hasNextPage"], true,
        "came from after the page"
    );
    assert_eq!(earlier["battles"]["pageInfo"]["hasPreviousPage"], true);
    // Backward by start date, latest first: the page before the last two.
    let tail = app.query_with(PAGE, json!({ "last": 2, "order": "START_DESC" })).await;
    assert_eq!(ordinals(&tail["battles"]["nodes"]), vec![2, 1]);
    let before = tail["battles"]["pageInfo"]["startCursor"].clone();
    let earlier = app
        .query_with(PAGE, json!({ "last": 2, "order": "START_DESC", "before": before }))
        .await;
    assert_eq!(ordinals(&earlier["battles"]["nodes"]), vec![4, 3]);

    // By start date, latest first: 湘西会战 (1945年4月上旬) before 豫西、鄂北会战 (3月下旬).
    let by_start = app.query_with(PAGE, json!({ "first": 3, "order": "START_DESC" })).await;
    assert_eq!(ordinals(&by_start["battles"]["nodes"]), vec![30, 29, 28]);
    let next = app
        .query_with(
            PAGE,
            json!({ "first": 2, "order": "START_DESC", "after": by_start["battles"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(ordinals(&next["battles"]["nodes"]), vec![27, 26]);
    let by_start = app.query_with(PAGE, json!({ "first": 30, "order": "START_ASC" })).await;
    let starts = ordinals(&by_start["battles"]["nodes"]);
    // 缅北滇西作战 (21) began in 1943-10, after 22-24 had begun in 1942-43.
    assert_eq!(starts.iter().position(|&o| o == 21), Some(22), "{starts:?}");

    // A cursor of one ordering means nothing in another.
    let error = app
        .post(&json!({ "query": PAGE, "variables": { "first": 2, "order": "START_ASC", "after": default["battles"]["pageInfo"]["endCursor"] } }))
        .await
        .json();
    assert!(
        error["errors"][0]["message"].as_str().unwrap().contains("not a cursor"),
        "{error}"
    );
    assert_eq!(error["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

db_test!(absurd_page_sizes_are_refused);
async fn absurd_page_sizes_are_refused(app: TestApp) {
    for (query, words) in [
        ("{ battles(first: 101) { totalCount } }", "between 0 and 100"),
        ("{ battles(first: -1) { totalCount } }", "between 0 and 100"),
        ("{ commanders(last: 1000) { totalCount } }", "between 0 and 100"),
        ("{ forces(first: 2, last: 2) { totalCount } }", "not both"),
        ("{ battles(after: \"garbage\") { totalCount } }", "not a cursor"),
        ("{ search(text: \"\") { __typename } }", "1 to 100"),
        (
            "{ search(text: \"军\", first: 500) { __typename } }",
            "between 0 and 100",
        ),
    ] {
        let error = app.query_error(query).await;
        assert!(error["message"].as_str().unwrap().contains(words), "{query}: {error}");
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{query}");
    }
    let empty = app
        .query("{ battles(first: 0) { totalCount nodes { name } pageInfo { hasNextPage } } }")
        .await;
    assert_eq!(empty["battles"]["nodes"], json!([]));
    assert_eq!(empty["battles"]["totalCount"], 30);
}

db_test!(battles_filter);
async fn battles_filter(app: TestApp) {
    const FILTERED: &str =
        "query($f: BattleFilter) { battles(first: 100, filter: $f) { totalCount nodes { ordinal } } }";
    let filtered = |filter: Value| {
        let app = &app;
        async move { ordinals(&app.query_with(FILTERED, json!({ "f": filter })).await["battles"]["nodes"]) }
    };

    assert_eq!(filtered(json!({ "nameContains": "长沙" })).await, vec![11, 17, 18]);
    // 长衡会战 is the Battle of Changsha–Hengyang in English.
    assert_eq!(
        filtered(json!({ "nameContains": "changsha" })).await,
        vec![11, 17, 18, 26]
    );
    assert_eq!(filtered(json!({ "nameContains": "100%" })).await, Vec::<i64>::new());

    // 1937-08-20: 南口会战 (8-8..26) and 淞沪会战 (8-13..11-13).
    assert_eq!(filtered(json!({ "activeOn": "1937-08-20" })).await, vec![3, 4]);
    // 1938: 徐州会战 and 武汉会战.
    assert_eq!(
        filtered(json!({ "from": "1938-01-01", "to": "1938-12-31" })).await,
        vec![7, 8]
    );

    let phases = app.query("{ phases { id name } }").await;
    let stalemate = phases["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "战略相持阶段")
        .unwrap();
    assert_eq!(
        filtered(json!({ "phaseId": stalemate["id"] })).await,
        vec![9, 10, 11, 12, 13]
    );

    let belligerents = app.query("{ belligerents { id nameEn } }").await;
    let uk = belligerents["belligerents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["nameEn"] == "United Kingdom")
        .unwrap();
    assert_eq!(filtered(json!({ "belligerentId": uk["id"] })).await, vec![20]);

    let li = commander_id(&app, "李宗仁").await;
    let li_battles = filtered(json!({ "commanderId": li })).await;
    assert!(li_battles.contains(&7) && li_battles.contains(&10), "{li_battles:?}");

    let force = app
        .query(r#"{ forces(filter: { nameContains: "第57师" }) { nodes { id name } } }"#)
        .await;
    let force_id = &force["forces"]["nodes"][0]["id"];
    assert_eq!(filtered(json!({ "forceId": force_id })).await, vec![24]);

    // Filters combine.
    assert_eq!(
        filtered(json!({ "commanderId": li, "from": "1939-01-01", "to": "1939-12-31" })).await,
        vec![10]
    );

    for (filter, words) in [
        (json!({ "phaseId": "UGhhc2U6OTk=" }), "no Phase has the ID"),
        (json!({ "phaseId": "garbage" }), "not a valid ID"),
        (json!({ "phaseId": force_id }), "expected the ID of a Phase"),
        (json!({ "from": "1940-01-01", "to": "1939-01-01" }), "after"),
        (json!({ "nameContains": "x".repeat(101) }), "longer than 100"),
    ] {
        let error = app
            .post(&json!({ "query": FILTERED, "variables": { "f": filter } }))
            .await
            .json();
        let message = error["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{filter}: {error}");
    }
    let bad_date = app
        .post(&json!({ "query": FILTERED, "variables": { "f": { "activeOn": "1937-13-01" } } }))
        .await
        .json();
    assert!(
        bad_date["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DD"),
        "{bad_date}"
    );
}

db_test!(commanders_and_forces_filter);
async fn commanders_and_forces_filter(app: TestApp) {
    let data = app.query("{ belligerents { id name nameEn } }").await;
    let japan = data["belligerents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["nameEn"] == "Japan")
        .unwrap()["id"]
        .clone();
    let japanese = app
        .query_with("query($j: ID) { commanders(first: 100, filter: { belligerentId: $j }) { totalCount nodes { name belligerent { nameEn } } } }", json!({ "j": japan }))
        .await;
    let nodes = japanese["commanders"]["nodes"].as_array().unwrap();
    assert!(nodes.iter().all(|n| n["belligerent"]["nameEn"] == "Japan"));
    assert!(names(&japanese["commanders"]["nodes"]).contains(&"冈村宁次".to_owned()));
    assert!(!names(&japanese["commanders"]["nodes"]).contains(&"薛岳".to_owned()));

    let zones = app
        .query("{ forces(first: 100, filter: { kind: WAR_ZONE }) { nodes { name kind } } }")
        .await;
    let zone_names = names(&zones["forces"]["nodes"]);
    assert!(
        zone_names.contains(&"第5战区".to_owned()) && zone_names.iter().all(|n| n.ends_with("战区")),
        "{zone_names:?}"
    );

    let tenth = app
        .query(r#"{ forces(filter: { nameContains: "第10军" }) { nodes { name nameEn belligerent { nameEn } } } }"#)
        .await;
    let mut sides: Vec<String> = tenth["forces"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["belligerent"]["nameEn"].as_str().unwrap().to_owned())
        .collect();
    sides.sort();
    assert_eq!(
        sides,
        vec!["China", "Japan"],
        "China's 第10军 and Japan's 第10军 are two forces"
    );
}

db_test!(search_finds_all_three_kinds);
async fn search_finds_all_three_kinds(app: TestApp) {
    let data = app
        .query(r#"{ search(text: "第5", first: 100) { __typename ... on Battle { name } ... on Commander { name } ... on Force { name } } }"#)
        .await;
    let kinds: Vec<&str> = data["search"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["__typename"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"Force"), "{kinds:?}");
    let data = app
        .query(r#"{ search(text: "okamura") { __typename ... on Commander { name } } }"#)
        .await;
    assert_eq!(
        data["search"],
        json!([{ "__typename": "Commander", "name": "冈村宁次" }])
    );
    let data = app.query(r#"{ search(text: "长沙", first: 2) { __typename } }"#).await;
    assert_eq!(data["search"].as_array().unwrap().len(), 2);
}

db_test!(fields_come_back_in_the_order_asked);
async fn fields_come_back_in_the_order_asked(app: TestApp) {
    let reply = app
        .post(&json!({ "query": "{ battles(first: 2) { totalCount nodes { sides { strength { text } belligerent { nameEn } } ...F ordinal } pageInfo { hasNextPage } } } fragment F on Battle { phase { name } name }" }))
        .await;
    let text = reply.text;
    let position = |key: &str| {
        text.find(&format!("\"{key}\""))
            .unwrap_or_else(|| panic!("{key} in {text}"))
    };
    assert!(
        position("totalCount") < position("nodes") && position("nodes") < position("pageInfo"),
        "{text}"
    );
    assert!(
        position("sides") < position("phase") && position("phase") < position("ordinal"),
        "{text}"
    );
    assert!(position("strength") < position("belligerent"), "{text}");
}
