//! End-to-end tests of the workspace index: the server in-process over an in-memory duplex
//! with the real `Content-Length` framing, on a small workspace of captures written here.
//! Symbols (Chinese and English), definition from a root-relative BBC link, references,
//! code lens, cross-capture previews, credit recovery data, index updates from disk events
//! and unsaved edits, `$/progress`, and single-file mode.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::oneshot;
use tower_lsp_server::ls_types::Uri;

use capture_lsp::ide::workspace::{Entry, Index, header_backlinks, link_preview};

// ---------------------------------------------------------------------------------------
// Fixtures

const PUTIN: &str = "<!--1679000000000-->\n[乌克兰战争：普京突访马里乌波尔](https://www.bbc.com/zhongwen/simp/world-64998418)\n------\n\n<main role=\"main\"><div><p>俄罗斯总统普京周末突访被占领的乌克兰城市马里乌波尔，这是他首次访问该地区。</p><h2 id=\"reaction\">乌克兰的反应</h2><p>基辅称此举是“挑衅”。</p><div data-e2e=\"image-placeholder\"><img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1234/production/_129000001_putin.jpg\" alt=\"普京在马里乌波尔\" width=\"976\" height=\"549\"/><p role=\"text\"><span>图像来源，</span><span>KREMLIN POOL/SPUTNIK/EPA</span></p></div><h2>Sanctions Timeline</h2></div></main>\n";

const SUMMIT: &str = "<!--1679425984000-->\n[习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”](https://www.bbc.com/zhongwen/simp/chinese-news-65032731)\n------\n\n<main role=\"main\"><div><p>中国国家主席习近平与俄罗斯总统普京在莫斯科会谈。</p><div data-e2e=\"image-placeholder\"><img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1234/production/_129000001_putin.jpg\" alt=\"普京\"/></div><h2>International Reaction</h2><p>相关报道：<a href=\"/zhongwen/simp/world-64998418\">普京突访马里乌波尔</a>，<a href=\"/zhongwen/simp/world-64998418#reaction\">乌克兰的反应</a></p></div></main>\n";

const RECAPTURE: &str = "<!--1679100000000-->\n[乌克兰战争：普京突访马里乌波尔（更新）](http://www.bbc.com//zhongwen/simp/world-64998418/)\n------\n\n<main><p>更新版本。</p></main>\n";

const NEW_FILE: &str = "<!--1680000000000-->\n[Diplomacy Explainer: what the summit means](https://www.bbc.com/news/world-99999999)\n------\n\n<main><p>An explainer.</p><a href=\"https://www.bbc.com/zhongwen/simp/chinese-news-65032731\">summit</a></main>\n";

fn write_workspace(dir: &Path) {
    std::fs::create_dir_all(dir.join("bbc")).ok();
    std::fs::create_dir_all(dir.join("skipped")).ok();
    std::fs::write(dir.join("bbc/world-64998418.md"), PUTIN).ok();
    std::fs::write(dir.join("bbc/chinese-news-65032731.txt"), SUMMIT).ok();
    // Detected by content, whatever the extension.
    std::fs::write(dir.join("recapture.capture"), RECAPTURE).ok();
    // Not captures.
    std::fs::write(dir.join("README.md"), "# archive\n\nnotes").ok();
    std::fs::write(dir.join("image.bin"), [0u8, 1, 2, 3]).ok();
    // Ignored by .gitignore (no git repository needed).
    std::fs::write(dir.join(".gitignore"), "skipped/\n").ok();
    std::fs::write(
        dir.join("skipped/ignored.md"),
        PUTIN.replace("突访马里乌波尔", "被忽略"),
    )
    .ok();
}

fn uri_of(path: &Path) -> String {
    Uri::from_file_path(path)
        .map(|u| u.as_str().to_string())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// A minimal LSP client over the real framing

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;
type Writer = Arc<tokio::sync::Mutex<tokio::io::WriteHalf<DuplexStream>>>;

struct Client {
    writer: Writer,
    pending: Pending,
    notes: Arc<Mutex<Vec<Value>>>,
    server_requests: Arc<Mutex<Vec<Value>>>,
    next_id: i64,
}

async fn write_msg(w: &Writer, v: &Value) {
    let body = v.to_string();
    let frame = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
    let mut w = w.lock().await;
    w.write_all(frame.as_bytes()).await.expect("write");
    w.flush().await.expect("flush");
}

async fn read_msg(r: &mut BufReader<tokio::io::ReadHalf<DuplexStream>>) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut buf = vec![0u8; len?];
    r.read_exact(&mut buf).await.ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Client {
    fn start() -> Client {
        let (cr, cw) = tokio::io::split(common::serve_in_memory());
        let writer: Writer = Arc::new(tokio::sync::Mutex::new(cw));
        let pending: Pending = Arc::default();
        let notes: Arc<Mutex<Vec<Value>>> = Arc::default();
        let server_requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let (p, n, sreq, w) = (
            pending.clone(),
            notes.clone(),
            server_requests.clone(),
            writer.clone(),
        );
        tokio::spawn(async move {
            let mut r = BufReader::new(cr);
            while let Some(msg) = read_msg(&mut r).await {
                let has_method = msg.get("method").is_some();
                match (msg.get("id").cloned(), has_method) {
                    (Some(id), true) => {
                        // A request from the server: answer it (registration, progress
                        // creation, configuration …) and remember it.
                        sreq.lock().expect("lock").push(msg.clone());
                        let result = if msg["method"] == "workspace/configuration" {
                            json!([null])
                        } else {
                            Value::Null
                        };
                        let w = w.clone();
                        tokio::spawn(async move {
                            write_msg(&w, &json!({"jsonrpc": "2.0", "id": id, "result": result}))
                                .await;
                        });
                    }
                    (Some(id), false) => {
                        let tx = id.as_i64().and_then(|i| p.lock().expect("lock").remove(&i));
                        if let Some(tx) = tx {
                            let _ = tx.send(msg);
                        }
                    }
                    (None, _) => n.lock().expect("lock").push(msg),
                }
            }
        });
        Client {
            writer,
            pending,
            notes,
            server_requests,
            next_id: 1,
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let (tx, rx) = oneshot::channel();
        self.pending.lock().expect("lock").insert(id, tx);
        write_msg(
            &self.writer,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .await;
        let msg = tokio::time::timeout(Duration::from_secs(20), rx)
            .await
            .expect("response in time")
            .expect("response");
        assert!(msg.get("error").is_none(), "{method}: {msg}");
        msg["result"].clone()
    }

    async fn notify(&mut self, method: &str, params: Value) {
        write_msg(
            &self.writer,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        )
        .await;
    }

    async fn initialize(&mut self, root: Option<&Path>, caps: Value) {
        self.initialize_with(root, caps, Value::Null).await;
    }

    async fn initialize_with(&mut self, root: Option<&Path>, caps: Value, options: Value) {
        let folders = match root {
            Some(r) => json!([{"uri": uri_of(r), "name": "ws"}]),
            None => Value::Null,
        };
        let result = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": caps,
                       "workspaceFolders": folders, "initializationOptions": options}),
            )
            .await;
        let c = &result["capabilities"];
        assert_eq!(c["workspaceSymbolProvider"], json!(true));
        assert_eq!(c["definitionProvider"], json!(true));
        assert_eq!(c["referencesProvider"], json!(true));
        assert!(c["codeLensProvider"].is_object());
        self.notify("initialized", json!({})).await;
    }

    async fn open(&mut self, path: &Path, text: &str, version: i32) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri_of(path), "languageId": "capture",
                                     "version": version, "text": text}}),
        )
        .await;
    }

    async fn symbols(&mut self, query: &str) -> Vec<(String, String)> {
        let r = self
            .request("workspace/symbol", json!({"query": query}))
            .await;
        r.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        (
                            s["name"].as_str().unwrap_or_default().to_string(),
                            s["location"]["uri"]
                                .as_str()
                                .unwrap_or_default()
                                .to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Poll `workspace/symbol` until `pred` holds (the index builds in the background).
    async fn wait_symbols(
        &mut self,
        query: &str,
        pred: impl Fn(&[(String, String)]) -> bool,
    ) -> Vec<(String, String)> {
        for _ in 0..200 {
            let s = self.symbols(query).await;
            if pred(&s) {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "symbols for {query:?} never satisfied the condition: {:?}",
            self.symbols(query).await
        );
    }
}

fn pos_of(text: &str, needle: &str) -> Value {
    // Position (UTF-16) of the middle of `needle`'s first occurrence.
    let at = text.find(needle).expect("needle") + needle.len() / 2;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col: usize = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .encode_utf16()
        .count();
    json!({"line": line, "character": col})
}

fn caps() -> Value {
    json!({
        "window": {"workDoneProgress": true},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true},
                       "codeLens": {"refreshSupport": true}},
        "general": {"positionEncodings": ["utf-16"]}
    })
}

// ---------------------------------------------------------------------------------------
// Tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_end_to_end() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().canonicalize().expect("canonical");
    write_workspace(&root);
    let putin = root.join("bbc/world-64998418.md");
    let summit = root.join("bbc/chinese-news-65032731.txt");

    let mut c = Client::start();
    c.initialize(Some(&root), caps()).await;

    // Symbol search: Chinese substring, English fuzzy; ignored and non-captures left out.
    let found = c.wait_symbols("马里乌波尔", |s| s.len() >= 2).await;
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"乌克兰战争：普京突访马里乌波尔"),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("被忽略")), "{names:?}");
    let en = c.symbols("intl reaction").await;
    assert_eq!(
        en.first().map(|(n, _)| n.as_str()),
        Some("International Reaction"),
        "{en:?}"
    );
    assert_eq!(en.first().map(|(_, u)| u.clone()), Some(uri_of(&summit)));
    assert!(
        c.symbols("sanctions")
            .await
            .iter()
            .any(|(n, _)| n == "Sanctions Timeline")
    );
    assert!(c.symbols("README").await.is_empty());

    // Progress was reported (begin … end) and watchers registered dynamically.
    let kinds: Vec<String> = c
        .notes
        .lock()
        .expect("lock")
        .iter()
        .filter(|n| n["method"] == "$/progress")
        .map(|n| {
            n["params"]["value"]["kind"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds.first().map(String::as_str),
        Some("begin"),
        "{kinds:?}"
    );
    for _ in 0..100 {
        if c.notes
            .lock()
            .expect("lock")
            .iter()
            .any(|n| n["params"]["value"]["kind"] == "end")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let reqs: Vec<String> = c
        .server_requests
        .lock()
        .expect("lock")
        .iter()
        .map(|r| r["method"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        reqs.contains(&"client/registerCapability".to_string()),
        "{reqs:?}"
    );
    assert!(
        reqs.contains(&"window/workDoneProgress/create".to_string()),
        "{reqs:?}"
    );

    // Definition from a root-relative BBC link to the captured target (both captures of
    // that URL: the re-capture has http, a doubled slash and a trailing slash).
    c.open(&summit, SUMMIT, 1).await;
    let def = c
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri_of(&summit)},
                   "position": pos_of(SUMMIT, "/zhongwen/simp/world-64998418\"")}),
        )
        .await;
    let uris: Vec<&str> = def
        .as_array()
        .expect("locations")
        .iter()
        .filter_map(|l| l["uri"].as_str())
        .collect();
    assert!(uris.contains(&uri_of(&putin).as_str()), "{def}");
    assert!(
        uris.contains(&uri_of(&root.join("recapture.capture")).as_str()),
        "{def}"
    );
    let to_putin = def
        .as_array()
        .and_then(|a| a.iter().find(|l| l["uri"] == json!(uri_of(&putin))))
        .expect("putin");
    assert_eq!(
        to_putin["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    // With a #fragment: the heading it names.
    let def = c
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri_of(&summit)},
                   "position": pos_of(SUMMIT, "world-64998418#reaction")}),
        )
        .await;
    let to_heading = def
        .as_array()
        .and_then(|a| a.iter().find(|l| l["uri"] == json!(uri_of(&putin))))
        .expect("heading");
    assert_eq!(
        to_heading["range"]["start"],
        pos_of_start(PUTIN, "<h2 id=\"reaction\">")
    );
    // On an image: the other capture holding the same image.
    let def = c
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri_of(&summit)},
                   "position": pos_of(SUMMIT, "weserv")}),
        )
        .await;
    assert_eq!(def[0]["uri"], json!(uri_of(&putin)), "{def}");

    // Cross-capture hover: the link shows the captured target's title, lede and sections.
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri_of(&summit)},
                   "position": pos_of(SUMMIT, "world-64998418#reaction")}),
        )
        .await;
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("**Captured in workspace:** 乌克兰战争：普京突访马里乌波尔"),
        "{md}"
    );
    assert!(md.contains("→ section **乌克兰的反应**"), "{md}");
    assert!(md.contains("俄罗斯总统普京周末突访"), "lede: {md}");
    // The summit's image has no credit; the same image is credited in the other capture:
    // the hover says so and a quick fix adds that credit in this capture's style.
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri_of(&summit)},
                   "position": pos_of(SUMMIT, "<img")}),
        )
        .await;
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("**Credit recovered**") && md.contains("KREMLIN POOL/SPUTNIK/EPA"),
        "{md}"
    );
    let at = pos_of(SUMMIT, "<img");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri_of(&summit)}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let recovered = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("KREMLIN POOL/SPUTNIK/EPA"))
            })
        })
        .unwrap_or_else(|| panic!("recovered-credit fix: {actions}"));
    let edit = &recovered["edit"]["changes"][uri_of(&summit)][0];
    assert_eq!(
        edit["newText"],
        "<p role=\"text\"><span>图像来源，</span><span>KREMLIN POOL/SPUTNIK/EPA</span></p>"
    );

    // References on the header URL of the target: the two links in the summit capture.
    c.open(&putin, PUTIN, 1).await;
    // The header hover counts the captures that link here and the re-captures.
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri_of(&putin)},
                   "position": pos_of(PUTIN, "world-64998418)")}),
        )
        .await;
    let md = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("**1 capture link here**"), "{md}");
    assert!(md.contains("**1 other capture of this URL**"), "{md}");
    let refs = c
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri_of(&putin)},
                   "position": pos_of(PUTIN, "world-64998418)"),
                   "context": {"includeDeclaration": false}}),
        )
        .await;
    let refs = refs.as_array().expect("refs");
    assert_eq!(refs.len(), 2, "{refs:?}");
    assert!(refs.iter().all(|l| l["uri"] == json!(uri_of(&summit))));
    assert_eq!(
        refs[0]["range"]["start"],
        pos_of_start(SUMMIT, "/zhongwen/simp/world-64998418\"")
    );

    // Code lens on the header.
    let lens = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri_of(&putin)}}),
        )
        .await;
    let title = lens[0]["command"]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(title.starts_with("1 capture links here"), "{title}");
    assert!(title.contains("1 other capture"), "{title}");

    // A file created on disk (and announced by the watcher) is indexed; changed; deleted.
    let new = root.join("news-99999999.md");
    std::fs::write(&new, NEW_FILE).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&new), "type": 1}]}),
    )
    .await;
    c.wait_symbols("diplomacy explainer", |s| {
        s.iter().any(|(_, u)| *u == uri_of(&new))
    })
    .await;
    std::fs::write(
        &new,
        NEW_FILE.replace("Diplomacy Explainer", "Trade Explainer"),
    )
    .expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&new), "type": 2}]}),
    )
    .await;
    c.wait_symbols("trade explainer", |s| !s.is_empty()).await;
    c.wait_symbols("diplomacy explainer", |s| s.is_empty())
        .await;
    // Renamed by the editor (workspace/didRenameFiles): the entry moves with the file.
    let renamed = root.join("news-renamed.md");
    std::fs::rename(&new, &renamed).expect("rename");
    c.notify(
        "workspace/didRenameFiles",
        json!({"files": [{"oldUri": uri_of(&new), "newUri": uri_of(&renamed)}]}),
    )
    .await;
    c.wait_symbols("trade explainer", |s| {
        s.iter().all(|(_, u)| *u == uri_of(&renamed)) && !s.is_empty()
    })
    .await;
    // Deleted by the editor (workspace/didDeleteFiles).
    std::fs::remove_file(&renamed).expect("remove");
    c.notify(
        "workspace/didDeleteFiles",
        json!({"files": [{"uri": uri_of(&renamed)}]}),
    )
    .await;
    c.wait_symbols("trade explainer", |s| s.is_empty()).await;
    // Created by the editor (workspace/didCreateFiles), then deleted on disk (watcher).
    std::fs::write(&new, NEW_FILE).expect("write");
    c.notify(
        "workspace/didCreateFiles",
        json!({"files": [{"uri": uri_of(&new)}]}),
    )
    .await;
    c.wait_symbols("diplomacy explainer", |s| !s.is_empty())
        .await;
    std::fs::remove_file(&new).expect("remove");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&new), "type": 3}]}),
    )
    .await;
    c.wait_symbols("diplomacy explainer", |s| s.is_empty())
        .await;

    // An unsaved edit in an open document overrides the disk; closing restores the disk.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_of(&putin), "version": 2},
               "contentChanges": [{"text": PUTIN.replace("Sanctions Timeline", "Energy Embargo")}]}),
    )
    .await;
    c.wait_symbols("energy embargo", |s| !s.is_empty()).await;
    c.wait_symbols("sanctions timeline", |s| s.is_empty()).await;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri_of(&putin)}}),
    )
    .await;
    c.wait_symbols("sanctions timeline", |s| !s.is_empty())
        .await;
    c.wait_symbols("energy embargo", |s| s.is_empty()).await;

    // A deleted folder drops its captures.
    std::fs::remove_dir_all(root.join("bbc")).expect("rm");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&root.join("bbc")), "type": 3}]}),
    )
    .await;
    c.wait_symbols("international reaction", |s| s.is_empty())
        .await;
}

fn pos_of_start(text: &str, needle: &str) -> Value {
    let at = text.find(needle).expect("needle");
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col: usize = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .encode_utf16()
        .count();
    json!({"line": line, "character": col})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_file_mode() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().canonicalize().expect("canonical");
    let file = root.join("lonely.md");
    std::fs::write(&file, PUTIN).expect("write");
    let mut c = Client::start();
    // No workspace folders, a client without progress or watcher support.
    c.initialize(None, json!({})).await;
    c.open(&file, PUTIN, 1).await;
    let found = c.wait_symbols("普京", |s| !s.is_empty()).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let outline = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri_of(&file)}}),
        )
        .await;
    assert!(outline.is_array(), "{outline}");
    // A link to an uncaptured article has no definition (null), and nothing breaks.
    let def = c
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri_of(&file)}, "position": {"line": 4, "character": 3}}),
        )
        .await;
    assert!(def.is_null(), "{def}");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri_of(&file)}}),
    )
    .await;
    c.wait_symbols("普京", |s| s.is_empty()).await;
    assert!(
        c.notes
            .lock()
            .expect("lock")
            .iter()
            .all(|n| n["method"] != "$/progress")
    );
}

/// The pure pieces the hover and the fixes call: link preview, header backlinks, credit
/// recovery data.
#[test]
fn previews_and_credit_recovery() {
    let mut ix = Index::default();
    for (k, t) in [
        ("file:///a/putin.md", PUTIN),
        ("file:///a/summit.md", SUMMIT),
        ("file:///a/re.md", RECAPTURE),
    ] {
        ix.insert(Entry::from_text(k, t).expect("capture"));
    }
    let putin = ix.entry("file:///a/putin.md").expect("entry");
    let md = link_preview(putin, Some("reaction"));
    assert!(md.contains("普京突访马里乌波尔"), "{md}");
    assert!(md.contains("2023-03-16"), "{md}");
    assert!(md.contains("→ section **乌克兰的反应**"), "{md}");
    assert!(md.contains("> 俄罗斯总统普京周末突访"), "{md}");
    assert!(md.contains("- Sanctions Timeline"), "{md}");

    let hb = header_backlinks(
        &ix,
        "file:///a/putin.md",
        "https://www.bbc.com/zhongwen/simp/world-64998418",
    );
    assert_eq!(hb.link_count, 2);
    assert_eq!(hb.linking.len(), 1);
    assert_eq!(hb.same_url.len(), 1);
    let md = hb.to_markdown();
    assert!(md.contains("**1 capture link here**"), "{md}");
    assert!(md.contains("**1 other capture of this URL**"), "{md}");

    // The summit capture uses the image without a credit; the putin capture credits it.
    let summit = ix.entry("file:///a/summit.md").expect("entry");
    let img = summit.images.first().expect("image");
    assert!(img.credit.is_none());
    let credits = ix.credits_for_image(&img.key);
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].credit, "KREMLIN POOL/SPUTNIK/EPA");
    assert_eq!(&*credits[0].key, "file:///a/putin.md");
    // The proxied form finds the same credits.
    let proxied = "https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1234/production/_129000001_putin.jpg";
    assert_eq!(ix.credits_for_image(proxied), credits);
}

/// Include/exclude globs from the settings decide which files of a folder are indexed.
#[tokio::test]
async fn include_and_exclude_globs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().canonicalize().expect("canonical");
    write_workspace(&root);
    std::fs::create_dir_all(root.join("drafts")).ok();
    std::fs::write(
        root.join("drafts/draft.md"),
        "<!--1679000000000-->\n[草稿：未发布的文章](https://www.bbc.com/zhongwen/simp/draft-1)\n------\n\n<p>x</p>\n",
    )
    .ok();
    let mut c = Client::start();
    c.initialize_with(
        Some(&root),
        caps(),
        json!({"workspace": {"include": ["**/*.md", "**/*.txt"], "exclude": ["drafts/**"]}}),
    )
    .await;
    // Wait for the indexing to end ($/progress end), then look.
    for _ in 0..250 {
        let done = c
            .notes
            .lock()
            .expect("lock")
            .iter()
            .any(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end");
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Indexed: the .md and .txt captures outside drafts/.
    let found = c.wait_symbols("普京", |s| !s.is_empty()).await;
    assert!(!found.is_empty());
    assert!(c.symbols("草稿").await.is_empty(), "excluded by glob");
    // Not included: the *.capture re-capture.
    assert!(
        c.symbols("更新").await.is_empty(),
        "not in the include globs"
    );
}
