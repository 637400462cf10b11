//! A name of a record in one language or script (BCP 47 tag), with where
//! the form comes from: the source, a converter, or the literature.

use crate::NameSubject;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "record_name")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: NameSubject,
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject_id: i32,
    /// Order among the record's names: zh-Hans first, then en, then the rest.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub lang: String,
    pub text: String,
    pub preferred: bool,
    /// `source` for the source's own words, else the converter or reference.
    pub origin: String,
    pub editorial: bool,
    pub note: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
