//! The tree html5ever builds into: a flat arena of nodes linked to parent and siblings,
//! holding html5ever's own names, attributes and tendrils until [`super::assemble`] turns
//! it into the [`super::Dom`]. It does what a DOM must for the tree builder (append, insert
//! before a sibling, detach, move children, merge adjacent text), and notes for the parser
//! (in its [`Tracker`]) which element each start tag made and where a probe comment would
//! have gone.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, local_name, ns};

use super::{Current, PROBE_TEXT, Tracker};

/// Index of a node in the arena.
pub(super) type ArenaId = u32;

/// No node (no parent, no sibling, no child).
pub(super) const NONE: ArenaId = ArenaId::MAX;

pub(super) struct ArenaNode {
    pub parent: ArenaId,
    pub first_child: ArenaId,
    pub last_child: ArenaId,
    pub prev: ArenaId,
    pub next: ArenaId,
    pub data: ArenaData,
}

pub(super) enum ArenaData {
    /// The document, or a fragment parse's root.
    Document,
    /// A `<template>`'s contents, kept as its only child node.
    TemplateContents,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
    },
    Text(StrTendril),
    Comment(StrTendril),
    /// Doctypes and processing instructions: not part of the body's tree.
    Other,
}

pub(super) struct Arena {
    pub nodes: Vec<ArenaNode>,
    pub quirks: QuirksMode,
    /// Answer to `elem_name` for a handle that is not an element (html5ever never asks).
    no_name: QualName,
}

impl Arena {
    pub fn get(&self, id: ArenaId) -> Option<&ArenaNode> {
        self.nodes.get(id as usize)
    }

    /// Children of `id` in order.
    pub fn children(&self, id: ArenaId) -> impl Iterator<Item = ArenaId> + '_ {
        let first = self.get(id).map_or(NONE, |n| n.first_child);
        std::iter::successors((first != NONE).then_some(first), move |&c| {
            self.get(c).map(|n| n.next).filter(|&n| n != NONE)
        })
    }

    pub fn parent(&self, id: ArenaId) -> Option<ArenaId> {
        self.get(id).map(|n| n.parent).filter(|&p| p != NONE)
    }

    fn push(&mut self, data: ArenaData) -> ArenaId {
        let id = self.nodes.len() as ArenaId;
        self.nodes.push(ArenaNode {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            data,
        });
        id
    }

    fn node_mut(&mut self, id: ArenaId) -> Option<&mut ArenaNode> {
        self.nodes.get_mut(id as usize)
    }

    /// Point the siblings `prev` and `next` under `parent` (or, where one is `NONE`, the
    /// parent's first or last child) at `after_prev` and `before_next`.
    fn relink(
        &mut self,
        parent: ArenaId,
        (prev, next): (ArenaId, ArenaId),
        (after_prev, before_next): (ArenaId, ArenaId),
    ) {
        if let Some(p) = self.node_mut(prev) {
            p.next = after_prev;
        } else if let Some(p) = self.node_mut(parent) {
            p.first_child = after_prev;
        }
        if let Some(n) = self.node_mut(next) {
            n.prev = before_next;
        } else if let Some(p) = self.node_mut(parent) {
            p.last_child = before_next;
        }
    }

    fn detach(&mut self, id: ArenaId) {
        let Some(n) = self.get(id) else { return };
        let (parent, prev, next) = (n.parent, n.prev, n.next);
        self.relink(parent, (prev, next), (next, prev));
        if let Some(n) = self.node_mut(id) {
            n.parent = NONE;
            n.prev = NONE;
            n.next = NONE;
        }
    }

    /// Link the detached `child` under `parent` between the siblings `prev` and `next`
    /// (`NONE` at either end of the child list).
    fn link(&mut self, child: ArenaId, parent: ArenaId, prev: ArenaId, next: ArenaId) {
        self.relink(parent, (prev, next), (child, child));
        if let Some(c) = self.node_mut(child) {
            c.parent = parent;
            c.prev = prev;
            c.next = next;
        }
    }

    fn append_child(&mut self, parent: ArenaId, child: ArenaId) {
        if parent == child || self.get(parent).is_none() {
            return;
        }
        self.detach(child);
        let last = self.get(parent).map_or(NONE, |p| p.last_child);
        self.link(child, parent, last, NONE);
    }

    fn insert_before(&mut self, sibling: ArenaId, child: ArenaId) {
        if sibling == child {
            return;
        }
        self.detach(child);
        let Some(s) = self.get(sibling) else { return };
        let (parent, prev) = (s.parent, s.prev);
        self.link(child, parent, prev, sibling);
    }

    /// Append text to the text node `at`, when it is one.
    fn merge_text(&mut self, at: ArenaId, text: &StrTendril) -> bool {
        match self.node_mut(at).map(|n| &mut n.data) {
            Some(ArenaData::Text(t)) => {
                t.push_tendril(text);
                true
            }
            _ => false,
        }
    }
}

/// The [`TreeSink`] filling an [`Arena`]; handles are arena indices.
pub(super) struct ArenaSink {
    arena: RefCell<Arena>,
    tracker: std::rc::Rc<Tracker>,
}

impl ArenaSink {
    /// An empty document, with room for about `nodes` nodes, reporting to `tracker`.
    pub fn new(nodes: usize, tracker: std::rc::Rc<Tracker>) -> ArenaSink {
        let mut arena = Arena {
            nodes: Vec::with_capacity(nodes),
            quirks: QuirksMode::NoQuirks,
            no_name: QualName::new(None, ns!(), local_name!("")),
        };
        arena.push(ArenaData::Document);
        ArenaSink {
            arena: RefCell::new(arena),
            tracker,
        }
    }

    /// When `id` is a fragment parse's root (the document's child): its child count, or
    /// `None` if the last child is text.
    pub fn root_split(&self, id: ArenaId) -> Option<usize> {
        let arena = self.arena.borrow();
        if arena.parent(id) != Some(0) {
            return None;
        }
        let last = arena.get(id)?.last_child;
        if matches!(arena.get(last).map(|n| &n.data), Some(ArenaData::Text(_))) {
            return None;
        }
        Some(arena.children(id).count())
    }

    /// Whether `child` is the probe comment (see `super::Probe`).
    fn is_probe(&self, child: &NodeOrText<ArenaId>) -> bool {
        match (&self.tracker.probe, child) {
            (Some(probe), NodeOrText::AppendNode(c)) => probe.comment.get() == Some(*c),
            _ => false,
        }
    }
}

impl TreeSink for ArenaSink {
    type Handle = ArenaId;
    type Output = Arena;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Arena {
        self.arena.into_inner()
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {}
    fn get_document(&self) -> ArenaId {
        0
    }
    fn elem_name<'a>(&'a self, target: &'a ArenaId) -> Ref<'a, QualName> {
        Ref::map(self.arena.borrow(), |a| {
            match a.get(*target).map(|n| &n.data) {
                Some(ArenaData::Element { name, .. }) => name,
                _ => &a.no_name,
            }
        })
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> ArenaId {
        let template = name.ns == ns!(html) && name.local == local_name!("template");
        let t = &self.tracker;
        let made_for = match t.current.get() {
            Current::Start(k) => t
                .start_names
                .borrow()
                .get(k)
                .is_some_and(|n| n.eq_ignore_ascii_case(&name.local))
                .then_some(k),
            Current::None => None,
        };
        let mut a = self.arena.borrow_mut();
        let id = a.push(ArenaData::Element { name, attrs });
        if template {
            let contents = a.push(ArenaData::TemplateContents);
            a.append_child(id, contents);
        }
        if let Some(k) = made_for
            && let Some(slot) = t.created.borrow_mut().get_mut(k)
        {
            // The last matching element wins: formatting elements reconstructed before the
            // real one are clones.
            *slot = Some(id);
        }
        id
    }
    fn create_comment(&self, text: StrTendril) -> ArenaId {
        let probe = self.tracker.probe.as_ref().filter(|_| &*text == PROBE_TEXT);
        let id = self.arena.borrow_mut().push(ArenaData::Comment(text));
        if let Some(probe) = probe {
            probe.comment.set(Some(id));
        }
        id
    }
    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> ArenaId {
        self.arena.borrow_mut().push(ArenaData::Other)
    }
    fn append(&self, parent: &ArenaId, child: NodeOrText<ArenaId>) {
        if self.is_probe(&child)
            && let Some(probe) = &self.tracker.probe
        {
            // Noted, and left out of the tree.
            probe.parent.set(Some(*parent));
            return;
        }
        let mut a = self.arena.borrow_mut();
        match child {
            NodeOrText::AppendNode(c) => a.append_child(*parent, c),
            NodeOrText::AppendText(text) => {
                let last = a.get(*parent).map_or(NONE, |p| p.last_child);
                if !a.merge_text(last, &text) {
                    let t = a.push(ArenaData::Text(text));
                    a.append_child(*parent, t);
                }
            }
        }
    }
    fn append_based_on_parent_node(
        &self,
        element: &ArenaId,
        prev_element: &ArenaId,
        child: NodeOrText<ArenaId>,
    ) {
        let has_parent = self.arena.borrow().parent(*element).is_some();
        if has_parent {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev_element, child)
        }
    }
    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}
    fn get_template_contents(&self, target: &ArenaId) -> ArenaId {
        // Every template gets its contents node on creation; fall back to the element.
        let a = self.arena.borrow();
        a.children(*target)
            .find(|&c| matches!(a.get(c).map(|n| &n.data), Some(ArenaData::TemplateContents)))
            .unwrap_or(*target)
    }
    fn same_node(&self, x: &ArenaId, y: &ArenaId) -> bool {
        x == y
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.arena.borrow_mut().quirks = mode;
    }
    fn append_before_sibling(&self, sibling: &ArenaId, new_node: NodeOrText<ArenaId>) {
        if self.is_probe(&new_node) {
            // Foster-parented: the current node is unknown; leave the probe empty.
            return;
        }
        let mut a = self.arena.borrow_mut();
        if let NodeOrText::AppendNode(c) = new_node {
            a.detach(c);
        }
        if a.parent(*sibling).is_none() {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(c) => a.insert_before(*sibling, c),
            NodeOrText::AppendText(text) => {
                let prev = a.get(*sibling).map_or(NONE, |s| s.prev);
                if !a.merge_text(prev, &text) {
                    let t = a.push(ArenaData::Text(text));
                    a.insert_before(*sibling, t);
                }
            }
        }
    }
    fn add_attrs_if_missing(&self, target: &ArenaId, attrs: Vec<Attribute>) {
        let mut a = self.arena.borrow_mut();
        if let Some(ArenaData::Element { attrs: have, .. }) =
            a.node_mut(*target).map(|n| &mut n.data)
        {
            for attr in attrs {
                if !have.iter().any(|h| h.name == attr.name) {
                    have.push(attr);
                }
            }
        }
    }
    fn remove_from_parent(&self, target: &ArenaId) {
        self.arena.borrow_mut().detach(*target);
    }
    fn reparent_children(&self, node: &ArenaId, new_parent: &ArenaId) {
        let mut a = self.arena.borrow_mut();
        if node == new_parent || a.get(*new_parent).is_none() {
            return;
        }
        while let Some(c) = a.get(*node).map(|n| n.first_child).filter(|&c| c != NONE) {
            a.append_child(*new_parent, c);
        }
    }
}
