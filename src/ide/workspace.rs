//! The workspace index (pure): one compact [`Entry`] per capture — source URL (normalised),
//! title, date, lede, headings with ids, outgoing links (resolved, normalised), images
//! (original URL behind proxies) with credits — and the queries over all of them: symbol
//! search (CJK substring, Latin subsequence), captures by URL, backlinks, image users,
//! credit recovery, and the markdown of cross-capture previews.
//!
//! Entries are built from a capture's text by [`Entry::from_text`] with the header parser
//! and a fast tag scan ([`scan`]); no DOM is kept. Keys are opaque strings chosen by the
//! caller (the LSP layer uses URIs). No IO, no clock, no LSP types.

pub mod scan;

use crate::ide::hover::md_escape;
use std::collections::HashMap;
use std::sync::Arc;

use crate::syntax::header::parse_header;
use crate::text::TextRange;

/// Index of an entry slot in [`Index`].
pub type FileId = u32;

/// A position in every encoding a client may negotiate (computed once, at index time, so
/// that results in files that are not open need no text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub utf8: u32,
    pub utf16: u32,
    pub utf32: u32,
}

/// A byte range with its start and end positions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub range: TextRange,
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    fn at(range: TextRange) -> Span {
        Span {
            range,
            ..Span::default()
        }
    }
}

/// Fill in the positions of `spans` with one pass over `text` (line breaks: LF, CRLF, CR).
fn fill_positions(text: &str, spans: &mut [&mut Span]) {
    let mut offsets: Vec<usize> = spans
        .iter()
        .flat_map(|s| [s.range.start, s.range.end])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let bytes = text.as_bytes();
    let mut table: Vec<(usize, Pos)> = Vec::with_capacity(offsets.len());
    let mut pos = Pos::default();
    let mut i = 0usize;
    for &target in &offsets {
        let target = target.min(bytes.len());
        while i < target {
            let b = bytes.get(i).copied().unwrap_or(b'\n');
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                pos = Pos {
                    line: pos.line + 1,
                    ..Pos::default()
                };
            } else if b == b'\r' {
                // The CR of a CRLF: the break is counted at the LF.
            } else {
                pos.utf8 += 1;
                if b & 0xC0 != 0x80 {
                    pos.utf32 += 1;
                    pos.utf16 += if b >= 0xF0 { 2 } else { 1 };
                }
            }
            i += 1;
        }
        table.push((target, pos));
    }
    let find = |o: usize| {
        let o = o.min(bytes.len());
        table
            .binary_search_by_key(&o, |&(k, _)| k)
            .ok()
            .and_then(|i| table.get(i))
            .map(|&(_, p)| p)
            .unwrap_or_default()
    };
    for s in spans.iter_mut() {
        s.start = find(s.range.start);
        s.end = find(s.range.end);
    }
}

/// A heading of an indexed capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingEntry {
    pub level: u8,
    pub text: Box<str>,
    pub id: Option<Box<str>>,
    pub range: Span,
}

/// An outgoing link: the normalised target (see [`normalize_url`]) and its fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEntry {
    pub target: Arc<str>,
    pub fragment: Option<Box<str>>,
    /// The raw `href` value in the file.
    pub range: Span,
}

/// An image: its original URL (behind any proxy, made absolute) in normalised form (see
/// [`normalize_url`]: a key that also reads as a URL), and the credit this capture gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageEntry {
    pub key: Arc<str>,
    pub credit: Option<Box<str>>,
    /// The raw `src` value in the file.
    pub range: Span,
}

/// What the index knows about one capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The caller's key (a URI).
    pub key: Arc<str>,
    /// Length of the text the entry was built from.
    pub len: usize,
    /// The source URL as written (cleaned), and normalised.
    pub url: Option<Box<str>>,
    pub norm_url: Option<Arc<str>>,
    pub title: Box<str>,
    /// The `[title](url)` line (or the start of the file).
    pub title_range: Span,
    pub date_ms: Option<i64>,
    /// The first ~300 characters of paragraph text.
    pub lede: Box<str>,
    pub headings: Vec<HeadingEntry>,
    pub links: Vec<LinkEntry>,
    pub images: Vec<ImageEntry>,
}

impl Entry {
    /// Build the entry of a capture's text. `None` when the text is not a capture.
    pub fn from_text(key: &str, text: &str) -> Option<Entry> {
        let header = parse_header(text);
        if !header.is_capture {
            return None;
        }
        let url = header.url.as_ref().map(|u| u.cleaned.trim().to_string());
        let base = url.as_deref();
        let title = header
            .title
            .as_ref()
            .map(|t| t.text.clone())
            .or_else(|| header.front_matter.as_ref().and_then(|f| f.title()))
            .unwrap_or_default();
        let title_range = header
            .title
            .as_ref()
            .map(|t| t.line_range)
            .unwrap_or_else(|| TextRange::empty(0));
        let scan = scan::scan_body(text, header.body_content);

        let headings = scan
            .headings
            .into_iter()
            .filter(|h| !(h.level == 1 && h.text.trim() == title.trim()))
            .map(|h| HeadingEntry {
                level: h.level,
                text: h.text.into(),
                id: h.id.filter(|i| !i.is_empty()).map(Into::into),
                range: Span::at(h.range),
            })
            .collect::<Vec<_>>();
        let links = scan
            .links
            .into_iter()
            .filter_map(|l| {
                let abs = resolve(base, &l.value)?;
                let (target, fragment) = split_fragment(&abs);
                Some(LinkEntry {
                    target: normalize_url(target)?.into(),
                    fragment: fragment.filter(|f| !f.is_empty()).map(Into::into),
                    range: Span::at(l.range),
                })
            })
            .collect();
        let mut images: Vec<ImageEntry> = Vec::new();
        for img in scan.images {
            let Some(abs) = resolve(base, &img.src.value) else {
                continue;
            };
            let original = original_image_url(&abs);
            let Some(norm) = normalize_url(&original) else {
                continue;
            };
            if let Some(existing) = images.iter_mut().find(|i| *i.key == *norm) {
                if existing.credit.is_none() {
                    existing.credit = img.credit.map(Into::into);
                }
                continue;
            }
            images.push(ImageEntry {
                key: norm.into(),
                credit: img.credit.map(Into::into),
                range: Span::at(img.src.range),
            });
        }
        let mut title_range = Span::at(title_range);
        let mut headings = headings;
        let mut links: Vec<LinkEntry> = links;
        {
            let mut spans: Vec<&mut Span> = vec![&mut title_range];
            spans.extend(headings.iter_mut().map(|h| &mut h.range));
            spans.extend(links.iter_mut().map(|l| &mut l.range));
            spans.extend(images.iter_mut().map(|i| &mut i.range));
            fill_positions(text, &mut spans);
        }
        headings.shrink_to_fit();
        links.shrink_to_fit();
        images.shrink_to_fit();
        Some(Entry {
            key: key.into(),
            len: text.len(),
            norm_url: url.as_deref().and_then(normalize_url).map(Into::into),
            url: url.map(Into::into),
            title: title.into(),
            title_range,
            date_ms: header.epoch_ms(),
            lede: scan.lede.into(),
            headings,
            links,
            images,
        })
    }

    /// The heading a `#fragment` points to.
    pub fn heading_for_fragment(&self, fragment: &str) -> Option<&HeadingEntry> {
        let f = fragment.trim_start_matches('#');
        self.headings
            .iter()
            .find(|h| h.id.as_deref() == Some(f))
            .or_else(|| self.headings.iter().find(|h| &*h.text == f))
    }
}

// ---------------------------------------------------------------------------------------
// URLs

/// Resolve `href` against the capture's source URL; `None` when it cannot be made absolute
/// (a relative link with no base, a same-document fragment, a `mailto:` …).
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    match crate::ide::url::resolve(base, href) {
        crate::ide::url::Resolved::Absolute(u) => Some(u),
        _ => None,
    }
}

fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (url, None),
    }
}

/// The original URL of an image served through a proxy (`images.weserv.nl/?url=host/path`).
pub fn original_image_url(url: &str) -> String {
    crate::ide::url::deproxy(url).unwrap_or_else(|| url.to_string())
}

/// The key under which URLs are matched: [`crate::ide::url::normalize_for_index`].
pub fn normalize_url(url: &str) -> Option<String> {
    crate::ide::url::normalize_for_index(url)
}

// ---------------------------------------------------------------------------------------
// The index

/// All entries, with inverted maps from normalised URLs.
#[derive(Debug, Default)]
pub struct Index {
    slots: Vec<Option<Entry>>,
    free: Vec<FileId>,
    by_key: HashMap<Arc<str>, FileId>,
    by_url: HashMap<Arc<str>, Vec<FileId>>,
    linked_from: HashMap<Arc<str>, Vec<FileId>>,
    image_users: HashMap<Arc<str>, Vec<FileId>>,
    /// Per slot: bumped on every insert (symbols of older versions are dead).
    stamps: Vec<u32>,
    symbols: SymbolArena,
}

/// Every title and heading name in one contiguous buffer (one per line), so that a query
/// is a few `memchr`/`memmem` passes over memory instead of a walk over 10^5 entries.
/// Append-only with tombstones; compacted when more than half is dead.
#[derive(Debug, Default)]
struct SymbolArena {
    text: String,
    syms: Vec<Sym>,
    dead: usize,
}

#[derive(Debug, Clone, Copy)]
struct Sym {
    start: u32,
    end: u32,
    file: FileId,
    /// 0 for the title, 1 + index for a heading.
    idx: u32,
    stamp: u32,
}

impl SymbolArena {
    fn push(&mut self, file: FileId, stamp: u32, idx: u32, name: &str) {
        // Names never contain line breaks (whitespace is collapsed) — make sure.
        let start = self.text.len();
        self.text
            .extend(name.chars().map(|c| if c == '\n' { ' ' } else { c }));
        let end = self.text.len();
        self.text.push('\n');
        self.syms.push(Sym {
            start: start as u32,
            end: end as u32,
            file,
            idx,
            stamp,
        });
    }

    /// The symbol whose line holds byte `at`.
    fn sym_at(&self, at: usize) -> Option<usize> {
        let i = self.syms.partition_point(|s| s.start as usize <= at);
        i.checked_sub(1)
    }
}

/// Add `id` under `key`, and make `key` share the map's copy of the string. Duplicates
/// that are not adjacent may remain (queries dedupe).
fn add_to(map: &mut HashMap<Arc<str>, Vec<FileId>>, key: &mut Arc<str>, id: FileId) {
    if let Some((k, _)) = map.get_key_value(&**key) {
        *key = k.clone();
    }
    let v = map.entry(key.clone()).or_default();
    if v.last() != Some(&id) {
        v.push(id);
    }
}

fn remove_from(map: &mut HashMap<Arc<str>, Vec<FileId>>, key: &str, id: FileId) {
    if let Some(v) = map.get_mut(key) {
        v.retain(|&x| x != id);
        if v.is_empty() {
            map.remove(key);
        }
    }
}

/// A hit of [`Index::symbols`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolHit {
    pub file: FileId,
    pub name: String,
    /// `None` for the capture's title, else the heading level.
    pub level: Option<u8>,
    pub range: Span,
    /// The capture's title (for headings) or host (for titles).
    pub container: Option<String>,
    pub score: u32,
}

/// A capture that credits an image (for credit recovery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditSource {
    pub credit: String,
    pub key: Arc<str>,
    pub title: String,
}

impl Index {
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    pub fn get(&self, id: FileId) -> Option<&Entry> {
        self.slots.get(id as usize)?.as_ref()
    }

    pub fn id_of(&self, key: &str) -> Option<FileId> {
        self.by_key.get(key).copied()
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.get(self.id_of(key)?)
    }

    pub fn entries(&self) -> impl Iterator<Item = (FileId, &Entry)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i as FileId, e.as_ref()?)))
    }

    /// Insert or replace the entry under its key.
    pub fn insert(&mut self, mut entry: Entry) -> FileId {
        self.remove(&entry.key.clone());
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as FileId
            }
        };
        if let Some(u) = entry.norm_url.as_mut() {
            add_to(&mut self.by_url, u, id);
        }
        for l in &mut entry.links {
            add_to(&mut self.linked_from, &mut l.target, id);
        }
        for i in &mut entry.images {
            add_to(&mut self.image_users, &mut i.key, id);
        }
        self.by_key.insert(entry.key.clone(), id);
        if self.stamps.len() <= id as usize {
            self.stamps.resize(id as usize + 1, 0);
        }
        let stamp = match self.stamps.get_mut(id as usize) {
            Some(s) => {
                *s = s.wrapping_add(1);
                *s
            }
            None => 0,
        };
        self.symbols.push(id, stamp, 0, &entry.title);
        for (i, h) in entry.headings.iter().enumerate() {
            self.symbols.push(id, stamp, i as u32 + 1, &h.text);
        }
        if let Some(slot) = self.slots.get_mut(id as usize) {
            *slot = Some(entry);
        }
        id
    }

    fn sym_alive(&self, s: &Sym) -> bool {
        self.stamps.get(s.file as usize) == Some(&s.stamp)
            && self.slots.get(s.file as usize).is_some_and(Option::is_some)
    }

    /// Rebuild the symbol buffer without dead names once they are the majority.
    fn maybe_compact(&mut self) {
        if self.symbols.dead * 2 <= self.symbols.syms.len() || self.symbols.syms.len() < 1024 {
            return;
        }
        let mut fresh = SymbolArena::default();
        for (id, e) in self.entries() {
            let stamp = self.stamps.get(id as usize).copied().unwrap_or(0);
            fresh.push(id, stamp, 0, &e.title);
            for (i, h) in e.headings.iter().enumerate() {
                fresh.push(id, stamp, i as u32 + 1, &h.text);
            }
        }
        self.symbols = fresh;
    }

    /// Remove the entry under `key` (no-op when absent).
    pub fn remove(&mut self, key: &str) -> Option<Entry> {
        let id = self.by_key.remove(key)?;
        let entry = self.slots.get_mut(id as usize)?.take()?;
        if let Some(u) = &entry.norm_url {
            remove_from(&mut self.by_url, u, id);
        }
        for l in &entry.links {
            remove_from(&mut self.linked_from, &l.target, id);
        }
        for i in &entry.images {
            remove_from(&mut self.image_users, &i.key, id);
        }
        self.symbols.dead += 1 + entry.headings.len();
        self.free.push(id);
        self.maybe_compact();
        Some(entry)
    }

    /// Remove every entry whose key starts with `prefix` (a deleted folder).
    pub fn remove_prefix(&mut self, prefix: &str) -> usize {
        let keys: Vec<Arc<str>> = self
            .by_key
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect();
        keys.iter().filter(|k| self.remove(k).is_some()).count()
    }

    /// Captures whose source URL matches `url` (after normalisation).
    pub fn captures_of_url(&self, url: &str) -> Vec<&Entry> {
        self.ids_of(&self.by_url, url)
            .filter_map(|id| self.get(id))
            .collect()
    }

    /// Every link in the workspace to `url` (fragments ignored): (capture, link).
    pub fn backlinks(&self, url: &str) -> Vec<(&Entry, &LinkEntry)> {
        let Some(norm) = normalize_url(url) else {
            return Vec::new();
        };
        self.ids_of(&self.linked_from, url)
            .filter_map(|id| self.get(id))
            .flat_map(|e| {
                e.links
                    .iter()
                    .filter(|l| *l.target == *norm)
                    .map(move |l| (e, l))
            })
            .collect()
    }

    /// Every use of the image `url` (original or proxied) in the workspace.
    pub fn image_users(&self, url: &str) -> Vec<(&Entry, &ImageEntry)> {
        let Some(norm) = normalize_url(&original_image_url(url)) else {
            return Vec::new();
        };
        self.ids_of(&self.image_users, &original_image_url(url))
            .filter_map(|id| self.get(id))
            .flat_map(|e| {
                e.images
                    .iter()
                    .filter(|i| *i.key == *norm)
                    .map(move |i| (e, i))
            })
            .collect()
    }

    /// Credits other captures give the image `url`, most common first, one per distinct
    /// credit (with the first capture that gives it).
    pub fn credits_for_image(&self, url: &str) -> Vec<CreditSource> {
        let mut out: Vec<(CreditSource, usize)> = Vec::new();
        for (e, i) in self.image_users(url) {
            let Some(credit) = i.credit.as_deref() else {
                continue;
            };
            match out.iter_mut().find(|(c, _)| c.credit == credit) {
                Some((_, n)) => *n += 1,
                None => out.push((
                    CreditSource {
                        credit: credit.to_string(),
                        key: e.key.clone(),
                        title: e.title.to_string(),
                    },
                    1,
                )),
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.credit.cmp(&b.0.credit)));
        out.into_iter().map(|(c, _)| c).collect()
    }

    fn ids_of(
        &self,
        map: &HashMap<Arc<str>, Vec<FileId>>,
        url: &str,
    ) -> std::vec::IntoIter<FileId> {
        let mut ids: Vec<FileId> = normalize_url(url)
            .and_then(|n| map.get(n.as_str()))
            .cloned()
            .unwrap_or_default();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
    }

    /// Titles and headings matching `query`, best first, at most `limit`.
    pub fn symbols(&self, query: &str, limit: usize) -> Vec<SymbolHit> {
        let m = Matcher::new(query);
        let arena = &self.symbols;
        // Candidate lines: where the first token occurs (substring) or, for an ASCII token,
        // where it occurs as a subsequence within one line.
        let candidates: Vec<usize> = match m.tokens.first() {
            None => (0..arena.syms.len()).collect(),
            Some(t) if !t.is_ascii() => {
                let mut c: Vec<usize> = memchr::memmem::find_iter(arena.text.as_bytes(), t)
                    .filter_map(|at| arena.sym_at(at))
                    .collect();
                c.dedup();
                c
            }
            Some(t) => subsequence_lines(arena, t),
        };
        // (score, file, 0 for the title or 1 + heading index): no allocation per candidate.
        let mut hits: Vec<(u32, FileId, u32)> = Vec::new();
        for i in candidates {
            let Some(sym) = arena.syms.get(i) else {
                continue;
            };
            if !self.sym_alive(sym) {
                continue;
            }
            let name = arena
                .text
                .get(sym.start as usize..sym.end as usize)
                .unwrap_or_default();
            if let Some(score) = m.score(name) {
                let bonus = if sym.idx == 0 { 5 } else { 0 };
                hits.push((score + bonus, sym.file, sym.idx));
            }
        }
        let name_of = |&(_, f, i): &(u32, FileId, u32)| -> &str {
            let Some(e) = self.get(f) else { return "" };
            match i.checked_sub(1) {
                None => &e.title,
                Some(h) => e.headings.get(h as usize).map(|h| &*h.text).unwrap_or(""),
            }
        };
        let order = |a: &(u32, FileId, u32), b: &(u32, FileId, u32)| {
            b.0.cmp(&a.0)
                .then_with(|| name_of(a).len().cmp(&name_of(b).len()))
                .then_with(|| (a.1, a.2).cmp(&(b.1, b.2)))
        };
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable_by(limit - 1, order);
        }
        hits.truncate(limit);
        hits.sort_by(order);
        hits.into_iter()
            .filter_map(|(score, file, i)| {
                let e = self.get(file)?;
                Some(match i.checked_sub(1) {
                    None => SymbolHit {
                        file,
                        name: e.title.to_string(),
                        level: None,
                        range: e.title_range,
                        container: e.url.as_deref().and_then(crate::ide::url::host),
                        score,
                    },
                    Some(h) => {
                        let h = e.headings.get(h as usize)?;
                        SymbolHit {
                            file,
                            name: h.text.to_string(),
                            level: Some(h.level),
                            range: h.range,
                            container: Some(e.title.to_string()),
                            score,
                        }
                    }
                })
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Matching

/// Indexes of the arena lines in which `token` (ASCII, lowercased) occurs as an ASCII
/// case-insensitive subsequence: one pass over the buffer, jumping with `memchr3`.
fn subsequence_lines(arena: &SymbolArena, token: &[u8]) -> Vec<usize> {
    let text = arena.text.as_bytes();
    let mut out = Vec::new();
    let mut line = 0usize;
    let mut k = 0usize; // matched bytes of the token in this line
    let mut pos = 0usize;
    while pos < text.len() {
        let Some(&q) = token.get(k) else {
            // Matched: record and skip to the next line.
            out.push(line);
            match memchr::memchr(b'\n', text.get(pos..).unwrap_or_default()) {
                Some(nl) => {
                    pos += nl + 1;
                    line += 1;
                    k = 0;
                    continue;
                }
                None => break,
            }
        };
        let rest = text.get(pos..).unwrap_or_default();
        let Some(found) = memchr::memchr3(q, q.to_ascii_uppercase(), b'\n', rest) else {
            break;
        };
        let at = pos + found;
        if text.get(at) == Some(&b'\n') {
            line += 1;
            k = 0;
        } else {
            k += 1;
        }
        pos = at + 1;
    }
    if k == token.len() && k > 0 && out.last() != Some(&line) {
        out.push(line);
    }
    out
}

/// Query matcher: each whitespace-separated token must match. A token with non-ASCII
/// characters (CJK) must occur as a substring; an ASCII token matches as a substring
/// (scored higher, more at a word start) or as a subsequence (fuzzy). Case-insensitive
/// for ASCII letters (the haystack is never copied or lowercased).
pub struct Matcher {
    tokens: Vec<Vec<u8>>,
}

impl Matcher {
    pub fn new(query: &str) -> Matcher {
        Matcher {
            tokens: query
                .split_whitespace()
                .map(|t| t.to_lowercase().into_bytes())
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The score of `text`, or `None` when it does not match. An empty query matches all.
    pub fn score(&self, text: &str) -> Option<u32> {
        if self.tokens.is_empty() {
            return Some(1);
        }
        let hay = text.as_bytes();
        let mut total = 0u32;
        for t in &self.tokens {
            total += token_score(t, hay)?;
        }
        if self.tokens.len() == 1
            && self
                .tokens
                .first()
                .is_some_and(|t| t.eq_ignore_ascii_case(hay))
        {
            total += 100;
        }
        Some(total)
    }
}

/// Find `needle` (ASCII-lowercased) in `hay`, ASCII case-insensitively.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0usize;
    while from < hay.len() {
        let window = hay.get(from..)?;
        let at = from + memchr::memchr2(first, first.to_ascii_uppercase(), window)?;
        let cand = hay.get(at + 1..at + 1 + rest.len());
        if cand.is_some_and(|c| c.eq_ignore_ascii_case(rest)) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn token_score(token: &[u8], hay: &[u8]) -> Option<u32> {
    if let Some(pos) = find_ci(hay, token) {
        let word_start = pos
            .checked_sub(1)
            .and_then(|p| hay.get(p))
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        let prefix = if pos == 0 { 20 } else { 0 };
        return Some(50 + prefix + if word_start { 20 } else { 0 });
    }
    if !token.is_ascii() {
        return None;
    }
    // Subsequence: score by contiguity and word starts.
    let mut score = 10u32;
    let mut last: Option<usize> = None;
    let mut hi = 0usize;
    for &q in token {
        let found = memchr::memchr2(q, q.to_ascii_uppercase(), hay.get(hi..)?)?;
        let at = hi + found;
        if last.is_some_and(|l| l + 1 == at) {
            score += 3;
        }
        let prev = at.checked_sub(1).and_then(|p| hay.get(p));
        if prev.is_none_or(|b| !b.is_ascii_alphanumeric()) {
            score += 4;
        }
        last = Some(at);
        hi = at + 1;
    }
    Some(score)
}

// ---------------------------------------------------------------------------------------
// Previews (markdown, for hover)

/// Markdown preview of a captured article: title, source, date, lede and top headings;
/// with `fragment`, the heading it points to.
pub fn link_preview(entry: &Entry, fragment: Option<&str>) -> String {
    let mut out = String::new();
    let title = if entry.title.is_empty() {
        "(untitled)"
    } else {
        &entry.title
    };
    out.push_str(&format!(
        "**Captured in workspace:** {}\n\n",
        md_escape(title)
    ));
    let date = entry.date_ms.and_then(crate::ide::iso_from_ms);
    let mut facts = Vec::new();
    if let Some(d) = date {
        facts.push(format!("published {d}"));
    }
    facts.push(format!("file `{}`", file_name(&entry.key)));
    out.push_str(&facts.join(" · "));
    out.push_str("\n\n");
    if let Some(h) = fragment.and_then(|f| entry.heading_for_fragment(f)) {
        out.push_str(&format!("→ section **{}**\n\n", md_escape(&h.text)));
    }
    if !entry.lede.is_empty() {
        out.push_str(&format!("> {}\n\n", md_escape(&entry.lede)));
    }
    let top: Vec<&HeadingEntry> = entry.headings.iter().take(6).collect();
    if !top.is_empty() {
        out.push_str("Sections:\n");
        for h in top {
            let indent = if h.level > 2 { "  " } else { "" };
            out.push_str(&format!("{indent}- {}\n", md_escape(&h.text)));
        }
        if entry.headings.len() > 6 {
            out.push_str(&format!("- … {} more\n", entry.headings.len() - 6));
        }
    }
    out.trim_end().to_string()
}

/// What the workspace says about a capture's own URL: captures linking here and other
/// captures of the same URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderBacklinks {
    /// Distinct captures (other than this one) that link to this URL: (key, title).
    pub linking: Vec<(Arc<str>, String)>,
    /// Number of links to this URL in the workspace.
    pub link_count: usize,
    /// Other captures of the same URL: (key, title, date).
    pub same_url: Vec<(Arc<str>, String, Option<i64>)>,
}

/// Backlinks and re-captures of the capture `key` whose source URL is `url`.
pub fn header_backlinks(index: &Index, key: &str, url: &str) -> HeaderBacklinks {
    let mut out = HeaderBacklinks::default();
    for (e, _) in index.backlinks(url) {
        if &*e.key == key {
            continue;
        }
        out.link_count += 1;
        if !out.linking.iter().any(|(k, _)| *k == e.key) {
            out.linking.push((e.key.clone(), e.title.to_string()));
        }
    }
    for e in index.captures_of_url(url) {
        if &*e.key != key {
            out.same_url
                .push((e.key.clone(), e.title.to_string(), e.date_ms));
        }
    }
    out
}

impl HeaderBacklinks {
    /// Markdown for the header hover; empty when there is nothing to say.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        if !self.linking.is_empty() {
            out.push_str(&format!(
                "**{} capture{} link here**\n",
                self.linking.len(),
                if self.linking.len() == 1 { "" } else { "s" }
            ));
            for (k, t) in self.linking.iter().take(8) {
                out.push_str(&format!("- {} (`{}`)\n", md_escape(t), file_name(k)));
            }
            if self.linking.len() > 8 {
                out.push_str(&format!("- … {} more\n", self.linking.len() - 8));
            }
        }
        if !self.same_url.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!(
                "**{} other capture{} of this URL**\n",
                self.same_url.len(),
                if self.same_url.len() == 1 { "" } else { "s" }
            ));
            for (k, _, d) in self.same_url.iter().take(8) {
                let date = d
                    .and_then(crate::ide::iso_from_ms)
                    .unwrap_or_else(|| "undated".into());
                out.push_str(&format!("- `{}` ({date})\n", file_name(k)));
            }
        }
        out.trim_end().to_string()
    }
}

/// The last path segment of a key (URI or path), percent-decoded.
pub fn file_name(key: &str) -> String {
    let last = key.rsplit('/').next().unwrap_or(key);
    percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests;
