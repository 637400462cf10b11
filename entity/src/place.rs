//! A place a battle's title, narrative or outcome names, and where a
//! gazetteer puts it.

use crate::PlaceKind;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "place")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// As the source writes it.
    pub name: String,
    pub name_en: String,
    pub kind: PlaceKind,
    /// WGS 84 degrees; null where no gazetteer places it.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The point as a unit vector (x towards 0°E on the equator, z towards
    /// the north pole), so that a great-circle test is arithmetic that
    /// SQLite and PostgreSQL evaluate alike (see `schema::geo`).
    pub unit_x: Option<f64>,
    pub unit_y: Option<f64>,
    pub unit_z: Option<f64>,
    /// The 1°×1° cell of the point (`migration::places::geo_cell`): what
    /// `near` seeks by, an index range per band of latitude.
    pub cell: Option<i32>,
    /// The gazetteer and record, or how the point was derived.
    #[sea_orm(column_type = "Text", nullable)]
    pub location_source: Option<String>,
    pub uncertainty_km: Option<f64>,
    /// The identification is the dataset's judgement; `note` says why.
    pub editorial: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
