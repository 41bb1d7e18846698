//! Test helpers: an in-process LSP client speaking the real JSON-RPC framing over an
//! in-memory duplex to the real server.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};

pub const SEED: &str = include_str!("../fixtures/seed_like.capture");

/// Path of the shared corpus beside the checkout, if present.
pub fn shared_dir() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}

/// The captures in `../shared/corpus` (and, with `with_seed`, the seed capture), sorted.
/// `None`, after saying on stderr that `what` is skipped, when `../shared` is absent.
pub fn corpus_files(what: &str, with_seed: bool) -> Option<Vec<std::path::PathBuf>> {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared is not beside this checkout: {what} skipped");
        return None;
    };
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus"))
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    if with_seed {
        files.push(shared.join("seed/bbc_65032731.capture.txt"));
    }
    files.sort();
    Some(files)
}

/// Start the real server in-process on a fresh in-memory duplex, and return the client's
/// end of it.
pub fn serve_in_memory() -> DuplexStream {
    let (client_io, server_io) = tokio::io::duplex(1 << 20);
    let (server_read, server_write) = tokio::io::split(server_io);
    tokio::spawn(capture_lsp::lsp::transport::serve(
        tokio_util::io::SyncIoBridge::new(server_read),
        tokio_util::io::SyncIoBridge::new(server_write),
        capture_lsp::lsp::server::Backend::new,
    ));
    client_io
}

pub struct Client {
    reader: BufReader<ReadHalf<DuplexStream>>,
    writer: WriteHalf<DuplexStream>,
    next_id: i64,
    /// Notifications received while waiting for responses.
    pub notifications: Vec<Value>,
}

impl Client {
    /// Start the server in-process and return a client connected to it.
    pub fn start() -> Client {
        let (reader, writer) = tokio::io::split(serve_in_memory());
        Client {
            reader: BufReader::new(reader),
            writer,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    pub async fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).unwrap();
        let frame = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        self.writer.write_all(frame.as_bytes()).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    pub async fn recv(&mut self) -> Value {
        let mut len = None;
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(Duration::from_secs(20), self.reader.read_line(&mut line))
                .await
                .expect("timed out waiting for the server")
                .unwrap();
            assert!(n > 0, "server closed the stream");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = Some(v.parse::<usize>().unwrap());
            }
        }
        let mut buf = vec![0; len.expect("no Content-Length header")];
        self.reader.read_exact(&mut buf).await.unwrap();
        serde_json::from_slice(&buf).unwrap()
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Send a request and wait for its response (notifications are stashed; requests
    /// from the server get a null reply).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.wait_response(id).await
    }

    pub async fn wait_response(&mut self, id: i64) -> Value {
        loop {
            let msg = self.recv().await;
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                self.send(&reply).await;
                continue;
            }
            self.notifications.push(msg);
        }
    }

    /// Wait for a notification with this method (checking those already received).
    pub async fn wait_notification(&mut self, method: &str) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method)
        {
            return self.notifications.remove(i);
        }
        loop {
            let msg = self.recv().await;
            if msg["method"] == method {
                return msg;
            }
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                self.send(&reply).await;
                continue;
            }
            self.notifications.push(msg);
        }
    }

    pub async fn initialize(&mut self, encodings: &[&str]) -> Value {
        let resp = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "capabilities": {
                        "general": {"positionEncodings": encodings},
                        "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}
                    }
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        resp
    }

    pub async fn document_symbol(&mut self, uri: &str) -> Value {
        self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
    }

    pub async fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .await
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "capture", "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn shutdown(&mut self) {
        let resp = self.request("shutdown", Value::Null).await;
        assert_eq!(resp["result"], Value::Null);
        self.notify("exit", Value::Null).await;
    }
}

/// Byte offset → (line, column) in the given encoding, computed independently of the
/// server's line index (a naive reference implementation for tests).
pub fn position_of(text: &str, offset: usize, utf16: bool) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let seg = &text[line_start..offset];
    let col = if utf16 {
        seg.encode_utf16().count()
    } else {
        seg.len()
    } as u32;
    (line, col)
}
