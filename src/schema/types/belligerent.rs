//! `Belligerent`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::belligerent;

use super::{Battle, Commander, Force};
use crate::data::loaders::{self, BattlesByBelligerent, CommandersByBelligerent, ForcesByBelligerent};
use crate::error::Result;
use crate::schema::ids::{NodeType, encode};

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
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn forces(&self, ctx: &Context<'_>) -> Result<Vec<Force>> {
        loaders::load_many::<ForcesByBelligerent, _, _>(ctx, self.0.id).await
    }

    /// Its commanders named in the source.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn commanders(&self, ctx: &Context<'_>) -> Result<Vec<Commander>> {
        loaders::load_many::<CommandersByBelligerent, _, _>(ctx, self.0.id).await
    }

    /// The battles it fought in, by ordinal.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByBelligerent, _, _>(ctx, self.0.id).await
    }
}
