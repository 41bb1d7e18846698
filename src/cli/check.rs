//! `capture-lsp check PATH…`: lint captures (files, or directories walked recursively with
//! `.gitignore` respected; captures detected by content) with the same engine as the
//! server, print the findings as human text, JSON, SARIF 2.1.0 or GitHub annotations, and
//! optionally apply the safe fixes (`--fix`, written to a temporary file then renamed).
//!
//! Exit codes: 0 no warnings or errors, 1 findings of severity warning or error, 2 usage
//! or IO error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::ide::Analysis;
use crate::ide::config::Config;
use crate::ide::diagnostics::{self, Diagnostic, Severity};
use crate::ide::fixes;
use crate::ide::rules::{self, RULES};
use crate::syntax::header::looks_like_capture;
use crate::text::{Encoding, LineIndex};

pub const HELP: &str = "\
USAGE:
    capture-lsp check [OPTIONS] [PATH…]      (default PATH: .)

OPTIONS:
    --format human|json|sarif|github   output format (default human)
    --select RULES                      only these rules (names, codes or code prefixes, comma-separated)
    --ignore RULES                      turn these rules off
    --fix                               apply safe fixes in place
    --config FILE                       settings file (default: ./capture-lsp.toml if present)
    --no-progress                       no progress line on stderr

Exit codes: 0 clean, 1 warnings or errors found, 2 usage or IO error.
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fix: bool,
    pub config: Option<PathBuf>,
    pub progress: bool,
}

/// Parse the arguments after `check`.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        paths: Vec::new(),
        format: Format::Human,
        select: Vec::new(),
        ignore: Vec::new(),
        fix: false,
        config: None,
        progress: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{name} needs a value"))
        };
        match flag {
            "--format" => {
                o.format = match value("--format")?.as_str() {
                    "human" | "text" => Format::Human,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    "github" => Format::Github,
                    other => return Err(format!("unknown format `{other}`")),
                }
            }
            "--select" => o.select.extend(split_list(&value("--select")?)),
            "--ignore" => o.ignore.extend(split_list(&value("--ignore")?)),
            "--config" => o.config = Some(PathBuf::from(value("--config")?)),
            "--fix" => o.fix = true,
            "--no-progress" => o.progress = false,
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option `{f}`")),
            _ => o.paths.push(PathBuf::from(a)),
        }
    }
    if o.paths.is_empty() {
        o.paths.push(PathBuf::from("."));
    }
    Ok(o)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The rules a selector names: a name, a code, or a code prefix (`CAP1`, `CAP20`).
fn select_rules(key: &str) -> Vec<&'static rules::Rule> {
    if let Some(r) = rules::lookup(key) {
        return vec![r];
    }
    let upper = key.to_ascii_uppercase();
    if upper.starts_with("CAP") {
        return RULES
            .iter()
            .filter(|r| r.code.starts_with(&upper))
            .collect();
    }
    Vec::new()
}

/// Apply `--select`/`--ignore` on top of a config.
pub fn apply_selection(
    config: &mut Config,
    select: &[String],
    ignore: &[String],
) -> Result<(), String> {
    if !select.is_empty() {
        let mut chosen = Vec::new();
        for key in select {
            let rs = select_rules(key);
            if rs.is_empty() {
                return Err(format!("--select: unknown rule `{key}`"));
            }
            chosen.extend(rs.into_iter().map(|r| r.code));
        }
        for r in RULES {
            if !chosen.contains(&r.code) {
                config.rules.insert(r.code, None);
            }
        }
    }
    for key in ignore {
        let rs = select_rules(key);
        if rs.is_empty() {
            return Err(format!("--ignore: unknown rule `{key}`"));
        }
        for r in rs {
            config.rules.insert(r.code, None);
        }
    }
    Ok(())
}

/// The findings of one file.
pub struct FileReport {
    pub path: PathBuf,
    pub index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
    pub fixed: bool,
}

/// Collect capture files under the paths. Explicit files are taken when they look like
/// captures; directories are walked with `.gitignore` respected.
pub fn collect_files(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(p.clone());
            continue;
        }
        if !p.is_dir() {
            errors.push(format!("{}: no such file or directory", p.display()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => out.push(e.into_path()),
                Ok(_) => {}
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Lint one file (and fix it when asked). `Ok(None)` when it is not a capture.
pub fn check_file(path: &Path, config: &Config, fix: bool) -> Result<Option<FileReport>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(None);
    };
    if !looks_like_capture(&text) {
        return Ok(None);
    }
    let (text, fixed) = if fix {
        let (new, rounds) = fixes::fix_text(&text, config);
        if rounds > 0 && new != text {
            write_atomically(path, &new)?;
            (new, true)
        } else {
            (text, false)
        }
    } else {
        (text, false)
    };
    let analysis = Analysis::new(&text);
    let diagnostics = diagnostics::check(&analysis, config);
    Ok(Some(FileReport {
        path: path.to_path_buf(),
        index: LineIndex::new(&text),
        diagnostics,
        fixed,
    }))
}

/// Write to a temporary file next to `path`, then rename over it: a failure never
/// truncates the capture.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.capture-lsp-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: cannot write the fixed file: {e}", path.display())
    })
}

/// Run `check` with already-parsed options, writing the report to `out`. Returns the
/// exit code.
pub fn run(opts: &Options, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut config = Config::default();
    let config_path = opts
        .config
        .clone()
        .or_else(|| Some(PathBuf::from(crate::ide::config::FILE_NAME)).filter(|p| p.is_file()));
    if let Some(p) = &config_path {
        match std::fs::read_to_string(p) {
            Ok(text) => {
                for problem in config.merge_toml(&text) {
                    let _ = writeln!(err, "capture-lsp: {}: {problem}", p.display());
                }
            }
            Err(e) => {
                let _ = writeln!(err, "capture-lsp: {}: {e}", p.display());
                return 2;
            }
        }
    }
    if let Err(e) = apply_selection(&mut config, &opts.select, &opts.ignore) {
        let _ = writeln!(err, "capture-lsp: {e}");
        return 2;
    }
    let mut errors = Vec::new();
    let files = collect_files(&opts.paths, &mut errors);
    let total = files.len();
    let done = AtomicUsize::new(0);
    let progress = opts.progress && std::io::stderr().is_terminal();
    let results: Vec<Result<Option<FileReport>, String>> = files
        .par_iter()
        .map(|p| {
            let r = check_file(p, &config, opts.fix);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if progress && (n.is_multiple_of(16) || n == total) {
                eprint!("\rchecked {n}/{total}");
            }
            r
        })
        .collect();
    if progress && total > 0 {
        eprintln!();
    }
    let mut reports = Vec::new();
    for r in results {
        match r {
            Ok(Some(rep)) => reports.push(rep),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    let rendered = match opts.format {
        Format::Human => render_human(&reports),
        Format::Json => render_json(&reports),
        Format::Sarif => render_sarif(&reports),
        Format::Github => render_github(&reports),
    };
    let _ = out.write_all(rendered.as_bytes());
    for e in &errors {
        let _ = writeln!(err, "capture-lsp: {e}");
    }
    if !errors.is_empty() {
        return 2;
    }
    let failing = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| matches!(d.severity, Severity::Error | Severity::Warning));
    u8::from(failing)
}

fn display_path(p: &Path) -> String {
    p.strip_prefix("./").unwrap_or(p).display().to_string()
}

/// 1-based line and column (columns in Unicode scalar values for humans).
fn pos(index: &LineIndex, offset: usize, enc: Encoding) -> (u32, u32) {
    let lc = index.line_col(offset, enc);
    (lc.line + 1, lc.col + 1)
}

pub fn render_human(reports: &[FileReport]) -> String {
    let mut s = String::new();
    let mut counts = [0usize; 4];
    let mut fixed = 0;
    for r in reports {
        fixed += usize::from(r.fixed);
        for d in &r.diagnostics {
            let (line, col) = pos(&r.index, d.range.start, Encoding::Utf32);
            counts[d.severity as usize] += 1;
            let fix = if d.fixes.first().is_some_and(|f| f.safe) {
                " [*]"
            } else {
                ""
            };
            s.push_str(&format!(
                "{}:{line}:{col}: {} {} [{}] {}{fix}\n",
                display_path(&r.path),
                d.severity.label(),
                d.code,
                d.name,
                d.message
            ));
        }
    }
    let total: usize = counts.iter().sum();
    s.push_str(&format!(
        "{} files checked: {total} findings ({} errors, {} warnings, {} info, {} hints){}\n",
        reports.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        if fixed > 0 {
            format!(", {fixed} files fixed")
        } else {
            String::new()
        }
    ));
    if reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.fixes.first().is_some_and(|f| f.safe))
    {
        s.push_str("[*] fixable with `capture-lsp check --fix`\n");
    }
    s
}

pub fn render_json(reports: &[FileReport]) -> String {
    let items: Vec<Value> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| {
                let (sl, sc) = pos(&r.index, d.range.start, Encoding::Utf32);
                let (el, ec) = pos(&r.index, d.range.end, Encoding::Utf32);
                json!({
                    "file": display_path(&r.path),
                    "code": d.code,
                    "name": d.name,
                    "severity": d.severity.label(),
                    "message": d.message,
                    "start": {"line": sl, "column": sc},
                    "end": {"line": el, "column": ec},
                    "byteRange": [d.range.start, d.range.end],
                    "fix": d.fixes.first().map(|f| json!({"title": f.title, "safe": f.safe})),
                })
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

pub fn render_sarif(reports: &[FileReport]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.what},
                "helpUri": r.doc_url(),
                "help": {"text": r.fix, "markdown": r.doc_markdown()},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().map(move |d| {
                let (sl, sc) = pos(&r.index, d.range.start, Encoding::Utf16);
                let (el, ec) = pos(&r.index, d.range.end, Encoding::Utf16);
                json!({
                    "ruleId": d.code,
                    "ruleIndex": RULES.iter().position(|x| x.code == d.code).unwrap_or(0),
                    "level": sarif_level(d.severity),
                    "message": {"text": format!("{} ({})", d.message, d.name)},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": sarif_uri(&r.path)},
                            "region": {
                                "startLine": sl, "startColumn": sc,
                                "endLine": el, "endColumn": ec,
                                "byteOffset": d.range.start,
                                "byteLength": d.range.len(),
                            }
                        }
                    }],
                })
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "capture-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/capture-lsp/capture-lsp",
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A relative path as a SARIF URI reference (forward slashes, percent-encoded).
fn sarif_uri(p: &Path) -> String {
    let s = display_path(p).replace('\\', "/");
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GitHub Actions workflow commands (`::warning file=…,line=…::message`).
pub fn render_github(reports: &[FileReport]) -> String {
    let esc_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let esc_prop = |s: &str| esc_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut s = String::new();
    for r in reports {
        for d in &r.diagnostics {
            let (sl, sc) = pos(&r.index, d.range.start, Encoding::Utf32);
            let (el, ec) = pos(&r.index, d.range.end, Encoding::Utf32);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            s.push_str(&format!(
                "::{level} file={},line={sl},col={sc},endLine={el},endColumn={ec},title={}::{}\n",
                esc_prop(&display_path(&r.path)),
                esc_prop(&format!("{} {}", d.code, d.name)),
                esc_data(&d.message)
            ));
        }
    }
    s
}

/// `capture-lsp rules`: the registry as a table.
pub fn rules_table() -> String {
    rules::text_table()
}
