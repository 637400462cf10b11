//! A commander named in the source, on one belligerent's side.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commander")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub belligerent_id: i32,
    /// As the source writes it. Unique per belligerent.
    pub name: String,
    pub name_en: String,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(belongs_to, from = "belligerent_id", to = "id")]
    pub belligerent: BelongsTo<super::belligerent::Entity>,
    #[sea_orm(has_many)]
    pub commands: HasMany<super::command::Entity>,
    #[sea_orm(has_many, via = "command")]
    pub battles: HasMany<super::battle::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
