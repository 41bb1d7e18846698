//! Diagnostics: findings with a stable rule code, a name and a severity, produced by the
//! rules of [`crate::ide::rules`] (one file per family here), filtered by the
//! configuration and by suppression comments.

mod attribution;
mod embeds;
mod header;
mod links;
mod markup;
pub mod suppress;

pub use attribution::recovered_credit_fix;
mod text;

use crate::ide::Analysis;
use crate::ide::config::Config;
use crate::ide::fixes::Fix;
use crate::ide::rules::Rule;
use crate::text::TextRange;

pub use attribution::{CreditState, credit_state};
pub use text::frozen_value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    /// Fixes for this finding (the first one is the preferred fix).
    pub fixes: Vec<Fix>,
}

/// A finding before configuration and suppressions are applied.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub rule: &'static Rule,
    pub range: TextRange,
    pub message: String,
    pub fixes: Vec<Fix>,
    /// Severity for this occurrence when the configuration does not set one (a rule may
    /// be quieter in a benign variant).
    pub default_severity: Option<Severity>,
}

impl Finding {
    pub fn new(rule: &'static Rule, range: TextRange, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            range,
            message: message.into(),
            fixes: Vec::new(),
            default_severity: None,
        }
    }
    pub fn with_fix(mut self, fix: Option<Fix>) -> Finding {
        self.fixes.extend(fix);
        self
    }
}

/// What every rule gets to look at.
pub(crate) struct Ctx<'a> {
    pub analysis: &'a Analysis,
    pub text: &'a str,
    pub config: &'a Config,
}

/// All diagnostics of a capture with the default configuration.
pub fn diagnostics(analysis: &Analysis) -> Vec<Diagnostic> {
    check(analysis, &Config::default())
}

/// All diagnostics of a capture: rules, then configuration (severity, off), then
/// suppressions (which report their own unused/unknown entries). Sorted by position.
pub fn check(analysis: &Analysis, config: &Config) -> Vec<Diagnostic> {
    let cx = Ctx {
        analysis,
        text: &analysis.text,
        config,
    };
    let mut findings = Vec::new();
    header::check(&cx, &mut findings);
    attribution::check(&cx, &mut findings);
    embeds::check(&cx, &mut findings);
    links::check(&cx, &mut findings);
    text::check(&cx, &mut findings);
    markup::check(&cx, &mut findings);
    findings.retain(|f| config.severity(f.rule).is_some());
    let findings = suppress::apply(&cx, findings);
    let mut out: Vec<Diagnostic> = findings
        .into_iter()
        .filter_map(|f| {
            let severity = match config.explicit_severity(f.rule) {
                Some(level) => level?,
                None => f.default_severity.unwrap_or(f.rule.severity),
            };
            Some(Diagnostic {
                range: f.range,
                severity,
                code: f.rule.code,
                name: f.rule.name,
                message: f.message,
                fixes: f.fixes,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    out
}

/// Escape a value for a double-quoted HTML attribute.
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape text content for HTML.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether the capture reads as Chinese (title or body text with CJK ideographs).
pub(crate) fn is_cjk(s: &str) -> bool {
    s.chars()
        .take(200)
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}
