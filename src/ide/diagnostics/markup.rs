//! Markup rules: tag names glued to their attributes, attributes glued to each other,
//! stray end tags.

use super::{Ctx, Finding};
use crate::ide::fixes::Fix;
use crate::ide::rules;
use crate::text::TextRange;

/// Tag names that occur in captures, longest first so that `section` wins over `s`.
const TAGS: &[&str] = &[
    "blockquote",
    "figcaption",
    "noscript",
    "section",
    "article",
    "picture",
    "caption",
    "strong",
    "header",
    "footer",
    "figure",
    "iframe",
    "button",
    "source",
    "script",
    "aside",
    "video",
    "audio",
    "table",
    "tbody",
    "thead",
    "small",
    "label",
    "input",
    "style",
    "span",
    "main",
    "time",
    "cite",
    "code",
    "form",
    "head",
    "body",
    "html",
    "link",
    "meta",
    "nav",
    "div",
    "img",
    "pre",
    "svg",
    "sup",
    "sub",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "tr",
    "td",
    "th",
    "em",
    "br",
    "hr",
    "dl",
    "dt",
    "dd",
    "a",
    "b",
    "i",
    "p",
    "u",
    "s",
];

const ATTRS: &[&str] = &[
    "class", "id", "style", "role", "href", "src", "srcset", "alt", "title", "width", "height",
    "lang", "dir", "tabindex", "type", "name", "rel", "target", "loading", "sizes",
];

fn is_attr_name(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    ATTRS.contains(&s.as_str()) || s.starts_with("data-") || s.starts_with("aria-")
}

/// Where spaces are missing in a start tag's source (`<divclass="a"id="b">`): offsets
/// relative to the start of `tag`.
pub(crate) fn glue_points(tag: &str) -> Vec<usize> {
    let mut points = Vec::new();
    let Some(body) = tag.strip_prefix('<') else {
        return points;
    };
    // The raw name runs to the first whitespace, `/` or `>`.
    let name_len = body
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(body.len());
    let raw_name = body.get(..name_len).unwrap_or_default();
    if let Some(eq) = raw_name.find('=') {
        let before_eq = raw_name.get(..eq).unwrap_or_default().to_ascii_lowercase();
        if let Some(tag_name) = TAGS.iter().find(|t| {
            before_eq.starts_with(*t)
                && before_eq.len() > t.len()
                && is_attr_name(before_eq.get(t.len()..).unwrap_or_default())
        }) {
            points.push(1 + tag_name.len());
        }
    }
    // A quoted value directly followed by the next attribute's name.
    let bytes = tag.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match quote {
            Some(q) if b == q => {
                quote = None;
                if bytes.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
                    points.push(i + 1);
                }
            }
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i > 0 && bytes.get(i - 1) == Some(&b'=') => {
                quote = Some(b)
            }
            None => {}
        }
        i += 1;
    }
    points
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let analysis = cx.analysis;
    let dom = &analysis.capture.dom;
    let marks = &analysis.article.in_boilerplate;
    let in_boilerplate = |r: TextRange| analysis.article.in_boilerplate_range(r);
    for tag in &dom.start_tags {
        if tag
            .node()
            .is_some_and(|n| marks.get(n as usize).copied().unwrap_or(true))
            || in_boilerplate(tag.range())
        {
            continue;
        }
        // Only a glued tag *name* breaks the element (attributes glued to each other
        // still parse); the fix separates both. Such a name holds the `=` of the first
        // glued attribute, which few names do: test it before reading the source.
        if !tag.name.contains('=') {
            continue;
        }
        let Some(src) = tag.range().slice(cx.text) else {
            continue;
        };
        let points = glue_points(src);
        if points.is_empty() {
            continue;
        }
        let mut fix = Fix::new(
            rules::GLUED_ATTRIBUTES.code,
            "Insert the missing spaces",
            true,
        );
        for p in &points {
            fix = fix.edit(TextRange::empty(tag.range().start + p), " ");
        }
        let msg = format!(
            "tag name glued to its attributes: `<{}`",
            tag.name.chars().take(40).collect::<String>()
        );
        out.push(Finding::new(&rules::GLUED_ATTRIBUTES, tag.range(), msg).with_fix(Some(fix)));
    }
    for end in &dom.stray_end_tags {
        if in_boilerplate(end.range())
            || end.range().start < analysis.capture.header.body_content.start
        {
            continue;
        }
        out.push(Finding::new(
            &rules::STRAY_END_TAG,
            end.range(),
            format!("`</{}>` closes nothing", end.name),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::glue_points;

    #[test]
    fn finds_glue() {
        assert_eq!(
            glue_points(r#"<divclass="m-block-ad "data-tms-ad-type="x">"#),
            vec![4, 23]
        );
        assert_eq!(glue_points(r#"<div class="a"id="b">"#), vec![14]);
        assert!(glue_points(r#"<div class="a" id="b">"#).is_empty());
        assert!(glue_points(r#"<a href="x?a=1&b=2">"#).is_empty());
        assert!(glue_points("<p>").is_empty());
        assert!(glue_points("").is_empty());
    }
}
