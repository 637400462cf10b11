//! One error type for the API. Client mistakes carry a message and a code;
//! database failures are logged where they happen and reach the client only
//! as "internal error", never as SQL.
//!
//! `Error` deliberately does not implement `Display`: async-graphql turns any
//! `Display` type into a client error with `?`, which is how SQL text leaks.
//! The only way out is `From<Error> for async_graphql::Error` below.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

#[derive(Debug, Clone)]
pub enum Error {
    /// An argument the client sent is wrong; the message says how.
    BadUserInput(String),
    /// The database failed; the cause is logged, not sent.
    Database(Arc<DbErr>),
}

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Error::BadUserInput(message.into())
    }

    /// The `extensions.code` clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadUserInput(_) => "BAD_USER_INPUT",
            Error::Database(_) => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The message clients see.
    pub fn message(&self) -> &str {
        match self {
            Error::BadUserInput(message) => message,
            Error::Database(_) => "internal error",
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        Error::Database(Arc::new(err))
    }
}

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        let code = err.code();
        async_graphql::Error::new(err.message()).extend_with(|_, e| e.set("code", code))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
