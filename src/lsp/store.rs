//! The document store: open documents (their text, shared with the snapshots and analyses
//! of each version) with versions, and immutable snapshots from which every request
//! computes. Edits are applied synchronously, in arrival order.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, OnceLock};

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::ide::Analysis;
use crate::ide::credit_text::CreditRules;
use crate::lsp::convert;
use crate::syntax::Edit;
use crate::text::{Encoding, LineIndex};

/// One version of a document. Its index shares the version's text with the document and
/// the analysis (one copy of each version); the analysis is computed at most once, on first
/// demand.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub index: LineIndex,
    credit_rules: Arc<CreditRules>,
    analysis: OnceLock<Option<Arc<Analysis>>>,
    /// An earlier version's analysis and the edit from its text to this one: the analysis
    /// starts from it (re-parsing only the region the edit touched) and then drops it.
    base: Mutex<Option<Base>>,
}

/// An analysed earlier version and the single edit that turns its text into the current one.
pub struct Base {
    pub analysis: Arc<Analysis>,
    pub edit: Edit,
}

/// Documents at least this large build their line table on a second thread while they are
/// analysed.
const PARALLEL_LINE_TABLE: usize = 256 * 1024;

impl Snapshot {
    /// The analysis of this version, computed on first use. `None` when the analysis
    /// panicked (logged; the request answers `null` and the server keeps serving).
    pub fn analysis(&self) -> Option<Arc<Analysis>> {
        self.analysis
            .get_or_init(|| {
                // Responses convert every position through the line table: on a large
                // document build it on another core meanwhile (the two share nothing
                // mutable).
                if self.index.len() < PARALLEL_LINE_TABLE {
                    return self.analyse();
                }
                std::thread::scope(|scope| {
                    scope.spawn(|| self.index.prepare());
                    self.analyse()
                })
            })
            .clone()
    }

    fn analyse(&self) -> Option<Arc<Analysis>> {
        let started = std::time::Instant::now();
        let text = self.index.text().clone();
        let base = self.base.lock().unwrap_or_else(|e| e.into_inner()).take();
        let rules = &self.credit_rules;
        let incremental = base.and_then(|b| {
            catch_unwind(AssertUnwindSafe(|| {
                Analysis::reparse(b.analysis, text.clone(), b.edit, rules)
            }))
            .inspect_err(|_| {
                tracing::error!(uri = self.uri.as_str(), "incremental analysis panicked")
            })
            .ok()
        });
        if let Some(a) = incremental {
            tracing::debug!(
                uri = self.uri.as_str(),
                version = self.version,
                parse = ?a.parse,
                elapsed = ?started.elapsed(),
                "analysed"
            );
            return Some(Arc::new(a));
        }
        match catch_unwind(AssertUnwindSafe(|| Analysis::with_rules(text, rules))) {
            Ok(a) => {
                tracing::debug!(
                    uri = self.uri.as_str(),
                    version = self.version,
                    elapsed = ?started.elapsed(),
                    "analysed from scratch"
                );
                Some(Arc::new(a))
            }
            Err(_) => {
                tracing::error!(uri = self.uri.as_str(), "analysis panicked");
                None
            }
        }
    }

    /// The analysis if it was already computed (never computes it).
    pub fn computed(&self) -> Option<Arc<Analysis>> {
        self.analysis.get().cloned().flatten()
    }

    /// This version's text (shared, not copied).
    pub fn text(&self) -> &str {
        self.index.text()
    }
}

struct Document {
    /// The current text, and its line table once a conversion built it (edits convert
    /// their positions with it).
    index: LineIndex,
    version: i32,
    snapshot: Option<Arc<Snapshot>>,
    /// The latest analysis and the edits since, until the next snapshot takes them.
    pending: Option<Base>,
}

/// Why an edit was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    UnknownDocument,
    StaleVersion { current: i32, got: i32 },
}

#[derive(Default)]
pub struct Store {
    docs: Mutex<HashMap<Uri, Document>>,
    /// Credit tables from the settings; every analysis uses the current ones.
    credit_rules: Mutex<Arc<CreditRules>>,
}

impl Store {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replace the credit tables (after a settings change). Open documents are analysed
    /// again on next use.
    pub fn set_credit_rules(&self, rules: CreditRules) {
        let mut current = self.credit_rules.lock().unwrap_or_else(|e| e.into_inner());
        if **current == rules {
            return;
        }
        *current = Arc::new(rules);
        drop(current);
        for doc in self.lock().values_mut() {
            doc.snapshot = None;
        }
    }

    pub fn open(&self, uri: Uri, version: i32, text: &str) {
        self.lock().insert(
            uri,
            Document {
                index: LineIndex::new(text),
                version,
                snapshot: None,
                pending: None,
            },
        );
    }

    pub fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    /// Apply content changes (incremental or full) in order. Versions must increase.
    /// Returns the previous version's snapshot, if one was taken.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> Result<Option<Arc<Snapshot>>, EditError> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri).ok_or(EditError::UnknownDocument)?;
        if version <= doc.version {
            return Err(EditError::StaleVersion {
                current: doc.version,
                got: version,
            });
        }
        // Start from the freshest analysis: the replaced snapshot's, else the one it had
        // not used yet, else the one still pending.
        let old = doc.snapshot.take();
        let mut base = old
            .as_ref()
            .and_then(|s| {
                s.computed().map(|analysis| (analysis, None)).or_else(|| {
                    let b = s.base.lock().unwrap_or_else(|e| e.into_inner()).take()?;
                    Some((b.analysis, Some(b.edit)))
                })
            })
            .or_else(|| doc.pending.take().map(|b| (b.analysis, Some(b.edit))));
        for change in changes {
            match apply_change(&mut doc.index, change, enc) {
                Some(edit) => {
                    if let Some((_, acc)) = base.as_mut() {
                        *acc = Some(acc.map_or(edit, |a| a.then(edit)));
                    }
                }
                None => base = None,
            }
        }
        doc.pending = base.and_then(|(analysis, edit)| {
            Some(Base {
                analysis,
                edit: edit?,
            })
        });
        doc.version = version;
        // The replaced snapshot is handed back so that the caller can drop it off the hot
        // path, not under this lock; when nothing else holds it, drop it here so that its
        // analysis can be reused in place rather than copied.
        Ok(match old {
            Some(s) if doc.pending.is_some() => Arc::try_unwrap(s).err(),
            other => other,
        })
    }

    /// The current snapshot of a document, or `None` when it is not open.
    pub fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        if let Some(s) = &doc.snapshot {
            return Some(s.clone());
        }
        let credit_rules = self
            .credit_rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let snap = Arc::new(Snapshot {
            uri: uri.clone(),
            version: doc.version,
            index: doc.index.clone(),
            credit_rules,
            analysis: OnceLock::new(),
            base: Mutex::new(doc.pending.take()),
        });
        doc.snapshot = Some(snap.clone());
        Some(snap)
    }

    /// Size in bytes of an open document.
    pub fn len(&self, uri: &Uri) -> Option<usize> {
        self.lock().get(uri).map(|d| d.index.len())
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.lock().get(uri).map(|d| d.version)
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }
}

/// Apply one LSP content change to a document's text (a new text, and a new index over
/// it). Out-of-range positions clamp; an inverted range is normalised. Never panics.
/// Returns the edit in byte offsets, or `None` for a whole-document replacement.
pub fn apply_change(
    doc: &mut LineIndex,
    change: &TextDocumentContentChangeEvent,
    enc: Encoding,
) -> Option<Edit> {
    match change.range {
        None => {
            *doc = LineIndex::new(&change.text);
            None
        }
        Some(range) => {
            let a = doc.offset(convert::line_col(range.start), enc);
            let b = doc.offset(convert::line_col(range.end), enc);
            let (start, end) = if a <= b { (a, b) } else { (b, a) };
            let old = doc.text();
            let mut text = String::with_capacity(old.len() - (end - start) + change.text.len());
            text.push_str(&old[..start]);
            text.push_str(&change.text);
            text.push_str(&old[end..]);
            *doc = LineIndex::new(&text);
            Some(Edit::new(start, end, change.text.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::ParseKind;
    use tower_lsp_server::ls_types::{Position, Range};

    const TEXT: &str = include_str!("../../tests/fixtures/seed_like.capture");

    fn uri() -> Uri {
        "file:///tmp/store-test.capture".parse().expect("uri")
    }

    /// An LSP change replacing `text[start..end]` (UTF-16 positions).
    fn change(text: &str, start: usize, end: usize, new: &str) -> TextDocumentContentChangeEvent {
        let index = LineIndex::new(text);
        let pos = |o: usize| {
            let lc = index.line_col(o, Encoding::Utf16);
            Position::new(lc.line, lc.col)
        };
        TextDocumentContentChangeEvent {
            range: Some(Range::new(pos(start), pos(end))),
            range_length: None,
            text: new.to_string(),
        }
    }

    /// The analysis of the document's current version.
    fn analysed(store: &Store) -> Arc<Analysis> {
        store
            .snapshot(&uri())
            .and_then(|s| s.analysis())
            .expect("analysis")
    }

    fn assert_same_as_full(a: &Analysis) {
        let full = Analysis::new(&a.text);
        assert_eq!(format!("{:?}", a.capture), format!("{:?}", full.capture));
        assert_eq!(format!("{:?}", a.article), format!("{:?}", full.article));
    }

    #[test]
    fn an_edit_in_a_paragraph_is_spliced_into_the_previous_tree() {
        let store = Store::default();
        store.open(uri(), 1, TEXT);
        let first = analysed(&store);
        assert_eq!(first.parse, ParseKind::Full);
        drop(first);
        let at = TEXT.find("港口恢复运作").expect("paragraph");
        store
            .change(&uri(), 2, &[change(TEXT, at, at, "新")], Encoding::Utf16)
            .expect("change");
        let a = analysed(&store);
        assert!(matches!(a.parse, ParseKind::Spliced { .. }));
        assert!(a.text.contains("新港口恢复运作"));
        assert_same_as_full(&a);
    }

    #[test]
    fn edits_between_analyses_merge_into_one() {
        let store = Store::default();
        store.open(uri(), 1, TEXT);
        analysed(&store);
        let mut text = TEXT.to_string();
        let mut version = 1;
        for word in ["甲", "乙", "丙"] {
            let at = text.find("工程师说").expect("paragraph");
            let c = change(&text, at, at, word);
            text.insert_str(at, word);
            version += 1;
            store
                .change(&uri(), version, &[c], Encoding::Utf16)
                .expect("change");
            // A snapshot taken but never analysed hands its edit on.
            store.snapshot(&uri());
        }
        let a = analysed(&store);
        assert_eq!(&*a.text, text);
        assert!(matches!(a.parse, ParseKind::Spliced { .. }));
        assert_same_as_full(&a);
    }

    /// Open `TEXT`, analyse it, delete the byte at `at` and analyse the new version.
    fn analysed_after_deleting(at: usize) -> Arc<Analysis> {
        let store = Store::default();
        store.open(uri(), 1, TEXT);
        analysed(&store);
        store
            .change(&uri(), 2, &[change(TEXT, at, at + 1, "")], Encoding::Utf16)
            .expect("change");
        analysed(&store)
    }

    #[test]
    fn a_broken_end_tag_moves_what_follows_without_a_full_parse() {
        // `</div>` → `</dv>`: the div stays open and swallows what follows.
        let at = TEXT.find("运作。</p></div>").expect("paragraph") + "运作。</p></d".len();
        let a = analysed_after_deleting(at);
        assert!(
            matches!(a.parse, ParseKind::Spliced { .. }),
            "{:?}",
            a.parse
        );
        assert_same_as_full(&a);
    }

    #[test]
    fn a_broken_formatting_end_tag_is_parsed_whole() {
        // `</a>` → `</>`: the link stays in the list of active formatting elements, and
        // every later text gets a clone of it.
        let at = TEXT.find("重建计划</a>").expect("link") + "重建计划</".len();
        let a = analysed_after_deleting(at);
        assert!(matches!(a.parse, ParseKind::Refused(_)), "{:?}", a.parse);
        assert_same_as_full(&a);
    }
}
