//! The request pipeline: [`GraphqlService`] owns a GraphQL request from its
//! `async_graphql::Request` to the response and everything the HTTP layer
//! needs of it (status, log fields). The HTTP layer, the fuzzers and the
//! benches all go through [`GraphqlService::execute`].
//!
//! 1. A persisted query (APQ) is looked up or stored (`persisted`).
//! 2. The text is parsed, once (short texts once per instance:
//!    `documents`); the document limits run on that parse
//!    (`limits`), the operation is picked once (GET runs queries only), and
//!    required variables must be there.
//! 3. The response's shape is planned (`shape`); async-graphql validates
//!    (complexity included) and executes within the time limit, with the
//!    request's loaders under its own `BatchScheduler`.
//! 4. The answer is shaped (order, `{}`, null propagation); every error gets
//!    its code, errors on our side are logged with the request ID, and the
//!    request is counted in the metrics.
//!
//! These steps are not async-graphql extensions: an extension, even one that
//! only hooks the request, puts two boxed futures on the path of every field
//! resolved (docs/performance.md).

pub mod batch_scheduler;
pub mod documents;
pub mod limits;
pub mod messages;
pub mod nesting;
pub mod persisted;
pub mod shape;

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition, OperationType};
use async_graphql::{Name, Request, Response, ServerError, Value, Variables};

use crate::config::Limits;
use crate::data::loaders::{self, LoaderDb};
use crate::data::pool::Pool;
use crate::error::Code;
use crate::metrics::Metrics;
use crate::schema::{self, AppSchema};
use persisted::{Lookup, PersistedQueries};
use shape::SchemaIndex;

/// How a request arrived, as far as the pipeline cares.
pub struct RequestContext<'a> {
    /// Named in errors on our side and in their log lines.
    pub request_id: &'a str,
    /// GET may run queries only.
    pub is_get: bool,
    /// When execution must stop (one deadline for a whole batch).
    pub deadline: Instant,
}

/// A request's answer, with what the HTTP layer and the log line need.
pub struct Outcome {
    pub response: Response,
    /// False when refused before execution: the answer has no `data` entry.
    pub executed: bool,
    /// The code a refusal before execution carries (the first error's).
    pub refused: Option<Code>,
    pub timed_out: bool,
    pub operation: Option<String>,
    pub statements: usize,
}

impl Outcome {
    /// The HTTP status: request errors are 4xx under
    /// `application/graphql-response+json`, while plain `application/json`
    /// gets 200 for every well-formed request (the GraphQL-over-HTTP spec),
    /// except what the transport refused and timeouts.
    pub fn status(&self, graphql_response_json: bool) -> u16 {
        match self.refused {
            _ if self.timed_out => Code::Timeout.status(),
            // Apollo's link turns persisted queries off for good on a 4xx.
            Some(Code::PersistedQueryNotFound) => 200,
            Some(code) if code.is_transport() || graphql_response_json => code.status(),
            _ => 200,
        }
    }
}

/// The schema and what every request is checked against; built once.
#[derive(Clone)]
pub struct GraphqlService {
    schema: AppSchema,
    index: Arc<SchemaIndex>,
    limits: Arc<Limits>,
    persisted: PersistedQueries,
    documents: documents::Documents,
    pool: Arc<Pool>,
    metrics: Arc<Metrics>,
}

/// A request that passed every check before validation.
struct Prepared {
    request: Request,
    plan: shape::Plan,
    operation: Option<Name>,
}

impl GraphqlService {
    pub fn new(schema: AppSchema, limits: Arc<Limits>, pool: Arc<Pool>, metrics: Arc<Metrics>) -> Self {
        GraphqlService {
            index: Arc::new(SchemaIndex::new(&schema::sdl(&schema))),
            schema,
            limits,
            persisted: PersistedQueries::default(),
            documents: documents::Documents::default(),
            pool,
            metrics,
        }
    }

    pub fn schema(&self) -> &AppSchema {
        &self.schema
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Runs one request through every step.
    pub async fn execute(&self, request: Request, context: &RequestContext<'_>) -> Outcome {
        let started = Instant::now();
        let request_text = request.query.clone();
        let db = LoaderDb::new(self.pool.clone(), self.metrics.clone());
        let mut operation = None;
        let (response, executed, timed_out) = match self.prepare(request, context).await {
            Err(error) => (Response::from_errors(vec![error]), false, false),
            Ok(prepared) => {
                operation = prepared.operation.as_ref().map(ToString::to_string);
                let time_left = context.deadline.saturating_duration_since(Instant::now());
                self.run(prepared, &db, time_left).await
            }
        };
        let mut outcome = Outcome {
            refused: (!executed)
                .then(|| response.errors.first().and_then(Code::of))
                .flatten(),
            response,
            executed,
            timed_out,
            operation,
            statements: db.db.statements(),
        };
        if !executed && !self.limits.introspection {
            let errors = std::mem::take(&mut outcome.response.errors);
            outcome.response.errors = errors
                .into_iter()
                .map(|e| messages::without_schema_names(e, &request_text))
                .collect();
        }
        self.finish(&mut outcome, context.request_id, started.elapsed());
        outcome
    }

    /// A request the HTTP layer refused (bad body, media type, size): answered,
    /// counted and logged like the rest.
    pub fn refuse(&self, code: Code, message: impl Into<String>, request_id: &str) -> Outcome {
        let mut outcome = Outcome {
            response: Response::from_errors(vec![code.error(message)]),
            executed: false,
            refused: Some(code),
            timed_out: code == Code::Timeout,
            operation: None,
            statements: 0,
        };
        self.finish(&mut outcome, request_id, Duration::ZERO);
        outcome
    }

    /// Step 1 and 2: persisted query, parse, limits, operation, variables,
    /// and the plan of the response.
    async fn prepare(&self, mut request: Request, context: &RequestContext<'_>) -> Result<Prepared, ServerError> {
        let mut document = match request.extensions.remove("persistedQuery") {
            Some(value) => match self.persisted.lookup(value, &request.query).await? {
                Lookup::Hit(document) => document,
                Lookup::Store(hash) => {
                    let document = Self::parse(&request.query)?;
                    self.persisted.store(hash, &document).await;
                    document
                }
            },
            None => self.documents.get_or_parse(&request.query, Self::parse).await?,
        };
        limits::check_document(&document, &self.limits)?;
        let (operation, definition) = pick_operation(&document, request.operation_name.as_deref())?;
        if context.is_get && definition.ty != OperationType::Query {
            return Err(Code::MethodNotAllowed.error("GET runs queries only: send mutations with POST"));
        }
        check_variables(definition, &request.variables)?;
        let operation = operation.cloned();
        let plan = shape::prepare(&mut document, operation.as_ref(), &request.variables, &self.index);
        request.set_parsed_query(document);
        Ok(Prepared {
            request,
            plan,
            operation,
        })
    }

    fn parse(query: &str) -> Result<ExecutableDocument, ServerError> {
        let depth = nesting::depth(query, nesting::MAX_NESTING);
        if depth > nesting::MAX_NESTING {
            return Err(Code::QueryTooDeep.error(format!(
                "the document nests brackets more than {} levels deep",
                nesting::MAX_NESTING
            )));
        }
        async_graphql::parser::parse_query(query).map_err(|e| messages::parse_error(query, e))
    }

    /// Step 3 and 4: validation and execution within the time left, then the
    /// shape. Returns the response, whether it executed, whether it timed out.
    async fn run(&self, prepared: Prepared, db: &LoaderDb, time_left: Duration) -> (Response, bool, bool) {
        let Prepared { request, plan, .. } = prepared;
        let (request, scheduler) = loaders::for_request(request, db);
        let execution = scheduler.run(self.schema.execute(request));
        let Ok(mut response) = tokio::time::timeout(time_left, execution).await else {
            let message = format!(
                "the request ran longer than {} ms and was stopped",
                self.limits.timeout.as_millis()
            );
            return (Response::from_errors(vec![Code::Timeout.error(message)]), true, true);
        };
        let validated = !(response.data == Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty()));
        if !validated {
            let errors = std::mem::take(&mut response.errors);
            response.errors = errors.into_iter().map(|e| self.code_rejection(e)).collect();
            return (response, false, false);
        }
        plan.apply(&mut response.data, &response.errors);
        (response, true, false)
    }

    /// The code of an error async-graphql raised in validation.
    fn code_rejection(&self, error: ServerError) -> ServerError {
        // async-graphql's wording for `limit_complexity`: the limit is checked
        // inside its validation (`check_rules`, not public), which gives the
        // error no other mark.
        if error.message == "Query is too complex." {
            return Code::QueryTooComplex.error(format!(
                "the query's complexity is over the limit of {}: ask for smaller pages or fewer nested lists",
                self.limits.max_complexity
            ));
        }
        Code::GraphqlValidationFailed.or_on(messages::with_date_format(error))
    }

    /// Codes on every error, our side's failures logged, the request counted.
    fn finish(&self, outcome: &mut Outcome, request_id: &str, elapsed: Duration) {
        for error in &mut outcome.response.errors {
            let from_database = error.source::<sea_orm::DbErr>().is_some();
            // Errors without a code come from async-graphql at execution:
            // input values it could not coerce.
            let code = Code::of(error).unwrap_or(if from_database {
                Code::InternalServerError
            } else {
                Code::BadUserInput
            });
            let extensions = error.extensions.get_or_insert_with(Default::default);
            extensions.set("code", code.as_str());
            if code.is_server_side() {
                extensions.set("requestId", request_id);
                let cause = error
                    .source::<sea_orm::DbErr>()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| error.message.clone());
                tracing::error!(request_id, code = code.as_str(), path = ?error.path, cause, "request failed");
            }
            self.metrics.count_error(code.as_str());
        }
        let outcome_label = match (outcome.timed_out, outcome.executed, outcome.response.errors.is_empty()) {
            (true, _, _) => "timeout",
            (false, false, _) if outcome.refused.is_some_and(Code::is_transport) => "rejected",
            (false, _, true) => "ok",
            _ => "error",
        };
        self.metrics
            .observe_request(outcome.operation.as_deref(), outcome_label, elapsed.as_secs_f64());
    }
}

/// The operation `name` picks from `document`, as async-graphql picks it.
fn pick_operation<'a>(
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
            return Err(Code::BadUserInput.error("the document has several operations: say which with `operationName`"));
        }
    };
    found.ok_or_else(|| {
        Code::BadUserInput.error(format!(
            "the document has no operation named \"{}\"",
            name.unwrap_or_default()
        ))
    })
}

/// A required variable (non-null, no default) must be sent: a request
/// error, not an execution error.
fn check_variables(operation: &OperationDefinition, variables: &Variables) -> Result<(), ServerError> {
    for definition in &operation.variable_definitions {
        let definition = &definition.node;
        let required = !definition.var_type.node.nullable && definition.default_value.is_none();
        let name = &definition.name.node;
        let value = variables.get(name);
        if required && value.is_none_or(|v| *v == Value::Null) {
            let what = if value.is_none() { "was not sent" } else { "is null" };
            return Err(Code::BadUserInput.error_at(
                format!(
                    "the variable ${name} of type {} is required, but its value {what}",
                    definition.var_type.node
                ),
                Some(definition.name.pos),
            ));
        }
    }
    Ok(())
}
