//! The one place text arguments are checked (`nameContains` in every
//! filter, `search`'s `text`): trimmed, 1 to 100 characters, and no control
//! characters. A NUL would otherwise cut SQLite's LIKE pattern short (so
//! "\u0000" matched everything) and make PostgreSQL refuse the statement.

use crate::error::{Error, Result};

/// The longest text a `nameContains` or `search` may carry.
pub const MAX_TEXT_LEN: usize = 100;

/// `value` trimmed, or a BAD_USER_INPUT naming `argument`; may be empty
/// (a filter on "" keeps every name).
pub fn checked<'a>(argument: &str, value: &'a str) -> Result<&'a str> {
    let text = value.trim();
    if text.chars().count() > MAX_TEXT_LEN {
        return Err(Error::bad_input(format!(
            "{argument}: the text is longer than {MAX_TEXT_LEN} characters"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::bad_input(format!(
            "{argument}: the text must not contain control characters such as NUL"
        )));
    }
    Ok(text)
}

/// Like [`checked`], and not empty.
pub fn required<'a>(argument: &str, value: &'a str) -> Result<&'a str> {
    match checked(argument, value)? {
        "" => Err(Error::bad_input(format!(
            "{argument}: the text must have 1 to {MAX_TEXT_LEN} characters"
        ))),
        text => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_refuses_what_sql_would_misread() {
        assert_eq!(required("search.text", " 薛岳 ").ok(), Some("薛岳"));
        assert_eq!(checked("filter.nameContains", " ").ok(), Some(""));
        for bad in ["", "   ", "a\0b", "\u{7}", &"x".repeat(101)] {
            let error = required("search.text", bad).unwrap_err();
            assert!(error.message().starts_with("search.text: "), "{bad:?}");
        }
    }
}
