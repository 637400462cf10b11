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
    /// Another side the source counts in the same strength figure.
    pub strength_shared_with: Option<i32>,
    /// Another side the source counts in the same casualty figure.
    pub casualties_shared_with: Option<i32>,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(belongs_to, from = "battle_id", to = "id")]
    pub battle: BelongsTo<super::battle::Entity>,
    #[sea_orm(belongs_to, from = "belligerent_id", to = "id")]
    pub belligerent: BelongsTo<super::belligerent::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
