//! The protocol layer: the only place that knows LSP types, tokio and JSON. A thin
//! translation over the pure `ide` layer.

pub mod checks;
pub mod convert;
pub mod server;
pub mod settings;
pub mod store;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serve LSP over stdin/stdout until the client exits.
pub async fn serve_stdio() {
    let (service, socket) = LspService::new(server::Backend::new);
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}
