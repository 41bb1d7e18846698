//! Text primitives: byte ranges and the line index that converts byte offsets to
//! `(line, column)` positions in UTF-8, UTF-16 or UTF-32 code units.
//!
//! The index holds the text (shared, immutable) and a flat table built once per version:
//! every conversion is a binary search plus a scan of at most one checkpoint interval,
//! whatever the length of the line. Capture bodies are a single physical line of 10^5+
//! columns, so a per-line scan is not an option.

use std::sync::{Arc, OnceLock};

/// A half-open byte range `start..end` into a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    pub fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }
    /// Whether `offset` lies in the range (the end is inclusive so that a cursor right
    /// after a token still "touches" it).
    pub fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn shift(self, by: usize) -> TextRange {
        TextRange::new(self.start + by, self.end + by)
    }
    /// The text this range covers, or `None` when it is out of bounds or not on char boundaries.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.start..self.end)
    }
}

/// The unit a column is counted in; LSP's `positionEncoding`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and column (in the code units of some [`Encoding`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Byte offset ⇄ line/column conversions over a text.
///
/// Both directions go through a flat table built on first use, once per text, in one
/// linear pass: line starts and, every [`CHECKPOINT`] bytes, the UTF-16 and char counts so
/// far. A conversion is then a binary search plus a scan of at most one checkpoint
/// interval. Cloning shares the text and the table.
#[derive(Clone, Debug)]
pub struct LineIndex {
    text: Arc<str>,
    flat: Arc<OnceLock<Flat>>,
}

/// Distance between checkpoints, in bytes.
const CHECKPOINT: usize = 128;

#[derive(Debug, Default)]
struct Flat {
    /// Byte offset where each line starts (after `\n`, `\r\n` or a lone `\r`).
    line_starts: Vec<usize>,
    /// Per checkpoint k: (byte offset ≥ k·CHECKPOINT on a char boundary, UTF-16 units
    /// before it, chars before it). Increasing in all three.
    marks: Vec<(usize, usize, usize)>,
}

impl Flat {
    fn build(text: &str) -> Flat {
        let bytes = text.as_bytes();
        let mut flat = Flat {
            line_starts: vec![0],
            // One per checkpoint and one at the end: exactly, not doubled by a last push.
            marks: Vec::with_capacity(bytes.len().div_ceil(CHECKPOINT) + 1),
        };
        // By bytes: every non-continuation byte starts a char, a 4-byte lead (0xF0..)
        // one of two UTF-16 units. A mark goes on the first char boundary at or after each
        // multiple of CHECKPOINT (the continuation bytes before it count for nothing).
        let (mut units, mut chars) = (0usize, 0usize);
        let mut i = 0;
        while i < bytes.len() {
            let next_mark = flat.marks.len() * CHECKPOINT;
            if i >= next_mark && bytes[i] & 0xC0 != 0x80 {
                flat.marks.push((i, units, chars));
                continue;
            }
            // Up to the next multiple of CHECKPOINT (or the end) in one run.
            let end = if i >= next_mark {
                i + 1
            } else {
                next_mark.min(bytes.len())
            };
            let run = &bytes[i..end];
            for &b in run {
                let starts = usize::from(b & 0xC0 != 0x80);
                chars += starts;
                units += starts + usize::from(b >= 0xF0);
            }
            for k in memchr::memchr2_iter(b'\n', b'\r', run) {
                let at = i + k;
                // `\r` ends a line unless `\n` follows (which then ends it).
                if run[k] == b'\n' || bytes.get(at + 1) != Some(&b'\n') {
                    flat.line_starts.push(at + 1);
                }
            }
            i = end;
        }
        flat.marks.push((bytes.len(), units, chars));
        flat
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::from_shared(Arc::from(text))
    }

    /// Index a shared text (no copy).
    pub fn from_shared(text: Arc<str>) -> Self {
        Self {
            text,
            flat: Default::default(),
        }
    }

    /// The text this index converts positions in.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    fn flat(&self) -> &Flat {
        self.flat.get_or_init(|| Flat::build(&self.text))
    }

    /// Build the table conversions use now (it is otherwise built on first use), e.g. on
    /// another thread while the document is being analysed.
    pub fn prepare(&self) {
        self.flat();
    }

    /// (UTF-16 units, chars) before `offset`, which must be a char boundary.
    fn counts_before(&self, flat: &Flat, offset: usize) -> (usize, usize) {
        let mut k = (offset / CHECKPOINT).min(flat.marks.len().saturating_sub(1));
        while k > 0 && flat.marks.get(k).is_some_and(|m| m.0 > offset) {
            k -= 1;
        }
        let Some(&(at, mut units, mut chars)) = flat.marks.get(k) else {
            return (0, 0);
        };
        // Count by bytes: every non-continuation byte starts a char; a 4-byte lead
        // (0xF0..) starts a char of two UTF-16 units.
        for &b in self.text.as_bytes().get(at..offset).unwrap_or_default() {
            if b & 0xC0 != 0x80 {
                chars += 1;
                units += 1 + usize::from(b >= 0xF0);
            }
        }
        (units, chars)
    }

    /// The offset of the char where `target` UTF-16 units (or chars) have been counted,
    /// rounding down inside a surrogate pair; the end of the text past its last unit.
    fn offset_of_count(&self, flat: &Flat, target: usize, enc: Encoding) -> usize {
        let count = |m: &(usize, usize, usize)| if enc == Encoding::Utf16 { m.1 } else { m.2 };
        let k = flat
            .marks
            .partition_point(|m| count(m) <= target)
            .saturating_sub(1);
        let Some(mark) = flat.marks.get(k) else {
            return 0;
        };
        let (mut at, mut n) = (mark.0, count(mark));
        for c in self.text.get(at..).unwrap_or_default().chars() {
            let w = if enc == Encoding::Utf16 {
                c.len_utf16()
            } else {
                1
            };
            if n + w > target {
                break;
            }
            n += w;
            at += c.len_utf8();
        }
        at
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Number of lines as LSP counts them (a trailing line break opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.flat().line_starts.len()
    }

    /// Clamp `offset` to the document and back to the start of the char it falls in.
    pub fn clamp_offset(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Byte offset of the end of `line`'s content (before its line break).
    fn line_content_end(&self, flat: &Flat, line: usize) -> usize {
        let bytes = self.text.as_bytes();
        let start = flat.line_starts.get(line).copied().unwrap_or(bytes.len());
        let Some(&next) = flat.line_starts.get(line + 1) else {
            return bytes.len();
        };
        let mut end = next;
        // Step back over "\n", "\r\n" or "\r".
        if end > 0 && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end.max(start)
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; offsets
    /// inside a char or a `\r\n` pair resolve to the start of that char.
    pub fn line_col(&self, offset: usize, enc: Encoding) -> LineCol {
        let flat = self.flat();
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut offset = self.clamp_offset(offset);
        // Between "\r" and "\n": the end of the line's content.
        if offset > 0 && offset < len && bytes[offset - 1] == b'\r' && bytes[offset] == b'\n' {
            offset -= 1;
        }
        let line = flat
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = flat.line_starts.get(line).copied().unwrap_or(0);
        let col = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => {
                self.counts_before(flat, offset).0 - self.counts_before(flat, start).0
            }
            Encoding::Utf32 => {
                self.counts_before(flat, offset).1 - self.counts_before(flat, start).1
            }
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a position. A line past the end gives the end of the document;
    /// a column past the end of its line gives the end of that line (as LSP asks).
    pub fn offset(&self, pos: LineCol, enc: Encoding) -> usize {
        let flat = self.flat();
        let line = pos.line as usize;
        let Some(&start) = flat.line_starts.get(line) else {
            return self.text.len();
        };
        let end = self.line_content_end(flat, line);
        let col = pos.col as usize;
        let offset = match enc {
            Encoding::Utf8 => self.clamp_offset(start.saturating_add(col)),
            Encoding::Utf16 => {
                let base = self.counts_before(flat, start).0;
                self.offset_of_count(flat, base.saturating_add(col), enc)
            }
            Encoding::Utf32 => {
                let base = self.counts_before(flat, start).1;
                self.offset_of_count(flat, base.saturating_add(col), enc)
            }
        };
        offset.clamp(start, end)
    }

    pub fn range(&self, range: TextRange, enc: Encoding) -> (LineCol, LineCol) {
        (
            self.line_col(range.start, enc),
            self.line_col(range.end, enc),
        )
    }
}

#[cfg(test)]
mod tests;
