//! The statements behind every list: a page, its `totalCount`, the rows its
//! aggregates add up, for a root list or for a relation of many parents.
//!
//! A relation's page is read for every parent of a level in one statement,
//! `ROW_NUMBER() OVER (PARTITION BY parent ORDER BY key)`, on SQLite and
//! PostgreSQL alike; its count in one `GROUP BY parent`. The loaders below
//! gather the parents: the key of a batch is the relation, filter, ordering
//! and page asked for, so one field of a query is one statement however
//! many parents it sits under.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, SimpleExpr, WindowStatement,
};
use sea_orm::{Condition, ConnectionTrait, DbErr, FromQueryResult, QueryResult};

use super::loaders::LoaderDb;
use super::pagination::{KeyValue, PageRequest, SortKey, key_alias};
use super::pool::RequestDb;
use crate::error::Error;

/// How a relation's rows point at their parent.
pub enum Parent {
    /// A column of the row itself, e.g. `battle.phase_id`.
    Column(&'static str),
    /// A link table: `target` points at the row, `parent` at the parent.
    Link {
        table: &'static str,
        target: &'static str,
        parent: &'static str,
    },
}

/// A list field on an object type, e.g. `Commander.battlesConnection`.
pub struct Relation {
    pub parent_type: &'static str,
    pub field: &'static str,
    /// The table listed.
    pub target: &'static str,
    pub parent: Parent,
}

/// The alias of the link table in every statement.
const LINK: &str = "link";
const PARENT_KEY: &str = "parent_key";

impl Relation {
    /// The column that names a row's parent.
    fn parent_column(&self) -> (Alias, Alias) {
        match self.parent {
            Parent::Column(column) => (Alias::new(self.target), Alias::new(column)),
            Parent::Link { parent, .. } => (Alias::new(LINK), Alias::new(parent)),
        }
    }

    fn parent_expr(&self) -> SimpleExpr {
        Expr::col(self.parent_column())
    }
}

macro_rules! relations {
    ($($name:ident: $parent_type:literal . $field:literal -> $target:literal via $parent:expr;)+) => {$(
        pub const $name: Relation = Relation {
            parent_type: $parent_type,
            field: $field,
            target: $target,
            parent: $parent,
        };
    )+};
}

const fn link(table: &'static str, target: &'static str, parent: &'static str) -> Parent {
    Parent::Link { table, target, parent }
}

relations! {
    BATTLE_COMMANDERS: "Battle"."commandersConnection" -> "commander" via link("command", "commander_id", "battle_id");
    BATTLE_FORCES: "Battle"."forcesConnection" -> "force" via link("battle_force", "force_id", "battle_id");
    COMMANDER_BATTLES: "Commander"."battlesConnection" -> "battle" via link("command", "battle_id", "commander_id");
    FORCE_BATTLES: "Force"."battlesConnection" -> "battle" via link("battle_force", "battle_id", "force_id");
    FORCE_SUBORDINATES: "Force"."subordinatesConnection" -> "force" via Parent::Column("parent_id");
    PHASE_BATTLES: "Phase"."battlesConnection" -> "battle" via Parent::Column("phase_id");
    BELLIGERENT_BATTLES: "Belligerent"."battlesConnection" -> "battle" via link("battle_side", "battle_id", "belligerent_id");
    BELLIGERENT_FORCES: "Belligerent"."forcesConnection" -> "force" via Parent::Column("belligerent_id");
    BELLIGERENT_COMMANDERS: "Belligerent"."commandersConnection" -> "commander" via Parent::Column("belligerent_id");
}

/// What a list holds before paging: the rows of a table, or of a relation,
/// that its filter matches.
pub struct Matched {
    pub target: &'static str,
    pub relation: Option<&'static Relation>,
    pub condition: Condition,
    /// Equal for equal lists: what batches are keyed by.
    fingerprint: String,
}

impl Matched {
    pub fn root(target: &'static str, condition: Condition) -> Arc<Self> {
        let fingerprint = format!("{target}|{condition:?}");
        Arc::new(Matched {
            target,
            relation: None,
            condition,
            fingerprint,
        })
    }

    pub fn nested(relation: &'static Relation, condition: Condition) -> Arc<Self> {
        let fingerprint = format!("{}.{}|{condition:?}", relation.parent_type, relation.field);
        Arc::new(Matched {
            target: relation.target,
            relation: Some(relation),
            condition,
            fingerprint,
        })
    }

    /// `FROM target [JOIN link] WHERE [parent IN parents AND] filter`.
    pub fn select(&self, parents: &[i32]) -> SelectStatement {
        let mut select = Query::select();
        select.from(Alias::new(self.target));
        if let Some(relation) = self.relation {
            if let Parent::Link { table, target, .. } = relation.parent {
                select.join_as(
                    JoinType::InnerJoin,
                    Alias::new(table),
                    Alias::new(LINK),
                    Expr::col((Alias::new(LINK), Alias::new(target)))
                        .equals((Alias::new(self.target), Alias::new("id"))),
                );
            }
            select
                .expr_as(relation.parent_expr(), Alias::new(PARENT_KEY))
                .and_where(relation.parent_expr().is_in(parents.iter().copied()));
        }
        select.cond_where(self.condition.clone());
        select
    }
}

/// The parent a row of a relation was read for (0 for a root list).
pub fn parent_of(row: &QueryResult) -> i32 {
    row.try_get("", PARENT_KEY).unwrap_or(0)
}

/// An integer column, whichever width the database gave it: PostgreSQL's
/// `int4` and `int8` are different types, SQLite's integers are all one.
pub fn read_int(row: &QueryResult, column: &str) -> Result<i64, DbErr> {
    row.try_get::<i64>("", column)
        .or_else(|_| row.try_get::<i32>("", column).map(i64::from))
}

/// A page's rows with their sort keys, in the order read.
pub type Rows<M> = Vec<(Vec<KeyValue>, Arc<M>)>;

/// The statement for one page of a list: a root list pages with `LIMIT`; a
/// relation numbers each parent's rows and keeps the first `size + 1`.
fn page_statement(
    matched: &Matched,
    parents: &[i32],
    key: &SortKey,
    request: &PageRequest,
    cursor: Condition,
) -> SelectStatement {
    let mut select = matched.select(parents);
    select.column((Alias::new(matched.target), Asterisk));
    for (i, part) in key.parts.iter().enumerate() {
        select.expr_as(part.expr.clone(), Alias::new(key_alias(i)));
    }
    select.cond_where(cursor);
    let limit = request.size + 1;
    let Some(relation) = matched.relation else {
        for (expr, order) in key.order_terms(request.backward) {
            select.order_by_expr(expr, order);
        }
        select.limit(limit);
        return select;
    };
    let mut window = WindowStatement::partition_by(relation.parent_column());
    for (expr, order) in key.order_terms(request.backward) {
        window.order_by_expr(expr, order);
    }
    select.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new("page_row"));
    let mut outer = Query::select();
    outer
        .column(Asterisk)
        .from_subquery(select, Alias::new("page"))
        .and_where(Expr::col((Alias::new("page"), Alias::new("page_row"))).lte(limit))
        .order_by((Alias::new("page"), Alias::new(PARENT_KEY)), Order::Asc)
        .order_by((Alias::new("page"), Alias::new("page_row")), Order::Asc);
    outer
}

async fn run(db: &RequestDb, select: &SelectStatement) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(db.get_database_backend().build(select)).await
}

/// Reads one page of a root list.
pub async fn root_page<M: FromQueryResult>(
    db: &RequestDb,
    matched: &Matched,
    key: &SortKey,
    request: &PageRequest,
    cursor: Condition,
) -> Result<Rows<M>, Error> {
    let rows = run(db, &page_statement(matched, &[], key, request, cursor)).await?;
    rows.iter()
        .map(|row| Ok((key.read(row)?, Arc::new(M::from_query_result(row, "")?))))
        .collect::<Result<_, DbErr>>()
        .map_err(Error::from)
}

/// How many rows a list matches; for a relation, per parent.
pub async fn counts(db: &RequestDb, matched: &Matched, parents: &[i32]) -> Result<HashMap<i32, i64>, Error> {
    let mut select = matched.select(parents);
    select.expr_as(Expr::cust("COUNT(*)"), Alias::new("matched"));
    if let Some(relation) = matched.relation {
        select.add_group_by([relation.parent_expr()]);
    }
    let rows = run(db, &select).await?;
    let mut counts = HashMap::new();
    for row in rows {
        counts.insert(parent_of(&row), read_int(&row, "matched")?);
    }
    Ok(counts)
}

/// A batch key: a question about a list (`Q`) for one parent. Keys with
/// equal questions are answered by one statement.
pub struct ForParent<Q> {
    pub question: Arc<Q>,
    pub parent: i32,
}

impl<Q> Clone for ForParent<Q> {
    fn clone(&self) -> Self {
        ForParent {
            question: Arc::clone(&self.question),
            parent: self.parent,
        }
    }
}

/// What makes two questions the same.
pub trait Question {
    fn fingerprint(&self) -> &str;
}

impl Question for Matched {
    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

impl<Q: Question> PartialEq for ForParent<Q> {
    fn eq(&self, other: &Self) -> bool {
        self.parent == other.parent && self.question.fingerprint() == other.question.fingerprint()
    }
}

impl<Q: Question> Eq for ForParent<Q> {}

impl<Q: Question> Hash for ForParent<Q> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parent.hash(state);
        self.question.fingerprint().hash(state);
    }
}

/// Splits a batch into its questions, each with its parents.
pub fn by_question<Q: Question>(keys: &[ForParent<Q>]) -> Vec<(Arc<Q>, Vec<i32>)> {
    let mut groups: Vec<(Arc<Q>, Vec<i32>)> = Vec::new();
    for key in keys {
        match groups
            .iter_mut()
            .find(|(question, _)| question.fingerprint() == key.question.fingerprint())
        {
            Some((_, parents)) => parents.push(key.parent),
            None => groups.push((key.question.clone(), vec![key.parent])),
        }
    }
    groups
}

/// Gives each parent of a question its answer from `found`, or `empty()`
/// when the statement had no row for it.
pub fn answer_each<Q, V>(
    answers: &mut HashMap<ForParent<Q>, V>,
    question: &Arc<Q>,
    parents: Vec<i32>,
    mut found: HashMap<i32, V>,
    empty: impl Fn() -> V,
) where
    Q: Question,
{
    for parent in parents {
        let answer = found.remove(&parent).unwrap_or_else(&empty);
        let key = ForParent {
            question: question.clone(),
            parent,
        };
        answers.insert(key, answer);
    }
}

/// A page of a relation, asked for many parents.
pub struct NestedPage {
    pub matched: Arc<Matched>,
    pub key: SortKey,
    pub request: PageRequest,
    pub cursor: Condition,
    fingerprint: String,
}

impl NestedPage {
    pub fn new(matched: Arc<Matched>, key: SortKey, request: PageRequest, cursor: Condition) -> Arc<Self> {
        let fingerprint = format!(
            "{}|{}|{}|{}|{cursor:?}",
            matched.fingerprint, key.name, request.size, request.backward
        );
        Arc::new(NestedPage {
            matched,
            key,
            request,
            cursor,
            fingerprint,
        })
    }
}

impl Question for NestedPage {
    fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// Loads relation pages of rows `M`: one statement per question.
pub struct NestedPages<M>(pub LoaderDb, PhantomData<fn() -> M>);

impl<M> NestedPages<M> {
    pub fn new(db: LoaderDb) -> Self {
        NestedPages(db, PhantomData)
    }
}

impl<M> Loader<ForParent<NestedPage>> for NestedPages<M>
where
    M: FromQueryResult + Send + Sync + 'static,
{
    type Value = Arc<Rows<M>>;
    type Error = Error;

    async fn load(&self, keys: &[ForParent<NestedPage>]) -> Result<HashMap<ForParent<NestedPage>, Self::Value>, Error> {
        let mut pages = HashMap::new();
        for (question, parents) in by_question(keys) {
            let q = &question;
            let statement = page_statement(&q.matched, &parents, &q.key, &q.request, q.cursor.clone());
            let db = self.0.record::<Self>(parents.len());
            let mut rows: HashMap<i32, Rows<M>> = HashMap::new();
            for row in run(db, &statement).await? {
                let entry = (q.key.read(&row)?, Arc::new(M::from_query_result(&row, "")?));
                rows.entry(parent_of(&row)).or_default().push(entry);
            }
            let rows = rows
                .into_iter()
                .map(|(parent, page)| (parent, Arc::new(page)))
                .collect();
            answer_each(&mut pages, &question, parents, rows, Default::default);
        }
        Ok(pages)
    }
}

/// Loads relation counts: one statement per question.
pub struct NestedCounts(pub LoaderDb);

impl Loader<ForParent<Matched>> for NestedCounts {
    type Value = i64;
    type Error = Error;

    async fn load(&self, keys: &[ForParent<Matched>]) -> Result<HashMap<ForParent<Matched>, i64>, Error> {
        let mut answers = HashMap::new();
        for (question, parents) in by_question(keys) {
            let counts = counts(self.0.record::<Self>(parents.len()), &question, &parents).await?;
            answer_each(&mut answers, &question, parents, counts, || 0);
        }
        Ok(answers)
    }
}
