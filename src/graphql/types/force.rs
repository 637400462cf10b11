//! `Force` and `ForceKind`.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::force;

use super::{Battle, Belligerent};
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::{self, BattlesByForce, BelligerentById, ForceById, SubordinatesByForce};

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
        Ok(Belligerent(
            loaders::load_required::<BelligerentById>(ctx, self.0.belligerent_id).await?,
        ))
    }

    /// The force it belongs to, where the source says so (第57师 -> 第74军).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Force>> {
        match self.0.parent_id {
            Some(id) => Ok(Some(Force(loaders::load_required::<ForceById>(ctx, id).await?))),
            None => Ok(None),
        }
    }

    /// The forces that belong to it, where the source says so.
    #[graphql(complexity = "1 + crate::graphql::limits::SMALL_LIST * child_complexity")]
    async fn subordinates(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        let forces = loaders::load_list::<SubordinatesByForce, _>(ctx, self.0.id).await?;
        Ok(forces.into_iter().map(Force).collect())
    }

    /// Every battle it took part in, by start date.
    #[graphql(complexity = "1 + crate::graphql::limits::SMALL_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        let battles = loaders::load_list::<BattlesByForce, _>(ctx, self.0.id).await?;
        Ok(battles.into_iter().map(Battle).collect())
    }
}

/// The echelon of a force.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
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

impl From<entity::ForceKind> for ForceKind {
    fn from(kind: entity::ForceKind) -> Self {
        use entity::ForceKind as K;
        match kind {
            K::WarZone => ForceKind::WarZone,
            K::AreaArmy => ForceKind::AreaArmy,
            K::ArmyGroup => ForceKind::ArmyGroup,
            K::Army => ForceKind::Army,
            K::Division => ForceKind::Division,
            K::Brigade => ForceKind::Brigade,
            K::Regiment => ForceKind::Regiment,
            K::Detachment => ForceKind::Detachment,
            K::Naval => ForceKind::Naval,
            K::Air => ForceKind::Air,
            K::Other => ForceKind::Other,
        }
    }
}

impl From<ForceKind> for entity::ForceKind {
    fn from(kind: ForceKind) -> Self {
        use entity::ForceKind as K;
        match kind {
            ForceKind::WarZone => K::WarZone,
            ForceKind::AreaArmy => K::AreaArmy,
            ForceKind::ArmyGroup => K::ArmyGroup,
            ForceKind::Army => K::Army,
            ForceKind::Division => K::Division,
            ForceKind::Brigade => K::Brigade,
            ForceKind::Regiment => K::Regiment,
            ForceKind::Detachment => K::Detachment,
            ForceKind::Naval => K::Naval,
            ForceKind::Air => K::Air,
            ForceKind::Other => K::Other,
        }
    }
}
