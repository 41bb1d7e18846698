//! Pure parsing of capture files: the header ([`header`]) and the HTML body with exact
//! source spans ([`html`]). No IO, no clock, no LSP types.

pub mod header;
pub mod html;
mod scan;

use crate::text::TextRange;
pub use header::{Header, ProblemKind, SyntaxProblem};
pub use html::Dom;

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
}
