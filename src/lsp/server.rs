//! The language server: protocol handlers as thin translations — convert in, call the pure
//! `ide` function on an immutable snapshot, convert out.

use std::sync::{Arc, RwLock};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::ide::{self, Analysis};
use crate::lsp::convert;
use crate::lsp::store::{EditError, Snapshot, Store};
use crate::text::{Encoding, LineIndex};

pub struct Backend {
    client: Client,
    store: Arc<Store>,
    state: RwLock<State>,
}

#[derive(Default, Clone)]
struct State {
    encoding: Encoding,
    markdown_hover: bool,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            store: Arc::new(Store::default()),
            state: RwLock::new(State::default()),
        }
    }

    fn state(&self) -> State {
        self.state.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn encoding(&self) -> Encoding {
        self.state().encoding
    }

    /// The analysed snapshot of a document, computed off the async runtime. `None` for
    /// unknown documents (the request answers `null`).
    async fn analysed(&self, uri: &Uri) -> Option<(Arc<Snapshot>, Arc<Analysis>)> {
        let snap = self.store.snapshot(uri)?;
        let s = snap.clone();
        let analysis = tokio::task::spawn_blocking(move || s.analysis())
            .await
            .ok()
            .flatten()?;
        Some((snap, analysis))
    }

    /// Compute and publish diagnostics for the document's current version; results for a
    /// version that has since changed are dropped.
    fn schedule_diagnostics(&self, uri: Uri) {
        let store = self.store.clone();
        let client = self.client.clone();
        let enc = self.encoding();
        tokio::spawn(async move {
            let Some(snap) = store.snapshot(&uri) else {
                return;
            };
            let s = snap.clone();
            let diags = tokio::task::spawn_blocking(move || {
                let analysis = s.analysis()?;
                Some(diagnostics(&s.index, &analysis, enc))
            })
            .await
            .ok()
            .flatten();
            let Some(diags) = diags else { return };
            if store.version(&uri) != Some(snap.version) {
                tracing::debug!(uri = uri.as_str(), "dropping stale diagnostics");
                return;
            }
            client
                .publish_diagnostics(uri, diags, Some(snap.version))
                .await;
        });
    }
}

fn diagnostics(index: &LineIndex, analysis: &Analysis, enc: Encoding) -> Vec<Diagnostic> {
    ide::diagnostics::diagnostics(analysis)
        .into_iter()
        .map(|d| convert::diagnostic(index, &d, enc))
        .collect()
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
        if let Ok(mut s) = self.state.write() {
            s.encoding = encoding;
            s.markdown_hover = markdown_hover;
        }
        tracing::info!(?encoding, "initialize");
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
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
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        // Mutate the store before any `.await`: notifications are handled concurrently.
        self.store.open(doc.uri.clone(), doc.version, &doc.text);
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
            Ok(()) => self.schedule_diagnostics(uri),
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
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let enc = self.encoding();
        let root = ide::outline::outline(&analysis);
        Ok(Some(DocumentSymbolResponse::Nested(vec![
            convert::document_symbol(&snap.index, &root, enc),
        ])))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        Ok(Some(
            ide::outline::folding_ranges(&analysis)
                .into_iter()
                .filter_map(|f| convert::folding_range(&snap.index, f.range, f.kind))
                .collect(),
        ))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let Some((snap, analysis)) = self.analysed(&params.text_document.uri).await else {
            return Ok(None);
        };
        let enc = self.encoding();
        Ok(Some(
            params
                .positions
                .iter()
                .map(|p| {
                    let offset = convert::offset(&snap.index, *p, enc);
                    let chain = ide::outline::selection_ranges(&analysis, offset);
                    convert::selection_range(&snap.index, &chain, enc)
                })
                .collect(),
        ))
    }
}
