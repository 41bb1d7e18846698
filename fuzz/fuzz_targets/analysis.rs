//! Fuzz the full analysis: parse, model, outline, folding, selection ranges, diagnostics.
#![no_main]

use capture_lsp::ide::{self, Analysis};
use capture_lsp_fuzz::invariants;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let a = Analysis::new(&text);
    invariants::check_header(&text, &a.capture.header);
    invariants::check_dom(&text, &a.capture.dom);
    let root = ide::outline::outline(&a);
    let mut stack = vec![&root];
    while let Some(n) = stack.pop() {
        invariants::check_range(&text, n.range, "outline.range");
        invariants::check_range(&text, n.selection, "outline.selection");
        stack.extend(n.children.iter());
    }
    for f in ide::outline::folding_ranges(&a) {
        invariants::check_range(&text, f.range, "fold");
    }
    for offset in [0, text.len() / 3, text.len() / 2, text.len()] {
        for r in ide::outline::selection_ranges(&a, offset) {
            invariants::check_range(&text, r, "selection range");
        }
    }
    for d in ide::diagnostics::diagnostics(&a) {
        invariants::check_range(&text, d.range, "diagnostic");
    }
    let _ = a.date_iso();
    let _ = a.source_host();
});
