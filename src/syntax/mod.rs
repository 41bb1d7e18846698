//! Pure parsing of capture files: the header ([`header`]) and the HTML body with exact
//! source spans ([`html`]). No IO, no clock, no LSP types.

pub mod header;
pub mod html;
pub mod name;
pub mod reparse;
mod scan;

use crate::text::TextRange;
pub use header::{Header, ProblemKind, SyntaxProblem};
pub use html::Dom;
pub use name::Name;
pub use reparse::Edit;

/// A parsed capture: header parts and body tree, all ranges as byte ranges into `text`.
#[derive(Debug, Clone)]
pub struct Capture {
    pub header: Header,
    pub dom: Dom,
    pub body: TextRange,
}

impl Capture {
    /// Parse a whole file. Never fails; problems are recorded in `header.problems`.
    pub fn parse(text: &str) -> Capture {
        let header = header::parse_header(text);
        let start = header.body_start.min(text.len());
        let start = if text.is_char_boundary(start) {
            start
        } else {
            0
        };
        let dom = html::parse_body(text, start);
        Capture {
            header,
            dom,
            body: TextRange::new(start, text.len()),
        }
    }

    /// Bring this capture, parsed from `old_text`, up to date with `text`, the result of
    /// `edit`, re-parsing only the region of the body the edit touched. Returns `false`
    /// (leaving `self` as it was) when the edit reaches the header or no region is provably
    /// independent of the rest; then parse `text` whole.
    pub fn reparse(&mut self, old_text: &str, text: &str, edit: Edit) -> bool {
        self.try_reparse(old_text, text, edit).is_ok()
    }

    /// [`Capture::reparse`], saying why not.
    pub fn try_reparse(
        &mut self,
        old_text: &str,
        text: &str,
        edit: Edit,
    ) -> Result<(), reparse::Refusal> {
        let prepared = self.prepare_reparse(old_text, text, edit)?;
        self.apply_reparse(prepared, text);
        Ok(())
    }

    /// The checking half of [`Capture::reparse`], reading `self` only: a shared capture
    /// need be copied only when the edit is known to splice.
    pub fn prepare_reparse(
        &self,
        old_text: &str,
        text: &str,
        edit: Edit,
    ) -> Result<PreparedReparse, reparse::Refusal> {
        let start = self.body.start;
        if edit.start <= start
            || edit.old_end > self.body.end
            || self.body.end != old_text.len()
            || edit.new_end > text.len()
            || old_text.len() - edit.old_end != text.len() - edit.new_end
        {
            return Err(reparse::Refusal::NoContainer);
        }
        let header = header::parse_header(text);
        if header.body_start != start || !text.is_char_boundary(start) {
            return Err(reparse::Refusal::NoContainer);
        }
        let body = reparse::prepare(&self.dom, old_text, text, edit)?;
        Ok(PreparedReparse { header, body })
    }

    /// Apply a [`Capture::prepare_reparse`] result to this capture (or an equal copy).
    pub fn apply_reparse(&mut self, prepared: PreparedReparse, text: &str) {
        prepared.body.apply(&mut self.dom, text);
        self.header = prepared.header;
        self.body = TextRange::new(self.body.start, text.len());
    }
}

/// A checked incremental reparse, waiting to be applied (see [`Capture::prepare_reparse`]).
pub struct PreparedReparse {
    header: Header,
    body: reparse::Prepared,
}
