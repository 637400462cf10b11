//! The document limits that run before async-graphql sees a document
//! (`kangzhan::pipeline::limits::check_document`): fragment expansion, cycles,
//! depth, aliases, root fields, directives, introspection. Any UTF-8 text
//! that parses is checked with the default limits, and again with
//! introspection off; neither may panic (with `-a`, an integer overflow
//! panics too) or run long, and a refusal must carry one of our codes.

#![no_main]

use std::sync::LazyLock;

use kangzhan::config::{Config, Limits};
use kangzhan::error::Code;
use kangzhan::pipeline::limits::check_document;
use libfuzzer_sys::fuzz_target;

/// The served defaults (flags and environment as `kangzhan serve` reads them).
static DEFAULT: LazyLock<Limits> = LazyLock::new(|| Config::from_env().limits);
static NO_INTROSPECTION: LazyLock<Limits> = LazyLock::new(|| Limits {
    introspection: false,
    ..DEFAULT.clone()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(document) = async_graphql::parser::parse_query(text) else {
        return;
    };
    for limits in [&*DEFAULT, &*NO_INTROSPECTION] {
        if let Err(error) = check_document(&document, limits) {
            assert!(!error.message.is_empty(), "a refusal without a message for {text:?}");
            assert!(
                Code::of(&error).is_some(),
                "a refusal without our extensions.code for {text:?}: {error:?}"
            );
        }
    }
});
