//! Smoke test of the built binary over stdio: stdout carries nothing but JSON-RPC.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn frame(v: &serde_json::Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

#[test]
fn stdout_is_only_json_rpc() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_capture-lsp"))
        .arg("--stdio")
        .env("CAPTURE_LSP_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn capture-lsp");
    let text = include_str!("fixtures/seed_like.capture");
    let uri = "file:///tmp/a.capture";
    let mut stdin = child.stdin.take().unwrap();
    for msg in [
        serde_json::json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
        serde_json::json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
        serde_json::json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"languageId":"capture","version":1,"text":text}}}),
        serde_json::json!({"jsonrpc":"2.0","id":2,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":uri}}}),
        serde_json::json!({"jsonrpc":"2.0","id":3,"method":"shutdown"}),
        serde_json::json!({"jsonrpc":"2.0","method":"exit"}),
    ] {
        stdin.write_all(&frame(&msg)).unwrap();
    }
    stdin.flush().unwrap();
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status}; stderr: {err}");
    assert!(err.contains("initialize"), "logs go to stderr: {err}");

    // Parse stdout as a sequence of frames; anything else is a failure.
    let mut rest = out.as_slice();
    let mut ids = Vec::new();
    while !rest.is_empty() {
        let head_end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("frame header");
        let head = std::str::from_utf8(&rest[..head_end]).unwrap();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .expect("Content-Length")
            .parse()
            .unwrap();
        let body = &rest[head_end + 4..head_end + 4 + len];
        let msg: serde_json::Value = serde_json::from_slice(body).expect("JSON body");
        assert_eq!(msg["jsonrpc"], "2.0");
        if let Some(id) = msg.get("id") {
            ids.push(id.clone());
        }
        rest = &rest[head_end + 4 + len..];
    }
    assert!(
        ids.contains(&serde_json::json!(2)),
        "documentSymbol answered"
    );
}

#[test]
fn version_and_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_capture-lsp"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("capture-lsp "));
    let out = Command::new(env!("CARGO_BIN_EXE_capture-lsp"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("outline FILE"));
    let out = Command::new(env!("CARGO_BIN_EXE_capture-lsp"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
