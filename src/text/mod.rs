//! Text primitives: byte ranges and the line index that converts byte offsets to
//! `(line, column)` positions in UTF-8, UTF-16 or UTF-32 code units.
//!
//! The index is a thin wrapper over an immutable [`ropey::Rope`]: every conversion is
//! `O(log n)` in the document size, whatever the length of the line. Capture bodies are a
//! single physical line of 10^5+ columns, so a per-line scan is not an option.

use ropey::Rope;

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

/// Byte offset ⇄ line/column conversions over a rope snapshot.
///
/// Single conversions walk the rope (`O(log n)`). Results carry many positions (an outline
/// of a 1 MB capture has thousands), so byte → position also has a flat table built on first
/// use, once per snapshot in one linear pass: line starts and, every [`CHECKPOINT`] bytes, the
/// UTF-16 and char counts so far. A conversion is then a binary search plus a scan of at
/// most one checkpoint interval.
#[derive(Clone, Debug)]
pub struct LineIndex {
    rope: Rope,
    flat: std::sync::Arc<std::sync::OnceLock<Flat>>,
}

/// Distance between checkpoints, in bytes.
const CHECKPOINT: usize = 128;

#[derive(Debug, Default)]
struct Flat {
    /// Byte offset where each line starts (after `\n`, `\r\n` or a lone `\r`).
    line_starts: Vec<usize>,
    /// Per checkpoint k: (byte offset ≥ k·CHECKPOINT on a char boundary, UTF-16 units
    /// before it, chars before it).
    marks: Vec<(usize, usize, usize)>,
}

impl Flat {
    fn build(rope: &Rope) -> Flat {
        let mut flat = Flat {
            line_starts: vec![0],
            marks: Vec::with_capacity(rope.len_bytes() / CHECKPOINT + 1),
        };
        // By bytes: every non-continuation byte starts a char, a 4-byte lead (0xF0..)
        // one of two UTF-16 units. A mark goes on the first char boundary at or after each
        // multiple of CHECKPOINT (the continuation bytes before it count for nothing).
        let (mut pos, mut units, mut chars) = (0usize, 0usize, 0usize);
        // The previous chunk ended with `\r`: its line ends unless this one opens with `\n`.
        let mut prev_cr = false;
        for chunk in rope.chunks() {
            let bytes = chunk.as_bytes();
            if prev_cr && bytes.first() != Some(&b'\n') && !bytes.is_empty() {
                flat.line_starts.push(pos);
            }
            prev_cr = prev_cr && bytes.is_empty();
            let mut i = 0;
            while i < bytes.len() {
                let next_mark = flat.marks.len() * CHECKPOINT;
                let at = pos + i;
                if at >= next_mark && bytes[i] & 0xC0 != 0x80 {
                    flat.marks.push((at, units, chars));
                    continue;
                }
                // Up to the next multiple of CHECKPOINT (or the chunk's end) in one run.
                let end = if at >= next_mark {
                    i + 1
                } else {
                    (i + (next_mark - at)).min(bytes.len())
                };
                let run = &bytes[i..end];
                for &b in run {
                    let starts = usize::from(b & 0xC0 != 0x80);
                    chars += starts;
                    units += starts + usize::from(b >= 0xF0);
                }
                for k in memchr::memchr2_iter(b'\n', b'\r', run) {
                    let at = pos + i + k;
                    if run[k] == b'\n' {
                        flat.line_starts.push(at + 1);
                        continue;
                    }
                    // `\r` ends a line unless `\n` follows (which then ends it).
                    match bytes.get(i + k + 1) {
                        Some(b'\n') => {}
                        Some(_) => flat.line_starts.push(at + 1),
                        None => prev_cr = true,
                    }
                }
                i = end;
            }
            pos += bytes.len();
        }
        if prev_cr {
            flat.line_starts.push(pos);
        }
        flat.marks.push((pos, units, chars));
        flat
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::from_rope(Rope::from_str(text))
    }

    /// Wrap an existing rope (cloning a rope is `O(1)`: the chunks are shared).
    pub fn from_rope(rope: Rope) -> Self {
        Self {
            rope,
            flat: Default::default(),
        }
    }

    fn flat(&self) -> &Flat {
        self.flat.get_or_init(|| Flat::build(&self.rope))
    }

    /// Build the table batch conversions use now (it is otherwise built on first use),
    /// e.g. on another thread while the document is being analysed.
    pub fn prepare(&self) {
        self.flat();
    }

    /// (UTF-16 units, chars) before `offset`, which must be a char boundary.
    fn counts_before(&self, flat: &Flat, offset: usize) -> (usize, usize) {
        let mut k = (offset / CHECKPOINT).min(flat.marks.len().saturating_sub(1));
        while k > 0 && flat.marks.get(k).is_some_and(|m| m.0 > offset) {
            k -= 1;
        }
        let Some(&(mut at, mut units, mut chars)) = flat.marks.get(k) else {
            return (0, 0);
        };
        // Count by bytes: every non-continuation byte starts a char; a 4-byte lead
        // (0xF0..) starts a char of two UTF-16 units.
        while at < offset {
            let (chunk, chunk_start, _, _) = self.rope.chunk_at_byte(at);
            let bytes = chunk.as_bytes();
            let from = at - chunk_start;
            let to = (offset - chunk_start).min(bytes.len());
            let Some(run) = bytes.get(from..to) else {
                break;
            };
            if run.is_empty() {
                break;
            }
            for &b in run {
                if b & 0xC0 != 0x80 {
                    chars += 1;
                    units += 1 + usize::from(b >= 0xF0);
                }
            }
            at += run.len();
        }
        (units, chars)
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// Number of lines as LSP counts them (a trailing line break opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// Clamp `offset` to the document and back to the start of the char it falls in.
    pub fn clamp_offset(&self, offset: usize) -> usize {
        let offset = offset.min(self.rope.len_bytes());
        let ch = self.rope.byte_to_char(offset);
        self.rope.char_to_byte(ch)
    }

    /// Byte offset of the start of `line`, clamped to the document.
    fn line_start(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            self.rope.len_bytes()
        } else {
            self.rope.line_to_byte(line)
        }
    }

    /// Byte offset of the end of `line`'s content (before its line break).
    fn line_content_end(&self, line: usize) -> usize {
        if line + 1 >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let next = self.rope.line_to_byte(line + 1);
        let mut end = next;
        // Step back over "\n", "\r\n" or "\r".
        if end > 0 && self.rope.byte(end - 1) == b'\n' {
            end -= 1;
        }
        if end > 0 && self.rope.byte(end - 1) == b'\r' {
            end -= 1;
        }
        end.max(self.line_start(line))
    }

    fn units_before(&self, offset: usize, enc: Encoding) -> usize {
        match enc {
            Encoding::Utf8 => offset,
            Encoding::Utf16 => self.rope.char_to_utf16_cu(self.rope.byte_to_char(offset)),
            Encoding::Utf32 => self.rope.byte_to_char(offset),
        }
    }

    fn offset_of_units(&self, units: usize, enc: Encoding) -> usize {
        match enc {
            Encoding::Utf8 => self.clamp_offset(units),
            Encoding::Utf16 => {
                let units = units.min(self.rope.len_utf16_cu());
                self.rope.char_to_byte(self.rope.utf16_cu_to_char(units))
            }
            Encoding::Utf32 => self.rope.char_to_byte(units.min(self.rope.len_chars())),
        }
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; offsets
    /// inside a char or a `\r\n` pair resolve to the start of that char.
    pub fn line_col(&self, offset: usize, enc: Encoding) -> LineCol {
        let flat = self.flat();
        let len = self.rope.len_bytes();
        let mut offset = offset.min(len);
        // Back to the start of the char it falls in.
        while offset > 0 && offset < len && (self.rope.byte(offset) & 0xC0) == 0x80 {
            offset -= 1;
        }
        // Between "\r" and "\n": the end of the line's content.
        if offset > 0
            && offset < len
            && self.rope.byte(offset - 1) == b'\r'
            && self.rope.byte(offset) == b'\n'
        {
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

    /// The rope-walking form of [`LineIndex::line_col`], kept to check the flat table.
    #[cfg(test)]
    fn line_col_by_rope(&self, offset: usize, enc: Encoding) -> LineCol {
        let offset = self.clamp_offset(offset);
        let line = self.rope.byte_to_line(offset);
        let start = self.line_start(line);
        let offset = offset.min(self.line_content_end(line));
        let col = self.units_before(offset, enc) - self.units_before(start, enc);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a position. A line past the end gives the end of the document;
    /// a column past the end of its line gives the end of that line (as LSP asks).
    pub fn offset(&self, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let start = self.line_start(line);
        let end = self.line_content_end(line);
        let base = self.units_before(start, enc);
        let target = base.saturating_add(pos.col as usize);
        let offset = self.offset_of_units(target, enc);
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
