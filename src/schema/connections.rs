//! The Relay connection and edge types of the three paginated lists.

use crate::error::Result;
use async_graphql::connection::PageInfo;
use async_graphql::{Context, Object};

use super::types::{Battle, Commander, Force};
use crate::data::pagination::Page;

macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident, $connection_doc:literal, $edge_doc:literal) => {
        #[doc = $connection_doc]
        pub struct $connection(pub Page<$node>);

        #[doc = $connection_doc]
        #[Object]
        impl $connection {
            /// Where this page stands in the list, and its first and last cursors.
            async fn page_info(&self) -> PageInfo {
                self.0.page_info()
            }

            /// The page's items, each with its cursor.
            async fn edges(&self) -> Vec<$edge<'_>> {
                self.0
                    .edges
                    .iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect()
            }

            /// The page's items, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.0.edges.iter().map(|(_, node)| node).collect()
            }

            /// How many items the list holds with these filters, on all pages.
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
                self.0.total_count(ctx).await
            }
        }

        #[doc = $edge_doc]
        pub struct $edge<'a> {
            cursor: &'a str,
            node: &'a $node,
        }

        #[doc = $edge_doc]
        #[Object]
        impl $edge<'_> {
            /// Pass it as `after` or `before` to page on from this item.
            async fn cursor(&self) -> &str {
                self.cursor
            }

            /// The item.
            async fn node(&self) -> &$node {
                self.node
            }
        }
    };
}

connection!(
    BattleConnection,
    BattleEdge,
    Battle,
    "A page of battles.",
    "A battle in a page, with its cursor."
);
connection!(
    CommanderConnection,
    CommanderEdge,
    Commander,
    "A page of commanders.",
    "A commander in a page, with its cursor."
);
connection!(
    ForceConnection,
    ForceEdge,
    Force,
    "A page of forces.",
    "A force in a page, with its cursor."
);
