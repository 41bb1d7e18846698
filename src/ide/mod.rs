//! Pure IDE features over a parsed capture: the article model, outline, hover,
//! diagnostics, fixes and links. No IO, no clock, no LSP types: inputs come in as
//! arguments and results are plain data in byte offsets.

pub mod config;
pub mod credit_text;
pub mod credits;
pub mod diagnostics;
pub mod fixes;
pub mod hover;
pub mod links;
pub mod model;
pub mod outline;
pub mod reltime;
pub mod rules;
pub mod url;
pub mod workspace;

use crate::syntax::Capture;
use model::Article;

/// Everything computed once per document version.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The source text this analysis was computed from.
    pub text: std::sync::Arc<str>,
    pub len: usize,
    pub capture: Capture,
    pub article: Article,
    /// How the body's tree was obtained.
    pub parse: ParseKind,
}

/// How an analysis got its body tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseKind {
    /// Parsed whole.
    Full,
    /// The previous version's tree with the edited region re-parsed and spliced in;
    /// `copied` when that tree was still shared (a request held it) and had to be cloned.
    Spliced { copied: bool },
    /// An incremental reparse was refused for this reason, so parsed whole.
    Refused(crate::syntax::reparse::Refusal),
}

impl Analysis {
    pub fn new(text: &str) -> Analysis {
        Analysis::with_rules(text, credit_text::CreditRules::builtin())
    }

    /// Analyse with credit recognition tables extended by configuration. The text may be
    /// shared (an `Arc<str>`, kept without a copy) or borrowed (copied).
    pub fn with_rules(
        text: impl Into<std::sync::Arc<str>>,
        rules: &credit_text::CreditRules,
    ) -> Analysis {
        let text = text.into();
        let capture = Capture::parse(&text);
        Analysis::from_capture(text, capture, ParseKind::Full, rules)
    }

    /// Build the model over a parsed capture of `text`.
    fn from_capture(
        text: std::sync::Arc<str>,
        capture: Capture,
        parse: ParseKind,
        rules: &credit_text::CreditRules,
    ) -> Analysis {
        let article = model::build(&text, &capture, rules);
        Analysis {
            len: text.len(),
            text,
            capture,
            article,
            parse,
        }
    }

    /// The analysis of `text`, the result of `edit` on the text `previous` was computed
    /// from: the body is re-parsed only where the edit reaches (see `syntax::reparse`), the
    /// rest of the tree is reused (in place when nothing else holds `previous`), and the
    /// article model is built again.
    pub fn reparse(
        previous: std::sync::Arc<Analysis>,
        text: impl Into<std::sync::Arc<str>>,
        edit: crate::syntax::Edit,
        rules: &credit_text::CreditRules,
    ) -> Analysis {
        let text: std::sync::Arc<str> = text.into();
        let consistent = edit.new_end <= text.len()
            && edit.old_end <= previous.len
            && previous.len - edit.old_end == text.len() - edit.new_end;
        let prepared = consistent.then(|| {
            previous
                .capture
                .prepare_reparse(&previous.text, &text, edit)
        });
        let (capture, parse) = match prepared {
            Some(Ok(prepared)) => {
                // Checked first, so a tree still shared with a request is copied only
                // when the edit does splice.
                let (mut capture, copied) = match std::sync::Arc::try_unwrap(previous) {
                    Ok(a) => (a.capture, false),
                    Err(shared) => (shared.capture.clone(), true),
                };
                capture.apply_reparse(prepared, &text);
                (capture, ParseKind::Spliced { copied })
            }
            Some(Err(why)) => (Capture::parse(&text), ParseKind::Refused(why)),
            None => (Capture::parse(&text), ParseKind::Full),
        };
        Analysis::from_capture(text, capture, parse, rules)
    }

    /// The capture's publication time in epoch milliseconds: the timestamp comment, else
    /// the `日期：` line, else the front matter's `date`.
    pub fn date_ms(&self) -> Option<i64> {
        let h = &self.capture.header;
        h.timestamp
            .as_ref()
            .and_then(|t| t.value)
            .or_else(|| h.date_line.as_ref().and_then(|d| d.epoch_ms))
            .or_else(|| h.front_matter.as_ref().and_then(|f| f.date_ms()))
    }

    /// The publication time in ISO 8601 (UTC), when known and in range.
    pub fn date_iso(&self) -> Option<String> {
        iso_from_ms(self.date_ms()?)
    }

    /// The source URL's host.
    pub fn source_host(&self) -> Option<String> {
        let url = self.capture.header.url.as_ref()?;
        ::url::Url::parse(url.cleaned.trim())
            .ok()?
            .host_str()
            .map(str::to_string)
    }
}

/// Epoch milliseconds → `2023-03-21T19:13:04Z`.
pub fn iso_from_ms(ms: i64) -> Option<String> {
    let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}
