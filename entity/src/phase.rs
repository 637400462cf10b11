//! A stage of the war, as the source's headings group the battles.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phase")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(unique)]
    pub ordinal: i32,
    pub name: String,
    pub name_en: String,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(has_many)]
    pub battles: HasMany<super::battle::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
