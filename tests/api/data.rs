//! What the API serves is the dataset, whole: every battle with its dates,
//! figures, forces and commands, as `migration/data/*.toml` has them (which
//! `migration/tests/source_text.rs` checks against the source text).

use std::collections::BTreeSet;

use migration::dataset::{Dataset, QuantityRecord};
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

const ALL_BATTLES: &str = r#"{ battles(first: 100) { totalCount nodes {
    ordinal name nameEn narrative outcome phase { ordinal }
    start { text earliest latest precision } end { text earliest latest precision }
    sides { belligerent { name nameEn } strength { value qualifier text } casualties { value qualifier text } }
    forces { name belligerent { nameEn } }
    commands { commander { name } force { name } role killedInAction }
    commanders { name } } } }"#;

fn quantity(q: &Option<QuantityRecord>) -> Value {
    match q {
        None => Value::Null,
        Some(q) => {
            json!({ "value": q.value, "qualifier": serde_json::to_value(q.qualifier).unwrap(), "text": q.text })
        }
    }
}

fn precision(p: entity::DatePrecision) -> Value {
    serde_json::to_value(p).unwrap()
}

db_test!(every_battle_is_served_as_the_dataset_has_it);
async fn every_battle_is_served_as_the_dataset_has_it(app: TestApp) {
    let dataset = Dataset::parse().expect("the dataset parses");
    let data = app.query(ALL_BATTLES).await;
    assert_eq!(data["battles"]["totalCount"], 30);
    let served = data["battles"]["nodes"].as_array().unwrap();
    assert_eq!(served.len(), dataset.battles.len());

    let code_of_name = |name: &str| {
        dataset
            .belligerents
            .iter()
            .find(|b| b.name == name)
            .map(|b| b.code.clone())
            .unwrap()
    };
    for (battle, record) in served.iter().zip(&dataset.battles) {
        let what = format!("battle {}", record.ordinal);
        assert_eq!(battle["ordinal"], record.ordinal, "{what}");
        assert_eq!(battle["name"], record.name.as_str(), "{what}");
        assert_eq!(battle["nameEn"], record.name_en.as_str(), "{what}");
        assert_eq!(battle["narrative"], record.narrative.as_str(), "{what}");
        assert_eq!(battle["outcome"], record.outcome.as_str(), "{what}");
        assert_eq!(battle["phase"]["ordinal"], record.phase, "{what}");
        for (served_date, date) in [(&battle["start"], &record.start), (&battle["end"], &record.end)] {
            assert_eq!(
                served_date,
                &json!({ "text": date.text, "earliest": date.earliest.to_string(), "latest": date.latest.to_string(), "precision": precision(date.precision) }),
                "{what}"
            );
        }

        let sides = battle["sides"].as_array().unwrap();
        assert_eq!(sides.len(), record.side.len(), "{what}: sides");
        for side in &record.side {
            let served_side = sides
                .iter()
                .find(|s| code_of_name(s["belligerent"]["name"].as_str().unwrap()) == side.belligerent)
                .unwrap_or_else(|| panic!("{what}: no side for {}", side.belligerent));
            assert_eq!(
                served_side["strength"],
                quantity(&side.strength),
                "{what}: {} strength",
                side.belligerent
            );
            assert_eq!(
                served_side["casualties"],
                quantity(&side.casualties),
                "{what}: {} casualties",
                side.belligerent
            );
        }

        let served_forces: BTreeSet<String> = battle["forces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect();
        // A side names its forces by key where two share a name.
        let name_of = |reference: &str| {
            let force = dataset.forces.iter().find(|f| f.reference() == reference).unwrap();
            force.name.clone()
        };
        let forces: BTreeSet<String> = record
            .side
            .iter()
            .flat_map(|s| s.forces.iter().map(|f| name_of(f.name())))
            .collect();
        assert_eq!(served_forces, forces, "{what}: forces");

        let commands = battle["commands"].as_array().unwrap();
        assert_eq!(commands.len(), record.command.len(), "{what}: commands");
        for command in &record.command {
            let served_command = commands
                .iter()
                .find(|c| c["commander"]["name"] == command.commander.as_str())
                .unwrap();
            assert_eq!(
                served_command["role"],
                json!(command.role),
                "{what}: {}",
                command.commander
            );
            assert_eq!(
                served_command["force"]["name"],
                json!(command.force.as_deref().map(name_of)),
                "{what}: {}",
                command.commander
            );
            assert_eq!(
                served_command["killedInAction"], command.killed_in_action,
                "{what}: {}",
                command.commander
            );
        }
        let served_commanders: BTreeSet<&str> = battle["commanders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        let commanders: BTreeSet<&str> = record.command.iter().map(|c| c.commander.as_str()).collect();
        assert_eq!(served_commanders, commanders, "{what}: each commander once");
    }
}

db_test!(same_names_on_different_sides_stay_apart);
async fn same_names_on_different_sides_stay_apart(app: TestApp) {
    let data = app
        .query(
            r#"{ fifth: forces(filter: { nameContains: "第5" }) { nodes { name nameEn note kind belligerent { nameEn } battles { ordinal } } }
                 subordinates: forces(filter: { nameContains: "第74军" }) { nodes { name subordinates { name parent { name } } } } }"#,
        )
        .await;
    let fifth = data["fifth"]["nodes"].as_array().unwrap();
    let find = |name: &str| {
        fifth
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(find("第5军")["belligerent"]["nameEn"], "China");
    assert_eq!(find("第5军")["kind"], "ARMY");
    assert_eq!(find("第5师团")["belligerent"]["nameEn"], "Japan");
    assert_eq!(find("第5师团")["kind"], "DIVISION");
    // Two armies the source writes 第5军: 张治中's at 一·二八, and 杜聿明's at
    // 昆仑关 and 同古 (200师); each record says which it is.
    let armies: Vec<(Vec<i64>, &Value)> = fifth
        .iter()
        .filter(|f| f["name"] == "第5军")
        .map(|f| {
            let battles = f["battles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["ordinal"].as_i64().unwrap())
                .collect();
            (battles, &f["nameEn"])
        })
        .collect();
    assert_eq!(
        armies.iter().map(|(b, _)| b.clone()).collect::<Vec<_>>(),
        [vec![1], vec![12, 20]]
    );
    assert_ne!(armies[0].1, armies[1].1, "told apart in English");
    assert!(
        fifth
            .iter()
            .filter(|f| f["name"] == "第5军")
            .all(|f| f["note"].is_string())
    );

    let seventy_fourth = &data["subordinates"]["nodes"][0];
    assert_eq!(seventy_fourth["name"], "第74军");
    assert_eq!(
        seventy_fourth["subordinates"],
        json!([{ "name": "第57师", "parent": { "name": "第74军" } }])
    );
}

db_test!(belligerents_and_phases_are_complete);
async fn belligerents_and_phases_are_complete(app: TestApp) {
    let data = app
        .query(
            "{ belligerents { name nameEn battles { ordinal } } phases { ordinal name nameEn battles { ordinal } } }",
        )
        .await;
    let belligerents = data["belligerents"].as_array().unwrap();
    let china = &belligerents[0];
    assert_eq!(
        (china["name"].as_str(), china["nameEn"].as_str()),
        (Some("中国"), Some("China"))
    );
    assert_eq!(china["battles"].as_array().unwrap().len(), 30);
    assert_eq!(belligerents[1]["nameEn"], "Japan");
    let phases = data["phases"].as_array().unwrap();
    let names: Vec<&str> = phases.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        &names[1..],
        [
            "抗战初期",
            "战略相持阶段",
            "太平洋战争爆发后",
            "黎明前的黑暗",
            "迎接抗战胜利"
        ]
    );
    let total: usize = phases.iter().map(|p| p["battles"].as_array().unwrap().len()).sum();
    assert_eq!(total, 30);
}

db_test!(the_knowledge_and_places_migrations_go_down_and_up_again);
async fn the_knowledge_and_places_migrations_go_down_and_up_again(app: TestApp) {
    use migration::{Migrator, MigratorTrait};
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    // The places and events down alone, then up: the dataset reloads, as
    // going down forgot its fingerprint.
    Migrator::down(&db, Some(1)).await.expect("down");
    let config = kangzhan::config::Config::for_database(&app.database_url);
    kangzhan::data::prepare(&config).await.expect("up again");
    let data = app.query("{ places { totalCount } events { totalCount } }").await;
    assert!(data["places"]["totalCount"].as_i64().unwrap() > 100, "{data}");
    assert!(data["events"]["totalCount"].as_i64().unwrap() > 100, "{data}");
    // Both down with the data loaded (two China 第5军), then up: the dataset
    // reloads, since its fingerprint went with the table that held it.
    Migrator::down(&db, Some(2)).await.expect("down");
    kangzhan::data::prepare(&config).await.expect("up again");
    let data = app
        .query("{ battle(ordinal: 1) { names { lang } participations { passages { text } } places { name } } }")
        .await;
    assert!(data["battle"]["names"].as_array().unwrap().len() >= 3, "{data}");
    assert!(!data["battle"]["places"].as_array().unwrap().is_empty(), "{data}");
    assert!(
        !data["battle"]["participations"][0]["passages"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{data}"
    );
}

db_test!(a_database_holding_another_dataset_is_reloaded_and_only_then);
async fn a_database_holding_another_dataset_is_reloaded_and_only_then(app: TestApp) {
    use sea_orm::{ConnectionTrait, Database};
    let db = Database::connect(&app.database_url).await.unwrap();
    let name_en = |db: &sea_orm::DatabaseConnection| {
        let db = db.clone();
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "SELECT name_en FROM battle WHERE id = 4",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<String>("", "name_en").unwrap()
        }
    };
    let config = kangzhan::config::Config::for_database(&app.database_url);
    let prepare = || kangzhan::data::prepare(&config);

    // The fingerprint matches: a second start leaves the rows alone.
    db.execute_unprepared("UPDATE battle SET name_en = 'edited' WHERE id = 4")
        .await
        .unwrap();
    prepare().await.unwrap();
    assert_eq!(name_en(&db).await, "edited");

    // Another build's data (another fingerprint): reloaded whole.
    db.execute_unprepared("UPDATE dataset_state SET fingerprint = 'another build'")
        .await
        .unwrap();
    prepare().await.unwrap();
    assert_eq!(name_en(&db).await, "Battle of Shanghai");
    let data = app
        .query("{ battles { totalCount } battle(ordinal: 4) { nameEn names { lang } } }")
        .await;
    assert_eq!(data["battles"]["totalCount"], 30);
    assert!(data["battle"]["names"].as_array().unwrap().len() >= 3, "{data}");
}
