//! Fuzz incremental sync: random LSP-style edits (utf-8, utf-16 or utf-32 positions,
//! possibly past the end or inverted) applied with `lsp::store::apply_change` equal the same
//! edits applied to a `String` by a simple reference model; line index round-trips.
#![no_main]

use arbitrary::Arbitrary;
use capture_lsp::lsp::store::apply_change;
use capture_lsp::text::{Encoding, LineCol, LineIndex};
use libfuzzer_sys::fuzz_target;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

#[derive(Arbitrary, Debug)]
struct Edit {
    start: (u8, u16),
    end: (u8, u16),
    text: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    initial: String,
    enc: u8,
    edits: Vec<Edit>,
}

/// Reference: the byte offset of an LSP position, by a plain walk over the text.
fn reference_offset(text: &str, line: u32, col: u32, enc: Encoding) -> usize {
    // Line starts: after "\n", after "\r" not followed by "\n" (LSP line breaks).
    let bytes = text.as_bytes();
    let mut line_start = 0usize;
    let mut current = 0u32;
    let mut i = 0usize;
    while current < line {
        if i >= bytes.len() {
            return text.len();
        }
        let b = bytes[i];
        i += 1;
        if b == b'\n' || (b == b'\r' && bytes.get(i) != Some(&b'\n')) {
            current += 1;
            line_start = i;
        }
    }
    let mut units = 0u32;
    for (off, ch) in text[line_start..].char_indices() {
        if ch == '\n' || ch == '\r' {
            return line_start + off;
        }
        let w = match enc {
            Encoding::Utf8 => ch.len_utf8() as u32,
            Encoding::Utf16 => ch.len_utf16() as u32,
            Encoding::Utf32 => 1,
        };
        if units + w > col {
            return line_start + off;
        }
        units += w;
        if units == col {
            return line_start + off + ch.len_utf8();
        }
    }
    text.len()
}

fuzz_target!(|input: Input| {
    let enc = match input.enc % 3 {
        0 => Encoding::Utf8,
        1 => Encoding::Utf16,
        _ => Encoding::Utf32,
    };
    let mut doc = LineIndex::new(&input.initial);
    let mut model = input.initial.clone();
    for e in input.edits.iter().take(16) {
        let range = Range::new(
            Position::new(e.start.0 as u32, e.start.1 as u32),
            Position::new(e.end.0 as u32, e.end.1 as u32),
        );
        let change = TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: e.text.clone(),
        };
        apply_change(&mut doc, &change, enc);
        let a = reference_offset(&model, range.start.line, range.start.character, enc);
        let b = reference_offset(&model, range.end.line, range.end.character, enc);
        let (a, b) = (a.min(b), a.max(b));
        model.replace_range(a..b, &e.text);
        assert_eq!(doc.text().as_ref(), model.as_str(), "after {e:?} in {enc:?}");
    }
    // Full replacement gives the same text, and positions round-trip.
    let full = TextDocumentContentChangeEvent {
        range: None,
        range_length: None,
        text: model.clone(),
    };
    let mut replaced = LineIndex::new("junk");
    apply_change(&mut replaced, &full, enc);
    assert_eq!(replaced.text().as_ref(), model.as_str());
    let index = LineIndex::new(&model);
    for (off, _) in model.char_indices().step_by(7).chain([(model.len(), ' ')]) {
        let lc = index.line_col(off, enc);
        let back = index.offset(lc, enc);
        // Offsets inside a "\r\n" pair resolve to the "\r".
        let expected = if off > 0
            && model.as_bytes()[off - 1] == b'\r'
            && model.as_bytes().get(off) == Some(&b'\n')
        {
            off - 1
        } else {
            off
        };
        assert_eq!(back, expected, "round trip of {off} via {lc:?} in {enc:?}");
        let _ = LineCol {
            line: lc.line,
            col: lc.col,
        };
    }
});
