//! How deep a document's brackets nest, read from its text before it is
//! parsed. The parser, the validator and the conversion of argument values
//! into input types all recurse once per level: `nodes(ids: [[[[...` or
//! `filter: {not: {not: ...` a few hundred levels deep overflowed a
//! worker's stack and took the whole server down. Counting first keeps
//! every one of those recursions short.

/// Levels of `{`, `[` and `(` together. The depth limit already keeps
/// selections to 12 fields; GraphiQL's introspection query nests about 20.
pub const MAX_NESTING: usize = 64;

/// The deepest nesting of brackets in `query`, outside strings and
/// comments; stops counting past `limit`.
pub fn depth(query: &str, limit: usize) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    // `\"""` is an escaped delimiter inside a block string.
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    return deepest;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::depth;

    #[test]
    fn counts_brackets_outside_strings_and_comments() {
        assert_eq!(depth("{ a }", 64), 1);
        assert_eq!(depth("{ a(x: [1, [2]]) { b } }", 64), 4);
        assert_eq!(depth(r#"{ a(x: "{{{[[[") }"#, 64), 2);
        assert_eq!(depth(r#"{ a(x: "\"{{") }"#, 64), 2);
        assert_eq!(depth("{ a(x: \"\"\"{{{ \\\"\"\" [[[\"\"\") }", 64), 2);
        assert_eq!(depth("# {{{{\n{ a }", 64), 1);
        assert_eq!(depth(&"[".repeat(10_000), 64), 65, "stops counting past the limit");
        // Unbalanced text is the parser's to refuse; counting never panics.
        assert_eq!(depth("}}}{", 64), 1);
        assert_eq!(depth("\"\"\"", 64), 0);
        assert_eq!(depth("\"\\", 64), 0);
    }
}
