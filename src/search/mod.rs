//! Search: an in-memory index over every name and text (`index`), built at
//! start-up from the database, and the folding that makes scripts,
//! romanizations and cases meet (`fold`).

pub mod fold;
pub mod index;

pub use index::{Hit, Kind, Match, Origin, Rank, SearchIndex};
