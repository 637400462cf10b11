//! Relay cursor connections over keyset pagination: a page is read with
//! `WHERE key > cursor ORDER BY key LIMIT n + 1`, never with OFFSET, so the
//! cost of a page does not grow with its position.

use async_graphql::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sea_orm::{Condition, EntityTrait, PaginatorTrait, QuerySelect, Select};

use super::pool::RequestDb;

use crate::error::Error;

/// `first`/`last` when neither is given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;
/// The most `first`/`last` may ask for.
pub const MAX_PAGE_SIZE: i32 = 100;

/// The four Relay arguments, checked.
pub struct PageRequest {
    pub size: u64,
    pub backward: bool,
    pub after: Option<String>,
    pub before: Option<String>,
}

impl PageRequest {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Self, Error> {
        let check = |name: &str, n: i32| {
            if (0..=MAX_PAGE_SIZE).contains(&n) {
                Ok(n as u64)
            } else {
                Err(Error::bad_input(format!(
                    "{name} must be between 0 and {MAX_PAGE_SIZE}, not {n}"
                )))
            }
        };
        let (size, backward) = match (first, last) {
            (Some(_), Some(_)) => return Err(Error::bad_input("give first or last, not both")),
            (Some(n), None) => (check("first", n)?, false),
            (None, Some(n)) => (check("last", n)?, true),
            (None, None) => (DEFAULT_PAGE_SIZE as u64, false),
        };
        Ok(PageRequest {
            size,
            backward,
            after,
            before,
        })
    }
}

/// How one kind of list is ordered, and how its cursors say where a row is.
pub trait KeysetOrder<E: EntityTrait> {
    /// Names the ordering inside cursors, so that a cursor from another
    /// ordering or list is refused rather than misread.
    fn tag(&self) -> &'static str;
    /// The position of a row, as the text inside its cursor.
    fn position(&self, row: &E::Model) -> String;
    /// The rows after (`after == true`) or before a position.
    fn beyond(&self, position: &str, after: bool) -> Option<Condition>;
    /// Orders the select by the key, ascending or reversed.
    fn order(&self, select: Select<E>, reverse: bool) -> Select<E>;
}

pub fn encode_cursor(tag: &str, position: &str) -> String {
    STANDARD.encode(format!("{tag}:{position}"))
}

fn decode_cursor<E: EntityTrait>(order: &impl KeysetOrder<E>, cursor: &str, after: bool) -> Result<Condition, Error> {
    let name = if after { "after" } else { "before" };
    let invalid = || Error::bad_input(format!("{name}: {cursor:?} is not a cursor of this list and ordering"));
    let bytes = STANDARD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (tag, position) = text.split_once(':').ok_or_else(invalid)?;
    if tag != order.tag() {
        return Err(invalid());
    }
    order.beyond(position, after).ok_or_else(invalid)
}

/// One page of a list: its items with their cursors, whether there is more
/// on either side, and how to count the whole list.
pub struct Page<N> {
    pub edges: Vec<(String, N)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
    pub total_count: TotalCount,
}

impl<N> Page<N> {
    pub fn page_info(&self) -> async_graphql::connection::PageInfo {
        async_graphql::connection::PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|(cursor, _)| cursor.clone()),
            end_cursor: self.edges.last().map(|(cursor, _)| cursor.clone()),
        }
    }

    pub async fn total_count(&self, ctx: &Context<'_>) -> Result<i32, Error> {
        self.total_count.count(ctx).await
    }
}

/// Reads one page of `select` (already filtered) in `order`; `totalCount`
/// counts the same select, without the cursors, only when asked for.
pub async fn page<E, N>(
    db: &RequestDb,
    select: Select<E>,
    order: impl KeysetOrder<E>,
    request: PageRequest,
    to_node: impl Fn(E::Model) -> N,
) -> Result<Page<N>, Error>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let total_count = TotalCount::new(select.clone());
    let mut paged = select;
    if let Some(cursor) = &request.after {
        paged = sea_orm::QueryFilter::filter(paged, decode_cursor(&order, cursor, true)?);
    }
    if let Some(cursor) = &request.before {
        paged = sea_orm::QueryFilter::filter(paged, decode_cursor(&order, cursor, false)?);
    }
    // One row more than asked says whether there is more (for `first: 0`
    // too: an empty page still knows whether anything follows).
    let mut rows = order
        .order(paged, request.backward)
        .limit(request.size + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > request.size;
    rows.truncate(request.size as usize);
    if request.backward {
        rows.reverse();
    }
    // Past the end in the direction read is known exactly; on the other side,
    // a cursor means the client came from there.
    let (has_previous, has_next) = if request.backward {
        (more, request.before.is_some())
    } else {
        (request.after.is_some(), more)
    };
    let edges = rows
        .into_iter()
        .map(|row| (encode_cursor(order.tag(), &order.position(&row)), to_node(row)))
        .collect();
    Ok(Page {
        edges,
        has_previous_page: has_previous,
        has_next_page: has_next,
        total_count,
    })
}

/// A list's size, counted only when asked for.
pub struct TotalCount(Box<dyn CountQuery>);

impl TotalCount {
    fn new<E: EntityTrait>(select: Select<E>) -> Self
    where
        E::Model: Sync,
    {
        TotalCount(Box::new(select))
    }

    async fn count(&self, ctx: &Context<'_>) -> Result<i32, Error> {
        let db = ctx.data_unchecked::<RequestDb>();
        let count = self.0.count_rows(db).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

/// A filtered select that can count its rows.
#[async_trait::async_trait]
trait CountQuery: Send + Sync {
    async fn count_rows(&self, db: &RequestDb) -> Result<u64, sea_orm::DbErr>;
}

#[async_trait::async_trait]
impl<E: EntityTrait> CountQuery for Select<E>
where
    E::Model: Sync,
{
    async fn count_rows(&self, db: &RequestDb) -> Result<u64, sea_orm::DbErr> {
        self.clone().count(db).await
    }
}
