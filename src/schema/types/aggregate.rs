//! `BattleAggregate` and its parts: counts, dates, sides' sums that keep
//! the source's hedges, and groups that carry their own aggregate; all
//! computed from the cells `data::aggregate` reads.

use std::sync::Arc;

use async_graphql::{Context, Enum, Object, SimpleObject};

use super::{Belligerent, Phase, QuantityQualifier};
use crate::data::aggregate::{self, Facts, Group, Grouping, Sum};
use crate::data::loaders::{self, BelligerentById, PhaseById};
use crate::error::Result;
use crate::schema::scalars::Date;

/// Counts, dates, sums and groups over the battles a list matches.
pub struct BattleAggregate(Facts);

impl BattleAggregate {
    pub fn new(facts: Facts) -> Self {
        BattleAggregate(facts)
    }
}

/// Counts, dates, sums and groups over the battles a list matches (its filter, not its page).
#[Object]
impl BattleAggregate {
    /// Battles matched.
    async fn count(&self) -> i32 {
        int(aggregate::count(&self.0))
    }

    /// The earliest start.earliest of the matched battles; null when none matched.
    async fn from(&self) -> Option<Date> {
        self.0.iter().map(|cell| cell.from).min().map(Date)
    }

    /// The latest end.latest of the matched battles; null when none matched.
    async fn to(&self) -> Option<Date> {
        self.0.iter().map(|cell| cell.to).max().map(Date)
    }

    /// One entry per belligerent that fought in at least one matched battle, China and Japan first.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn sides(&self) -> Vec<SideAggregate> {
        aggregate::sides(&self.0)
            .into_iter()
            .map(|(belligerent, totals)| SideAggregate {
                belligerent_id: belligerent.id,
                battles: int(totals.battles),
                strength: QuantitySum::new(totals.strength, totals.battles),
                casualties: QuantitySum::new(totals.casualties, totals.battles),
            })
            .collect()
    }

    /// The matched battles in groups, each with its own aggregate; groups in key order (phase ordinal, year, belligerent order).
    #[graphql(complexity = "1 + crate::pipeline::limits::GROUPS * child_complexity")]
    async fn groups(&self, #[graphql(desc = "What to group the battles by.")] by: BattleGrouping) -> Vec<BattleGroup> {
        let grouping = match by {
            BattleGrouping::Phase => Grouping::Phase,
            BattleGrouping::Year => Grouping::Year,
            BattleGrouping::Belligerent => Grouping::Belligerent,
        };
        aggregate::groups(&self.0, grouping)
            .into_iter()
            .map(|(group, battles)| BattleGroup {
                by: grouping,
                group,
                battles: battles.into(),
            })
            .collect()
    }
}

/// What battles are grouped by. YEAR groups by the year of start.earliest; a battle is in the group of every belligerent that fought in it.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum BattleGrouping {
    /// The phase of the war the source files it under.
    Phase,
    /// The year of start.earliest.
    Year,
    /// Each belligerent that fought in it.
    Belligerent,
}

/// Battles that share a phase, a year or a belligerent, with their aggregate.
pub struct BattleGroup {
    by: Grouping,
    group: Group,
    battles: Facts,
}

/// Battles that share a phase, a year or a belligerent, with their aggregate.
#[Object]
impl BattleGroup {
    /// A label for the group: the phase's name, the year, the belligerent's name.
    async fn key(&self) -> &str {
        &self.group.name
    }

    /// Set for PHASE.
    async fn phase(&self, ctx: &Context<'_>) -> Result<Option<Phase>> {
        let id = (self.by == Grouping::Phase).then_some(self.group.id);
        loaders::load_optional::<PhaseById, _>(ctx, id).await
    }

    /// Set for YEAR.
    async fn year(&self) -> Option<i32> {
        (self.by == Grouping::Year).then_some(self.group.id)
    }

    /// Set for BELLIGERENT.
    async fn belligerent(&self, ctx: &Context<'_>) -> Result<Option<Belligerent>> {
        let id = (self.by == Grouping::Belligerent).then_some(self.group.id);
        loaders::load_optional::<BelligerentById, _>(ctx, id).await
    }

    /// The aggregate of the group's battles.
    async fn aggregate(&self) -> BattleAggregate {
        BattleAggregate(Arc::clone(&self.battles))
    }
}

/// One belligerent's part in the matched battles.
pub struct SideAggregate {
    belligerent_id: i32,
    battles: i32,
    strength: QuantitySum,
    casualties: QuantitySum,
}

/// One belligerent's part in the matched battles.
#[Object]
impl SideAggregate {
    /// Who fought.
    async fn belligerent(&self, ctx: &Context<'_>) -> Result<Belligerent> {
        loaders::load_required::<BelligerentById, _>(ctx, self.belligerent_id).await
    }

    /// How many matched battles it fought in.
    async fn battles(&self) -> i32 {
        self.battles
    }

    /// Its troops committed, summed over the battles where the source states them.
    async fn strength(&self) -> &QuantitySum {
        &self.strength
    }

    /// Its casualties, summed over the battles where the source states them.
    async fn casualties(&self) -> &QuantitySum {
        &self.casualties
    }
}

/// A sum of stated figures that keeps their hedges. value is the sum of the stated
/// values. qualifier: EXACT when every summand is EXACT; MORE_THAN when every summand
/// is EXACT or MORE_THAN and one is MORE_THAN; NEARLY when every summand is EXACT or
/// NEARLY and one is NEARLY; ABOUT otherwise. With no summand: value 0, EXACT. A sum
/// past 2147483647 (Int's largest value) is that value, hedged as if one more MORE_THAN
/// figure had been added.
#[derive(SimpleObject)]
pub struct QuantitySum {
    /// The sum of the stated values.
    value: i32,
    /// How the sum is hedged, from its summands' qualifiers.
    qualifier: QuantityQualifier,
    /// How many figures were summed.
    counted: i32,
    /// Battles of this side where the source states no such figure (counted + missing = battles).
    missing: i32,
}

impl QuantitySum {
    fn new(sum: Sum, battles: i64) -> Self {
        let (value, qualifier) = sum.as_int();
        QuantitySum {
            value,
            qualifier: qualifier.into(),
            counted: int(sum.counted),
            missing: int(battles - sum.counted),
        }
    }
}

/// A count as GraphQL's `Int` (no list here comes near its range).
fn int(count: i64) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}
