//! Link: a belligerent fighting in a battle, with its strength and losses.

use crate::QuantityQualifier;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "battle_side")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub battle_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub belligerent_id: i32,
    pub strength_value: Option<i32>,
    pub strength_qualifier: Option<QuantityQualifier>,
    pub strength_text: Option<String>,
    pub casualties_value: Option<i32>,
    pub casualties_qualifier: Option<QuantityQualifier>,
    pub casualties_text: Option<String>,
    #[sea_orm(belongs_to, from = "battle_id", to = "id")]
    pub battle: BelongsTo<super::battle::Entity>,
    #[sea_orm(belongs_to, from = "belligerent_id", to = "id")]
    pub belligerent: BelongsTo<super::belligerent::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
