//! `Force` and `ForceKind`.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use entity::force;

use super::{Battle, Belligerent};
use crate::data::loaders::{self, BattlesByForce, BelligerentById, ForceById, SubordinatesByForce};
use crate::error::Result;
use crate::schema::ids::{NodeType, encode};

/// A unit of one belligerent: a war zone, army, division, brigade, ...
#[derive(Clone)]
pub struct Force(pub Arc<force::Model>);

/// A unit of one belligerent: a war zone, army, division, brigade, ...
#[Object]
impl Force {
    /// The force's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Force, self.0.id)
    }

    /// As the source writes it, normalised to the full form, e.g. "第74军", "第5师团".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// e.g. "74th Army", "5th Division".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Its echelon.
    async fn kind(&self) -> ForceKind {
        self.0.kind.into()
    }

    /// The side it fought on.
    async fn belligerent(&self, ctx: &Context<'_>) -> Result<Belligerent> {
        loaders::load_required::<BelligerentById, _>(ctx, self.0.belligerent_id).await
    }

    /// The force it belongs to, where the source says so (第57师 -> 第74军).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Force>> {
        loaders::load_optional::<ForceById, _>(ctx, self.0.parent_id).await
    }

    /// The forces that belong to it, where the source says so.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn subordinates(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        loaders::load_many::<SubordinatesByForce, _, _>(ctx, self.0.id).await
    }

    /// Every battle it took part in, by start date.
    #[graphql(complexity = "1 + crate::pipeline::limits::SMALL_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByForce, _, _>(ctx, self.0.id).await
    }
}

/// The echelon of a force.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "entity::ForceKind")]
pub enum ForceKind {
    /// 战区
    WarZone,
    /// 方面军
    AreaArmy,
    /// 集团军 / 兵团
    ArmyGroup,
    /// 军 (Chinese corps-sized army; Japanese 军 such as 第11军)
    Army,
    /// 师 / 师团
    Division,
    /// 旅 / 旅团 / 混成旅团
    Brigade,
    /// 团 / 联队
    Regiment,
    /// 支队 / 挺进纵队 / 大刀队
    Detachment,
    /// 海军, 舰队, 海军陆战队
    Naval,
    /// 空军
    Air,
    /// Anything else.
    Other,
}
