//! `Belligerent`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};
use entity::belligerent;

use super::{Battle, Commander, Force};
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::{self, BattlesByBelligerent, CommandersByBelligerent, ForcesByBelligerent};

/// A party to the war: China, Japan, and the others the source names as fighting.
#[derive(Clone)]
pub struct Belligerent(pub Arc<belligerent::Model>);

/// A party to the war: China, Japan, and the others the source names as fighting.
#[Object]
impl Belligerent {
    /// The belligerent's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Belligerent, self.0.id)
    }

    /// e.g. "中国", "日本".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// e.g. "China", "Japan".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Its forces named in the source.
    #[graphql(complexity = "1 + crate::graphql::limits::LARGE_LIST * child_complexity")]
    async fn forces(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        let forces = loaders::load_list::<ForcesByBelligerent, _>(ctx, self.0.id).await?;
        Ok(forces.into_iter().map(Force).collect())
    }

    /// Its commanders named in the source.
    #[graphql(complexity = "1 + crate::graphql::limits::LARGE_LIST * child_complexity")]
    async fn commanders(&self, ctx: &Context<'_>) -> Result<Vec<Commander>> {
        let commanders = loaders::load_list::<CommandersByBelligerent, _>(ctx, self.0.id).await?;
        Ok(commanders.into_iter().map(Commander).collect())
    }

    /// The battles it fought in, by ordinal.
    #[graphql(complexity = "1 + crate::graphql::limits::LARGE_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        let battles = loaders::load_list::<BattlesByBelligerent, _>(ctx, self.0.id).await?;
        Ok(battles.into_iter().map(Battle).collect())
    }
}
