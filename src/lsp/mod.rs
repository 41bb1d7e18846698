//! The protocol layer: the only place that knows LSP types, tokio and JSON. A thin
//! translation over the pure `ide` layer.

pub mod checks;
pub mod convert;
pub mod server;
pub mod settings;
pub mod store;
pub mod transport;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serve LSP over stdin/stdout until the client exits. Undecodable frames are dropped by
/// [`transport::guard_input`] instead of ending the session.
pub async fn serve_stdio() {
    let (service, socket) = LspService::new(server::Backend::new);
    let input = transport::guard_input(std::io::stdin());
    Server::new(input, tokio::io::stdout(), socket)
        .serve(service)
        .await;
}
