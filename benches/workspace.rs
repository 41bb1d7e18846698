//! Workspace benchmark: generates N captures (default 100,000; `WS_BENCH_N`) from the corpus
//! templates in a temporary folder, runs the release server binary over stdio on it and
//! reports: cold index time (initialized → `$/progress` end), server RSS (current and peak)
//! with the index built, `workspace/symbol` latency (p50/p95/max over CJK, Latin and fuzzy
//! queries), and typing latency in an open capture (didChange → documentSymbol answered)
//! while the index builds and after.
//!
//! Run: `cargo bench --bench workspace` (set `WS_BENCH_DIR` to reuse a generated folder).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/workspace_gen.rs"]
mod workspace_gen;

struct Lsp {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for responses.
    notes: Vec<Value>,
}

fn send(stdin: &mut ChildStdin, v: &Value) {
    let body = v.to_string();
    let _ = write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body);
    let _ = stdin.flush();
}

impl Lsp {
    fn start() -> Lsp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_capture-lsp"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap_or(0);
                    }
                }
                let mut buf = vec![0u8; len];
                if r.read_exact(&mut buf).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                    && tx.send(v).is_err()
                {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            next_id: 1,
            notes: Vec::new(),
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        send(
            &mut self.stdin,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        );
    }

    /// Handle one incoming message: answer server requests, keep notifications.
    fn dispatch(&mut self, msg: Value) -> Option<Value> {
        if msg.get("method").is_some() {
            if let Some(id) = msg.get("id") {
                let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
                send(&mut self.stdin, &reply);
            } else {
                self.notes.push(msg);
            }
            return None;
        }
        Some(msg)
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        send(
            &mut self.stdin,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        loop {
            let msg = self
                .rx
                .recv_timeout(Duration::from_secs(120))
                .expect("response");
            if let Some(resp) = self.dispatch(msg)
                && resp["id"] == json!(id)
            {
                return resp["result"].clone();
            }
        }
    }

    /// Wait until a `$/progress` end arrives (or the timeout).
    fn wait_progress_end(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self
                .notes
                .iter()
                .any(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end")
            {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => {
                    self.dispatch(msg);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return false;
                }
            }
        }
    }

    /// Drain pending messages without blocking.
    fn pump(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            self.dispatch(msg);
        }
    }

    fn progress_ended(&mut self) -> bool {
        self.pump();
        self.notes
            .iter()
            .any(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end")
    }

    fn rss_kb(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or(f64::NAN)
}

fn stats(name: &str, v: &mut [f64]) {
    let p50 = percentile(v, 0.5);
    let p95 = percentile(v, 0.95);
    let max = percentile(v, 1.0);
    println!(
        "{name}: n={} p50={p50:.2} ms p95={p95:.2} ms max={max:.2} ms",
        v.len()
    );
}

/// didChange (append a character inside a paragraph) then documentSymbol: milliseconds.
fn type_once(lsp: &mut Lsp, doc: &str, text: &mut String, version: &mut i32) -> f64 {
    *version += 1;
    let at = text.find("</p>").unwrap_or(text.len());
    text.insert(at, '字');
    let t = Instant::now();
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": *version},
               "contentChanges": [{"text": text.clone()}]}),
    );
    lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": doc}}),
    );
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let n: usize = std::env::var("WS_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (dir, _keep) = match std::env::var("WS_BENCH_DIR") {
        Ok(d) => (PathBuf::from(d), None),
        Err(_) => {
            let t = tempfile::tempdir().expect("tempdir");
            (t.path().to_path_buf(), Some(t))
        }
    };
    let existing = std::fs::read_dir(&dir).map(|r| r.count()).unwrap_or(0);
    if existing == 0 {
        let templates = workspace_gen::templates(&manifest.join("../shared/corpus"));
        let t = Instant::now();
        workspace_gen::generate(&dir, n, &templates).expect("generate");
        let bytes: u64 = walk_size(&dir);
        println!(
            "generated {n} captures ({:.0} MB) from {} templates in {:.1} s",
            bytes as f64 / 1e6,
            templates.len(),
            t.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing {}", dir.display());
    }
    // Warm the page cache the way a second editor start would see it (and not measure
    // the disk of this shared machine).
    let _ = walk_size(&dir);

    let mut lsp = Lsp::start();
    let caps = json!({"window": {"workDoneProgress": true},
                      "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    lsp.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": caps,
               "workspaceFolders": [{"uri": uri(&dir), "name": "bench"}]}),
    );
    let (rss_before, _) = lsp.rss_kb();
    let t0 = Instant::now();
    lsp.notify("initialized", json!({}));

    // Typing while the index builds.
    let doc_path = dir
        .join("000")
        .join(format!("world-{}.md", workspace_gen::article_id(0)));
    let doc = uri(&doc_path);
    let mut text = std::fs::read_to_string(&doc_path).unwrap_or_default();
    let mut version = 1;
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "capture", "version": version, "text": text}}),
    );
    let mut during: Vec<f64> = Vec::new();
    while !lsp.progress_ended() && t0.elapsed() < Duration::from_secs(600) {
        during.push(type_once(&mut lsp, &doc, &mut text, &mut version));
        std::thread::sleep(Duration::from_millis(30));
    }
    let ended = lsp.wait_progress_end(Duration::from_secs(600));
    let cold = t0.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(300));
    let (rss, hwm) = lsp.rss_kb();
    println!(
        "cold index: {cold:.2} s ({}), server RSS {:.0} MB (before indexing {:.0} MB, peak {:.0} MB)",
        if ended { "progress ended" } else { "TIMED OUT" },
        rss as f64 / 1024.0,
        rss_before as f64 / 1024.0,
        hwm as f64 / 1024.0
    );

    let mut after: Vec<f64> = Vec::new();
    for _ in 0..during.len().clamp(30, 200) {
        after.push(type_once(&mut lsp, &doc, &mut text, &mut version));
        std::thread::sleep(Duration::from_millis(5));
    }
    if !during.is_empty() {
        stats(
            "typing while indexing (didChange→documentSymbol)",
            &mut during,
        );
    }
    stats(
        "typing after indexing  (didChange→documentSymbol)",
        &mut after,
    );

    let mut queries: Vec<String> = Vec::new();
    queries.extend(workspace_gen::CJK_WORDS.iter().map(|s| s.to_string()));
    queries.extend(workspace_gen::LATIN_WORDS.iter().map(|s| s.to_lowercase()));
    queries.extend(
        [
            "smt",
            "elc rep",
            "dplmcy",
            "report 4242",
            "普京",
            "乌克兰 危机",
            "related",
            "xyzzy",
            "e",
            "中",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut lat: Vec<f64> = Vec::new();
    let mut hits = 0usize;
    for round in 0..4 {
        for q in &queries {
            let t = Instant::now();
            let r = lsp.request("workspace/symbol", json!({"query": q}));
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
            if round == 0 {
                hits += r.as_array().map(Vec::len).unwrap_or(0);
            }
        }
    }
    stats("workspace/symbol", &mut lat);
    println!(
        "  ({} queries, {hits} hits in the first round)",
        queries.len()
    );

    let _ = lsp.request("shutdown", Value::Null);
    lsp.notify("exit", Value::Null);
    // Close stdin (the server's blocking stdin read ends), then make sure it is gone.
    let Lsp {
        mut child, stdin, ..
    } = lsp;
    drop(stdin);
    for _ in 0..50 {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("server did not exit after `exit`; killing it");
    let _ = child.kill();
    let _ = child.wait();
}

fn walk_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                total += bytes.len() as u64;
            }
        }
    }
    total
}
