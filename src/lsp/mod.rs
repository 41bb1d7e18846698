//! The protocol layer: the only place that knows LSP types, tokio and JSON. A thin
//! translation over the pure `ide` layer.

pub mod checks;
pub mod convert;
pub mod server;
pub mod settings;
pub mod store;
pub mod transport;
pub mod workspace;

/// Serve LSP over stdin/stdout until the client exits (see [`transport`]).
pub async fn serve_stdio() {
    transport::serve(std::io::stdin(), std::io::stdout(), server::Backend::new).await;
}
