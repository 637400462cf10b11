//! Parsed documents by their text. Clients send the same few queries over
//! and over, and parsing is a quarter of a small query's work (callgrind:
//! `bench/instructions.sh`), so short texts are parsed once per instance;
//! like GraphQL Yoga's parser cache. A document is cloned out per request:
//! the pipeline adds hidden fields to its copy.

use async_graphql::ServerError;
use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::parser::types::ExecutableDocument;

/// Documents kept; with texts of at most `MAX_TEXT` bytes, a few MiB.
const CAPACITY: usize = 256;
/// Longer texts are parsed every time: they are rare, and would make the
/// cache large.
const MAX_TEXT: usize = 2048;

#[derive(Clone)]
pub struct Documents(LruCacheStorage);

impl Default for Documents {
    fn default() -> Self {
        Documents(LruCacheStorage::new(CAPACITY))
    }
}

impl Documents {
    /// The document of `query`, parsed by `parse` unless it is kept here.
    pub async fn get_or_parse(
        &self,
        query: &str,
        parse: impl FnOnce(&str) -> Result<ExecutableDocument, ServerError>,
    ) -> Result<ExecutableDocument, ServerError> {
        if query.len() > MAX_TEXT {
            return parse(query);
        }
        if let Some(document) = self.0.get(query.to_owned()).await {
            return Ok(document);
        }
        let document = parse(query)?;
        self.0.set(query.to_owned(), document.clone()).await;
        Ok(document)
    }
}
