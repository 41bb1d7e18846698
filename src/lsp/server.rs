//! The language server: protocol handlers as thin translations — convert in, call the pure
//! `ide` function on an immutable snapshot, convert out.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;

use tower_lsp_server::jsonrpc::{Error as JsonRpcError, Result};
use tower_lsp_server::ls_types::notification::PublishDiagnostics;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::ide::config::Config;
use crate::ide::{self, Analysis};
use crate::lsp::settings::Settings;
use crate::lsp::store::{EditError, Snapshot, Store};
use crate::lsp::transport::{Direct, DirectResult, Outbox};
use crate::lsp::{checks, convert};
use crate::text::{Encoding, LineIndex};

/// Run a pure analysis call, turning a panic into `None` (logged) so that one bad input
/// answers `null` instead of taking the server down.
fn guard<T>(what: &'static str, f: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::error!(request = what, "analysis panicked; answering null");
            None
        }
    }
}

/// The analysed snapshot of a document, computed off the async runtime. `None` for unknown
/// documents (the request answers `null`).
async fn analysed(store: &Store, uri: &Uri) -> Option<(Arc<Snapshot>, Arc<Analysis>)> {
    let snap = store.snapshot(uri)?;
    // Already analysed (the usual case after the first request of a version): no trip
    // through the blocking pool, whose threads may be busy or asleep.
    if let Some(analysis) = snap.computed() {
        return Some((snap, analysis));
    }
    let s = snap.clone();
    let analysis = tokio::task::spawn_blocking(move || s.analysis())
        .await
        .ok()
        .flatten()?;
    Some((snap, analysis))
}

/// How long diagnostics of a document above `largeFileThreshold` wait for typing to pause.
const LARGE_FILE_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(300);

pub struct Backend {
    client: Client,
    /// Where diagnostics are published, serialized straight from their LSP form.
    outbox: Outbox,
    /// Between `initialize` and `shutdown`: requests may be answered [`Direct`]ly (else
    /// the service answers them, with the error due).
    serving: AtomicBool,
    store: Arc<Store>,
    /// The workspace index (see `lsp::workspace`).
    pub workspace: Arc<crate::lsp::workspace::Workspace>,
    state: RwLock<State>,
    /// Documents already told about the large-file mode.
    large_files: std::sync::Mutex<std::collections::HashSet<Uri>>,
    /// Documents whose diagnostics are being computed, with the settings for another run
    /// when a newer version (or configuration) came in meanwhile (see
    /// `schedule_diagnostics`).
    diagnosing: Arc<std::sync::Mutex<std::collections::HashMap<Uri, Option<DiagnosticsRun>>>>,
}

/// What one diagnostics run of a document uses.
#[derive(Clone)]
struct DiagnosticsRun {
    config: Arc<Config>,
    enc: Encoding,
    /// Above `largeFileThreshold`: wait for a pause in typing first.
    large: bool,
}

#[derive(Default, Clone)]
struct State {
    encoding: Encoding,
    markdown_hover: bool,
    /// Effective settings (diagnostics, credits, hover); see `lsp::settings`.
    config: Arc<Config>,
    settings: Settings,
    /// Bumped on every settings change (part of pull-diagnostics result ids).
    config_generation: u64,
    /// The client pulls diagnostics (`textDocument/diagnostic`); no push then.
    pull_diagnostics: bool,
    /// The client answers `workspace/configuration`.
    configuration: bool,
}

impl Backend {
    pub fn new(client: Client, outbox: Outbox) -> Self {
        Backend {
            client,
            outbox,
            serving: AtomicBool::new(false),
            store: Arc::new(Store::default()),
            workspace: Arc::default(),
            state: RwLock::new(State::default()),
            large_files: Default::default(),
            diagnosing: Default::default(),
        }
    }

    fn state(&self) -> State {
        self.state.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn hover_options(&self) -> ide::hover::HoverOptions {
        ide::hover::HoverOptions {
            image_preview: self.config().image_preview,
        }
    }

    fn encoding(&self) -> Encoding {
        self.state().encoding
    }

    fn config(&self) -> Arc<Config> {
        self.state().config
    }

    /// Recompute the effective settings (after re-reading the client section and the
    /// settings file), report problems, and refresh diagnostics of every open document.
    async fn reload_settings(&self, pushed: Option<serde_json::Value>) {
        let ask = self.state().configuration;
        let section = if ask {
            Some(checks::fetch_section(&self.client).await)
        } else {
            pushed
        };
        let (problems, pull) = {
            let Ok(mut s) = self.state.write() else {
                return;
            };
            if let Some(v) = section {
                s.settings.workspace = v;
            }
            s.settings.reload_file();
            let (config, problems) = s.settings.effective();
            self.store.set_credit_rules(config.credit_rules());
            s.config = Arc::new(config);
            s.config_generation += 1;
            (problems, s.pull_diagnostics)
        };
        checks::report_problems(&self.client, &problems).await;
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
        } else {
            for uri in self.store.uris() {
                self.schedule_diagnostics(uri);
            }
        }
    }

    /// The analysed snapshot of a document (see [`analysed`]).
    async fn analysed(&self, uri: &Uri) -> Option<(Arc<Snapshot>, Arc<Analysis>)> {
        analysed(&self.store, uri).await
    }

    /// The outline of a document (`None` for unknown documents) as a `'static` future over
    /// what it needs, taken now: the protocol handler awaits it, and the direct path
    /// ([`Direct`]) serializes its result straight to JSON.
    fn symbols(
        &self,
        params: DocumentSymbolParams,
    ) -> impl Future<Output = Option<DocumentSymbolResponse>> + Send + 'static {
        let uri = params.text_document.uri;
        let enc = self.encoding();
        let large = self.note_large_file(&uri, self.config().large_file_threshold);
        let store = self.store.clone();
        async move {
            let (snap, analysis) = analysed(&store, &uri).await?;
            let detail = if large {
                ide::outline::Detail::Sections
            } else {
                ide::outline::Detail::Full
            };
            guard("documentSymbol", || {
                let root = ide::outline::outline_with(&analysis, detail);
                DocumentSymbolResponse::Nested(vec![convert::document_symbol(
                    &snap.index,
                    &root,
                    enc,
                )])
            })
        }
    }

    /// Whether the document is above the large-file threshold; says so once per document
    /// (window/showMessage) the first time it is.
    fn note_large_file(&self, uri: &Uri, threshold: usize) -> bool {
        let Some(len) = self.store.len(uri) else {
            return false;
        };
        if len <= threshold {
            return false;
        }
        let first = self
            .large_files
            .lock()
            .map(|mut seen| seen.insert(uri.clone()))
            .unwrap_or(false);
        if first {
            let client = self.client.clone();
            let msg = format!(
                "capture-lsp: {} is {:.1} MB, above largeFileThreshold ({:.1} MB); diagnostics are computed when typing pauses and the outline lists sections only.",
                uri.as_str().rsplit('/').next().unwrap_or(uri.as_str()),
                len as f64 / 1e6,
                threshold as f64 / 1e6
            );
            tracing::info!("{msg}");
            tokio::spawn(async move { client.show_message(MessageType::INFO, msg).await });
        }
        true
    }

    /// Compute and publish diagnostics for the document's current version; results for a
    /// version that has since changed are dropped.
    fn schedule_diagnostics(&self, uri: Uri) {
        let store = self.store.clone();
        let outbox = self.outbox.clone();
        let State {
            encoding: enc,
            config,
            pull_diagnostics,
            ..
        } = self.state();
        if pull_diagnostics {
            return;
        }
        let large = self.note_large_file(&uri, config.large_file_threshold);
        // One run per document at a time, always on the latest version: an edit during a
        // run marks it dirty and the run goes again when done. Diagnostics thus follow the
        // edit at once when typing is slower than the checks, and never pile up when it is
        // faster. Above `largeFileThreshold` a run also waits for a pause in typing.
        let mut run = DiagnosticsRun { config, enc, large };
        {
            let mut running = self.diagnosing.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(next) = running.get_mut(&uri) {
                *next = Some(run);
                return;
            }
            running.insert(uri.clone(), None);
        }
        let diagnosing = self.diagnosing.clone();
        tokio::spawn(async move {
            loop {
                let DiagnosticsRun { config, enc, large } = run.clone();
                if large {
                    let version = store.version(&uri);
                    tokio::time::sleep(LARGE_FILE_DEBOUNCE).await;
                    if store.version(&uri) != version {
                        continue;
                    }
                }
                if let Some(snap) = store.snapshot(&uri) {
                    let s = snap.clone();
                    let config = config.clone();
                    // Computed and serialized off the runtime, straight to JSON text.
                    let body = tokio::task::spawn_blocking(move || {
                        let analysis = s.analysis()?;
                        let diagnostics = guard("diagnostics", || {
                            checks::lsp_diagnostics(&s.index, &analysis, &config, enc)
                        })?;
                        Outbox::notification::<PublishDiagnostics>(&PublishDiagnosticsParams {
                            uri: s.uri.clone(),
                            diagnostics,
                            version: Some(s.version),
                        })
                    })
                    .await
                    .ok()
                    .flatten();
                    if let Some(body) = body {
                        if store.version(&uri) == Some(snap.version) {
                            outbox.send(body).await;
                        } else {
                            tracing::debug!(uri = uri.as_str(), "dropping stale diagnostics");
                        }
                    }
                }
                let mut running = diagnosing.lock().unwrap_or_else(|e| e.into_inner());
                match running.get_mut(&uri).and_then(Option::take) {
                    Some(next) => run = next,
                    None => {
                        running.remove(&uri);
                        return;
                    }
                }
            }
        });
    }
}

impl Direct for Backend {
    fn direct(
        &self,
        method: &str,
        params: Option<&serde_json::Value>,
    ) -> Option<BoxFuture<'static, DirectResult>> {
        if !self.serving.load(Ordering::Acquire) || method != "textDocument/documentSymbol" {
            return None;
        }
        let params = params
            .ok_or_else(|| JsonRpcError::invalid_params("params are missing"))
            .and_then(|p| {
                DocumentSymbolParams::deserialize(p)
                    .map_err(|e| JsonRpcError::invalid_params(e.to_string()))
            });
        Some(match params {
            Ok(params) => self
                .symbols(params)
                .map(|r| {
                    serde_json::to_vec(&r).map_err(|e| {
                        tracing::error!("cannot serialize an outline: {e}");
                        JsonRpcError::internal_error()
                    })
                })
                .boxed(),
            Err(e) => futures::future::ready(Err(e)).boxed(),
        })
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let encoding = convert::negotiate_encoding(offered);
        let markdown_hover = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|f| f.contains(&MarkupKind::Markdown));
        let settings = Settings::from_initialize(&params);
        let (config, problems) = settings.effective();
        self.store.set_credit_rules(config.credit_rules());
        let pull_diagnostics = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        let configuration = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        if let Ok(mut s) = self.state.write() {
            s.encoding = encoding;
            s.markdown_hover = markdown_hover;
            s.config = Arc::new(config);
            s.settings = settings;
            s.pull_diagnostics = pull_diagnostics;
            s.configuration = configuration;
        }
        checks::report_problems(&self.client, &problems).await;
        tracing::info!(?encoding, "initialize");
        self.workspace.configure(
            crate::lsp::workspace::roots_of(&params),
            crate::lsp::workspace::IndexOptions::from_init(params.initialization_options.as_ref()),
            crate::lsp::workspace::ClientCaps::from_params(&params),
        );
        self.serving.store(true, Ordering::Release);
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                workspace_symbol_provider: Some(OneOf::Left(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: Some(crate::lsp::workspace::file_operations()),
                }),
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(checks::FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: Default::default(),
                    },
                )),
                diagnostic_provider: pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("capture-lsp".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        work_done_progress_options: Default::default(),
                    })
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "capture-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("initialized");
        crate::lsp::workspace::on_initialized(&self.workspace, &self.store, &self.client).await;
        if self.state().configuration {
            self.reload_settings(None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.reload_settings(Some(params.settings)).await;
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let (enc, config) = (self.encoding(), self.config());
        let uri = &params.text_document.uri;
        let key = crate::lsp::workspace::key_of(uri);
        Ok(guard("codeAction", || {
            let mut actions = checks::code_actions(
                uri,
                &snap.index,
                &analysis,
                &config,
                params.range,
                params.context.only.as_deref(),
                enc,
            );
            let quickfix = params
                .context
                .only
                .as_deref()
                .is_none_or(|o| o.iter().any(|k| k.as_str().starts_with("quickfix")));
            if quickfix {
                let at = convert::text_range(&snap.index, params.range, enc);
                let index = self.workspace.read();
                for fix in crate::lsp::workspace::recovered_credit_fixes(
                    &analysis, &config, &index, &key, at,
                ) {
                    actions.push(checks::action(
                        uri,
                        &snap.index,
                        &fix,
                        Vec::new(),
                        false,
                        enc,
                    ));
                }
            }
            actions
        }))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let state = self.state();
        let Some((snap, analysis)) = self.analysed(&uri).await else {
            return Ok(checks::pull_report(
                &LineIndex::new(""),
                &Analysis::new(""),
                &Config::default(),
                state.encoding,
                String::new(),
                None,
            ));
        };
        let result_id = format!("{}:{}", snap.version, state.config_generation);
        Ok(checks::pull_report(
            &snap.index,
            &analysis,
            &state.config,
            state.encoding,
            result_id,
            params.previous_result_id.as_deref(),
        ))
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        self.serving.store(false, Ordering::Release);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        // Mutate the store before any `.await`: notifications are handled concurrently.
        self.store.open(doc.uri.clone(), doc.version, &doc.text);
        crate::lsp::workspace::on_text(&self.workspace, &self.store, &doc.uri);
        self.schedule_diagnostics(doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let enc = self.encoding();
        match self.store.change(
            &uri,
            params.text_document.version,
            &params.content_changes,
            enc,
        ) {
            Ok(old) => {
                if let Some(old) = old {
                    // Freeing a large DOM takes milliseconds: not on the request path.
                    tokio::task::spawn_blocking(move || drop(old));
                }
                crate::lsp::workspace::on_text(&self.workspace, &self.store, &uri);
                self.schedule_diagnostics(uri)
            }
            Err(EditError::UnknownDocument) => {
                tracing::warn!(
                    uri = uri.as_str(),
                    "didChange for a document that is not open"
                )
            }
            Err(EditError::StaleVersion { current, got }) => {
                tracing::warn!(
                    uri = uri.as_str(),
                    current,
                    got,
                    "didChange with a stale version ignored"
                )
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.store.close(&uri) {
            crate::lsp::workspace::on_close(&self.workspace, &self.store, &uri);
            // Through the same queue as the runs' results.
            let cleared = PublishDiagnosticsParams::new(uri, Vec::new(), None);
            if let Some(body) = Outbox::notification::<PublishDiagnostics>(&cleared) {
                self.outbox.send(body).await;
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        crate::lsp::workspace::on_text(&self.workspace, &self.store, &params.text_document.uri);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let (ws, store) = (self.workspace.clone(), self.store.clone());
        crate::lsp::workspace::query(move || {
            crate::lsp::workspace::watched_files(&ws, &store, &params.changes)
        })
        .await;
    }

    async fn did_create_files(&self, params: CreateFilesParams) {
        let (ws, store) = (self.workspace.clone(), self.store.clone());
        let uris = params.files.into_iter().filter_map(|f| f.uri.parse().ok());
        let uris: Vec<Uri> = uris.collect();
        crate::lsp::workspace::query(move || {
            crate::lsp::workspace::created(&ws, &store, uris.into_iter())
        })
        .await;
    }

    async fn did_rename_files(&self, params: RenameFilesParams) {
        let (ws, store) = (self.workspace.clone(), self.store.clone());
        crate::lsp::workspace::query(move || {
            let old = params.files.iter().filter_map(|f| f.old_uri.parse().ok());
            crate::lsp::workspace::deleted(&ws, old);
            let new = params.files.iter().filter_map(|f| f.new_uri.parse().ok());
            crate::lsp::workspace::created(&ws, &store, new);
        })
        .await;
    }

    async fn did_delete_files(&self, params: DeleteFilesParams) {
        let ws = self.workspace.clone();
        crate::lsp::workspace::query(move || {
            let uris = params.files.iter().filter_map(|f| f.uri.parse().ok());
            crate::lsp::workspace::deleted(&ws, uris)
        })
        .await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        crate::lsp::workspace::on_folders(
            &self.workspace,
            &self.store,
            &self.client,
            &params.event,
        );
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let (ws, enc) = (self.workspace.clone(), self.encoding());
        let found = crate::lsp::workspace::query(move || {
            crate::lsp::workspace::symbols(&ws, &params.query, enc)
        })
        .await;
        Ok(found.map(WorkspaceSymbolResponse::Flat))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let Some(snap) = self.store.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let (ws, enc) = (self.workspace.clone(), self.encoding());
        let found = crate::lsp::workspace::query(move || {
            let offset = convert::offset(&snap.index, p.position, enc);
            crate::lsp::workspace::definition(&ws, &p.text_document.uri, snap.text(), offset, enc)
        })
        .await;
        Ok(found
            .filter(|l| !l.is_empty())
            .map(GotoDefinitionResponse::Array))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some(snap) = self.store.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let (ws, enc) = (self.workspace.clone(), self.encoding());
        let decl = params.context.include_declaration;
        Ok(crate::lsp::workspace::query(move || {
            let offset = convert::offset(&snap.index, p.position, enc);
            crate::lsp::workspace::references(
                &ws,
                &p.text_document.uri,
                snap.text(),
                offset,
                decl,
                enc,
            )
        })
        .await)
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let (ws, enc) = (self.workspace.clone(), self.encoding());
        Ok(crate::lsp::workspace::query(move || {
            crate::lsp::workspace::code_lens(&ws, &params.text_document.uri, enc)
        })
        .await)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.symbols(params).await)
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        Ok(guard("foldingRange", || {
            ide::outline::folding_ranges(&analysis)
                .into_iter()
                .filter_map(|f| convert::folding_range(&snap.index, f.range, f.kind))
                .collect()
        }))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let Some((snap, analysis)) = self.analysed(&pos.text_document.uri).await else {
            return Ok(None);
        };
        let state = self.state();
        let offset = convert::offset(&snap.index, pos.position, state.encoding);
        let opts = self.hover_options();
        let Some(mut h) = guard("hover", || ide::hover::hover(&analysis, offset, &opts)).flatten()
        else {
            return Ok(None);
        };
        let key = crate::lsp::workspace::key_of(&pos.text_document.uri);
        if let Some(extra) = guard("hover (workspace)", || {
            crate::lsp::workspace::hover_extra(&self.workspace.read(), &key, &h.subject)
        })
        .flatten()
        {
            h.markdown.push_str("\n\n---\n\n");
            h.markdown.push_str(&extra);
        }
        Ok(Some(convert::hover(
            &snap.index,
            &h,
            state.encoding,
            state.markdown_hover,
        )))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let enc = self.encoding();
        Ok(guard("documentLink", || {
            ide::links::document_links(&analysis)
                .iter()
                .filter_map(|l| convert::document_link(&snap.index, l, enc))
                .collect()
        }))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let enc = self.encoding();
        let range = convert::text_range(&snap.index, params.range, enc);
        Ok(guard("inlayHint", || {
            ide::links::inlay_hints(&analysis, range)
                .iter()
                .map(|h| convert::inlay_hint(&snap.index, h, enc))
                .collect()
        }))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let enc = self.encoding();
        Ok(guard("selectionRange", || {
            params
                .positions
                .iter()
                .map(|p| {
                    let offset = convert::offset(&snap.index, *p, enc);
                    let chain = ide::outline::selection_ranges(&analysis, offset);
                    convert::selection_range(&snap.index, &chain, enc)
                })
                .collect()
        }))
    }
}
