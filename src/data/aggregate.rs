//! What battle aggregates add up: for every battle a list matches, its
//! dates, phase and sides, read in one statement (for a relation, for all
//! parents of a level at once). Counts, sums and groups are computed from
//! these facts in Rust, so any nesting of groups costs no further statement.
//!
//! Sums keep the source's hedges (the algebra in the contract's
//! `QuantitySum`): see [`Sum`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use chrono::{Datelike, NaiveDate};
use entity::QuantityQualifier;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr, QueryResult};

use super::lists::{ForParent, Matched, by_question, parent_of};
use super::loaders::LoaderDb;
use super::pool::RequestDb;
use crate::error::Error;

/// One matched battle, as far as aggregates need it.
#[derive(Debug)]
pub struct BattleFacts {
    pub id: i32,
    pub ordinal: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub phase: Group,
    pub sides: Vec<SideFacts>,
}

/// A group a battle falls in: its ID, position among its kind, and label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
    pub order: i32,
    pub id: i32,
    pub name: String,
}

/// One side of a matched battle.
#[derive(Debug)]
pub struct SideFacts {
    pub belligerent: Group,
    pub strength: Option<(i32, QuantityQualifier)>,
    pub casualties: Option<(i32, QuantityQualifier)>,
}

pub type Facts = Arc<[Arc<BattleFacts>]>;

/// The facts of every battle `matched` holds (per parent for a relation),
/// in ordinal order.
async fn facts(db: &RequestDb, matched: &Matched, parents: &[i32]) -> Result<HashMap<i32, Vec<BattleFacts>>, Error> {
    let (side, phase, belligerent) = (Alias::new("side"), Alias::new("phase"), Alias::new("side_of"));
    let battle = Alias::new("battle");
    let mut select = matched.select(parents);
    for column in ["id", "ordinal", "start_earliest", "end_latest", "phase_id"] {
        select.expr_as(
            Expr::col((battle.clone(), Alias::new(column))),
            Alias::new(format!("battle_{column}")),
        );
    }
    select
        .expr_as(
            Expr::col((phase.clone(), Alias::new("ordinal"))),
            Alias::new("phase_ordinal"),
        )
        .expr_as(Expr::col((phase.clone(), Alias::new("name"))), Alias::new("phase_name"))
        .expr_as(
            Expr::col((belligerent.clone(), Alias::new("id"))),
            Alias::new("side_id"),
        )
        .expr_as(
            Expr::col((belligerent.clone(), Alias::new("name"))),
            Alias::new("side_name"),
        );
    for column in [
        "strength_value",
        "strength_qualifier",
        "casualties_value",
        "casualties_qualifier",
    ] {
        select.expr_as(Expr::col((side.clone(), Alias::new(column))), Alias::new(column));
    }
    select
        .join(
            JoinType::InnerJoin,
            phase.clone(),
            Expr::col((phase.clone(), Alias::new("id"))).equals((battle.clone(), Alias::new("phase_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("battle_side"),
            side.clone(),
            Expr::col((side.clone(), Alias::new("battle_id"))).equals((battle.clone(), Alias::new("id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("belligerent"),
            belligerent.clone(),
            Expr::col((belligerent.clone(), Alias::new("id"))).equals((side.clone(), Alias::new("belligerent_id"))),
        );
    if matched.relation.is_some() {
        select.order_by(Alias::new("parent_key"), Order::Asc);
    }
    select
        .order_by((battle.clone(), Alias::new("ordinal")), Order::Asc)
        .order_by((belligerent, Alias::new("id")), Order::Asc);
    let rows = db.query_all_raw(db.get_database_backend().build(&select)).await?;
    let mut facts: HashMap<i32, Vec<BattleFacts>> = HashMap::new();
    for row in rows {
        let list = facts.entry(parent_of(&row)).or_default();
        let id: i32 = row.try_get("", "battle_id")?;
        if list.last().is_none_or(|last| last.id != id) {
            list.push(BattleFacts {
                id,
                ordinal: row.try_get("", "battle_ordinal")?,
                start: row.try_get("", "battle_start_earliest")?,
                end: row.try_get("", "battle_end_latest")?,
                phase: Group {
                    order: row.try_get("", "phase_ordinal")?,
                    id: row.try_get("", "battle_phase_id")?,
                    name: row.try_get("", "phase_name")?,
                },
                sides: Vec::new(),
            });
        }
        if let Some(side_id) = row.try_get::<Option<i32>>("", "side_id")? {
            let battle = list.last_mut().expect("pushed above");
            battle.sides.push(SideFacts {
                // Belligerents are listed by ID: China and Japan first.
                belligerent: Group {
                    order: side_id,
                    id: side_id,
                    name: row.try_get("", "side_name")?,
                },
                strength: figure(&row, "strength")?,
                casualties: figure(&row, "casualties")?,
            });
        }
    }
    Ok(facts)
}

fn figure(row: &QueryResult, name: &str) -> Result<Option<(i32, QuantityQualifier)>, DbErr> {
    let value: Option<i32> = row.try_get("", &format!("{name}_value"))?;
    let qualifier: Option<String> = row.try_get("", &format!("{name}_qualifier"))?;
    Ok(match (value, qualifier) {
        (Some(value), Some(qualifier)) => Some((value, QuantityQualifier::try_from_value(&qualifier)?)),
        _ => None,
    })
}

fn shared(list: Vec<BattleFacts>) -> Facts {
    list.into_iter().map(Arc::new).collect()
}

/// The facts of a root list.
pub async fn root_facts(db: &RequestDb, matched: &Matched) -> Result<Facts, Error> {
    let mut all = facts(db, matched, &[]).await?;
    Ok(shared(all.remove(&0).unwrap_or_default()))
}

/// Loads the facts of relations: one statement per question.
pub struct NestedFacts(pub LoaderDb);

impl Loader<ForParent<Matched>> for NestedFacts {
    type Value = Facts;
    type Error = Error;

    async fn load(&self, keys: &[ForParent<Matched>]) -> Result<HashMap<ForParent<Matched>, Facts>, Error> {
        let mut answers = HashMap::new();
        for (question, parents) in by_question(keys) {
            let mut all = facts(self.0.record::<Self>(parents.len()), &question, &parents).await?;
            for parent in parents {
                let key = ForParent {
                    question: question.clone(),
                    parent,
                };
                answers.insert(key, shared(all.remove(&parent).unwrap_or_default()));
            }
        }
        Ok(answers)
    }
}

/// A sum of stated figures that keeps their hedges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sum {
    pub value: i32,
    pub qualifier: QuantityQualifier,
    pub counted: i32,
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

/// The qualifier of a sum of two hedged figures: exact stays exact; "more
/// than" and "nearly" survive only beside exact figures; any other mix is
/// "about".
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
    /// Adds one figure. A total past `Int`'s range stays at its largest
    /// value, hedged as if a "more than" figure had been added: it is more
    /// than that.
    pub fn plus(self, (value, qualifier): (i32, QuantityQualifier)) -> Self {
        let total = i64::from(self.value) + i64::from(value);
        let mut qualifier = combine(self.qualifier, qualifier);
        let value = i32::try_from(total).unwrap_or_else(|_| {
            qualifier = combine(qualifier, QuantityQualifier::MoreThan);
            i32::MAX
        });
        Sum {
            value,
            qualifier,
            counted: self.counted + 1,
        }
    }
}

/// One belligerent's part in a set of battles.
#[derive(Debug, Default)]
pub struct SideTotals {
    pub battles: i32,
    pub strength: Sum,
    pub casualties: Sum,
}

/// Every belligerent's part in `battles`, China and Japan first.
pub fn sides(battles: &[Arc<BattleFacts>]) -> Vec<(Group, SideTotals)> {
    let mut totals: BTreeMap<Group, SideTotals> = BTreeMap::new();
    for battle in battles {
        for side in &battle.sides {
            let total = totals.entry(side.belligerent.clone()).or_default();
            total.battles += 1;
            if let Some(figure) = side.strength {
                total.strength = total.strength.plus(figure);
            }
            if let Some(figure) = side.casualties {
                total.casualties = total.casualties.plus(figure);
            }
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

/// `battles` in groups, in key order; a battle is in the group of each
/// belligerent that fought in it.
pub fn groups(battles: &[Arc<BattleFacts>], by: Grouping) -> Vec<(Group, Vec<Arc<BattleFacts>>)> {
    let mut groups: BTreeMap<Group, Vec<Arc<BattleFacts>>> = BTreeMap::new();
    for battle in battles {
        let keys: Vec<Group> = match by {
            Grouping::Phase => vec![battle.phase.clone()],
            Grouping::Year => {
                let year = battle.start.year();
                vec![Group {
                    order: year,
                    id: year,
                    name: year.to_string(),
                }]
            }
            Grouping::Belligerent => battle.sides.iter().map(|side| side.belligerent.clone()).collect(),
        };
        for key in keys {
            groups.entry(key).or_default().push(battle.clone());
        }
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuantityQualifier::*;

    fn sum(figures: &[(i32, QuantityQualifier)]) -> Sum {
        figures.iter().fold(Sum::default(), |sum, figure| sum.plus(*figure))
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
        // Order does not matter.
        assert_eq!(sum(&[(5, Nearly), (10, MoreThan)]).qualifier, About);
        let total = sum(&[(18000, MoreThan), (30000, About), (2, Exact)]);
        assert_eq!((total.value, total.counted), (48002, 3));
    }

    #[test]
    fn a_sum_past_int_stays_true() {
        let total = sum(&[(i32::MAX, Exact), (1, Exact)]);
        assert_eq!((total.value, total.qualifier), (i32::MAX, MoreThan));
        let total = sum(&[(i32::MAX, Nearly), (1, Exact)]);
        assert_eq!((total.value, total.qualifier), (i32::MAX, About));
    }
}
