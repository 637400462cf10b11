//! The GraphQL object types, each wrapping an entity model; relations are
//! resolved through the loaders. Models are shared (`Arc`): a loader hands
//! the same rows to every resolver that asked, without copying them.

mod aggregate;
mod battle;
mod belligerent;
mod commander;
mod force;
mod knowledge;
mod phase;
mod place;
mod values;

pub use aggregate::{BattleAggregate, BattleGroup, BattleGrouping, QuantitySum, SideAggregate};
pub use battle::{Battle, BattleSide, Command};
pub use belligerent::Belligerent;
pub use commander::Commander;
pub use force::{Force, ForceKind};
pub use knowledge::{Name, Participation, Passage, SourceField};
pub use phase::Phase;
pub use place::{Event, GeoPoint, Place, PlaceKind};
pub use values::{DatePrecision, FuzzyDate, Quantity, QuantityQualifier};

use std::sync::Arc;

use async_graphql::{ID, Interface, Union};

/// `Type::from(row)`, for rows straight from a query or shared by a loader.
macro_rules! from_model {
    ($($ty:ident: $entity:ident),+) => {$(
        impl From<entity::$entity::Model> for $ty {
            fn from(model: entity::$entity::Model) -> Self {
                $ty(Arc::new(model))
            }
        }

        impl From<Arc<entity::$entity::Model>> for $ty {
            fn from(model: Arc<entity::$entity::Model>) -> Self {
                $ty(model)
            }
        }
    )+};
}

from_model!(
    Battle: battle,
    Commander: commander,
    Force: force,
    Phase: phase,
    Belligerent: belligerent,
    BattleSide: battle_side,
    Command: command,
    Place: place,
    Event: event
);

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
    Place(Place),
    Event(Event),
}

/// A battle, commander, force or place whose name matched a search, or an event whose words did.
#[derive(Union)]
pub enum SearchResult {
    Battle(Battle),
    Commander(Commander),
    Force(Force),
    Place(Place),
    Event(Event),
}
