//! One of the source's 30 battles, with its dates and paragraphs.

use crate::DatePrecision;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "battle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// Position in the source list, 1..30.
    #[sea_orm(unique)]
    pub ordinal: i32,
    pub name: String,
    pub name_en: String,
    pub phase_id: i32,
    pub start_text: String,
    pub start_earliest: Date,
    pub start_latest: Date,
    pub start_precision: DatePrecision,
    pub end_text: String,
    pub end_earliest: Date,
    pub end_latest: Date,
    pub end_precision: DatePrecision,
    #[sea_orm(column_type = "Text")]
    pub narrative: String,
    #[sea_orm(column_type = "Text")]
    pub outcome: String,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(belongs_to, from = "phase_id", to = "id")]
    pub phase: BelongsTo<super::phase::Entity>,
    #[sea_orm(has_many)]
    pub sides: HasMany<super::battle_side::Entity>,
    #[sea_orm(has_many)]
    pub commands: HasMany<super::command::Entity>,
    #[sea_orm(has_many, via = "battle_side")]
    pub belligerents: HasMany<super::belligerent::Entity>,
    #[sea_orm(has_many, via = "battle_force")]
    pub forces: HasMany<super::force::Entity>,
    #[sea_orm(has_many, via = "command")]
    pub commanders: HasMany<super::commander::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
