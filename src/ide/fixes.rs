//! Quick fixes: plain edits (byte range → replacement) attached to diagnostics, the
//! "suppress with a reason" fix, `source.fixAll` (every safe fix at once) and applying
//! edits to a text. Fixes are computed from the current text, never taken from a client.

use crate::ide::Analysis;
use crate::ide::config::Config;
use crate::ide::diagnostics::{self, Diagnostic};
use crate::text::TextRange;

/// `quickfix` (one finding) or `source.fixAll` (all safe fixes of a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixKind {
    QuickFix,
    FixAll,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub kind: FixKind,
    /// Safe fixes do what the rule says and nothing that needs a human's judgement; only
    /// they are applied by `source.fixAll` and `capture-lsp check --fix`.
    pub safe: bool,
    /// Non-overlapping edits (byte range in the current text → replacement).
    pub edits: Vec<(TextRange, String)>,
    /// The code of the rule this fix is for.
    pub code: &'static str,
}

impl Fix {
    pub fn new(code: &'static str, title: impl Into<String>, safe: bool) -> Fix {
        Fix {
            title: title.into(),
            kind: FixKind::QuickFix,
            safe,
            edits: Vec::new(),
            code,
        }
    }
    pub fn edit(mut self, range: TextRange, text: impl Into<String>) -> Fix {
        self.edits.push((range, text.into()));
        self
    }
}

/// Apply edits to a text. Edits are applied in order of position; an edit that overlaps
/// an earlier one or is out of bounds is skipped. Returns the new text.
pub fn apply(text: &str, edits: &[(TextRange, String)]) -> String {
    let mut sorted: Vec<&(TextRange, String)> = edits.iter().collect();
    sorted.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (r, new) in sorted {
        if r.start < pos || r.end < r.start || text.get(r.start..r.end).is_none() {
            continue;
        }
        out.push_str(text.get(pos..r.start).unwrap_or_default());
        out.push_str(new);
        pos = r.end;
    }
    out.push_str(text.get(pos..).unwrap_or_default());
    out
}

/// The fixes offered for a cursor or selection: the fixes of every diagnostic that
/// overlaps (or touches) `range`, then a "suppress with a reason" fix per diagnostic.
pub fn fixes_at(diags: &[Diagnostic], analysis: &Analysis, range: TextRange) -> Vec<Fix> {
    let hit: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.range.start <= range.end && range.start <= d.range.end)
        .collect();
    let mut out: Vec<Fix> = hit.iter().flat_map(|d| d.fixes.iter().cloned()).collect();
    for d in hit {
        if let Some(fix) = suppress_fix(analysis, d) {
            out.push(fix);
        }
    }
    out
}

/// A fix inserting `<!-- capture-lsp-ignore <name>: reason -->` before the innermost
/// element holding the finding (a file-level comment at the start of the body for header
/// findings).
pub fn suppress_fix(analysis: &Analysis, d: &Diagnostic) -> Option<Fix> {
    if d.code.starts_with("CAP9") {
        return None;
    }
    let dom = &analysis.capture.dom;
    let body = analysis.capture.body;
    if d.range.start < body.start || body.is_empty() {
        let at = analysis.capture.header.body_content.start.max(body.start);
        return Some(
            Fix::new(
                d.code,
                format!("Suppress `{}` for this file", d.name),
                false,
            )
            .edit(
                TextRange::empty(at),
                format!(
                    "<!-- capture-lsp-ignore-file {}: TODO give a reason -->",
                    d.name
                ),
            ),
        );
    }
    let el = dom.element_at(d.range.start)?;
    let target = std::iter::once(el).chain(dom.ancestors(el)).find(|&id| {
        dom.element(id)
            .and_then(|e| e.range())
            .is_some_and(|r| r.contains_range(d.range))
    })?;
    let start = dom.element(target)?.spans()?.start_tag.start;
    Some(
        Fix::new(
            d.code,
            format!("Suppress `{}` on this element", d.name),
            false,
        )
        .edit(
            TextRange::empty(start),
            format!("<!-- capture-lsp-ignore {}: TODO give a reason -->", d.name),
        ),
    )
}

/// Every safe fix of a file as one `source.fixAll` fix (overlapping edits: the first
/// wins; the rest are left for another round). `None` when there is nothing to fix.
pub fn fix_all(diags: &[Diagnostic]) -> Option<Fix> {
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    for fix in diags
        .iter()
        .filter_map(|d| d.fixes.first())
        .filter(|f| f.safe)
    {
        let overlaps = fix.edits.iter().any(|(r, _)| {
            edits
                .iter()
                .any(|(e, _)| r.start < e.end.max(e.start + 1) && e.start < r.end.max(r.start + 1))
        });
        if !overlaps {
            edits.extend(fix.edits.iter().cloned());
        }
    }
    (!edits.is_empty()).then(|| Fix {
        title: "Fix all safe capture-lsp problems".into(),
        kind: FixKind::FixAll,
        safe: true,
        edits,
        code: "",
    })
}

/// Apply safe fixes until nothing changes (at most a few rounds). Returns the fixed text
/// and the number of rounds that changed something.
pub fn fix_text(text: &str, config: &Config) -> (String, usize) {
    let mut current = text.to_string();
    let mut rounds = 0;
    for _ in 0..4 {
        let analysis = Analysis::new(&current);
        let diags = diagnostics::check(&analysis, config);
        let Some(fix) = fix_all(&diags) else { break };
        let next = apply(&current, &fix.edits);
        if next == current {
            break;
        }
        current = next;
        rounds += 1;
    }
    (current, rounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_skips_overlaps_and_out_of_bounds() {
        let edits = vec![
            (TextRange::new(4, 5), "X".to_string()),
            (TextRange::new(0, 1), "a".to_string()),
            (TextRange::new(0, 2), "zz".to_string()),
            (TextRange::new(9, 12), "nope".to_string()),
        ];
        assert_eq!(apply("01234", &edits), "a123X");
        // Insertions at the same point both apply, in order.
        let ins = vec![
            (TextRange::empty(1), "<".to_string()),
            (TextRange::empty(1), ">".to_string()),
        ];
        assert_eq!(apply("ab", &ins), "a<>b");
    }
}
