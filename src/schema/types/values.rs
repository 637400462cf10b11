//! Value types: fuzzy dates and qualified quantities, as the source gives them.

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::NaiveDate;

use super::Belligerent;
use super::knowledge::{self, Passage};
use crate::data::knowledge::Fact;
use crate::data::loaders::{self, BelligerentById};
use crate::error::{Error, Result};

use crate::schema::scalars::Date;

/// A date the source gives to the day, to the ten-day period (上旬/中旬/下旬) or to the month.
#[derive(SimpleObject, Clone)]
pub struct FuzzyDate {
    /// As the source writes it, with the year filled in, e.g. "1937年12月下旬".
    pub text: String,
    /// The first day the date can mean.
    pub earliest: Date,
    /// The last day the date can mean.
    pub latest: Date,
    /// How precise the source is.
    pub precision: DatePrecision,
    /// The date in EDTF (ISO 8601-2): DAY "1937-08-13", MONTH "1942-01", TEN_DAYS as a one-of set "[1937-12-21..1937-12-31]".
    pub edtf: String,
}

impl FuzzyDate {
    pub fn new(text: &str, earliest: NaiveDate, latest: NaiveDate, precision: entity::DatePrecision) -> Self {
        let edtf = match precision {
            entity::DatePrecision::Day => earliest.format("%Y-%m-%d").to_string(),
            entity::DatePrecision::Month => earliest.format("%Y-%m").to_string(),
            entity::DatePrecision::TenDays => {
                format!("[{}..{}]", earliest.format("%Y-%m-%d"), latest.format("%Y-%m-%d"))
            }
        };
        FuzzyDate {
            edtf,
            text: text.to_owned(),
            earliest: Date(earliest),
            latest: Date(latest),
            precision: precision.into(),
        }
    }
}

/// How precisely a date is known.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::DatePrecision")]
pub enum DatePrecision {
    /// A single day.
    Day,
    /// A ten-day period: 上旬 (days 1-10), 中旬 (11-20), 下旬 (21 to the end of the month).
    TenDays,
    /// A whole month.
    Month,
}

/// A figure as the source states it: "1.8万余人" is value 18000, qualifier MORE_THAN.
#[derive(Clone)]
pub struct Quantity {
    value: i32,
    qualifier: QuantityQualifier,
    text: String,
    /// The battle, the figure (strength or casualties) and the side.
    fact: Option<Fact>,
    shared_with: Option<i32>,
}

impl Quantity {
    /// A quantity from its three stored columns; `None` unless all are there.
    pub fn from_columns(
        value: Option<i32>,
        qualifier: Option<entity::QuantityQualifier>,
        text: &Option<String>,
    ) -> Option<Self> {
        Some(Quantity {
            value: value?,
            qualifier: qualifier?.into(),
            text: text.clone()?,
            fact: None,
            shared_with: None,
        })
    }

    /// The quantity as a fact of its battle, for its passage.
    pub fn of(self, fact: Fact, shared_with: Option<i32>) -> Self {
        Quantity {
            fact: Some(fact),
            shared_with,
            ..self
        }
    }
}

/// A figure as the source states it: "1.8万余人" is value 18000, qualifier MORE_THAN.
#[Object]
impl Quantity {
    /// The number, with 万 multiplied out.
    async fn value(&self) -> i32 {
        self.value
    }

    /// How the source hedges it.
    async fn qualifier(&self) -> QuantityQualifier {
        self.qualifier
    }

    /// As the source writes it, with the words that qualify the number.
    async fn text(&self) -> &str {
        &self.text
    }

    /// Where the source states this figure; its text contains the quantity's text.
    async fn passage(&self, ctx: &Context<'_>) -> Result<Passage> {
        match self.fact {
            Some(fact) => knowledge::passage_of(ctx, fact).await,
            None => Err(Error::dangling("a figure of no battle".to_owned())),
        }
    }

    /// Other sides counted in this same figure: the source gives one number for them together (battle 24: Japan and the collaborationist troops). Empty when the figure is this side's alone.
    async fn shared_with(&self, ctx: &Context<'_>) -> Result<Vec<Belligerent>> {
        let shared = loaders::load_optional::<BelligerentById, _>(ctx, self.shared_with).await?;
        Ok(shared.into_iter().collect())
    }
}

/// EXACT: a plain number; MORE_THAN: 余/以上/逾; ABOUT: 约/达/左右; NEARLY: 近.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::QuantityQualifier")]
pub enum QuantityQualifier {
    /// A plain number.
    Exact,
    /// More than the value: 余, 多, 以上, 逾.
    MoreThan,
    /// Roughly the value: 约, 达, 左右.
    About,
    /// Just under the value: 近 (nearly) and 不到 (fewer than).
    Nearly,
}
