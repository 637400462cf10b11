//! Folding text for search: the same for names, texts and queries, so that
//! a match is found whatever script or spelling the reader uses. Han
//! characters fold to simplified (OpenCC's table, `fold-han.tsv`); Latin
//! letters lose case and diacritics (Hsüeh -> hsueh, Ō -> o); spaces,
//! hyphens, apostrophes, middle dots and invisible characters go ("T'ang
//! En-po" = "tangenpo", 一·二八 = 一二八); a full stop stays, so that 1.5万
//! is not 15万. Each folded character remembers the character of the
//! original it came from, so a match maps back to offsets in the original.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const HAN_TABLE: &str = include_str!("../../migration/data/fold-han.tsv");

static HAN: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    HAN_TABLE
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut chars = line.split('\t').map(|part| part.chars().next());
            Some((chars.next()??, chars.next()??))
        })
        .collect()
});

/// Characters that separate parts of a name without being part of it.
fn is_ignored(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '‐' | '‑' | '–' | '—' | '\'' | '’' | '‘' | 'ʻ' | 'ʼ' | '`' | '·' | '・' | '･'
                // Invisible: zero-width space and joiners, soft hyphen, BOM.
                | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{FEFF}'
        )
}

/// A text folded for matching.
#[derive(Debug, Clone)]
pub struct Folded {
    pub text: String,
    /// For each character of `text`, the code-point offset of the original
    /// character it came from, and one more for the end; `None` when the
    /// two are the same character for character (most texts), to save the
    /// index four bytes a character.
    origin: Option<Box<[u32]>>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::new();
        let mut count = 0u32;
        for (index, c) in original.chars().enumerate() {
            count = index as u32 + 1;
            if is_ignored(c) {
                continue;
            }
            if let Some(&simplified) = HAN.get(&c) {
                text.push(simplified);
                origin.push(index as u32);
                continue;
            }
            if c.is_ascii() {
                text.push(c.to_ascii_lowercase());
                origin.push(index as u32);
                continue;
            }
            for part in c.nfkd().filter(|p| !is_combining_mark(*p) && !is_ignored(*p)) {
                for lower in part.to_lowercase() {
                    text.push(lower);
                    origin.push(index as u32);
                }
            }
        }
        origin.push(count);
        text.shrink_to_fit();
        let identity = origin.iter().enumerate().all(|(i, &o)| i as u32 == o);
        Folded {
            text,
            origin: (!identity).then(|| origin.into_boxed_slice()),
        }
    }

    /// The original's code-point span of the folded bytes `at..at + len`.
    pub fn span(&self, at: usize, len: usize) -> (usize, usize) {
        span(&self.text, self.origin.as_deref(), at, len)
    }

    /// The folded text and the map back to the original, to keep apart.
    pub fn into_parts(self) -> (String, Option<Box<[u32]>>) {
        (self.text, self.origin)
    }
}

/// The original's code-point span of the bytes `at..at + len` of `folded`,
/// given its map back to the original (`None`: character for character).
pub fn span(folded: &str, origin: Option<&[u32]>, at: usize, len: usize) -> (usize, usize) {
    let first = folded[..at].chars().count();
    let after = first + folded[at..at + len].chars().count();
    match origin {
        None => (first, after),
        Some(origin) => {
            let start = origin[first] as usize;
            // Just after the original character of the last folded one.
            let end = if after == 0 {
                start
            } else {
                origin[after - 1] as usize + 1
            };
            (start, end.max(start))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_spellings_fold_together() {
        assert_eq!(Folded::new("淞滬會戰").text, Folded::new("淞沪会战").text);
        assert_eq!(Folded::new("第5師団").text, "第5师团");
        assert_eq!(Folded::new("Hsüeh Yüeh").text, "hsuehyueh");
        assert_eq!(Folded::new("hsueh-yueh").text, Folded::new("HSUEH YUEH").text);
        assert_eq!(Folded::new("T'ang En-po").text, "tangenpo");
        assert_eq!(Folded::new("Itagaki Seishirō").text, "itagakiseishiro");
        assert_eq!(Folded::new("一·二八").text, "一二八");
        assert_eq!(Folded::new("沪").text, "沪", "a simplified character stays");
        assert_eq!(Folded::new("50%_x").text, "50%_x", "wildcards are plain characters");
        assert_eq!(Folded::new("1.5万").text, "1.5万", "a decimal point is not punctuation");
        assert_eq!(Folded::new("a\u{200B}b").text, "ab");
        assert_eq!(
            Folded::new("板垣征四\u{F92C}").text,
            Folded::new("板垣征四郎").text,
            "folding twice changes nothing"
        );
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let f = Folded::new("Hsüeh Yüeh");
        let at = f.text.find("yueh").unwrap();
        assert_eq!(f.span(at, 4), (6, 10));
        let f = Folded::new("中国伤亡失踪共14104人");
        let at = f.text.find("14104").unwrap();
        assert_eq!(f.span(at, 5), (7, 12));
    }
}
