//! `capture-lsp check`: output formats, exit codes, `.gitignore`, content detection,
//! `--select/--ignore`, `--fix`, SARIF over the corpus and the per-rule counts snapshot.

use std::path::{Path, PathBuf};

use capture_lsp::cli::check::{self, Options};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

fn run(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let opts = match check::parse_args(&args) {
        Ok(o) => Options {
            progress: false,
            ..o
        },
        Err(e) => return (2, String::new(), e),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = check::run(&opts, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

struct TempDir(PathBuf);
impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p =
            std::env::temp_dir().join(format!("capture-lsp-check-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        let _ = std::fs::create_dir_all(&p);
        TempDir(p)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(&p, text);
        p
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn capture(body: &str) -> String {
    format!(
        "<!--1679425984000-->\n[标题](https://www.bbc.com/zhongwen/simp/chinese-news-1)\n------\n\n<main>{body}</main>\n"
    )
}

const TWEET: &str =
    "<div data-e2e=\"twitter-embed-https://twitter.com/a/status/1\"><div><div></div></div></div>";

#[test]
fn exit_codes_gitignore_and_content_detection() {
    let dir = TempDir::new("walk");
    dir.write("clean.md", &capture("<p>正文</p>"));
    assert_eq!(run(&[dir.path()]).0, 0);
    dir.write("sub/broken.txt", &capture(TWEET));
    dir.write("ignored/broken.capture", &capture(TWEET));
    dir.write(".gitignore", "ignored/\n");
    dir.write(
        "notes.txt",
        "# not a capture\n\n<div data-e2e=\"twitter-embed-x\"></div>\n",
    );
    let (code, out, err) = run(&[dir.path(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_default();
    let files: Vec<&str> = v
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["file"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(files.len(), 1, "{out}");
    assert!(files[0].ends_with("sub/broken.txt"));
    assert_eq!(v[0]["name"], "empty-embed");
    assert_eq!(v[0]["start"]["line"], 5);
    // Usage and IO errors are 2.
    assert_eq!(run(&["--format", "xml"]).0, 2);
    assert_eq!(run(&["--bogus"]).0, 2);
    assert_eq!(run(&["/nonexistent/capture-lsp-test"]).0, 2);
    assert_eq!(run(&[dir.path(), "--select", "no-such-rule"]).0, 2);
    // --ignore / --select.
    assert_eq!(run(&[dir.path(), "--ignore", "empty-embed"]).0, 0);
    assert_eq!(run(&[dir.path(), "--select", "CAP3"]).0, 0);
    assert_eq!(run(&[dir.path(), "--select", "CAP2"]).0, 1);
}

#[test]
fn human_and_github_formats() {
    let dir = TempDir::new("formats");
    let file = dir.write("a.capture", &capture(TWEET));
    let f = file.to_str().unwrap_or_default();
    let (_, out, _) = run(&[f]);
    assert!(
        out.contains(":5:7: warning CAP201 [empty-embed] empty Twitter post placeholder"),
        "{out}"
    );
    assert!(out.contains("1 files checked: 1 findings (0 errors, 1 warnings, 0 info, 0 hints)"));
    let (_, out, _) = run(&[f, "--format=github"]);
    assert!(out.starts_with("::warning file="), "{out}");
    assert!(out.contains(",line=5,col=7,endLine=5,endColumn="));
    assert!(out.contains("title=CAP201 empty-embed::empty Twitter post"));
}

#[test]
fn fix_applies_safe_fixes_only_and_is_idempotent() {
    let dir = TempDir::new("fix");
    let original = capture(&format!(
        "{TWEET}<p><a href=\"/zhongwen/simp/world-1\">一</a></p><div><time>28 分钟前</time></div>"
    ));
    let file = dir.write("a.capture", &original);
    let f = file.to_str().unwrap_or_default();
    let (code, _, err) = run(&[f, "--fix"]);
    let fixed = std::fs::read_to_string(&file).unwrap_or_default();
    assert_eq!(code, 1, "{err}"); // the relative time (unsafe fix) is left
    assert!(fixed.contains(
        "<blockquote class=\"twitter-tweet\"><a href=\"https://twitter.com/a/status/1\">"
    ));
    assert!(fixed.contains("href=\"https://www.bbc.com/zhongwen/simp/world-1\""));
    assert!(fixed.contains("28 分钟前"));
    // No temporary file left behind; a second run changes nothing.
    let entries = std::fs::read_dir(&dir.0).map(|r| r.count()).unwrap_or(0);
    assert_eq!(entries, 1);
    run(&[f, "--fix"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), fixed);
}

fn corpus() -> Option<&'static Path> {
    let p = Path::new(CORPUS);
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: {CORPUS} is missing");
        None
    }
}

#[test]
fn corpus_sarif_is_valid_sarif_2_1_0() {
    let Some(dir) = corpus() else { return };
    let (code, out, err) = run(&[dir.to_str().unwrap_or_default(), "--format", "sarif"]);
    assert!(code <= 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(v["version"], "2.1.0");
    assert!(
        v["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let runs = v["runs"].as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "capture-lsp");
    let rules = driver["rules"].as_array().cloned().unwrap_or_default();
    assert!(!rules.is_empty());
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), rules.len());
    for r in &rules {
        assert!(r["shortDescription"]["text"].is_string());
        assert!(
            r["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
        assert!(matches!(
            r["defaultConfiguration"]["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
    }
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert!(results.len() > 100, "{} results", results.len());
    for res in &results {
        let id = res["ruleId"].as_str().unwrap_or_default();
        let index = res["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(ids.get(index).copied(), Some(id));
        assert!(matches!(
            res["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(
            res["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or_default();
        assert!(
            !uri.is_empty() && !uri.contains(' ') && !uri.contains('\\'),
            "{uri}"
        );
        let region = &loc["region"];
        let n = |k: &str| region[k].as_u64().unwrap_or(0);
        assert!(n("startLine") >= 1 && n("startColumn") >= 1);
        assert!(
            n("endLine") > n("startLine")
                || (n("endLine") == n("startLine") && n("endColumn") >= n("startColumn"))
        );
    }
}

#[test]
fn corpus_rule_counts_snapshot() {
    let Some(dir) = corpus() else { return };
    let (_, out, err) = run(&[dir.to_str().unwrap_or_default(), "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON: {e} {err}"));
    let mut counts = std::collections::BTreeMap::new();
    for d in v.as_array().cloned().unwrap_or_default() {
        let key = format!(
            "{}\t{}\t{}",
            d["code"].as_str().unwrap_or_default(),
            d["name"].as_str().unwrap_or_default(),
            d["severity"].as_str().unwrap_or_default()
        );
        *counts.entry(key).or_insert(0usize) += 1;
    }
    let mut snap = String::from("code\tname\tseverity\tcount\n");
    for (k, n) in counts {
        snap.push_str(&format!("{k}\t{n}\n"));
    }
    expect_test::expect_file!["snapshots/corpus_rule_counts.tsv"].assert_eq(&snap);
}
