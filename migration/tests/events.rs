//! Checks each event of `events.toml` against its battle's narrative: the
//! clause stands there, and its date is what the clause's date words say,
//! with the year and month the text before them gives (else the battle's
//! start). The date words are read here, by this file's own scanner, not
//! taken from the data: 20日 after 8月8日 is the 20th of August, 2月初 the
//! first ten days of February, 2月底 its last ten (to the 29th in 1932),
//! 当日 the date before, 次日 the day after.
//!
//! The narratives themselves are checked against the source text by
//! `source_text.rs`.

use std::collections::HashMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use entity::DatePrecision;
use migration::dataset::{BattleRecord, Dataset};
use migration::places::EventRecord;

/// What a run of date words says.
#[derive(Debug, Clone, PartialEq)]
enum Words {
    /// Year and month where written; the part of the month.
    Written {
        year: Option<i32>,
        month: Option<u32>,
        part: Part,
    },
    /// 当日, 当夜, 当晚, 同日: the date before.
    SameDay,
    /// 次日, 翌日: the day after the date before.
    NextDay,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Day(u32),
    /// 22-24日.
    Days(u32, u32),
    /// Ten-day periods, first and last (0: 初/上旬, 1: 中旬, 2: 下旬/底/末).
    TenDays(u32, u32),
    Month,
}

/// One run of date words in a text: where it stands (bytes) and what it says.
#[derive(Debug)]
struct Found {
    at: usize,
    end: usize,
    words: Words,
}

fn digits(text: &str) -> usize {
    text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len()
}

/// Reads date words at the start of `text`, if any.
fn read(text: &str) -> Option<(usize, Words)> {
    for (words, meaning) in [
        ("当日", Words::SameDay),
        ("当夜", Words::SameDay),
        ("当晚", Words::SameDay),
        ("同日", Words::SameDay),
        ("次日", Words::NextDay),
        ("翌日", Words::NextDay),
    ] {
        if text.starts_with(words) {
            return Some((words.len(), meaning));
        }
    }
    let mut rest = text;
    let number = |rest: &mut &str, unit: char| -> Option<u32> {
        let n = digits(rest);
        if n == 0 || !rest[n..].starts_with(unit) {
            return None;
        }
        let value = rest[..n].parse().ok()?;
        *rest = &rest[n + unit.len_utf8()..];
        Some(value)
    };
    let year = {
        let mut probe = rest;
        number(&mut probe, '年').filter(|y| (1900..2000).contains(y)).map(|y| {
            rest = probe;
            y as i32
        })
    };
    let month = {
        let mut probe = rest;
        number(&mut probe, '月')
            .filter(|m| (1..=12).contains(m))
            .inspect(|_| rest = probe)
    };
    // The day, a span of days, or a part of the month.
    let n = digits(rest);
    let part = if n > 0 {
        let first: u32 = rest[..n].parse().ok()?;
        let after = &rest[n..];
        if let Some(tail) = after.strip_prefix('日') {
            rest = tail;
            Part::Day(first)
        } else if let Some(tail) = after.strip_prefix('-') {
            let m = digits(tail);
            let last: u32 = tail[..m].parse().ok()?;
            rest = tail[m..].strip_prefix('日')?;
            Part::Days(first, last)
        } else {
            return None;
        }
    } else if month.is_some() {
        let parts = [
            ("中下旬", Part::TenDays(1, 2)),
            ("上旬", Part::TenDays(0, 0)),
            ("中旬", Part::TenDays(1, 1)),
            ("下旬", Part::TenDays(2, 2)),
            ("初", Part::TenDays(0, 0)),
            ("底", Part::TenDays(2, 2)),
            ("末", Part::TenDays(2, 2)),
        ];
        match parts.iter().find(|(w, _)| rest.starts_with(w)) {
            Some((w, part)) => {
                rest = &rest[w.len()..];
                *part
            }
            None => Part::Month,
        }
    } else {
        return None;
    };
    Some((text.len() - rest.len(), Words::Written { year, month, part }))
}

/// Every run of date words in `text`, in order.
fn scan(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let starts_number = text[at..].starts_with(|c: char| c.is_ascii_digit());
        let after_digit = text[..at].ends_with(|c: char| c.is_ascii_digit());
        if !(starts_number && after_digit)
            && let Some((len, words)) = read(&text[at..])
        {
            found.push(Found {
                at,
                end: at + len,
                words,
            });
            at += len;
            continue;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

fn last_day(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .and_then(|d| d.pred_opt())
        .expect("a month")
}

/// The date an event's words give, as (text, earliest, latest, precision).
#[derive(Debug, PartialEq)]
struct Expected {
    text: String,
    earliest: NaiveDate,
    latest: NaiveDate,
    precision: DatePrecision,
}

fn ten_days(year: i32, month: u32, index: u32, last: bool) -> NaiveDate {
    match (index, last) {
        (2, true) => last_day(year, month),
        (i, true) => NaiveDate::from_ymd_opt(year, month, 10 * i + 10).unwrap(),
        (i, false) => NaiveDate::from_ymd_opt(year, month, 10 * i + 1).unwrap(),
    }
}

/// The date `words` give in context: the year and month before them, the
/// date before (for 当日 and 次日); `written` is the words as the clause has them.
fn expected(words: &Words, written: &str, context: (i32, u32), before: Option<&Expected>) -> Expected {
    match words {
        Words::SameDay | Words::NextDay => {
            let before = before.expect("当日 or 次日 after a date");
            let day = match words {
                Words::NextDay => before.earliest + Days::new(1),
                _ => before.earliest,
            };
            assert_eq!(before.precision, DatePrecision::Day, "{written} after a day");
            Expected {
                text: format!("{}年{}月{}日", day.year(), day.month(), day.day()),
                earliest: day,
                latest: day,
                precision: DatePrecision::Day,
            }
        }
        Words::Written { year, month, part } => {
            let year = year.unwrap_or(context.0);
            let month = month.unwrap_or(context.1);
            // The words after their year and month, under the filled-in ones.
            let mut days = written;
            for unit in ['年', '月'] {
                let n = digits(days);
                if n > 0 && days[n..].starts_with(unit) {
                    days = &days[n + unit.len_utf8()..];
                }
            }
            let (earliest, latest, precision) = match *part {
                Part::Day(d) => {
                    let day = NaiveDate::from_ymd_opt(year, month, d).expect("a day");
                    (day, day, DatePrecision::Day)
                }
                Part::Days(a, b) => (
                    NaiveDate::from_ymd_opt(year, month, a).unwrap(),
                    NaiveDate::from_ymd_opt(year, month, b).unwrap(),
                    DatePrecision::Day,
                ),
                Part::TenDays(a, b) => (
                    ten_days(year, month, a, false),
                    ten_days(year, month, b, true),
                    DatePrecision::TenDays,
                ),
                Part::Month => (
                    NaiveDate::from_ymd_opt(year, month, 1).unwrap(),
                    last_day(year, month),
                    DatePrecision::Month,
                ),
            };
            Expected {
                text: format!("{year}年{month}月{days}"),
                earliest,
                latest,
                precision,
            }
        }
    }
}

/// The year and month in force at byte `at` of the narrative: the last
/// written before it, else the battle's start.
fn context(battle: &BattleRecord, found: &[Found], at: usize) -> (i32, u32) {
    let (mut year, mut month) = (battle.start.earliest.year(), battle.start.earliest.month());
    for f in found.iter().filter(|f| f.at < at) {
        if let Words::Written { year: y, month: m, .. } = &f.words {
            if let Some(y) = y {
                year = *y;
            }
            if let Some(m) = m {
                month = *m;
            }
        }
    }
    (year, month)
}

fn events() -> Vec<EventRecord> {
    migration::places::Files::parse().expect("the files parse").events
}

#[test]
fn the_scanner_reads_the_narratives_date_words() {
    let words = |t: &str| scan(t).into_iter().map(|f| f.words).collect::<Vec<_>>();
    let written = |year, month, part| Words::Written { year, month, part };
    assert_eq!(
        words("1932年1月28日，日军进攻。2月初，增援。20日，当日，次日"),
        [
            written(Some(1932), Some(1), Part::Day(28)),
            written(None, Some(2), Part::TenDays(0, 0)),
            written(None, None, Part::Day(20)),
            Words::SameDay,
            Words::NextDay,
        ]
    );
    assert_eq!(
        words("22-24日，10月中下旬，3月，第5军"),
        [
            written(None, None, Part::Days(22, 24)),
            written(None, Some(10), Part::TenDays(1, 2)),
            written(None, Some(3), Part::Month),
        ]
    );
    // Not a date: a number of another unit, or the tail of a longer number.
    assert!(words("第13军，共9万人，115师").is_empty());
    let context = (1932, 2);
    let e = expected(&written(None, Some(2), Part::TenDays(2, 2)), "2月底", context, None);
    assert_eq!(
        (e.text.as_str(), e.latest),
        ("1932年2月底", NaiveDate::from_ymd_opt(1932, 2, 29).unwrap())
    );
}

#[test]
fn every_event_is_dated_by_its_clause_and_the_text_before_it() {
    let dataset = Dataset::parse().expect("the dataset parses");
    let battles: HashMap<i32, &BattleRecord> = dataset.battles.iter().map(|b| (b.ordinal, b)).collect();
    let mut events = events();
    assert!(events.len() > 150, "the narratives tell many dated steps");
    // In narrative order, to know the date before each.
    let at = |e: &EventRecord| {
        let narrative = &battles[&e.battle].narrative;
        let standings: Vec<usize> = narrative.match_indices(&e.text).map(|(i, _)| i).collect();
        assert!(
            !standings.is_empty(),
            "event {}: {:?} is not in battle {}'s narrative",
            e.id,
            e.text,
            e.battle
        );
        standings[e.occurrence.unwrap_or(1) - 1]
    };
    events.sort_by_key(|e| (e.battle, at(e)));
    let mut before: Option<(i32, Expected)> = None;
    for e in &events {
        let battle = battles[&e.battle];
        let start = at(e);
        let found = scan(&battle.narrative);
        let first = found
            .iter()
            .find(|f| f.at >= start && f.end <= start + e.text.len())
            .unwrap_or_else(|| panic!("event {}: no date words in {:?}", e.id, e.text));
        let written = &battle.narrative[first.at..first.end];
        let previous = before.as_ref().filter(|(b, _)| *b == e.battle).map(|(_, x)| x);
        let wanted = expected(&first.words, written, context(battle, &found, first.at), previous);
        let actual = Expected {
            text: e.date.text.clone(),
            earliest: e.date.earliest,
            latest: e.date.latest,
            precision: e.date.precision,
        };
        assert_eq!(actual, wanted, "event {} of battle {}: {:?}", e.id, e.battle, e.text);
        // The clause starts at its date words, or at the words of its
        // sentence before them, and ends at a clause's end (or a bracket's).
        let lead = &battle.narrative[start..first.at];
        assert!(
            !lead.contains('。') && !lead.contains('；'),
            "event {}: {lead:?} is another sentence",
            e.id
        );
        let end = start + e.text.len();
        let next = battle.narrative[end..].chars().next();
        assert!(
            next.is_none_or(|c| "，。；,、（(".contains(c))
                || e.text.ends_with([')', '）'])
                || found.iter().any(|f| f.at == end),
            "event {}: the clause ends inside a clause ({:?} follows)",
            e.id,
            next
        );
        before = Some((e.battle, wanted));
    }
}
