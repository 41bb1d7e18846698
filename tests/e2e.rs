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

    let resp = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
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
    let resp = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
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
    let resp = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
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
        let resp = client
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            )
            .await;
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
