//! Error messages a client reads: parse errors on one line (the parser's
//! are ASCII art, shown as literal `\n` in GraphiQL), and, with
//! introspection off, validation messages that name nothing of the schema
//! the query did not name itself; a refused `Date` says how dates are written.

use std::collections::HashSet;

use async_graphql::parser::Error as ParseError;
use async_graphql::{Pos, ServerError};

use crate::error::Code;

/// A parse error as one line: what was expected, what was found; the place
/// goes in `locations`.
pub fn parse_error(query: &str, error: ParseError) -> ServerError {
    let positions: Vec<Pos> = error.positions().collect();
    let message = match &error {
        ParseError::Syntax { message, start, .. } => {
            let expected = message
                .lines()
                .find_map(|line| line.trim().strip_prefix("= "))
                .unwrap_or("a valid GraphQL document");
            format!("syntax error: {expected}, found {}", found_at(query, *start))
        }
        other => other.to_string().split_whitespace().collect::<Vec<_>>().join(" "),
    };
    let mut error = Code::GraphqlParseFailed.error(message);
    error.locations = positions;
    error
}

/// What stands in `query` at `pos` (1-based line and column, in characters).
fn found_at(query: &str, pos: Pos) -> String {
    let found = query
        .lines()
        .nth(pos.line.saturating_sub(1))
        .and_then(|line| line.chars().nth(pos.column.saturating_sub(1)));
    match found {
        Some(c) => format!("{c:?}"),
        None => "the end of the document".to_owned(),
    }
}

/// async-graphql's validation names only the scalar a value failed
/// (`Date::is_valid` can give no reason): say what a date looks like.
pub fn with_date_format(mut error: ServerError) -> ServerError {
    if error.message.ends_with("expected type \"Date\"") {
        error
            .message
            .push_str(": a date is written YYYY-MM-DD, e.g. \"1937-07-07\"");
    }
    error
}

/// With introspection off: drops async-graphql's "Did you mean ...?"
/// suggestions, and hides every quoted name the request did not contain
/// (a type or an argument it did not name).
pub fn without_schema_names(mut error: ServerError, request_text: &str) -> ServerError {
    let words: HashSet<&str> = request_text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut message = match error.message.find(" Did you mean") {
        Some(at) => error.message[..at].to_owned(),
        None => error.message.clone(),
    };
    let mut hidden = String::with_capacity(message.len());
    let mut rest = message.as_str();
    while let Some(open) = rest.find('"') {
        let Some(close) = rest[open + 1..].find('"') else {
            break;
        };
        let quoted = &rest[open + 1..open + 1 + close];
        hidden.push_str(&rest[..open]);
        let named = quoted
            .trim_start_matches('$')
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .all(|w| words.contains(w));
        if named {
            hidden.push('"');
            hidden.push_str(quoted);
            hidden.push('"');
        } else {
            hidden.push_str("(hidden)");
        }
        rest = &rest[open + close + 2..];
    }
    hidden.push_str(rest);
    message = hidden;
    error.message = message;
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_are_one_line() {
        let query = "{ phases { name }\n  battle(ordinal: ) }";
        let error = async_graphql::parser::parse_query(query).unwrap_err();
        let error = parse_error(query, error);
        assert!(!error.message.contains('\n'), "{}", error.message);
        assert!(error.message.starts_with("syntax error: expected"), "{}", error.message);
        assert!(error.message.ends_with("found ')'"), "{}", error.message);
        assert_eq!(error.locations[0].line, 2);
    }

    #[test]
    fn names_the_query_did_not_give_are_hidden() {
        let query = "{ battlez }";
        let error = ServerError::new(
            r#"Unknown field "battlez" on type "Query". Did you mean "battles", "battle"?"#,
            None,
        );
        let message = without_schema_names(error, query).message;
        assert_eq!(message, r#"Unknown field "battlez" on type (hidden)."#);
    }
}
