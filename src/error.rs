//! One error type for the API. Client mistakes carry a message and a code;
//! database failures reach the client only as "internal error" or "the
//! database is unavailable", never as SQL. The `DbErr` travels along as the
//! GraphQL error's `source`, so the HTTP layer can log it with the request ID.
//!
//! `Error` deliberately does not implement `Display`: async-graphql turns any
//! `Display` type into a client error with `?`, which is how SQL text leaks.
//! The only way out is `From<Error> for async_graphql::Error` below.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, RuntimeErr};

/// `extensions.code` of errors the client caused.
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
/// `extensions.code` of failures on our side; the response names the request ID.
pub const INTERNAL_SERVER_ERROR: &str = "INTERNAL_SERVER_ERROR";
/// `extensions.code` when the database cannot be reached.
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";

#[derive(Debug, Clone)]
pub enum Error {
    /// An argument the client sent is wrong; the message says how.
    BadUserInput(String),
    /// The database failed.
    Database(Arc<DbErr>),
    /// The database cannot be reached (down, restarting, pool exhausted).
    Unavailable(Arc<DbErr>),
}

impl Error {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Error::BadUserInput(message.into())
    }

    /// The `extensions.code` clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadUserInput(_) => BAD_USER_INPUT,
            Error::Database(_) => INTERNAL_SERVER_ERROR,
            Error::Unavailable(_) => SERVICE_UNAVAILABLE,
        }
    }

    /// The message clients see.
    pub fn message(&self) -> &str {
        match self {
            Error::BadUserInput(message) => message,
            Error::Database(_) => "internal error",
            Error::Unavailable(_) => "the database is unavailable; try again shortly",
        }
    }
}

/// Whether a database error means "cannot reach the database" rather than
/// "the database refused this statement".
fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            Sqlx::Io(_)
                | Sqlx::Tls(_)
                | Sqlx::PoolTimedOut
                | Sqlx::PoolClosed
                | Sqlx::WorkerCrashed
                | Sqlx::Protocol(_)
        ),
        _ => false,
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            Error::Unavailable(Arc::new(err))
        } else {
            Error::Database(Arc::new(err))
        }
    }
}

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        let code = err.code();
        let mut error = async_graphql::Error::new(err.message()).extend_with(|_, e| e.set("code", code));
        if let Error::Database(cause) | Error::Unavailable(cause) = err {
            error.source = Some(cause);
        }
        error
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
