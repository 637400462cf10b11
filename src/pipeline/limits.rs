//! Query limits, and an `extensions.code` on every request-level error.
//!
//! Before async-graphql looks at a document: its size with fragments
//! expanded, fragment cycles, depth (introspection subtrees excepted, so that
//! GraphiQL's and graphql-js's introspection queries pass), aliases, root
//! fields and directives. These run first because async-graphql's own
//! recursion check expands fragments without memory, which a "fragment
//! bomb" (each fragment spreading the next twice) turns into minutes of CPU.
//! After validation: complexity, which async-graphql computes from the
//! `complexity` attributes on list fields (see `types/`).

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, ServerResult};

use crate::config::Limits;
use crate::error::Code;

/// Complexity weight of a list of a battle's, commander's or force's
/// relations (a battle names a handful of forces and commanders).
pub const SMALL_LIST: usize = 5;
/// Complexity weight of a belligerent's or phase's lists (dozens of items).
pub const LARGE_LIST: usize = 50;
/// Complexity weight of an aggregate's groups: at most one per year of the
/// war (1931-1945), fewer by phase or belligerent.
pub const GROUPS: usize = 15;

/// The list fields of the introspection types. Their nesting multiplies the
/// answer (`possibleTypes { interfaces { possibleTypes ... } }` grows fivefold
/// a level) while the fields written stay few, so it is capped on its own:
/// the introspection query of GraphiQL and graphql-js nests three
/// (`types { fields { args } } }`).
const INTROSPECTION_LISTS: [&str; 7] = [
    "types",
    "fields",
    "args",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
];
const MAX_INTROSPECTION_LISTS: usize = 3;

/// Complexity of a paginated list: the page size times its items' cost.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .unwrap_or(crate::data::pagination::DEFAULT_PAGE_SIZE)
        .clamp(0, 100) as usize;
    1 + size.max(1) * child_complexity
}

/// Checks the limits that need only the document.
pub fn check_document(document: &ExecutableDocument, limits: &Limits) -> ServerResult<()> {
    let mut walker = Walker::new(document);

    let mut aliases = 0;
    let mut directives = 0;
    for (_, operation) in document.operations.iter() {
        directives += operation.node.directives.len();
        count_syntax(&operation.node.selection_set.node, &mut aliases, &mut directives);
    }
    for fragment in document.fragments.values() {
        directives += fragment.node.directives.len();
        count_syntax(&fragment.node.selection_set.node, &mut aliases, &mut directives);
    }
    if aliases > limits.max_aliases {
        return Err(Code::TooManyAliases.error(format!(
            "the query has {aliases} aliases, over the limit of {}",
            limits.max_aliases
        )));
    }
    if directives > limits.max_directives {
        return Err(Code::TooManyDirectives.error(format!(
            "the query has {directives} directives, over the limit of {}",
            limits.max_directives
        )));
    }

    for (_, operation) in document.operations.iter() {
        let set = &operation.node.selection_set.node;
        let measures = walker.measure(set)?;
        if measures.size > limits.max_fields {
            return Err(Code::QueryTooComplex.error(format!(
                "the query expands to {} fields, over the limit of {}",
                measures.size, limits.max_fields
            )));
        }
        let root_names = root_names(document, set);
        if !limits.introspection && root_names.iter().any(|name| *name == "__schema" || *name == "__type") {
            return Err(Code::IntrospectionDisabled.error(
                "introspection is turned off on this server, so GraphiQL and other tools cannot show \
                 its docs or complete fields; queries still run",
            ));
        }
        if measures.introspection_lists > MAX_INTROSPECTION_LISTS {
            return Err(Code::QueryTooComplex.error(format!(
                "the query nests {} introspection lists, over the limit of {MAX_INTROSPECTION_LISTS}",
                measures.introspection_lists
            )));
        }
        if root_names.len() > limits.max_root_fields {
            return Err(Code::TooManyRootFields.error(format!(
                "an operation has {} root fields, over the limit of {}",
                root_names.len(),
                limits.max_root_fields
            )));
        }
        if measures.depth > limits.max_depth {
            return Err(Code::QueryTooDeep.error(format!(
                "the query is nested {} levels deep, over the limit of {}",
                measures.depth, limits.max_depth
            )));
        }
    }
    Ok(())
}

/// Counts aliases and directives as written (fragments once each).
fn count_syntax(set: &SelectionSet, aliases: &mut usize, directives: &mut usize) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                *aliases += usize::from(field.node.alias.is_some());
                *directives += field.node.directives.len();
                count_syntax(&field.node.selection_set.node, aliases, directives);
            }
            Selection::InlineFragment(fragment) => {
                *directives += fragment.node.directives.len();
                count_syntax(&fragment.node.selection_set.node, aliases, directives);
            }
            Selection::FragmentSpread(spread) => *directives += spread.node.directives.len(),
        }
    }
}

/// What the document limits measure of a selection set, fragments expanded.
#[derive(Clone, Copy, Default)]
struct Measures {
    /// Fields selected (saturating: a fragment bomb's count is astronomical).
    size: usize,
    /// The deepest chain of fields. Introspection nests deep (`ofType`
    /// chains) but not wide, so its fields count one level: its lists are
    /// capped by `introspection_lists` instead.
    depth: usize,
    /// The most introspection list fields on one path.
    introspection_lists: usize,
}

impl Measures {
    /// The measures of two selections side by side.
    fn beside(self, other: Measures) -> Measures {
        Measures {
            size: self.size.saturating_add(other.size),
            depth: self.depth.max(other.depth),
            introspection_lists: self.introspection_lists.max(other.introspection_lists),
        }
    }
}

/// Walks selection sets through fragments, each fragment measured once (so
/// a fragment spread a thousand times costs one walk) and a fragment cycle
/// reported rather than followed.
struct Walker<'a> {
    document: &'a ExecutableDocument,
    memo: HashMap<&'a Name, Measures>,
    expanding: Vec<&'a Name>,
}

impl<'a> Walker<'a> {
    fn new(document: &'a ExecutableDocument) -> Self {
        Walker {
            document,
            memo: HashMap::new(),
            expanding: Vec::new(),
        }
    }

    fn measure(&mut self, set: &'a SelectionSet) -> ServerResult<Measures> {
        let mut total = Measures::default();
        for selection in &set.items {
            let measures = match &selection.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let inner = self.measure(&field.node.selection_set.node)?;
                    Measures {
                        size: inner.size.saturating_add(1),
                        depth: if name.starts_with("__") { 1 } else { 1 + inner.depth },
                        introspection_lists: inner.introspection_lists
                            + usize::from(INTROSPECTION_LISTS.contains(&name)),
                    }
                }
                Selection::InlineFragment(fragment) => self.measure(&fragment.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node)?,
            };
            total = total.beside(measures);
        }
        Ok(total)
    }

    /// The measures of the fragment `name`, computed once.
    fn fragment(&mut self, name: &'a Name) -> ServerResult<Measures> {
        if let Some(measures) = self.memo.get(name) {
            return Ok(*measures);
        }
        if self.expanding.contains(&name) {
            return Err(Code::GraphqlValidationFailed.error(format!("fragment {name} spreads itself")));
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Ok(Measures::default()); // validation reports unknown fragments
        };
        self.expanding.push(name);
        let measures = self.measure(&fragment.node.selection_set.node)?;
        self.expanding.pop();
        self.memo.insert(name, measures);
        Ok(measures)
    }
}

/// The names of the fields selected at the root, through fragments (each
/// fragment once). `__schema` and `__type` live only there.
fn root_names<'a>(document: &'a ExecutableDocument, set: &'a SelectionSet) -> Vec<&'a str> {
    fn walk<'a>(
        document: &'a ExecutableDocument,
        set: &'a SelectionSet,
        seen: &mut Vec<&'a Name>,
        names: &mut Vec<&'a str>,
    ) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => names.push(field.node.name.node.as_str()),
                Selection::InlineFragment(fragment) => walk(document, &fragment.node.selection_set.node, seen, names),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if !seen.contains(&name)
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        seen.push(name);
                        walk(document, &fragment.node.selection_set.node, seen, names);
                    }
                }
            }
        }
    }
    let mut names = Vec::new();
    walk(document, set, &mut Vec::new(), &mut names);
    names
}
