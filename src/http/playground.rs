//! The GraphiQL playground on `/`.

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use async_graphql::http::GraphiQLSource;

use super::AppState;

/// The query GraphiQL opens with: a commander, to his battles, to the forces there.
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

/// The GraphiQL page, opening on `EXAMPLE_QUERY`.
pub fn playground_html() -> String {
    let page = GraphiQLSource::build()
        .endpoint("/graphql")
        .title("Kangzhan GraphiQL")
        .finish();
    // GraphiQLSource has no setting for the opening query: add the prop to
    // the one `GraphiQL` element it renders. `</` is escaped so the string
    // cannot end the script.
    let example = serde_json::to_string(EXAMPLE_QUERY)
        .unwrap_or_default()
        .replace("</", "<\\/");
    page.replacen(
        "React.createElement(GraphiQL, {",
        &format!("React.createElement(GraphiQL, {{\n          defaultQuery: {example},"),
        1,
    )
}

pub async fn page(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(state.playground.to_string())
}

/// The example query as a file, for pages that want to open with it.
pub async fn example() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/graphql; charset=utf-8")
        .body(EXAMPLE_QUERY)
}
