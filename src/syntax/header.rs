//! Capture header parser: splits the header of a capture file (optional BOM, optional
//! Jekyll front matter, `<!--epoch-ms-->` timestamp, `[title](source url)` line, `------`
//! separator, optional `日期：…` date line, blank line) from the HTML body, with byte
//! ranges for every part.
//!
//! The parser never fails and never panics: missing or malformed parts come back as `None`
//! plus a [`SyntaxProblem`]. It only looks at the header lines (at most
//! [`HEADER_SCAN_LIMIT`] bytes), never at the (possibly multi-megabyte, one-line) body.
//! All ranges are byte ranges into the input text, on char boundaries, and exclude line
//! breaks (`\n` and a preceding `\r`).

use crate::text::TextRange;

/// The header parser never looks further into the text than this many bytes.
pub const HEADER_SCAN_LIMIT: usize = 64 * 1024;
/// [`looks_like_capture`] never looks further into the text than this many bytes.
pub const DETECT_SCAN_LIMIT: usize = 4 * 1024;

/// A title may run over at most this many physical lines.
const MAX_TITLE_LINES: usize = 8;
/// A source URL may run over at most this many physical lines.
const MAX_URL_LINES: usize = 4;

/// The parsed header of a capture file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub front_matter: Option<FrontMatter>,
    /// `<!--1679425984000-->`
    pub timestamp: Option<Timestamp>,
    pub title: Option<Title>,
    pub url: Option<SourceUrl>,
    /// The `------` line (without line break).
    pub separator: Option<TextRange>,
    /// `日期：Sat, 27 Jun 2020 13:30:55 +0000` (no-timestamp variant).
    pub date_line: Option<DateLine>,
    /// Byte offset where the HTML body begins (after the blank line). `0` when the text is
    /// not a capture. For front-matter files the `<div>` wrapper is part of the body.
    pub body_start: usize,
    /// The body is wrapped as `<div>\n…\n</div>` (front-matter variant).
    pub body_wrapped: bool,
    /// The body without the `<div>` wrapper when `body_wrapped`, else `body_start..len`.
    pub body_content: TextRange,
    /// `0..body_start`: everything before the body (BOM, front matter, header lines and
    /// their line breaks). `0..0` when the text is not a capture.
    pub range: TextRange,
    /// Whether the text was recognised as a capture (a numeric timestamp line, or a title
    /// line followed by a separator). When `false`, `body_start` is 0 and only the front
    /// matter (if any) is reported.
    pub is_capture: bool,
    /// The text starts with a UTF-8 byte order mark (bytes `0..3`).
    pub bom: bool,
    pub problems: Vec<SyntaxProblem>,
}

/// The `<!--digits-->` line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timestamp {
    /// The whole `<!--…-->`.
    pub range: TextRange,
    /// The inner text, without surrounding whitespace.
    pub digits: TextRange,
    /// Some when the inner text is all ASCII digits and fits in an `i64`.
    pub value: Option<i64>,
}

/// The `[title](url)` construct.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Title {
    /// The whole `[..](..)` construct (may span several physical lines).
    pub line_range: TextRange,
    /// The raw title text between the outer `[` and `]`.
    pub text_range: TextRange,
    /// Entities decoded, `\[`/`\]` unescaped, line breaks collapsed to a space, zero-width
    /// characters removed, trimmed.
    pub text: String,
}

/// The source URL inside the `( )` of the title line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceUrl {
    /// The raw URL text inside `( )`, trimmed.
    pub range: TextRange,
    pub raw: String,
    /// `raw` with embedded line breaks and whitespace removed and entities (`&amp;`) decoded.
    pub cleaned: String,
}

/// The `日期：<date>` line of the no-timestamp variant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateLine {
    pub range: TextRange,
    pub value_range: TextRange,
    pub value: String,
    /// RFC 2822 / RFC 822 or ISO 8601, as epoch milliseconds.
    pub epoch_ms: Option<i64>,
}

/// A Jekyll YAML front matter block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// From the first `---` to the closing `---` inclusive (without line break).
    pub range: TextRange,
    pub fields: Vec<FrontMatterField>,
}

/// One `key: value` entry of the front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatterField {
    pub key: String,
    pub key_range: TextRange,
    /// Unquoted (and for quoted values unescaped and line-folded as YAML does).
    pub value: String,
    /// The raw value: inside the quotes for quoted values, may span lines.
    pub value_range: TextRange,
}

/// A problem found while parsing the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxProblem {
    pub kind: ProblemKind,
    pub range: TextRange,
    pub message: String,
}

/// What kind of header problem. The rule layer decides how loud each one is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// No `<!--digits-->` line (normal for the `日期：` variant).
    MissingTimestamp,
    /// A `<!--…-->` line whose content is not an epoch-milliseconds number, or unterminated.
    InvalidTimestamp,
    /// A title line that is not `[title](url)`.
    MalformedTitleLine,
    /// No title line at all.
    MissingTitle,
    /// The title is empty after cleaning.
    EmptyTitle,
    /// No `------` line where expected.
    MissingSeparator,
    /// `[title]` without `(url)`, or `()`.
    MissingUrl,
    /// `(url` without the closing `)`.
    UnterminatedUrl,
    /// The front matter has no closing `---`.
    UnterminatedFrontMatter,
    /// Text after the `-->` of the timestamp or after the `)` of the title line.
    TrailingCharacters,
    /// No blank line between the header and the body.
    MissingBlankLine,
    /// A `日期：` line whose date could not be parsed.
    InvalidDate,
    /// The text is not a capture at all.
    NotACapture,
}

impl FrontMatter {
    /// The first field with this key.
    pub fn get(&self, key: &str) -> Option<&FrontMatterField> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The `title:` field cleaned like [`Title::text`] (entities decoded, line breaks
    /// collapsed, zero-width characters removed, trimmed).
    pub fn title(&self) -> Option<String> {
        self.get("title").map(|f| clean_title(&f.value))
    }

    /// The `date:` field as epoch milliseconds (ISO 8601, also RFC 2822).
    pub fn date_ms(&self) -> Option<i64> {
        self.get("date").and_then(|f| parse_date_ms(&f.value))
    }
}

impl FrontMatterField {
    /// The items of a flow sequence (`[ BBC, DW ]`) or block sequence (`- BBC` lines);
    /// a plain scalar gives one item (none when empty).
    pub fn items(&self) -> Vec<String> {
        let v = self.value.trim();
        let inner = v.strip_prefix('[').and_then(|s| s.strip_suffix(']'));
        let parts: Vec<&str> = match inner {
            Some(inner) => inner.split(',').collect(),
            None if v.contains('\n') => v.lines().collect(),
            None => vec![v],
        };
        parts
            .into_iter()
            .map(|p| unquote_simple(p.trim().trim_start_matches("- ").trim()))
            .filter(|p| !p.is_empty())
            .collect()
    }
}

impl Header {
    /// The first problem of this kind.
    pub fn problem(&self, kind: ProblemKind) -> Option<&SyntaxProblem> {
        self.problems.iter().find(|p| p.kind == kind)
    }

    /// The publication time in epoch milliseconds: the timestamp line, else the `日期：`
    /// line, else the front matter `date:`.
    pub fn epoch_ms(&self) -> Option<i64> {
        self.timestamp
            .as_ref()
            .and_then(|t| t.value)
            .or_else(|| self.date_line.as_ref().and_then(|d| d.epoch_ms))
            .or_else(|| self.front_matter.as_ref().and_then(|f| f.date_ms()))
    }
}

/// Parses the header of a capture. Never panics, never fails.
pub fn parse_header(text: &str) -> Header {
    parse_with_limit(text, HEADER_SCAN_LIMIT)
}

/// Content-based detection: looks only at the first ~4 KB. An optional BOM, optional front
/// matter, then a numeric `<!--digits-->` line and/or a `[...](...)` line, followed by a
/// `------` line.
pub fn looks_like_capture(text: &str) -> bool {
    let h = parse_with_limit(text, DETECT_SCAN_LIMIT);
    h.is_capture
        && h.separator.is_some()
        && (h.timestamp.as_ref().is_some_and(|t| t.value.is_some())
            || (h.title.is_some() && h.url.is_some()))
}

/// Parses an RFC 2822 / RFC 822 date (weekday checked leniently) or an ISO 8601 date,
/// date-time or timestamp (civil values are taken as UTC) into epoch milliseconds.
pub fn parse_date_ms(value: &str) -> Option<i64> {
    static RFC2822: jiff::fmt::rfc2822::DateTimeParser =
        jiff::fmt::rfc2822::DateTimeParser::new().relaxed_weekday(true);
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(ts) = RFC2822.parse_timestamp(v) {
        return Some(ts.as_millisecond());
    }
    if let Ok(ts) = v.parse::<jiff::Timestamp>() {
        return Some(ts.as_millisecond());
    }
    let civil = v
        .parse::<jiff::civil::DateTime>()
        .or_else(|_| v.parse::<jiff::civil::Date>().map(|d| d.at(0, 0, 0, 0)));
    civil
        .ok()
        .and_then(|dt| jiff::tz::Offset::UTC.to_timestamp(dt).ok())
        .map(|ts| ts.as_millisecond())
}

// ---------------------------------------------------------------------------------------
// Lines

/// One physical line: `start..end` is its content (without `\r\n`), `next` the start of
/// the following line (or `end` at the end of the scanned text).
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

impl Line {
    fn range(self) -> TextRange {
        TextRange::new(self.start, self.end)
    }
}

/// A bounded view of the text: everything the header parser may look at.
struct Src<'a> {
    text: &'a str,
    /// `text[..limit]` is the scanned part; `limit` is a char boundary.
    limit: usize,
}

impl<'a> Src<'a> {
    fn new(text: &'a str, limit: usize) -> Self {
        let mut limit = limit.min(text.len());
        while limit > 0 && !text.is_char_boundary(limit) {
            limit -= 1;
        }
        Src { text, limit }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes().get(..self.limit).unwrap_or_default()
    }

    fn slice(&self, r: TextRange) -> &'a str {
        self.text.get(r.start..r.end).unwrap_or_default()
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes().get(i).copied()
    }

    fn line(&self, start: usize) -> Option<Line> {
        if start >= self.limit {
            return None;
        }
        let bytes = self.bytes();
        let rest = bytes.get(start..).unwrap_or_default();
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let nl = start + i;
                let end = if nl > start && bytes.get(nl - 1) == Some(&b'\r') {
                    nl - 1
                } else {
                    nl
                };
                Some(Line {
                    start,
                    end,
                    next: nl + 1,
                })
            }
            None => {
                let mut end = self.limit;
                if end > start && bytes.get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
                Some(Line {
                    start,
                    end,
                    next: self.limit,
                })
            }
        }
    }

    fn line_text(&self, line: Line) -> &'a str {
        self.slice(line.range())
    }

    fn is_blank(&self, line: Line) -> bool {
        self.line_text(line).trim().is_empty()
    }

    fn is_separator(&self, line: Line) -> bool {
        let t = self.line_text(line).trim_end();
        t.len() >= 3 && t.bytes().all(|b| b == b'-')
    }

    fn is_front_matter_fence(&self, line: Line) -> bool {
        self.line_text(line).trim_end() == "---"
    }
}

fn problem(kind: ProblemKind, range: TextRange, message: impl Into<String>) -> SyntaxProblem {
    SyntaxProblem {
        kind,
        range,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------
// The parser

fn parse_with_limit(text: &str, limit: usize) -> Header {
    let src = Src::new(text, limit);
    let mut h = Header::default();
    let mut pos = 0;
    if text.starts_with('\u{feff}') {
        h.bom = true;
        pos = '\u{feff}'.len_utf8();
    }

    // Front matter.
    if let Some(line) = src.line(pos)
        && src.is_front_matter_fence(line)
    {
        let (fm, next, unterminated) = parse_front_matter(&src, line);
        if unterminated {
            h.problems.push(problem(
                ProblemKind::UnterminatedFrontMatter,
                line.range(),
                "front matter has no closing `---` line",
            ));
        }
        h.front_matter = Some(fm);
        pos = next;
    }
    pos = skip_blank_lines(&src, pos);

    // Timestamp.
    let first_line = src.line(pos);
    match first_line {
        Some(line) if src.line_text(line).trim_start().starts_with("<!--") => {
            parse_timestamp(&src, line, &mut h);
            pos = skip_blank_lines(&src, line.next);
        }
        Some(line) => h.problems.push(problem(
            ProblemKind::MissingTimestamp,
            line.range(),
            "no `<!--epoch-ms-->` timestamp line",
        )),
        None => h.problems.push(problem(
            ProblemKind::MissingTimestamp,
            TextRange::new(pos, pos),
            "no `<!--epoch-ms-->` timestamp line",
        )),
    }

    // Title and URL.
    match src.line(pos) {
        Some(line) if src.is_separator(line) => h.problems.push(problem(
            ProblemKind::MissingTitle,
            line.range(),
            "no `[title](url)` line before the separator",
        )),
        Some(line) => pos = parse_title_line(&src, line, &mut h),
        None => h.problems.push(problem(
            ProblemKind::MissingTitle,
            TextRange::new(pos, pos),
            "no `[title](url)` line",
        )),
    }

    // Separator.
    let mut body_start = pos;
    match src.line(pos) {
        Some(line) if src.is_separator(line) => {
            h.separator = Some(line.range());
            body_start = line.next;
            // Date line and blank line.
            if let Some(dl) = src.line(line.next)
                && let Some(date) = parse_date_line(&src, dl)
            {
                if date.epoch_ms.is_none() {
                    h.problems.push(problem(
                        ProblemKind::InvalidDate,
                        date.value_range,
                        "cannot parse this date (expected RFC 2822 or ISO 8601)",
                    ));
                }
                h.date_line = Some(date);
                body_start = dl.next;
            }
            match src.line(body_start) {
                Some(bl) if src.is_blank(bl) => body_start = bl.next,
                Some(bl) => h.problems.push(problem(
                    ProblemKind::MissingBlankLine,
                    TextRange::new(bl.start, bl.start),
                    "no blank line between the header and the body",
                )),
                None => {}
            }
        }
        Some(line) => {
            h.problems.push(problem(
                ProblemKind::MissingSeparator,
                line.range(),
                "expected the `------` separator line",
            ));
            if src.is_blank(line) {
                body_start = line.next;
            }
        }
        None => h.problems.push(problem(
            ProblemKind::MissingSeparator,
            TextRange::new(pos, pos),
            "expected the `------` separator line",
        )),
    }
    if body_start >= src.limit && src.limit < text.len() {
        // The header did not end within the scan window: never claim the body.
        body_start = src.limit;
    }

    let ts_valid = h.timestamp.as_ref().is_some_and(|t| t.value.is_some());
    h.is_capture = ts_valid || (h.title.is_some() && h.separator.is_some());
    if !h.is_capture {
        let first = first_line.map_or(TextRange::new(pos, pos), |l| l.range());
        let keep: Vec<SyntaxProblem> = h
            .problems
            .drain(..)
            .filter(|p| p.kind == ProblemKind::UnterminatedFrontMatter)
            .collect();
        h = Header {
            front_matter: h.front_matter,
            bom: h.bom,
            body_content: TextRange::new(0, text.len()),
            problems: keep,
            ..Header::default()
        };
        h.problems.push(problem(
            ProblemKind::NotACapture,
            first,
            "not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header",
        ));
        return h;
    }

    h.body_start = body_start;
    h.range = TextRange::new(0, body_start);
    let (wrapped, content) = body_wrapper(text, body_start);
    h.body_wrapped = wrapped;
    h.body_content = content;
    h
}

fn skip_blank_lines(src: &Src, mut pos: usize) -> usize {
    while let Some(line) = src.line(pos) {
        if !src.is_blank(line) || line.next == pos {
            break;
        }
        pos = line.next;
    }
    pos
}

fn parse_timestamp(src: &Src, line: Line, h: &mut Header) {
    let t = src.line_text(line);
    let open = line.start + (t.len() - t.trim_start().len());
    let inner_start = open + 4;
    let close = src
        .slice(TextRange::new(inner_start, line.end))
        .find("-->")
        .map(|i| inner_start + i);
    let Some(close) = close else {
        h.problems.push(problem(
            ProblemKind::InvalidTimestamp,
            line.range(),
            "unterminated `<!--` timestamp comment",
        ));
        return;
    };
    let inner = src.slice(TextRange::new(inner_start, close));
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim();
    let digits = TextRange::new(inner_start + lead, inner_start + lead + trimmed.len());
    let value = if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        trimmed.parse::<i64>().ok()
    } else {
        None
    };
    if value.is_none() {
        let msg = if trimmed.is_empty() {
            "empty timestamp comment"
        } else if trimmed.bytes().all(|b| b.is_ascii_digit()) {
            "timestamp is too large"
        } else {
            "timestamp is not a number of epoch milliseconds"
        };
        let range = if digits.is_empty() {
            TextRange::new(open, close + 3)
        } else {
            digits
        };
        h.problems
            .push(problem(ProblemKind::InvalidTimestamp, range, msg));
    }
    let range = TextRange::new(open, close + 3);
    let rest = src.slice(TextRange::new(range.end, line.end));
    if !rest.trim().is_empty() {
        let lead = rest.len() - rest.trim_start().len();
        h.problems.push(problem(
            ProblemKind::TrailingCharacters,
            TextRange::new(range.end + lead, range.end + rest.trim_end().len()),
            "unexpected text after the timestamp",
        ));
    }
    h.timestamp = Some(Timestamp {
        range,
        digits,
        value,
    });
}

/// Where a bracketed scan ended.
enum Scan {
    /// Offset of the matching closing byte.
    Closed(usize),
    /// Not closed before this offset (a line break before a stop line, or the limit).
    Open(usize),
}

/// Scans from `from` (just after the opening byte) for the matching `close`, counting
/// nesting depth, skipping `\`-escaped bytes, crossing at most `max_lines` line breaks and
/// stopping before a separator line (and before a blank line when `stop_at_blank`).
fn scan_balanced(
    src: &Src,
    from: usize,
    open: u8,
    close: u8,
    max_lines: usize,
    stop_at_blank: bool,
) -> Scan {
    let bytes = src.bytes();
    let mut depth = 1usize;
    let mut lines = 1usize;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' && open == b'[' {
            i += 2;
            continue;
        }
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return Scan::Closed(i);
            }
        } else if b == b'\n' {
            lines += 1;
            let stop = match src.line(i + 1) {
                None => true,
                Some(next) => {
                    src.is_separator(next)
                        || (stop_at_blank && src.is_blank(next))
                        || lines > max_lines
                }
            };
            if stop {
                let end = if i > from && bytes.get(i - 1) == Some(&b'\r') {
                    i - 1
                } else {
                    i
                };
                return Scan::Open(end);
            }
        }
        i += 1;
    }
    Scan::Open(src.limit.max(from))
}

/// Finds the first `](` after `from` that lies before the stop point of a title scan.
fn find_link_middle(src: &Src, from: usize, until: usize) -> Option<usize> {
    let hay = src.bytes().get(from..until)?;
    hay.windows(2).position(|w| w == b"](").map(|i| from + i)
}

/// Parses the `[title](url)` construct starting on `line`; returns the start of the line
/// after it.
fn parse_title_line(src: &Src, line: Line, h: &mut Header) -> usize {
    let t = src.line_text(line);
    let lead = t.len() - t.trim_start().len();
    let open = line.start + lead;
    if src.byte(open) != Some(b'[') {
        h.problems.push(problem(
            ProblemKind::MalformedTitleLine,
            line.range(),
            "expected a `[title](url)` line",
        ));
        return line.next;
    }
    let text_start = open + 1;
    let close = match scan_balanced(src, text_start, b'[', b']', MAX_TITLE_LINES, false) {
        Scan::Closed(c) if src.byte(c + 1) == Some(b'(') => Some(c),
        Scan::Closed(c) => {
            // Unbalanced `]` in the title: look for `](` further on the same line.
            let same_line_end = src.line(line_start_of(src, c)).map_or(c, |l| l.end);
            find_link_middle(src, c, same_line_end).or(Some(c))
        }
        Scan::Open(_) => find_link_middle(src, text_start, title_scan_end(src, line)),
    };
    let Some(close) = close else {
        h.problems.push(problem(
            ProblemKind::MalformedTitleLine,
            line.range(),
            "title line has no closing `]`",
        ));
        return line.next;
    };
    let text_range = TextRange::new(text_start, close);
    let raw_title = src.slice(text_range);
    let text = clean_title(raw_title);
    // The line containing the `]`.
    let mut last_line = src.line(line_start_of(src, close)).unwrap_or(line);
    let mut construct_end = close + 1;

    if src.byte(close + 1) == Some(b'(') {
        let url_start = close + 2;
        let (url_end, terminated) =
            match scan_balanced(src, url_start, b'(', b')', MAX_URL_LINES, true) {
                Scan::Closed(c) => (c, true),
                Scan::Open(end) => {
                    // Unbalanced `(` inside the URL: accept up to a final `)`.
                    let s = src.slice(TextRange::new(url_start, end)).trim_end();
                    match s.strip_suffix(')') {
                        Some(s) => (url_start + s.len(), true),
                        None => (end, false),
                    }
                }
            };
        let mut url_end = url_end;
        if terminated {
            // Unbalanced `)` inside the URL: extend to a final `)` on the same line.
            let l = src.line(line_start_of(src, url_end)).unwrap_or(line);
            let rest = src.slice(TextRange::new(url_end + 1, l.end)).trim_end();
            if rest.ends_with(')') && !rest.contains(char::is_whitespace) {
                url_end = url_end + 1 + rest.len() - 1;
            }
            construct_end = url_end + 1;
        } else {
            construct_end = url_end;
            h.problems.push(problem(
                ProblemKind::UnterminatedUrl,
                TextRange::new(close + 1, url_end),
                "source URL has no closing `)`",
            ));
        }
        last_line = src.line(line_start_of(src, construct_end)).unwrap_or(line);
        let raw_all = src.slice(TextRange::new(url_start, url_end));
        let lead = raw_all.len() - raw_all.trim_start().len();
        let raw = raw_all.trim();
        let range = TextRange::new(url_start + lead, url_start + lead + raw.len());
        if raw.is_empty() {
            h.problems.push(problem(
                ProblemKind::MissingUrl,
                TextRange::new(close + 1, construct_end),
                "the source URL is empty",
            ));
        } else {
            let cleaned: String = decode_entities(raw)
                .chars()
                .filter(|c| !c.is_whitespace() && !is_zero_width(*c))
                .collect();
            h.url = Some(SourceUrl {
                range,
                raw: raw.to_string(),
                cleaned,
            });
        }
    } else {
        h.problems.push(problem(
            ProblemKind::MissingUrl,
            TextRange::new(close + 1, close + 1),
            "expected `(source url)` after the title",
        ));
    }

    let rest_range = TextRange::new(construct_end.min(last_line.end), last_line.end);
    let rest = src.slice(rest_range);
    if !rest.trim().is_empty() {
        let lead = rest.len() - rest.trim_start().len();
        h.problems.push(problem(
            ProblemKind::TrailingCharacters,
            TextRange::new(
                rest_range.start + lead,
                rest_range.start + rest.trim_end().len(),
            ),
            "unexpected text after the title line",
        ));
    }
    if text.is_empty() {
        h.problems.push(problem(
            ProblemKind::EmptyTitle,
            TextRange::new(open, construct_end),
            "the title is empty",
        ));
    }
    h.title = Some(Title {
        line_range: TextRange::new(open, construct_end),
        text_range,
        text,
    });
    last_line.next
}

/// Where a fallback search for `](` must stop: before the separator line, after at most
/// `MAX_TITLE_LINES` lines.
fn title_scan_end(src: &Src, line: Line) -> usize {
    let mut end = line.end;
    let mut l = line;
    for _ in 1..MAX_TITLE_LINES {
        match src.line(l.next) {
            Some(next) if !src.is_separator(next) && next.next > l.next => {
                end = next.end;
                l = next;
            }
            _ => break,
        }
    }
    end
}

/// The start of the line containing `offset` (searching backwards; header lines are short).
fn line_start_of(src: &Src, offset: usize) -> usize {
    let bytes = src.bytes();
    let upto = offset.min(bytes.len());
    bytes
        .get(..upto)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1)
}

fn parse_date_line(src: &Src, line: Line) -> Option<DateLine> {
    let t = src.line_text(line);
    let lead = t.len() - t.trim_start().len();
    let body = t.trim_start();
    let prefix_len = ["日期：", "日期:", "Date:", "date:"]
        .iter()
        .find(|p| body.starts_with(**p))
        .map(|p| p.len())?;
    let after = body.get(prefix_len..).unwrap_or_default();
    let vlead = after.len() - after.trim_start().len();
    let value = after.trim();
    let vstart = line.start + lead + prefix_len + vlead;
    Some(DateLine {
        range: TextRange::new(line.start + lead, line.start + lead + body.trim_end().len()),
        value_range: TextRange::new(vstart, vstart + value.len()),
        value: value.to_string(),
        epoch_ms: parse_date_ms(value),
    })
}

/// `<div>\n…\n</div>` wrapper around the body.
fn body_wrapper(text: &str, body_start: usize) -> (bool, TextRange) {
    let whole = TextRange::new(body_start.min(text.len()), text.len());
    let Some(body) = text.get(body_start..) else {
        return (false, whole);
    };
    let open_len = if body.starts_with("<div>\r\n") {
        7
    } else if body.starts_with("<div>\n") {
        6
    } else {
        return (false, whole);
    };
    let trimmed = body.trim_end();
    let Some(before_close) = trimmed.strip_suffix("</div>") else {
        return (false, whole);
    };
    let Some(inner) = before_close
        .strip_suffix('\n')
        .map(|s| s.strip_suffix('\r').unwrap_or(s))
    else {
        return (false, whole);
    };
    if inner.len() < open_len {
        // `<div>\n</div>`: the opening line break is also the closing one.
        let start = body_start + open_len;
        return (
            true,
            TextRange::new(start, start.max(body_start + inner.len())),
        );
    }
    (
        true,
        TextRange::new(body_start + open_len, body_start + inner.len()),
    )
}

// ---------------------------------------------------------------------------------------
// Front matter

/// Parses the block starting at the `---` line `open`. Returns the front matter, the offset
/// where parsing continues, and whether it was unterminated.
fn parse_front_matter(src: &Src, open: Line) -> (FrontMatter, usize, bool) {
    let mut fm = FrontMatter {
        range: open.range(),
        fields: Vec::new(),
    };
    let mut pos = open.next;
    let mut last_end = open.end;
    while let Some(line) = src.line(pos) {
        if line.next == pos {
            break;
        }
        let t = src.line_text(line);
        if src.is_front_matter_fence(line) || t.trim_end() == "..." {
            fm.range = TextRange::new(open.start, line.end);
            return (fm, line.next, false);
        }
        // Header lines mean the closing fence was lost: resume the header there.
        if t.starts_with("<!--") || t.starts_with('[') || src.is_separator(line) {
            fm.range = TextRange::new(open.start, last_end);
            return (fm, pos, true);
        }
        match parse_field(src, line) {
            Some((field, next, end)) => {
                fm.fields.push(field);
                last_end = end;
                pos = next;
            }
            None => {
                last_end = line.end;
                pos = line.next;
            }
        }
    }
    fm.range = TextRange::new(open.start, last_end);
    (fm, pos, true)
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// One `key: value` field starting at `line`; returns the field, where the next field
/// starts, and the end of its last content line.
fn parse_field(src: &Src, line: Line) -> Option<(FrontMatterField, usize, usize)> {
    let t = src.line_text(line);
    let key_len = t.bytes().take_while(|&b| is_key_byte(b)).count();
    if key_len == 0 {
        return None;
    }
    let key = t.get(..key_len)?;
    let after_key = t.get(key_len..)?;
    let colon = after_key.len() - after_key.trim_start_matches([' ', '\t']).len();
    let rest = after_key.get(colon..)?.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let key_range = TextRange::new(line.start, line.start + key_len);
    let vstart_in_line = key_len + colon + 1 + (rest.len() - rest.trim_start().len());
    let vstart = line.start + vstart_in_line;
    let value_text = rest.trim();
    let field = |value: String, value_range: TextRange| FrontMatterField {
        key: key.to_string(),
        key_range,
        value,
        value_range,
    };

    if let Some(q) = value_text
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')
    {
        // Quoted scalar, possibly over several lines.
        let inner_start = vstart + 1;
        let bytes = src.bytes();
        let mut i = inner_start;
        let mut closed = None;
        while let Some(&b) = bytes.get(i) {
            if q == '"' && b == b'\\' {
                i += 2;
                continue;
            }
            if b == q as u8 {
                if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                closed = Some(i);
                break;
            }
            if b == b'\n' {
                match src.line(i + 1) {
                    Some(next) if !src.is_front_matter_fence(next) => {}
                    _ => break,
                }
            }
            i += 1;
        }
        if let Some(c) = closed {
            let raw = src.slice(TextRange::new(inner_start, c));
            let value = unescape_quoted(raw, q);
            let end_line = src.line(line_start_of(src, c)).unwrap_or(line);
            return Some((
                field(value, TextRange::new(inner_start, c)),
                end_line.next,
                end_line.end,
            ));
        }
        // Unterminated quote: take the rest of the line as is.
        let range = TextRange::new(vstart, vstart + value_text.len());
        return Some((field(value_text.to_string(), range), line.next, line.end));
    }

    if value_text.is_empty() {
        // Block sequence / indented continuation lines.
        let mut pos = line.next;
        let mut first = None;
        let mut last = line;
        let mut items = Vec::new();
        while let Some(l) = src.line(pos) {
            let lt = src.line_text(l);
            if l.next == pos || !(lt.starts_with([' ', '\t']) || lt.starts_with("- ")) {
                break;
            }
            if src.is_blank(l) {
                break;
            }
            let tl = lt.trim();
            items.push(tl.strip_prefix("- ").unwrap_or(tl).trim().to_string());
            let lead = lt.len() - lt.trim_start().len();
            first.get_or_insert(l.start + lead);
            last = l;
            pos = l.next;
        }
        if let Some(first) = first {
            let end = last.start + src.line_text(last).trim_end().len();
            return Some((
                field(items.join("\n"), TextRange::new(first, end)),
                last.next,
                last.end,
            ));
        }
        return Some((
            field(String::new(), TextRange::new(vstart, vstart)),
            line.next,
            line.end,
        ));
    }
    let range = TextRange::new(vstart, vstart + value_text.len());
    Some((field(value_text.to_string(), range), line.next, line.end))
}

/// YAML-style unescaping and line folding of a quoted scalar's raw content.
fn unescape_quoted(raw: &str, q: char) -> String {
    // Fold lines: a single line break becomes a space, each empty line a `\n`.
    let mut folded = String::with_capacity(raw.len());
    let mut lines = raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    if let Some(first) = lines.next() {
        let rest: Vec<&str> = lines.collect();
        if rest.is_empty() {
            folded.push_str(raw);
        } else {
            folded.push_str(first.trim_end());
            let mut empties = 0;
            let n = rest.len();
            for (k, l) in rest.iter().enumerate() {
                let t = if k + 1 == n { l.trim_start() } else { l.trim() };
                if t.is_empty() && k + 1 < n {
                    empties += 1;
                    continue;
                }
                if empties > 0 {
                    folded.extend(std::iter::repeat_n('\n', empties));
                } else {
                    folded.push(' ');
                }
                empties = 0;
                folded.push_str(t);
            }
        }
    }
    if q == '\'' {
        return folded.replace("''", "'");
    }
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn unquote_simple(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.to_string()
}

// ---------------------------------------------------------------------------------------
// Text cleaning

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Cleans raw title text as for [`Title::text`]: decodes entities, unescapes `\[` `\]`,
/// removes zero-width characters, collapses each run of whitespace containing a line break
/// into one space, trims.
pub fn clean_title(raw: &str) -> String {
    let decoded = decode_entities(raw);
    let mut out = String::with_capacity(decoded.len());
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('[' | ']')) {
            continue;
        }
        if is_zero_width(c) {
            continue;
        }
        if c.is_whitespace() {
            let mut ws = String::new();
            ws.push(c);
            while let Some(&n) = chars.peek() {
                if n.is_whitespace() || is_zero_width(n) {
                    if !is_zero_width(n) {
                        ws.push(n);
                    }
                    chars.next();
                } else {
                    break;
                }
            }
            if ws.contains(['\n', '\r']) {
                out.push(' ');
            } else {
                out.push_str(&ws);
            }
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwsp" | "ZeroWidthSpace" => '\u{200b}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "shy" => '\u{ad}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "times" => '×',
        "deg" => '°',
        "yen" => '¥',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

/// Decodes HTML character references (`&amp;`, `&#39;`, `&#x200b;`, a small set of named
/// ones). Unknown or malformed references are kept as they are.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let semi = after.bytes().take(33).position(|b| b == b';');
        let decoded = semi.and_then(|semi| {
            let name = after.get(..semi)?;
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => num.parse::<u32>().ok()?,
                };
                char::from_u32(n).filter(|c| *c != '\0')?
            } else {
                named_entity(name)?
            };
            Some((c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = after.get(semi + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    fn s(text: &str, r: TextRange) -> String {
        match text.get(r.start..r.end) {
            Some(t) if t.chars().count() > 60 => {
                let head: String = t.chars().take(57).collect();
                format!("{}..{} {:?}…", r.start, r.end, head)
            }
            Some(t) => format!("{}..{} {:?}", r.start, r.end, t),
            None => format!("{}..{} <INVALID>", r.start, r.end),
        }
    }

    /// A compact debug rendering used by the snapshots.
    fn render(text: &str) -> String {
        let h = parse_header(text);
        check_ranges(text, &h);
        let mut out = String::new();
        let mut w = |line: String| {
            out.push_str(&line);
            out.push('\n');
        };
        if h.bom {
            w("bom".into());
        }
        if let Some(fm) = &h.front_matter {
            w(format!("front_matter {}", s(text, fm.range)));
            for f in &fm.fields {
                w(format!(
                    "  {} = {:?} @ {}",
                    s(text, f.key_range),
                    f.value,
                    s(text, f.value_range)
                ));
            }
            w(format!("  date_ms {:?}", fm.date_ms()));
        }
        if let Some(t) = &h.timestamp {
            w(format!(
                "timestamp {} digits {} value {:?}",
                s(text, t.range),
                s(text, t.digits),
                t.value
            ));
        }
        if let Some(t) = &h.title {
            w(format!("title {}", s(text, t.line_range)));
            w(format!("  text_range {}", s(text, t.text_range)));
            w(format!("  text {:?}", t.text));
        }
        if let Some(u) = &h.url {
            w(format!("url {}", s(text, u.range)));
            w(format!("  cleaned {:?}", u.cleaned));
        }
        if let Some(r) = h.separator {
            w(format!("separator {}", s(text, r)));
        }
        if let Some(d) = &h.date_line {
            w(format!(
                "date_line {} value {} epoch_ms {:?}",
                s(text, d.range),
                s(text, d.value_range),
                d.epoch_ms
            ));
        }
        w(format!(
            "is_capture {} range {}..{} body_start {} wrapped {} body_content {}",
            h.is_capture,
            h.range.start,
            h.range.end,
            h.body_start,
            h.body_wrapped,
            s(text, h.body_content)
        ));
        for p in &h.problems {
            w(format!(
                "problem {:?} {} {}",
                p.kind,
                s(text, p.range),
                p.message
            ));
        }
        out
    }

    fn check(text: &str, expect: Expect) {
        expect.assert_eq(&render(text));
    }

    fn valid(text: &str, r: TextRange) -> bool {
        r.start <= r.end && text.get(r.start..r.end).is_some()
    }

    /// Every range lies on char boundaries and slices back to what it claims.
    fn check_ranges(text: &str, h: &Header) {
        let sl = |r: TextRange| {
            assert!(valid(text, r), "invalid range {r:?} in {text:?}");
            text.get(r.start..r.end).unwrap_or_default()
        };
        assert!(h.body_start <= text.len() && text.is_char_boundary(h.body_start));
        assert_eq!(h.range, TextRange::new(0, h.body_start));
        let bc = sl(h.body_content);
        if h.is_capture {
            assert!(h.body_content.start >= h.body_start);
        }
        assert!(!bc.is_empty() || h.body_content.is_empty());
        if let Some(fm) = &h.front_matter {
            assert!(sl(fm.range).starts_with("---"));
            for f in &fm.fields {
                assert_eq!(sl(f.key_range), f.key);
                let raw = sl(f.value_range);
                assert!(f.value_range.start >= fm.range.start);
                if !raw.contains(['"', '\'', '\\', '\n']) && !f.value.contains('\n') {
                    assert_eq!(raw, f.value, "{text:?}");
                }
            }
        }
        if let Some(t) = &h.timestamp {
            let whole = sl(t.range);
            assert!(whole.starts_with("<!--") && whole.ends_with("-->"));
            let d = sl(t.digits);
            assert!(t.digits.start >= t.range.start && t.digits.end <= t.range.end);
            if let Some(v) = t.value {
                assert_eq!(d.parse::<i64>().ok(), Some(v));
            }
        }
        if let Some(t) = &h.title {
            let whole = sl(t.line_range);
            assert!(whole.starts_with('['));
            sl(t.text_range);
            assert_eq!(t.text_range.start, t.line_range.start + 1);
            assert_eq!(t.text, t.text.trim());
            assert!(!t.text.contains(['\n', '\r', '\u{200b}', '\u{feff}']));
            assert!(t.text_range.end < t.line_range.end);
        }
        if let Some(u) = &h.url {
            assert_eq!(sl(u.range), u.raw);
            assert!(!u.cleaned.contains(char::is_whitespace));
            if let Some(t) = &h.title {
                assert!(u.range.start > t.text_range.end && u.range.end <= t.line_range.end);
            }
        }
        if let Some(r) = h.separator {
            assert!(sl(r).trim_end().bytes().all(|b| b == b'-'));
        }
        if let Some(d) = &h.date_line {
            assert_eq!(sl(d.value_range), d.value);
            assert!(sl(d.range).contains(&d.value));
        }
        for p in &h.problems {
            sl(p.range);
        }
    }

    #[test]
    fn bare() {
        check(
            "<!--1679425984000-->\n[峰会：双方同意“通过和谈解决危机”](https://www.bbc.com/zhongwen/simp/chinese-news-1)\n------\n\n<main role=\"main\"><div></div></main>",
            expect![[r#"
                timestamp 0..20 "<!--1679425984000-->" digits 4..17 "1679425984000" value Some(1679425984000)
                title 21..124 "[峰会：双方同意“通过和谈解决危机”](https://www.bbc.com/zhongwen/simp/chi"…
                  text_range 22..73 "峰会：双方同意“通过和谈解决危机”"
                  text "峰会：双方同意“通过和谈解决危机”"
                url 75..123 "https://www.bbc.com/zhongwen/simp/chinese-news-1"
                  cleaned "https://www.bbc.com/zhongwen/simp/chinese-news-1"
                separator 125..131 "------"
                is_capture true range 0..133 body_start 133 wrapped false body_content 133..169 "<main role=\"main\"><div></div></main>"
            "#]],
        );
    }

    #[test]
    fn no_timestamp_with_date_line() {
        check(
            "[质化研究 | 农村留守女性](https://chinadigitaltimes.net/chinese/2020/06/%e8%b4%a8%e5%8c%96/)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n<div class=\"\">x</div>",
            expect![[r#"
                title 0..102 "[质化研究 | 农村留守女性](https://chinadigitaltimes.net/chinese/202"…
                  text_range 1..34 "质化研究 | 农村留守女性"
                  text "质化研究 | 农村留守女性"
                url 36..101 "https://chinadigitaltimes.net/chinese/2020/06/%e8%b4%a8%e"…
                  cleaned "https://chinadigitaltimes.net/chinese/2020/06/%e8%b4%a8%e5%8c%96/"
                separator 103..109 "------"
                date_line 110..150 "日期：Sat, 27 Jun 2020 13:30:55 +0000" value 119..150 "Sat, 27 Jun 2020 13:30:55 +0000" epoch_ms Some(1593264655000)
                is_capture true range 0..152 body_start 152 wrapped false body_content 152..173 "<div class=\"\">x</div>"
                problem MissingTimestamp 0..102 "[质化研究 | 农村留守女性](https://chinadigitaltimes.net/chinese/202"… no `<!--epoch-ms-->` timestamp line
            "#]],
        );
    }

    #[test]
    fn front_matter() {
        check(
            "---\nlayout: post\ntitle: \"《黑豹》主角 &quot;去世&quot;\"\ndate: 2020-08-29T13:30:55.000Z\nauthor: BBC\nfrom: http://www.bbc.com/zhongwen/simp/science-1\ntags: [ BBC ]\ncomments: True\ncategories: [ BBC ]\n---\n<!--1598707855000-->\n[《黑豹》主角 &quot;去世&quot;](http://www.bbc.com/zhongwen/simp/science-1)\n------\n\n<div>\n<figure><img alt=\"x\"></figure>\n</div>\n",
            expect![[r#"
                front_matter 0..208 "---\nlayout: post\ntitle: \"《黑豹》主角 &quot;去世&quot;\"\ndate: 202"…
                  4..10 "layout" = "post" @ 12..16 "post"
                  17..22 "title" = "《黑豹》主角 &quot;去世&quot;" @ 25..62 "《黑豹》主角 &quot;去世&quot;"
                  64..68 "date" = "2020-08-29T13:30:55.000Z" @ 70..94 "2020-08-29T13:30:55.000Z"
                  95..101 "author" = "BBC" @ 103..106 "BBC"
                  107..111 "from" = "http://www.bbc.com/zhongwen/simp/science-1" @ 113..155 "http://www.bbc.com/zhongwen/simp/science-1"
                  156..160 "tags" = "[ BBC ]" @ 162..169 "[ BBC ]"
                  170..178 "comments" = "True" @ 180..184 "True"
                  185..195 "categories" = "[ BBC ]" @ 197..204 "[ BBC ]"
                  date_ms Some(1598707855000)
                timestamp 209..229 "<!--1598707855000-->" digits 213..226 "1598707855000" value Some(1598707855000)
                title 230..313 "[《黑豹》主角 &quot;去世&quot;](http://www.bbc.com/zhongwen/simp/"…
                  text_range 231..268 "《黑豹》主角 &quot;去世&quot;"
                  text "《黑豹》主角 \"去世\""
                url 270..312 "http://www.bbc.com/zhongwen/simp/science-1"
                  cleaned "http://www.bbc.com/zhongwen/simp/science-1"
                separator 314..320 "------"
                is_capture true range 0..322 body_start 322 wrapped true body_content 328..358 "<figure><img alt=\"x\"></figure>"
            "#]],
        );
    }

    #[test]
    fn front_matter_multiline_quoted_title_and_empty_body() {
        check(
            "---\nlayout: post\ntitle: \"某人其事\n\n\"\ndate: 2020-08-10T12:54:22.000Z\nsingle: 'it''s'\nlist:\n  - a\n  - \"b\"\n---\n<!--1597064062000-->\n[某人其事](https://www.dw.com/zh/%E9%BB%8E/a-1)\n------\n\n<div>\n\n</div>\n",
            expect![[r#"
                front_matter 0..111 "---\nlayout: post\ntitle: \"某人其事\n\n\"\ndate: 2020-08-10T12:54:2"…
                  4..10 "layout" = "post" @ 12..16 "post"
                  17..22 "title" = "某人其事\n" @ 25..39 "某人其事\n\n"
                  41..45 "date" = "2020-08-10T12:54:22.000Z" @ 47..71 "2020-08-10T12:54:22.000Z"
                  72..78 "single" = "it's" @ 81..86 "it''s"
                  88..92 "list" = "a\n\"b\"" @ 96..107 "- a\n  - \"b\""
                  date_ms Some(1597064062000)
                timestamp 112..132 "<!--1597064062000-->" digits 116..129 "1597064062000" value Some(1597064062000)
                title 133..184 "[某人其事](https://www.dw.com/zh/%E9%BB%8E/a-1)"
                  text_range 134..146 "某人其事"
                  text "某人其事"
                url 148..183 "https://www.dw.com/zh/%E9%BB%8E/a-1"
                  cleaned "https://www.dw.com/zh/%E9%BB%8E/a-1"
                separator 185..191 "------"
                is_capture true range 0..193 body_start 193 wrapped true body_content 199..199 ""
            "#]],
        );
    }

    #[test]
    fn crlf() {
        check(
            "<!--1594953918000-->\r\n[中国制裁 稀土断供](http://www.bbc.com/zhongwen/simp/chinese-news-1)\r\n------\r\n\r\n<div>body</div>\r\n",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 22..98 "[中国制裁 稀土断供](http://www.bbc.com/zhongwen/simp/chinese-news-1)"
                  text_range 23..48 "中国制裁 稀土断供"
                  text "中国制裁 稀土断供"
                url 50..97 "http://www.bbc.com/zhongwen/simp/chinese-news-1"
                  cleaned "http://www.bbc.com/zhongwen/simp/chinese-news-1"
                separator 100..106 "------"
                is_capture true range 0..110 body_start 110 wrapped false body_content 110..127 "<div>body</div>\r\n"
            "#]],
        );
    }

    #[test]
    fn crlf_front_matter_wrapped() {
        check(
            "---\r\ntitle: 'T'\r\ntags: [ A, B ]\r\n---\r\n<!--1-->\r\n[T](u)\r\n------\r\n\r\n<div>\r\n<p>x</p>\r\n</div>\r\n",
            expect![[r#"
                front_matter 0..36 "---\r\ntitle: 'T'\r\ntags: [ A, B ]\r\n---"
                  5..10 "title" = "T" @ 13..14 "T"
                  17..21 "tags" = "[ A, B ]" @ 23..31 "[ A, B ]"
                  date_ms None
                timestamp 38..46 "<!--1-->" digits 42..43 "1" value Some(1)
                title 48..54 "[T](u)"
                  text_range 49..50 "T"
                  text "T"
                url 52..53 "u"
                  cleaned "u"
                separator 56..62 "------"
                is_capture true range 0..66 body_start 66 wrapped true body_content 73..81 "<p>x</p>"
            "#]],
        );
    }

    #[test]
    fn bom() {
        check(
            "\u{feff}<!--1594953918000-->\n[标题](https://example.com/a)\n------\n\n<p>x</p>",
            expect![[r#"
                bom
                timestamp 3..23 "<!--1594953918000-->" digits 7..20 "1594953918000" value Some(1594953918000)
                title 24..55 "[标题](https://example.com/a)"
                  text_range 25..31 "标题"
                  text "标题"
                url 33..54 "https://example.com/a"
                  cleaned "https://example.com/a"
                separator 56..62 "------"
                is_capture true range 0..64 body_start 64 wrapped false body_content 64..72 "<p>x</p>"
            "#]],
        );
    }

    #[test]
    fn nested_brackets_and_rfi_url() {
        check(
            "<!--1593514529000-->\n[[视频]北京[快讯]通过[法案]](http://www.rfi.fr//cn/%E6%B8%AF/20200630-%E8%A7%86?a=1&amp;b=2)\n------\n\n<div></div>",
            expect![[r#"
                timestamp 0..20 "<!--1593514529000-->" digits 4..17 "1593514529000" value Some(1593514529000)
                title 21..123 "[[视频]北京[快讯]通过[法案]](http://www.rfi.fr//cn/%E6%B8%AF/202006"…
                  text_range 22..58 "[视频]北京[快讯]通过[法案]"
                  text "[视频]北京[快讯]通过[法案]"
                url 60..122 "http://www.rfi.fr//cn/%E6%B8%AF/20200630-%E8%A7%86?a=1&am"…
                  cleaned "http://www.rfi.fr//cn/%E6%B8%AF/20200630-%E8%A7%86?a=1&b=2"
                separator 124..130 "------"
                is_capture true range 0..132 body_start 132 wrapped false body_content 132..143 "<div></div>"
            "#]],
        );
    }

    #[test]
    fn unbalanced_brackets_in_title() {
        check(
            "<!--1-->\n[a ] b](https://e.com/x)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..33 "[a ] b](https://e.com/x)"
                  text_range 10..15 "a ] b"
                  text "a ] b"
                url 17..32 "https://e.com/x"
                  cleaned "https://e.com/x"
                separator 34..40 "------"
                is_capture true range 0..42 body_start 42 wrapped false body_content 42..49 "<p></p>"
            "#]],
        );
        check(
            "<!--1-->\n[a [b](https://e.com/x)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..32 "[a [b](https://e.com/x)"
                  text_range 10..14 "a [b"
                  text "a [b"
                url 16..31 "https://e.com/x"
                  cleaned "https://e.com/x"
                separator 33..39 "------"
                is_capture true range 0..41 body_start 41 wrapped false body_content 41..48 "<p></p>"
            "#]],
        );
    }

    #[test]
    fn entities_and_zero_width_in_title() {
        check(
            "<!--1-->\n[六神｜\u{200b}有没有 &quot;发现&quot; &amp; Tom&#39;s &#x201C;x&#x201D;\u{feff}](https://e.com/%e2%80%8b)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..113 "[六神｜\u{200b}有没有 &quot;发现&quot; &amp; Tom&#39;s &#x201C;x&#x201D;"…
                  text_range 10..87 "六神｜\u{200b}有没有 &quot;发现&quot; &amp; Tom&#39;s &#x201C;x&#x201D;\u{feff}"
                  text "六神｜有没有 \"发现\" & Tom's “x”"
                url 89..112 "https://e.com/%e2%80%8b"
                  cleaned "https://e.com/%e2%80%8b"
                separator 114..120 "------"
                is_capture true range 0..122 body_start 122 wrapped false body_content 122..129 "<p></p>"
            "#]],
        );
    }

    #[test]
    fn multi_line_title() {
        check(
            "<!--1-->\n[第一行\n第二行\r\n\n](https://www.dw.com/zh/a-1)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..60 "[第一行\n第二行\r\n\n](https://www.dw.com/zh/a-1)"
                  text_range 10..32 "第一行\n第二行\r\n\n"
                  text "第一行 第二行"
                url 34..59 "https://www.dw.com/zh/a-1"
                  cleaned "https://www.dw.com/zh/a-1"
                separator 61..67 "------"
                is_capture true range 0..69 body_start 69 wrapped false body_content 69..76 "<p></p>"
            "#]],
        );
    }

    #[test]
    fn url_with_line_break() {
        check(
            "<!--1-->\n[标题](https://www.dw.com/zh/%E9%BB%8E\n%E6%99%BA/a-1?x=1&amp;y=2\r\n)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..78 "[标题](https://www.dw.com/zh/%E9%BB%8E\n%E6%99%BA/a-1?x=1&am"…
                  text_range 10..16 "标题"
                  text "标题"
                url 18..75 "https://www.dw.com/zh/%E9%BB%8E\n%E6%99%BA/a-1?x=1&amp;y=2"
                  cleaned "https://www.dw.com/zh/%E9%BB%8E%E6%99%BA/a-1?x=1&y=2"
                separator 79..85 "------"
                is_capture true range 0..87 body_start 87 wrapped false body_content 87..94 "<p></p>"
            "#]],
        );
    }

    #[test]
    fn url_with_parentheses() {
        check(
            "<!--1-->\n[Foo](https://en.wikipedia.org/wiki/Foo_(bar))\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..55 "[Foo](https://en.wikipedia.org/wiki/Foo_(bar))"
                  text_range 10..13 "Foo"
                  text "Foo"
                url 15..54 "https://en.wikipedia.org/wiki/Foo_(bar)"
                  cleaned "https://en.wikipedia.org/wiki/Foo_(bar)"
                separator 56..62 "------"
                is_capture true range 0..64 body_start 64 wrapped false body_content 64..71 "<p></p>"
            "#]],
        );
        check(
            "<!--1-->\n[Foo](https://e.com/a_(b)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..34 "[Foo](https://e.com/a_(b)"
                  text_range 10..13 "Foo"
                  text "Foo"
                url 15..33 "https://e.com/a_(b"
                  cleaned "https://e.com/a_(b"
                separator 35..41 "------"
                is_capture true range 0..43 body_start 43 wrapped false body_content 43..50 "<p></p>"
            "#]],
        );
        check(
            "<!--1-->\n[Foo](https://e.com/a_b)c)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..35 "[Foo](https://e.com/a_b)c)"
                  text_range 10..13 "Foo"
                  text "Foo"
                url 15..34 "https://e.com/a_b)c"
                  cleaned "https://e.com/a_b)c"
                separator 36..42 "------"
                is_capture true range 0..44 body_start 44 wrapped false body_content 44..51 "<p></p>"
            "#]],
        );
    }

    #[test]
    fn missing_separator() {
        check(
            "<!--1594953918000-->\n[标题](https://e.com/a)\n\n<div>body</div>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 21..46 "[标题](https://e.com/a)"
                  text_range 22..28 "标题"
                  text "标题"
                url 30..45 "https://e.com/a"
                  cleaned "https://e.com/a"
                is_capture true range 0..48 body_start 48 wrapped false body_content 48..63 "<div>body</div>"
                problem MissingSeparator 47..47 "" expected the `------` separator line
            "#]],
        );
        check(
            "<!--1594953918000-->\n[标题](https://e.com/a)\n<div>body</div>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 21..46 "[标题](https://e.com/a)"
                  text_range 22..28 "标题"
                  text "标题"
                url 30..45 "https://e.com/a"
                  cleaned "https://e.com/a"
                is_capture true range 0..47 body_start 47 wrapped false body_content 47..62 "<div>body</div>"
                problem MissingSeparator 47..62 "<div>body</div>" expected the `------` separator line
            "#]],
        );
    }

    #[test]
    fn missing_url() {
        check(
            "<!--1594953918000-->\n[标题]\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 21..29 "[标题]"
                  text_range 22..28 "标题"
                  text "标题"
                separator 30..36 "------"
                is_capture true range 0..38 body_start 38 wrapped false body_content 38..45 "<p></p>"
                problem MissingUrl 29..29 "" expected `(source url)` after the title
            "#]],
        );
        check(
            "<!--1594953918000-->\n[标题]()\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 21..31 "[标题]()"
                  text_range 22..28 "标题"
                  text "标题"
                separator 32..38 "------"
                is_capture true range 0..40 body_start 40 wrapped false body_content 40..47 "<p></p>"
                problem MissingUrl 29..31 "()" the source URL is empty
            "#]],
        );
    }

    #[test]
    fn unterminated_url() {
        check(
            "<!--1594953918000-->\n[标题](https://e.com/a\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 21..45 "[标题](https://e.com/a"
                  text_range 22..28 "标题"
                  text "标题"
                url 30..45 "https://e.com/a"
                  cleaned "https://e.com/a"
                separator 46..52 "------"
                is_capture true range 0..54 body_start 54 wrapped false body_content 54..61 "<p></p>"
                problem UnterminatedUrl 29..45 "(https://e.com/a" source URL has no closing `)`
            "#]],
        );
    }

    #[test]
    fn missing_and_empty_title() {
        check(
            "<!--1594953918000-->\n------\n\n<p></p>",
            expect![[r#"
            timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
            separator 21..27 "------"
            is_capture true range 0..29 body_start 29 wrapped false body_content 29..36 "<p></p>"
            problem MissingTitle 21..27 "------" no `[title](url)` line before the separator
        "#]],
        );
        check(
            "<!--1594953918000-->\n[ \u{200b} ](https://e.com/)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                title 21..44 "[ \u{200b} ](https://e.com/)"
                  text_range 22..27 " \u{200b} "
                  text ""
                url 29..43 "https://e.com/"
                  cleaned "https://e.com/"
                separator 45..51 "------"
                is_capture true range 0..53 body_start 53 wrapped false body_content 53..60 "<p></p>"
                problem EmptyTitle 21..44 "[ \u{200b} ](https://e.com/)" the title is empty
            "#]],
        );
        check(
            "<!--1594953918000-->\nnot a title\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..20 "<!--1594953918000-->" digits 4..17 "1594953918000" value Some(1594953918000)
                separator 33..39 "------"
                is_capture true range 0..41 body_start 41 wrapped false body_content 41..48 "<p></p>"
                problem MalformedTitleLine 21..32 "not a title" expected a `[title](url)` line
            "#]],
        );
    }

    #[test]
    fn non_digit_timestamps() {
        check(
            "<!--16794x25984000-->\n[T](https://e.com/)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..21 "<!--16794x25984000-->" digits 4..18 "16794x25984000" value None
                title 22..41 "[T](https://e.com/)"
                  text_range 23..24 "T"
                  text "T"
                url 26..40 "https://e.com/"
                  cleaned "https://e.com/"
                separator 42..48 "------"
                is_capture true range 0..50 body_start 50 wrapped false body_content 50..57 "<p></p>"
                problem InvalidTimestamp 4..18 "16794x25984000" timestamp is not a number of epoch milliseconds
            "#]],
        );
        check(
            "<!---->\n[T](https://e.com/)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..7 "<!---->" digits 4..4 "" value None
                title 8..27 "[T](https://e.com/)"
                  text_range 9..10 "T"
                  text "T"
                url 12..26 "https://e.com/"
                  cleaned "https://e.com/"
                separator 28..34 "------"
                is_capture true range 0..36 body_start 36 wrapped false body_content 36..43 "<p></p>"
                problem InvalidTimestamp 0..7 "<!---->" empty timestamp comment
            "#]],
        );
        check(
            "<!--99999999999999999999999--> junk\n[T](https://e.com/)\n------\n\n<p></p>",
            expect![[r#"
                timestamp 0..30 "<!--99999999999999999999999-->" digits 4..27 "99999999999999999999999" value None
                title 36..55 "[T](https://e.com/)"
                  text_range 37..38 "T"
                  text "T"
                url 40..54 "https://e.com/"
                  cleaned "https://e.com/"
                separator 56..62 "------"
                is_capture true range 0..64 body_start 64 wrapped false body_content 64..71 "<p></p>"
                problem InvalidTimestamp 4..27 "99999999999999999999999" timestamp is too large
                problem TrailingCharacters 31..35 "junk" unexpected text after the timestamp
            "#]],
        );
        check(
            "<!--1679425984000\n[T](https://e.com/)\n------\n\n<p></p>",
            expect![[r#"
                title 18..37 "[T](https://e.com/)"
                  text_range 19..20 "T"
                  text "T"
                url 22..36 "https://e.com/"
                  cleaned "https://e.com/"
                separator 38..44 "------"
                is_capture true range 0..46 body_start 46 wrapped false body_content 46..53 "<p></p>"
                problem InvalidTimestamp 0..17 "<!--1679425984000" unterminated `<!--` timestamp comment
            "#]],
        );
    }

    #[test]
    fn missing_blank_line_and_header_only() {
        check(
            "<!--1-->\n[T](https://e.com/)\n------\n<p>x</p>",
            expect![[r#"
                timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
                title 9..28 "[T](https://e.com/)"
                  text_range 10..11 "T"
                  text "T"
                url 13..27 "https://e.com/"
                  cleaned "https://e.com/"
                separator 29..35 "------"
                is_capture true range 0..36 body_start 36 wrapped false body_content 36..44 "<p>x</p>"
                problem MissingBlankLine 36..36 "" no blank line between the header and the body
            "#]],
        );
        check(
            "<!--1-->\n[T](https://e.com/)\n------",
            expect![[r#"
            timestamp 0..8 "<!--1-->" digits 4..5 "1" value Some(1)
            title 9..28 "[T](https://e.com/)"
              text_range 10..11 "T"
              text "T"
            url 13..27 "https://e.com/"
              cleaned "https://e.com/"
            separator 29..35 "------"
            is_capture true range 0..35 body_start 35 wrapped false body_content 35..35 ""
        "#]],
        );
    }

    #[test]
    fn unterminated_front_matter() {
        check(
            "---\ntitle: \"T\"\n<!--1-->\n[T](https://e.com/)\n------\n\n<p></p>",
            expect![[r#"
                front_matter 0..14 "---\ntitle: \"T\""
                  4..9 "title" = "T" @ 12..13 "T"
                  date_ms None
                timestamp 15..23 "<!--1-->" digits 19..20 "1" value Some(1)
                title 24..43 "[T](https://e.com/)"
                  text_range 25..26 "T"
                  text "T"
                url 28..42 "https://e.com/"
                  cleaned "https://e.com/"
                separator 44..50 "------"
                is_capture true range 0..52 body_start 52 wrapped false body_content 52..59 "<p></p>"
                problem UnterminatedFrontMatter 0..3 "---" front matter has no closing `---` line
            "#]],
        );
    }

    #[test]
    fn empty_input() {
        check(
            "",
            expect![[r#"
            is_capture false range 0..0 body_start 0 wrapped false body_content 0..0 ""
            problem NotACapture 0..0 "" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
        "#]],
        );
        check(
            "\u{feff}",
            expect![[r#"
            bom
            is_capture false range 0..0 body_start 0 wrapped false body_content 0..3 "\u{feff}"
            problem NotACapture 3..3 "" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
        "#]],
        );
    }

    #[test]
    fn garbage_input() {
        check(
            "\u{0}\u{1}garbage ] ( ) [\n-->\n",
            expect![[r#"
            is_capture false range 0..0 body_start 0 wrapped false body_content 0..22 "\0\u{1}garbage ] ( ) [\n-->\n"
            problem NotACapture 0..17 "\0\u{1}garbage ] ( ) [" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
        "#]],
        );
        check(
            "# Title\n\nSome [link](https://e.com/) text.\n",
            expect![[r##"
            is_capture false range 0..0 body_start 0 wrapped false body_content 0..43 "# Title\n\nSome [link](https://e.com/) text.\n"
            problem NotACapture 0..7 "# Title" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
        "##]],
        );
        check(
            "[link](https://e.com/)\n\nMarkdown paragraph.\n",
            expect![[r#"
            is_capture false range 0..0 body_start 0 wrapped false body_content 0..44 "[link](https://e.com/)\n\nMarkdown paragraph.\n"
            problem NotACapture 0..22 "[link](https://e.com/)" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
        "#]],
        );
        check(
            "<!-- a comment -->\n<p>html</p>\n",
            expect![[r#"
            is_capture false range 0..0 body_start 0 wrapped false body_content 0..31 "<!-- a comment -->\n<p>html</p>\n"
            problem NotACapture 0..18 "<!-- a comment -->" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
        "#]],
        );
        check(
            "---\nlayout: post\ntitle: Hello\n---\n# Jekyll post\n",
            expect![[r##"
                front_matter 0..33 "---\nlayout: post\ntitle: Hello\n---"
                  4..10 "layout" = "post" @ 12..16 "post"
                  17..22 "title" = "Hello" @ 24..29 "Hello"
                  date_ms None
                is_capture false range 0..0 body_start 0 wrapped false body_content 0..48 "---\nlayout: post\ntitle: Hello\n---\n# Jekyll post\n"
                problem NotACapture 34..47 "# Jekyll post" not a capture: no `<!--epoch-ms-->` line and no `[title](url)` + `------` header
            "##]],
        );
    }

    #[test]
    fn detection() {
        let yes = [
            "<!--1679425984000-->\n[T](https://e.com/)\n------\n\n<p></p>",
            "\u{feff}<!--1-->\r\n[T](u)\r\n------\r\n",
            "[T](https://e.com/)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n<p></p>",
            "---\ntitle: x\n---\n<!--1-->\n[T](https://e.com/)\n------\n\n<div>\n\n</div>",
            "<!--1679425984000-->\n------\n",
        ];
        let no = [
            "",
            "[link](https://e.com/)\n\ntext",
            "[link](https://e.com/) and more\ntext\n",
            "<!-- comment -->\n<p>x</p>",
            "<!-- comment -->\n------\n",
            "<!--1679425984000-->\n[T](https://e.com/)\n",
            "---\ntitle: x\n---\n# Post\n",
            "<html><body>x</body></html>",
        ];
        for t in yes {
            assert!(looks_like_capture(t), "{t:?}");
        }
        for t in no {
            assert!(!looks_like_capture(t), "{t:?}");
        }
        // Only the first ~4 KB are looked at.
        let late = format!("{}\n<!--1-->\n[T](u)\n------\n", "\n".repeat(5000));
        assert!(!looks_like_capture(&late));
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date_ms("Sat, 27 Jun 2020 13:30:55 +0000"),
            Some(1_593_264_655_000)
        );
        // Wrong weekday is tolerated.
        assert_eq!(
            parse_date_ms("Sun, 27 Jun 2020 13:30:55 +0000"),
            Some(1_593_264_655_000)
        );
        assert_eq!(
            parse_date_ms("Mon, 20 Jul 2020 18:57:48 GMT"),
            Some(1_595_271_468_000)
        );
        assert_eq!(
            parse_date_ms("2020-08-29T13:30:55.000Z"),
            Some(1_598_707_855_000)
        );
        assert_eq!(
            parse_date_ms("2020-08-29 13:30:55"),
            Some(1_598_707_855_000)
        );
        assert_eq!(parse_date_ms("2020-08-29"), Some(1_598_659_200_000));
        assert_eq!(parse_date_ms("yesterday"), None);
        assert_eq!(parse_date_ms(""), None);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&lt;&#39;&#x27;&nbsp;&bogus;&;&#xZZ;&"),
            "a&b<''\u{a0}&bogus;&;&#xZZ;&"
        );
        assert_eq!(decode_entities("&#0;&#1114112;"), "&#0;&#1114112;");
    }

    #[test]
    fn front_matter_items() {
        let h = parse_header(
            "---\ntags: [ BBC, \"DW\" ]\nlist:\n  - a\n  - b\n---\n<!--1-->\n[T](u)\n------\n",
        );
        let fm = h.front_matter.unwrap_or_default();
        let items = |k: &str| fm.get(k).map(|f| f.items()).unwrap_or_default();
        assert_eq!(items("tags"), ["BBC", "DW"]);
        assert_eq!(items("list"), ["a", "b"]);
        assert!(fm.get("nope").is_none());
    }

    #[test]
    fn header_epoch_ms_fallbacks() {
        let h = parse_header("[T](u)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n");
        assert_eq!(h.epoch_ms(), Some(1_593_264_655_000));
        assert!(h.problem(ProblemKind::MissingTimestamp).is_some());
        let h = parse_header("<!--5-->\n[T](u)\n------\n\n");
        assert_eq!(h.epoch_ms(), Some(5));
    }

    #[test]
    fn huge_bodies_are_not_scanned() {
        let body = "<p>".to_string() + &"正文 x".repeat(2_000_000) + "</p>";
        let text = format!("<!--1-->\n[T](https://e.com/)\n------\n\n{body}");
        let h = parse_header(&text);
        assert!(looks_like_capture(&text));
        assert_eq!(h.body_start, text.len() - body.len());
        check_ranges(&text, &h);
        // One line of garbage, no line break at all.
        let garbage = "[".repeat(5_000_000);
        let h = parse_header(&garbage);
        assert!(!h.is_capture);
        check_ranges(&garbage, &h);
        assert!(!looks_like_capture(&garbage));
        let unclosed = format!("<!--1-->\n[T](https://e.com/{}", "(".repeat(3_000_000));
        let h = parse_header(&unclosed);
        check_ranges(&unclosed, &h);
    }

    fn fixtures() -> Vec<String> {
        vec![
            "\u{feff}---\r\nlayout: post\r\ntitle: \"标 &quot;题\"\r\ntags: [ A ]\r\n---\r\n<!--1598707855000-->\r\n[[视频]标 &quot;题](http://www.rfi.fr//cn/%E4%B8%AD?a=(1)&amp;b)\r\n------\r\n\r\n<div>\r\n<p>正文</p>\r\n</div>\r\n".to_string(),
            "[质化 | 研究\u{200b}](https://e.com/%e8/)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n<p>x</p>".to_string(),
            "<!--1-->\n[第一行\n第二行](https://e.com/a\nb)\n------\n\n<p>x</p>".to_string(),
            "---\ntitle: \"多行\n\n\"\nx: 'a''b'\n---\n<!--1-->\n[多行](u)\n------\n\n<div>\n\n</div>".to_string(),
        ]
    }

    /// Truncations and insertions of structural characters never panic and keep ranges valid.
    #[test]
    fn robustness() {
        let inserts = [
            "[", "]", "(", ")", "\n", "\r\n", "\r", "-->", "<!--", "---\n", "------\n", "\u{feff}",
            "日", "\"", "'", "\\", "&", "&#x", ";", ":", " ", "\u{200b}",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for text in fixtures() {
            for (i, _) in text.char_indices() {
                let prefix = text.get(..i).unwrap_or_default();
                check_ranges(prefix, &parse_header(prefix));
                let _ = looks_like_capture(prefix);
            }
            for _ in 0..2000 {
                let mut t = text.clone();
                for _ in 0..(next() % 4 + 1) {
                    let mut at = (next() as usize) % (t.len() + 1);
                    while !t.is_char_boundary(at) {
                        at -= 1;
                    }
                    let ins = inserts[(next() as usize) % inserts.len()];
                    t.insert_str(at, ins);
                }
                check_ranges(&t, &parse_header(&t));
                let _ = looks_like_capture(&t);
            }
        }
    }

    /// Runs over the shared corpus when it exists (skips otherwise).
    #[test]
    fn corpus() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
        if !dir.is_dir() {
            eprintln!("skipping corpus test: {} does not exist", dir.display());
            return;
        }
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
        let seed = dir.join("../seed/bbc_65032731.capture.txt");
        if seed.is_file() {
            files.push(seed);
        }
        files.sort();
        assert!(!files.is_empty());
        let mut truncated_titles = 0;
        for path in &files {
            let name = path.display();
            let bytes = std::fs::read(path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            let h = parse_header(&text);
            check_ranges(&text, &h);
            assert!(looks_like_capture(&text), "{name}: not detected");
            assert!(h.is_capture, "{name}");
            let title = h
                .title
                .as_ref()
                .map(|t| t.text.as_str())
                .unwrap_or_default();
            assert!(!title.is_empty(), "{name}: no title");
            let url = h
                .url
                .as_ref()
                .map(|u| u.cleaned.as_str())
                .unwrap_or_default();
            assert!(url.starts_with("http"), "{name}: no url");
            assert!(h.separator.is_some(), "{name}: no separator");
            assert!(h.epoch_ms().is_some(), "{name}: no date");
            let unexpected: Vec<_> = h
                .problems
                .iter()
                .filter(|p| !(p.kind == ProblemKind::MissingTimestamp && h.date_line.is_some()))
                .collect();
            assert!(unexpected.is_empty(), "{name}: {unexpected:?}");
            assert!(
                text.get(h.body_start..)
                    .is_some_and(|b| b.trim_start().starts_with('<')),
                "{name}: body"
            );
            if let Some(fm) = &h.front_matter {
                assert!(h.body_wrapped, "{name}: front matter body not wrapped");
                assert!(fm.date_ms().is_some(), "{name}: fm date");
                let fm_title = fm.title().unwrap_or_default();
                if title != fm_title {
                    // The header title of long titles is cut and ends in `...`.
                    let cut = title.trim_end_matches("...").trim_end_matches('…');
                    assert!(
                        cut != title && fm_title.starts_with(cut),
                        "{name}: {title:?} != {fm_title:?}"
                    );
                    truncated_titles += 1;
                }
                if let (Some(from), Some(u)) = (fm.get("from"), &h.url) {
                    assert_eq!(from.value, u.cleaned, "{name}: from");
                }
            }
        }
        eprintln!(
            "corpus: {} files ok ({truncated_titles} truncated header titles)",
            files.len()
        );
    }
}
