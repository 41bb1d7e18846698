//! Protocol abuse against the real server binary over stdio with real `Content-Length`
//! framing: malformed JSON, wrong parameter types, positions past the end, inverted ranges,
//! edits for unopened documents, versions going backwards, unknown methods, requests before
//! `initialize`, a 50 MB `didOpen`, `$/cancelRequest`, shutdown with requests in flight.
//! Each gets a proper JSON-RPC error or a harmless answer, and the server keeps serving
//! (a later `documentSymbol` still works). Also, "no network, no surprises": no HTTP client
//! in the dependency tree; the server serves in a process without a network (`unshare -rn`);
//! under `strace` it opens files only in its workspace folder (never a document the client
//! opened elsewhere, whose text comes over the protocol) and in system locations.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const URI: &str = "file:///tmp/abuse/article.capture";
const TIMEOUT: Duration = Duration::from_secs(120);

const DOC: &str = "<!--1679425984000-->\n[习近平普京峰会：中俄元首同意](https://www.bbc.com/zhongwen/simp/chinese-news-65032731)\n------\n\n<main><div><h2 id=\"a\">强调密切关系</h2></div><div><p>中文😀\u{a0}段落<a href=\"/zhongwen/simp/world-1\">链接</a></p></div><div data-e2e=\"twitter-embed-https://twitter.com/x/status/1\"><div><div></div></div></div></main>\n";

// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;
const REQUEST_CANCELLED: i64 = -32800;

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    notifications: Vec<Value>,
}

#[path = "support/frame.rs"]
mod frame;

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let body = frame::read_frame(r)?;
    Some(serde_json::from_slice(&body).expect("the server wrote invalid JSON on stdout"))
}

impl Server {
    fn start() -> Server {
        Server::start_via(&[])
    }

    /// Start the server behind a wrapper command (`unshare -rn`, `strace …`).
    fn start_via(wrapper: &[&str]) -> Server {
        let bin = env!("CARGO_BIN_EXE_capture-lsp");
        let mut cmd = match wrapper.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = cmd
            .arg("--stdio")
            .env("CAPTURE_LSP_LOG", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn capture-lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    fn frame(&mut self, body: &[u8]) {
        let mut msg = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        msg.extend_from_slice(body);
        self.raw(&msg);
    }

    fn send(&mut self, v: &Value) {
        self.frame(&serde_json::to_vec(v).expect("json"));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message that is not a notification or a server→client request.
    fn next_response(&mut self) -> Value {
        loop {
            let msg = self
                .rx
                .recv_timeout(TIMEOUT)
                .expect("the server stopped answering");
            if msg.get("method").is_some() {
                if msg.get("id").is_some() {
                    let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                    self.send(&reply);
                } else {
                    self.notifications.push(msg);
                }
                continue;
            }
            return msg;
        }
    }

    fn wait(&mut self, id: i64) -> Value {
        loop {
            let msg = self.next_response();
            if msg["id"] == json!(id) {
                return msg;
            }
            if msg["id"].is_null() && msg.get("error").is_some() {
                self.notifications.push(msg); // a parse error answer (id null)
                continue;
            }
            panic!("unexpected response while waiting for {id}: {msg}");
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.wait(id)
    }

    fn initialize(&mut self) {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null,
                   "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}),
        );
        assert!(r.get("result").is_some(), "initialize failed: {r}");
        self.notify("initialized", json!({}));
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "capture", "version": version, "text": text}}),
        );
    }

    fn symbols(&mut self, uri: &str) -> Value {
        let r = self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(r.get("error").is_none(), "documentSymbol failed: {r}");
        r["result"].clone()
    }

    /// The server still serves: a documentSymbol on the open test document has the title.
    fn assert_serving(&mut self) {
        let root = self.symbols(URI);
        assert!(
            root[0]["name"]
                .as_str()
                .is_some_and(|n| n.contains("习近平")),
            "outline after abuse: {root}"
        );
    }

    fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let status = wait_exit(&mut self.child);
        assert!(
            status.is_some_and(|s| s.success()),
            "exit status {status:?}"
        );
    }
}

fn wait_exit(child: &mut Child) -> Option<std::process::ExitStatus> {
    for _ in 0..200 {
        if let Ok(Some(s)) = child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn error_code(v: &Value) -> Option<i64> {
    v["error"]["code"].as_i64()
}

fn started() -> Server {
    let mut s = Server::start();
    s.initialize();
    s.open(URI, 1, DOC);
    s.assert_serving();
    s
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut s = Server::start();
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(error_code(&r), Some(SERVER_NOT_INITIALIZED), "{r}");
    // Notifications before initialize are dropped, not fatal.
    s.open(URI, 1, DOC);
    s.initialize();
    // A second initialize is an invalid request.
    let r = s.request("initialize", json!({"capabilities": {}}));
    assert!(error_code(&r).is_some(), "second initialize: {r}");
    s.open(URI, 1, DOC);
    s.assert_serving();
    s.stop();
}

#[test]
fn malformed_json_gets_a_parse_error_and_the_server_keeps_serving() {
    let mut s = started();
    // Each bad frame is answered with an error of id null: a parse error when it is not
    // JSON, an invalid-request error when it is JSON but not a JSON-RPC message; the
    // session goes on. (tower-lsp-server's own transport ends the session on the first
    // undecodable frame; `lsp::transport` answers it instead.)
    let bad: [(&[u8], i64); 8] = [
        (
            b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ",
            PARSE_ERROR,
        ),
        (b"\xff\xfe not utf-8", PARSE_ERROR),
        (
            b"{\"jsonrpc\": \"2.0\", \"method\": \"textDocument/hover\", \"params\": \"\xff\"}",
            PARSE_ERROR,
        ),
        (b"[1, 2, 3]", INVALID_REQUEST),
        (b"{\"id\": 1}", INVALID_REQUEST),
        (
            b"{\"jsonrpc\": \"2.0\", \"id\": {\"an\": \"object\"}, \"method\": \"shutdown\"}",
            INVALID_REQUEST,
        ),
        (b"null", INVALID_REQUEST),
        (b"", PARSE_ERROR),
    ];
    for (body, code) in bad {
        s.notifications.clear();
        s.frame(body);
        s.assert_serving();
        let answers: Vec<&Value> = s
            .notifications
            .iter()
            .filter(|m| m.get("error").is_some())
            .collect();
        assert_eq!(
            answers.len(),
            1,
            "{}: {answers:?}",
            String::from_utf8_lossy(body)
        );
        let what = format!("{} → {}", String::from_utf8_lossy(body), answers[0]);
        assert_eq!(answers[0]["id"], Value::Null, "{what}");
        assert_eq!(error_code(answers[0]), Some(code), "{what}");
    }
    // Garbage between frames, a header block without Content-Length, a bad Content-Type.
    s.raw(b"garbage line\r\n\r\n");
    s.raw(b"Content-Type: text/plain\r\n\r\n");
    s.assert_serving();
    let body = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    let mut msg = format!(
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n",
        body.len()
    )
    .into_bytes();
    msg.extend_from_slice(body);
    s.raw(&msg);
    s.assert_serving();
    s.stop();
}

#[test]
fn wrong_param_types_get_invalid_params() {
    let mut s = started();
    let r = s.request("textDocument/documentSymbol", json!({"textDocument": 5}));
    assert_eq!(error_code(&r), Some(INVALID_PARAMS), "{r}");
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": "here"}),
    );
    assert_eq!(error_code(&r), Some(INVALID_PARAMS), "{r}");
    let r = s.request("textDocument/documentSymbol", Value::Null);
    assert_eq!(error_code(&r), Some(INVALID_PARAMS), "{r}");
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": -1, "character": 0}, "end": null}, "context": {"diagnostics": []}}),
    );
    assert_eq!(error_code(&r), Some(INVALID_PARAMS), "{r}");
    // Bad notifications have no answer; they must not break anything.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI}, "contentChanges": "x"}),
    );
    s.notify("textDocument/didOpen", json!({"textDocument": {"uri": 42}}));
    s.notify("textDocument/didClose", json!([]));
    s.assert_serving();
    s.stop();
}

#[test]
fn positions_past_the_end_and_inverted_ranges_are_harmless() {
    let mut s = started();
    for (line, character) in [
        (0, 100_000),
        (4, 1 << 30),
        (99_999, 0),
        (u32::MAX as i64, u32::MAX as i64),
    ] {
        let r = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}),
        );
        assert!(r.get("error").is_none(), "hover at {line}:{character}: {r}");
        let r = s.request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [{"line": line, "character": character}]}),
        );
        assert!(
            r.get("error").is_none(),
            "selectionRange at {line}:{character}: {r}"
        );
    }
    let inverted =
        json!({"start": {"line": 4, "character": 30}, "end": {"line": 0, "character": 2}});
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": inverted, "context": {"diagnostics": []}}),
    );
    assert!(
        r.get("error").is_none(),
        "codeAction with an inverted range: {r}"
    );
    // An edit past the end appends; an inverted edit range is normalised.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 500, "character": 9}, "end": {"line": 900, "character": 0}}, "text": "<p>tail</p>"},
            {"range": {"start": {"line": 4, "character": 12}, "end": {"line": 4, "character": 6}}, "text": ""}
        ]}),
    );
    s.assert_serving();
    s.stop();
}

#[test]
fn edits_for_unopened_documents_and_stale_versions_are_ignored() {
    let mut s = started();
    let other = "file:///tmp/abuse/never-opened.capture";
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": other, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": other}}),
    );
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": other}}),
    );
    assert_eq!(r["result"], Value::Null, "unknown document: {r}");
    let r = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": other}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["result"], Value::Null, "unknown document: {r}");

    // Version 5, then a change claiming version 3 (going backwards): ignored.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 5}, "contentChanges": [{"text": DOC.replace("习近平普京峰会", "习近平普京峰会五")}]}),
    );
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": DOC.replace("习近平普京峰会", "习近平 BACKWARDS")}]}),
    );
    let root = s.symbols(URI);
    let name = root[0]["name"].as_str().unwrap_or_default().to_string();
    assert!(name.contains("峰会五"), "stale version applied: {name}");
    s.assert_serving();
    s.stop();
}

#[test]
fn unknown_methods() {
    let mut s = started();
    let r = s.request("capture/doesNotExist", json!({}));
    assert_eq!(error_code(&r), Some(METHOD_NOT_FOUND), "{r}");
    // tower-lsp-server answers nothing to unknown `$/` requests (the spec asks for
    // MethodNotFound); accept either, as long as the session goes on.
    let dollar = s.request_async("$/unknownRequest", json!({}));
    let sym = s.request_async(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    loop {
        let r = s.next_response();
        if r["id"] == json!(sym) {
            assert!(r["result"].is_array(), "{r}");
            break;
        }
        assert_eq!(r["id"], json!(dollar), "{r}");
        assert_eq!(error_code(&r), Some(METHOD_NOT_FOUND), "{r}");
    }
    s.notify("$/unknownNotification", json!({"x": 1}));
    s.notify("capture/whatever", json!(null));
    // A response to a request the server never made.
    s.send(&json!({"jsonrpc": "2.0", "id": 12345, "result": {"surprise": true}}));
    s.assert_serving();
    s.stop();
}

#[test]
fn cancel_request_gets_an_answer() {
    let mut s = started();
    let big = format!(
        "<!--1679425984000-->\n[大](https://www.bbc.com/a)\n------\n\n<main>{}</main>\n",
        "<div><p>中文段落😀<a href=\"/x\">链接</a></p></div>".repeat(20_000)
    );
    let big_uri = "file:///tmp/abuse/big.capture";
    s.open(big_uri, 1, &big);
    let id = s.request_async(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": big_uri}}),
    );
    s.notify("$/cancelRequest", json!({"id": id}));
    let r = s.wait(id);
    assert!(
        r.get("result").is_some() || error_code(&r) == Some(REQUEST_CANCELLED),
        "cancelled request: {r}"
    );
    // Cancelling an unknown or finished request is harmless.
    s.notify("$/cancelRequest", json!({"id": 999_999}));
    s.notify("$/cancelRequest", json!({"id": "nope"}));
    s.assert_serving();
    s.stop();
}

#[test]
fn fifty_megabyte_did_open() {
    let mut s = started();
    let mut big = String::with_capacity(51 << 20);
    big.push_str(
        "<!--1679425984000-->\n[五十兆](https://www.bbc.com/zhongwen/simp/big)\n------\n\n<main>",
    );
    let para =
        "<p>中文段落，😀\u{a0}English words and more words. 普京称愿意协助中资企业到俄国投资。</p>";
    while big.len() < 50 << 20 {
        big.push_str(para);
    }
    big.push_str("</main>\n");
    let big_uri = "file:///tmp/abuse/fifty.capture";
    s.open(big_uri, 1, &big);
    drop(big);
    // The small document is still served while the big one is open.
    s.assert_serving();
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": big_uri}}),
    );
    assert!(r.get("error").is_none(), "documentSymbol on 50 MB: {r}");
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": big_uri}}),
    );
    s.assert_serving();
    s.stop();
}

#[test]
fn shutdown_with_requests_in_flight() {
    let mut s = started();
    let ids: Vec<i64> = (0..8)
        .map(|i| {
            if i % 2 == 0 {
                s.request_async(
                    "textDocument/documentSymbol",
                    json!({"textDocument": {"uri": URI}}),
                )
            } else {
                s.request_async(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": i}}),
                )
            }
        })
        .collect();
    let shutdown = s.request_async("shutdown", Value::Null);
    let mut pending: Vec<i64> = ids.iter().copied().chain([shutdown]).collect();
    while !pending.is_empty() {
        let r = s.next_response();
        let id = r["id"].as_i64().expect("response id");
        assert!(pending.contains(&id), "unexpected response {r}");
        assert!(r.get("result").is_some() || r.get("error").is_some(), "{r}");
        pending.retain(|p| *p != id);
    }
    // After shutdown, requests are invalid; then exit ends the process cleanly.
    let r = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(error_code(&r), Some(INVALID_REQUEST), "{r}");
    s.notify("exit", Value::Null);
    drop(s.stdin.take());
    let status = wait_exit(&mut s.child);
    assert!(
        status.is_some_and(|st| st.success()),
        "exit status {status:?}"
    );
}

#[test]
fn stdin_closed_without_exit_ends_the_server() {
    let mut s = started();
    drop(s.stdin.take());
    assert!(
        wait_exit(&mut s.child).is_some(),
        "server did not stop at EOF"
    );
}

/// Nothing in the dependency tree is an HTTP client (the server never talks to a network).
/// Checked on `Cargo.lock`, which lists every package that can be built into the binary
/// (`tower` and `tower-service` are middleware traits, not clients, and are allowed).
#[test]
fn no_http_client_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .expect("Cargo.lock");
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(
        names.contains(&"tower-lsp-server"),
        "not a Cargo.lock? {names:?}"
    );
    let clients = [
        "reqwest",
        "hyper",
        "hyper-util",
        "h2",
        "ureq",
        "curl",
        "curl-sys",
        "isahc",
        "attohttpc",
        "surf",
        "http-client",
        "awc",
        "actix-http",
        "minreq",
        "ehttp",
    ];
    let found: Vec<&&str> = names.iter().filter(|n| clients.contains(n)).collect();
    assert!(found.is_empty(), "HTTP client in Cargo.lock: {found:?}");
}

/// Whether `cmd` runs here (`unshare` needs user namespaces, `strace` must be installed).
fn runs(cmd: &[&str]) -> bool {
    Command::new(cmd[0])
        .args(&cmd[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A workspace folder with two captures that link to each other and to the web, a settings
/// file, and beside it (outside the folder) another capture and settings file.
fn workspace() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("ws");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&ws).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let capture = |title: &str, url: &str, link: &str| {
        format!(
            "<!--1679425984000-->\n[{title}]({url})\n------\n\n<main><div><h2>节</h2></div><div><p>见<a href=\"{link}\">链接</a>，另见<a href=\"https://example.org/x\">外链</a></p></div><figure><img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/1.jpg\" alt=\"图\"><figcaption>说明</figcaption></figure></main>\n"
        )
    };
    let write = |p: std::path::PathBuf, s: String| std::fs::write(p, s).expect("write");
    write(
        ws.join("a.capture.txt"),
        capture(
            "甲",
            "https://www.bbc.com/zhongwen/simp/a-1",
            "/zhongwen/simp/b-2",
        ),
    );
    write(
        ws.join("b.capture.txt"),
        capture(
            "乙",
            "https://www.bbc.com/zhongwen/simp/b-2",
            "/zhongwen/simp/a-1",
        ),
    );
    write(
        ws.join("capture-lsp.toml"),
        "[rules]\nCAP501 = \"off\"\n".into(),
    );
    write(
        outside.join("c.capture.txt"),
        capture(
            "丙",
            "https://www.bbc.com/zhongwen/simp/c-3",
            "/zhongwen/simp/a-1",
        ),
    );
    write(outside.join("capture-lsp.toml"), "not toml at all [".into());
    (dir, ws, outside)
}

fn file_uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

/// Initialize with `ws` as the workspace folder, open a document from it and one from
/// `outside` (text sent by the client), and exercise outline, hover, links, symbols and
/// diagnostics; returns once the index has both workspace captures.
fn exercise(s: &mut Server, ws: &std::path::Path, outside: &std::path::Path) {
    let r = s.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(ws),
               "workspaceFolders": [{"uri": file_uri(ws), "name": "ws"}],
               "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                                "window": {"workDoneProgress": true}}}),
    );
    assert!(r.get("result").is_some(), "initialize failed: {r}");
    s.notify("initialized", json!({}));
    let inside = ws.join("a.capture.txt");
    let elsewhere = outside.join("c.capture.txt");
    for (path, version) in [(&inside, 1), (&elsewhere, 1)] {
        let text = std::fs::read_to_string(path).expect("read");
        s.open(&file_uri(path), version, &text);
        let root = s.symbols(&file_uri(path));
        assert!(root[0]["name"].is_string(), "outline: {root}");
        for (line, character) in [(5, 20), (5, 60), (4, 3), (0, 6)] {
            let h = s.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": file_uri(path)},
                       "position": {"line": line, "character": character}}),
            );
            assert!(h.get("error").is_none(), "hover failed: {h}");
        }
        let links = s.request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": file_uri(path)}}),
        );
        assert!(
            links["result"].as_array().is_some_and(|l| !l.is_empty()),
            "{links}"
        );
    }
    // The index finds both workspace captures (and only those).
    let mut found = 0;
    for _ in 0..100 {
        let r = s.request("workspace/symbol", json!({"query": ""}));
        found = r["result"].as_array().map_or(0, |a| {
            a.iter()
                .filter(|x| {
                    x["location"]["uri"]
                        .as_str()
                        .is_some_and(|u| u.starts_with(&file_uri(ws)))
                })
                .count()
        });
        if found >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(found >= 2, "workspace symbols never listed both captures");
}

#[test]
fn serves_in_a_process_without_a_network() {
    if !runs(&["unshare", "-rn", "true"]) {
        eprintln!("`unshare -rn` is not available here (no user namespaces): skipping");
        return;
    }
    let (_dir, ws, outside) = workspace();
    let mut s = Server::start_via(&["unshare", "-rn"]);
    exercise(&mut s, &ws, &outside);
    s.stop();
}

#[test]
fn opens_files_only_in_the_workspace_folder_and_system_locations() {
    if !runs(&["strace", "-o", "/dev/null", "true"]) {
        eprintln!("strace is not installed: skipping (.ci/run installs it)");
        return;
    }
    let (dir, ws, outside) = workspace();
    let log = dir.path().join("strace.log");
    let log_arg = log.to_string_lossy().into_owned();
    let mut s = Server::start_via(&[
        "strace",
        "-f",
        "-qq",
        "-e",
        "trace=open,openat,openat2,creat",
        "-o",
        &log_arg,
    ]);
    exercise(&mut s, &ws, &outside);
    s.stop();
    let trace = std::fs::read_to_string(&log).expect("strace log");
    let opened: Vec<&str> = trace.lines().filter_map(|l| l.split('"').nth(1)).collect();
    assert!(
        opened
            .iter()
            .any(|p| p.ends_with("ws/a.capture.txt") || p.ends_with("ws/b.capture.txt")),
        "the trace shows no workspace reads; is it tracing the server?\n{trace}"
    );
    let system = [
        "/lib",
        "/usr/lib",
        "/usr/share/zoneinfo",
        "/etc/",
        "/proc/",
        "/sys/",
        "/dev/",
    ];
    // The dynamic loader looks for shared libraries along LD_LIBRARY_PATH before `main`.
    let loader = |p: &str| {
        p.rsplit('/')
            .next()
            .is_some_and(|f| f.ends_with(".so") || f.contains(".so."))
    };
    let ws_prefix = ws.to_string_lossy().into_owned();
    let unexpected: Vec<&&str> = opened
        .iter()
        .filter(|p| {
            !(p.starts_with(&ws_prefix)
                || loader(p)
                || system.iter().any(|s| p.starts_with(s))
                || **p == env!("CARGO_BIN_EXE_capture-lsp"))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "opened outside the workspace: {unexpected:?}\n{trace}"
    );
    let outside_prefix = outside.to_string_lossy().into_owned();
    assert!(!opened.iter().any(|p| p.starts_with(&outside_prefix)));
}
