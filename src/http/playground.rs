//! The example queries GraphiQL opens with, one tab each (the page is in
//! `static/playground`). The README's "A first query" and "Asking
//! questions" show the same queries; a test runs each of them.

use actix_web::HttpResponse;

/// A commander, to his battles, to the forces there: the first tab.
pub const EXAMPLE_QUERY: &str = r#"# A commander, the battles he fought, and the forces in each.
{
  commanders(first: 1, filter: { nameContains: "薛岳" }) {
    nodes {
      name
      nameEn
      battles {
        name
        nameEn
        start { text }
        end { text }
        forces {
          name
          nameEn
          kind
          belligerent { nameEn }
        }
      }
    }
  }
}
"#;

/// A commander's battles page by page.
pub const PAGE_BY_PAGE: &str = r#"# A commander's battles two at a time, by start date: run it, then set
# "after" in the variables to pageInfo.endCursor and run it again.
query CommanderBattlesPageByPage($after: String) {
  commanders(first: 1, filter: { nameContains: "Li Zongren" }) {
    nodes {
      name
      nameEn
      battlesConnection(first: 2, after: $after, orderBy: START_ASC) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { name nameEn start { text edtf } }
      }
    }
  }
}
"#;

/// Battles where Japan's stated casualties exceed 50,000.
pub const JAPAN_LOST_MORE_THAN_50000: &str = r#"# Battles where the source puts Japan's casualties above 50,000, most first.
# "QmVsbGlnZXJlbnQ6Mg==" is Japan's ID (see `belligerents { id nameEn }`).
query JapanLostMoreThan50000 {
  battles(
    orderBy: CASUALTIES_DESC
    filter: { side: { belligerentId: "QmVsbGlnZXJlbnQ6Mg==", casualties: { gt: 50000 } } }
  ) {
    totalCount
    nodes {
      name
      nameEn
      sides { belligerent { nameEn } casualties { value qualifier text } }
    }
  }
}
"#;

/// China's casualties summed by phase, with their hedges.
pub const CHINA_CASUALTIES_BY_PHASE: &str = r#"# China's battles by phase, each side's casualties summed. The qualifier keeps
# the source's hedges (1.8万余 + 约3万 is ABOUT); counted and missing say how
# many of the side's battles the source gives a figure for.
# "QmVsbGlnZXJlbnQ6MQ==" is China's ID.
query ChinaCasualtiesByPhase {
  battles(filter: { belligerentId: "QmVsbGlnZXJlbnQ6MQ==" }) {
    aggregate {
      count
      groups(by: PHASE) {
        key
        aggregate {
          count
          from
          to
          sides {
            belligerent { nameEn }
            casualties { value qualifier counted missing }
          }
        }
      }
    }
  }
}
"#;

/// A search in any script, with why each result matched.
pub const SEARCH_ANY_SCRIPT: &str = r#"# Search in any script or spelling: "hsueh yueh", 薛嶽, 岡村寧次, 淞滬會戰.
# Each result says why it matched; passages are the source's own words.
query SearchAnyScript($text: String! = "hsueh yueh") {
  searchConnection(text: $text, first: 5) {
    totalCount
    countsByType { type count }
    edges {
      matches { field lang text start end }
      node {
        __typename
        ... on Commander {
          name
          traditional: name(lang: "zh-Hant")
          names { text lang preferred origin }
          commands { battle { name } role passages { field start end text } }
        }
        ... on Battle { name names { text lang } }
        ... on Force { name names { text lang } }
      }
    }
  }
}
"#;

/// What happened on a day, and where; the places near a point.
pub const WHERE_AND_WHEN: &str = r#"# What happened on 5 November 1937, where; and the places within 100 km of Xuzhou.
{
  events(filter: { on: "1937-11-05" }) {
    nodes { date { text } text battle { name } places { name nameEn location { latitude longitude } } }
  }
  places(filter: { near: { latitude: 34.26, longitude: 117.18, km: 100 } }) {
    totalCount
    nodes { name nameEn kind battles { name } }
  }
}
"#;

/// Every example, in tab order: (query, variables as JSON).
pub const EXAMPLES: [(&str, &str); 6] = [
    (EXAMPLE_QUERY, "{}"),
    (PAGE_BY_PAGE, r#"{ "after": null }"#),
    (JAPAN_LOST_MORE_THAN_50000, "{}"),
    (CHINA_CASUALTIES_BY_PHASE, "{}"),
    (SEARCH_ANY_SCRIPT, "{}"),
    (WHERE_AND_WHEN, "{}"),
];

/// `GET /playground/example.graphql`: the first tab's query, as text.
pub async fn example() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/graphql; charset=utf-8")
        .body(EXAMPLE_QUERY)
}

/// `GET /playground/examples.json`: every tab, `[{ "query", "variables" }]`.
pub async fn examples() -> HttpResponse {
    let tabs: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(query, variables)| serde_json::json!({ "query": query, "variables": variables }))
        .collect();
    HttpResponse::Ok().json(tabs)
}
