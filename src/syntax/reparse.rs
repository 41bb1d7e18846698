//! Incremental reparsing: after an edit, parse again only a small region of the body whose
//! tree provably does not depend on the rest of the document, and splice it into the previous
//! tree, shifting every later range.
//!
//! A region is the content of a *container* element `E` (`div`, `section`, `figure`, `ul`,
//! …): all of it, or a run of its children. It is parsed with the HTML fragment algorithm in
//! `E`'s context (`html::parse_fragment`), old text and new. The spliced tree equals a full
//! parse when, in the full parse, the parser enters the region in the state the fragment
//! parse starts in, behaves inside it as the fragment parse does, and leaves it in the state
//! the rest of the old tree was built from. The checks, in order:
//! - **Context.** `E` and its ancestors are plain containers (no table, list item, button,
//!   form, formatting or foreign element above), so the insertion mode is "in body" and every
//!   scope walk inside the region stops at `E`. The span scanner is not inside SVG/MathML.
//! - **Entry state.** The run starts at `E`'s content, at an intact start tag of a child
//!   element or at a child text node: the parser had just inserted into `E`, so `E` was the
//!   current node. `E`'s children are in source order (nothing was foster-parented).
//! - **Active formatting elements** are empty at the region's start: after the last formatting
//!   element that lacks its end tag there is a text node parsed "in body" that got no clone
//!   (text reconstructs every stale entry), and none lies in the region.
//! - **Inside.** In both the old and the new region: every start tag made an element, no
//!   element was synthesised or foster-parented, formatting elements end with their end tag,
//!   no document-level tag (`form`, `template`, `body`, …) appears, the span scan ends in the
//!   data state, and each end tag the parser ignored would be ignored by the full parse too
//!   (no element outside bears its name).
//! - **Exit state.** Probes (see `html.rs`) read the parser's current node after the region:
//!   nothing may be left open, except that at the end of all of `E`'s content, elements `E`'s
//!   end tag closes without other effect. Text at the edges must not merge with a neighbour.
//! - **Moves.** Two exceptions re-parent the rest of `E`'s content instead of refusing: a
//!   region that leaves neutral elements open takes it in (`cascade`: a broken end tag),
//!   and a region whose extra end tag closes `E` early hands it to `E`'s parent (`lift`:
//!   a lost start tag). Both check that the moved nodes parse as they did, and keep ids in
//!   preorder.
//! - **Where.** `E` is a container or a neutral element outside the special category (an
//!   unknown name), none of its ancestors was foster-parented before a table, and beside a
//!   table child only all of `E`'s content is a region.
//!
//! After the splice, end tags are paired again over the whole body (a linear pass over the tag
//! tables), since pairing is by source order. Anything that fails returns `false` and the
//! caller parses the whole body. Tests compare the spliced tree with a full parse after
//! random edits of every kind.

use crate::syntax::html::{
    self, Dom, Element, Fragment, NodeData, NodeId, SourceComment, SourceTag,
};
use crate::text::TextRange;

/// One replacement in byte offsets: `old[start..old_end]` became `new[start..new_end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Edit {
    pub fn new(start: usize, old_end: usize, inserted: usize) -> Edit {
        let old_end = old_end.max(start);
        Edit {
            start,
            old_end,
            new_end: start + inserted,
        }
    }

    /// How far text after the edit moved.
    pub fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }

    /// The single edit equal to `self` followed by `next` (whose offsets are in the text
    /// after `self`).
    pub fn then(self, next: Edit) -> Edit {
        let delta = self.delta();
        let start = self.start.min(next.start);
        // The end of the changed area in the text between the two edits, then mapped to
        // the original text and to the final one.
        let mid_end = self.new_end.max(next.old_end);
        let old_end = (mid_end as isize - delta).max(start as isize) as usize;
        let new_end = (mid_end as isize + next.delta()).max(start as isize) as usize;
        Edit {
            start,
            old_end,
            new_end,
        }
    }
}

/// Containers whose content may be re-parsed alone. All are "special" elements that
/// close an open `<p>` and whose end tag is handled like `</div>`.
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "figure"
            | "figcaption"
            | "blockquote"
            | "center"
            | "address"
            | "details"
            | "summary"
            | "hgroup"
            | "dl"
            | "ul"
            | "ol"
            | "menu"
            | "dir"
            | "fieldset"
            | "dialog"
            | "search"
    )
}

/// Elements whose content may be re-parsed alone: the containers, and elements outside the
/// special category that the parser otherwise treats like any other (unknown names such as
/// a misspelt `<dvi>`, `span`, `time`, …). For those, scope walks from inside the region
/// pass through `E` to its ancestors, which are neutral; end tags that reach them are
/// checked like any the region ignored.
fn is_region_root(name: &str) -> bool {
    is_container(name) || (!is_special(name) && neutral_ancestor(name))
}

/// The HTML standard's "special" category: end tags handled as "any other end tag" stop at
/// these when walking up the stack of open elements.
fn is_special(name: &str) -> bool {
    is_container(name)
        || html::is_heading(name)
        || matches!(
            name,
            "applet"
                | "area"
                | "base"
                | "basefont"
                | "bgsound"
                | "body"
                | "br"
                | "button"
                | "caption"
                | "col"
                | "colgroup"
                | "dd"
                | "dt"
                | "embed"
                | "form"
                | "frame"
                | "frameset"
                | "head"
                | "hr"
                | "html"
                | "iframe"
                | "img"
                | "input"
                | "keygen"
                | "li"
                | "link"
                | "listing"
                | "marquee"
                | "meta"
                | "noembed"
                | "noframes"
                | "noscript"
                | "object"
                | "p"
                | "param"
                | "plaintext"
                | "pre"
                | "script"
                | "select"
                | "source"
                | "style"
                | "table"
                | "tbody"
                | "td"
                | "template"
                | "textarea"
                | "tfoot"
                | "th"
                | "thead"
                | "title"
                | "tr"
                | "track"
                | "wbr"
                | "xmp"
        )
}

/// Elements that may stand above `E` without the parser consulting them while inside the
/// region: not formatting (in the active list), not a table part, list item, heading,
/// paragraph, button, ruby, form or marker element (each is looked up through scopes or
/// changes the insertion mode). Containers, `html`, `body`, `span`, `noscript` (scripting
/// is off) and unknown elements qualify.
fn neutral_ancestor(name: &str) -> bool {
    !is_formatting(name)
        && !outside_in_body(name)
        && !html::is_heading(name)
        && !matches!(
            name,
            "col"
                | "option"
                | "optgroup"
                | "datalist"
                | "button"
                | "li"
                | "dd"
                | "dt"
                | "p"
                | "ruby"
                | "rb"
                | "rt"
                | "rp"
                | "rtc"
                | "form"
                | "frameset"
                | "svg"
                | "math"
                | "pre"
                | "listing"
                | "plaintext"
        )
}

/// Elements whose content is not parsed in the "in body" insertion mode (table parts,
/// `select`, `template`, `head`, raw text) or that push a marker onto the list of active
/// formatting elements (`object`, `applet`, `marquee`).
fn outside_in_body(name: &str) -> bool {
    matches!(
        name,
        "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "colgroup"
            | "select"
            | "template"
            | "head"
            | "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "object"
            | "applet"
            | "marquee"
    )
}

fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// Start tags that reach outside the current element (document-level state).
fn is_global_tag(name: &str) -> bool {
    matches!(
        name,
        "html" | "head" | "body" | "frameset" | "frame" | "form" | "template" | "plaintext"
    )
}

/// Whether `E`'s end tag (handled like `</div>`: "pop until an `E` is popped") closes an
/// element left open at the end of `E`'s content without any other effect: it must not
/// bear `E`'s name, hide `E` from the scope check, or be a formatting element (whose entry
/// would outlive it).
fn closes_implicitly(name: &str, e: &str) -> bool {
    name != e
        && !is_formatting(name)
        && !matches!(
            name,
            "applet"
                | "caption"
                | "html"
                | "table"
                | "td"
                | "th"
                | "marquee"
                | "object"
                | "template"
        )
}

/// At most this many enclosing containers are tried before giving up.
const MAX_ATTEMPTS: usize = 4;

/// Update `dom` (parsed from `old_text`) to the tree of `text`, the result of `edit`.
/// Returns `false`, leaving `dom` untouched, when no region is provably independent; the
/// caller then parses the whole body.
/// A region parsed and checked against a tree, ready to splice into it (or into an equal
/// copy of it).
pub struct Prepared {
    e: NodeId,
    plan: Plan,
    fragment: Fragment,
    moved: Move,
    edit: Edit,
}

impl Prepared {
    /// Splice into `dom`, which must be the tree `prepare` looked at (or a copy).
    pub fn apply(self, dom: &mut Dom, text: &str) {
        splice(
            dom,
            text,
            self.e,
            &self.plan,
            self.fragment,
            self.moved,
            self.edit,
        );
    }
}

/// Find, parse and check a region for `edit`, reading `dom` only (so that a shared tree is
/// copied only once the edit is known to splice); [`Prepared::apply`] splices it.
pub fn prepare(dom: &Dom, old_text: &str, text: &str, edit: Edit) -> Result<Prepared, Refusal> {
    if text.len().max(old_text.len()) > html::MAX_BODY {
        return Err(Refusal::TooLarge);
    }
    let body_len = dom.by_start.first().map_or(text.len(), |&(start, _)| {
        text.len().saturating_sub(start as usize)
    });
    // Whole-tree tables, built only once some container qualifies.
    let unclosed = std::cell::OnceCell::new();
    let foreign = std::cell::OnceCell::new();
    let Some(innermost) = dom.element_at(edit.start) else {
        return Err(Refusal::NoContainer);
    };
    let chain: Vec<NodeId> = std::iter::once(innermost)
        .chain(dom.ancestors(innermost))
        .collect();
    // Whether every element above `chain[i]` has its children in source order. An element
    // out of order was foster-parented (moved before a table): the parser was "in table"
    // inside it, with the table still open, which the fragment parse cannot reproduce.
    let ordered: Vec<bool> = chain.iter().map(|&c| in_source_order(dom, c)).collect();
    let mut settled = vec![true; chain.len()];
    for i in (0..chain.len().saturating_sub(1)).rev() {
        settled[i] = settled[i + 1] && ordered[i + 1];
    }
    let mut attempts = 0;
    let mut refusal = Refusal::NoContainer;
    for (depth, &e) in chain.iter().enumerate() {
        if !settled[depth] {
            refusal = Refusal::FosterParented;
            continue;
        }
        let Some(plan) = plan(dom, e, &chain[depth + 1..], ordered[depth], edit) else {
            continue;
        };
        // A region is parsed twice (old text and new) and a failed try is followed by a
        // whole parse: past an eighth of the body, stop trying (in the replay's edits no
        // region between an eighth and a quarter spliced, and failures there cost up to
        // 3.5 ms of a 1 MB capture's 15).
        if body_len > 64 * 1024 && plan.region.len() > body_len / 8 {
            refusal = Refusal::TooLarge;
            break;
        }
        attempts += 1;
        if scanner_in_foreign(
            foreign.get_or_init(|| foreign_switches(dom)),
            plan.region.start,
        ) {
            refusal = Refusal::InForeignContent;
            continue;
        }
        if !formatting_quiet(
            dom,
            unclosed.get_or_init(|| unclosed_formatting(dom)),
            e,
            &plan,
        ) {
            refusal = Refusal::ActiveFormatting;
            continue;
        }
        match try_region(dom, old_text, text, e, &plan, edit) {
            Ok((fragment, moved)) => {
                return Ok(Prepared {
                    e,
                    plan,
                    fragment,
                    moved,
                    edit,
                });
            }
            Err(why) => refusal = why,
        }
        if attempts >= MAX_ATTEMPTS {
            break;
        }
    }
    Err(refusal)
}

/// Why an edit could not be spliced (the last reason met); the body is then parsed whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The edit is in the header, or no container element encloses it.
    NoContainer,
    /// The region would exceed an eighth of a large body (or the text is past what the
    /// tree's offsets hold).
    TooLarge,
    /// The span scanner is inside SVG/MathML where the region starts.
    InForeignContent,
    /// A stale entry may be in the list of active formatting elements.
    ActiveFormatting,
    NoContext,
    /// A `form`, `template`, `body`-like tag in the old region.
    DocumentLevelTag,
    /// The region ends inside a tag, comment or raw text, or made implied elements.
    Truncated,
    TagWithoutElement,
    Unmapped,
    UnclosedFormatting,
    FosterParented,
    NotProbed,
    /// An ignored end tag names an element outside the region.
    IgnoredEndTag,
    /// Something is left open at the region's end (a broken end tag: the change spreads).
    LeftOpen,
    TextMerges,
    /// The old region did not end in the state the new one does.
    OldRegion,
}

/// Where the span scanner enters (`true`) and leaves (`false`) SVG/MathML, in source order.
/// Its state at a region's start must be the plain one a region scan starts in.
fn foreign_switches(dom: &Dom) -> Vec<(usize, bool)> {
    let is_foreign = |n: &str| matches!(n, "svg" | "math");
    let mut out: Vec<(usize, bool)> = dom
        .start_tags
        .iter()
        .filter(|t| is_foreign(&t.name) && !t.closed)
        .map(|t| (t.range().start, true))
        .chain(
            dom.end_tags
                .iter()
                .filter(|t| is_foreign(&t.name))
                .map(|t| (t.range().start, false)),
        )
        .collect();
    out.sort_unstable();
    out
}

fn scanner_in_foreign(switches: &[(usize, bool)], at: usize) -> bool {
    let mut depth = 0usize;
    for &(_, enter) in switches.iter().take_while(|(pos, _)| *pos < at) {
        depth = if enter {
            depth + 1
        } else {
            depth.saturating_sub(1)
        };
    }
    depth > 0
}

/// Formatting elements that did not end with their end tag (including the parser's clones),
/// in tree order: each may have left an entry in the list of active formatting elements
/// that the parser reconstructs (clones) wherever text follows.
fn unclosed_formatting(dom: &Dom) -> Vec<NodeId> {
    dom.nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match &n.data {
            NodeData::Element(x)
                if is_formatting(&x.name)
                    && !x.foreign
                    && x.spans().is_none_or(|s| s.end_tag.is_none()) =>
            {
                Some(i as NodeId)
            }
            _ => None,
        })
        .collect()
}

/// The list of active formatting elements is empty where the region starts, and the old
/// region put nothing in it: no unclosed formatting element lies in the old region, and
/// after the last one before it (and outside it) there is a text node, parsed "in body",
/// that got no clone: text reconstructs every stale entry, so none was left there, and
/// nothing after it added one.
fn formatting_quiet(dom: &Dom, unclosed: &[NodeId], e: NodeId, plan: &Plan) -> bool {
    let (a, b) = removed_range(dom, e, plan);
    let from = unclosed.partition_point(|&u| u < a);
    if unclosed.get(from).is_some_and(|&u| u < b) {
        return false;
    }
    let Some(&last) = from.checked_sub(1).and_then(|i| unclosed.get(i)) else {
        return true;
    };
    (subtree_end(dom, last)..a).any(|t| reconstructs(dom, t))
}

/// A text node whose insertion ran "reconstruct the active formatting elements": text in
/// the "in body" insertion mode (no table, select, template, raw-text or foreign ancestor).
fn reconstructs(dom: &Dom, id: NodeId) -> bool {
    let Some(NodeData::Text(t)) = dom.node(id).map(|n| &n.data) else {
        return false;
    };
    if t.is_empty() {
        return false;
    }
    dom.ancestors(id)
        .all(|a| match dom.node(a).map(|n| &n.data) {
            Some(NodeData::Element(x)) => !x.foreign && !outside_in_body(&x.name),
            _ => true,
        })
}

/// The node ids `a..b` the plan replaces.
fn removed_range(dom: &Dom, e: NodeId, plan: &Plan) -> (NodeId, NodeId) {
    let children = dom.children(e);
    if children.is_empty() {
        return (e + 1, e + 1);
    }
    let first = children.get(plan.first).copied().unwrap_or(e + 1);
    let last = children.get(plan.last.min(children.len() - 1)).copied();
    (first, last.map_or(first, |l| subtree_end(dom, l)))
}

/// What to replace: children `first..=last` of `E` (positions in its child list), the
/// source region they cover, and whether that is all of `E`'s content.
struct Plan {
    first: usize,
    last: usize,
    region: TextRange,
    whole: bool,
}

impl Plan {
    /// `E`'s children after the planned ones.
    fn tail<'d>(&self, dom: &'d Dom, e: NodeId) -> &'d [NodeId] {
        dom.children(e).get(self.last + 1..).unwrap_or_default()
    }
}

/// `ordered`: whether `E`'s children are in source order ([`in_source_order`]).
fn plan(dom: &Dom, e: NodeId, ancestors: &[NodeId], ordered: bool, edit: Edit) -> Option<Plan> {
    let el = dom.element(e)?;
    if el.foreign || !is_region_root(&el.name) {
        return None;
    }
    // Without an end tag `E`'s content ends with its last descendant, and only a run of
    // its children can be replaced (all of it needs `E`'s end tag to close what is open).
    let spans = el.spans()?;
    let inner = match spans.inner() {
        Some(inner) => inner,
        None => TextRange::new(spans.start_tag.end, el.range()?.end),
    };
    if edit.start < inner.start || edit.old_end > inner.end {
        return None;
    }
    let plain = ancestors
        .iter()
        .all(|&a| match dom.node(a).map(|n| &n.data) {
            Some(NodeData::Element(x)) => !x.foreign && neutral_ancestor(&x.name),
            Some(NodeData::Document) => true,
            _ => false,
        });
    if !plain {
        return None;
    }
    let children = dom.children(e);
    let whole = spans.end_tag.map(|_| Plan {
        first: 0,
        last: children.len().wrapping_sub(1),
        region: inner,
        whole: true,
    });
    // Prefer a run of children. It must start where the parser's state is known: at the
    // start tag of a child element that the edit leaves intact (the parser had just made
    // it a child of `E`, so `E` was the current node) or at a child text node (inserted
    // into `E`, likewise). Where it ends, the state is checked by parsing the old run too.
    // Children out of source order were foster-parented (moved before a table): the
    // parser was not inserting into `E` when it made them. Text moved before a table
    // merges into the text there and leaves no trace of order, so beside a table child
    // only all of `E`'s content (which the fragment parse foster-parents itself) will do.
    let table_child = children.iter().any(|&c| {
        dom.element(c)
            .is_some_and(|x| !x.foreign && x.name == "table")
    });
    if table_child || !ordered {
        return whole;
    }
    let first = children
        .iter()
        .rposition(|&c| match dom.node(c).map(|n| &n.data) {
            Some(NodeData::Element(x)) => x.spans().is_some_and(|s| s.start_tag.end <= edit.start),
            Some(NodeData::Text(t)) => t.range().is_some_and(|r| r.start <= edit.start),
            _ => false,
        });
    let Some(first) = first else {
        return whole;
    };
    let end_of = |id: NodeId| -> Option<usize> {
        match &dom.node(id)?.data {
            NodeData::Element(x) => {
                let s = x.spans()?;
                if s.end_tag.is_some() || x.is_void() {
                    x.range().map(|r| r.end)
                } else {
                    None
                }
            }
            NodeData::Text(t) => t.range().map(|r| r.end),
            _ => None,
        }
    };
    let last = (first..children.len())
        .find(|&k| end_of(children[k]).is_some_and(|end| end >= edit.old_end));
    let Some(last) = last else {
        return whole;
    };
    let (Some(start), Some(end)) = (source_start(dom, children[first]), end_of(children[last]))
    else {
        return whole;
    };
    let region = TextRange::new(start, end);
    if edit.start < region.start || edit.old_end > region.end {
        return whole;
    }
    Some(Plan {
        first,
        last,
        region,
        whole: false,
    })
}

/// Where a child element's start tag or a child text node begins in the source, if known.
fn source_start(dom: &Dom, id: NodeId) -> Option<usize> {
    match &dom.node(id)?.data {
        NodeData::Element(x) => x.range().map(|r| r.start),
        NodeData::Text(t) => t.range().map(|r| r.start),
        _ => None,
    }
}

/// Whether `id` (if any) is a text node of `dom`.
fn is_text(dom: &Dom, id: Option<&NodeId>) -> bool {
    id.and_then(|&i| dom.node(i))
        .is_some_and(|n| matches!(n.data, NodeData::Text(_)))
}

/// The children of `parent` that have a source position come in source order. Elements
/// out of order were foster-parented: moved before a table, while the table (not their new
/// parent) stayed the parser's current node.
fn in_source_order(dom: &Dom, parent: NodeId) -> bool {
    let mut prev = None;
    for &c in dom.children(parent) {
        if let Some(start) = source_start(dom, c) {
            if prev.is_some_and(|p| p >= start) {
                return false;
            }
            prev = Some(start);
        }
    }
    true
}

/// Parse the new text of the region and check that splicing it gives a full parse's tree.
fn try_region(
    dom: &Dom,
    old_text: &str,
    text: &str,
    e: NodeId,
    plan: &Plan,
    edit: Edit,
) -> Result<(Fragment, Move), Refusal> {
    let el = dom.element(e).ok_or(Refusal::NoContext)?;
    // The old region must not have set document-level state.
    let tags = tags_in(dom, plan.region);
    if dom.start_tags[tags.clone()]
        .iter()
        .any(|t| is_global_tag(&t.name))
    {
        return Err(Refusal::DocumentLevelTag);
    }
    let end = plan.region.end as isize + edit.delta();
    if end < plan.region.start as isize {
        return Err(Refusal::NoContext);
    }
    let region = TextRange::new(plan.region.start, end as usize);
    let fragment =
        html::parse_fragment(text, region, &el.name, dom.quirks).ok_or(Refusal::NoContext)?;
    let moved = accept(dom, e, plan, &fragment, true)?;
    // The old run must have ended in the same state, or what follows it was parsed in a
    // different one and cannot be kept.
    let old = html::parse_fragment(old_text, plan.region, &el.name, dom.quirks)
        .ok_or(Refusal::NoContext)?;
    accept(dom, e, plan, &old, false).map_err(|_| Refusal::OldRegion)?;
    Ok((fragment, moved))
}

/// Check a region's parse (see the module docs), and say how the nodes after it move
/// (only when `may_cascade`; else they must stay).
fn accept(
    dom: &Dom,
    e: NodeId,
    plan: &Plan,
    f: &Fragment,
    may_cascade: bool,
) -> Result<Move, Refusal> {
    let d = &f.dom;
    let Some(context) = dom.element(e) else {
        return Err(Refusal::NoContext);
    };

    if f.truncated
        || d.unmapped_start_tags != 0
        || d.nodes.len() < 2
        || d.element(1).is_none_or(|r| r.name != "html")
    {
        return Err(Refusal::Truncated);
    }
    if d.start_tags
        .iter()
        .any(|t| t.node().is_none() || is_global_tag(&t.name))
    {
        return Err(Refusal::TagWithoutElement);
    }
    for n in &d.nodes[2..] {
        match &n.data {
            // Every element in the region comes from one of its start tags, and formatting
            // elements end with their end tag (else their entry outlives them).
            NodeData::Element(x) => match x.spans() {
                None => return Err(Refusal::Unmapped),
                Some(s) if s.end_tag.is_none() && is_formatting(&x.name) && !x.foreign => {
                    return Err(Refusal::UnclosedFormatting);
                }
                _ => {}
            },
            NodeData::Document => return Err(Refusal::Unmapped),
            _ => {}
        }
    }
    // The probe reads the parser's open elements as the current node's ancestors, which
    // holds unless an element was foster-parented.
    if !(1..d.nodes.len() as NodeId).all(|p| in_source_order(d, p)) {
        return Err(Refusal::FosterParented);
    }
    let Some(probed) = &f.probed else {
        return Err(Refusal::NotProbed);
    };
    // An end tag the fragment parse ignored is ignored by the full parse too as long as no
    // element outside the region (`E` and its ancestors) bears its name and it is not one
    // the tree builder acts on regardless.
    let outside: Vec<&str> = closed_names(dom, e).collect();
    // One exception (see [`lift`]): an end tag of `E`'s name, ignored while nothing was
    // open, that in the full parse closes `E` itself.
    let mut split = None;
    let ignored = &probed.ignored_end_tags;
    if let Some(k) = ignored
        .iter()
        .position(|(n, _)| !ignored_beyond(n, &outside))
    {
        let above = outside.get(1..).unwrap_or_default();
        match &ignored[k] {
            (name, Some(at))
                if may_cascade
                    && *name == context.name.as_str()
                    && !above.contains(&name.as_str())
                    && ignored[k + 1..]
                        .iter()
                        .all(|(n, _)| ignored_beyond(n, above)) =>
            {
                split = Some(*at);
            }
            _ => return Err(Refusal::IgnoredEndTag),
        }
    }
    // Nothing may be left open at the region's end, except, at the end of all of `E`'s
    // content, what `E`'s end tag closes without other effect, or what the rest of `E`'s
    // content can be re-parented into (see [`cascade`]).
    let Some(open) = &probed.open_at_end else {
        return Err(Refusal::NotProbed);
    };
    let closed_by_end_tag = |(name, foreign): &(String, bool)| {
        plan.whole
            && !foreign
            && is_container(&context.name)
            && closes_implicitly(name, &context.name)
    };
    let mut moved = Move::Stay;
    if let Some(split) = split {
        if !open.is_empty() {
            return Err(Refusal::LeftOpen);
        }
        lift(dom, e, plan, d, split)?;
        moved = Move::Up(split);
    } else if !open.iter().all(closed_by_end_tag) {
        if !may_cascade {
            return Err(Refusal::LeftOpen);
        }
        moved = Move::Down(cascade(dom, e, plan, d, open)?);
    }
    // Text at the edges must not merge with a neighbouring text node.
    if !plan.whole {
        let top = d.children(1);
        let siblings = dom.children(e);
        let before = plan.first.checked_sub(1).and_then(|i| siblings.get(i));
        let after = plan.tail(dom, e).first();
        if (is_text(d, top.first()) && is_text(dom, before))
            || (is_text(d, top.last()) && is_text(dom, after))
            || (top.is_empty() && is_text(dom, before) && is_text(dom, after))
        {
            return Err(Refusal::TextMerges);
        }
    }
    Ok(moved)
}

/// Whether the full parse ignores an end tag the fragment parse ignored, given the names of
/// the elements open outside the region: none bears its name, and it is not one the tree
/// builder acts on regardless.
fn ignored_beyond(name: &str, outside: &[&str]) -> bool {
    !matches!(name, "p" | "br" | "body" | "html" | "form" | "template") && !outside.contains(&name)
}

/// How a splice moves the nodes after the region (see [`cascade`] and [`lift`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    /// They stay where they are.
    Stay,
    /// The rest of `E`'s content moves into this fragment element, left open.
    Down(NodeId),
    /// `E` ends after this many of the fragment's top-level nodes; the others and the rest
    /// of `E`'s content follow `E` in its parent.
    Up(usize),
}

/// A region that leaves elements open (a start tag whose end tag is gone, a broken
/// `</div>`): in the full parse the rest of `E`'s content, its "tail", is then parsed with
/// those elements open, and becomes the children of the innermost one instead of `E`'s.
/// The tail's subtrees do not change when
/// - the open elements `O` are neutral (no scope boundary, formatting, list item, …), so
///   every scope walk and start-tag rule in the tail behaves as it did;
/// - no end tag in the tail that closed nothing of the tail's bears an `O` name (it would
///   now close that element);
/// - whatever closed `E` closes `O` as well and nothing else: `E`'s end tag, or when `E`
///   has none the end tag of its nearest ancestor that has one, is not named as any of `O`,
///   and if it is handled as "any other end tag" (which stops at special elements) no
///   element of `O` is special;
/// - the tail's first node is not text that would merge with the innermost's last child.
///
/// Node ids stay in preorder: the tail came right after the region and now comes right
/// after the innermost open element's subtree, which ends the fragment. Returns that
/// element's fragment id.
fn cascade(
    dom: &Dom,
    e: NodeId,
    plan: &Plan,
    d: &Dom,
    open: &[(String, bool)],
) -> Result<NodeId, Refusal> {
    let closer = closer_of(dom, e)?;
    let scoped =
        closer.is_none_or(|(name, _)| is_container(name) || name == "body" || name == "html");
    let ok_name = |name: &str| {
        neutral_ancestor(name)
            && closer.is_none_or(|(c, _)| c != name)
            && (scoped || !is_special(name))
    };
    if !open.iter().all(|(name, foreign)| !foreign && ok_name(name)) {
        return Err(Refusal::LeftOpen);
    }
    // The open elements, outermost first, are the fragment's chain of last children.
    let mut into = 1;
    for (name, _) in open.iter().rev() {
        let &last = d.children(into).last().ok_or(Refusal::LeftOpen)?;
        match d.element(last) {
            Some(x) if x.name.as_str() == name && x.closed_implicitly() => {
                into = last;
            }
            _ => return Err(Refusal::LeftOpen),
        }
    }
    let tail = plan.tail(dom, e);
    if is_text(dom, tail.first()) && is_text(d, d.children(into).last()) {
        return Err(Refusal::TextMerges);
    }
    let names: Vec<&str> = open
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(closed_names(dom, e))
        .collect();
    if !tail_end_tags_closed_inside(dom, plan, tail, &names, closer.map(|(_, at)| at)) {
        return Err(Refusal::IgnoredEndTag);
    }
    Ok(into)
}

/// `E`'s end tag (or, without one, the nearest ancestor's): what closed `E` in the full
/// parse. Its name and where it starts; `None` when only the end of input closed `E`.
///
/// End tags are paired with elements by source order, which can pair an ancestor with an
/// end tag the parser ignored; one that starts before `E`'s content ends cannot be what
/// closed `E`, and refuses the move.
fn closer_of(dom: &Dom, e: NodeId) -> Result<Option<(&str, usize)>, Refusal> {
    let end_tag = |a: NodeId| {
        let x = dom.element(a)?;
        Some((x.name.as_str(), x.spans()?.end_tag?.start))
    };
    if let Some(own) = end_tag(e) {
        return Ok(Some(own));
    }
    let closer = dom.ancestors(e).find_map(end_tag);
    let content_end = dom.element(e).and_then(|x| x.range()).map_or(0, |r| r.end);
    match closer {
        Some((_, at)) if at < content_end => Err(Refusal::IgnoredEndTag),
        closer => Ok(closer),
    }
}

/// The names of `E` and its ancestors. An end tag bearing one between the region's end and
/// [`closer_of`] that closed nothing of the tail was ignored, or is what really closed `E`
/// (the pairing of end tags with elements is by source order, and may miss it): both rule
/// out a move.
fn closed_names(dom: &Dom, e: NodeId) -> impl Iterator<Item = &str> {
    std::iter::once(e)
        .chain(dom.ancestors(e))
        .filter_map(|a| dom.element(a).map(|x| x.name.as_str()))
}

/// Every end tag bearing one of `names` between the region's end and `to` (the closer's
/// start) closed an element of the tail (`E`'s children after the region), so none of them
/// was ignored, or would act on the elements a moved tail now sits under.
fn tail_end_tags_closed_inside(
    dom: &Dom,
    plan: &Plan,
    tail: &[NodeId],
    names: &[&str],
    to: Option<usize>,
) -> bool {
    let to = to.unwrap_or(usize::MAX);
    let a = dom
        .end_tags
        .partition_point(|t| t.range().start < plan.region.end);
    let b = dom
        .end_tags
        .partition_point(|t| t.range().start < to)
        .max(a);
    let suspects = dom.end_tags[a..b]
        .iter()
        .filter(|t| names.contains(&t.name.as_str()))
        .count();
    if suspects == 0 {
        return true;
    }
    // The tail's elements end inside that range, each with a different end tag: as many of
    // them as suspects means every suspect closed one.
    let (lo, hi) = match (tail.first(), tail.last()) {
        (Some(&f), Some(&l)) => (f, subtree_end(dom, l)),
        _ => return false,
    };
    let closed = (lo..hi)
        .filter(|&id| {
            dom.element(id).is_some_and(|x| {
                x.spans().is_some_and(|s| s.end_tag.is_some()) && names.contains(&x.name.as_str())
            })
        })
        .count();
    closed == suspects
}

/// A region with an end tag of `E`'s name that the fragment parse ignored while nothing was
/// open (a start tag of a child is gone, so its end tag is one too many): in the full parse
/// that tag closes `E`. The region's nodes after it, and the rest of `E`'s content (its
/// "tail"), then follow `E` as children of its parent `P`. They parse the same when
/// - no ancestor bears `E`'s name (else `E`'s own end tag closes it in turn: the change
///   climbs further), and the region's later ignored end tags name no ancestor;
/// - nothing is left open at the region's end (checked by the caller);
/// - no end tag in the tail that closed nothing of the tail bears an ancestor's name: with
///   `E` gone, the walks that stopped at `E` reach `P` and above;
/// - the tail's last element has its end tag: else `E`'s closer closed it, and now it
///   stays open;
/// - the last node that moves is not text followed by text after `E`.
///
/// Node ids stay in preorder: what moves came right after `E`'s new last node.
fn lift(dom: &Dom, e: NodeId, plan: &Plan, d: &Dom, split: usize) -> Result<(), Refusal> {
    let parent = dom.parent(e).ok_or(Refusal::NoContext)?;
    if dom.element(parent).is_none() || split > d.children(1).len() {
        return Err(Refusal::NoContext);
    }
    let names: Vec<&str> = closed_names(dom, e).collect();
    let tail = plan.tail(dom, e);
    // What `E`'s closer closed implicitly (the tail's last element, without an end tag)
    // would stay open and take in `P`'s later children.
    if let Some(x) = tail.last().and_then(|&l| dom.element(l))
        && !x.is_void()
        && x.spans().is_none_or(|s| s.end_tag.is_none())
    {
        return Err(Refusal::LeftOpen);
    }
    // The last node that moves must not be text merging with `E`'s next sibling.
    let top = d.children(1);
    let last_moved_text = match tail.last() {
        Some(l) => is_text(dom, Some(l)),
        None => top.len() > split && is_text(d, top.last()),
    };
    let siblings = dom.children(parent);
    let next = siblings
        .iter()
        .position(|&c| c == e)
        .and_then(|i| siblings.get(i + 1));
    if last_moved_text && is_text(dom, next) {
        return Err(Refusal::TextMerges);
    }
    if !tail_end_tags_closed_inside(
        dom,
        plan,
        tail,
        &names,
        closer_of(dom, e)?.map(|(_, at)| at),
    ) {
        return Err(Refusal::IgnoredEndTag);
    }
    Ok(())
}

/// Indices into `dom.start_tags` of the tags that start inside `region`.
fn tags_in(dom: &Dom, region: TextRange) -> std::ops::Range<usize> {
    let a = dom
        .start_tags
        .partition_point(|t| t.range().start < region.start);
    let b = dom
        .start_tags
        .partition_point(|t| t.range().start < region.end);
    a..b.max(a)
}

/// The first id after the subtree of `id` (ids are in preorder).
fn subtree_end(dom: &Dom, id: NodeId) -> NodeId {
    let mut last = id;
    while let Some(&c) = dom.children(last).last() {
        last = c;
    }
    last + 1
}

/// Move a range of the old text that lies outside `region` (old offsets) to the new text.
/// A range starting at or after the region's end moves; one that started before it keeps
/// its start, and its end moves if it is past the region (or, for an empty region, only
/// if strictly past it: such a range ends where the insertion begins).
fn shifted(r: TextRange, region: TextRange, delta: isize) -> TextRange {
    let moved = |p: usize| (p as isize + delta).max(0) as usize;
    if r.start >= region.end {
        TextRange::new(moved(r.start), moved(r.end))
    } else if r.end >= region.end && r.end > region.start {
        TextRange::new(r.start, moved(r.end))
    } else {
        r
    }
}

/// Replace the planned children of `e` by the fragment's nodes; renumber and shift the rest,
/// and move `E`'s children after the region as `moved` says.
fn splice(
    dom: &mut Dom,
    text: &str,
    e: NodeId,
    plan: &Plan,
    fragment: Fragment,
    moved: Move,
    edit: Edit,
) {
    let children = dom.children(e).to_vec();
    let parent = dom.parent(e);
    let (a, b) = removed_range(dom, e, plan);
    let f = fragment.dom;
    let inserted = f.nodes.len() as u32 - 2;
    let dn = inserted as i64 - (b - a) as i64;
    let remap = |id: NodeId| -> NodeId {
        if id >= b {
            (id as i64 + dn) as NodeId
        } else {
            id
        }
    };
    let from_frag = |id: NodeId| -> NodeId { if id <= 1 { e } else { a + (id - 2) } };
    let delta = edit.delta();

    let removed_unmapped = dom.nodes[a as usize..b as usize]
        .iter()
        .filter(|n| {
            matches!(&n.data, NodeData::Element(x) if x.spans().is_none()
                && !matches!(x.name.as_str(), "html" | "head" | "body"))
        })
        .count();

    let (head, tail) = if children.is_empty() {
        (&[][..], &[][..])
    } else {
        (&children[..plan.first], &children[plan.last + 1..])
    };
    // `E`'s children after the region, renumbered, and the region's top-level nodes that
    // stay in `E` (the others follow it, see [`lift`]).
    let tail: Vec<NodeId> = tail.iter().map(|&c| remap(c)).collect();
    let top: Vec<NodeId> = f.children(1).iter().map(|&c| from_frag(c)).collect();
    let split = match moved {
        Move::Up(k) => k.min(top.len()),
        _ => top.len(),
    };
    let (stays, lifted) = top.split_at(split);

    // Renumber and shift the nodes that stay.
    for (i, node) in dom.nodes.iter_mut().enumerate() {
        let i = i as NodeId;
        if (a..b).contains(&i) {
            continue;
        }
        node.parent = node.parent.map(remap);
        if i == e {
            let kept_tail = if moved == Move::Stay { &tail[..] } else { &[] };
            node.children = head.iter().chain(stays).chain(kept_tail).copied().collect();
        } else if matches!(moved, Move::Up(_)) && Some(i) == parent {
            let old = std::mem::take(&mut node.children);
            for c in old {
                node.children.push(remap(c));
                if c == e {
                    node.children.extend_from_slice(lifted);
                    node.children.extend_from_slice(&tail);
                }
            }
        } else {
            for c in &mut node.children {
                *c = remap(*c);
            }
        }
        match &mut node.data {
            NodeData::Element(x) => x.map_ranges(&|r| shifted(r, plan.region, delta)),
            NodeData::Text(t) => t.map_range(&|r| shifted(r, plan.region, delta)),
            _ => {}
        }
    }
    let into = match moved {
        Move::Down(into) => Some(into),
        _ => None,
    };
    // The moved nodes' new parent: the innermost element left open, or `E`'s parent.
    let new_parent = match moved {
        Move::Stay => None,
        Move::Down(into) => Some(from_frag(into)),
        Move::Up(_) => parent,
    };
    let new_nodes = f.nodes.into_iter().enumerate().skip(2).map(|(i, mut n)| {
        n.parent = n.parent.map(from_frag);
        for c in &mut n.children {
            *c = from_frag(*c);
        }
        if into == Some(i as NodeId) {
            n.children.extend_from_slice(&tail);
        }
        n
    });
    reserve_for_splice(&mut dom.nodes, (b - a) as usize, inserted as usize);
    dom.nodes.splice(a as usize..b as usize, new_nodes);
    if let Some(p) = new_parent {
        // `lifted` is empty unless `E` ended early.
        for &c in lifted.iter().chain(&tail) {
            if let Some(n) = dom.nodes.get_mut(c as usize) {
                n.parent = Some(p);
            }
        }
    }

    // Source-order tables: drop the region's entries, insert the fragment's, shift the rest.
    for t in &mut dom.start_tags {
        t.set_node(
            t.node()
                .and_then(|id| (!(a..b).contains(&id)).then(|| remap(id))),
        );
    }
    let new_tags = f
        .start_tags
        .into_iter()
        .map(|mut t| {
            t.set_node(t.node().map(from_frag));
            t
        })
        .collect();
    splice_sorted(&mut dom.start_tags, plan.region, new_tags, delta);
    splice_sorted(&mut dom.comments, plan.region, f.comments, delta);
    splice_sorted(&mut dom.end_tags, plan.region, f.end_tags, delta);
    dom.unmapped_start_tags = dom.unmapped_start_tags.saturating_sub(removed_unmapped);
    dom.index_starts();
    // End tags are paired with start tags in source order over the whole body, so tags in
    // the region may now pair differently with tags outside it: pair again (a linear pass
    // over the tag tables) and redo what depends on the pairs that changed.
    let changed = html::pair_end_tags(dom);
    // An element without an end tag ends with its last descendant, which the region may
    // have moved: `E` itself or an ancestor.
    let open_above = std::iter::once(e)
        .chain(dom.ancestors(e))
        .any(|a| dom.element(a).is_some_and(Element::closed_implicitly));
    if !changed.is_empty() || open_above || moved != Move::Stay {
        for node in &mut dom.nodes {
            if let NodeData::Element(x) = &mut node.data
                && x.closed_implicitly()
            {
                x.set_end_tag(None);
            }
        }
        html::extend_implicit_ranges(dom);
    }
    // Whether a text node maps to its source depends on its neighbours' tags.
    let mut parents: Vec<NodeId> = std::iter::once(e).chain(new_parent).collect();
    for id in changed {
        parents.push(id);
        parents.extend(dom.parent(id));
    }
    parents.sort_unstable();
    parents.dedup();
    for p in parents {
        html::reassign_child_text_ranges(text, dom, p);
    }
}

/// Entries of a source-ordered table (start tags, comments, stray end tags).
trait Sourced {
    fn start(&self) -> usize;
    fn shift(&mut self, region: TextRange, delta: isize);
}

impl Sourced for SourceTag {
    fn start(&self) -> usize {
        self.range().start
    }
    fn shift(&mut self, region: TextRange, delta: isize) {
        self.map_range(&|r| shifted(r, region, delta));
    }
}

impl Sourced for SourceComment {
    fn start(&self) -> usize {
        self.range.start
    }
    fn shift(&mut self, region: TextRange, delta: isize) {
        self.range = shifted(self.range, region, delta);
        self.inner = shifted(self.inner, region, delta);
    }
}

/// Replace the entries that start inside `region` (old offsets) by `new` (new offsets) and
/// shift the ones after the region.
fn splice_sorted<T: Sourced>(list: &mut Vec<T>, region: TextRange, new: Vec<T>, delta: isize) {
    let a = list.partition_point(|t| t.start() < region.start);
    let b = list.partition_point(|t| t.start() < region.end).max(a);
    for t in &mut list[b..] {
        t.shift(region, delta);
    }
    reserve_for_splice(list, b - a, new.len());
    list.splice(a..b, new);
}

/// Make room for a `Vec::splice` that replaces `removed` entries by `inserted`, growing by
/// a sixteenth rather than the doubling `splice` would do: the tree's tables come exactly
/// sized from the parse, and the first edit that added a node doubled their memory.
fn reserve_for_splice<T>(v: &mut Vec<T>, removed: usize, inserted: usize) {
    let needed = v.len().saturating_sub(removed) + inserted;
    if needed > v.capacity() {
        v.reserve_exact(needed - v.len() + v.len() / 16);
    }
}

#[cfg(test)]
mod tests {
    use super::{Edit, reserve_for_splice};
    #[test]
    fn splices_grow_tables_by_a_sixteenth() {
        let mut v: Vec<u32> = (0..1600).collect();
        v.shrink_to_fit();
        reserve_for_splice(&mut v, 1, 3);
        v.splice(10..11, [7, 8, 9]);
        assert_eq!(v.len(), 1602);
        assert!(v.capacity() <= 1602 + 100 + 8, "capacity {}", v.capacity());
        // Room left over takes later growth without reallocating.
        let cap = v.capacity();
        reserve_for_splice(&mut v, 0, 2);
        v.splice(0..0, [1, 2]);
        assert_eq!(v.capacity(), cap);
    }

    /// Replace `text[edit.start..edit.old_end]` by `new[edit.start..edit.new_end]`.
    fn apply(text: &str, new: &str, e: Edit) -> String {
        format!(
            "{}{}{}",
            &text[..e.start],
            &new[e.start..e.new_end],
            &text[e.old_end..]
        )
    }

    /// Merged edits describe the whole change: applying the merged edit to the first text
    /// (taking the inserted part from the last) gives the last text, for random sequences.
    #[test]
    fn merged_edits_cover_every_change() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        for _ in 0..2000 {
            let first: String = (0..next(30))
                .map(|i| (b'a' + (i % 26) as u8) as char)
                .collect();
            let mut text = first.clone();
            let mut merged: Option<Edit> = None;
            for _ in 0..1 + next(5) {
                let start = next(text.len() + 1);
                let end = start + next(text.len() - start + 1);
                let insert: String = "XYZ".chars().take(next(4)).collect();
                text.replace_range(start..end, &insert);
                let edit = Edit::new(start, end, insert.len());
                merged = Some(merged.map_or(edit, |m| m.then(edit)));
            }
            let m = merged.expect("at least one edit");
            assert!(m.start <= m.old_end && m.old_end <= first.len(), "{m:?}");
            assert!(m.new_end <= text.len(), "{m:?}");
            assert_eq!(apply(&first, &text, m), text, "{m:?} from {first:?}");
        }
    }
}
