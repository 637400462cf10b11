//! Relay cursor connections over keyset pagination: a page is read with
//! `WHERE key > cursor ORDER BY key LIMIT n + 1`, never with OFFSET, so the
//! cost of a page does not grow with its position.
//!
//! A list's order is a [`SortKey`]: expressions, each ascending or
//! descending, the last of which is unique (an ordinal or an ID), so that
//! every row has one place. A cursor carries the whole key of its row, so
//! paging under a computed order (casualties, duration, battles) never
//! skips or repeats a row, and it names its list and ordering, so that a
//! cursor of another list is refused rather than misread.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Order, SimpleExpr};
use sea_orm::{Condition, DbErr, QueryResult};

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

/// The type of one part of a sort key, which says how a cursor's JSON
/// value is read back and bound.
#[derive(Clone, Copy, Debug)]
pub enum KeyKind {
    Int,
    Date,
    Text,
}

/// One part of a row's sort key, as read from the row or a cursor.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyValue {
    Int(i64),
    Date(NaiveDate),
    Text(String),
}

impl KeyValue {
    fn to_json(&self) -> serde_json::Value {
        match self {
            KeyValue::Int(n) => (*n).into(),
            KeyValue::Date(day) => day.format("%Y-%m-%d").to_string().into(),
            KeyValue::Text(text) => text.clone().into(),
        }
    }

    /// A cursor's value, as strictly as the server writes them: a forged
    /// cursor must not reach the database with what PostgreSQL refuses (a
    /// NUL, a date outside 0001-9999).
    fn from_json(kind: KeyKind, value: &serde_json::Value) -> Option<Self> {
        match kind {
            KeyKind::Int => value.as_i64().map(KeyValue::Int),
            KeyKind::Date => {
                let text = value.as_str()?;
                let well_formed = text.len() == 10
                    && text.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        _ => b.is_ascii_digit(),
                    });
                let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
                (well_formed && !text.starts_with("0000")).then_some(KeyValue::Date(day))
            }
            KeyKind::Text => {
                let text = value.as_str()?;
                (!text.chars().any(char::is_control)).then(|| KeyValue::Text(text.to_owned()))
            }
        }
    }

    fn expr(&self) -> SimpleExpr {
        match self {
            KeyValue::Int(n) => Expr::val(*n),
            KeyValue::Date(day) => Expr::val(*day),
            KeyValue::Text(text) => Expr::val(text.clone()),
        }
    }

    /// Reads column `column` of a row as this kind.
    fn read(kind: KeyKind, row: &QueryResult, column: &str) -> Result<Self, DbErr> {
        Ok(match kind {
            KeyKind::Int => KeyValue::Int(super::lists::read_int(row, column)?),
            KeyKind::Date => KeyValue::Date(row.try_get("", column)?),
            KeyKind::Text => KeyValue::Text(row.try_get("", column)?),
        })
    }
}

/// One expression of a sort key.
pub struct KeyPart {
    pub expr: SimpleExpr,
    pub kind: KeyKind,
    pub descending: bool,
}

impl KeyPart {
    pub fn asc(expr: SimpleExpr, kind: KeyKind) -> Self {
        KeyPart {
            expr,
            kind,
            descending: false,
        }
    }

    pub fn desc(expr: SimpleExpr, kind: KeyKind) -> Self {
        KeyPart {
            expr,
            kind,
            descending: true,
        }
    }
}

/// How a list is ordered: named (for cursors), with the parts of its key.
pub struct SortKey {
    pub name: &'static str,
    pub parts: Vec<KeyPart>,
}

/// The column aliases a statement selects the key parts as.
pub fn key_alias(index: usize) -> String {
    format!("sort_key_{index}")
}

impl SortKey {
    /// The `ORDER BY` terms: the key's directions, all flipped for `last`.
    pub fn order_terms(&self, reverse: bool) -> Vec<(SimpleExpr, Order)> {
        self.parts
            .iter()
            .map(|part| {
                let order = if part.descending != reverse {
                    Order::Desc
                } else {
                    Order::Asc
                };
                (part.expr.clone(), order)
            })
            .collect()
    }

    /// The rows past `position` in the list's direction (`after`) or before
    /// it: a lexicographic comparison over the parts. The plain range on
    /// the first part comes first so that the planners seek an index on it
    /// to the cursor instead of filtering every row before it (see
    /// docs/query-plans.md).
    fn beyond(&self, position: &[KeyValue], after: bool) -> Condition {
        let beyond_part = |part: &KeyPart, value: &KeyValue, or_equal: bool| {
            let later = part.descending != after;
            let (expr, value) = (part.expr.clone(), value.expr());
            match (later, or_equal) {
                (true, false) => expr.gt(value),
                (true, true) => expr.gte(value),
                (false, false) => expr.lt(value),
                (false, true) => expr.lte(value),
            }
        };
        // From the last part outwards: (k_i beyond v_i) OR (k_i = v_i AND rest).
        let mut condition: Option<Condition> = None;
        for (part, value) in self.parts.iter().zip(position).rev() {
            let strictly = Condition::all().add(beyond_part(part, value, false));
            condition = Some(match condition {
                None => strictly,
                Some(rest) => Condition::any()
                    .add(strictly)
                    .add(Condition::all().add(part.expr.clone().eq(value.expr())).add(rest)),
            });
        }
        let first = beyond_part(&self.parts[0], &position[0], true);
        Condition::all()
            .add(first)
            .add(condition.unwrap_or_else(Condition::all))
    }

    /// The key of a row a statement selected with [`key_alias`] columns.
    pub fn read(&self, row: &QueryResult) -> Result<Vec<KeyValue>, DbErr> {
        self.parts
            .iter()
            .enumerate()
            .map(|(i, part)| KeyValue::read(part.kind, row, &key_alias(i)))
            .collect()
    }
}

/// A row's cursor: its list (`battles`, or a relation such as
/// `Commander.battlesConnection`), the ordering, and the row's whole key.
pub fn cursor(list: &str, key: &SortKey, position: &[KeyValue]) -> String {
    let values: Vec<serde_json::Value> = position.iter().map(KeyValue::to_json).collect();
    STANDARD.encode(format!("{list}|{}|{}", key.name, serde_json::Value::Array(values)))
}

/// The condition a cursor argument puts on a list: rows after (or before)
/// its position. Refused unless it is a cursor of this list and ordering.
pub fn cursor_condition(list: &str, key: &SortKey, cursor: &str, after: bool) -> Result<Condition, Error> {
    let name = if after { "after" } else { "before" };
    let invalid = || Error::bad_input(format!("{name}: {cursor:?} is not a cursor of this list and ordering"));
    let bytes = STANDARD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut fields = text.splitn(3, '|');
    let (Some(cursor_list), Some(cursor_key), Some(values)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(invalid());
    };
    if cursor_list != list || cursor_key != key.name {
        return Err(invalid());
    }
    let values: Vec<serde_json::Value> = serde_json::from_str(values).map_err(|_| invalid())?;
    if values.len() != key.parts.len() {
        return Err(invalid());
    }
    let position = key
        .parts
        .iter()
        .zip(&values)
        .map(|(part, value)| KeyValue::from_json(part.kind, value))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(invalid)?;
    Ok(key.beyond(&position, after))
}

/// The conditions `after` and `before` put on a list, together.
pub fn cursor_conditions(list: &str, key: &SortKey, request: &PageRequest) -> Result<Condition, Error> {
    let mut condition = Condition::all();
    if let Some(cursor) = &request.after {
        condition = condition.add(cursor_condition(list, key, cursor, true)?);
    }
    if let Some(cursor) = &request.before {
        condition = condition.add(cursor_condition(list, key, cursor, false)?);
    }
    Ok(condition)
}

/// One page of a list: its items with their cursors and whether there is
/// more on either side.
pub struct Page<N> {
    pub edges: Vec<(String, N)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

impl<N> Page<N> {
    /// A page from the rows a statement read for it: in the order read (the
    /// list's, or reversed for `last`), with one row more than asked when
    /// there is more.
    pub fn from_rows<R>(
        mut rows: Vec<(Vec<KeyValue>, R)>,
        request: &PageRequest,
        list: &str,
        key: &SortKey,
        to_node: impl Fn(R) -> N,
    ) -> Self {
        let more = rows.len() as u64 > request.size;
        rows.truncate(request.size as usize);
        if request.backward {
            rows.reverse();
        }
        // Past the end in the direction read is known exactly; on the other side,
        // a cursor means the client came from there.
        let (has_previous_page, has_next_page) = if request.backward {
            (more, request.before.is_some())
        } else {
            (request.after.is_some(), more)
        };
        let edges = rows
            .into_iter()
            .map(|(position, row)| (cursor(list, key, &position), to_node(row)))
            .collect();
        Page {
            edges,
            has_previous_page,
            has_next_page,
        }
    }

    pub fn page_info(&self) -> async_graphql::connection::PageInfo {
        async_graphql::connection::PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|(cursor, _)| cursor.clone()),
            end_cursor: self.edges.last().map(|(cursor, _)| cursor.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cursor_values_are_read_as_strictly_as_they_are_written() {
        let day = KeyValue::from_json(KeyKind::Date, &json!("1937-08-13"));
        assert_eq!(day, Some(KeyValue::Date(NaiveDate::from_ymd_opt(1937, 8, 13).unwrap())));
        for bad in [
            "-5000-01-01",
            "+1937-08-13",
            "19370-08-13",
            "0000-01-01",
            "1937-8-13",
            "1937-02-30",
        ] {
            assert_eq!(KeyValue::from_json(KeyKind::Date, &json!(bad)), None, "{bad}");
        }
        assert_eq!(KeyValue::from_json(KeyKind::Text, &json!("a\u{0}")), None);
        assert_eq!(
            KeyValue::from_json(KeyKind::Text, &json!("xue yue")),
            Some(KeyValue::Text("xue yue".into()))
        );
        assert_eq!(KeyValue::from_json(KeyKind::Int, &json!(1.5)), None);
    }
}
