//! The schema as a contract: `schema.graphql` is what the code prints, it
//! offers everything `api-contract.graphql` promises, and every type and
//! field is described.

use std::collections::HashMap;

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    FieldDefinition, InputValueDefinition, TypeDefinition, TypeKind, TypeSystemDefinition,
};

const CONTRACT: &str = include_str!("../contract/api-contract.graphql");
const CHECKED_IN: &str = include_str!("../../schema.graphql");

/// The contract's extensions (`../shared/contract/*.graphql`) implemented so
/// far: the schema must offer the core contract plus each of these.
pub const EXTENSIONS: &[(&str, &str)] = &[
    ("query-power.graphql", include_str!("../contract/query-power.graphql")),
    ("knowledge.graphql", include_str!("../contract/knowledge.graphql")),
    (
        "places-events.graphql",
        include_str!("../contract/places-events.graphql"),
    ),
];

/// The types of one or more SDL documents; `extend` definitions add their
/// fields, input fields and values to the type they extend.
fn types_of(sdls: &[&str]) -> HashMap<String, TypeDefinition> {
    let mut types: HashMap<String, TypeDefinition> = HashMap::new();
    let mut extensions = Vec::new();
    for sdl in sdls {
        for definition in parse_schema(sdl).expect("the SDL parses").definitions {
            if let TypeSystemDefinition::Type(t) = definition {
                if t.node.extend {
                    extensions.push(t.node);
                } else {
                    types.insert(t.node.name.node.to_string(), t.node);
                }
            }
        }
    }
    for extension in extensions {
        let name = extension.name.node.to_string();
        let base = types
            .get_mut(&name)
            .unwrap_or_else(|| panic!("extend of unknown type {name}"));
        match (&mut base.kind, extension.kind) {
            (TypeKind::Object(base), TypeKind::Object(more)) => base.fields.extend(more.fields),
            (TypeKind::InputObject(base), TypeKind::InputObject(more)) => base.fields.extend(more.fields),
            (TypeKind::Enum(base), TypeKind::Enum(more)) => base.values.extend(more.values),
            (TypeKind::Union(base), TypeKind::Union(more)) => base.members.extend(more.members),
            _ => panic!("extend {name} of another kind"),
        }
    }
    types
}

fn types(sdl: &str) -> HashMap<String, TypeDefinition> {
    types_of(&[sdl])
}

/// The core contract with every implemented extension.
fn contract() -> HashMap<String, TypeDefinition> {
    let sdls: Vec<&str> = std::iter::once(CONTRACT)
        .chain(EXTENSIONS.iter().map(|(_, sdl)| *sdl))
        .collect();
    types_of(&sdls)
}

fn fields_of(t: &TypeDefinition) -> Vec<&FieldDefinition> {
    match &t.kind {
        TypeKind::Object(o) => o.fields.iter().map(|f| &f.node).collect(),
        TypeKind::Interface(i) => i.fields.iter().map(|f| &f.node).collect(),
        _ => Vec::new(),
    }
}

fn inputs_of(t: &TypeDefinition) -> Vec<&InputValueDefinition> {
    match &t.kind {
        TypeKind::InputObject(i) => i.fields.iter().map(|f| &f.node).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn checked_in_schema_is_current() {
    let printed = kangzhan::schema::sdl(&kangzhan::schema::build(
        &kangzhan::config::Config::for_database("").limits,
        Default::default(),
    ));
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"), &printed).expect("write schema.graphql");
        return;
    }
    assert!(
        printed == CHECKED_IN,
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql` (or UPDATE_SCHEMA=1 cargo test schema) and commit it"
    );
}

#[test]
fn schema_offers_everything_the_contract_promises() {
    let contract = contract();
    let ours = types(CHECKED_IN);
    let mut problems = Vec::new();
    for (name, promised) in &contract {
        let Some(offered) = ours.get(name) else {
            problems.push(format!("type {name} is missing"));
            continue;
        };
        match (&promised.kind, &offered.kind) {
            (TypeKind::Scalar, TypeKind::Scalar) => {}
            (TypeKind::Object(_), TypeKind::Object(_)) | (TypeKind::Interface(_), TypeKind::Interface(_)) => {
                let interfaces = |t: &TypeDefinition| match &t.kind {
                    TypeKind::Object(o) => o.implements.iter().map(|i| i.node.to_string()).collect::<Vec<_>>(),
                    TypeKind::Interface(i) => i.implements.iter().map(|i| i.node.to_string()).collect(),
                    _ => Vec::new(),
                };
                for interface in interfaces(promised) {
                    if !interfaces(offered).contains(&interface) {
                        problems.push(format!("{name} does not implement {interface}"));
                    }
                }
                let offered_fields = fields_of(offered);
                for field in fields_of(promised) {
                    let Some(ours) = offered_fields.iter().find(|f| f.name.node == field.name.node) else {
                        problems.push(format!("{name}.{} is missing", field.name.node));
                        continue;
                    };
                    if ours.ty.node.to_string() != field.ty.node.to_string() {
                        problems.push(format!(
                            "{name}.{}: {} instead of {}",
                            field.name.node, ours.ty.node, field.ty.node
                        ));
                    }
                    for argument in &field.arguments {
                        let argument = &argument.node;
                        match ours.arguments.iter().find(|a| a.node.name.node == argument.name.node) {
                            None => {
                                problems.push(format!("{name}.{}({}) is missing", field.name.node, argument.name.node))
                            }
                            Some(a) => {
                                if a.node.ty.node.to_string() != argument.ty.node.to_string() {
                                    problems.push(format!(
                                        "{name}.{}({}) has another type",
                                        field.name.node, argument.name.node
                                    ));
                                }
                                let default =
                                    |v: &InputValueDefinition| v.default_value.as_ref().map(|d| d.node.to_string());
                                if default(&a.node) != default(argument) {
                                    problems.push(format!(
                                        "{name}.{}({}) has another default",
                                        field.name.node, argument.name.node
                                    ));
                                }
                            }
                        }
                    }
                    // An argument the contract does not know must be optional.
                    for extra in &ours.arguments {
                        let known = field.arguments.iter().any(|a| a.node.name.node == extra.node.name.node);
                        if !known && !extra.node.ty.node.nullable && extra.node.default_value.is_none() {
                            problems.push(format!(
                                "{name}.{}({}) is a new required argument",
                                field.name.node, extra.node.name.node
                            ));
                        }
                    }
                }
            }
            (TypeKind::InputObject(_), TypeKind::InputObject(_)) => {
                let offered_inputs = inputs_of(offered);
                for field in inputs_of(promised) {
                    match offered_inputs.iter().find(|f| f.name.node == field.name.node) {
                        None => problems.push(format!("{name}.{} is missing", field.name.node)),
                        Some(f) if f.ty.node.to_string() != field.ty.node.to_string() => {
                            problems.push(format!("{name}.{} has another type", field.name.node))
                        }
                        Some(_) => {}
                    }
                }
                for extra in offered_inputs {
                    let known = inputs_of(promised).iter().any(|f| f.name.node == extra.name.node);
                    if !known && !extra.ty.node.nullable {
                        problems.push(format!("{name}.{} is a new required input field", extra.name.node));
                    }
                }
            }
            (TypeKind::Enum(promised_enum), TypeKind::Enum(offered_enum)) => {
                for value in &promised_enum.values {
                    if !offered_enum
                        .values
                        .iter()
                        .any(|v| v.node.value.node == value.node.value.node)
                    {
                        problems.push(format!("{name}.{} is missing", value.node.value.node));
                    }
                }
            }
            (TypeKind::Union(promised_union), TypeKind::Union(offered_union)) => {
                let members = |u: &async_graphql::parser::types::UnionType| {
                    let mut m: Vec<String> = u.members.iter().map(|m| m.node.to_string()).collect();
                    m.sort();
                    m
                };
                if members(promised_union) != members(offered_union) {
                    problems.push(format!("union {name} has other members"));
                }
            }
            _ => problems.push(format!("{name} is another kind of type")),
        }
    }
    assert!(
        problems.is_empty(),
        "schema.graphql breaks the contract:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_type_and_field_is_described() {
    let mut undescribed = Vec::new();
    for (name, t) in types(CHECKED_IN) {
        if t.description.is_none() {
            undescribed.push(name.clone());
        }
        for field in fields_of(&t) {
            if field.description.is_none() {
                undescribed.push(format!("{name}.{}", field.name.node));
            }
            for argument in &field.arguments {
                if argument.node.description.is_none() && name == "Query" {
                    undescribed.push(format!("{name}.{}({})", field.name.node, argument.node.name.node));
                }
            }
        }
        for input in inputs_of(&t) {
            if input.description.is_none() {
                undescribed.push(format!("{name}.{}", input.name.node));
            }
        }
    }
    undescribed.sort();
    assert!(undescribed.is_empty(), "no description: {undescribed:?}");
}

#[test]
fn contract_copy_matches_the_shared_contract() {
    // The repo carries a copy so that it tests on its own; where the shared
    // original is beside it (developers, CI), the two must agree.
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/api-contract.graphql");
    if let Ok(original) = std::fs::read_to_string(shared) {
        assert_eq!(
            original, CONTRACT,
            "tests/contract/api-contract.graphql differs from {shared}"
        );
    }
    for (file, copy) in EXTENSIONS {
        let shared = format!("{}/../shared/contract/{file}", env!("CARGO_MANIFEST_DIR"));
        if let Ok(original) = std::fs::read_to_string(&shared) {
            assert_eq!(&original, copy, "tests/contract/{file} differs from {shared}");
        }
    }
}

#[test]
fn the_contract_check_sees_the_extensions() {
    // The merge is what makes the check cover the extensions: a field only
    // an extension promises must be among the promised ones.
    let contract = contract();
    let commander = &contract["Commander"];
    assert!(fields_of(commander).iter().any(|f| f.name.node == "battlesConnection"));
    assert!(contract.contains_key("BattleAggregate"));
    let TypeKind::Enum(order) = &contract["BattleOrder"].kind else {
        panic!("BattleOrder is an enum")
    };
    assert!(order.values.iter().any(|v| v.node.value.node == "CASUALTIES_DESC"));
}
