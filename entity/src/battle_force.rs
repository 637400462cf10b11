//! Link: a force that took part in a battle.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "battle_force")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub battle_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub force_id: i32,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(belongs_to, from = "battle_id", to = "id")]
    pub battle: BelongsTo<super::battle::Entity>,
    #[sea_orm(belongs_to, from = "force_id", to = "id")]
    pub force: BelongsTo<super::force::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
