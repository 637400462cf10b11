//! SeaORM entities for Kangzhan's tables, in the 2.0 format: relations are
//! fields on each `Model`, many-to-many ones go `via` their link table.

pub mod battle;
pub mod battle_force;
pub mod battle_place;
pub mod battle_side;
pub mod belligerent;
pub mod command;
pub mod commander;
pub mod dataset_state;
pub mod enums;
pub mod event;
pub mod event_commander;
pub mod event_force;
pub mod event_place;
pub mod force;
pub mod passage;
pub mod phase;
pub mod place;
pub mod record_name;

pub use enums::{DatePrecision, ForceKind, NameSubject, PassageSubject, PlaceKind, QuantityQualifier, SourceField};
