//! Fuzz the body parser: never panics; every span slices back to the source on char
//! boundaries; element ranges contain their tag and attribute ranges.
#![no_main]

use capture_lsp_fuzz::invariants;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The body alone, and the body behind a valid header (non-zero offset).
    let dom = capture_lsp::syntax::html::parse_body(&text, 0);
    invariants::check_dom(&text, &dom);
    let full = format!("<!--1679425984000-->\n[t](https://www.bbc.com/a)\n------\n\n{text}");
    let cap = capture_lsp::syntax::Capture::parse(&full);
    invariants::check_header(&full, &cap.header);
    invariants::check_dom(&full, &cap.dom);
});
