//! Link: a force that an event's clause names.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_force")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub force_id: i32,
    /// Order of first mention in the clause, from 0.
    pub position: i32,
    #[sea_orm(belongs_to, from = "event_id", to = "id")]
    pub event: BelongsTo<super::event::Entity>,
    #[sea_orm(belongs_to, from = "force_id", to = "id")]
    pub force: BelongsTo<super::force::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
