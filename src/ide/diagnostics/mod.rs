//! Diagnostics: findings with a stable rule code, a name and a severity.

use crate::ide::Analysis;
use crate::syntax::ProblemKind;
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
}

/// All diagnostics of a capture.
pub fn diagnostics(analysis: &Analysis) -> Vec<Diagnostic> {
    let header = &analysis.capture.header;
    let mut out = Vec::new();
    for p in &header.problems {
        let (code, name, severity) = match p.kind {
            ProblemKind::MissingTimestamp if header.date_line.is_some() => continue,
            ProblemKind::MissingTimestamp => ("CAP001", "missing-timestamp", Severity::Warning),
            ProblemKind::InvalidTimestamp => ("CAP002", "invalid-timestamp", Severity::Error),
            ProblemKind::MalformedTitleLine | ProblemKind::MissingTitle => {
                ("CAP003", "malformed-title-line", Severity::Error)
            }
            ProblemKind::EmptyTitle => ("CAP004", "empty-title", Severity::Warning),
            ProblemKind::MissingSeparator => ("CAP005", "missing-separator", Severity::Error),
            ProblemKind::MissingUrl | ProblemKind::UnterminatedUrl => {
                ("CAP006", "missing-source-url", Severity::Error)
            }
            _ => ("CAP099", "header-syntax", Severity::Warning),
        };
        out.push(Diagnostic {
            range: p.range,
            severity,
            code,
            name,
            message: p.message.clone(),
        });
    }
    out
}
