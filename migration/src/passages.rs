//! Finding the source's words in a battle's texts: every place a quote
//! stands in the title, narrative or outcome, as code-point offsets.

use entity::SourceField;

/// A span of one of a battle's texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub field: SourceField,
    /// Code-point offsets, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A battle's three texts, each with the field it is.
pub struct Texts<'a> {
    pub title: &'a str,
    pub narrative: &'a str,
    pub outcome: &'a str,
}

impl<'a> Texts<'a> {
    fn fields(&self) -> [(SourceField, &'a str); 3] {
        [
            (SourceField::Title, self.title),
            (SourceField::Narrative, self.narrative),
            (SourceField::Outcome, self.outcome),
        ]
    }

    /// Every place any of `quotes` stands, in text order, leaving out a
    /// match inside a longer number ("13军" in "113军") and one that lies
    /// within a longer match of another quote.
    pub fn occurrences(&self, quotes: &[&str]) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        for (field, text) in self.fields() {
            for quote in quotes.iter().filter(|q| !q.is_empty()) {
                for (at, _) in text.match_indices(quote) {
                    if !inside_a_number(text, at, quote) {
                        let start = text[..at].chars().count();
                        let end = start + quote.chars().count();
                        spans.push(Span {
                            field,
                            start,
                            end,
                            text: (*quote).to_owned(),
                        });
                    }
                }
            }
        }
        let within = |a: &Span, b: &Span| a != b && a.field == b.field && b.start <= a.start && a.end <= b.end;
        let mut kept: Vec<Span> = spans
            .iter()
            .filter(|a| !spans.iter().any(|b| within(a, b)))
            .cloned()
            .collect();
        kept.sort_by_key(|s| (field_order(s.field), s.start, s.end));
        kept.dedup();
        kept
    }

    /// The one place a figure's text stands in the narrative or outcome.
    pub fn figure(&self, text: &str) -> Result<Span, String> {
        let found: Vec<Span> = self
            .occurrences(&[text])
            .into_iter()
            .filter(|s| s.field != SourceField::Title)
            .collect();
        match found.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(format!("the figure {text:?} is not in the battle's texts")),
            many => Err(format!(
                "the figure {text:?} stands {} times in the battle's texts: quote more words to say which",
                many.len()
            )),
        }
    }
}

fn field_order(field: SourceField) -> u8 {
    match field {
        SourceField::Title => 0,
        SourceField::Narrative => 1,
        SourceField::Outcome => 2,
    }
}

/// Whether the match of `quote` at byte `at` continues a number on either side.
fn inside_a_number(text: &str, at: usize, quote: &str) -> bool {
    let digit_before = quote.starts_with(|c: char| c.is_ascii_digit())
        && text[..at].chars().next_back().is_some_and(|c| c.is_ascii_digit());
    let digit_after = quote.ends_with(|c: char| c.is_ascii_digit())
        && text[at + quote.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
    digit_before || digit_after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(narrative: &'a str) -> Texts<'a> {
        Texts {
            title: "南口会战",
            narrative,
            outcome: "日军损失1.5万余人",
        }
    }

    #[test]
    fn offsets_are_code_points_and_numbers_are_whole() {
        let t = texts("汤恩伯的13军与113军，13军");
        let spans = t.occurrences(&["13军"]);
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[0].start, spans[0].end), (4, 7));
        let chars: Vec<char> = t.narrative.chars().collect();
        for s in &spans {
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        }
        assert_eq!(t.occurrences(&["南口"])[0].field, SourceField::Title);
    }

    #[test]
    fn a_shorter_quote_inside_a_longer_one_is_one_span() {
        let spans = texts("第7集团军与第7集团").occurrences(&["第7集团", "第7集团军"]);
        assert_eq!(
            spans.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(),
            ["第7集团军", "第7集团"]
        );
    }

    #[test]
    fn a_figure_must_stand_once() {
        assert_eq!(texts("").figure("1.5万余人").unwrap().field, SourceField::Outcome);
        assert!(texts("").figure("2万人").is_err());
        assert!(texts("1.5万余人").figure("1.5万余人").unwrap_err().contains("2 times"));
    }
}
