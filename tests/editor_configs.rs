//! Every editor configuration agrees with the server: language id, server command, file
//! patterns, and the settings object (same keys, same defaults as `ide::config::Config`).

use std::collections::BTreeSet;
use std::path::Path;

use capture_lsp::ide::config::Config;
use serde_json::Value;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Leaf key paths of a settings object (`credits.markers`, …); maps under `rules` and
/// `credits.agencies` are user data, so they count as leaves.
fn leaves(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) if !matches!(prefix, "rules" | "credits.agencies") => {
            for (k, v) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, &p, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

fn server_keys() -> BTreeSet<String> {
    let keys: Value = serde_json::from_str(&read("settings-keys.json")).unwrap();
    keys["server"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

/// Check a settings object from an editor config: same keys as the server's, values the
/// server accepts without complaint, and the server's defaults.
fn check_settings(editor: &str, settings: &Value) {
    let mut keys = BTreeSet::new();
    leaves(settings, "", &mut keys);
    assert_eq!(keys, server_keys(), "{editor}: settings keys");
    let (config, problems) = Config::from_json(settings);
    assert!(problems.is_empty(), "{editor}: {problems:?}");
    let defaults = Config::default();
    assert_eq!(
        config.image_preview, defaults.image_preview,
        "{editor}: hover.imagePreview default"
    );
    assert_eq!(
        config.large_file_threshold, defaults.large_file_threshold,
        "{editor}: largeFileThreshold default"
    );
}

/// Strip `//` line comments (Sublime settings are JSON with comments).
fn strip_comments(s: &str) -> String {
    s.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') || l[..i].matches('"').count() % 2 == 0 => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn settings_keys_file_matches_the_server() {
    let keys: Value = serde_json::from_str(&read("settings-keys.json")).unwrap();
    assert_eq!(keys["languageId"], "capture");
    assert_eq!(keys["command"], "capture-lsp");
    assert_eq!(keys["section"], capture_lsp::ide::config::SECTION);
    // Every server key is understood by the server: setting it produces no problem.
    for key in server_keys() {
        let value = match key.as_str() {
            "rules" => serde_json::json!({"missing-credit": "hint"}),
            "credits.markers" => serde_json::json!(["图片提供"]),
            "credits.agencies" => serde_json::json!({"中新社": "China News Service"}),
            "hover.imagePreview" => serde_json::json!(true),
            "largeFileThreshold" => serde_json::json!(123),
            other => panic!("a server key this test does not know: {other}"),
        };
        // `credits.markers` → {"credits": {"markers": value}}
        let nested = key
            .rsplit('.')
            .fold(value, |inner, part| serde_json::json!({ part: inner }));
        let (_, problems) = Config::from_json(&nested);
        assert!(problems.is_empty(), "{key}: {problems:?}");
    }
}

#[test]
fn vscode_extension_agrees() {
    let pkg: Value = serde_json::from_str(&read("vscode/package.json")).unwrap();
    let langs = pkg["contributes"]["languages"].as_array().unwrap();
    let lang = langs
        .iter()
        .find(|l| l["id"] == "capture")
        .expect("capture language");
    assert!(
        lang["extensions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == ".capture")
    );
    let props = pkg["contributes"]["configuration"]["properties"]
        .as_object()
        .unwrap();
    let keys: BTreeSet<String> = props
        .keys()
        .map(|k| k.trim_start_matches("capture-lsp.").to_string())
        .collect();
    let client: Value = serde_json::from_str(&read("settings-keys.json")).unwrap();
    let mut expected = server_keys();
    for c in client["client"].as_array().unwrap() {
        expected.insert(c.as_str().unwrap().to_string());
    }
    assert_eq!(keys, expected, "package.json settings");
    let defaults = Config::default();
    assert_eq!(
        props["capture-lsp.hover.imagePreview"]["default"],
        defaults.image_preview
    );
    assert_eq!(
        props["capture-lsp.largeFileThreshold"]["default"],
        defaults.large_file_threshold
    );
    let src = read("vscode/src/extension.ts") + &read("vscode/src/settings.ts");
    assert!(
        src.contains("'capture'") || src.contains("\"capture\""),
        "language id in the client"
    );
    assert!(src.contains("capture-lsp"), "server command in the client");
}

#[test]
fn helix_agrees() {
    let cfg: toml::Value = toml::from_str(&read("helix/languages.toml")).unwrap();
    let server = &cfg["language-server"]["capture-lsp"];
    assert_eq!(server["command"].as_str(), Some("capture-lsp"));
    let settings: Value = serde_json::to_value(&server["config"]).unwrap();
    check_settings("helix", &settings);
    let lang = cfg["language"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"].as_str() == Some("capture"))
        .unwrap();
    assert_eq!(lang["language-id"].as_str(), Some("capture"));
    assert!(
        lang["file-types"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str() == Some("capture"))
    );
}

#[test]
fn kate_agrees() {
    let cfg: Value = serde_json::from_str(&read("kate/lspclient-settings.json")).unwrap();
    let server = &cfg["servers"]["capture"];
    assert_eq!(server["command"][0], "capture-lsp");
    check_settings("kate", &server["initializationOptions"]);
    check_settings(
        "kate (workspace/configuration)",
        &server["settings"]["capture-lsp"],
    );
}

#[test]
fn sublime_agrees() {
    let cfg: Value = serde_json::from_str(&strip_comments(&read(
        "sublime/LSP-capture.sublime-settings",
    )))
    .unwrap();
    let client = &cfg["clients"]["capture-lsp"];
    assert_eq!(client["command"][0], "capture-lsp");
    check_settings("sublime", &client["initializationOptions"]);
    check_settings(
        "sublime (workspace/configuration)",
        &client["settings"]["capture-lsp"],
    );
}

#[test]
fn neovim_and_emacs_name_the_same_things() {
    for (editor, text) in [
        ("neovim", read("neovim/lsp/capture_lsp.lua")),
        ("emacs", read("emacs/capture-mode.el")),
    ] {
        assert!(text.contains("capture-lsp"), "{editor}: server command");
        for key in [
            "rules",
            "credits",
            "markers",
            "agencies",
            "hover",
            "imagePreview",
            "largeFileThreshold",
        ] {
            assert!(text.contains(key), "{editor}: setting {key}");
        }
        assert!(
            text.contains("2000000"),
            "{editor}: largeFileThreshold default"
        );
    }
    let ft = read("neovim/ftdetect/capture.lua");
    assert!(ft.contains("capture"), "neovim filetype");
    let el = read("emacs/capture-mode.el");
    assert!(
        el.contains("\\\\.capture\\\\'") || el.contains(".capture"),
        "emacs *.capture"
    );
    assert!(
        el.contains(":language-id") || el.contains("\"capture\""),
        "emacs language id"
    );
}
