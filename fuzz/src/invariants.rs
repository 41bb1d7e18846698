//! Invariants checked by the fuzz targets and by the regression tests for crashes they
//! found: every range slices back to the source on char boundaries, element ranges contain
//! their tag and attribute ranges, incremental edits equal a full replacement.

#![allow(dead_code)]

use capture_lsp::syntax::header::Header;
use capture_lsp::syntax::html::{Dom, NodeData};
use capture_lsp::text::TextRange;

/// `r` lies inside `text` with both ends on char boundaries.
#[track_caller]
pub fn check_range(text: &str, r: TextRange, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what}: range {r:?} out of bounds (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: range {r:?} not on char boundaries"
    );
}

#[track_caller]
fn check_within(outer: TextRange, inner: TextRange, what: &str) {
    assert!(
        outer.contains_range(inner),
        "{what}: {inner:?} is not inside {outer:?}"
    );
}

pub fn check_header(text: &str, h: &Header) {
    check_range(text, h.range, "header.range");
    check_range(text, h.body_content, "header.body_content");
    assert!(
        h.body_start <= text.len() && text.is_char_boundary(h.body_start),
        "body_start {} not a char boundary",
        h.body_start
    );
    if let Some(t) = &h.timestamp {
        check_range(text, t.digits, "timestamp.digits");
    }
    if let Some(t) = &h.title {
        check_range(text, t.line_range, "title.line_range");
        check_range(text, t.text_range, "title.text_range");
    }
    if let Some(u) = &h.url {
        check_range(text, u.range, "url.range");
    }
    if let Some(s) = h.separator {
        check_range(text, s, "separator");
    }
    if let Some(d) = &h.date_line {
        check_range(text, d.range, "date_line.range");
        check_range(text, d.value_range, "date_line.value_range");
    }
    if let Some(f) = &h.front_matter {
        check_range(text, f.range, "front_matter.range");
        for field in &f.fields {
            check_range(text, field.key_range, "front_matter.key");
            check_range(text, field.value_range, "front_matter.value");
        }
    }
    for p in &h.problems {
        check_range(text, p.range, "problem.range");
    }
}

pub fn check_dom(text: &str, dom: &Dom) {
    for (i, node) in dom.nodes.iter().enumerate() {
        for &c in &node.children {
            assert!(
                (c as usize) < dom.nodes.len(),
                "node {i}: child {c} out of bounds"
            );
        }
        match &node.data {
            NodeData::Element(e) => {
                if let Some(r) = e.range() {
                    check_range(text, r, "element.range");
                }
                if let Some(s) = &e.spans() {
                    check_range(text, s.start_tag, "element.start_tag");
                    check_range(text, s.name, "element.name");
                    check_within(s.start_tag, s.name, "tag name in start tag");
                    let src = &text[s.name.start..s.name.end];
                    // The parser lowercases ASCII and replaces NUL with U+FFFD.
                    assert!(
                        src.replace('\0', "\u{fffd}").eq_ignore_ascii_case(&e.name),
                        "element name {:?} but source slice {src:?}",
                        e.name
                    );
                    if let Some(end) = s.end_tag {
                        check_range(text, end, "element.end_tag");
                        assert!(end.start >= s.start_tag.end, "end tag before start tag end");
                    }
                    if let Some(r) = e.range() {
                        check_within(r, s.start_tag, "start tag in element range");
                        if let Some(end) = s.end_tag {
                            check_within(r, end, "end tag in element range");
                        }
                    }
                    for a in &e.attrs {
                        if let Some(n) = a.name_range() {
                            check_range(text, n, "attr.name");
                            check_within(s.start_tag, n, "attr name in start tag");
                        }
                        if let Some(v) = a.value_range() {
                            check_range(text, v, "attr.value");
                            check_within(s.start_tag, v, "attr value in start tag");
                        }
                    }
                }
            }
            NodeData::Text(t) => {
                if let Some(r) = t.range() {
                    check_range(text, r, "text.range");
                }
            }
            NodeData::Document | NodeData::Comment(_) => {}
        }
    }
    let mut prev = 0;
    for &(start, id) in &dom.by_start {
        assert!(start >= prev, "by_start not sorted");
        assert!((id as usize) < dom.nodes.len(), "by_start: bad node id");
        prev = start;
    }
    for c in &dom.comments {
        check_range(text, c.range, "comment.range");
        check_range(text, c.inner, "comment.inner");
        check_within(c.range, c.inner, "comment inner");
    }
    for t in dom.start_tags.iter().chain(&dom.stray_end_tags) {
        check_range(text, t.range(), "source tag");
    }
}
