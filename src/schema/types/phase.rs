//! `Phase`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::phase;

use super::Battle;
use crate::data::loaders::{self, BattlesByPhase};
use crate::error::Result;
use crate::schema::ids::{NodeType, encode};

/// A stage of the war as the source groups the battles (抗战初期, 战略相持阶段, ...).
#[derive(Clone)]
pub struct Phase(pub Arc<phase::Model>);

/// A stage of the war as the source groups the battles (抗战初期, 战略相持阶段, ...).
#[Object]
impl Phase {
    /// The phase's global ID.
    pub async fn id(&self) -> ID {
        encode(NodeType::Phase, self.0.id)
    }

    /// Position in time, 1 for the earliest.
    async fn ordinal(&self) -> i32 {
        self.0.ordinal
    }

    /// The source's heading, e.g. "抗战初期".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// e.g. "Early Stage of the War".
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// Its battles, by ordinal.
    #[graphql(complexity = "1 + crate::pipeline::limits::LARGE_LIST * child_complexity")]
    async fn battles(&self, ctx: &Context<'_>) -> Result<Vec<Battle>> {
        loaders::load_many::<BattlesByPhase, _, _>(ctx, self.0.id).await
    }
}
