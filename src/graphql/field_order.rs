//! Puts response fields in the order the query asks for them.
//!
//! The GraphQL spec makes a response an *ordered* map, in the order fields
//! are selected. async-graphql 7 resolves a selection's fields concurrently
//! and keeps them in the order they finish, so a field that waits on a
//! DataLoader can come out after one selected below it. This extension keeps
//! the parsed document and, once execution is done, reorders each object by
//! its selection set (fragments expanded in place, first occurrence wins).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Response, ServerResult, Value, Variables};

pub struct FieldOrder;

impl ExtensionFactory for FieldOrder {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FieldOrderExtension::default())
    }
}

#[derive(Default)]
struct FieldOrderExtension {
    document: Mutex<Option<ExecutableDocument>>,
}

#[async_trait::async_trait]
impl Extension for FieldOrderExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        *self.document.lock().unwrap_or_else(|e| e.into_inner()) = Some(document.clone());
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let document = self.document.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(document) = document {
            let operation = match &document.operations {
                DocumentOperations::Single(op) => Some(op),
                DocumentOperations::Multiple(ops) => operation_name.and_then(|name| ops.get(name)),
            };
            if let Some(operation) = operation {
                let data = std::mem::take(&mut response.data);
                response.data = reorder(data, &[&operation.node.selection_set.node], &document);
            }
        }
        response
    }
}

/// Reorders `value` by the selection sets that selected it.
fn reorder(value: Value, selections: &[&SelectionSet], document: &ExecutableDocument) -> Value {
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
