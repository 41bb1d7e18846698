//! Regression tests for crashes and invariant violations found by the fuzz targets in
//! `fuzz/` (see `fuzz/README.md`). Each case runs the same invariant checks as the target
//! that found it.

use capture_lsp::ide::{self, Analysis};
use capture_lsp::syntax::Capture;

#[path = "../fuzz/src/invariants.rs"]
mod invariants;

fn check_all(text: &str) {
    let cap = Capture::parse(text);
    invariants::check_header(text, &cap.header);
    invariants::check_dom(text, &cap.dom);
    let dom = capture_lsp::syntax::html::parse_body(text, 0);
    invariants::check_dom(text, &dom);
    let a = Analysis::new(text);
    let root = ide::outline::outline(&a);
    let mut stack = vec![&root];
    while let Some(n) = stack.pop() {
        invariants::check_range(text, n.range, "outline range");
        invariants::check_range(text, n.selection, "outline selection");
        stack.extend(n.children.iter());
    }
    for d in ide::diagnostics::diagnostics(&a) {
        invariants::check_range(text, d.range, "diagnostic");
    }
}

/// body target: a bogus comment (`<!…>`, `</…>`, `<?…>`) has a 1–2 byte opener, but the
/// comment's inner range was computed as `start + 4`, landing inside a multi-byte char.
#[test]
fn bogus_comment_inner_range_on_char_boundary() {
    for body in [
        "<p>x</p><!x中文>",
        "<p>x</p></ 中文>",
        "<p>x</p><?中>",
        "<!-->",
        "<!--->",
        "<!---->",
        "<!",
        "<!-- 中",
    ] {
        check_all(body);
        check_all(&format!(
            "<!--1679425984000-->\n[t](https://a.b/c)\n------\n\n{body}"
        ));
        let dom = capture_lsp::syntax::html::parse_body(body, 0);
        for c in &dom.comments {
            let inner = &body[c.inner.start..c.inner.end];
            assert!(
                body[c.range.start..c.range.end].contains(inner),
                "{body:?}: inner {inner:?}"
            );
        }
    }
}

/// body/analysis targets: a NUL in a tag name becomes U+FFFD (3 bytes) in the emitted
/// name; the name range was measured with the emitted name's length, so it ran past the
/// name (and off a char boundary).
#[test]
fn nul_in_tag_name_keeps_name_range_in_source() {
    for body in [
        "<di\0v>x</div>",
        "<p>中<a\0\0\0\0b href=x>y</a>文</p>",
        "<divquot.;标题&quo\0t;\u{200b}](https://x>",
        "<DIV\0 class=a>x</DIV>",
    ] {
        check_all(body);
        check_all(&format!(
            "<!--1679425984000-->\n[t](https://a.b/c)\n------\n\n{body}"
        ));
    }
}

/// Every crash input the fuzzers saved (`tests/fuzz_crashes/`) passes all invariants now.
#[test]
fn saved_fuzz_crashes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_crashes");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        check_all(&text);
        check_all(&format!(
            "<!--1679425984000-->\n[t](https://a.b/c)\n------\n\n{text}"
        ));
        n += 1;
    }
    assert!(n > 0, "no saved crash inputs in {}", dir.display());
}

/// analysis target: a heading whose text nodes the tree builder moved outside its tags got
/// an inverted `text_range` (start > end), hence an inverted outline selection range.
#[test]
fn heading_text_range_never_inverted() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_crashes/crash-9b5a179db652161c988199c8e618db3a9115ba75");
    let bytes = std::fs::read(path).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let a = Analysis::new(&text);
    for h in &a.article.headings {
        assert!(h.text_range.start <= h.text_range.end, "{h:?}");
    }
    let root = ide::outline::outline(&a);
    let mut stack = vec![&root];
    while let Some(n) = stack.pop() {
        invariants::check_range(&text, n.selection, "outline selection");
        stack.extend(n.children.iter());
    }
}
