//! A party to the war: China, Japan, and the others the source names.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "belligerent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// Short code the dataset files use to refer to it ("CN", "JP").
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(has_many)]
    pub forces: HasMany<super::force::Entity>,
    #[sea_orm(has_many)]
    pub commanders: HasMany<super::commander::Entity>,
    #[sea_orm(has_many)]
    pub sides: HasMany<super::battle_side::Entity>,
    #[sea_orm(has_many, via = "battle_side")]
    pub battles: HasMany<super::battle::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
