//! The example query GraphiQL opens with (the page is in `static/playground`).

use actix_web::HttpResponse;

/// A commander, to his battles, to the forces there.
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

/// `GET /playground/example.graphql`: the page fetches it to open with.
pub async fn example() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/graphql; charset=utf-8")
        .body(EXAMPLE_QUERY)
}
