//! The GraphQL object types, each wrapping an entity model; relations are
//! resolved through the loaders.

mod battle;
mod belligerent;
mod commander;
mod force;
mod phase;
mod values;

pub use battle::{Battle, BattleSide, Command};
pub use belligerent::Belligerent;
pub use commander::Commander;
pub use force::{Force, ForceKind};
pub use phase::Phase;
pub use values::{DatePrecision, FuzzyDate, Quantity, QuantityQualifier};

use async_graphql::{ID, Interface, Union};

/// An object with a globally unique, opaque ID (Relay Global Object Identification).
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global ID, stable across restarts and databases."
))]
pub enum Node {
    Battle(Battle),
    Commander(Commander),
    Force(Force),
    Belligerent(Belligerent),
    Phase(Phase),
}

/// A battle, commander or force whose name matched a search.
#[derive(Union)]
pub enum SearchResult {
    Battle(Battle),
    Commander(Commander),
    Force(Force),
}
