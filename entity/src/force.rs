//! A unit (war zone, army, division, ...) of one belligerent.

use crate::ForceKind;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "force")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub belligerent_id: i32,
    pub parent_id: Option<i32>,
    /// Full form of the name: "第74军", not "74军". Unique per belligerent.
    pub name: String,
    pub name_en: String,
    pub kind: ForceKind,
    /// The dataset adds this on its own judgement; the source does not state it.
    pub editorial: bool,
    /// The dataset's remark: why it is editorial, or what a reader should know.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(belongs_to, from = "belligerent_id", to = "id")]
    pub belligerent: BelongsTo<super::belligerent::Entity>,
    #[sea_orm(
        self_ref,
        relation_enum = "Parent",
        relation_reverse = "Subordinates",
        from = "parent_id",
        to = "id"
    )]
    pub parent: BelongsTo<Option<Entity>>,
    #[sea_orm(self_ref, relation_enum = "Subordinates", relation_reverse = "Parent")]
    pub subordinates: HasMany<Entity>,
    #[sea_orm(has_many)]
    pub commands: HasMany<super::command::Entity>,
    #[sea_orm(has_many, via = "battle_force")]
    pub battles: HasMany<super::battle::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
