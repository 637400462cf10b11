//! The way every GraphQL request goes, from its text to its response.
//!
//! 1. A persisted query (APQ) is looked up or stored.
//! 2. The text is parsed, once; the document limits and the operation
//!    choice run on that parse (`limits`).
//! 3. async-graphql validates (complexity included) and executes, with the
//!    request's loaders under its own `BatchScheduler`.
//! 4. Errors from before execution get their codes; the response's fields
//!    are put in query order (`field_order`).
//!
//! These steps are not async-graphql extensions: an extension, even one that
//! only hooks the request, puts two boxed futures on the path of every field
//! resolved, which measured a third of the deep traversal's time.

use std::sync::Arc;

use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition};
use async_graphql::{EmptyMutation, EmptySubscription, Name, Request, Response, Schema, ServerError, Value};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::limits::{self, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COMPLEX, coded_error, with_code};
use super::loaders::{self, LoaderDb};
use super::{AppSchema, QueryRoot, field_order};
use crate::config::Limits;
use crate::error::BAD_USER_INPUT;

/// Persisted queries one instance keeps. A miss only costs the client one
/// more round trip with the text, as the APQ protocol expects.
const PERSISTED_QUERIES: usize = 1024;

/// The schema and what every request is checked against; built once.
#[derive(Clone)]
pub struct Executor {
    pub schema: AppSchema,
    limits: Arc<Limits>,
    persisted: LruCacheStorage,
}

/// A request that passed every check before validation.
pub struct Prepared {
    request: Request,
    /// The document as parsed, kept to order the response by.
    document: ExecutableDocument,
    operation_name: Option<Name>,
}

impl Prepared {
    /// The operation's name: the one asked for, or the only one's.
    pub fn operation_name(&self) -> Option<&str> {
        self.operation_name.as_deref()
    }
}

impl Executor {
    /// The schema, with its limits. The database handle and the loaders are
    /// added per request (`loaders::for_request`), so each request counts
    /// its own statements.
    pub fn new(limits: Arc<Limits>) -> Self {
        let mut builder =
            Schema::build(QueryRoot, EmptyMutation, EmptySubscription).limit_complexity(limits.max_complexity);
        if !limits.introspection {
            builder = builder.disable_introspection();
        }
        Executor {
            schema: builder.finish(),
            limits,
            persisted: LruCacheStorage::new(PERSISTED_QUERIES),
        }
    }

    /// Prepares and runs `request`: what in-process callers (tests,
    /// benchmarks) use; the HTTP layer runs the two steps itself to log the
    /// operation and time the execution.
    pub async fn execute(&self, request: Request, db: &LoaderDb) -> Response {
        match self.prepare(request).await {
            Ok(prepared) => self.run(prepared, db).await,
            Err(error) => Response::from_errors(vec![error]),
        }
    }

    /// Steps 1 and 2: persisted query, parse, limits, operation.
    pub async fn prepare(&self, request: Request) -> Result<Prepared, ServerError> {
        let mut request = self.persisted_query(request).await?;
        let document = request.parsed_query().map_err(|e| with_code(e, GRAPHQL_PARSE_FAILED))?;
        limits::check_document(document, &self.limits)?;
        let document = document.clone();
        let operation_name = operation(&document, request.operation_name.as_deref())?.0.cloned();
        Ok(Prepared {
            request,
            document,
            operation_name,
        })
    }

    /// Steps 3 and 4: validation, execution, codes, field order.
    pub async fn run(&self, prepared: Prepared, db: &LoaderDb) -> Response {
        let Prepared {
            request,
            document,
            operation_name,
        } = prepared;
        let mut response = loaders::execute(&self.schema, request, db).await;
        if never_executed(&response) {
            let errors = std::mem::take(&mut response.errors);
            response.errors = errors.into_iter().map(|e| self.code_rejection(e)).collect();
            return response;
        }
        if let Ok((_, operation)) = operation(&document, operation_name.as_deref()) {
            field_order::reorder(&mut response.data, &[&operation.selection_set.node], &document);
        }
        response
    }

    /// The code of an error async-graphql raised before execution: all are
    /// validation errors, one of them the complexity limit.
    fn code_rejection(&self, error: ServerError) -> ServerError {
        if error.extensions.as_ref().is_some_and(|e| e.get("code").is_some()) {
            return error;
        }
        // async-graphql's wording for `limit_complexity`.
        if error.message == "Query is too complex." {
            return coded_error(
                QUERY_TOO_COMPLEX,
                format!(
                    "the query's complexity is over the limit of {}: ask for smaller pages or fewer nested lists",
                    self.limits.max_complexity
                ),
            );
        }
        with_code(error, GRAPHQL_VALIDATION_FAILED)
    }

    /// APQ: a hash alone is looked up; a hash with its text is checked and stored.
    async fn persisted_query(&self, mut request: Request) -> Result<Request, ServerError> {
        #[derive(Deserialize)]
        struct PersistedQuery {
            version: i32,
            #[serde(rename = "sha256Hash")]
            sha256_hash: String,
        }
        let Some(value) = request.extensions.remove("persistedQuery") else {
            return Ok(request);
        };
        let persisted: PersistedQuery = async_graphql::from_value(value).map_err(|_| {
            coded_error(
                BAD_USER_INPUT,
                "`extensions.persistedQuery` must be { version, sha256Hash }",
            )
        })?;
        if persisted.version != 1 {
            return Err(coded_error(
                BAD_USER_INPUT,
                format!("persisted queries of version 1 only, not {}", persisted.version),
            ));
        }
        if request.query.is_empty() {
            let document = self.persisted.get(persisted.sha256_hash).await.ok_or_else(|| {
                // The message Apollo's client looks for.
                coded_error(PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
            })?;
            request.set_parsed_query(document);
            return Ok(request);
        }
        let hash = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if hash != persisted.sha256_hash {
            return Err(coded_error(
                BAD_USER_INPUT,
                "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of the query",
            ));
        }
        let document = request
            .parsed_query()
            .map_err(|e| with_code(e, GRAPHQL_PARSE_FAILED))?
            .clone();
        self.persisted.set(hash, document).await;
        Ok(request)
    }
}

pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";

/// The operation `name` picks from `document`, as async-graphql picks it.
fn operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Result<(Option<&'a Name>, &'a OperationDefinition), ServerError> {
    let found = match (&document.operations, name) {
        (DocumentOperations::Single(operation), None) => Some((None, &operation.node)),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get_key_value(name).map(|(name, op)| (Some(name), &op.node))
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.iter().next().map(|(name, op)| (Some(name), &op.node))
        }
        (DocumentOperations::Multiple(_), None) => {
            return Err(coded_error(
                BAD_USER_INPUT,
                "the document has several operations: say which with `operationName`",
            ));
        }
    };
    found.ok_or_else(|| {
        coded_error(
            BAD_USER_INPUT,
            format!("the document has no operation named \"{}\"", name.unwrap_or_default()),
        )
    })
}

/// Errors without a path come from before execution: it never started.
pub fn never_executed(response: &Response) -> bool {
    response.data == Value::Null && !response.errors.is_empty() && response.errors.iter().all(|e| e.path.is_empty())
}
