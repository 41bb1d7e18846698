//! Suppression comments. Bodies are one line, so a suppression applies to the next
//! element (and everything inside it), not to the next line:
//! `<!-- capture-lsp-ignore missing-credit, CAP104: photo is our own -->`. The file-level
//! form `<!-- capture-lsp-ignore-file relative-url: reason -->` turns rules off for the
//! whole file. Unknown rules, missing reasons and unused entries are reported.

use super::{Ctx, Finding};
use crate::ide::Analysis;
use crate::ide::fixes::Fix;
use crate::ide::rules::{self, Rule};
use crate::text::TextRange;

const LINE: &str = "capture-lsp-ignore";
const FILE: &str = "capture-lsp-ignore-file";

/// One parsed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The whole comment.
    pub range: TextRange,
    pub file_level: bool,
    /// The rule keys as written, each with its range and the rule it names (if known).
    pub rules: Vec<(String, TextRange, Option<&'static Rule>)>,
    pub reason: Option<String>,
    /// Where the suppression applies (the next element's range; the body for file-level).
    pub scope: Option<TextRange>,
}

/// All suppression comments of a capture, in source order.
pub fn suppressions(analysis: &Analysis) -> Vec<Suppression> {
    let dom = &analysis.capture.dom;
    let mut out = Vec::new();
    for c in &dom.comments {
        let text = c.text.as_str();
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim_start();
        let (file_level, rest_at) = if trimmed.starts_with(FILE) {
            (true, lead + FILE.len())
        } else if trimmed.starts_with(LINE) {
            (false, lead + LINE.len())
        } else {
            continue;
        };
        let rest = text.get(rest_at..).unwrap_or_default();
        // `rest` must start with whitespace (else it is `capture-lsp-ignorefoo`).
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let (list, reason) = match rest.split_once(':') {
            Some((l, r)) => (l, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
            None => (rest, None),
        };
        // Ranges: the comment text maps 1:1 onto the source when it has no entities,
        // which holds for comments (html5 does not decode them).
        let base = c.inner.start + rest_at;
        let mut rules_out = Vec::new();
        let mut pos = 0;
        for part in list.split([',', ' ', '\t']) {
            let start = pos;
            pos += part.len() + 1;
            let key = part.trim();
            if key.is_empty() {
                continue;
            }
            let range = TextRange::new(base + start, base + start + part.len());
            rules_out.push((key.to_string(), range, rules::lookup(key)));
        }
        let scope = if file_level {
            Some(analysis.capture.body)
        } else {
            dom.next_element_after(c.range.end)
                .and_then(|id| dom.element(id)?.range())
        };
        out.push(Suppression {
            range: c.range,
            file_level,
            rules: rules_out,
            reason,
            scope,
        });
    }
    out
}

/// Drop suppressed findings; add findings for unknown, reason-less and unused entries.
pub(super) fn apply(cx: &Ctx<'_>, findings: Vec<Finding>) -> Vec<Finding> {
    let sups = suppressions(cx.analysis);
    if sups.is_empty() {
        return findings;
    }
    let body = cx.analysis.capture.body;
    // used[i][j]: entry j of suppression i suppressed something.
    let mut used: Vec<Vec<bool>> = sups.iter().map(|s| vec![false; s.rules.len()]).collect();
    let mut kept = Vec::with_capacity(findings.len());
    'findings: for f in findings {
        for (i, s) in sups.iter().enumerate() {
            let in_scope = if s.file_level {
                // File-level suppressions also cover the header.
                true
            } else {
                s.scope.is_some_and(|sc| sc.contains_range(f.range)) && f.range.start >= body.start
            };
            if !in_scope {
                continue;
            }
            for (j, (_, _, rule)) in s.rules.iter().enumerate() {
                if rule.is_some_and(|r| r.code == f.rule.code) {
                    if let Some(u) = used.get_mut(i).and_then(|u| u.get_mut(j)) {
                        *u = true;
                    }
                    continue 'findings;
                }
            }
        }
        kept.push(f);
    }
    for (i, s) in sups.iter().enumerate() {
        for (j, (key, range, rule)) in s.rules.iter().enumerate() {
            match rule {
                None => kept.push(Finding::new(
                    &rules::UNKNOWN_SUPPRESSION,
                    *range,
                    format!("unknown rule `{key}` in suppression"),
                )),
                Some(r) => {
                    let enabled = cx.config.severity(r).is_some();
                    let was_used = used.get(i).and_then(|u| u.get(j)).copied().unwrap_or(false);
                    if enabled && !was_used {
                        let where_ = if s.file_level {
                            "in this file"
                        } else {
                            "on the next element"
                        };
                        let fix = (s.rules.len() == 1).then(|| {
                            Fix::new(
                                rules::UNUSED_SUPPRESSION.code,
                                "Remove the unused suppression",
                                true,
                            )
                            .edit(s.range, "")
                        });
                        kept.push(
                            Finding::new(
                                &rules::UNUSED_SUPPRESSION,
                                *range,
                                format!("`{}` does not fire {where_}: nothing to suppress", r.name),
                            )
                            .with_fix(fix),
                        );
                    }
                }
            }
        }
        if s.rules.is_empty() {
            kept.push(Finding::new(
                &rules::UNKNOWN_SUPPRESSION,
                s.range,
                "suppression names no rule",
            ));
        }
        if s.reason.is_none() {
            kept.push(Finding::new(
                &rules::SUPPRESSION_WITHOUT_REASON,
                s.range,
                "suppression without a reason (`: why`)",
            ));
        }
    }
    kept
}

/// Hover on a suppression comment: the documentation of the rule under the cursor (or of
/// every rule the comment names), in Markdown. `None` outside suppression comments.
pub fn suppression_hover(analysis: &Analysis, offset: usize) -> Option<(TextRange, String)> {
    let sups = suppressions(analysis);
    let s = sups.iter().find(|s| s.range.touches(offset))?;
    if let Some((key, range, rule)) = s.rules.iter().find(|(_, r, _)| r.touches(offset)) {
        return Some(match rule {
            Some(r) => (*range, r.doc_markdown()),
            None => (
                *range,
                format!("Unknown rule `{key}`: see `capture-lsp rules`."),
            ),
        });
    }
    let docs: Vec<String> = s
        .rules
        .iter()
        .map(|(key, _, r)| match r {
            Some(r) => r.doc_markdown(),
            None => format!("Unknown rule `{key}`."),
        })
        .collect();
    Some((s.range, docs.join("\n---\n\n")))
}
