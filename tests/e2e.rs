//! End-to-end: the real server in-process over the real JSON-RPC framing.

mod common;

use common::{Client, SEED, position_of};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/article.capture";

fn find_symbol<'a>(sym: &'a Value, name: &str) -> Option<&'a Value> {
    if sym["name"] == name {
        return Some(sym);
    }
    sym["children"]
        .as_array()?
        .iter()
        .find_map(|c| find_symbol(c, name))
}

fn names(sym: &Value, out: &mut Vec<String>) {
    out.push(sym["name"].as_str().unwrap_or("").to_string());
    for c in sym["children"].as_array().into_iter().flatten() {
        names(c, out);
    }
}

#[tokio::test]
async fn initialize_open_outline_edit_outline_shutdown() {
    let mut client = Client::start();
    let init = client.initialize(&["utf-16"]).await;
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        2
    );
    client.open(URI, SEED).await;

    let resp = client.document_symbol(URI).await;
    let root = &resp["result"][0];
    assert_eq!(root["name"], "示例：港口重建“三年计划”启动");
    assert!(root["detail"].as_str().unwrap().contains("2024-05-02"));
    assert!(root["detail"].as_str().unwrap().contains("www.bbc.com"));
    let section = find_symbol(root, "重建计划").expect("section");
    // Selection range covers exactly the heading text, in utf-16 columns.
    let start = SEED.find(">重建计划</h2>").unwrap() + 1;
    let end = start + "重建计划".len();
    let (l0, c0) = position_of(SEED, start, true);
    let (l1, c1) = position_of(SEED, end, true);
    assert_eq!(
        section["selectionRange"],
        json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
    );
    let mut all = Vec::new();
    names(root, &mut all);
    assert!(all.iter().any(|n| n == "Twitter post"), "{all:?}");
    assert!(all.iter().any(|n| n == "Media player"), "{all:?}");
    assert!(
        all.iter().any(|n| n == "港口的集装箱（2/5/2024）"),
        "{all:?}"
    );
    // A figure's detail is its image's file name, behind the proxy.
    let figure = find_symbol(root, "港口的集装箱（2/5/2024）").unwrap();
    assert_eq!(figure["detail"], "_1_reuters_harbour.jpg");

    // Incremental edit: rename the section heading, then ask again right away.
    let (l, c) = position_of(SEED, start, true);
    client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": 2},
                "contentChanges": [{
                    "range": {"start": {"line": l, "character": c}, "end": {"line": l, "character": c + 2}},
                    "text": "新的"
                }]
            }),
        )
        .await;
    let resp = client.document_symbol(URI).await;
    assert!(
        find_symbol(&resp["result"][0], "新的计划").is_some(),
        "{resp}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn utf8_positions_when_offered() {
    let mut client = Client::start();
    let init = client.initialize(&["utf-8", "utf-16"]).await;
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    client.open(URI, SEED).await;
    let resp = client.document_symbol(URI).await;
    let section = find_symbol(&resp["result"][0], "重建计划").unwrap();
    let start = SEED.find(">重建计划</h2>").unwrap() + 1;
    let (l0, c0) = position_of(SEED, start, false);
    let (l1, c1) = position_of(SEED, start + "重建计划".len(), false);
    assert_eq!(
        section["selectionRange"],
        json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
    );
}

#[tokio::test]
async fn change_then_symbol_sees_new_text_every_time() {
    // Regression for edit ordering: notifications are handled concurrently, so each
    // didChange must be applied before the request that follows it.
    let mut client = Client::start();
    client.initialize(&["utf-16"]).await;
    let text = "<!--1714640000000-->\n[T](https://e.com/a)\n------\n\n<h2>v1</h2>";
    client.open(URI, text).await;
    for v in 2..40 {
        client
            .notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": URI, "version": v},
                    "contentChanges": [{"text": format!("<!--1714640000000-->\n[T](https://e.com/a)\n------\n\n<h2>v{v}</h2>")}]
                }),
            )
            .await;
        let resp = client.document_symbol(URI).await;
        let name = format!("v{v}");
        assert!(
            find_symbol(&resp["result"][0], &name).is_some(),
            "version {v}: {resp}"
        );
    }
}

#[tokio::test]
async fn unknown_documents_and_bad_params() {
    let mut client = Client::start();
    client.initialize(&[]).await;
    let resp = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///nope"}}),
        )
        .await;
    assert_eq!(resp["result"], Value::Null);
    let resp = client
        .request("textDocument/documentSymbol", json!({"textDocument": 42}))
        .await;
    assert_eq!(resp["error"]["code"], -32602, "{resp}");
    // Positions far past the end clamp instead of failing.
    client.open(URI, SEED).await;
    let resp = client
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [{"line": 9999, "character": 9999}]}),
        )
        .await;
    assert!(resp["result"].is_array(), "{resp}");
}

#[tokio::test]
async fn folding_and_selection_ranges() {
    let mut client = Client::start();
    client.initialize(&["utf-16"]).await;
    client.open(URI, SEED).await;
    let resp = client
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    // The header (lines 0–3) folds; the one-line body cannot.
    assert_eq!(resp["result"][0]["startLine"], 0);
    assert_eq!(resp["result"][0]["endLine"], 4);
    let offset = SEED.find("重建计划</h2>").unwrap();
    let (l, c) = position_of(SEED, offset, true);
    let resp = client
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [{"line": l, "character": c}]}),
        )
        .await;
    // Innermost: the heading text; then the h2 element, its div, …
    let sel = &resp["result"][0];
    let (_, c1) = position_of(SEED, offset + "重建计划".len(), true);
    assert_eq!(sel["range"]["start"]["character"], c);
    assert_eq!(sel["range"]["end"]["character"], c1);
    assert!(
        sel["parent"]["range"]["start"]["character"]
            .as_u64()
            .unwrap()
            < c as u64
    );
}

async fn hover_in(enc: &str) {
    let mut client = Client::start();
    client.initialize(&[enc]).await;
    client.open(URI, SEED).await;
    let utf16 = enc == "utf-16";
    // Inside the credit text, past CJK and emoji-free but multi-byte content.
    let off = SEED.find("REUTERS").unwrap() + 2;
    let (l, c) = position_of(SEED, off, utf16);
    let resp = client.hover(URI, l, c).await;
    let value = resp["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(value.starts_with("**Credit** REUTERS"), "{value}");
    let start = SEED.find("REUTERS").unwrap();
    let (l0, c0) = position_of(SEED, start, utf16);
    let (l1, c1) = position_of(SEED, start + "REUTERS".len(), utf16);
    assert_eq!(
        resp["result"]["range"],
        json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
    );
    // The image: credit, size and the original behind the proxy.
    let off = SEED.find("<img").unwrap() + 1;
    let (l, c) = position_of(SEED, off, utf16);
    let resp = client.hover(URI, l, c).await;
    let value = resp["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("976×549"), "{value}");
    assert!(value.contains("**REUTERS**"), "{value}");
    assert!(
        value.contains(
            "`https://ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_reuters_harbour.jpg`"
        ),
        "{value}"
    );
}

#[tokio::test]
async fn hover_utf16() {
    hover_in("utf-16").await;
}

#[tokio::test]
async fn hover_utf8() {
    hover_in("utf-8").await;
}

#[tokio::test]
async fn plaintext_hover_when_client_lacks_markdown() {
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {"textDocument": {"hover": {"contentFormat": ["plaintext"]}}}}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    client.open(URI, SEED).await;
    let off = SEED.find("<img").unwrap() + 1;
    let (l, c) = position_of(SEED, off, true);
    let resp = client.hover(URI, l, c).await;
    assert_eq!(resp["result"]["contents"]["kind"], "plaintext");
    let value = resp["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("Image 976×549"), "{value}");
    assert!(!value.contains("**"));
}

#[tokio::test]
async fn document_links_and_inlay_hints() {
    let mut client = Client::start();
    client.initialize(&["utf-16"]).await;
    client.open(URI, SEED).await;
    let resp = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let links = resp["result"].as_array().unwrap();
    let targets: Vec<&str> = links.iter().filter_map(|l| l["target"].as_str()).collect();
    assert!(
        targets.contains(&"https://www.bbc.com/zhongwen/simp/world-00000001"),
        "{targets:?}"
    );
    // Proxied images link to the original.
    assert!(
        targets.contains(
            &"https://ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_reuters_harbour.jpg"
        ),
        "{targets:?}"
    );
    let resp = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
        )
        .await;
    let hints = resp["result"].as_array().unwrap();
    assert_eq!(hints[0]["label"], " 2024-05-02T08:53:20Z");
    assert_eq!(hints[0]["position"], json!({"line": 0, "character": 20}));
    assert!(
        hints.iter().any(|h| h["label"] == " = 2024-05-02"),
        "{hints:?}"
    );
}

#[tokio::test]
async fn large_files_say_so_once_and_still_get_diagnostics() {
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"largeFileThreshold": 1000}}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    client.open(URI, SEED).await;
    let msg = client.wait_notification("window/showMessage").await;
    let text = msg["params"]["message"].as_str().unwrap();
    assert!(text.contains("largeFileThreshold"), "{text}");
    assert!(text.contains("sections only"), "{text}");
    // Typing goes on; outline answers at once, diagnostics follow when typing pauses.
    for v in 2..5 {
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": v},
                       "contentChanges": [{"range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}}, "text": " "}]}),
            )
            .await;
    }
    let resp = client.document_symbol(URI).await;
    assert!(resp["result"][0]["name"].is_string());
    // The reduced outline: sections (NAMESPACE) only, no figures (OBJECT) or embeds (EVENT).
    fn kinds(node: &Value, out: &mut Vec<u64>) {
        for c in node["children"].as_array().into_iter().flatten() {
            out.extend(c["kind"].as_u64());
            kinds(c, out);
        }
    }
    let mut seen = Vec::new();
    kinds(&resp["result"][0], &mut seen);
    assert!(seen.contains(&3), "{seen:?}");
    assert!(seen.iter().all(|&k| k == 3), "{seen:?}");
    let diags = client
        .wait_notification("textDocument/publishDiagnostics")
        .await;
    assert_eq!(
        diags["params"]["version"], 4,
        "only the settled version is diagnosed"
    );
    assert!(
        !client
            .notifications
            .iter()
            .any(|n| n["method"] == "window/showMessage"),
        "the message is shown once"
    );
}

/// Apply a WorkspaceEdit's text edits for one document to its text (positions in utf-16).
fn apply_edits(text: &str, edit: &Value, uri: &str) -> String {
    let edits = edit["changes"][uri]
        .as_array()
        .cloned()
        .or_else(|| {
            edit["documentChanges"].as_array().and_then(|dc| {
                dc.iter()
                    .find(|d| d["textDocument"]["uri"] == uri)
                    .and_then(|d| d["edits"].as_array().cloned())
            })
        })
        .expect("edits for the document");
    let index = capture_lsp::text::LineIndex::new(text);
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let pos = |p: &Value| {
                index.offset(
                    capture_lsp::text::LineCol {
                        line: p["line"].as_u64().unwrap() as u32,
                        col: p["character"].as_u64().unwrap() as u32,
                    },
                    capture_lsp::text::Encoding::Utf16,
                )
            };
            (
                pos(&e["range"]["start"]),
                pos(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

#[tokio::test]
async fn diagnostics_code_action_edit_and_republish() {
    let mut client = Client::start();
    client.initialize(&["utf-16"]).await;
    client.open(URI, SEED).await;
    let diags = client
        .wait_notification("textDocument/publishDiagnostics")
        .await;
    let list = diags["params"]["diagnostics"].as_array().unwrap().clone();
    let empty = list
        .iter()
        .find(|d| d["code"] == "CAP201")
        .unwrap_or_else(|| panic!("empty embed flagged: {list:?}"));
    assert!(
        empty["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .contains("empty-embed")
    );
    // Ask for actions where the diagnostic is; take the quick fix and apply it.
    let resp = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": empty["range"], "context": {"diagnostics": [empty]}}),
        )
        .await;
    let actions = resp["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().contains("Twitter"))
        .unwrap_or_else(|| panic!("{actions:?}"));
    let fixed = apply_edits(SEED, &fix["edit"], URI);
    assert!(fixed.contains("https://twitter.com/example/status/1000000000000000001"));
    assert!(
        !fixed.contains("data-e2e=\"twitter-embed-"),
        "the empty shell is replaced"
    );
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
        )
        .await;
    let diags = client
        .wait_notification("textDocument/publishDiagnostics")
        .await;
    assert_eq!(diags["params"]["version"], 2);
    assert!(
        !diags["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "CAP201"),
        "{diags}"
    );
}

#[tokio::test]
async fn pull_diagnostics_and_settings_reload() {
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {"textDocument": {"diagnostic": {}}},
                   "initializationOptions": {"rules": {"empty-embed": "error"}}}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    client.open(URI, SEED).await;
    let resp = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let items = resp["result"]["items"].as_array().unwrap().clone();
    let empty = items
        .iter()
        .find(|d| d["code"] == "CAP201")
        .expect("pulled");
    assert_eq!(empty["severity"], 1, "the setting made it an error");
    // The client changes the setting: the rule is turned off.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"capture-lsp": {"rules": {"empty-embed": "off"}}}}),
        )
        .await;
    let resp = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let items = resp["result"]["items"].as_array().unwrap();
    assert!(!items.iter().any(|d| d["code"] == "CAP201"), "{items:?}");
}
