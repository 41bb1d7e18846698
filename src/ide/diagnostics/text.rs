//! Text rule: relative times (`28 分钟前`, `昨天`, "3 hours ago") that the archive froze.
//!
//! Recognition is [`crate::ide::reltime`]'s. Only stand-alone times are flagged (inside a
//! `<time>` element, or the whole text of a short text node): in running prose "三小时前"
//! is narrative relative to the publication date, which the capture keeps.

use super::{Ctx, Finding};
use crate::ide::fixes::Fix;
use crate::ide::reltime::{self, RelTime};
use crate::ide::rules;
use crate::syntax::header::parse_date_ms;
use crate::syntax::html::NodeData;
use crate::text::TextRange;

/// Longest text node looked at (a dateline, not a paragraph).
const MAX_TEXT: usize = 80;

/// The absolute date a relative time stood for: the `<time datetime>` value when it
/// parses, else counted back from the capture's timestamp.
pub fn frozen_value(
    rel: &RelTime,
    capture_ms: Option<i64>,
    datetime: Option<&str>,
) -> Option<String> {
    if let Some(dt) = datetime
        .map(str::trim)
        .filter(|d| parse_date_ms(d).is_some())
    {
        return Some(dt.to_string());
    }
    reltime::freeze(rel, capture_ms?)
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let analysis = cx.analysis;
    let dom = &analysis.capture.dom;
    let marks = &analysis.article.in_boilerplate;
    for (i, node) in dom.nodes.iter().enumerate() {
        let NodeData::Text(t) = &node.data else {
            continue;
        };
        let text = t.text(cx.text);
        if marks.get(i).copied().unwrap_or(true) || text.len() > MAX_TEXT {
            continue;
        }
        let Some(parent) = node.parent else { continue };
        let time_el = std::iter::once(parent)
            .chain(dom.ancestors(parent))
            .take(2)
            .find_map(|a| dom.element(a).filter(|e| e.name == "time"));
        let trimmed = text.trim();
        for rel in reltime::find_relative_times(text) {
            let expr = rel.range.slice(text).unwrap_or_default();
            let alone = expr.trim() == trimmed;
            if time_el.is_none() && !alone {
                continue;
            }
            // Exact source range only when the raw source is the decoded text.
            let exact = t
                .range()
                .filter(|r| r.slice(cx.text) == Some(text))
                .map(|r| rel.range.shift(r.start));
            let Some(range) = exact
                .or(t.range())
                .or_else(|| dom.element(parent).and_then(|e| e.range()))
            else {
                continue;
            };
            let datetime = time_el.and_then(|e| e.attr("datetime"));
            let frozen = frozen_value(&rel, analysis.date_ms(), datetime);
            let fix = match (exact, &frozen) {
                (Some(r), Some(date)) => Some(
                    Fix::new(
                        rules::RELATIVE_TIME.code,
                        format!("Freeze to {date}"),
                        false,
                    )
                    .edit(TextRange::new(r.start, r.end), date.clone()),
                ),
                _ => None,
            };
            let msg = match &frozen {
                Some(d) => format!("relative time `{expr}` frozen by the archive (meant {d})"),
                None => format!("relative time `{expr}` frozen by the archive"),
            };
            out.push(Finding::new(&rules::RELATIVE_TIME, range, msg).with_fix(fix));
        }
    }
}
