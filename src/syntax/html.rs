//! Body parser: a browser-grade DOM (html5ever's tree builder) with exact byte spans for
//! every element that comes from a source tag.
//!
//! html5ever records no byte offsets, so the body is tokenized twice:
//! 1. html5ever's tokenizer and tree builder: a token sink here numbers start and end tags
//!    as they are processed, and the tree sink (the small arena in `arena.rs`) notes
//!    "element created for start tag k".
//!    Elements with no record were synthesised by the parser (implied `html`/`body`,
//!    adoption-agency clones) and have no source range.
//! 2. A byte-level span scanner (`scan.rs`, following the tokenizer's tag, attribute and
//!    comment states) gives the k-th start tag's span (name, each attribute name and value).
//!    Names are checked to agree; on a disagreement the two sequences resync by name and the
//!    element stays unmapped.
//! 3. End tags are paired with start tags in source order and kept only where the real tree
//!    agrees (every element between the two tags is a descendant); the rest are stray.
//!
//! Both passes run with scripting disabled, so `<noscript>` content is parsed as elements.
//! The result is plain `Send + Sync` data ([`Dom`]) with interned names. The arena builds
//! the same tree scraper's sink would (`tests/tree_oracle.rs` checks it against scraper).
//! This file depends on an exact html5ever version: its API moves between minor versions.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{ElementFlags, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{LocalName, QualName, TokenizerResult, ns};

use crate::syntax::name::Name;
use crate::syntax::scan;
use crate::text::TextRange;

mod arena;
use arena::{Arena, ArenaData, ArenaId, ArenaSink, NONE};

/// Index of a node in [`Dom::nodes`].
pub type NodeId = u32;

/// The parsed body: a tree of nodes in document order, with byte ranges into the file.
#[derive(Debug, Default, Clone)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// Mapped elements sorted by the start of their start tag (for position lookups).
    pub by_start: Vec<(u32, NodeId)>,
    /// End tags that closed nothing (html5ever ignored them).
    pub stray_end_tags: Vec<SourceTag>,
    /// Every end tag as the span pass saw it, in source order (`node` is `None`).
    pub end_tags: Vec<SourceTag>,
    /// Every comment in the body, in source order, with its range (for suppressions).
    pub comments: Vec<SourceComment>,
    /// Every start tag as the span tokenizer saw it, in source order, with the node it
    /// created (if any).
    pub start_tags: Vec<SourceTag>,
    /// Elements without a source span besides the implied `html`/`head`/`body`: ones the
    /// tree builder synthesised (a stray `</p>` makes an empty `<p>`, adoption-agency
    /// clones) or, rarely, ones whose start tag the two tokenizers disagreed on.
    pub unmapped_start_tags: usize,
    /// The document's quirks mode (a body with no doctype is parsed in quirks mode); a
    /// fragment re-parsed in place must use the same.
    pub(crate) quirks: Quirks,
}

/// html5ever's quirks mode, kept as plain data.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quirks {
    #[default]
    Full,
    Limited,
    No,
}

impl Quirks {
    fn from_html5ever(mode: QuirksMode) -> Quirks {
        match mode {
            QuirksMode::Quirks => Quirks::Full,
            QuirksMode::LimitedQuirks => Quirks::Limited,
            QuirksMode::NoQuirks => Quirks::No,
        }
    }
    fn to_html5ever(self) -> QuirksMode {
        match self {
            Quirks::Full => QuirksMode::Quirks,
            Quirks::Limited => QuirksMode::LimitedQuirks,
            Quirks::No => QuirksMode::NoQuirks,
        }
    }
}

/// A byte range in 8 bytes: the tree keeps a few per node, so it stores offsets as `u32`
/// ([`parse_body`] parses at most the first [`MAX_BODY`] bytes of a body). `Span::NONE`
/// stands for "no range".
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Span {
    start: u32,
    end: u32,
}

/// The longest body prefix [`parse_body`] parses (offsets must fit the tree's `u32`s).
pub const MAX_BODY: usize = u32::MAX as usize - 1;

impl Span {
    const NONE: Span = Span {
        start: u32::MAX,
        end: u32::MAX,
    };
    /// `r`, its offsets clamped to what a body may hold.
    fn new(r: TextRange) -> Span {
        let at = |p: usize| u32::try_from(p.min(MAX_BODY)).unwrap_or(u32::MAX - 1);
        Span {
            start: at(r.start),
            end: at(r.end),
        }
    }
    fn of(r: Option<TextRange>) -> Span {
        r.map_or(Span::NONE, Span::new)
    }
    fn get(self) -> Option<TextRange> {
        (self != Span::NONE).then(|| TextRange::new(self.start as usize, self.end as usize))
    }
    /// Apply `f` to the range, if there is one.
    fn map(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        if let Some(r) = self.get() {
            *self = Span::new(f(r));
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourceTag {
    pub name: Name,
    range: Span,
    node: NodeId,
    /// A start tag that needs no end tag (void, or written `<x/>`).
    pub closed: bool,
}

impl SourceTag {
    pub(crate) fn new(name: Name, range: TextRange, closed: bool) -> SourceTag {
        SourceTag {
            name,
            range: Span::new(range),
            node: NodeId::MAX,
            closed,
        }
    }
    pub fn range(&self) -> TextRange {
        self.range.get().unwrap_or_default()
    }
    /// The element this start tag created, if any (end tags have none).
    pub fn node(&self) -> Option<NodeId> {
        (self.node != NodeId::MAX).then_some(self.node)
    }
    pub(crate) fn set_node(&mut self, node: Option<NodeId>) {
        self.node = node.unwrap_or(NodeId::MAX);
    }
    pub(crate) fn map_range(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        self.range.map(f);
    }
}

#[derive(Debug, Clone)]
pub struct SourceComment {
    pub text: String,
    pub range: TextRange,
    /// The range of the comment's content, between `<!--` and `-->`.
    pub inner: TextRange,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub data: NodeData,
}

#[derive(Debug, Clone)]
pub enum NodeData {
    Document,
    Element(Element),
    Text(TextNode),
    Comment(String),
}

/// An element. Its source ranges are stored compactly (the tree is most of a document's
/// memory) and read through [`Element::spans`] and [`Element::range`].
#[derive(Debug, Clone)]
pub struct Element {
    /// Local name, lowercase for HTML elements.
    pub name: Name,
    pub attrs: Box<[Attr]>,
    /// `Span::NONE` for elements the parser synthesised.
    start_tag: Span,
    /// `Span::NONE` when the element has no end tag.
    end_tag: Span,
    /// The length of the name as written (it follows the start tag's `<`).
    name_len: u32,
    /// The end of [`Element::range`], which starts with the start tag.
    range_end: u32,
    /// In the SVG or MathML namespace.
    pub foreign: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct TagSpans {
    pub start_tag: TextRange,
    pub name: TextRange,
    pub end_tag: Option<TextRange>,
}

impl TagSpans {
    /// The content between the start and the end tag, when the element has an end tag.
    pub fn inner(&self) -> Option<TextRange> {
        self.end_tag
            .map(|end| TextRange::new(self.start_tag.end, end.start.max(self.start_tag.end)))
    }
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Name,
    /// Value with character references decoded.
    pub value: String,
    name_range: Span,
    /// Without quotes; `Span::NONE` for an attribute with no value.
    value_range: Span,
}

impl Attr {
    pub(crate) fn new(
        name: Name,
        value: String,
        name_range: Option<TextRange>,
        value_range: Option<TextRange>,
    ) -> Attr {
        Attr {
            name,
            value,
            name_range: Span::of(name_range),
            value_range: Span::of(value_range),
        }
    }
    /// The name as written, when the attribute comes from a source tag.
    pub fn name_range(&self) -> Option<TextRange> {
        self.name_range.get()
    }
    /// The raw value, without quotes; `None` for an attribute with no value (or none in
    /// the source).
    pub fn value_range(&self) -> Option<TextRange> {
        self.value_range.get()
    }
}

/// A text node. Its decoded text is kept only where it differs from its source range (a
/// character reference, a normalised line break, or no range): most text is read from the
/// document, through [`TextNode::text`].
#[derive(Debug, Clone)]
pub struct TextNode {
    /// The decoded text, unless it is exactly the source range's.
    owned: Option<Box<str>>,
    /// The raw source text, when it could be located exactly.
    range: Span,
    /// Only white space.
    blank: bool,
}

impl TextNode {
    pub(crate) fn new(text: String) -> TextNode {
        TextNode {
            blank: text.trim().is_empty(),
            owned: Some(text.into_boxed_str()),
            range: Span::NONE,
        }
    }
    /// The decoded text when it is kept, as it differs from the source (or has no range).
    pub fn kept(&self) -> Option<&str> {
        self.owned.as_deref()
    }
    /// Whether the text is empty (without reading it).
    pub fn is_empty(&self) -> bool {
        match &self.owned {
            Some(t) => t.is_empty(),
            None => self.range().is_none_or(TextRange::is_empty),
        }
    }
    /// Whether the text is only white space (or empty).
    pub fn is_blank(&self) -> bool {
        self.blank
    }
    /// The text with character references decoded; `src` is the document the tree was
    /// parsed from (or the current one, after a splice).
    pub fn text<'a>(&'a self, src: &'a str) -> &'a str {
        match &self.owned {
            Some(t) => t,
            None => self.range().and_then(|r| r.slice(src)).unwrap_or_default(),
        }
    }
    /// Range of the raw source text, when it could be located exactly.
    pub fn range(&self) -> Option<TextRange> {
        self.range.get()
    }
    /// Locate the text at `range`; the decoded text is dropped when it is `same` as the
    /// source there.
    fn locate(&mut self, range: TextRange, same: bool) {
        if same {
            self.owned = None;
        }
        self.range = Span::new(range);
    }
    /// Forget the range, keeping the text (read from `src` if it was not kept).
    fn unlocate(&mut self, src: &str) {
        if self.owned.is_none() {
            self.owned = Some(self.text(src).into());
        }
        self.range = Span::NONE;
    }
    pub(crate) fn map_range(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        self.range.map(f);
    }
}

impl Element {
    pub(crate) fn new(
        name: Name,
        attrs: Box<[Attr]>,
        spans: Option<TagSpans>,
        foreign: bool,
    ) -> Element {
        let mut el = Element {
            name,
            attrs,
            start_tag: Span::NONE,
            end_tag: Span::NONE,
            name_len: 0,
            range_end: 0,
            foreign,
        };
        el.set_spans(spans);
        el
    }
    /// Spans of the source tags; `None` for elements the parser synthesised.
    pub fn spans(&self) -> Option<TagSpans> {
        let start_tag = self.start_tag.get()?;
        let name_start = (start_tag.start + 1).min(start_tag.end);
        Some(TagSpans {
            start_tag,
            name: TextRange::new(
                name_start,
                (name_start + self.name_len as usize).min(start_tag.end),
            ),
            end_tag: self.end_tag.get(),
        })
    }
    /// Start of the start tag to the end of the end tag (or of the last mapped content when
    /// the element was closed implicitly); `None` for elements the parser synthesised.
    pub fn range(&self) -> Option<TextRange> {
        let start_tag = self.start_tag.get()?;
        Some(TextRange::new(
            start_tag.start,
            (self.range_end as usize).max(start_tag.start),
        ))
    }
    /// Whether the element comes from a start tag but has no end tag (its range then ends
    /// with its last mapped descendant).
    pub fn closed_implicitly(&self) -> bool {
        self.start_tag != Span::NONE && self.end_tag == Span::NONE
    }
    /// Set the tag spans (the name must follow the start tag's `<`), the range to the tags.
    pub(crate) fn set_spans(&mut self, spans: Option<TagSpans>) {
        self.start_tag = Span::of(spans.map(|s| s.start_tag));
        self.name_len = spans.map_or(0, |s| u32::try_from(s.name.len()).unwrap_or(u32::MAX));
        self.set_end_tag(spans.and_then(|s| s.end_tag));
    }
    /// Set the end tag, and the range to end with it (or with the start tag).
    pub(crate) fn set_end_tag(&mut self, end_tag: Option<TextRange>) {
        self.end_tag = Span::of(end_tag);
        self.range_end = match (self.end_tag, self.start_tag) {
            (Span::NONE, s) => s.end,
            (e, _) => e.end,
        };
    }
    /// Extend the range to `end` (an element closed implicitly ends with its content).
    pub(crate) fn extend_range(&mut self, end: usize) {
        self.range_end = self.range_end.max(Span::new(TextRange::empty(end)).end);
    }
    /// Apply `f` to every range (the tags, the range and the attributes').
    pub(crate) fn map_ranges(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        let range = self.range();
        self.start_tag.map(f);
        self.end_tag.map(f);
        if let Some(r) = range {
            self.range_end = Span::new(f(r)).end;
        }
        for a in &mut self.attrs {
            a.name_range.map(f);
            a.value_range.map(f);
        }
    }
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
    pub fn attr_full(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
    }
    pub fn is_void(&self) -> bool {
        is_void(&self.name)
    }
}

/// `h1` to `h6`.
pub fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

pub fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
    )
}

impl Dom {
    pub fn root(&self) -> NodeId {
        0
    }
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id as usize)
    }
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes.get(id as usize)?.data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id as usize)?.parent
    }
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.nodes
            .get(id as usize)
            .map(|n| n.children.as_slice())
            .unwrap_or(&[])
    }
    /// All descendants of `id` in document order (not including `id`).
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        let mut stack: Vec<NodeId> = self.children(id).to_vec();
        stack.reverse();
        Descendants { dom: self, stack }
    }
    /// Ancestors of `id`, nearest first (not including `id`).
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), move |&p| self.parent(p))
    }
    /// Concatenated decoded text of `id` and its descendants; `src` is the document.
    pub fn text_of(&self, id: NodeId, src: &str) -> String {
        let mut out = String::new();
        self.push_text(id, src, &mut out);
        out
    }
    fn push_text(&self, id: NodeId, src: &str, out: &mut String) {
        match self.nodes.get(id as usize).map(|n| &n.data) {
            Some(NodeData::Text(t)) => out.push_str(t.text(src)),
            Some(NodeData::Element(e)) if matches!(e.name.as_str(), "script" | "style") => {}
            Some(_) => {
                for &c in self.children(id) {
                    self.push_text(c, src, out);
                }
            }
            None => {}
        }
    }
    /// The innermost mapped element whose range touches `offset`.
    pub fn element_at(&self, offset: usize) -> Option<NodeId> {
        let idx = self
            .by_start
            .partition_point(|&(start, _)| start as usize <= offset);
        let (_, candidate) = *self.by_start.get(idx.checked_sub(1)?)?;
        std::iter::once(candidate)
            .chain(self.ancestors(candidate))
            .find(|&id| {
                self.element(id)
                    .and_then(|e| e.range())
                    .is_some_and(|r| r.start <= offset && offset < r.end.max(r.start + 1))
            })
    }
    /// Rebuild [`Dom::by_start`] from the nodes.
    pub(crate) fn index_starts(&mut self) {
        // At most one entry per start tag: sized once, not grown by doubling.
        self.by_start.clear();
        self.by_start.reserve_exact(self.start_tags.len());
        let starts = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.data {
                NodeData::Element(e) if e.start_tag != Span::NONE => {
                    Some((e.start_tag.start, i as NodeId))
                }
                _ => None,
            });
        self.by_start.extend(starts);
        self.by_start.sort_unstable();
    }

    /// The first mapped element whose start tag begins at or after `offset`.
    pub fn next_element_after(&self, offset: usize) -> Option<NodeId> {
        let idx = self
            .by_start
            .partition_point(|&(start, _)| (start as usize) < offset);
        self.by_start.get(idx).map(|&(_, id)| id)
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        self.stack
            .extend(self.dom.children(id).iter().rev().copied());
        Some(id)
    }
}

/// Parse `text[offset..]` as an HTML body. Ranges in the result are absolute (into `text`).
/// Never fails: garbage in gives the best tree html5ever builds.
pub fn parse_body(text: &str, offset: usize) -> Dom {
    // Offsets are stored as `u32`: a body past 4 GiB is parsed up to there.
    let mut limit = text.len().min(MAX_BODY);
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let text = text.get(..limit).unwrap_or_default();
    let body = text.get(offset..).unwrap_or("");
    // The two passes are independent: on large bodies run the span pass on a second
    // thread while this one builds the tree (html5ever's tendrils are not `Send`, so the tree
    // pass stays here).
    let tags = max_tags(body);
    let (gum, ever) = if body.len() >= PARALLEL_THRESHOLD {
        std::thread::scope(|scope| {
            let spans = scope.spawn(|| span_pass(body, offset, tags));
            let ever = tree_pass(body, tags, None);
            let gum = spans.join().unwrap_or_else(|_| GumOutput::default());
            (gum, ever)
        })
    } else {
        (span_pass(body, offset, tags), tree_pass(body, tags, None))
    };
    assemble(text, offset, gum, ever, None)
}

/// A region of the body parsed on its own as the content of a `context` element (the
/// HTML fragment parsing algorithm), for incremental reparsing.
pub(crate) struct Fragment {
    /// Node 0 is the fragment root, node 1 the `html` element standing in for the
    /// context element (with zero-width tag spans at the region's ends); the region's
    /// nodes follow in document order.
    pub dom: Dom,
    /// The region ended inside a tag, comment or raw text.
    pub truncated: bool,
    pub probed: Option<Probed>,
}

/// Parse `text[region]` as the content of a `context` element, ranges absolute.
pub(crate) fn parse_fragment(
    text: &str,
    region: TextRange,
    context: &str,
    quirks: Quirks,
) -> Option<Fragment> {
    let slice = region.slice(text)?;
    let tags = max_tags(slice);
    let gum = span_pass(slice, region.start, tags);
    let truncated = gum.truncated;
    let mut ever = tree_pass(slice, tags, Some((context, quirks)));
    let probed = ever.probed.take();
    let dom = assemble(text, region.start, gum, ever, Some(region));
    Some(Fragment {
        dom,
        truncated,
        probed,
    })
}

/// At most one tag starts per `<`: both passes reserve their tables from this count rather
/// than growing them (each copy page-faults anew on large bodies); room never touched costs
/// no memory.
fn max_tags(body: &str) -> usize {
    memchr::memchr_iter(b'<', body.as_bytes()).count()
}

/// Bodies at least this large are tokenized for spans on a second thread.
const PARALLEL_THRESHOLD: usize = 64 * 1024;

// ---------------------------------------------------------------------------------------
// Pass 1: spans (see `scan.rs`).

type GumStart = scan::StartTag;

#[derive(Debug, Default)]
struct GumOutput {
    starts: Vec<GumStart>,
    /// The `Dom`'s source-order tables, ranges absolute: start tags (their nodes are filled
    /// in by `assemble`), end tags and comments.
    start_tags: Vec<SourceTag>,
    end_tags: Vec<SourceTag>,
    comments: Vec<SourceComment>,
    /// The end tags each start tag would pair with, and those that close nothing
    /// ([`match_end_tags`]).
    matched: (Vec<Option<usize>>, Vec<usize>),
    truncated: bool,
}

/// Scan `body` (which starts at `offset` in the document) for spans, and build from them
/// alone what the tree does not decide: the tag tables and the source-order end-tag
/// matching. On large bodies this runs on a second thread while html5ever builds the tree.
fn span_pass(body: &str, offset: usize, tags: usize) -> GumOutput {
    let scanned = scan::scan(body, tags);
    let shift = |r: TextRange| r.shift(offset);
    let start_tags: Vec<SourceTag> = scanned
        .starts
        .iter()
        .map(|t| {
            SourceTag::new(
                t.name.clone(),
                shift(t.range),
                is_void(&t.name) || t.self_closing,
            )
        })
        .collect();
    let end_tags: Vec<SourceTag> = scanned
        .ends
        .into_iter()
        .map(|(name, range)| SourceTag::new(name, shift(range), false))
        .collect();
    let matched = match_end_tags(&start_tags, &end_tags);
    GumOutput {
        truncated: scanned.truncated,
        starts: scanned.starts,
        start_tags,
        end_tags,
        matched,
        comments: scanned
            .comments
            .into_iter()
            .map(|c| SourceComment {
                text: c.inner.slice(body).unwrap_or_default().to_string(),
                range: shift(c.range),
                inner: shift(c.inner),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Pass 2: html5ever into the arena, for the tree.

#[derive(Clone, Copy)]
enum Current {
    None,
    Start(usize),
}

struct Tracker {
    current: Cell<Current>,
    start_names: RefCell<Vec<LocalName>>,
    /// start tag k → element created for it
    created: RefCell<Vec<Option<ArenaId>>>,
    /// Fragment parses only: probe the tree builder's current node around every end tag
    /// and at the end (see [`Probe`]).
    probe: Option<Probe>,
}

/// Where the tree builder stands, learnt without access to its private stack: a comment
/// token with a text no input can produce is processed, and the sink notes where it would
/// be appended (the current node) and drops it.
#[derive(Default)]
struct Probe {
    comment: Cell<Option<ArenaId>>,
    parent: Cell<Option<ArenaId>>,
    /// In the "text" insertion mode (inside raw text), where a comment token cannot occur.
    in_text: Cell<bool>,
    /// Per end tag: its name, whether it left the current node as it was (popped
    /// nothing: the tree builder ignored it), and then, when the current node was the
    /// fragment's root, its child count (see [`Probed::ignored_end_tags`]).
    end_tags: RefCell<Vec<(LocalName, bool, Option<usize>)>>,
    /// The context element's name: the child count is taken only for the first ignored end
    /// tag of that name (the one a reparse may split the region at), so counting stays
    /// linear.
    context: LocalName,
    counted: Cell<bool>,
}

/// NUL never reaches a comment from the input (the tokenizer replaces it).
const PROBE_TEXT: &str = "\u{0}capture-lsp probe";

struct CountingSink {
    inner: TreeBuilder<ArenaId, ArenaSink>,
    tracker: Rc<Tracker>,
}

impl CountingSink {
    /// The current node, or `None` when it cannot be probed here.
    fn probe(&self) -> Option<ArenaId> {
        let probe = self.tracker.probe.as_ref()?;
        if probe.in_text.get() {
            return None;
        }
        probe.parent.set(None);
        let comment = Token::CommentToken(StrTendril::from_slice(PROBE_TEXT));
        let _ = self.inner.process_token(comment, 0);
        probe.comment.set(None);
        probe.parent.take()
    }
}

impl TokenSink for CountingSink {
    type Handle = ArenaId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<ArenaId> {
        if let Some(probe) = &self.tracker.probe {
            let end_name = match &token {
                Token::TagToken(tag) if tag.kind == TagKind::EndTag => Some(tag.name.clone()),
                _ => None,
            };
            let Some(name) = end_name else {
                let result = self.process_counted(token, line_number);
                if matches!(result, TokenSinkResult::RawData(_)) {
                    probe.in_text.set(true);
                }
                return result;
            };
            let before = self.probe();
            let result = self.process_counted(token, line_number);
            // In raw text the only end tag the tokenizer emits is the one that ends it.
            probe.in_text.set(false);
            let after = self.probe();
            let ignored = before.is_some() && before == after;
            let split = before
                .filter(|_| ignored && name == probe.context && !probe.counted.replace(true))
                .and_then(|b| self.inner.sink.root_split(b));
            probe.end_tags.borrow_mut().push((name, ignored, split));
            return result;
        }
        self.process_counted(token, line_number)
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

impl CountingSink {
    fn process_counted(&self, token: Token, line_number: u64) -> TokenSinkResult<ArenaId> {
        if let Token::TagToken(tag) = &token {
            let t = &self.tracker;
            match tag.kind {
                TagKind::StartTag => {
                    let mut names = t.start_names.borrow_mut();
                    t.current.set(Current::Start(names.len()));
                    names.push(tag.name.clone());
                    t.created.borrow_mut().push(None);
                }
                TagKind::EndTag => {}
            }
        }
        let result = self.inner.process_token(token, line_number);
        self.tracker.current.set(Current::None);
        result
    }
}

struct TreeOutput {
    arena: Arena,
    start_names: Vec<LocalName>,
    created: Vec<Option<ArenaId>>,
    /// Fragment parses: what the probes found.
    probed: Option<Probed>,
}

/// What the tree builder did at the region's edges (fragment parses only).
pub(crate) struct Probed {
    /// The end tags it ignored: name, and where nothing was open then, the number of
    /// top-level nodes before it (`None` when the last of them is text, which text after
    /// the tag would have merged into).
    pub ignored_end_tags: Vec<(String, Option<usize>)>,
    /// Elements still open at the end, innermost first: (name, foreign); `None` when the
    /// end could not be probed.
    pub open_at_end: Option<Vec<(String, bool)>>,
}

/// Build the tree of a whole body, or (with a context element name and the document's
/// quirks mode) of a fragment.
///
/// `tags` bounds the start tags ([`max_tags`]); every element and text node but the implied
/// ones starts at a `<` or right after a tag, hence the arena's `2 * tags`.
fn tree_pass(body: &str, tags: usize, fragment: Option<(&str, Quirks)>) -> TreeOutput {
    let tracker = Rc::new(Tracker {
        current: Cell::new(Current::None),
        start_names: RefCell::new(Vec::with_capacity(tags)),
        created: RefCell::new(Vec::with_capacity(tags)),
        probe: fragment.map(|(context, _)| Probe {
            context: LocalName::from(context),
            ..Probe::default()
        }),
    });
    let sink = ArenaSink::new(2 * tags + 8, tracker.clone());
    let mut opts = TreeBuilderOpts {
        scripting_enabled: false,
        ..Default::default()
    };
    let (builder, initial_state) = match fragment {
        None => (TreeBuilder::new(sink, opts), None),
        Some((context, quirks)) => {
            opts.quirks_mode = quirks.to_html5ever();
            let name = QualName::new(None, ns!(html), LocalName::from(context));
            let context = sink.create_element(name, Vec::new(), ElementFlags::default());
            let builder = TreeBuilder::new_for_fragment(sink, context, None, opts);
            let state = builder.tokenizer_state_for_context_elem(false);
            (builder, Some(state))
        }
    };
    let tokenizer = Tokenizer::new(
        CountingSink {
            inner: builder,
            tracker: tracker.clone(),
        },
        TokenizerOpts {
            initial_state,
            // A region may start with U+FEFF in the middle of a body; only a whole body's
            // leading one is a byte order mark.
            discard_bom: fragment.is_none(),
            ..TokenizerOpts::default()
        },
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(body));
    while let TokenizerResult::Script(_) = tokenizer.feed(&queue) {}
    // Characters the tokenizer still holds back (a possible character reference) cannot
    // open or close an element, so the current node is already final.
    let last = fragment.and_then(|_| tokenizer.sink.probe());
    tokenizer.end();
    let arena = tokenizer.sink.inner.sink.finish();
    let probed = tracker.probe.as_ref().map(|probe| Probed {
        ignored_end_tags: probe
            .end_tags
            .take()
            .into_iter()
            .filter(|(_, ignored, _)| *ignored)
            .map(|(name, _, split)| (name.to_string(), split))
            .collect(),
        open_at_end: last.map(|current| {
            let mut open = Vec::new();
            let mut at = Some(current);
            while let Some(id) = at {
                let Some(ArenaData::Element { name, .. }) = arena.get(id).map(|n| &n.data) else {
                    break;
                };
                // The fragment's own `html` root is the bottom of the stack.
                let parent = arena.parent(id);
                if parent.is_some_and(|p| arena.parent(p).is_none()) {
                    break;
                }
                open.push((name.local.to_string(), name.ns != ns!(html)));
                at = parent;
            }
            open
        }),
    });
    TreeOutput {
        arena,
        start_names: tracker.start_names.take(),
        created: tracker.created.take(),
        probed,
    }
}

// ---------------------------------------------------------------------------------------
// Assembly: align the two tag sequences and build the plain tree.

/// Align two name sequences; returns for each index of `a` the matching index of `b`.
fn align<A: AsRef<str>, B: AsRef<str>>(a: &[A], b: &[B]) -> Vec<Option<usize>> {
    const WINDOW: usize = 16;
    let mut out = vec![None; a.len()];
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].as_ref().eq_ignore_ascii_case(b[j].as_ref()) {
            out[i] = Some(j);
            i += 1;
            j += 1;
            continue;
        }
        let skip_b = (1..=WINDOW).find(|&d| {
            b.get(j + d)
                .is_some_and(|n| n.as_ref().eq_ignore_ascii_case(a[i].as_ref()))
        });
        let skip_a = (1..=WINDOW).find(|&d| {
            a.get(i + d)
                .is_some_and(|n| n.as_ref().eq_ignore_ascii_case(b[j].as_ref()))
        });
        match (skip_a, skip_b) {
            (Some(da), Some(db)) if da <= db => i += da,
            (_, Some(db)) => j += db,
            (Some(da), None) => i += da,
            (None, None) => {
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Build the plain tree. With a `frame` (fragment parsing) the `html` element that stands
/// in for the context element gets zero-width tag spans at the frame's ends, so that text
/// at the region's edges is located like text inside any element.
fn assemble(
    text: &str,
    offset: usize,
    gum: GumOutput,
    ever: TreeOutput,
    frame: Option<TextRange>,
) -> Dom {
    let body = text.get(offset..).unwrap_or("");
    let shift = |r: TextRange| r.shift(offset);
    let gum_start_names: Vec<&str> = gum.starts.iter().map(|s| s.name.as_str()).collect();
    let start_map = align(&ever.start_names, &gum_start_names);

    // arena node → gum start tag index
    let mut arena = ever.arena;
    let mut start_of: Vec<u32> = vec![NONE; arena.nodes.len()];
    for (k, created) in ever.created.iter().enumerate() {
        if let (Some(id), Some(Some(g))) = (created, start_map.get(k))
            && let Some(slot) = start_of.get_mut(*id as usize)
        {
            *slot = *g as u32;
        }
    }
    let GumOutput {
        starts,
        mut start_tags,
        end_tags,
        comments,
        matched,
        ..
    } = gum;
    let mut dom = Dom {
        comments,
        quirks: Quirks::from_html5ever(arena.quirks),
        ..Dom::default()
    };
    dom.nodes.reserve(arena.nodes.len());

    // Walk the arena depth-first, building nodes in document order.
    let mut stack: Vec<(ArenaId, Option<NodeId>)> = vec![(0, None)];
    while let Some((at, parent)) = stack.pop() {
        let Some(node) = arena.nodes.get_mut(at as usize) else {
            continue;
        };
        let data = match std::mem::replace(&mut node.data, ArenaData::Other) {
            ArenaData::Document | ArenaData::TemplateContents => NodeData::Document,
            ArenaData::Element { name, attrs } => {
                let gum_tag = start_of
                    .get(at as usize)
                    .filter(|&&g| g != NONE)
                    .and_then(|&g| starts.get(g as usize).map(|t| (g as usize, t)));
                let attrs = attrs
                    .into_iter()
                    .map(|a| {
                        let source = gum_tag.and_then(|(_, t)| {
                            t.attrs.iter().find(|s| {
                                s.0.slice(body)
                                    .is_some_and(|n| n.eq_ignore_ascii_case(&a.name.local))
                            })
                        });
                        Attr::new(
                            Name::from_local(a.name.local),
                            String::from(&*a.value),
                            source.map(|s| shift(s.0)),
                            source.and_then(|s| s.1).map(shift),
                        )
                    })
                    .collect();
                let spans = gum_tag.map(|(_, t)| TagSpans {
                    start_tag: shift(t.range),
                    name: shift(t.name_range),
                    end_tag: None,
                });
                if let Some((g, _)) = gum_tag {
                    if let Some(tag) = start_tags.get_mut(g) {
                        tag.set_node(Some(dom.nodes.len() as NodeId));
                    }
                } else if !matches!(&*name.local, "html" | "head" | "body") {
                    dom.unmapped_start_tags += 1;
                }
                NodeData::Element(Element::new(
                    Name::from_local(name.local),
                    attrs,
                    spans,
                    name.ns != ns!(html),
                ))
            }
            ArenaData::Text(t) => NodeData::Text(TextNode::new(String::from(&*t))),
            ArenaData::Comment(c) => NodeData::Comment(String::from(&*c)),
            ArenaData::Other => continue,
        };
        let id = dom.nodes.len() as NodeId;
        let first = stack.len();
        stack.extend(arena.children(at).map(|c| (c, Some(id))));
        dom.nodes.push(Node {
            parent,
            children: Vec::with_capacity(stack.len() - first),
            data,
        });
        if let Some(p) = parent
            && let Some(pn) = dom.nodes.get_mut(p as usize)
        {
            pn.children.push(id);
        }
        stack[first..].reverse();
    }

    dom.start_tags = start_tags;
    dom.end_tags = end_tags;
    dom.index_starts();
    if let Some(frame) = frame
        && let Some(NodeData::Element(root)) = dom.nodes.get_mut(1).map(|n| &mut n.data)
    {
        root.set_spans(Some(TagSpans {
            start_tag: TextRange::empty(frame.start),
            name: TextRange::empty(frame.start),
            end_tag: Some(TextRange::empty(frame.end)),
        }));
    }
    apply_end_tag_pairs(&mut dom, matched);
    extend_implicit_ranges(&mut dom);
    assign_text_ranges(text, &mut dom);
    dom
}

/// Pair end tags with start tags in source order, as a well-formed reading would: an end tag
/// closes the nearest open start tag of its name. Returns, per start tag, the candidate end
/// tag, and the end tags that close nothing.
fn match_end_tags(starts: &[SourceTag], ends: &[SourceTag]) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut candidates = vec![None; starts.len()];
    let mut stray = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // Merge starts and ends in source order.
    let (mut k, mut e) = (0, 0);
    while k < starts.len() || e < ends.len() {
        let take_start = match (starts.get(k), ends.get(e)) {
            (Some(s), Some(end)) => s.range.start < end.range.start,
            (Some(_), None) => true,
            _ => false,
        };
        if take_start {
            if !starts[k].closed {
                stack.push(k);
            }
            k += 1;
        } else {
            let name = &ends[e].name;
            match stack.iter().rposition(|&o| starts[o].name == *name) {
                Some(at) => {
                    candidates[stack[at]] = Some(e);
                    stack.truncate(at);
                }
                None => stray.push(e),
            }
            e += 1;
        }
    }
    (candidates, stray)
}

/// Pair end tags with elements (see [`match_end_tags`], [`accepted_end_tags`]): set every
/// element's end tag span and range, and the stray end tags. Returns the elements whose end
/// tag changed.
pub(crate) fn pair_end_tags(dom: &mut Dom) -> Vec<NodeId> {
    let matched = match_end_tags(&dom.start_tags, &dom.end_tags);
    apply_end_tag_pairs(dom, matched)
}

/// [`pair_end_tags`] from the source-order matching, already computed.
fn apply_end_tag_pairs(
    dom: &mut Dom,
    (candidates, stray): (Vec<Option<usize>>, Vec<usize>),
) -> Vec<NodeId> {
    let accepted = accepted_end_tags(dom, &candidates);
    let mut changed = Vec::new();
    for (id, end) in accepted.into_iter().enumerate() {
        if let Some(NodeData::Element(el)) = dom.nodes.get_mut(id).map(|n| &mut n.data)
            && let Some(spans) = el.spans()
            && spans.end_tag != end
        {
            el.set_end_tag(end);
            changed.push(id as NodeId);
        }
    }
    dom.stray_end_tags = stray
        .into_iter()
        .filter_map(|e| dom.end_tags.get(e).cloned())
        .collect();
    changed
}

/// The first id after each node's subtree (ids are in preorder, so a subtree is the
/// contiguous id range `id..subtree_end[id]`).
fn subtree_ends(dom: &Dom) -> Vec<u32> {
    let n = dom.nodes.len();
    let mut subtree_end: Vec<u32> = (0..n as u32).map(|i| i + 1).collect();
    for i in (0..n).rev() {
        if let Some(p) = dom.nodes[i].parent {
            let end = subtree_end[i];
            if let Some(pe) = subtree_end.get_mut(p as usize) {
                *pe = (*pe).max(end);
            }
        }
    }
    subtree_end
}

/// Accept a candidate end tag for an element only when every element whose start tag lies
/// between the two tags is a descendant of it in the real tree. Returns the end tag per node.
///
/// The candidate pairs nest like brackets (the matching is stack-based), so the sets of
/// start tags between them do too: one pass over the start tags keeps the open pairs on a
/// stack with the least and greatest node id seen inside each, adds each tag's node to the
/// innermost pair, and folds a pair's extremes into the enclosing one when it closes. Linear,
/// where checking every pair's inner tags took time proportional to the nesting depth (and
/// quadratic time on deeply nested input).
fn accepted_end_tags(dom: &Dom, candidates: &[Option<usize>]) -> Vec<Option<TextRange>> {
    struct Open {
        id: NodeId,
        end: TextRange,
        min: NodeId,
        max: NodeId,
    }
    let subtree_end = subtree_ends(dom);
    let mut out = vec![None; dom.nodes.len()];
    let mut stack: Vec<Open> = Vec::new();
    let mut close = |o: Open, stack: &mut Vec<Open>| {
        let hi = subtree_end.get(o.id as usize).copied().unwrap_or(0);
        // Vacuously true without inner nodes (min = MAX, max = 0).
        if o.min > o.id
            && o.max < hi
            && let Some(slot) = out.get_mut(o.id as usize)
        {
            *slot = Some(o.end);
        }
        if let Some(outer) = stack.last_mut() {
            outer.min = outer.min.min(o.min);
            outer.max = outer.max.max(o.max);
        }
    };
    for (k, tag) in dom.start_tags.iter().enumerate() {
        while let Some(o) = stack.pop_if(|o| o.end.start <= tag.range().start) {
            close(o, &mut stack);
        }
        if let (Some(d), Some(top)) = (tag.node(), stack.last_mut()) {
            top.min = top.min.min(d);
            top.max = top.max.max(d);
        }
        if let (Some(Some(e)), Some(id)) = (candidates.get(k), tag.node())
            && let Some(end) = dom.end_tags.get(*e)
        {
            stack.push(Open {
                id,
                end: end.range(),
                min: NodeId::MAX,
                max: 0,
            });
        }
    }
    while let Some(o) = stack.pop() {
        close(o, &mut stack);
    }
    out
}

/// [`accepted_end_tags`] as first written, pair by pair: the reference for the one-pass form.
#[cfg(test)]
pub(crate) fn accepted_end_tags_reference(
    dom: &Dom,
    candidates: &[Option<usize>],
) -> Vec<Option<TextRange>> {
    let subtree_end = subtree_ends(dom);
    let mut out = vec![None; dom.nodes.len()];
    let tags = &dom.start_tags;
    for (k, cand) in candidates.iter().enumerate() {
        let (Some(e), Some(Some(id))) = (cand, tags.get(k).map(|t| t.node())) else {
            continue;
        };
        let Some(end) = dom.end_tags.get(*e) else {
            continue;
        };
        let (lo, hi) = (id, subtree_end[id as usize]);
        let inner_ok = tags[k + 1..]
            .iter()
            .take_while(|s| s.range().start < end.range().start)
            .all(|s| s.node().is_none_or(|d| d > lo && d < hi));
        if inner_ok && let Some(slot) = out.get_mut(id as usize) {
            *slot = Some(end.range());
        }
    }
    out
}

/// Both forms of the acceptance for `dom` (tests).
#[cfg(test)]
pub(crate) fn accepted_both(dom: &Dom) -> (Vec<Option<TextRange>>, Vec<Option<TextRange>>) {
    let (candidates, _) = match_end_tags(&dom.start_tags, &dom.end_tags);
    (
        accepted_end_tags(dom, &candidates),
        accepted_end_tags_reference(dom, &candidates),
    )
}

/// Elements closed implicitly (no end tag) extend to the end of their last mapped descendant.
pub(crate) fn extend_implicit_ranges(dom: &mut Dom) {
    // Children come after parents in `nodes`, so a reverse walk sees descendants first.
    for i in (0..dom.nodes.len()).rev() {
        let Some(end) = (match &dom.nodes[i].data {
            NodeData::Element(e) => e.range().map(|r| r.end),
            _ => None,
        }) else {
            continue;
        };
        if let Some(p) = dom.nodes[i].parent
            && let Some(NodeData::Element(pe)) = dom.nodes.get_mut(p as usize).map(|n| &mut n.data)
            && pe.closed_implicitly()
        {
            pe.extend_range(end);
        }
    }
}

/// Locate text nodes in the source: the gap between neighbouring mapped tags, accepted only
/// when the raw source there decodes to the node's text.
fn assign_text_ranges(text: &str, dom: &mut Dom) {
    for p in 0..dom.nodes.len() {
        assign_child_text_ranges(text, dom, p);
    }
}

/// Locate the text children of one element (see [`assign_text_ranges`]); ranges found
/// before are cleared first.
pub(crate) fn reassign_child_text_ranges(text: &str, dom: &mut Dom, p: NodeId) {
    let children = dom.children(p).to_vec();
    for c in children {
        if let Some(NodeData::Text(t)) = dom.nodes.get_mut(c as usize).map(|n| &mut n.data) {
            t.unlocate(text);
        }
    }
    assign_child_text_ranges(text, dom, p as usize);
}

fn assign_child_text_ranges(text: &str, dom: &mut Dom, p: usize) {
    let (mut cursor, limit) = match &dom.nodes[p].data {
        NodeData::Element(e) => match e.spans() {
            Some(s) => (Some(s.start_tag.end), s.end_tag.map(|e| e.start)),
            None => (None, None),
        },
        _ => (None, None),
    };
    if dom.nodes[p].children.is_empty() {
        return;
    }
    // Taken out for the walk (only the children's data changes) and put back after.
    let children = std::mem::take(&mut dom.nodes[p].children);
    let mut pending: Option<usize> = None;
    for (idx, &c) in children.iter().enumerate() {
        match &dom.nodes[c as usize].data {
            NodeData::Text(_) => pending = Some(idx),
            NodeData::Element(e) => {
                let start = e.spans().map(|s| s.start_tag.start);
                let next_cursor = match (e.spans(), e.range()) {
                    (Some(s), Some(r)) if s.end_tag.is_some() || e.is_void() => Some(r.end),
                    _ => None,
                };
                if let (Some(t), Some(from), Some(to)) = (pending.take(), cursor, start) {
                    set_text_range(text, dom, children[t], from, to);
                }
                cursor = next_cursor;
            }
            _ => {
                pending = None;
                cursor = None;
            }
        }
    }
    if let (Some(t), Some(from), Some(to)) = (pending, cursor, limit) {
        set_text_range(text, dom, children[t], from, to);
    }
    dom.nodes[p].children = children;
}

fn set_text_range(text: &str, dom: &mut Dom, node: NodeId, from: usize, to: usize) {
    let Some(raw) = text.get(from..to) else {
        return;
    };
    if let Some(NodeData::Text(t)) = dom.nodes.get_mut(node as usize).map(|n| &mut n.data) {
        let same = raw == t.text(text);
        let plausible = if raw.contains('&') {
            !raw.contains('<')
        } else {
            same
        };
        if plausible {
            t.locate(TextRange::new(from, to), same);
        }
    }
}

#[cfg(test)]
mod tests;
