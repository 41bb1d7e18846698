//! Link rules: fragments with no target, empty links, relative URLs (resolvable or not).

use std::collections::HashSet;

use super::{Ctx, Finding, escape_attr};
use crate::ide::fixes::Fix;
use crate::ide::rules;
use crate::syntax::html::NodeData;
use crate::text::TextRange;

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let analysis = cx.analysis;
    let dom = &analysis.capture.dom;
    let base = analysis
        .capture
        .header
        .url
        .as_ref()
        .and_then(|u| url::Url::parse(u.cleaned.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    let mut ids: Option<HashSet<&str>> = None;
    for link in &analysis.article.links {
        let href = link.href.value.trim();
        let el = dom.element(link.node);
        if href.is_empty() {
            out.push(Finding::new(
                &rules::EMPTY_LINK,
                link.range,
                "link with an empty `href`",
            ));
            continue;
        }
        let labelled = el.is_some_and(|e| {
            e.attr("aria-label").is_some_and(|v| !v.trim().is_empty())
                || e.attr("title").is_some_and(|v| !v.trim().is_empty())
        });
        let has_media = dom.descendants(link.node).any(|d| {
            dom.element(d)
                .is_some_and(|e| matches!(e.name.as_str(), "img" | "picture" | "svg" | "video"))
        });
        // Share buttons are page chrome drawn with CSS icons.
        let share = [
            "addtoany.com",
            "/sharer",
            "intent/tweet",
            "/share?",
            "service.weibo.com/share",
        ]
        .iter()
        .any(|s| href.contains(s));
        if link.text.is_empty() && !labelled && !has_media && !share {
            out.push(Finding::new(
                &rules::EMPTY_LINK,
                link.range,
                format!("link to {href} has no text"),
            ));
        }
        if let Some(fragment) = href.strip_prefix('#') {
            if fragment.is_empty() || fragment == "top" {
                continue;
            }
            let ids = ids.get_or_insert_with(|| {
                dom.nodes
                    .iter()
                    .filter_map(|n| match &n.data {
                        NodeData::Element(e) => Some(e),
                        _ => None,
                    })
                    .flat_map(|e| [e.attr("id"), e.attr("name")])
                    .flatten()
                    .collect()
            });
            let decoded = percent_decode(fragment);
            if !ids.contains(fragment) && !ids.contains(decoded.as_str()) {
                out.push(Finding::new(
                    &rules::BROKEN_FRAGMENT,
                    link.href.range.unwrap_or(link.range),
                    format!("no element has id `{decoded}`"),
                ));
            }
            continue;
        }
        relative(cx, base.as_ref(), href, link.href.range, link.range, out);
    }
    // Media sources.
    let marks = &analysis.article.in_boilerplate;
    for (i, node) in dom.nodes.iter().enumerate() {
        let NodeData::Element(el) = &node.data else {
            continue;
        };
        if marks.get(i).copied().unwrap_or(true)
            || !matches!(
                el.name.as_str(),
                "img" | "iframe" | "video" | "audio" | "source"
            )
        {
            continue;
        }
        if let Some(a) = el.attr_full("src")
            && let Some(whole) = el.range()
        {
            relative(
                cx,
                base.as_ref(),
                a.value.trim(),
                a.value_range(),
                whole,
                out,
            );
        }
    }
}

fn is_relative(href: &str) -> bool {
    if href.is_empty() || href.starts_with('#') {
        return false;
    }
    if href.starts_with("//") {
        return true;
    }
    // A scheme: letters, digits, `+.-`, then `:` before any `/?#`.
    let scheme_end = href.find(':');
    let path_start = href.find(['/', '?', '#']).unwrap_or(href.len());
    !matches!(scheme_end, Some(i) if i > 0 && i < path_start
        && href.get(..i).is_some_and(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))))
}

fn relative(
    _cx: &Ctx<'_>,
    base: Option<&url::Url>,
    href: &str,
    value_range: Option<TextRange>,
    whole: TextRange,
    out: &mut Vec<Finding>,
) {
    if !is_relative(href) {
        return;
    }
    let range = value_range.unwrap_or(whole);
    match base {
        Some(base) => {
            let Ok(abs) = base.join(href) else { return };
            let abs = abs.to_string();
            let fix = value_range.map(|r| {
                Fix::new(
                    rules::RELATIVE_URL.code,
                    format!("Make absolute: {abs}"),
                    true,
                )
                .edit(r, escape_attr(&abs))
            });
            out.push(
                Finding::new(
                    &rules::RELATIVE_URL,
                    range,
                    format!("relative URL `{href}` (resolves to {abs})"),
                )
                .with_fix(fix),
            );
        }
        None => out.push(Finding::new(
            &rules::RELATIVE_URL_NO_BASE,
            range,
            format!(
                "relative URL `{href}` cannot be resolved: the capture has no usable source URL"
            ),
        )),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or_default();
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_detection() {
        for r in ["/zhongwen/a", "a.html", "../x", "//cdn.e.com/a.jpg", "?q=1"] {
            assert!(is_relative(r), "{r}");
        }
        for a in [
            "https://e.com/",
            "mailto:x@e.com",
            "javascript:void(0)",
            "#x",
            "data:image/png;base64,AA",
        ] {
            assert!(!is_relative(a), "{a}");
        }
        assert_eq!(percent_decode("%E5%BC%BA"), "强");
        assert_eq!(percent_decode("%zz%"), "%zz%");
    }
}
