//! Value types: fuzzy dates and qualified quantities, as the source gives them.

use async_graphql::{Enum, SimpleObject};
use chrono::NaiveDate;

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
#[derive(SimpleObject, Clone)]
pub struct Quantity {
    /// The number, with 万 multiplied out.
    pub value: i32,
    /// How the source hedges it.
    pub qualifier: QuantityQualifier,
    /// As the source writes it.
    pub text: String,
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
        })
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
    /// Just under the value: 近, 不到.
    Nearly,
}
