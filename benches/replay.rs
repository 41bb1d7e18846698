//! LSP replay benchmark: spawns a language server over stdio and drives an editing session
//! through it: open a document, then 200 single-character edits at random places, each
//! followed by `documentSymbol` (edit → fresh outline), a second `documentSymbol` (outline
//! of an analysed version) and a `hover`; the time from each edit to the
//! `publishDiagnostics` for its version is recorded too. Reports p50/p95/max per request
//! kind, idle RSS, RSS with the document open, and peak RSS (`VmHWM`). What one more open
//! document costs is measured twice: a copy opened (and closed again) once the first
//! document is at rest, before the edits, and a copy opened after them.
//!
//! Servers: the release `capture-lsp` (always), and the peer `vscode-html-language-server`
//! (npm `vscode-langservers-extracted`, languageId `html`) when found: set
//! `REPLAY_PEER=/path/to/vscode-html-language-server`, or have it under
//! `/tmp/peer/node_modules/.bin/`. It is a benchmark-only tool, not a dependency.
//!
//! Sizes: the seed, the largest corpus capture (skipped when `../shared/corpus` is absent),
//! generated 1 MB and 10 MB captures. `REPLAY_EDITS` overrides the edit count (default
//! 200; 50 at 10 MB for capture-lsp and 20 at 10 MB for the peer unless `REPLAY_FULL=1`).
//! `REPLAY_SIZES=seed,corpus,1m,10m` picks sizes. `REPLAY_LOG=FILE` has capture-lsp log to
//! FILE (with `CAPTURE_LSP_LOG=debug`, each analysis and its time).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/gen.rs"]
mod generator;

const TIMEOUT: Duration = Duration::from_secs(120);

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<(Instant, Value)>,
    next_id: i64,
    /// Diagnostics notifications seen: version → arrival time.
    diagnostics: HashMap<i64, Instant>,
    diagnostics_any: Vec<Instant>,
}

#[path = "../tests/support/frame.rs"]
mod frame;

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let body = frame::read_frame(r)?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    fn spawn(cmd: &[String]) -> std::io::Result<Server> {
        let mut child = Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
        let stdout = child.stdout.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 20, stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send((Instant::now(), v)).is_err() {
                    break;
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            rx,
            next_id: 1,
            diagnostics: HashMap::new(),
            diagnostics_any: Vec::new(),
        })
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap_or_default();
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len());
        let _ = self.stdin.write_all(&body);
        let _ = self.stdin.flush();
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

    /// Handle one incoming message: answer server→client requests, note diagnostics.
    /// Returns the message when it is a response.
    fn handle(&mut self, at: Instant, v: Value) -> Option<Value> {
        if let Some(method) = v.get("method").and_then(Value::as_str) {
            if let Some(id) = v.get("id") {
                let result = if method == "workspace/configuration" {
                    let n = v["params"]["items"].as_array().map_or(0, Vec::len);
                    Value::Array(vec![Value::Null; n])
                } else {
                    Value::Null
                };
                let reply = json!({"jsonrpc": "2.0", "id": id.clone(), "result": result});
                self.send(&reply);
            } else if method == "textDocument/publishDiagnostics" {
                self.diagnostics_any.push(at);
                if let Some(ver) = v["params"]["version"].as_i64() {
                    self.diagnostics.entry(ver).or_insert(at);
                }
            }
            return None;
        }
        Some(v)
    }

    fn wait_response(&mut self, id: i64) -> Option<(Instant, Value)> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((at, v)) => {
                    if let Some(resp) = self.handle(at, v)
                        && resp.get("id").and_then(Value::as_i64) == Some(id)
                    {
                        return Some((at, resp));
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None;
                }
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Option<(Duration, Value)> {
        let t0 = Instant::now();
        let id = self.request_async(method, params);
        let (at, v) = self.wait_response(id)?;
        Some((at.duration_since(t0), v))
    }

    /// Drain notifications for up to `d`, or until diagnostics for `version` arrived.
    fn pump(&mut self, d: Duration, version: Option<i64>) {
        let deadline = Instant::now() + d;
        loop {
            if version.is_some_and(|v| self.diagnostics.contains_key(&v)) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match self.rx.recv_timeout(left) {
                Ok((at, v)) => {
                    self.handle(at, v);
                }
                Err(_) => return,
            }
        }
    }

    /// Open `text` as `uri`, ask for its outline, and return the RSS (kB) once the server
    /// has been idle for two seconds; `None` when the server does not answer.
    fn open_at_rest(&mut self, uri: &str, language: &str, text: &str) -> Option<Option<u64>> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )?;
        self.pump(Duration::from_secs(2), None);
        Some(self.status("VmRSS:"))
    }

    fn status(&self, key: &str) -> Option<u64> {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = s.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

/// Memory of a process tree (node servers fork workers): the server process itself here.
fn kb(v: Option<u64>) -> String {
    v.map_or("?".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}

/// Line and UTF-16 column of byte offset `off` in `text`.
fn position(text: &str, off: usize) -> Value {
    let before = &text[..off];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": col})
}

fn floor_boundary(text: &str, mut off: usize) -> usize {
    off = off.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    off
}

#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn push(&mut self, d: Duration) {
        self.0.push(d);
    }
    fn pct(&self, p: f64) -> Duration {
        let mut v = self.0.clone();
        v.sort();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i.min(v.len() - 1)]
    }
    fn line(&self) -> String {
        if self.0.is_empty() {
            return "n/a".into();
        }
        format!(
            "p50 {:>9.3} ms  p95 {:>9.3} ms  max {:>9.3} ms  (n={})",
            ms(self.pct(0.5)),
            ms(self.pct(0.95)),
            ms(self.pct(1.0)),
            self.0.len()
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Report {
    edit_symbol: Samples,
    symbol: Samples,
    hover: Samples,
    edit_diag: Samples,
    hover_errors: usize,
    idle_rss: Option<u64>,
    open_rss: Option<u64>,
    /// After the open, once the server has been idle for two seconds.
    rest_rss: Option<u64>,
    /// After the editing session, once idle again.
    end_rss: Option<u64>,
    /// With a second copy of the document open, at rest.
    second_rss: Option<u64>,
    /// Right after the first document came to rest, with a copy of it opened beside it (and
    /// closed again before the edits), at rest.
    fresh_rss: Option<u64>,
    peak_rss: Option<u64>,
    open_to_symbol: Duration,
}

fn replay(cmd: &[String], language: &str, text: &str, edits: usize, seed: u64) -> Option<Report> {
    let mut s = Server::spawn(cmd).ok()?;
    let root = std::env::temp_dir();
    s.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": null,
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                    "publishDiagnostics": {"versionSupport": true},
                    "synchronization": {"dynamicRegistration": false}
                }
            },
            "workspaceFolders": null
        }),
    )?;
    s.notify("initialized", json!({}));
    s.pump(Duration::from_millis(300), None);
    let idle_rss = s.status("VmRSS:");
    let uri = format!("file://{}/replay-doc.capture.html", root.display());
    let mut doc = text.to_string();
    let mut version = 1i64;
    let t0 = Instant::now();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": doc}}),
    );
    s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    )?;
    let open_to_symbol = t0.elapsed();
    s.pump(Duration::from_millis(200), Some(version));
    let open_rss = s.status("VmRSS:");
    s.pump(Duration::from_secs(2), None);
    let rest_rss = s.status("VmRSS:");
    // What one more document costs while nothing else has run: open a copy, let it rest,
    // measure, and close it before the edits.
    let fresh = format!("file://{}/replay-fresh.capture.html", root.display());
    let fresh_rss = s.open_at_rest(&fresh, language, text)?;
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": fresh}}),
    );
    s.pump(Duration::from_millis(500), None);

    let mut rng = generator::Rng::new(seed);
    let body_start = doc.find("\n\n").map_or(0, |i| i + 2);
    let mut r = Report {
        edit_symbol: Samples::default(),
        symbol: Samples::default(),
        hover: Samples::default(),
        edit_diag: Samples::default(),
        hover_errors: 0,
        idle_rss,
        open_rss,
        rest_rss,
        end_rss: None,
        second_rss: None,
        fresh_rss,
        peak_rss: None,
        open_to_symbol,
    };
    let mut sent_at: HashMap<i64, Instant> = HashMap::new();
    for i in 0..edits {
        // A single-character edit at a random place in the body: insert or delete.
        let at = floor_boundary(&doc, body_start + rng.below(doc.len() - body_start));
        let pos = position(&doc, at);
        let (range, new_text) = if i % 2 == 0 || at >= doc.len() {
            let ch = *["x", "字", " ", "😀"].get(rng.below(4)).unwrap_or(&"x");
            doc.insert_str(at, ch);
            (json!({"start": pos, "end": pos}), ch.to_string())
        } else {
            let ch = doc[at..].chars().next().unwrap_or('x');
            if ch == '\n' || ch == '\r' {
                continue;
            }
            let end = position(&doc, at + ch.len_utf8());
            doc.replace_range(at..at + ch.len_utf8(), "");
            (json!({"start": pos, "end": end}), String::new())
        };
        version += 1;
        let t = Instant::now();
        sent_at.insert(version, t);
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": new_text}]}),
        );
        let id = s.request_async(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        let (done, _) = s.wait_response(id)?;
        r.edit_symbol.push(done.duration_since(t));
        let (d, _) = s.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )?;
        r.symbol.push(d);
        // Hover on a link or image URL near a random place (or the random place itself).
        let probe = floor_boundary(&doc, body_start + rng.below(doc.len() - body_start));
        let hover_at = doc[probe..]
            .find(" href=\"")
            .or_else(|| doc[probe..].find(" src=\""))
            .map_or(probe, |k| floor_boundary(&doc, probe + k + 8));
        let (d, v) = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position(&doc, hover_at)}),
        )?;
        if v.get("error").is_some() {
            r.hover_errors += 1;
        }
        r.hover.push(d);
    }
    // Collect the diagnostics still in flight for the last version.
    s.pump(Duration::from_secs(5), Some(version));
    for (v, at) in &s.diagnostics {
        if let Some(t) = sent_at.get(v) {
            r.edit_diag.push(at.duration_since(*t));
        }
    }
    r.peak_rss = s.status("VmHWM:");
    s.pump(Duration::from_secs(2), None);
    r.end_rss = s.status("VmRSS:");
    // A second document with the original text, after the edits: what one more open
    // document costs, without the process's one-time costs (code paged in, thread caches).
    let second = format!("file://{}/replay-second.capture.html", root.display());
    r.second_rss = s.open_at_rest(&second, language, text)?;
    let _ = s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
    Some(r)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing useful.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mut ours = vec![
        env!("CARGO_BIN_EXE_capture-lsp").to_string(),
        "--stdio".to_string(),
    ];
    // `REPLAY_LOG=FILE`: the server logs there (level from `CAPTURE_LSP_LOG`).
    if let Ok(log) = std::env::var("REPLAY_LOG") {
        ours.extend(["--log-file".to_string(), log]);
    }
    let peer = std::env::var("REPLAY_PEER")
        .ok()
        .map(PathBuf::from)
        .or_else(|| {
            let p = PathBuf::from("/tmp/peer/node_modules/.bin/vscode-html-language-server");
            p.exists().then_some(p)
        });
    let full = std::env::var("REPLAY_FULL").is_ok_and(|v| v == "1");
    let edits_override = std::env::var("REPLAY_EDITS")
        .ok()
        .and_then(|v| v.parse().ok());
    let sizes: Vec<String> = std::env::var("REPLAY_SIZES")
        .unwrap_or_else(|_| "seed,corpus,1m,10m".into())
        .split(',')
        .map(str::to_string)
        .collect();

    let mut inputs: Vec<(String, String)> = Vec::new();
    for size in &sizes {
        match size.as_str() {
            "seed" => {
                match std::fs::read_to_string(
                    generator::shared_dir().join("seed/bbc_65032731.capture.txt"),
                ) {
                    Ok(t) => inputs.push(("seed".into(), t)),
                    Err(e) => println!("replay: seed skipped ({e})"),
                }
            }
            "corpus" => {
                match generator::largest_corpus_file(&generator::shared_dir().join("corpus"))
                    .and_then(|p| std::fs::read(p).ok())
                {
                    Some(b) => inputs.push((
                        format!("corpus {}KB", b.len() / 1024),
                        String::from_utf8_lossy(&b).into_owned(),
                    )),
                    None => println!("replay: ../shared/corpus absent, corpus size skipped"),
                }
            }
            "1m" => inputs.push((
                "gen 1MB".into(),
                generator::capture(1 << 20, 11, generator::Layout::OneLine),
            )),
            "10m" => inputs.push((
                "gen 10MB".into(),
                generator::capture(10 << 20, 12, generator::Layout::OneLine),
            )),
            other => println!("replay: unknown size {other}"),
        }
    }

    for (name, text) in &inputs {
        let big = text.len() > 5 << 20;
        let mut servers: Vec<(&str, Vec<String>, &str, usize)> = vec![(
            "capture-lsp",
            ours.clone(),
            "capture",
            edits_override.unwrap_or(if big && !full { 50 } else { 200 }),
        )];
        if let Some(p) = &peer {
            servers.push((
                "vscode-html-language-server",
                vec![p.display().to_string(), "--stdio".into()],
                "html",
                edits_override.unwrap_or(if big && !full { 20 } else { 200 }),
            ));
        }
        for (server, cmd, lang, edits) in servers {
            println!(
                "\n== {name} ({} bytes) — {server}, {edits} edits",
                text.len()
            );
            match replay(&cmd, lang, text, edits, 42) {
                Some(r) => {
                    println!(
                        "  open → documentSymbol       {:>9.3} ms",
                        ms(r.open_to_symbol)
                    );
                    println!("  edit → documentSymbol       {}", r.edit_symbol.line());
                    println!("  documentSymbol (analysed)   {}", r.symbol.line());
                    println!(
                        "  hover                       {}{}",
                        r.hover.line(),
                        if r.hover_errors > 0 {
                            format!("  [{} error answers: not supported?]", r.hover_errors)
                        } else {
                            String::new()
                        }
                    );
                    println!("  edit → publishDiagnostics   {}", r.edit_diag.line());
                    println!(
                        "  RSS idle {}  open {}  open, at rest {}  after the edits, at rest {}  peak (VmHWM) {}",
                        kb(r.idle_rss),
                        kb(r.open_rss),
                        kb(r.rest_rss),
                        kb(r.end_rss),
                        kb(r.peak_rss)
                    );
                    let per_doc = |rss: Option<u64>| match (r.idle_rss, rss) {
                        (Some(i), Some(o)) => format!(
                            "{:.1}×",
                            (o.saturating_sub(i) as f64 * 1024.0) / text.len() as f64
                        ),
                        _ => "n/a".to_string(),
                    };
                    println!(
                        "  memory per open document: {} its size right after the open, {} at rest, {} at rest after the edits",
                        per_doc(r.open_rss),
                        per_doc(r.rest_rss),
                        per_doc(r.end_rss)
                    );
                    if let (Some(a), Some(b)) = (r.rest_rss, r.fresh_rss) {
                        println!(
                            "  a second copy opened beside it before the edits, at rest: +{} ({:.1}× its size)",
                            kb(Some(b.saturating_sub(a))),
                            (b.saturating_sub(a) as f64 * 1024.0) / text.len() as f64
                        );
                    }
                    if let (Some(a), Some(b)) = (r.end_rss, r.second_rss) {
                        println!(
                            "  a second open copy, at rest: +{} ({:.1}× its size)",
                            kb(Some(b.saturating_sub(a))),
                            (b.saturating_sub(a) as f64 * 1024.0) / text.len() as f64
                        );
                    }
                }
                None => println!("  replay failed (server died or timed out after {TIMEOUT:?})"),
            }
        }
    }
}
