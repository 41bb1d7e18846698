//! Fuzz the header parser: never panics, every range slices back on char boundaries.
#![no_main]

use capture_lsp_fuzz::invariants;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let h = capture_lsp::syntax::header::parse_header(&text);
    invariants::check_header(&text, &h);
    let _ = capture_lsp::syntax::header::looks_like_capture(&text);
});
