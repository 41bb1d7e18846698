//! Server settings: the layers the effective [`Config`] is built from, lowest first —
//! defaults, `capture-lsp.toml` at the workspace root, `initializationOptions`, then the
//! `capture-lsp` section of `workspace/configuration` (re-read on
//! `didChangeConfiguration`). Reading the file is the only IO here.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tower_lsp_server::ls_types::{InitializeParams, Uri};

use crate::ide::config::{Config, ConfigProblem};

pub use crate::ide::config::FILE_NAME;

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub root: Option<PathBuf>,
    /// Contents of `capture-lsp.toml`, when there is one.
    pub toml: Option<String>,
    pub init: Value,
    pub workspace: Value,
}

impl Settings {
    /// Settings from the `initialize` request (and the settings file at its root).
    pub fn from_initialize(params: &InitializeParams) -> Settings {
        let root = workspace_root(params);
        let toml = root.as_deref().and_then(read_toml);
        Settings {
            root,
            toml,
            init: params.initialization_options.clone().unwrap_or(Value::Null),
            workspace: Value::Null,
        }
    }

    /// Re-read `capture-lsp.toml` (it may have been created, edited or removed).
    pub fn reload_file(&mut self) {
        self.toml = self.root.as_deref().and_then(read_toml);
    }

    /// The effective configuration and every problem found, each prefixed with where it
    /// came from.
    pub fn effective(&self) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        let mut note = |origin: &str, ps: Vec<ConfigProblem>| {
            problems.extend(ps.into_iter().map(|p| format!("{origin}: {p}")));
        };
        if let Some(text) = &self.toml {
            let ps = config.merge_toml(text);
            note(FILE_NAME, ps);
        }
        let ps = config.merge_json(&self.init);
        note("initializationOptions", ps);
        let ps = config.merge_json(&self.workspace);
        note("settings `capture-lsp`", ps);
        (config, problems)
    }
}

fn read_toml(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join(FILE_NAME)).ok()
}

/// A `file:` URI as a path.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    url.to_file_path().ok()
}

/// The first workspace folder, else the (deprecated) root URI.
#[allow(deprecated)]
pub fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_to_path(&f.uri))
        .or_else(|| params.root_uri.as_ref().and_then(uri_to_path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layers_and_problems() {
        let s = Settings {
            root: None,
            toml: Some("[rules]\nmissing-credit = \"hint\"\nbogus = 1\n".into()),
            init: json!({"capture-lsp": {"rules": {"relative-time": "off"}}}),
            workspace: json!({"rules": {"missing-credit": "error"}, "nope": true}),
        };
        let (c, problems) = s.effective();
        assert_eq!(
            c.severity(&crate::ide::rules::MISSING_CREDIT),
            Some(crate::ide::diagnostics::Severity::Error)
        );
        assert_eq!(c.severity(&crate::ide::rules::RELATIVE_TIME), None);
        assert_eq!(
            problems,
            [
                "capture-lsp.toml: `rules.bogus`: unknown rule (see `capture-lsp rules`)",
                "settings `capture-lsp`: `nope`: unknown setting, ignored",
            ]
        );
    }

    #[test]
    fn broken_file_keeps_defaults() {
        let s = Settings {
            toml: Some("rules = [".into()),
            ..Settings::default()
        };
        let (c, problems) = s.effective();
        assert_eq!(c, Config::default());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("capture-lsp.toml: invalid TOML"));
    }

    #[test]
    fn reads_the_file_at_the_root() {
        let dir = std::env::temp_dir().join(format!("capture-lsp-settings-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(FILE_NAME), "[rules]\nempty-embed = \"error\"\n");
        let mut s = Settings {
            root: Some(dir.clone()),
            ..Settings::default()
        };
        s.reload_file();
        let (c, problems) = s.effective();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(problems.is_empty());
        assert_eq!(
            c.severity(&crate::ide::rules::EMPTY_EMBED),
            Some(crate::ide::diagnostics::Severity::Error)
        );
    }
}
