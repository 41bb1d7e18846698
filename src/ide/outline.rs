//! The article outline: title at the root, sections nested by heading level, figures and
//! embeds inside their section. Also folding ranges and selection ranges for the same
//! structure.

use crate::ide::Analysis;
use crate::ide::model::BOLD_HEADING_LEVEL;
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Article,
    Section,
    Figure,
    Embed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineNode {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct (a section runs to the next heading of its level or above).
    pub range: TextRange,
    /// What to select when the symbol is picked: the heading text, the image tag, …
    pub selection: TextRange,
    pub children: Vec<OutlineNode>,
}

const MAX_LABEL: usize = 80;

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= MAX_LABEL {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_LABEL - 1).collect();
    out.push('…');
    out
}

/// Build the outline tree (one root: the article).
pub fn outline(analysis: &Analysis) -> OutlineNode {
    outline_with(analysis, Detail::Full)
}

/// How much an outline lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Sections, figures and embeds.
    Full,
    /// Sections only: the reduced outline of documents above `largeFileThreshold`, where
    /// thousands of figures and embeds would cost more than the typing budget.
    Sections,
}

/// [`outline`] at a level of detail.
pub fn outline_with(analysis: &Analysis, level: Detail) -> OutlineNode {
    let header = &analysis.capture.header;
    let len = analysis.len;
    let title = header
        .title
        .as_ref()
        .map(|t| t.text.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "(untitled capture)".to_string());
    let selection = header
        .title
        .as_ref()
        .map(|t| t.text_range)
        .unwrap_or_default();
    let mut detail = Vec::new();
    if let Some(date) = analysis.date_iso() {
        detail.push(date);
    }
    if let Some(host) = analysis.source_host() {
        detail.push(host);
    }
    let mut root = OutlineNode {
        name: clip(&title),
        detail: (!detail.is_empty()).then(|| detail.join(" · ")),
        kind: SymbolKind::Article,
        range: TextRange::new(0, len),
        selection,
        children: Vec::new(),
    };

    enum Item<'a> {
        Heading(&'a crate::ide::model::Heading),
        Leaf(OutlineNode),
    }
    let article = &analysis.article;
    let mut items: Vec<(usize, Item)> = Vec::new();
    for h in &article.headings {
        items.push((h.range.start, Item::Heading(h)));
    }
    let leaves = level == Detail::Full;
    for f in article.figures.iter().filter(|f| leaves && !f.decorative) {
        let name = f
            .label()
            .map(|l| clip(&l))
            .unwrap_or_else(|| "Figure".to_string());
        // The image's file name, behind any proxy.
        let detail = f.image.src.as_ref().and_then(|s| {
            crate::ide::url::file_name(
                &crate::ide::url::deproxy(&s.value).unwrap_or_else(|| s.value.clone()),
            )
        });
        items.push((
            f.range.start,
            Item::Leaf(OutlineNode {
                name,
                detail,
                kind: SymbolKind::Figure,
                range: f.range,
                selection: f.image.range,
                children: Vec::new(),
            }),
        ));
    }
    for e in article.embeds.iter().filter(|_| leaves) {
        let mut detail = e.url.as_ref().map(|u| u.value.clone()).unwrap_or_default();
        if !e.captured {
            detail = if detail.is_empty() {
                "content not captured".into()
            } else {
                format!("{detail} (content not captured)")
            };
        }
        items.push((
            e.range.start,
            Item::Leaf(OutlineNode {
                name: e.kind.label().to_string(),
                detail: (!detail.is_empty()).then_some(detail),
                kind: SymbolKind::Embed,
                range: e.range,
                selection: e.url.as_ref().and_then(|u| u.range).unwrap_or(e.range),
                children: Vec::new(),
            }),
        ));
    }
    items.sort_by_key(|(start, _)| *start);

    // Stack of open sections: (level, node). Index 0 is the root.
    let mut stack: Vec<(u8, OutlineNode)> = vec![(0, root.clone())];
    root.children.clear();
    fn close(stack: &mut Vec<(u8, OutlineNode)>, end: usize) {
        if let Some((_, mut node)) = stack.pop() {
            node.range.end = node.range.end.max(end).max(node.range.start);
            if let Some((_, parent)) = stack.last_mut() {
                parent.children.push(node);
            }
        }
    }
    for (start, item) in items {
        match item {
            Item::Heading(h) => {
                while stack.len() > 1 && stack.last().is_some_and(|(l, _)| *l >= h.level) {
                    close(&mut stack, start);
                }
                stack.push((
                    h.level,
                    OutlineNode {
                        name: clip(&h.text),
                        detail: (h.level == BOLD_HEADING_LEVEL).then(|| "bold".to_string()),
                        kind: SymbolKind::Section,
                        range: TextRange::new(h.range.start, h.range.end),
                        selection: h.text_range,
                        children: Vec::new(),
                    },
                ));
            }
            Item::Leaf(node) => {
                if let Some((_, parent)) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
        }
    }
    let body_end = analysis.capture.body.end;
    while stack.len() > 1 {
        close(&mut stack, body_end);
    }
    let (_, mut top) = stack.pop().unwrap_or((0, root));
    top.range = TextRange::new(0, len);
    top
}

/// Sections, figures and the header as foldable regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Header,
    Region,
}

pub fn folding_ranges(analysis: &Analysis) -> Vec<Fold> {
    let mut out = Vec::new();
    let header = analysis.capture.header.range;
    if !header.is_empty() {
        out.push(Fold {
            range: header,
            kind: FoldKind::Header,
        });
    }
    fn walk(node: &OutlineNode, out: &mut Vec<Fold>) {
        for c in &node.children {
            if c.kind != SymbolKind::Article {
                out.push(Fold {
                    range: c.range,
                    kind: FoldKind::Region,
                });
            }
            walk(c, out);
        }
    }
    walk(&outline(analysis), &mut out);
    out
}

/// Nested ranges around `offset`, innermost first: the text or attribute, the tag, each
/// enclosing element, the section, the article.
pub fn selection_ranges(analysis: &Analysis, offset: usize) -> Vec<TextRange> {
    let mut ranges: Vec<TextRange> = Vec::new();
    let dom = &analysis.capture.dom;
    if let Some(id) = dom.element_at(offset) {
        if let Some(el) = dom.element(id) {
            for a in &el.attrs {
                if let Some(v) = a.value_range().filter(|r| r.touches(offset)) {
                    ranges.push(v);
                    if let Some(n) = a.name_range() {
                        ranges.push(n.cover(v));
                    }
                }
            }
            if let Some(s) = el.spans() {
                if s.start_tag.contains(offset) {
                    ranges.push(s.start_tag);
                } else if let Some(inner) = s.inner().filter(|r| r.touches(offset)) {
                    ranges.push(inner);
                }
            }
        }
        for a in std::iter::once(id).chain(dom.ancestors(id)) {
            if let Some(r) = dom.element(a).and_then(|e| e.range()) {
                ranges.push(r);
            }
        }
    } else if let Some(t) = [
        analysis.capture.header.timestamp.as_ref().map(|t| t.range),
        analysis.capture.header.title.as_ref().map(|t| t.text_range),
        analysis.capture.header.url.as_ref().map(|u| u.range),
    ]
    .into_iter()
    .flatten()
    .find(|r| r.touches(offset))
    {
        ranges.push(t);
        ranges.push(analysis.capture.header.range);
    }
    // Enclosing sections from the outline.
    fn sections(node: &OutlineNode, offset: usize, out: &mut Vec<TextRange>) {
        for c in &node.children {
            if c.range.touches(offset) {
                sections(c, offset, out);
                out.push(c.range);
            }
        }
    }
    let mut secs = Vec::new();
    sections(&outline(analysis), offset, &mut secs);
    ranges.extend(secs);
    ranges.push(TextRange::new(0, analysis.len));
    // Keep a strictly growing chain (LSP requires each parent to contain its child).
    let mut chain: Vec<TextRange> = Vec::new();
    for r in ranges {
        match chain.last() {
            Some(last) if r == *last || !r.contains_range(*last) => {}
            _ => chain.push(r),
        }
    }
    chain
}
