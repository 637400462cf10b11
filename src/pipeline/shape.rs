//! Gives the response the shape the GraphQL spec prescribes, where
//! async-graphql 7.2 does not:
//!
//! - **Field order.** A response is an ordered map in selection order;
//!   async-graphql resolves a selection's fields concurrently and keeps them
//!   in the order they finish. Each object is reordered by the keys its
//!   selection gives *for its concrete type* (fragments on other types do not
//!   count), with `@skip`/`@include` applied.
//! - **Empty objects.** async-graphql answers `null` for an object whose
//!   selection comes out empty (`... on Force { name }` on a Battle); the
//!   spec's answer is `{}`.
//! - **Null propagation.** async-graphql drops the key of a field whose
//!   resolver failed; the spec nulls it, and a non-null field's error nulls
//!   its parent, up to `data: null`.
//!
//! The plan is made from the document before execution (so the document is
//! handed to async-graphql without a copy). Where an object's concrete type
//! matters (fragments on some of an abstract type's members) or its
//! selection could come out empty, a hidden `__typename` is added to the
//! selection before execution and taken out of the answer here. Plain
//! selections, the common case, get none. The maps hash with FNV: their
//! keys are short names and positions.

use fnv::{FnvHashMap as HashMap, FnvHashSet as HashSet};

use async_graphql::parser::types::{
    BaseType, Directive, DocumentOperations, ExecutableDocument, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Name, PathSegment, Pos, Positioned, ServerError, Value, Variables};

/// The response key of the hidden `__typename`.
const HIDDEN_TYPENAME: &str = "__kangzhanTypename";

/// What the plan needs of the schema: field types, and which object types
/// each interface and union stands for. Made once, from the SDL.
pub struct SchemaIndex {
    /// type -> field -> the field's type.
    fields: HashMap<Name, HashMap<Name, Type>>,
    members: HashMap<Name, HashSet<Name>>,
    objects: HashSet<Name>,
}

impl SchemaIndex {
    pub fn new(sdl: &str) -> Self {
        let mut index = SchemaIndex {
            fields: HashMap::default(),
            members: HashMap::default(),
            objects: HashSet::default(),
        };
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            return index;
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let name = definition.node.name.node;
            let fields = match definition.node.kind {
                TypeKind::Object(object) => {
                    index.objects.insert(name.clone());
                    for interface in object.implements {
                        index.members.entry(interface.node).or_default().insert(name.clone());
                    }
                    object.fields
                }
                TypeKind::Interface(interface) => interface.fields,
                TypeKind::Union(union) => {
                    let members = union.members.into_iter().map(|m| m.node).collect();
                    index.members.insert(name.clone(), members);
                    continue;
                }
                _ => continue,
            };
            let types = fields.into_iter().map(|f| (f.node.name.node, f.node.ty.node)).collect();
            index.fields.insert(name, types);
        }
        index
    }

    fn field_type(&self, parent: &Name, field: &Name) -> Option<&Type> {
        self.fields.get(parent.as_str())?.get(field.as_str())
    }

    /// Whether an object of `concrete` type matches the condition `on`.
    fn matches(&self, on: &Name, concrete: &Name) -> bool {
        on == concrete || self.members.get(on).is_some_and(|m| m.contains(concrete))
    }

    /// Whether every object in a position of `parent` type matches `on`.
    fn always(&self, on: &Name, parent: &Name) -> bool {
        on == parent || (self.objects.contains(parent) && self.matches(on, parent))
    }
}

/// The named type under the list wrappers.
fn named(ty: &Type) -> &Name {
    match &ty.base {
        BaseType::Named(name) => name,
        BaseType::List(inner) => named(inner),
    }
}

/// The order and types of one selection, per concrete type where it differs.
#[derive(Default)]
pub struct Plan {
    level: Level,
    by_type: Option<HashMap<Name, Level>>,
}

#[derive(Default)]
struct Level {
    keys: Vec<Key>,
}

struct Key {
    name: Name,
    field: Name,
    ty: Option<Type>,
    child: Option<Plan>,
}

impl Level {
    fn position(&self, key: &str) -> usize {
        self.keys.iter().position(|k| k.name == key).unwrap_or(usize::MAX)
    }

    fn get(&self, key: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == key)
    }
}

impl Plan {
    fn level_for(&self, object: &async_graphql::indexmap::IndexMap<Name, Value>) -> &Level {
        match (&self.by_type, object.get(HIDDEN_TYPENAME)) {
            (Some(levels), Some(Value::String(concrete))) => levels.get(concrete.as_str()).unwrap_or(&self.level),
            _ => &self.level,
        }
    }
}

/// A field's selection sets merged under one response key, while planning.
struct Collected<'a> {
    name: Name,
    field: Name,
    sets: Vec<&'a SelectionSet>,
    /// The positions of those fields, where a hidden `__typename` would go.
    owners: Vec<Pos>,
}

struct Planner<'a> {
    document: &'a ExecutableDocument,
    index: &'a SchemaIndex,
    variables: &'a Variables,
    /// Fields (by position) and the root that get the hidden `__typename`.
    inject: HashSet<Pos>,
}

impl<'a> Planner<'a> {
    /// Whether `@skip`/`@include` keep a selection. An `if` whose variable
    /// has no value here is taken as true: validation reports it.
    fn included(&self, directives: &[Positioned<Directive>]) -> bool {
        directives.iter().all(|directive| {
            let name = directive.node.name.node.as_str();
            let condition = || {
                let value = directive.node.get_argument("if")?.node.clone();
                match value.into_const_with(|var| self.variables.get(&var).cloned().ok_or(())) {
                    Ok(Value::Boolean(b)) => Some(b),
                    _ => None,
                }
            };
            match name {
                "skip" => condition() != Some(true),
                "include" => condition() != Some(false),
                _ => true,
            }
        })
    }

    /// The keys `sets` select for an object of `concrete` type in a position
    /// of `parent` type (`None`: not known, as inside introspection), in
    /// order; and whether some field is selected whatever the type.
    fn collect(
        &self,
        sets: &[&'a SelectionSet],
        parent: Option<&Name>,
        concrete: Option<&Name>,
    ) -> (Vec<Collected<'a>>, bool) {
        let mut out: Vec<Collected<'a>> = Vec::new();
        let mut unconditional = false;
        let mut seen = HashSet::default();
        for set in sets {
            self.collect_set(set, parent, concrete, true, &mut out, &mut unconditional, &mut seen);
        }
        (out, unconditional)
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_set(
        &self,
        set: &'a SelectionSet,
        parent: Option<&Name>,
        concrete: Option<&Name>,
        always: bool,
        out: &mut Vec<Collected<'a>>,
        unconditional: &mut bool,
        seen: &mut HashSet<&'a Name>,
    ) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(positioned) => {
                    let field = &positioned.node;
                    if !self.included(&field.directives) {
                        continue;
                    }
                    *unconditional |= always && field.directives.is_empty();
                    let key = field.response_key().node.clone();
                    match out.iter_mut().find(|c| c.name == key) {
                        Some(collected) => {
                            collected.sets.push(&field.selection_set.node);
                            collected.owners.push(positioned.pos);
                        }
                        None => out.push(Collected {
                            name: key,
                            field: field.name.node.clone(),
                            sets: vec![&field.selection_set.node],
                            owners: vec![positioned.pos],
                        }),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let on = fragment.type_condition.as_ref().map(|c| &c.node.on.node);
                    if let Some(always_here) = self.applies(on, parent, concrete, &fragment.directives) {
                        let set = &fragment.selection_set.node;
                        self.collect_set(set, parent, concrete, always && always_here, out, unconditional, seen);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    let Some(fragment) = self.document.fragments.get(name) else {
                        continue;
                    };
                    if !seen.insert(name) {
                        continue;
                    }
                    let on = Some(&fragment.node.type_condition.node.on.node);
                    if let Some(always_here) = self.applies(on, parent, concrete, &spread.node.directives) {
                        let set = &fragment.node.selection_set.node;
                        self.collect_set(set, parent, concrete, always && always_here, out, unconditional, seen);
                    }
                }
            }
        }
    }

    /// Whether a fragment on `on` applies: `None` if not, `Some(true)` if to
    /// every object in this position.
    fn applies(
        &self,
        on: Option<&Name>,
        parent: Option<&Name>,
        concrete: Option<&Name>,
        directives: &[Positioned<Directive>],
    ) -> Option<bool> {
        if !self.included(directives) {
            return None;
        }
        let unconditional = directives.is_empty();
        let (Some(on), Some(parent)) = (on, parent) else {
            return Some(unconditional);
        };
        if self.index.always(on, parent) {
            return Some(unconditional);
        }
        match concrete {
            Some(concrete) => self.index.matches(on, concrete).then_some(false),
            None => Some(false),
        }
    }

    /// The type conditions in `sets` (fragments, not inside fields) that
    /// hold for only some of `parent`'s members.
    fn conditions(&self, sets: &[&'a SelectionSet], parent: &Name) -> Vec<&'a Name> {
        fn walk<'a>(
            planner: &Planner<'a>,
            set: &'a SelectionSet,
            parent: &Name,
            seen: &mut HashSet<&'a Name>,
            out: &mut Vec<&'a Name>,
        ) {
            for selection in &set.items {
                let (on, inner) = match &selection.node {
                    Selection::Field(_) => continue,
                    Selection::InlineFragment(fragment) => (
                        fragment.node.type_condition.as_ref().map(|c| &c.node.on.node),
                        &fragment.node.selection_set.node,
                    ),
                    Selection::FragmentSpread(spread) => {
                        let name = &spread.node.fragment_name.node;
                        match planner.document.fragments.get(name) {
                            Some(fragment) if seen.insert(name) => (
                                Some(&fragment.node.type_condition.node.on.node),
                                &fragment.node.selection_set.node,
                            ),
                            _ => continue,
                        }
                    }
                };
                if let Some(on) = on.filter(|on| !planner.index.always(on, parent)) {
                    out.push(on);
                }
                walk(planner, inner, parent, seen, out);
            }
        }
        let (mut seen, mut out) = (HashSet::default(), Vec::new());
        for set in sets {
            walk(self, set, parent, &mut seen, &mut out);
        }
        out
    }

    /// The plan of the merged `sets` of one response position whose fields
    /// sit at `owners`, of static type `parent`.
    fn plan(&mut self, sets: &[&'a SelectionSet], owners: &[Pos], parent: Option<&Name>) -> Plan {
        let abstract_parent = parent.filter(|p| !self.index.objects.contains(*p));
        let conditions = abstract_parent
            .map(|parent| self.conditions(sets, parent))
            .unwrap_or_default();
        // A level of its own for each member some fragment picks out; the
        // other members share the level of "no fragment matches".
        let by_type = abstract_parent.filter(|_| !conditions.is_empty()).map(|parent| {
            let members: Vec<Name> = self.index.members.get(parent).into_iter().flatten().cloned().collect();
            members
                .into_iter()
                .filter(|member| conditions.iter().any(|on| self.index.matches(on, member)))
                .map(|member| {
                    let level = self.level(sets, Some(parent), Some(&member)).0;
                    (member, level)
                })
                .collect()
        });
        let no_member = Name::new("");
        let concrete = match &by_type {
            Some(_) => Some(&no_member),
            None => parent.filter(|p| self.index.objects.contains(*p)),
        };
        let (level, unconditional) = self.level(sets, parent, concrete);
        if by_type.is_some() || !unconditional {
            self.inject.extend(owners.iter().copied());
        }
        Plan { level, by_type }
    }

    fn level(&mut self, sets: &[&'a SelectionSet], parent: Option<&Name>, concrete: Option<&Name>) -> (Level, bool) {
        let (collected, unconditional) = self.collect(sets, parent, concrete);
        let type_name = concrete.filter(|c| self.index.objects.contains(*c)).or(parent);
        let keys = collected
            .into_iter()
            .map(|c| {
                let ty = type_name.and_then(|t| self.index.field_type(t, &c.field)).cloned();
                let has_children = c.sets.iter().any(|s| !s.items.is_empty());
                let child = has_children.then(|| self.plan(&c.sets, &c.owners, ty.as_ref().map(named)));
                Key {
                    name: c.name,
                    field: c.field,
                    ty,
                    child,
                }
            })
            .collect();
        (Level { keys }, unconditional)
    }
}

/// Plans the response of the operation whose selection is `root`, and adds
/// the hidden `__typename`s the plan needs to the document.
pub fn prepare(
    document: &mut ExecutableDocument,
    operation: Option<&Name>,
    variables: &Variables,
    index: &SchemaIndex,
) -> Plan {
    let (plan, inject, root_pos) = {
        let document: &ExecutableDocument = document;
        let Some(root) = operation_set(document, operation) else {
            return Plan::default();
        };
        let root_pos = root.pos;
        let mut planner = Planner {
            document,
            index,
            variables,
            inject: HashSet::default(),
        };
        let query = Name::new("Query");
        let plan = planner.plan(&[&root.node], &[root_pos], Some(&query));
        (plan, planner.inject, root_pos)
    };
    if !inject.is_empty() {
        if inject.contains(&root_pos)
            && let Some(root) = operation_set_mut(document, operation)
        {
            add_hidden(&mut root.node, root_pos);
        }
        match &mut document.operations {
            DocumentOperations::Single(operation) => inject_into(&mut operation.node.selection_set.node, &inject),
            DocumentOperations::Multiple(operations) => {
                for operation in operations.values_mut() {
                    inject_into(&mut operation.node.selection_set.node, &inject);
                }
            }
        }
        for fragment in document.fragments.values_mut() {
            inject_into(&mut fragment.node.selection_set.node, &inject);
        }
    }
    plan
}

fn operation_set<'a>(
    document: &'a ExecutableDocument,
    operation: Option<&Name>,
) -> Option<&'a Positioned<SelectionSet>> {
    document
        .operations
        .iter()
        .find(|(name, _)| name == &operation)
        .map(|(_, op)| &op.node.selection_set)
}

fn operation_set_mut<'a>(
    document: &'a mut ExecutableDocument,
    operation: Option<&Name>,
) -> Option<&'a mut Positioned<SelectionSet>> {
    match (&mut document.operations, operation) {
        (DocumentOperations::Single(op), None) => Some(&mut op.node.selection_set),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get_mut(name).map(|op| &mut op.node.selection_set),
        _ => None,
    }
}

fn inject_into(set: &mut SelectionSet, inject: &HashSet<Pos>) {
    for selection in &mut set.items {
        match &mut selection.node {
            Selection::Field(field) => {
                inject_into(&mut field.node.selection_set.node, inject);
                if inject.contains(&field.pos) {
                    let pos = field.pos;
                    add_hidden(&mut field.node.selection_set.node, pos);
                }
            }
            Selection::InlineFragment(fragment) => inject_into(&mut fragment.node.selection_set.node, inject),
            Selection::FragmentSpread(_) => {}
        }
    }
}

fn add_hidden(set: &mut SelectionSet, pos: Pos) {
    let field = async_graphql::parser::types::Field {
        alias: Some(Positioned::new(Name::new(HIDDEN_TYPENAME), pos)),
        name: Positioned::new(Name::new("__typename"), pos),
        arguments: Vec::new(),
        directives: Vec::new(),
        selection_set: Positioned::new(SelectionSet::default(), pos),
    };
    set.items
        .push(Positioned::new(Selection::Field(Positioned::new(field, pos)), pos));
}

impl Plan {
    /// Shapes `data` after execution: nulls what errors left out, as far up
    /// as non-null types require, then orders every object and takes the
    /// hidden `__typename`s out.
    pub fn apply(&self, data: &mut Value, errors: &[ServerError]) {
        for error in errors {
            if !error.path.is_empty() {
                self.propagate(data, &error.path);
            }
        }
        if *data == Value::Null {
            return;
        }
        self.reorder(data);
        self.schema_description(data);
    }

    /// `__schema { description }`: async-graphql 7.2 answers with the
    /// `__Schema` type's own description; this schema has none.
    fn schema_description(&self, data: &mut Value) {
        let Value::Object(root) = data else { return };
        for key in self.level.keys.iter().filter(|k| k.field == "__schema") {
            let (Some(Value::Object(schema)), Some(plan)) = (root.get_mut(key.name.as_str()), &key.child) else {
                continue;
            };
            for description in plan.level.keys.iter().filter(|k| k.field == "description") {
                if let Some(value) = schema.get_mut(description.name.as_str()) {
                    *value = Value::Null;
                }
            }
        }
    }

    /// Nulls the field at `path`, then each parent while the child is non-null.
    fn propagate(&self, data: &mut Value, path: &[PathSegment]) {
        // The type of each position on the path, where the plan knows it.
        let mut types: Vec<Option<Type>> = Vec::with_capacity(path.len());
        let mut plan = Some(self);
        let mut list_type: Option<Type> = None;
        let mut value: Option<&Value> = Some(data);
        for segment in path {
            match segment {
                PathSegment::Field(key) => {
                    let key_plan = match (plan, value) {
                        (Some(plan), Some(Value::Object(object))) => plan.level_for(object).get(key),
                        (Some(plan), _) => plan.level.get(key),
                        _ => None,
                    };
                    types.push(key_plan.and_then(|k| k.ty.clone()));
                    list_type = key_plan.and_then(|k| k.ty.clone());
                    plan = key_plan.and_then(|k| k.child.as_ref());
                    value = match value {
                        Some(Value::Object(object)) => object.get(key.as_str()),
                        _ => None,
                    };
                }
                PathSegment::Index(i) => {
                    let item = list_type.as_ref().and_then(|t| match &t.base {
                        BaseType::List(inner) => Some((**inner).clone()),
                        BaseType::Named(_) => None,
                    });
                    types.push(item.clone());
                    list_type = item;
                    value = match value {
                        Some(Value::List(items)) => items.get(*i),
                        _ => None,
                    };
                }
            }
        }
        let mut at = path.len();
        while at > 0 && types[at - 1].as_ref().is_some_and(|t| !t.nullable) {
            at -= 1;
        }
        if at == 0 {
            *data = Value::Null;
            return;
        }
        set_null(data, &path[..at]);
    }

    fn reorder(&self, value: &mut Value) {
        match value {
            Value::List(items) => items.iter_mut().for_each(|item| self.reorder(item)),
            Value::Object(object) => {
                let level = self.level_for(object);
                object.shift_remove(HIDDEN_TYPENAME);
                let in_order = object
                    .keys()
                    .map(|key| level.position(key))
                    .try_fold(None, |last, at| (last < Some(at)).then_some(Some(at)))
                    .is_some();
                if !in_order {
                    object.sort_by_cached_key(|key, _| level.position(key));
                }
                for (key, child) in object.iter_mut() {
                    if let Some(plan) = level.get(key).and_then(|k| k.child.as_ref())
                        && matches!(child, Value::Object(_) | Value::List(_))
                    {
                        plan.reorder(child);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Sets the value at `path` to null, adding the key if the resolver's
/// error left it out; nothing if a parent is already null.
fn set_null(data: &mut Value, path: &[PathSegment]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut value = data;
    for segment in parents {
        value = match (segment, value) {
            (PathSegment::Field(key), Value::Object(object)) => match object.get_mut(key.as_str()) {
                Some(child) => child,
                None => return,
            },
            (PathSegment::Index(i), Value::List(items)) => match items.get_mut(*i) {
                Some(child) => child,
                None => return,
            },
            _ => return,
        };
    }
    match (last, value) {
        (PathSegment::Field(key), Value::Object(object)) => {
            object.insert(Name::new(key), Value::Null);
        }
        (PathSegment::Index(i), Value::List(items)) => {
            if let Some(item) = items.get_mut(*i) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}
