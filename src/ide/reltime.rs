//! Relative time in captured text (`28 分钟前`, `3 小時前`, `昨天`, `刚刚`, "3 hours ago", "yesterday") that an archive freezes, and freezing it to an absolute date computed from the capture's timestamp.
//!
//! Pure: the reference instant comes in as an argument; nothing reads a clock. Scanning is
//! linear in the text length and never panics.
//!
//! What is recognised, and why:
//! * **Numeric forms**: a number (ASCII or full-width digits, or Chinese numerals
//!   `一`…`九百九十九`, `两`), optional spaces, a unit (秒/秒钟, 分钟/分鐘, 小时/小時/个小时/钟头,
//!   天, 周/週/星期/个星期) and `前`/`之前`/`以前` (`28 分钟前`, `3个小时前`, `两天前`);
//!   `几`/`数` give a vague amount (`几分钟前`, `数小时前`); `半小时前` is 30 minutes.
//!   English: a number, `a`/`an`, a number word, `a few`/`few`/`several`/`a couple of`, a
//!   unit (second/sec, minute/min, hour/hr/h, day, week/wk, singular or plural) and `ago`.
//!   A `前` that starts another word (`前往`, `前后`, `前来`, …) is not "ago".
//!   Forms written with digits (`28 分钟前`, "3 hours ago") are found anywhere; forms
//!   written with words (`三天前`, `几天前`, "two days ago", "an hour ago") only in a short
//!   text node (below). In the corpus every digit form is a frozen feed timestamp (BBC's
//!   `<time dateTime="2021-03-02">11 分钟前</time>`) while every word form is narrative
//!   ("而就在几天前，美国国务卿…").
//!   Months and years (`3年前`, "two years ago") are deliberately left out: in articles
//!   they are almost always narrative ("三十年前，…"), not a frozen feed timestamp, and a
//!   frozen date would claim a precision the text never had. `日前` is left out too: it is
//!   a word of its own ("recently"), and `3日前` usually means "before the 3rd".
//! * **Word forms only in a short text node** (at most 12 characters, or 24 if it is all
//!   ASCII) — a dateline such as `昨天 18:45`, `发布于今天`, `刚刚`, "Yesterday":
//!   `刚刚`/`剛剛`/`刚才`/`剛才`, `今天`/`今日`, `昨天`/`昨日`, `前天`, `大前天`, "just now",
//!   "moments ago", "today", "yesterday". In running prose these words are narrative
//!   ("今天的中国", "he said yesterday") and flagging them would be noise. The word must also
//!   not run into a following letter (`今天的…` and `今日美国` are not datelines). An `HH:MM`
//!   clock right after the word is taken along (`昨天 18:45`).

use jiff::{SignedDuration, Span, Timestamp, tz::Offset};

use crate::text::TextRange;

/// What kind of relative time was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelKind {
    /// `amount` `unit`s ago: `28 分钟前`, "3 hours ago", `大前天` (3 days).
    Ago,
    /// A vague amount of `unit`s ago: `几分钟前`, "a few hours ago" (`amount` is `None`).
    FewAgo,
    /// `刚刚`, "just now", "moments ago".
    JustNow,
    /// `今天`, "today" (amount 0, unit Day).
    Today,
    /// `昨天`, "yesterday" (amount 1, unit Day).
    Yesterday,
    /// `前天` (amount 2, unit Day).
    DayBeforeYesterday,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
}

impl Unit {
    fn seconds(self) -> i64 {
        match self {
            Unit::Second => 1,
            Unit::Minute => 60,
            Unit::Hour => 3600,
            Unit::Day => 86_400,
            Unit::Week => 7 * 86_400,
        }
    }
}

/// One relative time expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RelTime {
    /// Byte range of the whole expression (`28 分钟前`, `昨天 18:45`).
    pub range: TextRange,
    pub kind: RelKind,
    pub amount: Option<i64>,
    pub unit: Option<Unit>,
    /// A wall-clock time given with a day word (`昨天 18:45` → `(18, 45)`).
    pub clock: Option<(u8, u8)>,
}

/// Finds relative time expressions in `text`, in order. See the module docs for what is
/// recognised.
pub fn find_relative_times(text: &str) -> Vec<RelTime> {
    // Every numeric or word form ends in `前` or "ago": without either, only the day words
    // of a short text remain (most text nodes of an article hold neither).
    scan(text, may_say_ago(text))
}

/// The scan behind [`find_relative_times`]; `ago_forms: false` skips the numeric and word
/// forms.
fn scan(text: &str, ago_forms: bool) -> Vec<RelTime> {
    let mut out = Vec::new();
    let short = is_short(text);
    let bytes = text.as_bytes();
    let mut i = if ago_forms { 0 } else { text.len() };
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let prev = text[..i].chars().next_back();
        if numeral_value(c).is_some() && prev.is_none_or(|p| numeral_value(p).is_none()) {
            let run_end = numeral_run_end(text, i);
            if let Some(found) =
                cjk_ago(text, i, run_end).filter(|f| short || is_digit_form(text, f))
            {
                i = found.range.end;
                out.push(found);
                continue;
            }
            if c.is_ascii_digit()
                && !prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == ',')
                && let Some(found) = english_ago(text, i)
            {
                i = found.range.end;
                out.push(found);
                continue;
            }
            i = run_end;
            continue;
        }
        if c.is_ascii_alphabetic() && !prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
            if let Some(found) = english_ago(text, i).filter(|_| short) {
                i = found.range.end;
                out.push(found);
                continue;
            }
            // Skip the rest of the word.
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
                j += 1;
            }
            i = j;
            continue;
        }
        i += c.len_utf8();
    }
    if short {
        add_day_words(text, &mut out);
    }
    out
}

/// Whether `text` holds `前` or "ago" in any case (a cheap test before the scan).
fn may_say_ago(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.contains('前')
        || memchr::memchr2_iter(b'g', b'G', bytes).any(|i| {
            i > 0
                && bytes[i - 1].eq_ignore_ascii_case(&b'a')
                && bytes
                    .get(i + 1)
                    .is_some_and(|o| o.eq_ignore_ascii_case(&b'o'))
        })
}

/// Freezes a relative time to an absolute UTC date (`2023-03-20`) or, for second, minute
/// and hour amounts, a date and time (`2023-03-21 18:45 UTC`), counted back from
/// `reference_ms` (the capture's timestamp, epoch milliseconds). `None` when the amount is
/// too vague to freeze (`几小时前`) or the arithmetic leaves jiff's supported range.
///
/// Day words are resolved against the UTC date of the reference; use
/// [`freeze_with_offset`] when the site's UTC offset is known (a Beijing site's `昨天`).
pub fn freeze(rel: &RelTime, reference_ms: i64) -> Option<String> {
    freeze_with_offset(rel, reference_ms, 0)
}

/// Like [`freeze`], with dates and times in the given UTC offset (seconds east of UTC);
/// times are labelled with the offset (`2023-03-22 02:45 +08:00`).
pub fn freeze_with_offset(rel: &RelTime, reference_ms: i64, offset_seconds: i32) -> Option<String> {
    let reference = Timestamp::from_millisecond(reference_ms).ok()?;
    let offset = Offset::from_seconds(offset_seconds).ok()?;
    let label = offset_label(offset_seconds);
    let date_time = |ts: Timestamp| {
        let dt = offset.to_datetime(ts);
        format!("{} {:02}:{:02} {label}", dt.date(), dt.hour(), dt.minute())
    };
    let days_back = |days: i64| -> Option<String> {
        let date = offset.to_datetime(reference).date();
        let span = Span::new().try_days(days).ok()?;
        Some(date.checked_sub(span).ok()?.to_string())
    };
    match rel.kind {
        RelKind::JustNow => Some(date_time(reference)),
        RelKind::FewAgo => match rel.unit? {
            Unit::Second | Unit::Minute => Some(date_time(reference)),
            Unit::Hour | Unit::Day | Unit::Week => None,
        },
        RelKind::Ago => {
            let amount = rel.amount?;
            match rel.unit? {
                unit @ (Unit::Second | Unit::Minute | Unit::Hour) => {
                    let secs = amount.checked_mul(unit.seconds())?;
                    let ts = reference
                        .checked_sub(SignedDuration::from_secs(secs))
                        .ok()?;
                    Some(date_time(ts))
                }
                Unit::Day => days_back(amount),
                Unit::Week => days_back(amount.checked_mul(7)?),
            }
        }
        RelKind::Today | RelKind::Yesterday | RelKind::DayBeforeYesterday => {
            let back = match rel.kind {
                RelKind::Today => 0,
                RelKind::Yesterday => 1,
                _ => 2,
            };
            let date = days_back(back)?;
            Some(match rel.clock {
                Some((h, m)) => format!("{date} {h:02}:{m:02} {label}"),
                None => date,
            })
        }
    }
}

fn offset_label(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
}

/// Whether a match starts with ASCII or full-width digits (`28 分钟前`, not `三天前`).
fn is_digit_form(text: &str, rel: &RelTime) -> bool {
    text[rel.range.start..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

// ---------------------------------------------------------------------------------------
// numbers

/// The value of a numeral character; `Some(-1)` for the vague `几`/`数`, `Some(-2)` for `半`.
fn numeral_value(c: char) -> Option<i64> {
    Some(match c {
        '0'..='9' => c as i64 - '0' as i64,
        '０'..='９' => c as i64 - '０' as i64,
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        '几' | '幾' | '数' | '數' => -1,
        '半' => -2,
        _ => return None,
    })
}

fn numeral_run_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|&(_, c)| numeral_value(c).is_none())
        .map_or(text.len(), |(i, _)| start + i)
}

/// A parsed numeral run.
enum Amount {
    Exact(i64),
    Few,
    Half,
}

fn parse_numeral(run: &str) -> Option<Amount> {
    let values: Vec<i64> = run.chars().filter_map(numeral_value).collect();
    if values.is_empty() {
        return None;
    }
    if values.contains(&-2) {
        return (values.len() == 1).then_some(Amount::Half);
    }
    if values.contains(&-1) {
        return Some(Amount::Few);
    }
    let ascii = run
        .chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if ascii {
        if values.len() > 9 {
            return None;
        }
        return Some(Amount::Exact(values.iter().fold(0, |acc, v| acc * 10 + v)));
    }
    // Chinese numerals up to 999: 十五, 二十, 二十五, 一百二十, 三.
    let mut total = 0i64;
    let mut current = 0i64;
    for v in values {
        match v {
            10 | 100 => {
                total += if current == 0 { 1 } else { current } * v;
                current = 0;
            }
            digit => {
                if current != 0 {
                    // Two digits in a row (`一两`): a vague amount.
                    return Some(Amount::Few);
                }
                current = digit;
            }
        }
        if total > 999 {
            return None;
        }
    }
    Some(Amount::Exact(total + current))
}

// ---------------------------------------------------------------------------------------
// CJK "N unit 前"

const CJK_UNITS: &[(&str, Unit)] = &[
    ("秒钟", Unit::Second),
    ("秒鐘", Unit::Second),
    ("秒", Unit::Second),
    ("分钟", Unit::Minute),
    ("分鐘", Unit::Minute),
    ("个小时", Unit::Hour),
    ("個小時", Unit::Hour),
    ("小时", Unit::Hour),
    ("小時", Unit::Hour),
    ("个钟头", Unit::Hour),
    ("個鐘頭", Unit::Hour),
    ("钟头", Unit::Hour),
    ("鐘頭", Unit::Hour),
    ("天", Unit::Day),
    ("个星期", Unit::Week),
    ("個星期", Unit::Week),
    ("星期", Unit::Week),
    ("周", Unit::Week),
    ("週", Unit::Week),
];

/// Characters that make `前` the start of another word: 前往, 前进, 前后, 前来, 前夕, 前线 …
const NOT_AGO_AFTER: &[char] = &[
    '往', '进', '進', '后', '後', '来', '來', '夕', '线', '線', '方', '面', '排', '提', '者', '沿',
    '途', '景', '所', '去', '行', '奏',
];

fn skip_spaces(text: &str, mut i: usize, max: usize) -> usize {
    for _ in 0..max {
        match text.get(i..).and_then(|r| r.chars().next()) {
            Some(c) if c.is_whitespace() => i += c.len_utf8(),
            _ => break,
        }
    }
    i
}

fn cjk_ago(text: &str, start: usize, run_end: usize) -> Option<RelTime> {
    let amount = parse_numeral(&text[start..run_end])?;
    let mut i = skip_spaces(text, run_end, 2);
    let rest = text.get(i..)?;
    let &(unit_text, unit) = CJK_UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
    i += unit_text.len();
    let rest = text.get(i..)?;
    let ago_len = ["之前", "以前", "前"]
        .iter()
        .find(|a| rest.starts_with(**a))?
        .len();
    let end = i + ago_len;
    if text[end..].starts_with(NOT_AGO_AFTER) {
        return None;
    }
    let (kind, amount, unit) = match amount {
        Amount::Exact(n) => (RelKind::Ago, Some(n), unit),
        Amount::Few => (RelKind::FewAgo, None, unit),
        Amount::Half if unit == Unit::Hour => (RelKind::Ago, Some(30), Unit::Minute),
        Amount::Half => return None,
    };
    Some(RelTime {
        range: TextRange::new(start, end),
        kind,
        amount,
        unit: Some(unit),
        clock: None,
    })
}

// ---------------------------------------------------------------------------------------
// English "N units ago"

const EN_NUMBERS: &[(&str, i64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("an", 1),
    ("a", 1),
];

/// Vague amounts, longest first.
const EN_FEW: &[&str] = &[
    "a couple of",
    "a couple",
    "a few",
    "several",
    "couple of",
    "few",
];

const EN_UNITS: &[(&str, Unit)] = &[
    ("seconds", Unit::Second),
    ("second", Unit::Second),
    ("secs", Unit::Second),
    ("sec", Unit::Second),
    ("minutes", Unit::Minute),
    ("minute", Unit::Minute),
    ("mins", Unit::Minute),
    ("min", Unit::Minute),
    ("hours", Unit::Hour),
    ("hour", Unit::Hour),
    ("hrs", Unit::Hour),
    ("hr", Unit::Hour),
    ("h", Unit::Hour),
    ("days", Unit::Day),
    ("day", Unit::Day),
    ("weeks", Unit::Week),
    ("week", Unit::Week),
    ("wks", Unit::Week),
    ("wk", Unit::Week),
];

/// `word` at `text[i..]` (ASCII case-insensitive) followed by a non-letter.
fn word_at(text: &str, i: usize, word: &str) -> bool {
    let bytes = text.as_bytes();
    let end = i + word.len();
    end <= bytes.len()
        && bytes[i..end].eq_ignore_ascii_case(word.as_bytes())
        && !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
}

fn english_ago(text: &str, start: usize) -> Option<RelTime> {
    let bytes = text.as_bytes();
    // The amount.
    let (amount, mut i) = if bytes.get(start)?.is_ascii_digit() {
        let mut j = start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j - start > 9 {
            return None;
        }
        let n: i64 = text[start..j].parse().ok()?;
        (Some(n), j)
    } else if let Some(few) = EN_FEW.iter().find(|w| word_at(text, start, w)) {
        (None, start + few.len())
    } else {
        let &(word, n) = EN_NUMBERS.iter().find(|(w, _)| word_at(text, start, w))?;
        (Some(n), start + word.len())
    };
    let digits = amount.is_some() && bytes[start].is_ascii_digit();
    let after_amount = i;
    i = skip_spaces(text, i, 2);
    if i == after_amount && !digits {
        return None;
    }
    let &(unit_text, unit) = EN_UNITS.iter().find(|(u, _)| word_at(text, i, u))?;
    // `3 h ago` is odd but `3h ago` is common; `a h ago` is nothing.
    if unit_text == "h" && !digits {
        return None;
    }
    i += unit_text.len();
    let before_ago = i;
    i = skip_spaces(text, i, 2);
    if i == before_ago || !word_at(text, i, "ago") {
        return None;
    }
    let end = i + 3;
    Some(RelTime {
        range: TextRange::new(start, end),
        kind: if amount.is_some() {
            RelKind::Ago
        } else {
            RelKind::FewAgo
        },
        amount,
        unit: Some(unit),
        clock: None,
    })
}

// ---------------------------------------------------------------------------------------
// day words in short text nodes

fn is_short(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    n <= 12 || (n <= 24 && t.is_ascii())
}

/// (word, kind, amount, unit). Longer words first where one contains another.
const DAY_WORDS: &[(&str, RelKind, Option<i64>, Option<Unit>)] = &[
    ("大前天", RelKind::Ago, Some(3), Some(Unit::Day)),
    (
        "前天",
        RelKind::DayBeforeYesterday,
        Some(2),
        Some(Unit::Day),
    ),
    ("昨天", RelKind::Yesterday, Some(1), Some(Unit::Day)),
    ("昨日", RelKind::Yesterday, Some(1), Some(Unit::Day)),
    ("今天", RelKind::Today, Some(0), Some(Unit::Day)),
    ("今日", RelKind::Today, Some(0), Some(Unit::Day)),
    ("刚刚", RelKind::JustNow, None, None),
    ("剛剛", RelKind::JustNow, None, None),
    ("刚才", RelKind::JustNow, None, None),
    ("剛才", RelKind::JustNow, None, None),
    ("just now", RelKind::JustNow, None, None),
    ("moments ago", RelKind::JustNow, None, None),
    ("a moment ago", RelKind::JustNow, None, None),
    ("yesterday", RelKind::Yesterday, Some(1), Some(Unit::Day)),
    ("today", RelKind::Today, Some(0), Some(Unit::Day)),
];

fn add_day_words(text: &str, out: &mut Vec<RelTime>) {
    let mut i = 0;
    let mut found = Vec::new();
    while i < text.len() {
        let rest = &text[i..];
        let prev = text[..i].chars().next_back();
        let hit = DAY_WORDS.iter().find(|(w, ..)| {
            if w.is_ascii() {
                !prev.is_some_and(|p| p.is_ascii_alphanumeric()) && word_at(text, i, w)
            } else {
                rest.starts_with(w)
            }
        });
        let Some(&(word, kind, amount, unit)) = hit else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let word_end = i + word.len();
        if text[word_end..]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
        {
            i = word_end;
            continue;
        }
        let (clock, end) = match clock_at(text, skip_spaces(text, word_end, 2)) {
            Some((clock, end)) if kind != RelKind::JustNow => (Some(clock), end),
            _ => (None, word_end),
        };
        let range = TextRange::new(i, end);
        if !out.iter().any(|r| r.range.start < end && i < r.range.end) {
            found.push(RelTime {
                range,
                kind,
                amount,
                unit,
                clock,
            });
        }
        i = end;
    }
    out.extend(found);
    out.sort_by_key(|r| r.range.start);
}

/// `H:MM` or `HH:MM` (ASCII or full-width colon) at `i`, not followed by another digit.
fn clock_at(text: &str, i: usize) -> Option<((u8, u8), usize)> {
    let rest = text.get(i..)?;
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let h_len = digits(rest);
    if !(1..=2).contains(&h_len) {
        return None;
    }
    let hour: u8 = rest[..h_len].parse().ok()?;
    let after_h = &rest[h_len..];
    let colon = after_h.chars().next().filter(|c| matches!(c, ':' | '：'))?;
    let minutes = &after_h[colon.len_utf8()..];
    if digits(minutes) != 2 {
        return None;
    }
    let minute: u8 = minutes[..2].parse().ok()?;
    if hour > 23 || minute > 59 {
        return None;
    }
    let end = i + h_len + colon.len_utf8() + 2;
    Some(((hour, minute), end))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// 2023-03-21T19:13:04Z (the seed capture's timestamp).
    const REF: i64 = 1_679_425_984_000;

    proptest::proptest! {
        /// The `前`/"ago" pre-filter never hides a finding: texts of phrases built from a
        /// number, a unit, an "ago" in either language and any case, day words and filler
        /// find the same with and without it.
        #[test]
        fn prefilter_hides_nothing(
            phrases in proptest::collection::vec((0usize..5, 0usize..2, 0usize..6, 0usize..7, 0usize..6), 0..6)
        ) {
            const NUMBERS: [&str; 5] = ["28", "三", "a few", "", "3"];
            const UNITS: [&str; 6] = ["分钟", "个小时", "天", "hours", "minute", ""];
            const AGO: [&str; 7] = ["前", "之前", "以前", " ago", " AGO", " Ago", ""];
            const FILLER: [&str; 6] = ["", "，的", " x ", "昨天", "刚刚", "yesterday"];
            let text: String = phrases
                .iter()
                .map(|&(n, sp, u, a, f)| {
                    format!("{}{}{}{}{}", NUMBERS[n], [" ", ""][sp], UNITS[u], AGO[a], FILLER[f])
                })
                .collect();
            proptest::prop_assert_eq!(find_relative_times(&text), scan(&text, true));
        }
    }

    fn check(texts: &[&str], expect: Expect) {
        let mut out = String::new();
        for text in texts {
            out.push_str(&format!("{text:?}\n"));
            for r in find_relative_times(text) {
                let slice = &text[r.range.start..r.range.end];
                out.push_str(&format!(
                    "    {slice:?} {:?} amount={:?} unit={:?} clock={:?} => {:?}\n",
                    r.kind,
                    r.amount,
                    r.unit,
                    r.clock,
                    freeze(&r, REF)
                ));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn numeric_cjk() {
        check(
            &[
                "28 分钟前",
                "28分钟前",
                "3 小時前",
                "1 天前",
                "更新于 3个小时前",
                "两天前，警方宣布",
                "几分钟前",
                "数小时前",
                "半小时前",
                "十五分钟之前",
                "２８分鐘前",
                "2 周前",
                "30 秒前",
                "一两天前",
            ],
            expect![[r#"
                "28 分钟前"
                    "28 分钟前" Ago amount=Some(28) unit=Some(Minute) clock=None => Some("2023-03-21 18:45 UTC")
                "28分钟前"
                    "28分钟前" Ago amount=Some(28) unit=Some(Minute) clock=None => Some("2023-03-21 18:45 UTC")
                "3 小時前"
                    "3 小時前" Ago amount=Some(3) unit=Some(Hour) clock=None => Some("2023-03-21 16:13 UTC")
                "1 天前"
                    "1 天前" Ago amount=Some(1) unit=Some(Day) clock=None => Some("2023-03-20")
                "更新于 3个小时前"
                    "3个小时前" Ago amount=Some(3) unit=Some(Hour) clock=None => Some("2023-03-21 16:13 UTC")
                "两天前，警方宣布"
                    "两天前" Ago amount=Some(2) unit=Some(Day) clock=None => Some("2023-03-19")
                "几分钟前"
                    "几分钟前" FewAgo amount=None unit=Some(Minute) clock=None => Some("2023-03-21 19:13 UTC")
                "数小时前"
                    "数小时前" FewAgo amount=None unit=Some(Hour) clock=None => None
                "半小时前"
                    "半小时前" Ago amount=Some(30) unit=Some(Minute) clock=None => Some("2023-03-21 18:43 UTC")
                "十五分钟之前"
                    "十五分钟之前" Ago amount=Some(15) unit=Some(Minute) clock=None => Some("2023-03-21 18:58 UTC")
                "２８分鐘前"
                    "２８分鐘前" Ago amount=Some(28) unit=Some(Minute) clock=None => Some("2023-03-21 18:45 UTC")
                "2 周前"
                    "2 周前" Ago amount=Some(2) unit=Some(Week) clock=None => Some("2023-03-07")
                "30 秒前"
                    "30 秒前" Ago amount=Some(30) unit=Some(Second) clock=None => Some("2023-03-21 19:12 UTC")
                "一两天前"
                    "一两天前" FewAgo amount=None unit=Some(Day) clock=None => None
            "#]],
        );
    }

    #[test]
    fn english() {
        check(
            &[
                "3 hours ago",
                "Updated 2 days ago.",
                "an hour ago",
                "a few minutes ago",
                "Two Weeks Ago",
                "3h ago",
                "posted 45 mins ago by staff",
                "1.5 hours ago",
                "a3 hours ago",
                "3 hours agony",
                "hours ago",
                "a h ago",
            ],
            expect![[r#"
                "3 hours ago"
                    "3 hours ago" Ago amount=Some(3) unit=Some(Hour) clock=None => Some("2023-03-21 16:13 UTC")
                "Updated 2 days ago."
                    "2 days ago" Ago amount=Some(2) unit=Some(Day) clock=None => Some("2023-03-19")
                "an hour ago"
                    "an hour ago" Ago amount=Some(1) unit=Some(Hour) clock=None => Some("2023-03-21 18:13 UTC")
                "a few minutes ago"
                    "a few minutes ago" FewAgo amount=None unit=Some(Minute) clock=None => Some("2023-03-21 19:13 UTC")
                "Two Weeks Ago"
                    "Two Weeks Ago" Ago amount=Some(2) unit=Some(Week) clock=None => Some("2023-03-07")
                "3h ago"
                    "3h ago" Ago amount=Some(3) unit=Some(Hour) clock=None => Some("2023-03-21 16:13 UTC")
                "posted 45 mins ago by staff"
                    "45 mins ago" Ago amount=Some(45) unit=Some(Minute) clock=None => Some("2023-03-21 18:28 UTC")
                "1.5 hours ago"
                "a3 hours ago"
                "3 hours agony"
                "hours ago"
                "a h ago"
            "#]],
        );
    }

    #[test]
    fn day_words_in_short_text() {
        check(
            &[
                "昨天",
                "昨天 18:45",
                "发布于今天",
                "前天",
                "大前天",
                "刚刚",
                "剛剛",
                "Yesterday",
                "Just now",
                "yesterday 09:05",
                "今天 25:00",
            ],
            expect![[r#"
                "昨天"
                    "昨天" Yesterday amount=Some(1) unit=Some(Day) clock=None => Some("2023-03-20")
                "昨天 18:45"
                    "昨天 18:45" Yesterday amount=Some(1) unit=Some(Day) clock=Some((18, 45)) => Some("2023-03-20 18:45 UTC")
                "发布于今天"
                    "今天" Today amount=Some(0) unit=Some(Day) clock=None => Some("2023-03-21")
                "前天"
                    "前天" DayBeforeYesterday amount=Some(2) unit=Some(Day) clock=None => Some("2023-03-19")
                "大前天"
                    "大前天" Ago amount=Some(3) unit=Some(Day) clock=None => Some("2023-03-18")
                "刚刚"
                    "刚刚" JustNow amount=None unit=None clock=None => Some("2023-03-21 19:13 UTC")
                "剛剛"
                    "剛剛" JustNow amount=None unit=None clock=None => Some("2023-03-21 19:13 UTC")
                "Yesterday"
                    "Yesterday" Yesterday amount=Some(1) unit=Some(Day) clock=None => Some("2023-03-20")
                "Just now"
                    "Just now" JustNow amount=None unit=None clock=None => Some("2023-03-21 19:13 UTC")
                "yesterday 09:05"
                    "yesterday 09:05" Yesterday amount=Some(1) unit=Some(Day) clock=Some((9, 5)) => Some("2023-03-20 09:05 UTC")
                "今天 25:00"
                    "今天" Today amount=Some(0) unit=Some(Day) clock=None => Some("2023-03-21")
            "#]],
        );
    }

    #[test]
    fn prose_is_not_flagged() {
        for text in [
            "今天的中国",
            "今天，中国外交部发言人表示，美方应该停止干涉香港事务。",
            "他说他昨天在北京见过习近平，并且讨论了很多问题。",
            "他刚刚抵达北京",
            "今日美国",
            "三十年前，他来到香港",
            "30年前",
            "3个月前",
            "他们用了10分钟前往现场",
            "在10分钟前后",
            "请在3日前提交",
            "He said yesterday that the talks had failed and would resume.",
            "而就在几天前，美国国务卿彭佩奥发表的讲话",
            "谈到目前的美中关系，蓬佩奥说，双方在对话之中。他提到他三个星期前",
            "Two days ago, the minister said the talks had failed completely.",
            "two years ago",
            "2020年7月20日 18:45",
            "",
        ] {
            assert_eq!(find_relative_times(text), vec![], "{text}");
        }
    }

    #[test]
    fn mixed_prose_keeps_numeric_forms() {
        let text = "据报道，该视频在28 分钟前上传，今天已被删除。3 hours ago 又更新";
        let found: Vec<&str> = find_relative_times(text)
            .iter()
            .map(|r| &text[r.range.start..r.range.end])
            .collect();
        assert_eq!(found, ["28 分钟前", "3 hours ago"]);
    }

    #[test]
    fn freeze_with_offsets_and_limits() {
        let rel = find_relative_times("28 分钟前")[0];
        assert_eq!(
            freeze_with_offset(&rel, REF, 8 * 3600).as_deref(),
            Some("2023-03-22 02:45 +08:00")
        );
        let yesterday = find_relative_times("昨天")[0];
        assert_eq!(
            freeze_with_offset(&yesterday, REF, 8 * 3600).as_deref(),
            Some("2023-03-21")
        );
        assert_eq!(
            freeze_with_offset(&rel, REF, -5 * 3600 - 1800).as_deref(),
            Some("2023-03-21 13:15 -05:30")
        );
        // Out of range.
        assert_eq!(freeze(&rel, i64::MAX), None);
        assert_eq!(freeze(&rel, i64::MIN), None);
        assert_eq!(freeze_with_offset(&rel, REF, i32::MAX), None);
        let huge = RelTime {
            amount: Some(i64::MAX),
            ..rel
        };
        assert_eq!(freeze(&huge, REF), None);
        let huge_days = RelTime {
            amount: Some(i64::MAX),
            unit: Some(Unit::Week),
            ..rel
        };
        assert_eq!(freeze(&huge_days, REF), None);
        let broken = RelTime {
            amount: None,
            ..rel
        };
        assert_eq!(freeze(&broken, REF), None);
    }

    #[test]
    fn numerals() {
        let p = |s: &str| match parse_numeral(s) {
            Some(Amount::Exact(n)) => format!("{n}"),
            Some(Amount::Few) => "few".into(),
            Some(Amount::Half) => "half".into(),
            None => "none".into(),
        };
        let got: Vec<String> = [
            "3",
            "十",
            "十五",
            "二十",
            "二十五",
            "一百二十",
            "两",
            "几",
            "十几",
            "半",
            "1234567890",
            "九百九十九百",
        ]
        .iter()
        .map(|s| p(s))
        .collect();
        assert_eq!(
            got,
            [
                "3", "10", "15", "20", "25", "120", "2", "few", "few", "half", "none", "none"
            ]
        );
    }

    #[test]
    fn never_panics() {
        for s in [
            "前",
            "分钟前",
            "9999999999999 分钟前",
            "99999999 天前",
            "０",
            "半",
            "半天前",
            "😀3 hours ago😀",
            "昨天 1",
            "昨天 1:",
            "昨天 1:5",
            "昨天 99:99",
            "3",
            "a",
            "a few",
            "3 ",
            "3 hours",
            "3 hours ",
            "今天：",
            "\u{3000}刚刚\u{3000}",
        ] {
            for r in find_relative_times(s) {
                assert!(s.get(r.range.start..r.range.end).is_some());
                let _ = freeze(&r, REF);
                let _ = freeze(&r, 0);
            }
        }
    }
}
