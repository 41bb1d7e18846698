//! Header rules: timestamp, title line, separator, source URL.

use super::{Ctx, Finding, Severity};
use crate::ide::fixes::Fix;
use crate::ide::rules::{self, Rule};
use crate::syntax::ProblemKind;
use crate::syntax::header::parse_date_ms;
use crate::text::TextRange;

/// Plausible capture times: 1990-01-01 .. 2100-01-01 in epoch milliseconds.
const MIN_MS: i64 = 631_152_000_000;
const MAX_MS: i64 = 4_102_444_800_000;

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let h = &cx.analysis.capture.header;
    for p in &h.problems {
        let rule: &'static Rule = match p.kind {
            ProblemKind::MissingTimestamp => {
                out.push(missing_timestamp(cx, p.range));
                continue;
            }
            ProblemKind::InvalidTimestamp => &rules::INVALID_TIMESTAMP,
            ProblemKind::MalformedTitleLine | ProblemKind::MissingTitle => {
                &rules::MALFORMED_TITLE_LINE
            }
            ProblemKind::EmptyTitle => &rules::EMPTY_TITLE,
            ProblemKind::MissingSeparator => &rules::MISSING_SEPARATOR,
            ProblemKind::MissingUrl | ProblemKind::UnterminatedUrl => &rules::MISSING_SOURCE_URL,
            _ => &rules::HEADER_SYNTAX,
        };
        out.push(Finding::new(rule, p.range, p.message.clone()));
    }
    if let Some(ts) = &h.timestamp
        && let Some(v) = ts.value
        && !(MIN_MS..=MAX_MS).contains(&v)
    {
        let seconds = (MIN_MS / 1000..=MAX_MS / 1000).contains(&v);
        let f = if seconds {
            Finding::new(
                &rules::INVALID_TIMESTAMP,
                ts.digits,
                "timestamp looks like seconds, not milliseconds",
            )
            .with_fix(Some(
                Fix::new(
                    rules::INVALID_TIMESTAMP.code,
                    "Convert seconds to milliseconds (append 000)",
                    false,
                )
                .edit(TextRange::empty(ts.digits.end), "000"),
            ))
        } else {
            Finding::new(
                &rules::INVALID_TIMESTAMP,
                ts.digits,
                "timestamp is out of range (expected milliseconds between 1990 and 2100)",
            )
        };
        out.push(f);
    }
    if let Some(url) = &h.url {
        let cleaned = url.cleaned.trim();
        let ok = url::Url::parse(cleaned)
            .ok()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !cleaned.is_empty() && !ok {
            let msg = if url::Url::parse(cleaned).is_err()
                && (cleaned.starts_with('/') || !cleaned.contains("://"))
            {
                "source URL is relative: it needs a scheme and a host"
            } else {
                "source URL is not an absolute http(s) URL"
            };
            out.push(Finding::new(&rules::INVALID_SOURCE_URL, url.range, msg));
        }
    }
}

fn missing_timestamp(cx: &Ctx<'_>, range: TextRange) -> Finding {
    let h = &cx.analysis.capture.header;
    let known = h
        .date_line
        .as_ref()
        .and_then(|d| d.epoch_ms.map(|ms| (ms, "the `日期：` line")))
        .or_else(|| {
            h.front_matter
                .as_ref()
                .and_then(|f| f.date_ms())
                .map(|ms| (ms, "the front matter date"))
        });
    let from_time = || {
        let dom = &cx.analysis.capture.dom;
        dom.nodes.iter().find_map(|n| match &n.data {
            crate::syntax::html::NodeData::Element(e) if e.name == "time" => e
                .attr("datetime")
                .and_then(parse_date_ms)
                .map(|ms| (ms, "the first `<time datetime>`")),
            _ => None,
        })
    };
    let source = known.or_else(from_time);
    let mut f = match known {
        Some((_, from)) => {
            let mut f = Finding::new(
                &rules::MISSING_TIMESTAMP,
                range,
                format!("no `<!--epoch-ms-->` timestamp line (the date is known from {from})"),
            );
            // A known format variant: quiet unless the settings say otherwise.
            f.default_severity = Some(Severity::Hint);
            f
        }
        None => Finding::new(
            &rules::MISSING_TIMESTAMP,
            range,
            "no `<!--epoch-ms-->` timestamp line and no date to fall back on",
        ),
    };
    if let (Some((ms, from)), Some(title)) = (source, h.title.as_ref()) {
        f.fixes.push(
            Fix::new(
                rules::MISSING_TIMESTAMP.code,
                format!("Insert the timestamp from {from}"),
                false,
            )
            .edit(
                TextRange::empty(title.line_range.start),
                format!("<!--{ms}-->\n"),
            ),
        );
    }
    f
}
