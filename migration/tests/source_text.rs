//! Checks the hand-built dataset (`migration/data/*.toml`) against the source
//! text it was built from, `migration/data/battles.zh.txt`.
//!
//! The expectations come from the source, not from the dataset: this file has
//! its own parsers for the source's layout (titles, 时间/过程/战果 lines, phase
//! headings), for its dates and for its figures, and derives from the text
//! which commanders were killed. The dataset must agree with them on every
//! title, paragraph, phase, date and figure, and every commander and force it
//! links to a battle must be named in that battle's title or paragraphs.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{Months, NaiveDate};
use entity::{DatePrecision, QuantityQualifier};
use migration::dataset::{BattleRecord, Dataset, ForceRecord, FuzzyDateRecord, QuantityRecord};

const SOURCE: &str = include_str!("../data/battles.zh.txt");

/// The phase headings of the source, in order.
const HEADINGS: [&str; 5] = [
    "抗战初期",
    "战略相持阶段",
    "太平洋战争爆发后",
    "黎明前的黑暗",
    "迎接抗战胜利",
];

/// The heading of the closing section, which holds no battles.
const SUMMARY: &str = "总结";

// ---------------------------------------------------------------------------
// The source's layout
// ---------------------------------------------------------------------------

/// One battle as the source writes it.
#[derive(Debug, Default)]
struct SourceBattle {
    ordinal: i32,
    title: String,
    /// The heading the battle stands under; `None` before the first heading.
    heading: Option<String>,
    time: String,
    narrative: String,
    outcome: String,
}

#[derive(Debug)]
struct Source {
    battles: Vec<SourceBattle>,
    headings: Vec<String>,
}

/// The field of a battle that a line continues.
#[derive(Clone, Copy)]
enum Field {
    Narrative,
    Outcome,
}

/// "12、桂南会战" → (12, "桂南会战").
fn title_line(line: &str) -> Option<(i32, &str)> {
    let (number, title) = line.split_once('、')?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().ok()?, title))
}

/// A heading is a line of its own that is not a sentence.
fn is_heading(line: &str) -> bool {
    !line.contains(['，', '。', '：'])
}

fn parse_source(text: &str) -> Source {
    let mut battles: Vec<SourceBattle> = Vec::new();
    let mut headings = Vec::new();
    let mut heading: Option<String> = None;
    let mut field = None;
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if let Some((ordinal, title)) = title_line(line) {
            battles.push(SourceBattle {
                ordinal,
                title: title.to_owned(),
                heading: heading.clone(),
                ..SourceBattle::default()
            });
            field = None;
            continue;
        }
        if is_heading(line) {
            if line == SUMMARY {
                break;
            }
            headings.push(line.to_owned());
            heading = Some(line.to_owned());
            field = None;
            continue;
        }
        let battle = battles
            .last_mut()
            .unwrap_or_else(|| panic!("source line before any battle: {line}"));
        if let Some(time) = line.strip_prefix("时间：") {
            battle.time = time.to_owned();
            field = None;
        } else if let Some(narrative) = line.strip_prefix("过程：") {
            battle.narrative = narrative.to_owned();
            field = Some(Field::Narrative);
        } else if let Some(outcome) = line.strip_prefix("战果：") {
            battle.outcome = outcome.to_owned();
            field = Some(Field::Outcome);
        } else {
            // A paragraph that runs on over more than one line.
            let paragraph = match field {
                Some(Field::Narrative) => &mut battle.narrative,
                Some(Field::Outcome) => &mut battle.outcome,
                None => panic!("battle {}: stray source line {line}", battle.ordinal),
            };
            paragraph.push('\n');
            paragraph.push_str(line);
        }
    }
    Source { battles, headings }
}

fn source() -> Source {
    parse_source(SOURCE)
}

// ---------------------------------------------------------------------------
// The dataset
// ---------------------------------------------------------------------------

fn dataset() -> Dataset {
    Dataset::parse().unwrap_or_else(|e| panic!("the dataset does not parse: {e}"))
}

fn assert_resolves(dataset: &Dataset) {
    if let Err(errors) = dataset.resolve() {
        panic!("the dataset does not resolve:\n{}", errors.join("\n"));
    }
}

fn battle(dataset: &Dataset, ordinal: i32) -> &BattleRecord {
    dataset
        .battles
        .iter()
        .find(|b| b.ordinal == ordinal)
        .unwrap_or_else(|| panic!("the dataset has no battle {ordinal}"))
}

/// A battle's two paragraphs, kept apart so that no match spans them.
fn paragraphs(battle: &BattleRecord) -> String {
    format!("{}\n{}", battle.narrative, battle.outcome)
}

/// The text that can name a battle's commanders and forces: its title and
/// its two paragraphs, kept apart so that no match spans them.
fn naming_text(battle: &BattleRecord) -> String {
    format!("{}\n{}\n{}", battle.name, battle.narrative, battle.outcome)
}

fn phase_name(dataset: &Dataset, ordinal: i32) -> &str {
    dataset
        .phases
        .iter()
        .find(|p| p.ordinal == ordinal)
        .map(|p| p.name.as_str())
        .unwrap_or_else(|| panic!("the dataset has no phase {ordinal}"))
}

fn commander_belligerent<'a>(dataset: &'a Dataset, name: &str) -> &'a str {
    dataset
        .commanders
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.belligerent.as_str())
        .unwrap_or_else(|| panic!("the dataset has no commander {name}"))
}

/// The forces of a belligerent with this name, as written: more than one
/// where two formations share a name (each then has a key).
fn forces_named<'a>(dataset: &'a Dataset, belligerent: &str, name: &str) -> Vec<&'a ForceRecord> {
    dataset
        .forces
        .iter()
        .filter(|f| f.belligerent == belligerent && f.name == name)
        .collect()
}

/// The force a reference (its key, or else its name) stands for.
fn force_by_reference<'a>(dataset: &'a Dataset, belligerent: &str, reference: &str) -> &'a ForceRecord {
    dataset
        .forces
        .iter()
        .find(|f| f.belligerent == belligerent && f.reference() == reference)
        .unwrap_or_else(|| panic!("the dataset has no {belligerent} force {reference}"))
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// A date of the source as the dataset should record it.
#[derive(Debug, PartialEq)]
struct ExpectedDate {
    text: String,
    earliest: NaiveDate,
    latest: NaiveDate,
    precision: DatePrecision,
}

impl From<&FuzzyDateRecord> for ExpectedDate {
    fn from(date: &FuzzyDateRecord) -> Self {
        ExpectedDate {
            text: date.text.clone(),
            earliest: date.earliest,
            latest: date.latest,
            precision: date.precision,
        }
    }
}

/// What a date names within its month.
#[derive(Debug, Clone, Copy)]
enum DayPart {
    Day(u32),
    /// 0 for 上旬, 1 for 中旬, 2 for 下旬.
    TenDays(u32),
    Month,
}

const TEN_DAYS: [&str; 3] = ["上旬", "中旬", "下旬"];

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| format!("no such day: {year}-{month}-{day}"))
}

fn last_of_month(year: i32, month: u32) -> Result<NaiveDate, String> {
    ymd(year, month, 1)?
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| format!("no end to {year}-{month}"))
}

/// Numbers with the unit that follows each: [(1937, '年'), (8, '月')].
type NumberedUnits = Vec<(u32, char)>;

/// Splits "1937年8月下旬" into [(1937, '年'), (8, '月')] and the rest, "下旬".
fn numbered_units(mut text: &str) -> Result<(NumberedUnits, &str), String> {
    let mut units = Vec::new();
    loop {
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Ok((units, text));
        }
        let number = text[..digits].parse().map_err(|e| format!("{text}: {e}"))?;
        let unit = text[digits..]
            .chars()
            .next()
            .ok_or_else(|| format!("a number without a unit: {text}"))?;
        units.push((number, unit));
        text = &text[digits + unit.len_utf8()..];
    }
}

/// Parses one end of a 时间 line; the year and month it leaves out are
/// those of `start`.
fn parse_date(text: &str, start: Option<(i32, u32)>) -> Result<(i32, u32, DayPart), String> {
    let (units, rest) = numbered_units(text)?;
    let (mut year, mut month, mut day) = (None, None, None);
    for (number, unit) in units {
        let slot = match unit {
            '年' => &mut year,
            '月' => &mut month,
            '日' => &mut day,
            _ => return Err(format!("{text}: unknown unit {unit}")),
        };
        if slot.replace(number).is_some() {
            return Err(format!("{text}: {unit} given twice"));
        }
    }
    // An end that gives its own year gives its own month too.
    let month = match (month, start) {
        (Some(month), _) => month,
        (None, Some((_, month))) if year.is_none() => month,
        _ => return Err(format!("{text}: no month")),
    };
    let year = match (year, start) {
        (Some(year), _) => i32::try_from(year).map_err(|e| format!("{text}: {e}"))?,
        (None, Some((year, _))) => year,
        (None, None) => return Err(format!("{text}: no year")),
    };
    let part = match (day, rest) {
        (Some(day), "") => DayPart::Day(day),
        (None, "") => DayPart::Month,
        (None, rest) => match TEN_DAYS.iter().position(|t| *t == rest) {
            Some(index) => DayPart::TenDays(index as u32),
            None => return Err(format!("{text}: cannot read {rest}")),
        },
        (Some(_), rest) => return Err(format!("{text}: cannot read {rest}")),
    };
    Ok((year, month, part))
}

fn expected_date(year: i32, month: u32, part: DayPart) -> Result<ExpectedDate, String> {
    let prefix = format!("{year}年{month}月");
    let (text, earliest, latest, precision) = match part {
        DayPart::Day(day) => {
            let date = ymd(year, month, day)?;
            (format!("{prefix}{day}日"), date, date, DatePrecision::Day)
        }
        DayPart::TenDays(index) => {
            let first = ymd(year, month, 1 + 10 * index)?;
            let last = match index {
                0 | 1 => ymd(year, month, 10 + 10 * index)?,
                _ => last_of_month(year, month)?,
            };
            let text = format!("{prefix}{}", TEN_DAYS[index as usize]);
            (text, first, last, DatePrecision::TenDays)
        }
        DayPart::Month => {
            let first = ymd(year, month, 1)?;
            (prefix, first, last_of_month(year, month)?, DatePrecision::Month)
        }
    };
    Ok(ExpectedDate {
        text,
        earliest,
        latest,
        precision,
    })
}

/// Parses a 时间 line, "start-end", into its start and end.
fn parse_period(text: &str) -> Result<(ExpectedDate, ExpectedDate), String> {
    let (start, end) = text.split_once('-').ok_or_else(|| format!("{text}: no '-'"))?;
    let (year, month, part) = parse_date(start, None)?;
    let start = expected_date(year, month, part)?;
    let (end_year, end_month, end_part) = parse_date(end, Some((year, month)))?;
    let end = expected_date(end_year, end_month, end_part)?;
    Ok((start, end))
}

// ---------------------------------------------------------------------------
// Figures and numerals
// ---------------------------------------------------------------------------

const CHINESE_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn chinese_digit(c: char) -> Option<u32> {
    match c {
        '两' => Some(2),
        _ => CHINESE_DIGITS.iter().position(|&d| d == c).map(|d| d as u32),
    }
}

fn chinese_unit(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some()
}

/// "十一" → 11, "一百零六" → 106, "千" → 1000.
fn chinese_number(text: &str) -> u32 {
    let (mut total, mut digit) = (0, 0);
    for c in text.chars() {
        if let Some(d) = chinese_digit(c) {
            digit = d;
        } else if let Some(unit) = chinese_unit(c) {
            total += digit.max(1) * unit;
            digit = 0;
        }
    }
    total + digit
}

/// Every number written in `text`, in arabic digits or Chinese numerals.
fn numbers_in(text: &str) -> Vec<u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let run_of = |pred: fn(char) -> bool| chars[i..].iter().take_while(|&&c| pred(c)).count();
        let arabic = run_of(|c| c.is_ascii_digit());
        let chinese = run_of(is_chinese_numeral);
        let run: String = chars[i..i + arabic.max(chinese).max(1)].iter().collect();
        if arabic > 0 {
            numbers.push(run.parse().expect("a run of digits"));
        } else if chinese > 0 {
            numbers.push(chinese_number(&run));
        }
        i += run.chars().count();
    }
    numbers
}

/// The qualifier a figure's words give it; 余/多/以上/逾 win over the rest.
fn qualifier(text: &str) -> QuantityQualifier {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["余", "多", "以上", "逾"]) {
        QuantityQualifier::MoreThan
    } else if has(&["近", "不到"]) {
        QuantityQualifier::Nearly
    } else if has(&["约", "大约", "达", "左右"]) {
        QuantityQualifier::About
    } else {
        QuantityQualifier::Exact
    }
}

/// The value of a figure: its first number, times 10000 when 万 follows it
/// (after 余, 多 or the source's stray 个, if any).
fn figure_value(text: &str) -> Option<i32> {
    let start = text.find(|c: char| c.is_ascii_digit() || is_chinese_numeral(c))?;
    let text = &text[start..];
    let (number, rest) = if text.starts_with(|c: char| c.is_ascii_digit()) {
        let end = text
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(text.len());
        (text[..end].parse::<f64>().ok()?, &text[end..])
    } else {
        let end = text.find(|c: char| !is_chinese_numeral(c)).unwrap_or(text.len());
        (f64::from(chinese_number(&text[..end])), &text[end..])
    };
    let rest = rest.trim_start_matches(['余', '多', '个']);
    let factor = if rest.starts_with('万') { 10_000.0 } else { 1.0 };
    Some((number * factor).round() as i32)
}

fn parse_figure(text: &str) -> Option<(i32, QuantityQualifier)> {
    Some((figure_value(text)?, qualifier(text)))
}

// ---------------------------------------------------------------------------
// Clauses
// ---------------------------------------------------------------------------

fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(['，', '。', '；', '\n'])
}

/// Whether the text says that `name` was killed: `name` then 阵亡 or 殉国
/// in one clause, or 打死 then `name`.
fn killed_in(text: &str, name: &str) -> bool {
    clauses(text).any(|clause| {
        let died_after = clause
            .find(name)
            .is_some_and(|at| ["阵亡", "殉国"].iter().any(|w| clause[at + name.len()..].contains(w)));
        let killed_before = clause.rfind(name).is_some_and(|at| clause[..at].contains("打死"));
        died_after || killed_before
    })
}

/// How often `quote` stands in `text` as a whole: not as the tail or head
/// of a longer number ("2万余人" in "12万余人").
fn standalone_occurrences(text: &str, quote: &str) -> usize {
    text.match_indices(quote)
        .filter(|&(at, _)| {
            let digit_before = quote.starts_with(|c: char| c.is_ascii_digit())
                && text[..at].chars().next_back().is_some_and(|c| c.is_ascii_digit());
            let digit_after = quote.ends_with(|c: char| c.is_ascii_digit())
                && text[at + quote.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit());
            !digit_before && !digit_after
        })
        .count()
}

/// Whether `quote` really names the force called `name`: the same numbers
/// (in either script), or, when the name has no digits, the name itself or
/// a part of it (驻印军 for 中国驻印军).
fn quote_names_force(quote: &str, name: &str) -> bool {
    let wanted: Vec<u32> = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| run.parse().expect("a run of digits"))
        .collect();
    if wanted.is_empty() {
        return quote.contains(name) || name.contains(quote);
    }
    let found = numbers_in(quote);
    wanted.iter().all(|n| found.contains(n))
}

// ---------------------------------------------------------------------------
// Tests of this file's parsers
// ---------------------------------------------------------------------------

fn day(text: &str, date: NaiveDate) -> ExpectedDate {
    ExpectedDate {
        text: text.to_owned(),
        earliest: date,
        latest: date,
        precision: DatePrecision::Day,
    }
}

fn span(text: &str, earliest: NaiveDate, latest: NaiveDate, precision: DatePrecision) -> ExpectedDate {
    ExpectedDate {
        text: text.to_owned(),
        earliest,
        latest,
        precision,
    }
}

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn date_parser_reads_the_source_forms() {
    use DatePrecision::{Month, TenDays};
    let cases = [
        (
            "1937年8月8日-26日",
            day("1937年8月8日", d(1937, 8, 8)),
            day("1937年8月26日", d(1937, 8, 26)),
        ),
        (
            "1933年3月4日-5月25日",
            day("1933年3月4日", d(1933, 3, 4)),
            day("1933年5月25日", d(1933, 5, 25)),
        ),
        (
            "1937年12月下旬-1938年6月12日",
            span("1937年12月下旬", d(1937, 12, 21), d(1937, 12, 31), TenDays),
            day("1938年6月12日", d(1938, 6, 12)),
        ),
        (
            "1942年1月-5月",
            span("1942年1月", d(1942, 1, 1), d(1942, 1, 31), Month),
            span("1942年5月", d(1942, 5, 1), d(1942, 5, 31), Month),
        ),
        (
            "1943年10月上旬-1945年3月下旬",
            span("1943年10月上旬", d(1943, 10, 1), d(1943, 10, 10), TenDays),
            span("1945年3月下旬", d(1945, 3, 21), d(1945, 3, 31), TenDays),
        ),
        (
            "1945年1月中旬-2月中旬",
            span("1945年1月中旬", d(1945, 1, 11), d(1945, 1, 20), TenDays),
            span("1945年2月中旬", d(1945, 2, 11), d(1945, 2, 20), TenDays),
        ),
    ];
    for (text, start, end) in cases {
        let parsed = parse_period(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(parsed, (start, end), "parsing {text}");
    }
    assert!(parse_period("1937年8月8日").is_err(), "a date without an end");
    assert!(parse_period("8月8日-26日").is_err(), "a start without a year");
}

#[test]
fn figure_parser_reads_the_source_forms() {
    use QuantityQualifier::{About, Exact, MoreThan, Nearly};
    let cases = [
        ("1.8万余人", 18_000, MoreThan),
        ("十万人", 100_000, Exact),
        ("12个万余人", 120_000, MoreThan),
        ("千余人", 1_000, MoreThan),
        ("20余万人", 200_000, MoreThan),
        ("近1.6万人", 16_000, Nearly),
        ("不到2万人", 20_000, Nearly),
        ("14104人", 14_104, Exact),
        ("9万以上", 90_000, MoreThan),
        ("达7.7万人", 77_000, About),
        ("达10万余人", 100_000, MoreThan),
        ("约24万多人", 240_000, MoreThan),
        ("达9万以上", 90_000, MoreThan),
        ("大约只有不到2万人", 20_000, Nearly),
        ("共28万人", 280_000, Exact),
    ];
    for (text, value, qualifier) in cases {
        assert_eq!(parse_figure(text), Some((value, qualifier)), "parsing {text}");
    }
    assert_eq!(parse_figure("数人"), None);
}

#[test]
fn numeral_helpers_read_both_scripts() {
    assert_eq!(chinese_number("十一"), 11);
    assert_eq!(chinese_number("一百零六"), 106);
    assert_eq!(numbers_in("第三、第十三、第十六师团"), [3, 13, 16]);
    assert_eq!(numbers_in("74军57师"), [74, 57]);
    assert!(quote_names_force("第十一军", "第11军"));
    assert!(quote_names_force("汤恩伯命4师增援", "第4师"));
    assert!(!quote_names_force("第15军", "第5军"));
    assert!(quote_names_force("大刀队", "大刀队"));
    assert!(quote_names_force("驻印军", "中国驻印军"));
    assert!(!quote_names_force("远征军", "中国驻印军"));
    assert_eq!(standalone_occurrences("共12万余人，损失2万余人", "2万余人"), 1);
    assert!(killed_in("16日，张自忠将军殉国，", "张自忠"));
    assert!(killed_in("击溃来援的第21旅团，打死旅团长中村正雄，", "中村正雄"));
    assert!(!killed_in("阵亡，张自忠到达", "张自忠"));
}

// ---------------------------------------------------------------------------
// The dataset against the source
// ---------------------------------------------------------------------------

#[test]
fn repo_copy_of_the_source_matches_the_shared_copy() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/source/battles.zh.txt");
    match std::fs::read(&shared) {
        Ok(bytes) => assert!(
            bytes == SOURCE.as_bytes(),
            "migration/data/battles.zh.txt differs from {}",
            shared.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot read {}: {e}", shared.display()),
    }
}

#[test]
fn titles_and_paragraphs_match_the_source() {
    let source = source();
    let ordinals: Vec<i32> = source.battles.iter().map(|b| b.ordinal).collect();
    assert_eq!(ordinals, (1..=30).collect::<Vec<_>>(), "source battle ordinals");

    let dataset = dataset();
    let mut dataset_ordinals: Vec<i32> = dataset.battles.iter().map(|b| b.ordinal).collect();
    dataset_ordinals.sort_unstable();
    assert_eq!(dataset_ordinals, ordinals, "dataset battle ordinals");

    for expected in &source.battles {
        let n = expected.ordinal;
        let actual = battle(&dataset, n);
        assert_eq!(actual.name, expected.title, "battle {n}: name");
        assert_eq!(
            actual.narrative, expected.narrative,
            "battle {n} ({}): narrative",
            expected.title
        );
        assert_eq!(
            actual.outcome, expected.outcome,
            "battle {n} ({}): outcome",
            expected.title
        );
    }
}

#[test]
fn phases_follow_the_source_headings() {
    let source = source();
    assert_eq!(source.headings, HEADINGS, "the source's headings");
    let dataset = dataset();

    let first_phase = battle(&dataset, 1).phase;
    for expected in &source.battles {
        let n = expected.ordinal;
        let phase = battle(&dataset, n).phase;
        let name = phase_name(&dataset, phase);
        match &expected.heading {
            Some(heading) => assert_eq!(name, heading, "battle {n} ({}): phase", expected.title),
            None => {
                assert_eq!(
                    phase, first_phase,
                    "battle {n} ({}): phase of battles before any heading",
                    expected.title
                );
                assert!(
                    !HEADINGS.contains(&name),
                    "battle {n} ({}): phase {name} is a heading, but the battle precedes them all",
                    expected.title
                );
            }
        }
    }

    let mut phases: Vec<_> = dataset.phases.iter().collect();
    phases.sort_by_key(|p| p.ordinal);
    let names: Vec<&str> = phases.iter().map(|p| p.name.as_str()).collect();
    let mut expected = vec![phase_name(&dataset, first_phase)];
    expected.extend(source.headings.iter().map(String::as_str));
    assert_eq!(names, expected, "phases in ordinal order");

    let mut by_ordinal: Vec<_> = dataset.battles.iter().collect();
    by_ordinal.sort_by_key(|b| b.ordinal);
    for pair in by_ordinal.windows(2) {
        assert!(
            pair[0].phase <= pair[1].phase,
            "battle {} is in phase {} but battle {} in earlier phase {}",
            pair[0].ordinal,
            pair[0].phase,
            pair[1].ordinal,
            pair[1].phase
        );
    }
}

#[test]
fn dates_match_the_source() {
    let dataset = dataset();
    for expected in &source().battles {
        let n = expected.ordinal;
        let (start, end) = parse_period(&expected.time)
            .unwrap_or_else(|e| panic!("battle {n}: cannot read 时间 {}: {e}", expected.time));
        let actual = battle(&dataset, n);
        assert_eq!(
            ExpectedDate::from(&actual.start),
            start,
            "battle {n} ({}): start of {}",
            expected.title,
            expected.time
        );
        assert_eq!(
            ExpectedDate::from(&actual.end),
            end,
            "battle {n} ({}): end of {}",
            expected.title,
            expected.time
        );
    }
}

#[test]
fn figures_are_quoted_from_the_paragraphs_and_read_right() {
    let dataset = dataset();
    for b in &dataset.battles {
        let text = paragraphs(b);
        for side in &b.side {
            let figures = [("strength", &side.strength), ("casualties", &side.casualties)];
            for (what, figure) in figures {
                let Some(QuantityRecord {
                    text: quoted,
                    value,
                    qualifier,
                    shared_with,
                }) = figure
                else {
                    continue;
                };
                let which = format!(
                    "battle {} ({}), {} {what} {quoted:?}",
                    b.ordinal, b.name, side.belligerent
                );
                let occurrences = standalone_occurrences(&text, quoted);
                assert!(occurrences > 0, "{which}: not in the paragraphs");
                assert_eq!(
                    occurrences, 1,
                    "{which}: ambiguous, it occurs more than once in the paragraphs"
                );
                let parsed = parse_figure(quoted).unwrap_or_else(|| panic!("{which}: no number in it"));
                assert_eq!((*value, *qualifier), parsed, "{which}: (value, qualifier)");
                for code in shared_with {
                    assert!(
                        code != &side.belligerent && b.side.iter().any(|s| &s.belligerent == code),
                        "{which}: shared with {code}, which is not another side of the battle"
                    );
                }
            }
        }
    }
}

#[test]
fn headline_casualty_figures_are_recorded() {
    let dataset = dataset();
    for (ordinal, belligerent, expected) in [
        (1, "CN", 14_104),
        (18, "JP", 56_994),
        (3, "CN", 29_376),
        (26, "JP", 66_000),
    ] {
        let b = battle(&dataset, ordinal);
        let side = b
            .side
            .iter()
            .find(|s| s.belligerent == belligerent)
            .unwrap_or_else(|| panic!("battle {ordinal} ({}): no {belligerent} side", b.name));
        let value = side.casualties.as_ref().map(|q| q.value);
        assert_eq!(
            value,
            Some(expected),
            "battle {ordinal} ({}): {belligerent} casualties",
            b.name
        );
    }
}

#[test]
fn linked_commanders_and_forces_are_named_in_the_paragraphs() {
    let dataset = dataset();
    for b in &dataset.battles {
        let text = naming_text(b);
        for c in &b.command {
            let quotes = c.quote.as_ref().map_or_else(|| vec![c.commander.as_str()], |q| q.all());
            for quote in quotes {
                assert!(
                    text.contains(quote),
                    "battle {} ({}): commander {} quoted as {quote:?} is not named in the title or paragraphs",
                    b.ordinal,
                    b.name,
                    c.commander
                );
            }
        }
        for side in &b.side {
            for force in &side.forces {
                let reference = force.name();
                // A key is not the text's words: fall back on the name.
                let name = force_by_reference(&dataset, &side.belligerent, reference).name.as_str();
                for quote in force.quotes().unwrap_or_else(|| vec![name]) {
                    let which = format!(
                        "battle {} ({}), {} force {reference} quoted as {quote:?}",
                        b.ordinal, b.name, side.belligerent
                    );
                    assert!(
                        text.contains(quote),
                        "{which}: the quote is not in the title or paragraphs"
                    );
                    assert!(
                        quote_names_force(quote, name),
                        "{which}: the quote does not name the force"
                    );
                }
            }
        }
    }
}

#[test]
fn forces_sharing_a_name_are_told_apart() {
    let dataset = dataset();
    let mut names: HashMap<(&str, &str), Vec<&ForceRecord>> = HashMap::new();
    for f in &dataset.forces {
        names
            .entry((f.belligerent.as_str(), f.name.as_str()))
            .or_default()
            .push(f);
    }
    for ((belligerent, name), forces) in &names {
        if forces.len() > 1 {
            for f in forces {
                assert!(
                    f.key.is_some(),
                    "{belligerent} force {name} (id {}): shares its name, so needs a key",
                    f.id
                );
                assert!(
                    f.note.is_some(),
                    "{belligerent} force {name} (id {}): shares its name, so needs a note saying which formation it is",
                    f.id
                );
            }
            let english: BTreeSet<&str> = forces.iter().map(|f| f.name_en.as_str()).collect();
            assert_eq!(
                english.len(),
                forces.len(),
                "{belligerent} force {name}: the English names do not tell them apart"
            );
        }
    }

    // The source's own commanders tell these formations apart: 张治中's 第5军
    // of 1932 is not 杜聿明's of 1939-1942, nor the 29军 of the 大刀队 (1933)
    // 陈安宝's (1939).
    let force_of = |ordinal: i32, name: &str| {
        let b = battle(&dataset, ordinal);
        let reference = b
            .side
            .iter()
            .filter(|s| s.belligerent == "CN")
            .flat_map(|s| &s.forces)
            .map(|f| f.name())
            .find(|reference| force_by_reference(&dataset, "CN", reference).name == name)
            .unwrap_or_else(|| panic!("battle {ordinal} ({}): no CN force {name}", b.name));
        force_by_reference(&dataset, "CN", reference).id
    };
    assert_ne!(force_of(1, "第5军"), force_of(12, "第5军"), "第5军 of battles 1 and 12");
    assert_eq!(
        force_of(12, "第5军"),
        force_of(20, "第5军"),
        "第5军 of battles 12 and 20"
    );
    assert_ne!(
        force_of(2, "第29军"),
        force_of(9, "第29军"),
        "第29军 of battles 2 and 9"
    );
}

#[test]
fn editorial_records_say_why() {
    let dataset = dataset();
    let mut missing = Vec::new();
    let mut check = |what: String, editorial: bool, note: Option<&str>| {
        if editorial && note.is_none_or(|n| n.trim().is_empty()) {
            missing.push(what);
        }
    };
    for b in &dataset.belligerents {
        check(format!("belligerent {}", b.code), b.editorial, b.note.as_deref());
    }
    for p in &dataset.phases {
        check(format!("phase {}", p.ordinal), p.editorial, p.note.as_deref());
    }
    for f in &dataset.forces {
        check(format!("force {}", f.reference()), f.editorial, f.note.as_deref());
    }
    for c in &dataset.commanders {
        check(format!("commander {}", c.name), c.editorial, c.note.as_deref());
    }
    for b in &dataset.battles {
        check(format!("battle {}", b.ordinal), b.editorial, b.note.as_deref());
        for side in &b.side {
            check(
                format!("battle {}, {} side", b.ordinal, side.belligerent),
                side.editorial,
                side.note.as_deref(),
            );
            for force in &side.forces {
                check(
                    format!("battle {}, force {}", b.ordinal, force.name()),
                    force.editorial(),
                    force.note(),
                );
            }
        }
        for c in &b.command {
            check(
                format!("battle {}, command of {}", b.ordinal, c.commander),
                c.editorial,
                c.note.as_deref(),
            );
        }
    }
    assert!(missing.is_empty(), "editorial without a note saying why: {missing:?}");
}

/// The clauses of the battles' titles and paragraphs that quote `force`.
fn clauses_quoting<'a>(dataset: &'a Dataset, belligerent: &str, force: &ForceRecord) -> Vec<&'a str> {
    let mut found = Vec::new();
    for b in &dataset.battles {
        let quotes = b
            .side
            .iter()
            .filter(|s| s.belligerent == belligerent)
            .flat_map(|s| &s.forces)
            .filter(|f| f.name() == force.reference())
            .flat_map(|f| f.quotes().unwrap_or_else(|| vec![force.name.as_str()]));
        for quote in quotes {
            for text in [&b.name, &b.narrative, &b.outcome] {
                found.extend(clauses(text).filter(|clause| clause.contains(quote)));
            }
        }
    }
    found
}

#[test]
fn forces_and_commanders_are_on_the_right_side() {
    let dataset = dataset();
    for f in &dataset.forces {
        let japanese_unit = ["师团", "旅团", "联队"].iter().any(|s| f.name.ends_with(s)) || f.name.contains("派遣");
        if japanese_unit {
            assert_eq!(f.belligerent, "JP", "force {}: belligerent", f.name);
        }
        // Both armies had 方面军 in 1945; the source marks the Chinese
        // ones by beginning the clause that names them with 中国.
        if f.name.contains("方面军") {
            let clauses = clauses_quoting(&dataset, &f.belligerent, f);
            assert!(!clauses.is_empty(), "force {}: quoted nowhere", f.name);
            let chinese = clauses.iter().all(|c| c.starts_with("中国"));
            let expected = if chinese { "CN" } else { "JP" };
            assert_eq!(
                f.belligerent, expected,
                "force {}: belligerent (named in {clauses:?})",
                f.name
            );
        }
        if f.belligerent == "CN" {
            assert!(
                !f.name.contains("师团") && !f.name.contains("旅团"),
                "Chinese force {} has a Japanese unit name",
                f.name
            );
        }
    }
    for (belligerent, name, count) in [
        ("CN", "第5军", 2),
        ("CN", "第29军", 2),
        ("JP", "第5师团", 1),
        ("CN", "第10军", 1),
        ("JP", "第10军", 1),
    ] {
        assert_eq!(
            forces_named(&dataset, belligerent, name).len(),
            count,
            "{belligerent} forces named {name}"
        );
    }

    let expected = [
        ("冈村宁次", "JP"),
        ("板垣征四郎", "JP"),
        ("松井石根", "JP"),
        ("阿南惟几", "JP"),
        ("横山勇", "JP"),
        ("薛岳", "CN"),
        ("李宗仁", "CN"),
        ("张自忠", "CN"),
        ("汤恩伯", "CN"),
        ("史迪威", "US"),
    ];
    for (name, belligerent) in expected {
        assert_eq!(
            commander_belligerent(&dataset, name),
            belligerent,
            "commander {name}: belligerent"
        );
    }

    // Every force listed under a side belongs to that side's belligerent.
    assert_resolves(&dataset);
}

#[test]
fn killed_in_action_follows_the_text() {
    let dataset = dataset();
    let mut from_text = BTreeSet::new();
    let mut recorded = BTreeSet::new();
    for b in &dataset.battles {
        let text = paragraphs(b);
        for c in &b.command {
            let key = (b.ordinal, c.commander.as_str());
            if killed_in(&text, &c.commander) {
                from_text.insert(key);
            }
            if c.killed_in_action {
                recorded.insert(key);
            }
        }
    }
    assert!(!from_text.is_empty(), "the text kills no linked commander");
    for key in [(13, "张自忠"), (20, "戴安澜")] {
        assert!(from_text.contains(&key), "the text should kill {key:?}");
    }
    let missing: Vec<_> = from_text.difference(&recorded).collect();
    let extra: Vec<_> = recorded.difference(&from_text).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "killed_in_action: (battle, commander) killed in the text but not recorded: {missing:?}; \
         recorded but not killed in the text: {extra:?}"
    );
}

#[test]
fn every_battle_has_both_sides_and_every_reference_resolves() {
    let dataset = dataset();
    let codes: HashMap<&str, &str> = dataset
        .belligerents
        .iter()
        .map(|b| (b.code.as_str(), b.name.as_str()))
        .collect();
    for b in &dataset.battles {
        for code in ["CN", "JP"] {
            assert!(
                b.side.iter().any(|s| s.belligerent == code),
                "battle {} ({}): no {code} side",
                b.ordinal,
                b.name
            );
        }
        for side in &b.side {
            assert!(
                codes.contains_key(side.belligerent.as_str()),
                "battle {}: unknown belligerent {}",
                b.ordinal,
                side.belligerent
            );
        }
    }
    for f in &dataset.forces {
        assert!(
            codes.contains_key(f.belligerent.as_str()),
            "force {}: unknown belligerent {}",
            f.name,
            f.belligerent
        );
    }
    for c in &dataset.commanders {
        assert!(
            codes.contains_key(c.belligerent.as_str()),
            "commander {}: unknown belligerent {}",
            c.name,
            c.belligerent
        );
    }
    // Every force and commander takes part in a battle.
    assert_resolves(&dataset);
}
