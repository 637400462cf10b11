//! Where and when: the places the battles' texts name, where gazetteers put
//! them, the `near` filter, and the dated events of the narratives, through
//! HTTP on both databases. Distances are computed here (haversine), not
//! taken from the server.

use std::collections::{BTreeMap, BTreeSet};

use migration::places::Files;
use serde_json::{Value, json};

use crate::db_test;
use crate::helpers::TestApp;

const PLACE: &str = "id name nameEn kind names { text lang preferred }
    location { latitude longitude source uncertaintyKm }
    battles { id ordinal name start { earliest } }
    passages { battle { id ordinal name narrative outcome } field start end text }";

const EVENT: &str = "id text date { text earliest latest precision }
    battle { id ordinal narrative }
    passage { battle { id } field start end text }
    places { id name } forces { id name } commanders { id name }";

/// Every item of a root connection, page by page (`first: 100`, `after`).
async fn all(app: &TestApp, field: &str, filter: &str, selection: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = Value::Null;
    loop {
        let q = format!(
            "query($after: String) {{ {field}(first: 100, after: $after{filter}) {{
                totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {selection} }} }} }}"
        );
        let data = app.query_with(&q, json!({ "after": after })).await;
        let page = &data[field];
        items.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            assert_eq!(
                page["totalCount"].as_u64().unwrap() as usize,
                items.len(),
                "{field}({filter}): totalCount is every item"
            );
            return items;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

fn ids(items: &[Value]) -> BTreeSet<String> {
    items.iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect()
}

/// The code-point slice `start..end` of `text`.
fn slice(text: &str, start: &Value, end: &Value) -> String {
    let (start, end) = (start.as_u64().unwrap() as usize, end.as_u64().unwrap() as usize);
    let chars: Vec<char> = text.chars().collect();
    assert!(start < end && end <= chars.len(), "span {start}..{end} of {text}");
    chars[start..end].iter().collect()
}

/// Great-circle distance in km on the sphere `near` measures on.
fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1, lat2, lon2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

fn point(place: &Value) -> Option<(f64, f64)> {
    let l = &place["location"];
    Some((l["latitude"].as_f64()?, l["longitude"].as_f64()?))
}

db_test!(every_place_is_named_by_the_texts_and_located_from_a_gazetteer);
async fn every_place_is_named_by_the_texts_and_located_from_a_gazetteer(app: TestApp) {
    let files = Files::parse().unwrap();
    let places = all(&app, "places", "", PLACE).await;
    assert_eq!(places.len(), files.places.len(), "every place of places.toml");
    assert!(places.len() >= 100, "the texts name many places, not {}", places.len());
    let located = places.iter().filter(|p| !p["location"].is_null()).count();
    assert!(
        located * 3 >= places.len() * 2,
        "most places have a point: {located} of {}",
        places.len()
    );
    for (place, record) in places.iter().zip(&files.places) {
        let what = format!("place {}", place["name"]);
        assert_eq!(place["name"], record.name.as_str(), "{what}: in the dataset's order");
        let forms: Vec<&str> = record.written().collect();
        // Every passage is an exact slice of its battle's text, and one of the place's forms.
        let passages = place["passages"].as_array().unwrap();
        assert!(!passages.is_empty(), "{what}: named somewhere");
        let mut named_by = BTreeSet::new();
        for p in passages {
            let battle = &p["battle"];
            let text = match p["field"].as_str().unwrap() {
                "TITLE" => battle["name"].as_str().unwrap(),
                "NARRATIVE" => battle["narrative"].as_str().unwrap(),
                _ => battle["outcome"].as_str().unwrap(),
            };
            assert_eq!(
                slice(text, &p["start"], &p["end"]),
                p["text"].as_str().unwrap(),
                "{what}"
            );
            assert!(forms.contains(&p["text"].as_str().unwrap()), "{what}: {p}");
            named_by.insert(battle["id"].as_str().unwrap().to_owned());
        }
        let battles = place["battles"].as_array().unwrap();
        assert_eq!(
            ids(battles),
            named_by,
            "{what}: its battles are those whose texts name it"
        );
        let starts: Vec<&str> = battles
            .iter()
            .map(|b| b["start"]["earliest"].as_str().unwrap())
            .collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{what}: battles by start date");
        // Names in every script.
        let names = place["names"].as_array().unwrap();
        let preferred = |lang: &str| {
            names
                .iter()
                .filter(|n| n["lang"] == lang && n["preferred"] == true)
                .count()
        };
        assert_eq!(preferred("zh-Hans"), 1, "{what}");
        assert_eq!(preferred("zh-Hant"), 1, "{what}: {names:?}");
        assert!(
            names.iter().any(|n| n["lang"] == "en" && n["text"] == place["nameEn"]),
            "{what}"
        );
        // A location from a gazetteer, or none.
        let l = &place["location"];
        let stored = files.locations.iter().find(|x| x.place == record.id).unwrap();
        if l.is_null() {
            assert!(
                stored.none.is_some(),
                "{what}: without a point only where locations.toml says why"
            );
            continue;
        }
        let (lat, lon) = point(place).unwrap();
        assert!(
            (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
            "{what}: {l}"
        );
        assert!(l["uncertaintyKm"].as_f64().unwrap() > 0.0, "{what}: {l}");
        assert!(!l["source"].as_str().unwrap().trim().is_empty(), "{what}: {l}");
        assert_eq!(
            (Some(lat), Some(lon)),
            (stored.latitude, stored.longitude),
            "{what}: as locations.toml says"
        );
    }
    // Every battle names at least one place, and Battle.places agrees with Place.battles.
    let battles = app
        .query("{ battles(first: 100) { nodes { id places { id } } } }")
        .await;
    let mut from_places: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for place in &places {
        for b in place["battles"].as_array().unwrap() {
            from_places
                .entry(b["id"].as_str().unwrap().to_owned())
                .or_default()
                .insert(place["id"].as_str().unwrap().to_owned());
        }
    }
    for b in battles["battles"]["nodes"].as_array().unwrap() {
        let id = b["id"].as_str().unwrap();
        let mine = ids(b["places"].as_array().unwrap());
        assert_eq!(Some(&mine), from_places.get(id), "battle {id}: places both ways");
    }
}

db_test!(the_texts_places_are_where_history_puts_them);
async fn the_texts_places_are_where_history_puts_them(app: TestApp) {
    let data = app
        .query(
            r#"{ places(first: 5, filter: { nameContains: "台儿庄" }) { nodes { name nameEn kind
                 names { text lang } location { latitude longitude } battles { name } } } }"#,
        )
        .await;
    let place = &data["places"]["nodes"][0];
    assert_eq!(place["nameEn"], "Taierzhuang", "{data}");
    let battles: Vec<&str> = place["battles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(battles.contains(&"徐州会战"), "{battles:?}");
    // Taierzhuang lies in southern Shandong, near the Grand Canal: about 60 km
    // north-east of Xuzhou (34.26N 117.18E).
    let (lat, lon) = point(place).expect("Taierzhuang is located");
    assert!(haversine((lat, lon), (34.26, 117.18)) < 80.0, "{place}");
}

db_test!(near_finds_exactly_the_places_within_the_circle);
async fn near_finds_exactly_the_places_within_the_circle(app: TestApp) {
    let places = all(
        &app,
        "places",
        "",
        "id name location { latitude longitude } battles { id }",
    )
    .await;
    let located: Vec<(&Value, (f64, f64))> = places.iter().filter_map(|p| Some((p, point(p)?))).collect();
    assert!(located.len() > 50);
    // Centres: a few of the places themselves, a point on the antimeridian and a pole.
    let mut centres: Vec<(f64, f64)> = located.iter().step_by(17).map(|(_, p)| *p).collect();
    centres.extend([(0.0, 180.0), (90.0, 0.0), (-33.9, 151.2)]);
    for centre in centres {
        for km in [0.0f64, 30.0, 150.0, 600.0, 2500.0, 25_000.0] {
            let filter = format!(
                ", filter: {{ near: {{ latitude: {}, longitude: {}, km: {km} }} }}",
                centre.0, centre.1
            );
            let found = ids(&all(&app, "places", &filter, "id").await);
            let margin = 1e-6 * km.max(1.0);
            for (place, at) in &located {
                let d = haversine(centre, *at);
                let id = place["id"].as_str().unwrap();
                if d < km - margin {
                    assert!(
                        found.contains(id),
                        "{} at {d} km of {centre:?} within {km}",
                        place["name"]
                    );
                } else if d > km + margin {
                    assert!(
                        !found.contains(id),
                        "{} at {d} km of {centre:?} beyond {km}",
                        place["name"]
                    );
                }
            }
            // Battles near: those naming a place in the circle.
            let battles = ids(&all(&app, "battles", &filter, "id").await);
            let expected: BTreeSet<String> = places
                .iter()
                .filter(|p| found.contains(p["id"].as_str().unwrap()))
                .flat_map(|p| ids(p["battles"].as_array().unwrap()))
                .collect();
            assert_eq!(battles, expected, "battles near {centre:?} within {km} km");
        }
    }
    // A place's own point, 0 km: the place itself (and any other at that very point).
    let (first, at) = located[0];
    let filter = format!(
        ", filter: {{ near: {{ latitude: {}, longitude: {}, km: 0 }} }}",
        at.0, at.1
    );
    assert!(ids(&all(&app, "places", &filter, "id").await).contains(first["id"].as_str().unwrap()));
}

db_test!(bad_coordinates_get_coded_errors);
async fn bad_coordinates_get_coded_errors(app: TestApp) {
    for (circle, words) in [
        ("latitude: 91, longitude: 0, km: 10", "latitude"),
        ("latitude: -90.5, longitude: 0, km: 10", "latitude"),
        ("latitude: 0, longitude: 180.1, km: 10", "longitude"),
        ("latitude: 0, longitude: 0, km: -1", "km"),
    ] {
        for list in ["places", "battles"] {
            let error = app
                .query_error(&format!(
                    "{{ {list}(filter: {{ near: {{ {circle} }} }}) {{ totalCount }} }}"
                ))
                .await;
            assert_eq!(
                error["extensions"]["code"], "BAD_USER_INPUT",
                "{list} {circle}: {error}"
            );
            assert!(error["message"].as_str().unwrap().contains(words), "{error}");
        }
    }
    let error = app
        .query_error(r#"{ events(filter: { from: "1938-05-01", to: "1938-04-01" }) { totalCount } }"#)
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    let error = app
        .query_error(r#"{ events(filter: { placeId: "QmF0dGxlOjE=" }) { totalCount } }"#)
        .await;
    assert_eq!(
        error["extensions"]["code"], "BAD_USER_INPUT",
        "a battle's ID as a place's: {error}"
    );
    let error = app
        .query_error(r#"{ places(filter: { battleId: "UGxhY2U6OTk5OQ==" }) { totalCount } }"#)
        .await;
    assert_eq!(
        error["extensions"]["code"], "BAD_USER_INPUT",
        "a place's ID as a battle's: {error}"
    );
}

db_test!(every_event_is_a_clause_of_its_narrative_in_order);
async fn every_event_is_a_clause_of_its_narrative_in_order(app: TestApp) {
    let files = Files::parse().unwrap();
    let events = all(&app, "events", "", EVENT).await;
    assert_eq!(events.len(), files.events.len());
    // Query.events: by date, then battle ordinal, then position in the narrative.
    let key = |e: &Value| {
        (
            e["date"]["earliest"].as_str().unwrap().to_owned(),
            e["date"]["latest"].as_str().unwrap().to_owned(),
            e["battle"]["ordinal"].as_i64().unwrap(),
            e["passage"]["start"].as_i64().unwrap(),
        )
    };
    assert!(
        events.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "events by date, battle, position"
    );
    for e in &events {
        let what = format!("event {}", e["text"]);
        let p = &e["passage"];
        assert_eq!(p["field"], "NARRATIVE", "{what}");
        assert_eq!(p["battle"]["id"], e["battle"]["id"], "{what}");
        assert_eq!(p["text"], e["text"], "{what}");
        let narrative = e["battle"]["narrative"].as_str().unwrap();
        assert_eq!(
            slice(narrative, &p["start"], &p["end"]),
            e["text"].as_str().unwrap(),
            "{what}"
        );
        let (earliest, latest) = (
            e["date"]["earliest"].as_str().unwrap(),
            e["date"]["latest"].as_str().unwrap(),
        );
        assert!(earliest <= latest, "{what}");
        if e["date"]["precision"] == "MONTH" {
            assert!(earliest.ends_with("-01"), "{what}");
        }
        // What the clause names, it writes.
        let clause = e["text"].as_str().unwrap();
        for place in e["places"].as_array().unwrap() {
            let record = files
                .places
                .iter()
                .find(|r| r.name == place["name"].as_str().unwrap())
                .unwrap();
            assert!(
                record.written().any(|form| clause.contains(form)),
                "{what} names {place}"
            );
        }
    }
    // Battle.events: in narrative order, the same events.
    let data = app
        .query("{ battles(first: 100) { nodes { id events { id passage { start } } } } }")
        .await;
    let mut seen = BTreeSet::new();
    for b in data["battles"]["nodes"].as_array().unwrap() {
        let starts: Vec<i64> = b["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["passage"]["start"].as_i64().unwrap())
            .collect();
        assert!(
            starts.windows(2).all(|w| w[0] < w[1]),
            "battle {}: narrative order",
            b["id"]
        );
        seen.extend(ids(b["events"].as_array().unwrap()));
    }
    assert_eq!(seen, ids(&events));
}

db_test!(event_filters_select_what_they_say);
async fn event_filters_select_what_they_say(app: TestApp) {
    let events = all(&app, "events", "", EVENT).await;
    let date = |e: &Value, end: &str| e["date"][end].as_str().unwrap().to_owned();
    for day in ["1937-08-13", "1938-04-07", "1939-03-25", "1944-06-18"] {
        let found = ids(&all(&app, "events", &format!(", filter: {{ on: \"{day}\" }}"), "id").await);
        let expected: BTreeSet<String> = events
            .iter()
            .filter(|e| date(e, "earliest").as_str() <= day && day <= date(e, "latest").as_str())
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(found, expected, "on {day}");
    }
    let (from, to) = ("1937-08-20", "1937-11-10");
    let found = ids(&all(
        &app,
        "events",
        &format!(", filter: {{ from: \"{from}\", to: \"{to}\" }}"),
        "id",
    )
    .await);
    let expected: BTreeSet<String> = events
        .iter()
        .filter(|e| date(e, "latest").as_str() >= from && date(e, "earliest").as_str() <= to)
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(found, expected, "from {from} to {to}");
    // By what the events name: each of the first few of each kind.
    for (filter, list) in [
        ("battleId", "battle"),
        ("placeId", "places"),
        ("forceId", "forces"),
        ("commanderId", "commanders"),
    ] {
        let mut targets: Vec<String> = events
            .iter()
            .flat_map(|e| match &e[list] {
                Value::Array(items) => items.iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect(),
                one => vec![one["id"].as_str().unwrap().to_owned()],
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        targets.truncate(6);
        assert!(!targets.is_empty(), "some event names a {list}");
        for target in targets {
            let found = ids(&all(&app, "events", &format!(", filter: {{ {filter}: \"{target}\" }}"), "id").await);
            let expected: BTreeSet<String> = events
                .iter()
                .filter(|e| match &e[list] {
                    Value::Array(items) => items.iter().any(|i| i["id"] == target.as_str()),
                    one => one["id"] == target.as_str(),
                })
                .map(|e| e["id"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(found, expected, "{filter}: {target}");
        }
    }
    // Place.events: by date, and the events that name it.
    let data = app
        .query(r#"{ places(first: 100) { nodes { id events { id date { earliest } places { id } } } } }"#)
        .await;
    for place in data["places"]["nodes"].as_array().unwrap() {
        let mine = place["events"].as_array().unwrap();
        assert!(
            mine.iter()
                .all(|e| e["places"].as_array().unwrap().iter().any(|p| p["id"] == place["id"]))
        );
        let dates: Vec<&str> = mine.iter().map(|e| e["date"]["earliest"].as_str().unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] <= w[1]),
            "place {}: events by date",
            place["id"]
        );
    }
}

db_test!(places_and_events_are_nodes_and_search_results);
async fn places_and_events_are_nodes_and_search_results(app: TestApp) {
    let data = app
        .query(
            r#"{ place: searchConnection(text: "台儿庄", types: [PLACE], first: 1) { edges { node { ... on Place { id name } } matches { field lang } } }
                 english: searchConnection(text: "taierzhuang", types: [PLACE], first: 1) { nodes { ... on Place { name } } }
                 event: searchConnection(text: "喜峰口", types: [EVENT], first: 5) { totalCount edges { node { ... on Event { id text } } matches { field passage { field start end text } } } } }"#,
        )
        .await;
    let place = &data["place"]["edges"][0];
    assert_eq!(place["node"]["name"], "台儿庄", "{data}");
    assert_eq!(place["matches"][0]["field"], "NAME");
    assert_eq!(data["english"]["nodes"][0]["name"], "台儿庄", "{data}");
    let events = data["event"]["edges"].as_array().unwrap();
    assert!(!events.is_empty(), "{data}");
    for edge in events {
        assert!(edge["node"]["text"].as_str().unwrap().contains("喜峰口"));
        let passage = &edge["matches"][0]["passage"];
        assert_eq!(passage["field"], "NARRATIVE");
        assert_eq!(passage["text"], "喜峰口");
    }
    let place_id = place["node"]["id"].as_str().unwrap();
    let event_id = events[0]["node"]["id"].as_str().unwrap();
    let nodes = app
        .query_with(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": [place_id, event_id] }),
        )
        .await;
    assert_eq!(nodes["nodes"][0]["__typename"], "Place");
    assert_eq!(nodes["nodes"][1]["__typename"], "Event");
}
