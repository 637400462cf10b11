//! Puts response fields in the order the query asks for them.
//!
//! The GraphQL spec makes a response an *ordered* map, in the order fields
//! are selected. async-graphql 7 resolves a selection's fields concurrently
//! and keeps them in the order they finish, so a field that waits on a
//! DataLoader can come out after one selected below it. Once execution is
//! done, `executor` reorders each object by its selection set (fragments
//! expanded in place, first occurrence wins).

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// Reorders `value`, in place, by the selection sets that selected it.
pub fn reorder(value: &mut Value, selections: &[&SelectionSet], document: &ExecutableDocument) {
    reorder_with(value, selections, document, &mut None);
}

/// The order of one selection, worked out once and shared by every object
/// it selected (all the items of a list, all the lists of a level).
struct Plan<'a> {
    keys: Vec<Name>,
    /// Per key, once an object had a value there to reorder: the selection
    /// sets under it, and their plan.
    children: Vec<Option<(Vec<&'a SelectionSet>, Option<Plan<'a>>)>>,
}

impl<'a> Plan<'a> {
    fn new(selections: &[&'a SelectionSet], document: &'a ExecutableDocument) -> Self {
        let mut keys = Vec::new();
        for set in selections {
            collect_keys(set, document, &mut keys, &mut HashSet::new());
        }
        let children = keys.iter().map(|_| None).collect();
        Plan { keys, children }
    }
}

/// A key's place in the selection; keys the walk did not find go last.
fn position(keys: &[Name], key: &Name) -> usize {
    keys.iter().position(|k| k == key).unwrap_or(usize::MAX)
}

fn reorder_with<'a>(
    value: &mut Value,
    selections: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
    plan: &mut Option<Plan<'a>>,
) {
    match value {
        Value::List(items) => {
            for item in items {
                reorder_with(item, selections, document, plan);
            }
        }
        Value::Object(map) => {
            let Plan { keys, children } = plan.get_or_insert_with(|| Plan::new(selections, document));
            let in_order = map
                .keys()
                .map(|key| position(keys, key))
                .try_fold(None, |last, at| (last < Some(at)).then_some(Some(at)))
                .is_some();
            if !in_order {
                map.sort_by_cached_key(|key, _| position(keys, key));
            }
            for (key, child) in map.iter_mut() {
                if !matches!(child, Value::Object(_) | Value::List(_)) {
                    continue;
                }
                let Some(slot) = children.get_mut(position(keys, key)) else {
                    continue;
                };
                let (sets, child_plan) = slot.get_or_insert_with(|| (sub_selections(key, selections, document), None));
                reorder_with(child, sets, document, child_plan);
            }
        }
        _ => {}
    }
}

/// Response keys in selection order, fragments expanded where they stand.
fn collect_keys(
    set: &SelectionSet,
    document: &ExecutableDocument,
    keys: &mut Vec<Name>,
    seen_fragments: &mut HashSet<Name>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            Selection::InlineFragment(fragment) => {
                collect_keys(&fragment.node.selection_set.node, document, keys, seen_fragments)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if seen_fragments.insert(name.clone())
                    && let Some(fragment) = document.fragments.get(name)
                {
                    collect_keys(&fragment.node.selection_set.node, document, keys, seen_fragments);
                }
            }
        }
    }
}

/// The selection sets of every field selected under `key`, merged.
fn sub_selections<'a>(
    key: &Name,
    selections: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
) -> Vec<&'a SelectionSet> {
    fn walk<'a>(
        key: &Name,
        set: &'a SelectionSet,
        document: &'a ExecutableDocument,
        out: &mut Vec<&'a SelectionSet>,
        seen: &mut HashSet<Name>,
    ) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) if field.node.response_key().node == *key => {
                    out.push(&field.node.selection_set.node)
                }
                Selection::Field(_) => {}
                Selection::InlineFragment(fragment) => {
                    walk(key, &fragment.node.selection_set.node, document, out, seen)
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name.clone())
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        walk(key, &fragment.node.selection_set.node, document, out, seen);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for set in selections {
        walk(key, set, document, &mut out, &mut HashSet::new());
    }
    out
}
