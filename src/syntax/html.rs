//! Body parser: a browser-grade DOM (html5ever through scraper's tree sink) with exact
//! byte spans for every element that comes from a source tag.
//!
//! html5ever records no byte offsets, so the body is tokenized twice:
//! 1. html5ever's tokenizer and tree builder, driven here through two thin wrappers: a
//!    token sink that numbers start and end tags as they are processed, and a tree sink
//!    around scraper's that notes "element created for start tag k". Elements with no record were synthesised by the parser (implied
//!    `html`/`body`, adoption-agency clones) and have no source range.
//! 2. A byte-level span scanner (`scan.rs`, following the tokenizer's tag, attribute and
//!    comment states) gives the k-th start tag's span (name, each attribute name and value). Names are checked to agree; on a disagreement the two sequences
//!    resync by name and the element stays unmapped.
//! 3. End tags are paired with start tags in source order and kept only where the real tree
//!    agrees (every element between the two tags is a descendant); the rest are stray.
//!
//! Both passes run with scripting disabled, so `<noscript>` content is parsed as elements.
//! The result is plain `Send + Sync` data ([`Dom`]); `scraper::Html` never leaves this module.
//! This file depends on exactly the html5ever version scraper uses: its API moves between
//! minor versions.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use ego_tree::NodeId as EgoId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{Attribute, LocalName, QualName, TokenizerResult, ns};
use scraper::{Html, HtmlTreeSink};

use crate::syntax::scan;
use crate::text::TextRange;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = u32;

/// The parsed body: a tree of nodes in document order, with byte ranges into the file.
#[derive(Debug, Default, Clone)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// Mapped elements sorted by the start of their start tag (for position lookups).
    pub by_start: Vec<(usize, NodeId)>,
    /// End tags that closed nothing (html5ever ignored them).
    pub stray_end_tags: Vec<SourceTag>,
    /// Every comment in the body, in source order, with its range (for suppressions).
    pub comments: Vec<SourceComment>,
    /// Every start tag as the span tokenizer saw it, in source order, with the node it
    /// created (if any).
    pub start_tags: Vec<SourceTag>,
    /// Elements without a source span besides the implied `html`/`head`/`body`: ones the
    /// tree builder synthesised (a stray `</p>` makes an empty `<p>`, adoption-agency
    /// clones) or, rarely, ones whose start tag the two tokenizers disagreed on.
    pub unmapped_start_tags: usize,
}

#[derive(Debug, Clone)]
pub struct SourceTag {
    pub name: String,
    pub range: TextRange,
    pub node: Option<NodeId>,
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

#[derive(Debug, Clone)]
pub struct Element {
    /// Local name, lowercase for HTML elements.
    pub name: String,
    pub attrs: Vec<Attr>,
    /// Spans of the source tags; `None` for elements the parser synthesised.
    pub spans: Option<TagSpans>,
    /// Start of the start tag to the end of the end tag (or of the last mapped content when
    /// the element was closed implicitly).
    pub range: Option<TextRange>,
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
    pub name: String,
    /// Value with character references decoded.
    pub value: String,
    pub name_range: Option<TextRange>,
    /// Range of the raw value, without quotes; `None` for an attribute with no value.
    pub value_range: Option<TextRange>,
}

#[derive(Debug, Clone)]
pub struct TextNode {
    /// Text with character references decoded.
    pub text: String,
    /// Range of the raw source text, when it could be located exactly.
    pub range: Option<TextRange>,
}

impl Element {
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
    /// Concatenated decoded text of `id` and its descendants.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.push_text(id, &mut out);
        out
    }
    fn push_text(&self, id: NodeId, out: &mut String) {
        match self.nodes.get(id as usize).map(|n| &n.data) {
            Some(NodeData::Text(t)) => out.push_str(&t.text),
            Some(NodeData::Element(e)) if matches!(e.name.as_str(), "script" | "style") => {}
            Some(_) => {
                for &c in self.children(id) {
                    self.push_text(c, out);
                }
            }
            None => {}
        }
    }
    /// The innermost mapped element whose range touches `offset`.
    pub fn element_at(&self, offset: usize) -> Option<NodeId> {
        let idx = self.by_start.partition_point(|&(start, _)| start <= offset);
        let (_, candidate) = *self.by_start.get(idx.checked_sub(1)?)?;
        std::iter::once(candidate)
            .chain(self.ancestors(candidate))
            .find(|&id| {
                self.element(id)
                    .and_then(|e| e.range)
                    .is_some_and(|r| r.start <= offset && offset < r.end.max(r.start + 1))
            })
    }
    /// The first mapped element whose start tag begins at or after `offset`.
    pub fn next_element_after(&self, offset: usize) -> Option<NodeId> {
        let idx = self.by_start.partition_point(|&(start, _)| start < offset);
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
    let body = text.get(offset..).unwrap_or("");
    // The two passes are independent: on large bodies run the span pass on a second
    // thread while this one builds the tree (`scraper::Html` is not `Send`, so the tree
    // pass stays here).
    let (gum, ever) = if body.len() >= PARALLEL_THRESHOLD {
        std::thread::scope(|scope| {
            let spans = scope.spawn(|| span_pass(body));
            let ever = tree_pass(body);
            let gum = spans.join().unwrap_or_else(|_| GumOutput::default());
            (gum, ever)
        })
    } else {
        (span_pass(body), tree_pass(body))
    };
    assemble(text, offset, gum, ever)
}

/// Bodies at least this large are tokenized for spans on a second thread.
const PARALLEL_THRESHOLD: usize = 64 * 1024;

// ---------------------------------------------------------------------------------------
// Pass 1: spans (see `scan.rs`).

type GumStart = scan::StartTag;

#[derive(Debug, Default)]
struct GumOutput {
    starts: Vec<GumStart>,
    ends: Vec<(String, TextRange)>,
    comments: Vec<SourceComment>,
}

fn span_pass(body: &str) -> GumOutput {
    let scanned = scan::scan(body);
    GumOutput {
        starts: scanned.starts,
        ends: scanned.ends,
        comments: scanned
            .comments
            .into_iter()
            .map(|c| SourceComment {
                text: c.inner.slice(body).unwrap_or_default().to_string(),
                range: c.range,
                inner: c.inner,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Pass 2: html5ever + scraper, for the tree.

#[derive(Clone, Copy)]
enum Current {
    None,
    Start(usize),
}

struct Tracker {
    current: Cell<Current>,
    start_names: RefCell<Vec<LocalName>>,
    /// start tag k → element created for it
    created: RefCell<Vec<Option<EgoId>>>,
}

struct CountingSink {
    inner: TreeBuilder<EgoId, RecordingSink>,
    tracker: Rc<Tracker>,
}

impl TokenSink for CountingSink {
    type Handle = EgoId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<EgoId> {
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

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

struct RecordingSink {
    inner: HtmlTreeSink,
    tracker: Rc<Tracker>,
}

impl TreeSink for RecordingSink {
    type Handle = EgoId;
    type Output = Html;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {}
    fn get_document(&self) -> EgoId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a EgoId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> EgoId {
        let local = name.local.clone();
        let id = self.inner.create_element(name, attrs, flags);
        if let Current::Start(k) = self.tracker.current.get() {
            let same = self
                .tracker
                .start_names
                .borrow()
                .get(k)
                .is_some_and(|n| n.eq_ignore_ascii_case(&local));
            if same && let Some(slot) = self.tracker.created.borrow_mut().get_mut(k) {
                // The last matching element wins: formatting elements reconstructed before
                // the real one are clones.
                *slot = Some(id);
            }
        }
        id
    }
    fn create_comment(&self, text: StrTendril) -> EgoId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> EgoId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &EgoId, child: NodeOrText<EgoId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &EgoId,
        prev_element: &EgoId,
        child: NodeOrText<EgoId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &EgoId) -> EgoId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &EgoId, y: &EgoId) -> bool {
        x == y
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &EgoId, new_node: NodeOrText<EgoId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &EgoId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &EgoId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &EgoId, new_parent: &EgoId) {
        self.inner.reparent_children(node, new_parent)
    }
}

struct TreeOutput {
    html: Html,
    start_names: Vec<LocalName>,
    created: Vec<Option<EgoId>>,
}

fn tree_pass(body: &str) -> TreeOutput {
    let tracker = Rc::new(Tracker {
        current: Cell::new(Current::None),
        start_names: RefCell::new(Vec::new()),
        created: RefCell::new(Vec::new()),
    });
    let sink = RecordingSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        tracker: tracker.clone(),
    };
    let opts = TreeBuilderOpts {
        scripting_enabled: false,
        ..Default::default()
    };
    let builder = TreeBuilder::new(sink, opts);
    let tokenizer = Tokenizer::new(
        CountingSink {
            inner: builder,
            tracker: tracker.clone(),
        },
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(body));
    while let TokenizerResult::Script(_) = tokenizer.feed(&queue) {}
    tokenizer.end();
    let html = tokenizer.sink.inner.sink.finish();
    TreeOutput {
        html,
        start_names: tracker.start_names.take(),
        created: tracker.created.take(),
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

fn assemble(text: &str, offset: usize, gum: GumOutput, ever: TreeOutput) -> Dom {
    let body = text.get(offset..).unwrap_or("");
    let shift = |r: TextRange| r.shift(offset);
    let gum_start_names: Vec<&str> = gum.starts.iter().map(|s| s.name.as_str()).collect();
    let start_map = align(&ever.start_names, &gum_start_names);

    // ego node → gum start tag index
    let mut start_of: HashMap<EgoId, usize> = HashMap::with_capacity(ever.created.len());
    for (k, created) in ever.created.iter().enumerate() {
        if let (Some(id), Some(Some(g))) = (created, start_map.get(k)) {
            start_of.insert(*id, *g);
        }
    }
    let (end_candidates, stray) = match_end_tags(&gum);
    let stray_end_tags = stray
        .into_iter()
        .filter_map(|e| gum.ends.get(e))
        .map(|(name, range)| SourceTag {
            name: name.clone(),
            range: shift(*range),
            node: None,
        })
        .collect();

    let mut dom = Dom {
        comments: gum
            .comments
            .iter()
            .map(|c| SourceComment {
                text: c.text.clone(),
                range: shift(c.range),
                inner: shift(c.inner),
            })
            .collect(),
        stray_end_tags,
        ..Dom::default()
    };
    let mut node_of_start: Vec<Option<NodeId>> = vec![None; gum.starts.len()];

    // Walk the ego tree depth-first, building nodes in document order.
    let tree = &ever.html.tree;
    let mut stack: Vec<(EgoId, Option<NodeId>)> = vec![(tree.root().id(), None)];
    while let Some((ego, parent)) = stack.pop() {
        let Some(node) = tree.get(ego) else { continue };
        let data = match node.value() {
            scraper::Node::Document | scraper::Node::Fragment => NodeData::Document,
            scraper::Node::Element(e) => {
                let gum_tag = start_of
                    .get(&ego)
                    .and_then(|&g| gum.starts.get(g).map(|t| (g, t)));
                let end_tag = None;
                let attrs = e
                    .attrs()
                    .map(|(name, value)| {
                        let source = gum_tag.and_then(|(_, t)| {
                            t.attrs.iter().find(|a| {
                                a.0.slice(body)
                                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                            })
                        });
                        Attr {
                            name: name.to_string(),
                            value: value.to_string(),
                            name_range: source.map(|a| shift(a.0)),
                            value_range: source.and_then(|a| a.1).map(shift),
                        }
                    })
                    .collect();
                let spans = gum_tag.map(|(_, t)| TagSpans {
                    start_tag: shift(t.range),
                    name: shift(t.name_range),
                    end_tag,
                });
                if let Some((g, _)) = gum_tag {
                    node_of_start[g] = Some(dom.nodes.len() as NodeId);
                } else if !matches!(&*e.name.local, "html" | "head" | "body") {
                    dom.unmapped_start_tags += 1;
                }
                NodeData::Element(Element {
                    name: String::from(&*e.name.local),
                    attrs,
                    spans,
                    range: spans.map(|s| s.start_tag.cover(s.end_tag.unwrap_or(s.start_tag))),
                    foreign: e.name.ns != ns!(html),
                })
            }
            scraper::Node::Text(t) => NodeData::Text(TextNode {
                text: t.text.to_string(),
                range: None,
            }),
            scraper::Node::Comment(c) => NodeData::Comment(c.comment.to_string()),
            _ => continue,
        };
        let id = dom.nodes.len() as NodeId;
        dom.nodes.push(Node {
            parent,
            children: Vec::new(),
            data,
        });
        if let Some(p) = parent
            && let Some(pn) = dom.nodes.get_mut(p as usize)
        {
            pn.children.push(id);
        }
        let children: Vec<EgoId> = node.children().map(|c| c.id()).collect();
        for child in children.into_iter().rev() {
            stack.push((child, Some(id)));
        }
    }

    dom.start_tags = gum
        .starts
        .iter()
        .zip(node_of_start)
        .map(|(t, node)| SourceTag {
            name: t.name.clone(),
            range: shift(t.range),
            node,
        })
        .collect();
    dom.by_start = dom
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match &n.data {
            NodeData::Element(Element { spans: Some(s), .. }) => {
                Some((s.start_tag.start, i as NodeId))
            }
            _ => None,
        })
        .collect();
    dom.by_start.sort_unstable();
    assign_end_tags(&mut dom, &gum, &end_candidates, offset);
    extend_implicit_ranges(&mut dom);
    assign_text_ranges(text, &mut dom);
    dom
}

/// Pair end tags with start tags in source order, as a well-formed reading would: an end tag
/// closes the nearest open start tag of its name. Returns, per start tag, the candidate end
/// tag, and the end tags that close nothing.
fn match_end_tags(gum: &GumOutput) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut candidates = vec![None; gum.starts.len()];
    let mut stray = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // Merge starts and ends in source order.
    let (mut k, mut e) = (0, 0);
    while k < gum.starts.len() || e < gum.ends.len() {
        let take_start = match (gum.starts.get(k), gum.ends.get(e)) {
            (Some(s), Some((_, r))) => s.range.start < r.start,
            (Some(_), None) => true,
            _ => false,
        };
        if take_start {
            let s = &gum.starts[k];
            if !is_void(&s.name) && !s.self_closing {
                stack.push(k);
            }
            k += 1;
        } else {
            let name = &gum.ends[e].0;
            match stack.iter().rposition(|&o| gum.starts[o].name == *name) {
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

/// Accept a candidate end tag for an element only when every element whose start tag lies
/// between the two tags is a descendant of it in the real tree (node ids are in preorder, so a
/// subtree is a contiguous id range).
fn assign_end_tags(dom: &mut Dom, gum: &GumOutput, candidates: &[Option<usize>], offset: usize) {
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
    let node_of: Vec<Option<NodeId>> = dom.start_tags.iter().map(|t| t.node).collect();
    for (k, cand) in candidates.iter().enumerate() {
        let (Some(e), Some(Some(id))) = (cand, node_of.get(k)) else {
            continue;
        };
        let Some((_, end_range)) = gum.ends.get(*e) else {
            continue;
        };
        let lo = *id;
        let hi = subtree_end[*id as usize];
        let inner_ok = node_of[k + 1..]
            .iter()
            .zip(&gum.starts[k + 1..])
            .take_while(|(_, s)| s.range.start < end_range.start)
            .all(|(node, _)| node.is_none_or(|d| d > lo && d < hi));
        if !inner_ok {
            continue;
        }
        if let Some(NodeData::Element(el)) = dom.nodes.get_mut(*id as usize).map(|n| &mut n.data)
            && let Some(spans) = el.spans.as_mut()
        {
            let end = end_range.shift(offset);
            spans.end_tag = Some(end);
            el.range = Some(spans.start_tag.cover(end));
        }
    }
}

/// Elements closed implicitly (no end tag) extend to the end of their last mapped descendant.
fn extend_implicit_ranges(dom: &mut Dom) {
    // Children come after parents in `nodes`, so a reverse walk sees descendants first.
    for i in (0..dom.nodes.len()).rev() {
        let Some(end) = (match &dom.nodes[i].data {
            NodeData::Element(e) => e.range.map(|r| r.end),
            _ => None,
        }) else {
            continue;
        };
        if let Some(p) = dom.nodes[i].parent
            && let Some(NodeData::Element(pe)) = dom.nodes.get_mut(p as usize).map(|n| &mut n.data)
            && let Some(spans) = pe.spans
            && spans.end_tag.is_none()
            && let Some(r) = pe.range.as_mut()
        {
            r.end = r.end.max(end);
        }
    }
}

/// Locate text nodes in the source: the gap between neighbouring mapped tags, accepted only
/// when the raw source there decodes to the node's text.
fn assign_text_ranges(text: &str, dom: &mut Dom) {
    for p in 0..dom.nodes.len() {
        let (mut cursor, limit) = match &dom.nodes[p].data {
            NodeData::Element(e) => match e.spans {
                Some(s) => (Some(s.start_tag.end), s.end_tag.map(|e| e.start)),
                None => (None, None),
            },
            _ => (None, None),
        };
        let children = dom.nodes[p].children.clone();
        let mut pending: Option<usize> = None;
        for (idx, &c) in children.iter().enumerate() {
            match &dom.nodes[c as usize].data {
                NodeData::Text(_) => pending = Some(idx),
                NodeData::Element(e) => {
                    let start = e.spans.map(|s| s.start_tag.start);
                    let next_cursor = match (e.spans, e.range) {
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
    }
}

fn set_text_range(text: &str, dom: &mut Dom, node: NodeId, from: usize, to: usize) {
    let Some(raw) = text.get(from..to) else {
        return;
    };
    if let Some(NodeData::Text(t)) = dom.nodes.get_mut(node as usize).map(|n| &mut n.data) {
        let plausible = if raw.contains('&') {
            !raw.contains('<')
        } else {
            raw == t.text
        };
        if plausible {
            t.range = Some(TextRange::new(from, to));
        }
    }
}

#[cfg(test)]
mod tests;
