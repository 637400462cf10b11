//! Choosing a record's name for a requested language: BCP 47 lookup
//! (RFC 4647 §3.4) over the tags the data has, case-insensitively, with the
//! region tags readers use for the two Chinese scripts.

use crate::error::{Error, Result};

/// The longest tag taken (RFC 5646 allows about this much in practice).
const MAX_TAG_LEN: usize = 35;

/// Region and bare tags that stand for a script the data tags explicitly.
const ALIASES: [(&str, &str); 7] = [
    ("zh", "zh-hans"),
    ("zh-cn", "zh-hans"),
    ("zh-sg", "zh-hans"),
    ("zh-tw", "zh-hant"),
    ("zh-hk", "zh-hant"),
    ("zh-mo", "zh-hant"),
    ("ja-latn", "ja-latn-hepburn"),
];

/// The tags to try for `tag`, most specific first: the tag, its alias,
/// then each shorter prefix ("zh-Hant-TW", "zh-Hant", "zh").
pub fn lookup_chain(tag: &str) -> Result<Vec<String>> {
    let well_formed = !tag.is_empty()
        && tag.len() <= MAX_TAG_LEN
        && tag
            .split('-')
            .all(|part| (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric()));
    if !well_formed {
        return Err(Error::bad_input(format!(
            "lang: {:?} is not a BCP 47 language tag such as \"zh-Hant\" or \"ja-Latn-hepburn\"",
            tag.chars().take(MAX_TAG_LEN + 1).collect::<String>()
        )));
    }
    let mut chain = Vec::new();
    let mut current = tag.to_ascii_lowercase();
    loop {
        chain.push(current.clone());
        if let Some((_, alias)) = ALIASES.iter().find(|(from, _)| *from == current) {
            chain.push((*alias).to_owned());
        }
        match current.rfind('-') {
            Some(at) => current.truncate(at),
            None => break,
        }
    }
    Ok(chain)
}

/// The preferred text for `tag` among `(lang, text, preferred)` names: the
/// first tag of the chain that some preferred name has, or extends
/// ("zh-Latn" takes zh-Latn-pinyin); `None` when nothing fits.
pub fn pick<'a>(chain: &[String], names: impl Iterator<Item = (&'a str, &'a str, bool)> + Clone) -> Option<&'a str> {
    let preferred = names.filter(|(_, _, preferred)| *preferred);
    for wanted in chain {
        let exact = preferred.clone().find(|(lang, _, _)| lang.eq_ignore_ascii_case(wanted));
        let extends = || {
            preferred.clone().find(|(lang, _, _)| {
                lang.len() > wanted.len()
                    && lang.as_bytes()[wanted.len()] == b'-'
                    && lang[..wanted.len()].eq_ignore_ascii_case(wanted)
            })
        };
        if let Some((_, text, _)) = exact.or_else(extends) {
            return Some(text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [(&str, &str, bool); 6] = [
        ("zh-Hans", "薛岳", true),
        ("en", "Xue Yue", true),
        ("zh-Hant", "薛岳", true),
        ("zh-Latn-pinyin", "Xue Yue", true),
        ("zh-Latn-wadegile", "Hsüeh Yüeh", true),
        ("zh-Latn-wadegile", "Hsueh Yueh", false),
    ];

    fn pick_for(tag: &str) -> Option<&'static str> {
        pick(&lookup_chain(tag).unwrap(), NAMES.iter().copied())
    }

    #[test]
    fn lookup_falls_back_along_the_tag() {
        assert_eq!(pick_for("zh-latn-WADEGILE"), Some("Hsüeh Yüeh"));
        assert_eq!(pick_for("zh-Latn-wadegile-x-ascii"), Some("Hsüeh Yüeh"));
        assert_eq!(pick_for("zh-Latn"), Some("Xue Yue"));
        assert_eq!(pick_for("en-GB"), Some("Xue Yue"));
        assert_eq!(pick_for("zh-TW"), Some("薛岳"));
        assert_eq!(pick_for("fr"), None);
    }

    #[test]
    fn malformed_tags_are_refused() {
        for bad in ["", "-", "zh--Hant", "zh_Hant", "abcdefghi", "中文", &"a-".repeat(20)] {
            assert!(lookup_chain(bad).is_err(), "{bad:?}");
        }
    }
}
