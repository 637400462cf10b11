//! What battle aggregates add up, read in one statement per aggregate (for
//! a relation, for all parents of a level at once), however the groups
//! nest.
//!
//! Battles of the same phase, year and set of belligerents fall in the same
//! groups of every grouping, so the statement adds them up in SQL into
//! [`Cell`]s, one row per cell and side: a few hundred rows at most, at any
//! scale. Counts, sums and groups, nested as deep as asked, are then
//! computed from the cells in Rust.
//!
//! Sums keep the source's hedges (the algebra in the contract's
//! `QuantitySum`): see [`combine`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use entity::QuantityQualifier;
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Frame, FrameType, JoinType, Order, Query, WindowStatement};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult};

use super::lists::{ForParent, Matched, answer_each, by_question, parent_of, read_int};
use super::loaders::LoaderDb;
use super::pool::RequestDb;
use crate::error::Error;

/// A group battles fall in: its position among its kind, ID and label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
    pub order: i32,
    pub id: i32,
    pub name: String,
}

/// The matched battles of one phase, year (of start.earliest) and set of
/// belligerents, added up.
#[derive(Debug)]
pub struct Cell {
    pub phase: Group,
    pub year: i32,
    pub battles: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One entry per belligerent of the set, by ID.
    pub sides: Vec<(Group, SideTotals)>,
}

pub type Facts = Arc<[Arc<Cell>]>;

/// A sum of stated figures that keeps their hedges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sum {
    pub value: i64,
    pub qualifier: QuantityQualifier,
    pub counted: i64,
}

impl Default for Sum {
    fn default() -> Self {
        Sum {
            value: 0,
            qualifier: QuantityQualifier::Exact,
            counted: 0,
        }
    }
}

/// The qualifier of a sum of two hedged figures (or sums): exact stays
/// exact; "more than" and "nearly" survive only beside exact figures; any
/// other mix is "about". Associative and commutative, so sums of sums keep
/// the hedge of the sum of all their figures.
pub fn combine(a: QuantityQualifier, b: QuantityQualifier) -> QuantityQualifier {
    use QuantityQualifier::*;
    match (a, b) {
        (Exact, other) | (other, Exact) => other,
        (MoreThan, MoreThan) => MoreThan,
        (Nearly, Nearly) => Nearly,
        _ => About,
    }
}

impl Sum {
    pub fn merge(self, other: Sum) -> Sum {
        Sum {
            value: self.value.saturating_add(other.value),
            qualifier: combine(self.qualifier, other.qualifier),
            counted: self.counted + other.counted,
        }
    }

    /// The sum as GraphQL's `Int` carries it: past its range, its largest
    /// value, hedged as if a "more than" figure had been added (it is more
    /// than that).
    pub fn as_int(self) -> (i32, QuantityQualifier) {
        match i32::try_from(self.value) {
            Ok(value) => (value, self.qualifier),
            Err(_) => (i32::MAX, combine(self.qualifier, QuantityQualifier::MoreThan)),
        }
    }
}

/// One belligerent's part in a set of battles.
#[derive(Debug, Default, Clone)]
pub struct SideTotals {
    pub battles: i64,
    pub strength: Sum,
    pub casualties: Sum,
}

impl SideTotals {
    fn merge(&mut self, other: &SideTotals) {
        self.battles += other.battles;
        self.strength = self.strength.merge(other.strength);
        self.casualties = self.casualties.merge(other.casualties);
    }
}

/// The year of `start.earliest`, and the set of a battle's belligerents
/// ("1,2") over the rows of its sides, as each database writes them.
fn year_and_side_set(backend: DbBackend) -> (&'static str, &'static str) {
    match backend {
        DbBackend::Postgres => (
            "CAST(EXTRACT(YEAR FROM \"battle\".\"start_earliest\") AS INTEGER)",
            "string_agg(CAST(\"side\".\"belligerent_id\" AS TEXT), ',')",
        ),
        _ => (
            "CAST(strftime('%Y', \"battle\".\"start_earliest\") AS INTEGER)",
            "group_concat(\"side\".\"belligerent_id\", ',')",
        ),
    }
}

/// `matched`'s battles added up into cells (per parent for a relation):
/// the matched battles, joined to their sides, each side row told its
/// battle's set of belligerents by a window (one pass, where a correlated
/// subquery per battle cost PostgreSQL ten times as much), then grouped.
async fn cells(db: &RequestDb, matched: &Matched, parents: &[i32]) -> Result<HashMap<i32, Vec<Cell>>, Error> {
    let (year, side_set) = year_and_side_set(db.get_database_backend());
    let col = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
    let (m, side, x, phase, side_of) = ("matched", "side", "sided", "phase", "side_of");

    let mut battles = matched.select(parents);
    for column in ["phase_id", "start_earliest", "end_latest"] {
        battles.expr_as(col("battle", column), Alias::new(column));
    }
    battles
        .expr_as(col("battle", "id"), Alias::new("battle_id"))
        .expr_as(Expr::cust(year), Alias::new("year"));

    // Per parent and battle: under a link relation a battle is a row once per parent.
    let partition = if matched.relation.is_some() {
        "\"matched\".\"parent_key\", \"matched\".\"battle_id\""
    } else {
        "\"matched\".\"battle_id\""
    };
    let mut window = WindowStatement::partition_by_custom(partition);
    window
        .order_by((Alias::new(side), Alias::new("belligerent_id")), Order::Asc)
        .frame_between(FrameType::Rows, Frame::UnboundedPreceding, Frame::UnboundedFollowing);
    let mut sided = Query::select();
    sided
        .column((Alias::new(m), Asterisk))
        .expr_as(col(side, "belligerent_id"), Alias::new("side_id"))
        .from_subquery(battles, Alias::new(m))
        .join_as(
            JoinType::LeftJoin,
            Alias::new("battle_side"),
            Alias::new(side),
            col(side, "battle_id").equals((Alias::new(m), Alias::new("battle_id"))),
        )
        .expr_window_as(Expr::cust(side_set), window, Alias::new("side_set"));
    for figure in ["strength", "casualties"] {
        for part in ["value", "qualifier"] {
            sided.expr_as(
                col(side, &format!("{figure}_{part}")),
                Alias::new(format!("{figure}_{part}")),
            );
        }
    }

    let mut cells = Query::select();
    cells
        .from_subquery(sided, Alias::new(x))
        .join(
            JoinType::InnerJoin,
            Alias::new(phase),
            col(phase, "id").equals((Alias::new(x), Alias::new("phase_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("belligerent"),
            Alias::new(side_of),
            col(side_of, "id").equals((Alias::new(x), Alias::new("side_id"))),
        );
    let mut keys = vec![
        (col(phase, "id"), "phase_id"),
        (col(phase, "ordinal"), "phase_ordinal"),
        (col(phase, "name"), "phase_name"),
        (col(x, "year"), "year"),
        (Expr::cust("COALESCE(\"sided\".\"side_set\", '')"), "side_set"),
        (col(x, "side_id"), "side_id"),
        (col(side_of, "name"), "side_name"),
    ];
    if matched.relation.is_some() {
        keys.push((col(x, "parent_key"), "parent_key"));
    }
    for (expr, alias) in &keys {
        cells.expr_as(expr.clone(), Alias::new(*alias));
    }
    cells.add_group_by(keys.into_iter().map(|(expr, _)| expr));
    cells
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("battles"))
        .expr_as(Expr::cust("MIN(\"sided\".\"start_earliest\")"), Alias::new("cell_from"))
        .expr_as(Expr::cust("MAX(\"sided\".\"end_latest\")"), Alias::new("cell_to"));
    for figure in ["strength", "casualties"] {
        cells
            .expr_as(
                Expr::cust(format!("SUM(\"sided\".\"{figure}_value\")")),
                Alias::new(format!("{figure}_sum")),
            )
            .expr_as(
                Expr::cust(format!("COUNT(\"sided\".\"{figure}_value\")")),
                Alias::new(format!("{figure}_counted")),
            );
        for (hedge, stored) in [("more", "MORE_THAN"), ("about", "ABOUT"), ("nearly", "NEARLY")] {
            cells.expr_as(
                Expr::cust(format!(
                    "MAX(CASE WHEN \"sided\".\"{figure}_qualifier\" = '{stored}' THEN 1 ELSE 0 END)"
                )),
                Alias::new(format!("{figure}_{hedge}")),
            );
        }
    }
    let rows = db.query_all_raw(db.get_database_backend().build(&cells)).await?;

    // Rows of one cell (one per side) come together into it.
    let mut found: BTreeMap<(i32, i32, i32, String), Cell> = BTreeMap::new();
    for row in &rows {
        let key = (
            parent_of(row),
            row.try_get::<i32>("", "phase_id")?,
            read_int(row, "year")? as i32,
            row.try_get::<String>("", "side_set")?,
        );
        let cell = match found.get_mut(&key) {
            Some(cell) => cell,
            None => {
                let cell = Cell {
                    phase: Group {
                        order: row.try_get("", "phase_ordinal")?,
                        id: key.1,
                        name: row.try_get("", "phase_name")?,
                    },
                    year: key.2,
                    battles: read_int(row, "battles")?,
                    from: row.try_get("", "cell_from")?,
                    to: row.try_get("", "cell_to")?,
                    sides: Vec::new(),
                };
                found.entry(key.clone()).or_insert(cell)
            }
        };
        if let Some(id) = row.try_get::<Option<i32>>("", "side_id")? {
            let belligerent = Group {
                // Belligerents are listed by ID: China and Japan first.
                order: id,
                id,
                name: row.try_get("", "side_name")?,
            };
            let totals = SideTotals {
                battles: read_int(row, "battles")?,
                strength: sum(row, "strength")?,
                casualties: sum(row, "casualties")?,
            };
            cell.sides.push((belligerent, totals));
        }
    }
    let mut by_parent: HashMap<i32, Vec<Cell>> = HashMap::new();
    for ((parent, ..), mut cell) in found {
        cell.sides.sort_by(|a, b| a.0.cmp(&b.0));
        by_parent.entry(parent).or_default().push(cell);
    }
    Ok(by_parent)
}

/// One side's sum of a figure in a cell, hedged by the qualifiers present.
fn sum(row: &QueryResult, figure: &str) -> Result<Sum, DbErr> {
    let counted = read_int(row, &format!("{figure}_counted"))?;
    if counted == 0 {
        return Ok(Sum::default());
    }
    let value: i64 = row
        .try_get::<Option<i64>>("", &format!("{figure}_sum"))
        .or_else(|_| {
            row.try_get::<Option<i32>>("", &format!("{figure}_sum"))
                .map(|v| v.map(i64::from))
        })?
        .unwrap_or(0);
    let present = |hedge: &str| read_int(row, &format!("{figure}_{hedge}")).map(|flag| flag != 0);
    use QuantityQualifier::*;
    let qualifier = [
        (present("more")?, MoreThan),
        (present("about")?, About),
        (present("nearly")?, Nearly),
    ]
    .into_iter()
    .filter(|(present, _)| *present)
    .fold(Exact, |q, (_, hedge)| combine(q, hedge));
    Ok(Sum {
        value,
        qualifier,
        counted,
    })
}

fn shared(list: Vec<Cell>) -> Facts {
    list.into_iter().map(Arc::new).collect()
}

/// The cells of a root list.
pub async fn root_facts(db: &RequestDb, matched: &Matched) -> Result<Facts, Error> {
    let mut all = cells(db, matched, &[]).await?;
    Ok(shared(all.remove(&0).unwrap_or_default()))
}

/// Loads the cells of relations: one statement per question.
pub struct NestedFacts(pub LoaderDb);

impl Loader<ForParent<Matched>> for NestedFacts {
    type Value = Facts;
    type Error = Error;

    async fn load(&self, keys: &[ForParent<Matched>]) -> Result<HashMap<ForParent<Matched>, Facts>, Error> {
        let mut answers = HashMap::new();
        for (question, parents) in by_question(keys) {
            let cells = cells(self.0.record::<Self>(parents.len()), &question, &parents).await?;
            let cells = cells.into_iter().map(|(parent, list)| (parent, shared(list))).collect();
            answer_each(&mut answers, &question, parents, cells, || shared(Vec::new()));
        }
        Ok(answers)
    }
}

/// Battles matched.
pub fn count(cells: &[Arc<Cell>]) -> i64 {
    cells.iter().map(|cell| cell.battles).sum()
}

/// Every belligerent's part in the cells' battles, China and Japan first.
pub fn sides(cells: &[Arc<Cell>]) -> Vec<(Group, SideTotals)> {
    let mut totals: BTreeMap<Group, SideTotals> = BTreeMap::new();
    for cell in cells {
        for (belligerent, part) in &cell.sides {
            totals.entry(belligerent.clone()).or_default().merge(part);
        }
    }
    totals.into_iter().collect()
}

/// What battles are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Phase,
    Year,
    Belligerent,
}

/// The cells in groups, in key order; a cell is in the group of each
/// belligerent of its set.
pub fn groups(cells: &[Arc<Cell>], by: Grouping) -> Vec<(Group, Vec<Arc<Cell>>)> {
    let mut groups: BTreeMap<Group, Vec<Arc<Cell>>> = BTreeMap::new();
    for cell in cells {
        let keys: Vec<Group> = match by {
            Grouping::Phase => vec![cell.phase.clone()],
            Grouping::Year => vec![Group {
                order: cell.year,
                id: cell.year,
                name: cell.year.to_string(),
            }],
            Grouping::Belligerent => cell.sides.iter().map(|(belligerent, _)| belligerent.clone()).collect(),
        };
        for key in keys {
            groups.entry(key).or_default().push(cell.clone());
        }
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuantityQualifier::*;

    fn sum(figures: &[(i64, QuantityQualifier)]) -> Sum {
        figures.iter().fold(Sum::default(), |sum, &(value, qualifier)| {
            sum.merge(Sum {
                value,
                qualifier,
                counted: 1,
            })
        })
    }

    #[test]
    fn sums_keep_the_hedges_the_contract_names() {
        assert_eq!(sum(&[]), Sum::default());
        assert_eq!(sum(&[(10, Exact), (5, Exact)]).qualifier, Exact);
        assert_eq!(sum(&[(10, Exact), (5, MoreThan)]).qualifier, MoreThan);
        assert_eq!(sum(&[(10, MoreThan), (5, MoreThan), (1, Exact)]).qualifier, MoreThan);
        assert_eq!(sum(&[(10, Exact), (5, Nearly)]).qualifier, Nearly);
        assert_eq!(sum(&[(10, Nearly), (5, Nearly)]).qualifier, Nearly);
        assert_eq!(sum(&[(10, Exact), (5, About)]).qualifier, About);
        assert_eq!(sum(&[(10, MoreThan), (5, Nearly)]).qualifier, About);
        assert_eq!(sum(&[(10, MoreThan), (5, Nearly), (1, Exact)]).qualifier, About);
        assert_eq!(sum(&[(5, Nearly), (10, MoreThan)]).qualifier, About);
        let total = sum(&[(18000, MoreThan), (30000, About), (2, Exact)]);
        assert_eq!((total.value, total.counted), (48002, 3));
    }

    #[test]
    fn sums_of_sums_are_hedged_as_the_sum_of_all() {
        // Cells are summed in SQL, then merged: any split of the figures
        // must give the hedge of all of them together.
        let all = [Exact, MoreThan, About, Nearly];
        for a in all {
            for b in all {
                for c in all {
                    let together = sum(&[(1, a), (1, b), (1, c)]);
                    let split = sum(&[(1, a)]).merge(sum(&[(1, b), (1, c)]));
                    assert_eq!(split, together, "{a:?} {b:?} {c:?}");
                }
            }
        }
    }

    #[test]
    fn a_sum_past_int_stays_true() {
        let total = sum(&[(i64::from(i32::MAX), Exact), (1, Exact)]);
        assert_eq!(total.as_int(), (i32::MAX, MoreThan));
        let total = sum(&[(i64::from(i32::MAX), Nearly), (1, Exact)]);
        assert_eq!(total.as_int(), (i32::MAX, About));
        assert_eq!(sum(&[(7, Nearly)]).as_int(), (7, Nearly));
    }
}
