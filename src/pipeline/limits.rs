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
        let fields = walker.size(set)?;
        if fields > limits.max_fields {
            return Err(Code::QueryTooComplex.error(format!(
                "the query expands to {fields} fields, over the limit of {}",
                limits.max_fields
            )));
        }
        if !limits.introspection && walker.asks_for_introspection(set) {
            return Err(Code::IntrospectionDisabled.error(
                "introspection is turned off on this server, so GraphiQL and other tools cannot show \
                 its docs or complete fields; queries still run",
            ));
        }
        let lists = walker.introspection_lists(set)?;
        if lists > MAX_INTROSPECTION_LISTS {
            return Err(Code::QueryTooComplex.error(format!(
                "the query nests {lists} introspection lists, over the limit of {MAX_INTROSPECTION_LISTS}"
            )));
        }
        let root_fields = walker.root_fields(set)?;
        if root_fields > limits.max_root_fields {
            return Err(Code::TooManyRootFields.error(format!(
                "an operation has {root_fields} root fields, over the limit of {}",
                limits.max_root_fields
            )));
        }
        let depth = walker.depth(set)?;
        if depth > limits.max_depth {
            return Err(Code::QueryTooDeep.error(format!(
                "the query is nested {depth} levels deep, over the limit of {}",
                limits.max_depth
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

/// What a walk measures; each is memoised per fragment.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Measure {
    Depth,
    Size,
    RootFields,
    IntrospectionLists,
}

/// Walks selection sets through fragments, each fragment measured once per
/// measure (so a fragment spread a thousand times costs one walk) and a
/// fragment cycle reported rather than followed.
struct Walker<'a> {
    document: &'a ExecutableDocument,
    memo: HashMap<(Measure, Name), usize>,
    expanding: Vec<Name>,
}

impl<'a> Walker<'a> {
    fn new(document: &'a ExecutableDocument) -> Self {
        Walker {
            document,
            memo: HashMap::new(),
            expanding: Vec::new(),
        }
    }

    /// `measure` of the fragment `name`, computed once.
    fn fragment(
        &mut self,
        name: &Name,
        which: Measure,
        measure: fn(&mut Self, &'a SelectionSet) -> ServerResult<usize>,
    ) -> ServerResult<usize> {
        if let Some(value) = self.memo.get(&(which, name.clone())) {
            return Ok(*value);
        }
        if self.expanding.contains(name) {
            return Err(Code::GraphqlValidationFailed.error(format!("fragment {name} spreads itself")));
        }
        let document = self.document;
        let Some(fragment) = document.fragments.get(name) else {
            return Ok(0); // validation reports unknown fragments
        };
        self.expanding.push(name.clone());
        let value = measure(self, &fragment.node.selection_set.node)?;
        self.expanding.pop();
        self.memo.insert((which, name.clone()), value);
        Ok(value)
    }

    /// Fields selected, fragments expanded (saturating: a bomb's count is
    /// astronomical, but computed in one pass per fragment).
    fn size(&mut self, set: &'a SelectionSet) -> ServerResult<usize> {
        let mut total: usize = 0;
        for selection in &set.items {
            let size = match &selection.node {
                Selection::Field(field) => 1usize.saturating_add(self.size(&field.node.selection_set.node)?),
                Selection::InlineFragment(fragment) => self.size(&fragment.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, Measure::Size, Self::size)?
                }
            };
            total = total.saturating_add(size);
        }
        Ok(total)
    }

    /// The most introspection list fields on one path through the set.
    fn introspection_lists(&mut self, set: &'a SelectionSet) -> ServerResult<usize> {
        let mut most = 0;
        for selection in &set.items {
            let lists = match &selection.node {
                Selection::Field(field) => {
                    let own = usize::from(INTROSPECTION_LISTS.contains(&field.node.name.node.as_str()));
                    own + self.introspection_lists(&field.node.selection_set.node)?
                }
                Selection::InlineFragment(fragment) => self.introspection_lists(&fragment.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => self.fragment(
                    &spread.node.fragment_name.node,
                    Measure::IntrospectionLists,
                    Self::introspection_lists,
                )?,
            };
            most = most.max(lists);
        }
        Ok(most)
    }

    /// The deepest chain of fields below (and including) this set's fields.
    fn depth(&mut self, set: &'a SelectionSet) -> ServerResult<usize> {
        let mut deepest = 0;
        for selection in &set.items {
            let depth = match &selection.node {
                // Introspection nests deep (`ofType` chains) but not wide:
                // its lists are capped by `introspection_lists` instead.
                Selection::Field(field) if field.node.name.node.starts_with("__") => 1,
                Selection::Field(field) => 1 + self.depth(&field.node.selection_set.node)?,
                Selection::InlineFragment(fragment) => self.depth(&fragment.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, Measure::Depth, Self::depth)?
                }
            };
            deepest = deepest.max(depth);
        }
        Ok(deepest)
    }

    /// Fields selected at the root, fragments included.
    fn root_fields(&mut self, set: &'a SelectionSet) -> ServerResult<usize> {
        let mut count = 0;
        for selection in &set.items {
            count += match &selection.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(fragment) => self.root_fields(&fragment.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, Measure::RootFields, Self::root_fields)?
                }
            };
        }
        Ok(count)
    }

    /// Whether `__schema` or `__type` is selected at the root (where they
    /// live), through fragments too. `__typename` is not introspection.
    fn asks_for_introspection(&self, set: &SelectionSet) -> bool {
        let mut seen = Vec::new();
        self.root_names(set, &mut seen)
            .iter()
            .any(|name| *name == "__schema" || *name == "__type")
    }

    fn root_names<'b>(&'b self, set: &'b SelectionSet, seen: &mut Vec<&'b Name>) -> Vec<&'b str> {
        let mut names = Vec::new();
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => names.push(field.node.name.node.as_str()),
                Selection::InlineFragment(fragment) => {
                    names.extend(self.root_names(&fragment.node.selection_set.node, seen))
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if !seen.contains(&name)
                        && let Some(fragment) = self.document.fragments.get(name)
                    {
                        seen.push(name);
                        names.extend(self.root_names(&fragment.node.selection_set.node, seen));
                    }
                }
            }
        }
        names
    }
}
