//! The one error module: every `extensions.code` the API answers with is a
//! [`Code`], whether a resolver, the request pipeline or the HTTP layer
//! raised it.
//!
//! Resolvers return [`Result`]: a database failure reaches the client only as
//! "internal error" or "the database is unavailable", never as SQL; the
//! `DbErr` travels along as the GraphQL error's `source`, so the pipeline can
//! log it with the request ID. `Error` deliberately does not implement
//! `Display`: async-graphql turns any `Display` type into a client error with
//! `?`, which is how SQL text leaks. The only way out is `From<Error> for
//! async_graphql::Error` below.

use std::sync::Arc;

use async_graphql::{ErrorExtensions, Pos, ServerError};
use sea_orm::{DbErr, RuntimeErr};

/// The `extensions.code` of every error the API answers with: the variant's
/// name in SCREAMING_SNAKE_CASE (`BadUserInput` is `BAD_USER_INPUT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// An argument or variable the client sent is wrong.
    BadUserInput,
    /// The HTTP request is not a GraphQL request (bad JSON, no query, ...).
    BadRequest,
    GraphqlParseFailed,
    GraphqlValidationFailed,
    QueryTooDeep,
    QueryTooComplex,
    TooManyAliases,
    TooManyRootFields,
    TooManyDirectives,
    IntrospectionDisabled,
    /// APQ: the hash is not known here; the client sends the text once.
    PersistedQueryNotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    NotAcceptable,
    MethodNotAllowed,
    /// The client took too long to send its request.
    RequestTimeout,
    /// Execution took longer than the limit.
    Timeout,
    /// The database cannot be reached.
    ServiceUnavailable,
    /// A failure on our side; the error names the request ID.
    InternalServerError,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The HTTP status of a request refused with this code before execution
    /// (under `application/graphql-response+json`; `application/json` gets
    /// 200 for GraphQL-level refusals, as the GraphQL-over-HTTP spec asks).
    pub const fn status(self) -> u16 {
        match self {
            Code::PayloadTooLarge => 413,
            Code::UnsupportedMediaType => 415,
            Code::NotAcceptable => 406,
            Code::MethodNotAllowed => 405,
            Code::RequestTimeout => 408,
            Code::Timeout => 504,
            Code::ServiceUnavailable => 503,
            Code::InternalServerError => 500,
            _ => 400,
        }
    }

    /// Whether the HTTP layer refused the request, so that the status holds
    /// whatever media type the client accepts.
    pub const fn is_transport(self) -> bool {
        matches!(
            self,
            Code::BadRequest
                | Code::PayloadTooLarge
                | Code::UnsupportedMediaType
                | Code::NotAcceptable
                | Code::MethodNotAllowed
                | Code::RequestTimeout
                | Code::Timeout
        )
    }

    /// Failures on our side: logged, and the error names the request.
    pub const fn is_server_side(self) -> bool {
        matches!(self, Code::InternalServerError | Code::ServiceUnavailable)
    }

    /// A request-level error (no path) with this code.
    pub fn error(self, message: impl Into<String>) -> ServerError {
        self.error_at(message, None)
    }

    pub fn error_at(self, message: impl Into<String>, pos: Option<Pos>) -> ServerError {
        let mut error = ServerError::new(message, pos);
        self.set_on(&mut error);
        error
    }

    fn set_on(self, error: &mut ServerError) {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", self.as_str());
    }

    /// The code an error carries, if it carries one of ours.
    pub fn of(error: &ServerError) -> Option<Code> {
        match error.extensions.as_ref()?.get("code")? {
            async_graphql::Value::String(code) => code.parse().ok(),
            _ => None,
        }
    }

    /// Gives `error` this code unless it has one already.
    pub fn or_on(self, mut error: ServerError) -> ServerError {
        if Code::of(&error).is_none() {
            self.set_on(&mut error);
        }
        error
    }
}

/// What a resolver or a data access can fail with.
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

    /// A row that a foreign key promises is missing: the data is broken.
    pub fn dangling(what: String) -> Self {
        Error::Database(Arc::new(DbErr::RecordNotFound(what)))
    }

    pub fn code(&self) -> Code {
        match self {
            Error::BadUserInput(_) => Code::BadUserInput,
            Error::Database(_) => Code::InternalServerError,
            Error::Unavailable(_) => Code::ServiceUnavailable,
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
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => {
            crate::data::pool::is_connection_lost(e)
        }
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
        let code = err.code().as_str();
        let mut error = async_graphql::Error::new(err.message()).extend_with(|_, e| e.set("code", code));
        if let Error::Database(cause) | Error::Unavailable(cause) = err {
            error.source = Some(cause);
        }
        error
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
