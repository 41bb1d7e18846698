//! `capture-lsp outline FILE [--json]`: print the article outline.

use std::fmt::Write;

use crate::ide::Analysis;
use crate::ide::outline::{OutlineNode, SymbolKind, outline};
use crate::text::{Encoding, LineIndex};

/// Render the outline of `text` as an indented tree (or JSON).
pub fn render(text: &str, json: bool) -> String {
    let analysis = Analysis::new(text);
    let root = outline(&analysis);
    let index = LineIndex::new(text);
    if json {
        let value = to_json(&index, &root);
        return serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    fn walk(index: &LineIndex, node: &OutlineNode, depth: usize, out: &mut String) {
        let pos = index.line_col(node.selection.start, Encoding::Utf32);
        let kind = match node.kind {
            SymbolKind::Article => "article",
            SymbolKind::Section => "section",
            SymbolKind::Figure => "figure",
            SymbolKind::Embed => "embed",
        };
        let _ = write!(out, "{}{kind} {}", "  ".repeat(depth), node.name);
        if let Some(d) = &node.detail {
            let _ = write!(out, " — {d}");
        }
        let _ = writeln!(out, "  [{}:{}]", pos.line + 1, pos.col + 1);
        for c in &node.children {
            walk(index, c, depth + 1, out);
        }
    }
    walk(&index, &root, 0, &mut out);
    out
}

fn to_json(index: &LineIndex, node: &OutlineNode) -> serde_json::Value {
    let pos = index.line_col(node.selection.start, Encoding::Utf32);
    serde_json::json!({
        "name": node.name,
        "detail": node.detail,
        "kind": format!("{:?}", node.kind).to_lowercase(),
        "range": [node.range.start, node.range.end],
        "selection": [node.selection.start, node.selection.end],
        "line": pos.line + 1,
        "column": pos.col + 1,
        "children": node.children.iter().map(|c| to_json(index, c)).collect::<Vec<_>>(),
    })
}
