//! One row: the fingerprint of the dataset the tables hold, so that a
//! server built with changed data files reloads them at start-up.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dataset_state")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub fingerprint: String,
}

impl ActiveModelBehavior for ActiveModel {}
