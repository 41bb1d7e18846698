//! Settings shared by the server and the CLI, read from a JSON value (the
//! `capture-lsp` section of editor settings, or a `capture-lsp.toml` converted to JSON).
//!
//! The shape is fixed (editor configs already use it):
//! `{ "rules": {"<name or code>": "off|hint|info|warning|error"}, "credits": {"markers":
//! [..], "agencies": {"alias": "Canonical"}}, "hover": {"imagePreview": bool},
//! "largeFileThreshold": int }`. Unknown keys and bad values are reported as
//! [`ConfigProblem`]s; whatever is valid is kept, the rest stays at its default.

use std::collections::HashMap;

use serde_json::Value;

use crate::ide::credit_text::{CreditRules, CreditStyle, Marker};
use crate::ide::diagnostics::Severity;
use crate::ide::rules::{self, Rule};

/// The project settings file (at the workspace root, or the CLI's working directory).
pub const FILE_NAME: &str = "capture-lsp.toml";

/// The settings section name (`workspace/configuration`, `{"capture-lsp": …}` wrappers).
pub const SECTION: &str = "capture-lsp";

/// Keys this parser accepts and leaves alone: client-side keys editors send in the same
/// section, and `workspace` (`include`/`exclude` globs, `threads`, `disabled`), which the
/// protocol layer's workspace indexer reads from `initializationOptions`.
const CLIENT_KEYS: &[&str] = &["server", "detectByContent", "trace", "workspace"];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Per rule code: `None` = off, `Some(s)` = this severity. Rules not listed use their
    /// default.
    pub rules: HashMap<&'static str, Option<Severity>>,
    /// Extra credit markers (`图片提供`, `Photo courtesy of`).
    pub credit_markers: Vec<String>,
    /// Agency aliases → canonical names (`"路透": "Reuters"`).
    pub agencies: Vec<(String, String)>,
    pub image_preview: bool,
    /// Documents larger than this many bytes get only the cheap analyses.
    pub large_file_threshold: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: HashMap::new(),
            credit_markers: Vec::new(),
            agencies: Vec::new(),
            image_preview: false,
            large_file_threshold: 2_000_000,
        }
    }
}

/// A problem in a settings payload or file: the key path (`rules.missing-credits`) and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "`{}`: {}", self.path, self.message)
        }
    }
}

impl Config {
    /// Whether the settings add credit markers or agency aliases to the built-in tables.
    pub fn extends_credit_rules(&self) -> bool {
        !self.credit_markers.is_empty() || !self.agencies.is_empty()
    }

    /// The credit recognition tables with the extra markers and agency aliases.
    pub fn credit_rules(&self) -> CreditRules {
        let mut rules = CreditRules::default();
        rules.extend(
            self.credit_markers
                .iter()
                .map(|m| Marker::new(m.clone(), CreditStyle::MarkerPrefix)),
            self.agencies.iter().cloned(),
        );
        rules
    }

    /// The effective severity of a rule; `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        match self.rules.get(rule.code) {
            Some(level) => *level,
            None => Some(rule.severity),
        }
    }

    /// The severity the settings set explicitly (`Some(None)` = turned off), if any.
    pub fn explicit_severity(&self, rule: &Rule) -> Option<Option<Severity>> {
        self.rules.get(rule.code).copied()
    }

    /// Read settings from a JSON payload on top of the defaults.
    pub fn from_json(value: &Value) -> (Config, Vec<ConfigProblem>) {
        let mut config = Config::default();
        let problems = config.merge_json(value);
        (config, problems)
    }

    /// Read a `capture-lsp.toml` on top of the defaults. A file that does not parse gives
    /// the defaults and one problem.
    pub fn from_toml(text: &str) -> (Config, Vec<ConfigProblem>) {
        let mut config = Config::default();
        let problems = config.merge_toml(text);
        (config, problems)
    }

    /// Layer a `capture-lsp.toml` over this config.
    pub fn merge_toml(&mut self, text: &str) -> Vec<ConfigProblem> {
        match toml::from_str::<toml::Value>(text) {
            Ok(v) => match serde_json::to_value(v) {
                Ok(json) => self.merge_json(&json),
                Err(e) => vec![ConfigProblem {
                    path: String::new(),
                    message: format!("cannot read the file: {e}"),
                }],
            },
            Err(e) => vec![ConfigProblem {
                path: String::new(),
                message: format!("invalid TOML, defaults kept: {}", e.message()),
            }],
        }
    }

    /// Layer a settings payload over this config. Accepts the section object itself (VS
    /// Code), `{"capture-lsp": {…}}` (Neovim, initializationOptions) and
    /// `{"settings": {"capture-lsp": {…}}}` (didChangeConfiguration payloads).
    pub fn merge_json(&mut self, value: &Value) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        let value = unwrap_section(value);
        let obj = match value {
            Value::Null => return problems,
            Value::Object(o) => o,
            other => {
                problems.push(problem(
                    "",
                    format!("expected an object, got {}", kind(other)),
                ));
                return problems;
            }
        };
        for (key, v) in obj {
            match key.as_str() {
                "rules" => self.merge_rules(v, &mut problems),
                "credits" => self.merge_credits(v, &mut problems),
                "hover" => match v {
                    Value::Object(h) => {
                        for (k, v) in h {
                            match (k.as_str(), v) {
                                ("imagePreview", Value::Bool(b)) => self.image_preview = *b,
                                ("imagePreview", other) => problems.push(problem(
                                    "hover.imagePreview",
                                    format!("expected true or false, got {}", kind(other)),
                                )),
                                _ => problems.push(unknown(&format!("hover.{k}"))),
                            }
                        }
                    }
                    Value::Null => {}
                    other => problems.push(problem(
                        "hover",
                        format!("expected an object, got {}", kind(other)),
                    )),
                },
                "largeFileThreshold" => match v.as_u64() {
                    Some(n) => self.large_file_threshold = usize::try_from(n).unwrap_or(usize::MAX),
                    None => problems.push(problem(
                        "largeFileThreshold",
                        format!("expected a non-negative integer, got {}", kind(v)),
                    )),
                },
                k if CLIENT_KEYS.contains(&k) => {}
                k => problems.push(unknown(k)),
            }
        }
        problems
    }

    fn merge_rules(&mut self, v: &Value, problems: &mut Vec<ConfigProblem>) {
        let Value::Object(map) = v else {
            if !v.is_null() {
                problems.push(problem(
                    "rules",
                    format!("expected an object, got {}", kind(v)),
                ));
            }
            return;
        };
        for (key, level) in map {
            let path = format!("rules.{key}");
            let Some(rule) = rules::lookup(key) else {
                problems.push(problem(
                    &path,
                    "unknown rule (see `capture-lsp rules`)".into(),
                ));
                continue;
            };
            match level.as_str().and_then(parse_level) {
                Some(level) => {
                    self.rules.insert(rule.code, level);
                }
                None => problems.push(problem(
                    &path,
                    format!("expected one of off, hint, info, warning, error; got {level}"),
                )),
            }
        }
    }

    fn merge_credits(&mut self, v: &Value, problems: &mut Vec<ConfigProblem>) {
        let Value::Object(map) = v else {
            if !v.is_null() {
                problems.push(problem(
                    "credits",
                    format!("expected an object, got {}", kind(v)),
                ));
            }
            return;
        };
        for (key, v) in map {
            match (key.as_str(), v) {
                ("markers", Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        match item.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                            Some(s) => {
                                if !self.credit_markers.iter().any(|m| m == s) {
                                    self.credit_markers.push(s.to_string());
                                }
                            }
                            None => problems.push(problem(
                                &format!("credits.markers[{i}]"),
                                "expected a non-empty string".into(),
                            )),
                        }
                    }
                }
                ("agencies", Value::Object(aliases)) => {
                    for (alias, canonical) in aliases {
                        match canonical.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                            Some(c) if !alias.trim().is_empty() => {
                                self.agencies.retain(|(a, _)| a != alias);
                                self.agencies.push((alias.clone(), c.to_string()));
                            }
                            _ => problems.push(problem(
                                &format!("credits.agencies.{alias}"),
                                "expected a non-empty alias and canonical name".into(),
                            )),
                        }
                    }
                }
                ("markers", other) => problems.push(problem(
                    "credits.markers",
                    format!("expected a list of strings, got {}", kind(other)),
                )),
                ("agencies", other) => problems.push(problem(
                    "credits.agencies",
                    format!("expected an object of alias = name, got {}", kind(other)),
                )),
                (k, _) => problems.push(unknown(&format!("credits.{k}"))),
            }
        }
    }
}

/// `off|hint|info|warning|error` (also `information`, `warn`, `none`).
pub fn parse_level(s: &str) -> Option<Option<Severity>> {
    match s.trim().to_ascii_lowercase().as_str() {
        "off" | "none" | "ignore" => Some(None),
        "hint" => Some(Some(Severity::Hint)),
        "info" | "information" => Some(Some(Severity::Info)),
        "warning" | "warn" => Some(Some(Severity::Warning)),
        "error" => Some(Some(Severity::Error)),
        _ => None,
    }
}

/// Strip the wrappers editors put around the section.
fn unwrap_section(value: &Value) -> &Value {
    let mut v = value;
    for _ in 0..3 {
        match v {
            Value::Object(o) if o.len() == 1 && o.contains_key("settings") => {
                v = o.get("settings").unwrap_or(&Value::Null)
            }
            Value::Object(o) if o.contains_key(SECTION) => {
                v = o.get(SECTION).unwrap_or(&Value::Null)
            }
            _ => break,
        }
    }
    v
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn problem(path: &str, message: String) -> ConfigProblem {
    ConfigProblem {
        path: path.to_string(),
        message,
    }
}

fn unknown(path: &str) -> ConfigProblem {
    problem(path, "unknown setting, ignored".into())
}

#[cfg(test)]
mod tests;
