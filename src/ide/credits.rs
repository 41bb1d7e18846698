//! The credit engine: for each figure, find who the image is credited to and where that
//! was written (BBC `图像来源，` spans and `story-image-copyright`, captions with
//! `（AFP）`/`(美国之音/…)`/`REUTERS/…`/`图/…`, `aria-label`, alt and title text), with the
//! byte range of the name so hovers and fixes can point at it.

use crate::ide::credit_text::{self, CreditMatch, CreditRules};
use crate::ide::model::{Figure, normalize_ws};
use crate::syntax::html::{Dom, NodeId};
use crate::text::TextRange;

/// Where a credit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CreditSource {
    /// BBC 2022+: `<p role="text"><span>图像来源，</span><span>NAME</span></p>`.
    BbcRoleText,
    /// BBC 2020: `<span class="story-image-copyright">NAME</span>`.
    BbcCopyrightSpan,
    /// The figure's caption (figcaption, feed `<small>`, WordPress caption, …).
    Caption,
    /// The image's or figure's `aria-label`.
    AriaLabel,
    /// The image's `alt` text.
    Alt,
    /// The image's `title` attribute.
    Title,
}

impl CreditSource {
    pub fn describe(self) -> &'static str {
        match self {
            CreditSource::BbcRoleText => "BBC credit line (`p[role=text]`)",
            CreditSource::BbcCopyrightSpan => "BBC `story-image-copyright` span",
            CreditSource::Caption => "caption",
            CreditSource::AriaLabel => "`aria-label`",
            CreditSource::Alt => "alt text",
            CreditSource::Title => "`title` attribute",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    /// The credit as written (`KREMLIN POOL/SPUTNIK/EPA`); empty for a marker with no name.
    pub name: String,
    /// The marker that introduced it (`图像来源`, `©`), if any.
    pub marker: Option<String>,
    /// Canonical agencies named in it (`EPA`, `Sputnik`).
    pub agencies: Vec<String>,
    pub source: CreditSource,
    /// The element holding the credit text.
    pub element: Option<NodeId>,
    /// Range of the whole credit element (or attribute value).
    pub range: TextRange,
    /// Range of the name itself in the source, when it could be located exactly.
    pub name_range: Option<TextRange>,
}

impl Credit {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
    }
}

/// Find the range of `needle` inside the source text of `node`'s descendants. Only exact
/// (entity-free) matches are returned.
pub fn locate(text: &str, dom: &Dom, node: NodeId, needle: &str) -> Option<TextRange> {
    if needle.is_empty() {
        return None;
    }
    let r = dom.element(node).and_then(|e| e.range())?;
    let raw = r.slice(text)?;
    let at = raw.find(needle)?;
    Some(TextRange::new(r.start + at, r.start + at + needle.len()))
}

fn from_match(
    text: &str,
    dom: &Dom,
    m: CreditMatch,
    source: CreditSource,
    element: NodeId,
) -> Option<Credit> {
    let range = dom.element(element).and_then(|e| e.range())?;
    Some(Credit {
        name_range: locate(text, dom, element, &m.name),
        name: m.name,
        marker: m.marker,
        agencies: m.agencies,
        source,
        element: Some(element),
        range,
    })
}

fn attr_credit(
    text: &str,
    dom: &Dom,
    node: NodeId,
    attr: &str,
    source: CreditSource,
    rules: &CreditRules,
) -> Option<Credit> {
    let a = dom.element(node)?.attr_full(attr)?;
    let m = credit_text::find_credit(&a.value, rules)?;
    if m.name.trim().is_empty() {
        return None;
    }
    let range = a.value_range()?;
    let raw = range.slice(text)?;
    let name_range = raw
        .find(&m.name)
        .map(|at| TextRange::new(range.start + at, range.start + at + m.name.len()));
    Some(Credit {
        name: m.name,
        marker: m.marker,
        agencies: m.agencies,
        source,
        element: Some(node),
        range,
        name_range,
    })
}

/// The credit of a figure, if any is written.
pub fn find(text: &str, dom: &Dom, figure: &Figure, rules: &CreditRules) -> Option<Credit> {
    let container = figure.node;
    let scope: Vec<NodeId> = std::iter::once(container)
        .chain(dom.descendants(container))
        .collect();
    // 1. BBC 2022+: p[role=text] (spans: marker, name).
    for &d in &scope {
        let Some(e) = dom.element(d) else { continue };
        if e.name == "p" && e.attr("role") == Some("text") {
            let line = normalize_ws(&dom.text_of(d, text));
            if let Some(m) = credit_text::find_credit(&line, rules) {
                return from_match(text, dom, m, CreditSource::BbcRoleText, d);
            }
        }
    }
    // 2. BBC 2020: span.story-image-copyright.
    for &d in &scope {
        let Some(e) = dom.element(d) else { continue };
        if e.has_class("story-image-copyright") {
            let name = normalize_ws(&dom.text_of(d, text));
            let agencies = credit_text::find_credit(&name, rules)
                .map(|m| m.agencies)
                .unwrap_or_default();
            return Some(Credit {
                name_range: locate(text, dom, d, &name),
                marker: Some("图片版权".into()),
                agencies,
                source: CreditSource::BbcCopyrightSpan,
                element: Some(d),
                range: e.range()?,
                name,
            });
        }
    }
    // 3. The caption.
    if let Some(c) = &figure.caption
        && let Some(m) = credit_text::find_credit(&c.text, rules)
    {
        return from_match(text, dom, m, CreditSource::Caption, c.node);
    }
    // 4. aria-label, alt and title of the image (and its copies) or the figure.
    let images = std::iter::once(&figure.image).chain(&figure.duplicates);
    for img in images {
        for (attr, source) in [
            ("aria-label", CreditSource::AriaLabel),
            ("alt", CreditSource::Alt),
            ("title", CreditSource::Title),
        ] {
            if let Some(c) = attr_credit(text, dom, img.node, attr, source, rules) {
                return Some(c);
            }
        }
    }
    attr_credit(
        text,
        dom,
        container,
        "aria-label",
        CreditSource::AriaLabel,
        rules,
    )
}
