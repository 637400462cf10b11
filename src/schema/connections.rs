//! The Relay connection and edge types of the three paginated lists, and
//! how a root list or a relation's connection is read.
//!
//! A connection keeps what its list matched (filter, and parent for a
//! relation), so that `totalCount` and `aggregate` count the whole list,
//! not the page.

use std::sync::Arc;

use async_graphql::connection::PageInfo;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object};
use entity::{battle, commander, event, force, place};
use sea_orm::{Condition, ConnectionTrait, FromQueryResult};

use super::filters::{self, BattleFilter, CommanderFilter, EventFilter, ForceFilter, ListFilter, PlaceFilter};
use super::orders::{BattleOrder, CommanderOrder, ForceOrder, commander_key, event_key, force_key, place_key};
use super::types::{Battle, BattleAggregate, Commander, Event, Force, Place};
use crate::data::aggregate::{NestedFacts, root_facts};
use crate::data::lists::{self, ForParent, Matched, NestedCounts, NestedPage, NestedPages, Relation};
use crate::data::pagination::{Page, PageRequest, SortKey, cursor_conditions};
use crate::data::pool::RequestDb;
use crate::error::Result;

/// A page of a list, with what the list matched.
pub struct Listed<N> {
    page: Page<N>,
    matched: Arc<Matched>,
    /// The parent of a relation's connection; `None` for a root list.
    parent: Option<i32>,
}

fn db<'a>(ctx: &Context<'a>) -> &'a RequestDb {
    ctx.data_unchecked::<RequestDb>()
}

/// The database backend, for the sort keys that differ between the two.
pub fn backend(ctx: &Context<'_>) -> sea_orm::DbBackend {
    db(ctx).get_database_backend()
}

/// Whose list: a root list, or a relation of one parent.
pub enum Scope {
    Root,
    Of(&'static Relation, i32),
}

/// `Query.battles`, or a relation's `battlesConnection`.
pub async fn battles(
    ctx: &Context<'_>,
    scope: Scope,
    request: PageRequest,
    filter: Option<&BattleFilter>,
    order: Option<BattleOrder>,
) -> Result<BattleConnection> {
    let key = order.unwrap_or_default().key(backend(ctx));
    let listed = list::<battle::Model, _, _>(ctx, scope, ("battles", "battle"), request, filter, key).await?;
    Ok(BattleConnection(listed))
}

/// `Query.commanders`, or a relation's `commandersConnection`.
pub async fn commanders(
    ctx: &Context<'_>,
    scope: Scope,
    request: PageRequest,
    filter: Option<&CommanderFilter>,
    order: Option<CommanderOrder>,
) -> Result<CommanderConnection> {
    let key = commander_key(order, backend(ctx));
    let listed = list::<commander::Model, _, _>(ctx, scope, ("commanders", "commander"), request, filter, key).await?;
    Ok(CommanderConnection(listed))
}

/// `Query.forces`, or a relation's `forcesConnection`/`subordinatesConnection`.
pub async fn forces(
    ctx: &Context<'_>,
    scope: Scope,
    request: PageRequest,
    filter: Option<&ForceFilter>,
    order: Option<ForceOrder>,
) -> Result<ForceConnection> {
    let key = force_key(order, backend(ctx));
    let listed = list::<force::Model, _, _>(ctx, scope, ("forces", "force"), request, filter, key).await?;
    Ok(ForceConnection(listed))
}

/// `Query.places`.
pub async fn places(ctx: &Context<'_>, request: PageRequest, filter: Option<&PlaceFilter>) -> Result<PlaceConnection> {
    let listed =
        list::<place::Model, _, _>(ctx, Scope::Root, ("places", "place"), request, filter, place_key()).await?;
    Ok(PlaceConnection(listed))
}

/// `Query.events`.
pub async fn events(ctx: &Context<'_>, request: PageRequest, filter: Option<&EventFilter>) -> Result<EventConnection> {
    let listed =
        list::<event::Model, _, _>(ctx, Scope::Root, ("events", "event"), request, filter, event_key()).await?;
    Ok(EventConnection(listed))
}

/// A page of a list of rows `M` as nodes `N`: root list `root.0` (table
/// `root.1`), or a relation's.
async fn list<M, N, F>(
    ctx: &Context<'_>,
    scope: Scope,
    root: (&'static str, &'static str),
    request: PageRequest,
    filter: Option<&F>,
    key: SortKey,
) -> Result<Listed<N>>
where
    M: FromQueryResult + Send + Sync + 'static,
    N: From<Arc<M>>,
    F: ListFilter,
{
    let condition = filters::condition(ctx, filter).await?;
    match scope {
        Scope::Root => self::root(ctx, root.0, root.1, condition, key, request).await,
        Scope::Of(relation, parent) => nested(ctx, relation, parent, condition, key, request).await,
    }
}

/// Reads a page of root list `list` (table `target`).
async fn root<M, N>(
    ctx: &Context<'_>,
    list: &'static str,
    target: &'static str,
    condition: Condition,
    key: SortKey,
    request: PageRequest,
) -> Result<Listed<N>>
where
    M: FromQueryResult + Send + Sync,
    N: From<Arc<M>>,
{
    let cursor = cursor_conditions(list, &key, &request)?;
    let matched = Matched::root(target, condition);
    let rows = lists::root_page::<M>(db(ctx), &matched, &key, &request, cursor).await?;
    Ok(Listed {
        page: Page::from_rows(rows, &request, list, &key, N::from),
        matched,
        parent: None,
    })
}

/// Reads the page of `relation` for `parent`, batched with the same
/// question for the other parents of its level.
async fn nested<M, N>(
    ctx: &Context<'_>,
    relation: &'static Relation,
    parent: i32,
    condition: Condition,
    key: SortKey,
    request: PageRequest,
) -> Result<Listed<N>>
where
    M: FromQueryResult + Send + Sync + 'static,
    N: From<Arc<M>>,
{
    // A cursor names the relation and ordering, not the parent: it is a
    // position in the ordering, so one `after` pages every parent's list of
    // a level from the same place (and the level stays one statement).
    let list = format!("{}.{}", relation.parent_type, relation.field);
    let cursor = cursor_conditions(&list, &key, &request)?;
    let matched = Matched::nested(relation, condition);
    let question = NestedPage::new(matched.clone(), key, request, cursor);
    let rows = ctx
        .data_unchecked::<DataLoader<NestedPages<M>>>()
        .load_one(ForParent {
            question: question.clone(),
            parent,
        })
        .await?
        .map(|rows| (*rows).clone())
        .unwrap_or_default();
    Ok(Listed {
        page: Page::from_rows(rows, &question.request, &list, &question.key, N::from),
        matched,
        parent: Some(parent),
    })
}

impl<N> Listed<N> {
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = match self.parent {
            None => lists::counts(db(ctx), &self.matched, &[]).await?.get(&0).copied(),
            Some(parent) => {
                ctx.data_unchecked::<DataLoader<NestedCounts>>()
                    .load_one(self.for_parent(parent))
                    .await?
            }
        };
        Ok(i32::try_from(count.unwrap_or(0)).unwrap_or(i32::MAX))
    }

    fn for_parent(&self, parent: i32) -> ForParent<Matched> {
        ForParent {
            question: self.matched.clone(),
            parent,
        }
    }
}

macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ident, $connection_doc:literal, $edge_doc:literal $(, $extra:item)*) => {
        #[doc = $connection_doc]
        pub struct $connection(pub Listed<$node>);

        #[doc = $connection_doc]
        #[Object]
        impl $connection {
            /// Where this page stands in the list, and its first and last cursors.
            async fn page_info(&self) -> PageInfo {
                self.0.page.page_info()
            }

            /// The page's items, each with its cursor.
            async fn edges(&self) -> Vec<$edge<'_>> {
                self.0
                    .page
                    .edges
                    .iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect()
            }

            /// The page's items, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.0.page.edges.iter().map(|(_, node)| node).collect()
            }

            /// How many items the list holds with these filters, on all pages.
            async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
                self.0.total_count(ctx).await
            }

            $($extra)*
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
    "A battle in a page, with its cursor.",
    /// Counts, dates, sides' sums and groups of the battles the list
    /// matches (its filter, not its page).
    async fn aggregate(&self, ctx: &Context<'_>) -> Result<BattleAggregate> {
        let listed = &self.0;
        let facts = match listed.parent {
            None => root_facts(db(ctx), &listed.matched).await?,
            Some(parent) => ctx
                .data_unchecked::<DataLoader<NestedFacts>>()
                .load_one(listed.for_parent(parent))
                .await?
                .unwrap_or_default(),
        };
        Ok(BattleAggregate::new(facts))
    }
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
connection!(
    PlaceConnection,
    PlaceEdge,
    Place,
    "A page of places.",
    "A place in a page, with its cursor."
);
connection!(
    EventConnection,
    EventEdge,
    Event,
    "A page of events.",
    "An event in a page, with its cursor."
);
