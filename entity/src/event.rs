//! A dated step of a battle's narrative: the clause, verbatim, and its date
//! with the year and month the text before it gives.

use crate::DatePrecision;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub battle_id: i32,
    /// Order in the battle's narrative, from 0.
    pub position: i32,
    pub date_text: String,
    pub date_earliest: Date,
    pub date_latest: Date,
    pub date_precision: DatePrecision,
    /// The clause: code-point offsets into the narrative, end exclusive.
    pub char_start: i32,
    pub char_end: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(belongs_to, from = "battle_id", to = "id")]
    pub battle: BelongsTo<super::battle::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
