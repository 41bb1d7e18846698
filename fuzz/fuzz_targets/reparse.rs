//! Fuzz incremental reparsing: a capture and a few byte edits (any text, including tags,
//! quotes and entities); after each edit `Capture::reparse` either refuses or yields exactly
//! the capture a full parse of the new text gives.
#![no_main]

use arbitrary::Arbitrary;
use capture_lsp::syntax::{Capture, Edit};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Op {
    at: u16,
    delete: u8,
    insert: String,
}

#[derive(Arbitrary, Debug)]
struct Input {
    body: String,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| {
    let mut text = format!(
        "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n{}",
        input.body
    );
    let mut capture = Capture::parse(&text);
    for op in input.ops.iter().take(8) {
        let mut at = op.at as usize % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + op.delete as usize % 8).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let before = text.clone();
        text.replace_range(at..end, &op.insert);
        let edit = Edit::new(at, end, op.insert.len());
        let full = Capture::parse(&text);
        if capture.reparse(&before, &text, edit) {
            assert_eq!(format!("{capture:?}"), format!("{full:?}"), "{edit:?} on {before:?}");
        } else {
            capture = full;
        }
    }
});
