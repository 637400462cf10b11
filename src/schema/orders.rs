//! The orderings of the three lists, as sort keys.
//!
//! Every key ends in a unique column (ordinal or ID), so ties break the same
//! way on SQLite and PostgreSQL. Names sort by `lower(name_en)` compared
//! byte by byte (`COLLATE "C"` on PostgreSQL, SQLite's default), which is
//! what SQLite does and what PostgreSQL would not do under the database's
//! own collation; the dataset's English names are ASCII apart from dashes,
//! which `lower` leaves alone on both.

use async_graphql::Enum;
use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, SimpleExpr};

use crate::data::pagination::{KeyKind, KeyPart, SortKey};

/// How a list of battles is ordered.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum BattleOrder {
    /// Position in the source list, 1..30.
    #[default]
    OrdinalAsc,
    /// Position in the source list, 30..1.
    OrdinalDesc,
    /// By start.earliest, then ordinal.
    StartAsc,
    /// By start.earliest, latest first, then ordinal descending.
    StartDesc,
    /// By end.latest, then ordinal.
    EndAsc,
    /// By end.latest, latest first, then ordinal descending.
    EndDesc,
    /// Longest first: end.latest - start.earliest in days, then ordinal.
    DurationDesc,
    /// Most casualties first: the sum of every side's stated casualties value; battles with none stated last, then ordinal.
    CasualtiesDesc,
}

/// How a list of commanders is ordered; null keeps the dataset's order (by ID).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum CommanderOrder {
    /// By English name, in any case, then ID.
    NameEnAsc,
    /// Most battles first, then NAME_EN_ASC.
    BattlesDesc,
}

/// How a list of forces is ordered; null keeps the dataset's order (by ID).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ForceOrder {
    /// By English name, in any case, then ID.
    NameEnAsc,
    /// By echelon, in ForceKind's order (war zones first, OTHER last), then NAME_EN_ASC.
    KindAsc,
    /// Most battles first, then NAME_EN_ASC.
    BattlesDesc,
}

fn column(table: &str, column: &str) -> SimpleExpr {
    Expr::cust(format!("\"{table}\".\"{column}\""))
}

/// `lower(name_en)`, compared byte by byte on both databases.
fn english_name(table: &str, backend: DbBackend) -> KeyPart {
    let collate = if backend == DbBackend::Postgres {
        " COLLATE \"C\""
    } else {
        ""
    };
    KeyPart::asc(
        Expr::cust(format!("lower(\"{table}\".\"name_en\"){collate}")),
        KeyKind::Text,
    )
}

fn id(table: &str) -> KeyPart {
    KeyPart::asc(column(table, "id"), KeyKind::Int)
}

/// The number of battles a commander or force is named in, through `link`.
fn battles(table: &str, link: &str, link_column: &str) -> KeyPart {
    KeyPart::desc(
        Expr::cust(format!(
            "(SELECT COUNT(*) FROM \"{link}\" AS counted WHERE counted.\"{link_column}\" = \"{table}\".\"id\")"
        )),
        KeyKind::Int,
    )
}

impl BattleOrder {
    pub fn key(self, backend: DbBackend) -> SortKey {
        let ordinal = || column("battle", "ordinal");
        let (start, end) = (|| column("battle", "start_earliest"), || column("battle", "end_latest"));
        use KeyKind::{Date, Int};
        let parts = match self {
            BattleOrder::OrdinalAsc => vec![KeyPart::asc(ordinal(), Int)],
            BattleOrder::OrdinalDesc => vec![KeyPart::desc(ordinal(), Int)],
            BattleOrder::StartAsc => vec![KeyPart::asc(start(), Date), KeyPart::asc(ordinal(), Int)],
            BattleOrder::StartDesc => vec![KeyPart::desc(start(), Date), KeyPart::desc(ordinal(), Int)],
            BattleOrder::EndAsc => vec![KeyPart::asc(end(), Date), KeyPart::asc(ordinal(), Int)],
            BattleOrder::EndDesc => vec![KeyPart::desc(end(), Date), KeyPart::desc(ordinal(), Int)],
            BattleOrder::DurationDesc => {
                let days = match backend {
                    DbBackend::Postgres => "(\"battle\".\"end_latest\" - \"battle\".\"start_earliest\")",
                    _ => {
                        "CAST(julianday(\"battle\".\"end_latest\") - julianday(\"battle\".\"start_earliest\") AS INTEGER)"
                    }
                };
                vec![KeyPart::desc(Expr::cust(days), Int), KeyPart::asc(ordinal(), Int)]
            }
            BattleOrder::CasualtiesDesc => {
                // -1 for "none stated": both databases then put those last
                // (they disagree on where NULL sorts).
                let casualties = "COALESCE((SELECT SUM(stated.\"casualties_value\") FROM \"battle_side\" AS stated \
                                  WHERE stated.\"battle_id\" = \"battle\".\"id\"), -1)";
                vec![KeyPart::desc(Expr::cust(casualties), Int), KeyPart::asc(ordinal(), Int)]
            }
        };
        let name = match self {
            BattleOrder::OrdinalAsc => "ORDINAL_ASC",
            BattleOrder::OrdinalDesc => "ORDINAL_DESC",
            BattleOrder::StartAsc => "START_ASC",
            BattleOrder::StartDesc => "START_DESC",
            BattleOrder::EndAsc => "END_ASC",
            BattleOrder::EndDesc => "END_DESC",
            BattleOrder::DurationDesc => "DURATION_DESC",
            BattleOrder::CasualtiesDesc => "CASUALTIES_DESC",
        };
        SortKey { name, parts }
    }
}

/// The key of `commanders`: by ID unless an order is given.
pub fn commander_key(order: Option<CommanderOrder>, backend: DbBackend) -> SortKey {
    let table = "commander";
    match order {
        None => SortKey {
            name: "ID",
            parts: vec![id(table)],
        },
        Some(CommanderOrder::NameEnAsc) => SortKey {
            name: "NAME_EN_ASC",
            parts: vec![english_name(table, backend), id(table)],
        },
        Some(CommanderOrder::BattlesDesc) => SortKey {
            name: "BATTLES_DESC",
            parts: vec![
                battles(table, "command", "commander_id"),
                english_name(table, backend),
                id(table),
            ],
        },
    }
}

/// The key of `forces`: by ID unless an order is given.
pub fn force_key(order: Option<ForceOrder>, backend: DbBackend) -> SortKey {
    let table = "force";
    match order {
        None => SortKey {
            name: "ID",
            parts: vec![id(table)],
        },
        Some(ForceOrder::NameEnAsc) => SortKey {
            name: "NAME_EN_ASC",
            parts: vec![english_name(table, backend), id(table)],
        },
        Some(ForceOrder::KindAsc) => {
            // The stored kinds are strings; rank them in ForceKind's order.
            use sea_orm::Iterable;
            let ranks: String = entity::ForceKind::iter()
                .enumerate()
                .map(|(rank, kind)| {
                    use sea_orm::ActiveEnum;
                    format!(" WHEN '{}' THEN {rank}", kind.to_value())
                })
                .collect();
            SortKey {
                name: "KIND_ASC",
                parts: vec![
                    KeyPart::asc(
                        Expr::cust(format!("(CASE \"force\".\"kind\"{ranks} END)")),
                        KeyKind::Int,
                    ),
                    english_name(table, backend),
                    id(table),
                ],
            }
        }
        Some(ForceOrder::BattlesDesc) => SortKey {
            name: "BATTLES_DESC",
            parts: vec![
                battles(table, "battle_force", "force_id"),
                english_name(table, backend),
                id(table),
            ],
        },
    }
}

/// The key of `places`: by ID, the dataset's order (first named first).
pub fn place_key() -> SortKey {
    SortKey {
        name: "ID",
        parts: vec![id("place")],
    }
}

/// The key of `events`: by date (earliest, then latest), then battle
/// ordinal (a battle's ID is its ordinal), then place in the narrative.
pub fn event_key() -> SortKey {
    let part = |name: &str, kind| KeyPart::asc(column("event", name), kind);
    SortKey {
        name: "DATE",
        parts: vec![
            part("date_earliest", KeyKind::Date),
            part("date_latest", KeyKind::Date),
            part("battle_id", KeyKind::Int),
            part("position", KeyKind::Int),
        ],
    }
}
