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

/// Reorders `value` by the selection sets that selected it.
pub fn reorder(value: Value, selections: &[&SelectionSet], document: &ExecutableDocument) -> Value {
    match value {
        Value::List(items) => Value::List(items.into_iter().map(|v| reorder(v, selections, document)).collect()),
        Value::Object(mut map) => {
            let mut keys = Vec::new();
            for set in selections {
                collect_keys(set, document, &mut keys, &mut HashSet::new());
            }
            let mut ordered = async_graphql::indexmap::IndexMap::with_capacity(map.len());
            for key in keys {
                if let Some(child) = map.shift_remove(&key) {
                    let child_sets = sub_selections(&key, selections, document);
                    ordered.insert(key, reorder(child, &child_sets, document));
                }
            }
            // Anything the walk did not place keeps its place at the end.
            ordered.extend(map);
            Value::Object(ordered)
        }
        other => other,
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
