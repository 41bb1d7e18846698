//! Property: random edits (CJK, emoji, CRLF, edits that split `\r\n`) applied incrementally
//! through LSP positions, in UTF-8 and UTF-16, equal a full replacement.

use capture_lsp::lsp::store::apply_change;
use capture_lsp::text::{Encoding, LineIndex};
use proptest::prelude::*;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

fn piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("a"),
        Just("中文"),
        Just("😀"),
        Just("\r\n"),
        Just("\n"),
        Just("\r"),
        Just("<p>"),
        Just("é"),
        Just(" "),
        Just("\u{2028}")
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..30).prop_map(|v| v.concat())
}

/// Snap a byte offset down to a char boundary.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #[test]
    fn incremental_equals_full(
        initial in text(),
        edits in proptest::collection::vec((0usize..200, 0usize..200, text()), 1..8),
        utf8 in any::<bool>(),
    ) {
        let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        let mut doc = LineIndex::new(&initial);
        let mut expected = initial.clone();
        for (a, b, insert) in edits {
            let (a, b) = (floor(&expected, a), floor(&expected, b));
            let (start, end) = (a.min(b), a.max(b));
            let index = LineIndex::new(&expected);
            let p0 = index.line_col(start, enc);
            let p1 = index.line_col(end, enc);
            // Where an offset falls inside "\r\n" the position names the line end; the
            // expected text is edited at the offset that position resolves to.
            let s = index.offset(p0, enc);
            let e = index.offset(p1, enc).max(s);
            expected.replace_range(s..e, &insert);
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(p0.line, p0.col), Position::new(p1.line, p1.col))),
                range_length: None,
                text: insert.clone(),
            };
            apply_change(&mut doc, &change, enc);
            prop_assert_eq!(doc.text().to_string(), expected.clone());
        }
    }
}
