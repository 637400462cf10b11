//! A span of a battle's title, narrative or outcome that states a fact: that
//! a commander or a force was there, or a figure.

use crate::{PassageSubject, SourceField};
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub battle_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: PassageSubject,
    /// The commander (COMMAND), force (PARTICIPATION) or belligerent
    /// (STRENGTH, CASUALTIES) the passage is about, within the battle.
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub field: SourceField,
    /// Code-point offsets into the field, end exclusive.
    pub char_start: i32,
    pub char_end: i32,
    pub text: String,
    #[sea_orm(belongs_to, from = "battle_id", to = "id")]
    pub battle: BelongsTo<super::battle::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
