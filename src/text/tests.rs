use super::*;
use proptest::prelude::*;

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

#[test]
fn columns_in_each_encoding() {
    // "a" (1 byte) "中" (3 bytes, 1 utf-16 unit) "😀" (4 bytes, 2 utf-16 units) "b"
    let text = "x\r\na中😀b\ny";
    let index = LineIndex::new(text);
    let b = text.find('b').unwrap();
    assert_eq!(
        index.line_col(b, Encoding::Utf8),
        LineCol { line: 1, col: 8 }
    );
    assert_eq!(
        index.line_col(b, Encoding::Utf16),
        LineCol { line: 1, col: 4 }
    );
    assert_eq!(
        index.line_col(b, Encoding::Utf32),
        LineCol { line: 1, col: 3 }
    );
    for enc in ENCODINGS {
        let pos = index.line_col(b, enc);
        assert_eq!(index.offset(pos, enc), b, "{enc:?}");
    }
}

#[test]
fn crlf_is_one_break_and_columns_clamp() {
    let text = "ab\r\ncd";
    let index = LineIndex::new(text);
    assert_eq!(index.line_count(), 2);
    // Offset of the '\n' in "\r\n" resolves to the end of line 0.
    assert_eq!(
        index.line_col(3, Encoding::Utf16),
        LineCol { line: 0, col: 2 }
    );
    // A column past the end of the line clamps to the line end, not into the next line.
    assert_eq!(
        index.offset(LineCol { line: 0, col: 99 }, Encoding::Utf16),
        2
    );
    // A line past the end clamps to the end of the document.
    assert_eq!(index.offset(LineCol { line: 9, col: 0 }, Encoding::Utf8), 6);
}

#[test]
fn unicode_line_separators_are_not_line_breaks() {
    let index = LineIndex::new("a\u{2028}b\u{85}c");
    assert_eq!(index.line_count(), 1);
}

#[test]
fn utf8_column_inside_a_char_rounds_down() {
    let text = "中文";
    let index = LineIndex::new(text);
    assert_eq!(index.offset(LineCol { line: 0, col: 4 }, Encoding::Utf8), 3);
    // An offset inside a surrogate pair's char resolves to the char's start.
    let index = LineIndex::new("😀x");
    assert_eq!(
        index.offset(LineCol { line: 0, col: 1 }, Encoding::Utf16),
        0
    );
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("中"),
            Just("😀"),
            Just("\r\n"),
            Just("\n"),
            Just("\r"),
            Just("é"),
            Just("\u{2028}"),
            Just(" ")
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn positions_round_trip(text in text_strategy(), pick in 0usize..200) {
        let index = LineIndex::new(&text);
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            // An offset between '\r' and '\n' is not a position LSP can name.
            .filter(|&i| !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n')))
            .collect();
        let offset = boundaries[pick % boundaries.len()];
        for enc in ENCODINGS {
            let pos = index.line_col(offset, enc);
            prop_assert_eq!(index.offset(pos, enc), offset);
        }
    }
}

/// The rope-walking conversions the index used before its flat table took both
/// directions: the reference (ropey counts lines, chars and UTF-16 units in its tree).
mod by_rope {
    use super::super::{Encoding, LineCol};
    use ropey::Rope;

    fn clamp(rope: &Rope, offset: usize) -> usize {
        let offset = offset.min(rope.len_bytes());
        rope.char_to_byte(rope.byte_to_char(offset))
    }

    fn line_start(rope: &Rope, line: usize) -> usize {
        if line >= rope.len_lines() {
            rope.len_bytes()
        } else {
            rope.line_to_byte(line)
        }
    }

    fn line_content_end(rope: &Rope, line: usize) -> usize {
        if line + 1 >= rope.len_lines() {
            return rope.len_bytes();
        }
        let mut end = rope.line_to_byte(line + 1);
        if end > 0 && rope.byte(end - 1) == b'\n' {
            end -= 1;
        }
        if end > 0 && rope.byte(end - 1) == b'\r' {
            end -= 1;
        }
        end.max(line_start(rope, line))
    }

    fn units_before(rope: &Rope, offset: usize, enc: Encoding) -> usize {
        match enc {
            Encoding::Utf8 => offset,
            Encoding::Utf16 => rope.char_to_utf16_cu(rope.byte_to_char(offset)),
            Encoding::Utf32 => rope.byte_to_char(offset),
        }
    }

    pub fn line_col(rope: &Rope, offset: usize, enc: Encoding) -> LineCol {
        let offset = clamp(rope, offset);
        let line = rope.byte_to_line(offset);
        let start = line_start(rope, line);
        let offset = offset.min(line_content_end(rope, line));
        let col = units_before(rope, offset, enc) - units_before(rope, start, enc);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    pub fn offset(rope: &Rope, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= rope.len_lines() {
            return rope.len_bytes();
        }
        let start = line_start(rope, line);
        let end = line_content_end(rope, line);
        let target = units_before(rope, start, enc).saturating_add(pos.col as usize);
        let offset = match enc {
            Encoding::Utf8 => clamp(rope, target),
            Encoding::Utf16 => {
                let units = target.min(rope.len_utf16_cu());
                rope.char_to_byte(rope.utf16_cu_to_char(units))
            }
            Encoding::Utf32 => rope.char_to_byte(target.min(rope.len_chars())),
        };
        offset.clamp(start, end)
    }
}

proptest! {
    #[test]
    fn flat_table_agrees_with_the_rope(
        parts in proptest::collection::vec(text_strategy(), 1..40),
        pick in 0usize..4000,
        line in 0u32..12,
        col in 0u32..300,
    ) {
        // Long enough to span several checkpoints.
        let text = parts.concat();
        let index = LineIndex::new(&text);
        let rope = ropey::Rope::from_str(&text);
        let offset = pick % (text.len() + 2);
        let pos = LineCol { line, col };
        for enc in ENCODINGS {
            prop_assert_eq!(index.line_col(offset, enc), by_rope::line_col(&rope, offset, enc));
            prop_assert_eq!(index.offset(pos, enc), by_rope::offset(&rope, pos, enc), "{:?} {:?}", pos, enc);
        }
        prop_assert_eq!(index.line_count(), rope.len_lines());
    }
}

#[test]
fn flat_table_agrees_with_the_rope_across_checkpoints() {
    // Many checkpoints, with line breaks of every kind (lone `\r`, `\r\n`, `\r\r`) and
    // wide chars landing on checkpoint edges.
    let pieces = ["\r", "\n", "\r\n", "a", "bc", "中", "😀", "\r\r", "é"];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut text = String::new();
    while text.len() < 40_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push_str(pieces[(state % pieces.len() as u64) as usize]);
    }
    let index = LineIndex::new(&text);
    let rope = ropey::Rope::from_str(&text);
    assert_eq!(index.line_count(), rope.len_lines());
    for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
        for enc in ENCODINGS {
            let pos = index.line_col(offset, enc);
            assert_eq!(
                pos,
                by_rope::line_col(&rope, offset, enc),
                "offset {offset}, {enc:?}"
            );
            for col in [pos.col, pos.col + 1, pos.col + 1000] {
                let p = LineCol {
                    line: pos.line,
                    col,
                };
                assert_eq!(
                    index.offset(p, enc),
                    by_rope::offset(&rope, p, enc),
                    "position {p:?}, {enc:?}"
                );
            }
        }
    }
}

#[test]
fn the_checkpoint_table_is_allocated_once_at_its_size() {
    // One mark per checkpoint and one at the end; a capacity one short doubled the table.
    for len in [0, 1, 127, 128, 129, 1000, 4096, 100_003] {
        let text = "é".repeat(len / 2) + &"a".repeat(len % 2);
        let flat = Flat::build(&text);
        assert_eq!(flat.marks.capacity(), flat.marks.len(), "{len} bytes");
    }
}
