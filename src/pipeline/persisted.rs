//! Automatic persisted queries (Apollo's APQ): a hash alone is looked up; a
//! hash with its text is checked and stored. What is stored is the parsed
//! document, so a hit is not parsed again.

use async_graphql::ServerError;
use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::parser::types::ExecutableDocument;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::Code;

/// Persisted queries one instance keeps. A miss only costs the client one
/// more round trip with the text, as the APQ protocol expects.
const CAPACITY: usize = 1024;

#[derive(Clone)]
pub struct PersistedQueries(LruCacheStorage);

impl Default for PersistedQueries {
    fn default() -> Self {
        PersistedQueries(LruCacheStorage::new(CAPACITY))
    }
}

/// What `extensions.persistedQuery` asks for.
pub enum Lookup {
    /// The stored document of this hash.
    Hit(ExecutableDocument),
    /// Store the document parsed from the text under this hash.
    Store(String),
}

impl PersistedQueries {
    /// Reads `extensions.persistedQuery`, when there is one, for `query`.
    pub async fn lookup(&self, value: async_graphql::Value, query: &str) -> Result<Lookup, ServerError> {
        #[derive(Deserialize)]
        struct PersistedQuery {
            version: i32,
            #[serde(rename = "sha256Hash")]
            sha256_hash: String,
        }
        let persisted: PersistedQuery = async_graphql::from_value(value)
            .map_err(|_| Code::BadUserInput.error("`extensions.persistedQuery` must be { version, sha256Hash }"))?;
        if persisted.version != 1 {
            return Err(Code::BadUserInput.error(format!(
                "persisted queries of version 1 only, not {}",
                persisted.version
            )));
        }
        if query.is_empty() {
            return match self.0.get(persisted.sha256_hash).await {
                Some(document) => Ok(Lookup::Hit(document)),
                // The message Apollo's client looks for.
                None => Err(Code::PersistedQueryNotFound.error("PersistedQueryNotFound")),
            };
        }
        let hash = format!("{:x}", Sha256::digest(query.as_bytes()));
        if hash != persisted.sha256_hash {
            return Err(
                Code::BadUserInput.error("`extensions.persistedQuery.sha256Hash` is not the SHA-256 of the query")
            );
        }
        Ok(Lookup::Store(hash))
    }

    pub async fn store(&self, hash: String, document: &ExecutableDocument) {
        self.0.set(hash, document.clone()).await;
    }
}
