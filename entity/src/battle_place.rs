//! Link: a battle whose title, narrative or outcome names a place.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "battle_place")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub battle_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub place_id: i32,
    #[sea_orm(belongs_to, from = "battle_id", to = "id")]
    pub battle: BelongsTo<super::battle::Entity>,
    #[sea_orm(belongs_to, from = "place_id", to = "id")]
    pub place: BelongsTo<super::place::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
