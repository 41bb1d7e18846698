//! Conversions between the analysis layer's byte ranges and LSP types (`to_proto` /
//! `from_proto` in one place).

use tower_lsp_server::ls_types as lsp;

use crate::ide::outline::{FoldKind, OutlineNode, SymbolKind};
use crate::text::{Encoding, LineCol, LineIndex, TextRange};

pub fn line_col(p: lsp::Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

pub fn position(index: &LineIndex, offset: usize, enc: Encoding) -> lsp::Position {
    let lc = index.line_col(offset, enc);
    lsp::Position::new(lc.line, lc.col)
}

pub fn range(index: &LineIndex, r: TextRange, enc: Encoding) -> lsp::Range {
    lsp::Range::new(position(index, r.start, enc), position(index, r.end, enc))
}

pub fn offset(index: &LineIndex, p: lsp::Position, enc: Encoding) -> usize {
    index.offset(line_col(p), enc)
}

pub fn text_range(index: &LineIndex, r: lsp::Range, enc: Encoding) -> TextRange {
    let a = offset(index, r.start, enc);
    let b = offset(index, r.end, enc);
    TextRange::new(a.min(b), a.max(b))
}

pub fn encoding_kind(enc: Encoding) -> lsp::PositionEncodingKind {
    match enc {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// Pick the position encoding: UTF-8 when offered, UTF-32 when it is the client's first
/// choice, else UTF-16 (which every client supports).
pub fn negotiate_encoding(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    let Some(offered) = offered else {
        return Encoding::Utf16;
    };
    if offered.contains(&lsp::PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.first() == Some(&lsp::PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be named to be built.
pub fn document_symbol(
    index: &LineIndex,
    node: &OutlineNode,
    enc: Encoding,
) -> lsp::DocumentSymbol {
    let full = range(index, node.range, enc);
    let mut selection = range(index, node.selection, enc);
    // LSP requires the selection range to lie within the range.
    if !node.range.contains_range(node.selection) {
        selection = full;
    }
    lsp::DocumentSymbol {
        name: if node.name.is_empty() {
            "(empty)".into()
        } else {
            node.name.clone()
        },
        detail: node.detail.clone(),
        kind: match node.kind {
            SymbolKind::Article => lsp::SymbolKind::FILE,
            SymbolKind::Section => lsp::SymbolKind::NAMESPACE,
            SymbolKind::Figure => lsp::SymbolKind::OBJECT,
            SymbolKind::Embed => lsp::SymbolKind::EVENT,
        },
        tags: None,
        deprecated: None,
        range: full,
        selection_range: selection,
        // Leaves carry no `children` at all: an outline of a large capture has thousands,
        // and every client parses the response.
        children: (!node.children.is_empty()).then(|| {
            node.children
                .iter()
                .map(|c| document_symbol(index, c, enc))
                .collect()
        }),
    }
}

pub fn folding_range(index: &LineIndex, r: TextRange, kind: FoldKind) -> Option<lsp::FoldingRange> {
    let start = index.line_col(r.start, Encoding::Utf16);
    let end = index.line_col(r.end, Encoding::Utf16);
    // Folding is by line; a region on one line (a one-line body) cannot fold.
    (end.line > start.line).then_some(lsp::FoldingRange {
        start_line: start.line,
        start_character: None,
        end_line: end.line,
        end_character: None,
        kind: Some(match kind {
            FoldKind::Header => lsp::FoldingRangeKind::Imports,
            FoldKind::Region => lsp::FoldingRangeKind::Region,
        }),
        collapsed_text: None,
    })
}

pub fn selection_range(
    index: &LineIndex,
    chain: &[TextRange],
    enc: Encoding,
) -> lsp::SelectionRange {
    let mut parent: Option<Box<lsp::SelectionRange>> = None;
    for r in chain.iter().rev() {
        parent = Some(Box::new(lsp::SelectionRange {
            range: range(index, *r, enc),
            parent,
        }));
    }
    parent.map(|b| *b).unwrap_or(lsp::SelectionRange {
        range: lsp::Range::default(),
        parent: None,
    })
}

pub fn diagnostic(
    index: &LineIndex,
    d: &crate::ide::diagnostics::Diagnostic,
    enc: Encoding,
) -> lsp::Diagnostic {
    use crate::ide::diagnostics::Severity;
    lsp::Diagnostic {
        range: range(index, d.range, enc),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            Severity::Hint => lsp::DiagnosticSeverity::HINT,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: rule_doc_uri(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some("capture-lsp".into()),
        message: format!("{} ({})", d.message, d.name),
        ..Default::default()
    }
}

/// The documentation page of the rule with this code, parsed once per rule (a document
/// can carry thousands of findings).
fn rule_doc_uri(code: &str) -> Option<lsp::Uri> {
    use crate::ide::rules::RULES;
    static URIS: std::sync::OnceLock<Vec<Option<lsp::Uri>>> = std::sync::OnceLock::new();
    let uris = URIS.get_or_init(|| RULES.iter().map(|r| r.doc_url().parse().ok()).collect());
    let at = RULES.iter().position(|r| r.code == code)?;
    uris.get(at)?.clone()
}

pub fn hover(
    index: &LineIndex,
    h: &crate::ide::hover::HoverResult,
    enc: Encoding,
    markdown: bool,
) -> lsp::Hover {
    let contents = if markdown {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown.clone(),
        }
    } else {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::PlainText,
            value: h.plaintext(),
        }
    };
    lsp::Hover {
        contents: lsp::HoverContents::Markup(contents),
        range: Some(range(index, h.range, enc)),
    }
}

pub fn document_link(
    index: &LineIndex,
    l: &crate::ide::links::DocLink,
    enc: Encoding,
) -> Option<lsp::DocumentLink> {
    let target: lsp::Uri = l.target.parse().ok()?;
    Some(lsp::DocumentLink {
        range: range(index, l.range, enc),
        target: Some(target),
        tooltip: Some(l.tooltip.clone()),
        data: None,
    })
}

pub fn inlay_hint(
    index: &LineIndex,
    h: &crate::ide::links::InlayHint,
    enc: Encoding,
) -> lsp::InlayHint {
    lsp::InlayHint {
        position: position(index, h.offset, enc),
        label: lsp::InlayHintLabel::String(h.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: h.tooltip.clone().map(lsp::InlayHintTooltip::String),
        padding_left: Some(false),
        padding_right: Some(false),
        data: None,
    }
}
