//! The workspace index at the protocol layer: background indexing of the workspace folders
//! (`ignore` walk: `.gitignore`, hidden files, include/exclude globs; captures detected by
//! content), `$/progress` reports, updates from open documents (which override the disk),
//! watched-file events and file operations, and the handlers for `workspace/symbol`,
//! `textDocument/definition`, `textDocument/references` and `textDocument/codeLens`.
//!
//! Indexing runs on its own OS threads, committing entries in small batches under a short
//! write lock, so requests keep being served while it runs.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use ignore::WalkBuilder;
use ignore::overrides::{Override, OverrideBuilder};
use serde::Deserialize;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

use crate::ide::workspace::{self as ws, Entry, Index, Span};
use crate::lsp::store::Store;
use crate::text::Encoding;

/// Files larger than this are not indexed.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Entries committed per write lock while indexing.
const BATCH: usize = 128;
/// Results returned by `workspace/symbol`.
const SYMBOL_LIMIT: usize = 256;

/// Workspace indexing options, from `initializationOptions.workspace` (or
/// `initializationOptions.index`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IndexOptions {
    /// Globs of files to index (relative to a workspace folder); empty: every file.
    pub include: Vec<String>,
    /// Globs of files and folders to leave out (on top of `.gitignore`).
    pub exclude: Vec<String>,
    /// Do not index the workspace folders at all (open documents are still indexed).
    pub disabled: bool,
    /// Indexing threads; 0: one less than the cores (at least one).
    pub threads: usize,
}

impl IndexOptions {
    pub fn from_init(init: Option<&serde_json::Value>) -> IndexOptions {
        init.and_then(|v| v.get("workspace").or_else(|| v.get("index")))
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }
}

/// What the client can do, as far as the workspace features care.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCaps {
    pub work_done_progress: bool,
    pub watch_dynamic: bool,
    pub code_lens_refresh: bool,
}

impl ClientCaps {
    pub fn from_params(params: &InitializeParams) -> ClientCaps {
        let c = &params.capabilities;
        ClientCaps {
            work_done_progress: c
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_dynamic: c
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            code_lens_refresh: c
                .workspace
                .as_ref()
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|l| l.refresh_support)
                .unwrap_or(false),
        }
    }
}

/// The shared workspace state.
#[derive(Default)]
pub struct Workspace {
    index: RwLock<Index>,
    roots: Mutex<Vec<PathBuf>>,
    options: RwLock<IndexOptions>,
    caps: RwLock<ClientCaps>,
    /// Bumped on every change of the index.
    generation: AtomicU64,
    /// Builds in flight.
    building: AtomicUsize,
    progress_seq: AtomicU64,
}

/// The index key of a document: its URI, re-encoded from the file path for `file:` URIs
/// so that the client's and our encodings of the same path agree.
pub fn key_of(uri: &Uri) -> String {
    uri.to_file_path()
        .and_then(|p| Uri::from_file_path(p.as_ref()))
        .map(|u| u.as_str().to_string())
        .unwrap_or_else(|| uri.as_str().to_string())
}

fn key_of_path(path: &Path) -> Option<String> {
    Uri::from_file_path(path).map(|u| u.as_str().to_string())
}

fn uri_of_key(key: &str) -> Option<Uri> {
    key.parse().ok()
}

impl Workspace {
    pub fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        self.index.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn is_building(&self) -> bool {
        self.building.load(Ordering::Acquire) > 0
    }

    pub fn configure(&self, roots: Vec<PathBuf>, options: IndexOptions, caps: ClientCaps) {
        if let Ok(mut r) = self.roots.lock() {
            *r = roots;
        }
        if let Ok(mut o) = self.options.write() {
            *o = options;
        }
        if let Ok(mut c) = self.caps.write() {
            *c = caps;
        }
    }

    pub fn caps(&self) -> ClientCaps {
        self.caps.read().map(|c| *c).unwrap_or_default()
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        self.roots.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn options(&self) -> IndexOptions {
        self.options.read().map(|o| o.clone()).unwrap_or_default()
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Index (or re-index) a document from its text (an open document). A text that is
    /// not a capture removes the entry.
    pub fn update_text(&self, key: &str, text: &str) {
        let entry = std::panic::catch_unwind(|| Entry::from_text(key, text))
            .ok()
            .flatten();
        let mut ix = self.write();
        match entry {
            Some(e) => {
                ix.insert(e);
            }
            None => {
                ix.remove(key);
            }
        }
        drop(ix);
        self.bump();
    }

    /// Re-read a file from disk (a closed document, or a watched-file event). Files outside
    /// the workspace folders, filtered out, unreadable or not captures are removed.
    pub fn update_path(&self, path: &Path, store: &Store) {
        let Some(key) = key_of_path(path) else { return };
        if let Some(uri) = uri_of_key(&key)
            && store.version(&uri).is_some()
        {
            return; // open documents override the disk
        }
        let filter = self.filter_for(path);
        let entry = if filter.is_some_and(|f| f.accepts(path)) {
            read_entry(path, &key)
        } else {
            None
        };
        let mut ix = self.write();
        store_entry(&mut ix, &key, entry);
        drop(ix);
        self.bump();
    }

    /// A path was deleted: drop its entry, or every entry under it (a folder).
    pub fn remove_path(&self, path: &Path) {
        let Some(key) = key_of_path(path) else { return };
        let mut ix = self.write();
        ix.remove(&key);
        let prefix = format!("{}/", key.trim_end_matches('/'));
        ix.remove_prefix(&prefix);
        drop(ix);
        self.bump();
    }

    /// A document was closed: the disk is the truth again (outside the workspace folders
    /// the entry goes away).
    pub fn close(&self, uri: &Uri, store: &Store) {
        match uri.to_file_path() {
            Some(p) if self.filter_for(&p).is_some() => self.update_path(&p, store),
            _ => {
                self.write().remove(&key_of(uri));
                self.bump();
            }
        }
    }

    /// The filter of the workspace folder holding `path`, if any.
    fn filter_for(&self, path: &Path) -> Option<Filter> {
        let roots = self.roots();
        let root = roots.iter().find(|r| path.starts_with(r))?;
        Some(Filter::new(root, &self.options()))
    }

    /// Walk `root` and index every capture in it, on `threads` threads, calling `progress`
    /// with (done, total) now and then. Blocking: call from a dedicated thread.
    pub fn build_root(&self, root: &Path, store: &Store, progress: &(dyn Fn(usize, usize) + Sync)) {
        let options = self.options();
        let filter = Filter::new(root, &options);
        let files = walk(root, &filter);
        let total = files.len();
        progress(0, total);
        let threads = match options.threads {
            0 => std::thread::available_parallelism()
                .map(|n| n.get().saturating_sub(1).max(1))
                .unwrap_or(1),
            n => n,
        };
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let chunk = 64;
        std::thread::scope(|s| {
            for _ in 0..threads.min(total.max(1)) {
                s.spawn(|| {
                    let mut batch: Vec<Entry> = Vec::with_capacity(BATCH);
                    loop {
                        let start = next.fetch_add(chunk, Ordering::AcqRel);
                        if start >= total {
                            break;
                        }
                        let end = (start + chunk).min(total);
                        for path in files.get(start..end).unwrap_or_default() {
                            if let Some(key) = key_of_path(path)
                                && let Some(e) = read_entry(path, &key)
                            {
                                batch.push(e);
                            }
                        }
                        if batch.len() >= BATCH {
                            self.commit(&mut batch, store);
                        }
                        let d = done.fetch_add(end - start, Ordering::AcqRel) + (end - start);
                        progress(d, total);
                    }
                    self.commit(&mut batch, store);
                });
            }
        });
        progress(total, total);
    }

    fn commit(&self, batch: &mut Vec<Entry>, store: &Store) {
        if batch.is_empty() {
            return;
        }
        let mut ix = self.write();
        for e in batch.drain(..) {
            // Open documents override the disk (they were indexed from their text). Checked
            // under the index lock, so a document opened meanwhile is not overwritten.
            let is_open = uri_of_key(&e.key).is_some_and(|u| store.version(&u).is_some());
            if !is_open {
                ix.insert(e);
            }
        }
        drop(ix);
        self.bump();
    }

    /// Index every workspace folder in the background, reporting `$/progress`.
    pub fn spawn_build(self: &Arc<Self>, roots: Vec<PathBuf>, store: Arc<Store>, client: Client) {
        if roots.is_empty() || self.options().disabled {
            return;
        }
        self.building.fetch_add(1, Ordering::AcqRel);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
        let this = self.clone();
        std::thread::Builder::new()
            .name("capture-index".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let last = Mutex::new(std::time::Instant::now());
                let report = |done: usize, total: usize| {
                    let mut l = last.lock().unwrap_or_else(|e| e.into_inner());
                    if done == 0 || done >= total || l.elapsed().as_millis() >= 200 {
                        *l = std::time::Instant::now();
                        let _ = tx.send((done, total));
                    }
                };
                for root in &roots {
                    this.build_root(root, &store, &report);
                }
                tracing::info!(
                    captures = this.read().len(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "workspace indexed"
                );
                this.building.fetch_sub(1, Ordering::AcqRel);
                this.bump();
            })
            .map_err(|e| tracing::error!("cannot start the indexer: {e}"))
            .ok();
        let caps = self.caps();
        let seq = self.progress_seq.fetch_add(1, Ordering::AcqRel);
        tokio::spawn(async move {
            let token = NumberOrString::String(format!("capture-lsp/index/{seq}"));
            let progress = if caps.work_done_progress
                && client
                    .create_work_done_progress(token.clone())
                    .await
                    .is_ok()
            {
                Some(
                    client
                        .progress(token, "Indexing captures")
                        .with_percentage(0)
                        .begin()
                        .await,
                )
            } else {
                None
            };
            let mut last = (0, 0);
            while let Some((done, total)) = rx.recv().await {
                last = (done, total);
                if let Some(p) = &progress {
                    let pct = (done * 100).checked_div(total).unwrap_or(100) as u32;
                    p.report_with_message(format!("{done}/{total} files"), pct)
                        .await;
                }
            }
            if let Some(p) = progress {
                p.finish_with_message(format!("{} files scanned", last.1))
                    .await;
            }
            if caps.code_lens_refresh {
                let _ = client.code_lens_refresh().await;
            }
        });
    }
}

/// Read a file and build its entry, if it is a capture. Looks at the first 4 KB first so
/// that binaries and other text files cost one small read.
fn read_entry(path: &Path, key: &str) -> Option<Entry> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = vec![0u8; 4096];
    let mut n = 0;
    while n < head.len() {
        match file.read(head.get_mut(n..)?) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return None,
        }
    }
    head.truncate(n);
    if head.contains(&0) {
        return None;
    }
    if !crate::syntax::header::looks_like_capture(&String::from_utf8_lossy(&head)) {
        return None;
    }
    let mut bytes = head;
    file.read_to_end(&mut bytes).ok()?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    std::panic::catch_unwind(|| Entry::from_text(key, &text))
        .ok()
        .flatten()
}

/// Include/exclude globs of one workspace folder.
#[derive(Clone)]
struct Filter {
    root: PathBuf,
    overrides: Option<Override>,
}

impl Filter {
    fn new(root: &Path, options: &IndexOptions) -> Filter {
        let mut b = OverrideBuilder::new(root);
        let mut any = false;
        for g in &options.include {
            any |= b.add(g).is_ok();
        }
        for g in &options.exclude {
            any |= b.add(&format!("!{}", g.trim_start_matches('!'))).is_ok();
        }
        Filter {
            root: root.to_path_buf(),
            overrides: if any { b.build().ok() } else { None },
        }
    }

    /// Whether a single path (from a watcher event) passes the globs, `.gitignore` aside
    /// from the hidden-file rule.
    fn accepts(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return false;
        }
        match &self.overrides {
            Some(o) => {
                // Check the file and each of its folders against exclusions.
                let mut p = self.root.clone();
                for c in rel.components() {
                    p.push(c);
                    let is_dir = p != path;
                    if o.matched(&p, is_dir).is_ignore() {
                        return false;
                    }
                }
                !o.matched(path, false).is_ignore()
            }
            None => true,
        }
    }
}

fn walk(root: &Path, filter: &Filter) -> Vec<PathBuf> {
    let mut b = WalkBuilder::new(root);
    // Ignore files inside the folder count; nothing outside it is read (no parent
    // directories' ignore files, no global git configuration).
    b.hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .parents(false)
        .ignore(true)
        .require_git(false)
        .follow_links(false);
    if let Some(o) = &filter.overrides {
        b.overrides(o.clone());
    }
    b.build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Conversions

fn pos(p: ws::Pos, enc: Encoding) -> Position {
    Position {
        line: p.line,
        character: match enc {
            Encoding::Utf8 => p.utf8,
            Encoding::Utf16 => p.utf16,
            Encoding::Utf32 => p.utf32,
        },
    }
}

fn range(s: Span, enc: Encoding) -> Range {
    Range {
        start: pos(s.start, enc),
        end: pos(s.end, enc),
    }
}

fn location(key: &str, s: Span, enc: Encoding) -> Option<Location> {
    Some(Location {
        uri: uri_of_key(key)?,
        range: range(s, enc),
    })
}

// ---------------------------------------------------------------------------------------
// Handlers (called from the server with the document's current text where needed)

/// `workspace/symbol`.
pub fn symbols(ws: &Workspace, query: &str, enc: Encoding) -> Vec<SymbolInformation> {
    let ix = ws.read();
    ix.symbols(query, SYMBOL_LIMIT)
        .into_iter()
        .filter_map(|h| {
            let e = ix.get(h.file)?;
            #[allow(deprecated)]
            Some(SymbolInformation {
                name: h.name,
                kind: if h.level.is_none() {
                    SymbolKind::FILE
                } else {
                    SymbolKind::STRING
                },
                tags: None,
                deprecated: None,
                location: location(&e.key, h.range, enc)?,
                container_name: h.container,
            })
        })
        .collect()
}

/// What sits at an offset of the current document, for definition and references.
enum Target {
    Link {
        url: String,
        fragment: Option<String>,
    },
    Image {
        url: String,
    },
    Header {
        url: String,
    },
}

fn target_at(key: &str, text: &str, offset: usize) -> Option<Target> {
    let e = Entry::from_text(key, text)?;
    let hit = |s: &Span| s.range.start <= offset && offset <= s.range.end;
    if let Some(l) = e.links.iter().find(|l| hit(&l.range)) {
        return Some(Target::Link {
            url: l.target.to_string(),
            fragment: l.fragment.as_deref().map(str::to_string),
        });
    }
    if let Some(i) = e.images.iter().find(|i| hit(&i.range)) {
        return Some(Target::Image {
            url: i.key.to_string(),
        });
    }
    if offset <= e.title_range.range.end.max(1) || hit(&e.title_range) {
        return Some(Target::Header {
            url: e.url.as_deref()?.to_string(),
        });
    }
    None
}

/// `textDocument/definition`: a link → the capture(s) of its target (the heading of a
/// `#fragment`); an image → other captures holding the same image.
pub fn definition(
    ws: &Workspace,
    uri: &Uri,
    text: &str,
    offset: usize,
    enc: Encoding,
) -> Vec<Location> {
    let key = key_of(uri);
    let ix = ws.read();
    match target_at(&key, text, offset) {
        Some(Target::Link { url, fragment }) => ix
            .captures_of_url(&url)
            .into_iter()
            .filter_map(|e| {
                let span = fragment
                    .as_deref()
                    .and_then(|f| e.heading_for_fragment(f))
                    .map(|h| h.range)
                    .unwrap_or(e.title_range);
                location(&e.key, span, enc)
            })
            .collect(),
        Some(Target::Image { url }) => ix
            .image_users(&url)
            .into_iter()
            .filter(|(e, _)| *e.key != *key)
            .filter_map(|(e, i)| location(&e.key, i.range, enc))
            .collect(),
        Some(Target::Header { .. }) | None => Vec::new(),
    }
}

/// `textDocument/references`: on the header → every link to this article; on an image →
/// every use of the image; on a link → every link to the same target.
pub fn references(
    ws: &Workspace,
    uri: &Uri,
    text: &str,
    offset: usize,
    include_declaration: bool,
    enc: Encoding,
) -> Vec<Location> {
    let key = key_of(uri);
    let ix = ws.read();
    match target_at(&key, text, offset) {
        Some(Target::Header { url }) => {
            let mut out: Vec<Location> = Vec::new();
            if include_declaration {
                out.extend(
                    ix.captures_of_url(&url)
                        .into_iter()
                        .filter_map(|e| location(&e.key, e.title_range, enc)),
                );
            }
            out.extend(
                ix.backlinks(&url)
                    .into_iter()
                    .filter_map(|(e, l)| location(&e.key, l.range, enc)),
            );
            out
        }
        Some(Target::Link { url, .. }) => ix
            .backlinks(&url)
            .into_iter()
            .filter_map(|(e, l)| location(&e.key, l.range, enc))
            .collect(),
        Some(Target::Image { url }) => ix
            .image_users(&url)
            .into_iter()
            .filter_map(|(e, i)| location(&e.key, i.range, enc))
            .collect(),
        None => Vec::new(),
    }
}

/// `textDocument/codeLens`: "N captures link here" on the header.
pub fn code_lens(ws: &Workspace, uri: &Uri, enc: Encoding) -> Vec<CodeLens> {
    let key = key_of(uri);
    let ix = ws.read();
    let Some(e) = ix.entry(&key) else {
        return Vec::new();
    };
    let Some(url) = e.url.as_deref() else {
        return Vec::new();
    };
    let hb = ws::header_backlinks(&ix, &key, url);
    let n = hb.linking.len();
    let mut title = format!(
        "{n} capture{} link{} here",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" }
    );
    if !hb.same_url.is_empty() {
        title.push_str(&format!(
            " · {} other capture(s) of this URL",
            hb.same_url.len()
        ));
    }
    vec![CodeLens {
        range: range(e.title_range, enc),
        command: Some(Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    }]
}

/// Register a watcher for every file in the workspace (captures have any extension).
pub async fn register_watchers(client: &Client) {
    let opts = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/*".into()),
            kind: None,
        }],
    };
    let Ok(value) = serde_json::to_value(opts) else {
        return;
    };
    let reg = Registration {
        id: "capture-lsp/watch".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: Some(value),
    };
    if let Err(e) = client.register_capability(vec![reg]).await {
        tracing::warn!("could not register file watchers: {e}");
    }
}

/// Apply `workspace/didChangeWatchedFiles` events.
pub fn watched_files(ws: &Workspace, store: &Store, changes: &[FileEvent]) {
    for c in changes {
        let Some(path) = c.uri.to_file_path() else {
            continue;
        };
        if c.typ == FileChangeType::DELETED {
            ws.remove_path(&path);
        } else if path.is_dir() {
            rescan_dir(ws, store, &path);
        } else {
            ws.update_path(&path, store);
        }
    }
}

fn rescan_dir(ws: &Workspace, store: &Store, dir: &Path) {
    let filter = match ws.filter_for(dir) {
        Some(f) => f,
        None => return,
    };
    for p in walk(dir, &filter) {
        ws.update_path(&p, store);
    }
}

/// File operations (`workspace/didCreateFiles`, `didRenameFiles`, `didDeleteFiles`).
pub fn created(ws: &Workspace, store: &Store, uris: impl Iterator<Item = Uri>) {
    for u in uris {
        if let Some(p) = u.to_file_path() {
            if p.is_dir() {
                rescan_dir(ws, store, &p);
            } else {
                ws.update_path(&p, store);
            }
        }
    }
}

pub fn deleted(ws: &Workspace, uris: impl Iterator<Item = Uri>) {
    for u in uris {
        if let Some(p) = u.to_file_path() {
            ws.remove_path(&p);
        }
    }
}

/// The capability for the file operations we follow.
pub fn file_operations() -> WorkspaceFileOperationsServerCapabilities {
    let filter = FileOperationRegistrationOptions {
        filters: vec![FileOperationFilter {
            scheme: Some("file".into()),
            pattern: FileOperationPattern {
                glob: "**/*".into(),
                matches: None,
                options: None,
            },
        }],
    };
    WorkspaceFileOperationsServerCapabilities {
        did_create: Some(filter.clone()),
        did_rename: Some(filter.clone()),
        did_delete: Some(filter),
        ..Default::default()
    }
}

/// Workspace folders from the initialize request (falling back to `rootUri`).
#[allow(deprecated)]
pub fn roots_of(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    if roots.is_empty()
        && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
    {
        roots.push(p.into_owned());
    }
    roots
}

// ---------------------------------------------------------------------------------------
// Glue for the server's notification handlers (each a one-liner there)

/// Re-index an open document from its current text, off the async runtime. A result for
/// a version that has since changed is dropped (the newer edit schedules its own).
pub fn on_text(ws: &Arc<Workspace>, store: &Arc<Store>, uri: &Uri) {
    let (ws, store, uri) = (ws.clone(), store.clone(), uri.clone());
    // Only workspace queries need the open document's entry: index it when typing pauses,
    // not on every keystroke (a newer version schedules its own run).
    let version = store.version(&uri);
    tokio::spawn(async move {
        tokio::time::sleep(REINDEX_DEBOUNCE).await;
        if store.version(&uri) != version {
            return;
        }
        let Some(snap) = store.snapshot(&uri) else {
            return;
        };
        reindex_open(ws, store, uri, snap).await;
    });
}

/// How long an edited document waits before its index entry is refreshed.
const REINDEX_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(250);

async fn reindex_open(
    ws: Arc<Workspace>,
    store: Arc<Store>,
    uri: Uri,
    snap: Arc<crate::lsp::store::Snapshot>,
) {
    let _ = tokio::task::spawn_blocking(move || {
        let key = key_of(&uri);
        let text = snap.text();
        let entry = std::panic::catch_unwind(|| Entry::from_text(&key, text))
            .ok()
            .flatten();
        let mut ix = ws.write();
        if store.version(&uri) != Some(snap.version) {
            return;
        }
        store_entry(&mut ix, &key, entry);
        drop(ix);
        ws.bump();
    })
    .await;
}

/// A document was closed: index the file on disk again (or forget it), off the runtime.
pub fn on_close(ws: &Arc<Workspace>, store: &Arc<Store>, uri: &Uri) {
    let (ws, store, uri) = (ws.clone(), store.clone(), uri.clone());
    tokio::task::spawn_blocking(move || ws.close(&uri, &store));
}

/// After `initialized`: register file watchers when the client allows, then index the
/// workspace folders in the background.
pub async fn on_initialized(ws: &Arc<Workspace>, store: &Arc<Store>, client: &Client) {
    if ws.caps().watch_dynamic {
        register_watchers(client).await;
    }
    ws.spawn_build(ws.roots(), store.clone(), client.clone());
}

/// Workspace folders added or removed.
pub fn on_folders(
    ws: &Arc<Workspace>,
    store: &Arc<Store>,
    client: &Client,
    event: &WorkspaceFoldersChangeEvent,
) {
    let removed: Vec<PathBuf> = event
        .removed
        .iter()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    let added: Vec<PathBuf> = event
        .added
        .iter()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    if let Ok(mut roots) = ws.roots.lock() {
        roots.retain(|r| !removed.contains(r));
        roots.extend(added.iter().cloned());
    }
    for r in &removed {
        ws.remove_path(r);
    }
    ws.spawn_build(added, store.clone(), client.clone());
}

/// Run a blocking workspace query off the runtime; `None` when it panicked.
pub async fn query<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)))
        .await
        .ok()
        .and_then(Result::ok)
}

/// Put a capture's fresh entry in the index, or forget the file when it is no capture.
fn store_entry(ix: &mut Index, key: &str, entry: Option<Entry>) {
    match entry {
        Some(e) => {
            ix.insert(e);
        }
        None => {
            ix.remove(key);
        }
    }
}

/// What other captures in the workspace add to a hover: the captured target of a link,
/// backlinks and re-captures of this article, a credit for the same image.
pub fn hover_extra(
    index: &crate::ide::workspace::Index,
    key: &str,
    subject: &crate::ide::hover::Subject,
) -> Option<String> {
    use crate::ide::hover::Subject;
    match subject {
        Subject::Link { url, fragment } => {
            let entry = index
                .captures_of_url(url)
                .into_iter()
                .find(|e| &*e.key != key)?;
            Some(crate::ide::workspace::link_preview(
                entry,
                fragment.as_deref(),
            ))
        }
        Subject::SourceUrl(url) => {
            let md = crate::ide::workspace::header_backlinks(index, key, url).to_markdown();
            (!md.is_empty()).then_some(md)
        }
        Subject::UncreditedImage(url) => {
            let found = index.credits_for_image(url);
            let first = found.iter().find(|c| &*c.key != key)?;
            Some(format!(
                "**Credit recovered** from another capture of the same image: **{}** (in “{}”); a quick fix can add it here.",
                first.credit, first.title
            ))
        }
        Subject::Other => None,
    }
}

/// Quick fixes adding a credit that another capture in the workspace gives the same
/// image, for uncredited images in `at`.
pub fn recovered_credit_fixes(
    analysis: &crate::ide::Analysis,
    config: &crate::ide::config::Config,
    index: &crate::ide::workspace::Index,
    key: &str,
    at: crate::text::TextRange,
) -> Vec<crate::ide::fixes::Fix> {
    let mut out = Vec::new();
    for fig in &analysis.article.figures {
        let img = &fig.image;
        let touches = img.range.start <= at.end && at.start <= img.range.end;
        let uncredited = fig.credit.as_ref().is_none_or(|c| c.is_empty());
        if !touches || !uncredited || fig.decorative {
            continue;
        }
        let Some(src) = &img.src else { continue };
        let url = crate::ide::url::deproxy(&src.value).unwrap_or_else(|| src.value.clone());
        if let Some(found) = index
            .credits_for_image(&url)
            .into_iter()
            .find(|c| &*c.key != key)
            && let Some(fix) = crate::ide::diagnostics::recovered_credit_fix(
                analysis,
                config,
                img.range,
                &found.credit,
                &found.title,
            )
        {
            out.push(fix);
        }
    }
    out
}
