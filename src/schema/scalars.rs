//! The `Date` scalar: an ISO 8601 calendar date, `YYYY-MM-DD`.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// ISO 8601 calendar date, YYYY-MM-DD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// ISO 8601 calendar date, YYYY-MM-DD.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.iso.org/iso-8601-date-and-time-format.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        // Exactly YYYY-MM-DD: chrono alone would also take "+1937-8-13".
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) if well_formed => Ok(Date(date)),
            _ => Err(InputValueError::custom(format!(
                "{text:?} is not a date of the form YYYY-MM-DD"
            ))),
        }
    }

    /// Literals are checked in validation, so a query with `"1937-02-30"`
    /// is refused before any of its fields runs.
    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        // NaiveDate displays as YYYY-MM-DD, without parsing a format string.
        Value::String(self.0.to_string())
    }
}
