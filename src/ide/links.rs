//! Document links (every `href`/`src`, resolved against the source URL) and inlay hints
//! (the decoded timestamp; the date behind a relative `<time>`).

use crate::ide::Analysis;
use crate::ide::hover::{base_url, readable_time};
use crate::ide::url::{self, Resolved};
use crate::syntax::html::NodeData;
use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink {
    /// The raw attribute value.
    pub range: TextRange,
    pub target: String,
    pub tooltip: String,
}

const LINK_ATTRS: &[&str] = &["href", "src", "data-src", "poster", "cite"];

/// A clickable link for every `href`/`src` whose target can be resolved.
pub fn document_links(analysis: &Analysis) -> Vec<DocLink> {
    let base = base_url(analysis);
    let mut out = Vec::new();
    for node in &analysis.capture.dom.nodes {
        let NodeData::Element(el) = &node.data else {
            continue;
        };
        for attr in el
            .attrs
            .iter()
            .filter(|a| LINK_ATTRS.contains(&a.name.as_str()))
        {
            let Some(range) = attr.value_range() else {
                continue;
            };
            let target = match url::resolve(base.as_deref(), &attr.value) {
                Resolved::Absolute(u) => u,
                Resolved::Fragment(id) => match &base {
                    Some(b) => format!("{}#{}", b.split('#').next().unwrap_or(b), id),
                    None => continue,
                },
                _ => continue,
            };
            let tooltip = match url::deproxy(&target) {
                Some(orig) => format!("Open {orig} (original behind the proxy)"),
                None if attr.value.trim() != target => {
                    format!("Open {target} (resolved from {})", attr.value.trim())
                }
                None => format!("Open {target}"),
            };
            let target = url::deproxy(&target).unwrap_or(target);
            out.push(DocLink {
                range,
                target,
                tooltip,
            });
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// Hints: the decoded timestamp after the `<!--…-->` comment, and the machine date after a
/// `<time>` whose text is relative (`28 分钟前`).
pub fn inlay_hints(analysis: &Analysis, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    if let Some(ts) = &analysis.capture.header.timestamp
        && range.touches(ts.range.end)
        && let Some((iso, readable)) = ts.value.and_then(readable_time)
    {
        out.push(InlayHint {
            offset: ts.range.end,
            label: format!(" {iso}"),
            tooltip: Some(format!("{readable} — the feed's publication time")),
        });
    }
    let dom = &analysis.capture.dom;
    for (i, node) in dom.nodes.iter().enumerate() {
        let NodeData::Element(el) = &node.data else {
            continue;
        };
        if el.name != "time" {
            continue;
        }
        let Some(end) = el.spans().and_then(|s| s.inner()).map(|r| r.end) else {
            continue;
        };
        if !range.touches(end) {
            continue;
        }
        let text = dom.text_of(i as u32, &analysis.text);
        if crate::ide::reltime::find_relative_times(&text).is_empty() {
            continue;
        }
        let label = match el.attr("datetime").map(str::trim).filter(|d| !d.is_empty()) {
            Some(dt) => format!(" = {dt}"),
            None => match analysis.date_ms().and_then(readable_time) {
                Some((iso, _)) => format!(" ≈ before {iso}"),
                None => continue,
            },
        };
        out.push(InlayHint {
            offset: end,
            label,
            tooltip: Some("relative time frozen when the page was captured".into()),
        });
    }
    out
}
