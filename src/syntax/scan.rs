//! The span pass: a byte-level scanner that follows the HTML tokenizer's tag, attribute,
//! comment and raw-text states (WHATWG §13.2.5) just far enough to report where every start
//! tag, attribute, end tag and comment is. It builds no tree and decodes nothing, which
//! makes it several times faster than a full tokenizer; the tree comes from html5ever and the
//! two are aligned tag by tag in `html.rs` (a disagreement leaves an element unmapped, never
//! a wrong span). All syntax characters are ASCII, so every position it reports is a UTF-8
//! char boundary.

use crate::syntax::name::Name;
use crate::text::TextRange;

#[derive(Debug, Default, Clone)]
pub(crate) struct StartTag {
    /// ASCII-lowercased name, as html5ever names elements.
    pub name: Name,
    pub range: TextRange,
    pub name_range: TextRange,
    /// (name range, raw value range without quotes); names are compared in place
    /// (ASCII case-insensitively) rather than copied.
    pub attrs: Vec<(TextRange, Option<TextRange>)>,
    pub self_closing: bool,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Comment {
    pub range: TextRange,
    pub inner: TextRange,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Scan {
    pub starts: Vec<StartTag>,
    /// (lowercased name, range of the whole end tag)
    pub ends: Vec<(Name, TextRange)>,
    pub comments: Vec<Comment>,
    /// The input ended inside a construct (a tag, comment, raw text, `<plaintext>` or
    /// foreign content), so what follows it in a larger document would be read differently.
    /// Incremental reparsing only splices regions that end cleanly.
    pub truncated: bool,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let rel = hay.get(i..)?.iter().position(|&b| b == first)?;
        i += rel;
        if hay.get(i..i + needle.len()) == Some(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// How the tokenizer reads what follows a start tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Normal,
    /// RCDATA, RAWTEXT and script data: text until `</name`.
    Raw,
    /// Everything to the end is text.
    PlainText,
}

fn content_after(name: &str) -> Content {
    match name {
        "title" | "textarea" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "script" => {
            Content::Raw
        }
        "plaintext" => Content::PlainText,
        _ => Content::Normal,
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    out: Scan,
    /// Depth inside `<svg>`/`<math>`, where tags do not switch to raw text and CDATA
    /// sections exist.
    foreign: usize,
}

/// Scan a body (offsets are relative to `body`), with room reserved for `tags` tags.
pub(crate) fn scan(body: &str, tags: usize) -> Scan {
    let mut s = Scanner {
        b: body.as_bytes(),
        out: Scan {
            starts: Vec::with_capacity(tags),
            ends: Vec::with_capacity(tags / 2),
            ..Scan::default()
        },
        foreign: 0,
    };
    s.run();
    if s.foreign > 0 {
        s.out.truncated = true;
    }
    s.out
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn run(&mut self) {
        let mut i = 0;
        while let Some(rel) = self
            .b
            .get(i..)
            .and_then(|r| r.iter().position(|&c| c == b'<'))
        {
            let lt = i + rel;
            i = match self.at(lt + 1) {
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(lt),
                Some(b'/') => self.end_tag(lt),
                Some(b'!') => self.markup_declaration(lt),
                Some(b'?') => self.bogus_comment(lt, lt + 1),
                _ => lt + 1,
            };
        }
    }

    /// `<name attrs…>`; returns where scanning continues.
    fn start_tag(&mut self, lt: usize) -> usize {
        let name_start = lt + 1;
        let mut i = name_start;
        while let Some(c) = self.at(i) {
            if is_ws(c) || c == b'/' || c == b'>' {
                break;
            }
            i += 1;
        }
        let name_range = TextRange::new(name_start, i);
        let name = Name::lowercase(self.b.get(name_start..i).unwrap_or_default());
        let Some((end, attrs, self_closing)) = self.attributes(i) else {
            // EOF inside the tag: the tokenizer emits nothing.
            self.out.truncated = true;
            return self.b.len();
        };
        let tag = StartTag {
            name,
            range: TextRange::new(lt, end),
            name_range,
            attrs,
            self_closing,
        };
        let content = if self.foreign > 0 {
            Content::Normal
        } else {
            content_after(&tag.name)
        };
        if matches!(tag.name.as_str(), "svg" | "math") && !self_closing {
            self.foreign += 1;
        }
        let raw_name = tag.name.clone();
        self.out.starts.push(tag);
        match content {
            Content::Normal => end,
            Content::PlainText => {
                self.out.truncated = true;
                self.b.len()
            }
            Content::Raw => self.raw_text_end(end, &raw_name),
        }
    }

    /// Skip raw text to the appropriate end tag `</name` (followed by whitespace, `/` or
    /// `>`); returns its position (the end tag is then scanned normally).
    fn raw_text_end(&mut self, from: usize, name: &str) -> usize {
        let mut i = from;
        while let Some(p) = find(self.b, i, b"</") {
            let after = p + 2;
            let cand = self.b.get(after..after + name.len());
            let term = self.at(after + name.len());
            if cand.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes()))
                && term.is_none_or(|t| is_ws(t) || t == b'/' || t == b'>')
            {
                return p;
            }
            i = p + 2;
        }
        self.out.truncated = true;
        self.b.len()
    }

    /// The attribute states, from just after the tag name to the closing `>`. Returns the
    /// end of the tag (after `>`), the attributes and the self-closing flag; `None` at EOF.
    #[allow(clippy::type_complexity)]
    fn attributes(
        &self,
        mut i: usize,
    ) -> Option<(usize, Vec<(TextRange, Option<TextRange>)>, bool)> {
        let mut attrs = Vec::new();
        loop {
            // Before attribute name.
            while self.at(i).is_some_and(is_ws) {
                i += 1;
            }
            match self.at(i)? {
                b'>' => return Some((i + 1, attrs, false)),
                b'/' => {
                    if self.at(i + 1) == Some(b'>') {
                        return Some((i + 2, attrs, true));
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // Attribute name (a leading `=` belongs to the name).
            let name_start = i;
            i += 1;
            while let Some(c) = self.at(i) {
                if is_ws(c) || c == b'/' || c == b'>' || c == b'=' {
                    break;
                }
                i += 1;
            }
            let name_range = TextRange::new(name_start, i);
            // After attribute name.
            while self.at(i).is_some_and(is_ws) {
                i += 1;
            }
            if self.at(i) != Some(b'=') {
                attrs.push((name_range, None));
                continue;
            }
            i += 1;
            // Before attribute value.
            while self.at(i).is_some_and(is_ws) {
                i += 1;
            }
            match self.at(i)? {
                q @ (b'"' | b'\'') => {
                    let start = i + 1;
                    let rel = self.b.get(start..)?.iter().position(|&c| c == q)?;
                    let end = start + rel;
                    attrs.push((name_range, Some(TextRange::new(start, end))));
                    i = end + 1;
                }
                b'>' => {
                    attrs.push((name_range, Some(TextRange::empty(i))));
                    return Some((i + 1, attrs, false));
                }
                _ => {
                    let start = i;
                    while let Some(c) = self.at(i) {
                        if is_ws(c) || c == b'>' {
                            break;
                        }
                        i += 1;
                    }
                    attrs.push((name_range, Some(TextRange::new(start, i))));
                }
            }
        }
    }

    fn end_tag(&mut self, lt: usize) -> usize {
        match self.at(lt + 2) {
            Some(c) if c.is_ascii_alphabetic() => {
                let name_start = lt + 2;
                let mut i = name_start;
                while let Some(c) = self.at(i) {
                    if is_ws(c) || c == b'/' || c == b'>' {
                        break;
                    }
                    i += 1;
                }
                let name = Name::lowercase(self.b.get(name_start..i).unwrap_or_default());
                let Some((end, _, _)) = self.attributes(i) else {
                    self.out.truncated = true;
                    return self.b.len();
                };
                if matches!(name.as_str(), "svg" | "math") {
                    self.foreign = self.foreign.saturating_sub(1);
                }
                self.out.ends.push((name, TextRange::new(lt, end)));
                end
            }
            // `</>` is dropped.
            Some(b'>') => lt + 3,
            None => {
                self.out.truncated = true;
                self.b.len()
            }
            _ => self.bogus_comment(lt, lt + 2),
        }
    }

    /// `<!…`: comment, doctype, CDATA (in foreign content) or a bogus comment.
    fn markup_declaration(&mut self, lt: usize) -> usize {
        let rest = self.b.get(lt + 2..).unwrap_or_default();
        if rest.starts_with(b"--") {
            let inner_start = lt + 4;
            // `<!-->` and `<!--->` end at once.
            for (prefix, len) in [(&b">"[..], 1), (&b"->"[..], 2)] {
                if self
                    .b
                    .get(inner_start..)
                    .is_some_and(|r| r.starts_with(prefix))
                {
                    let end = inner_start + len;
                    self.out.comments.push(Comment {
                        range: TextRange::new(lt, end),
                        inner: TextRange::empty(inner_start),
                    });
                    return end;
                }
            }
            let close = find(self.b, inner_start, b"--");
            let mut i = inner_start;
            let mut search = close;
            while let Some(p) = search {
                match (self.at(p + 2), self.at(p + 3)) {
                    (Some(b'>'), _) => {
                        self.out.comments.push(Comment {
                            range: TextRange::new(lt, p + 3),
                            inner: TextRange::new(inner_start, p),
                        });
                        return p + 3;
                    }
                    (Some(b'!'), Some(b'>')) => {
                        self.out.comments.push(Comment {
                            range: TextRange::new(lt, p + 4),
                            inner: TextRange::new(inner_start, p),
                        });
                        return p + 4;
                    }
                    _ => {}
                }
                i = p + 1;
                search = find(self.b, i, b"--");
            }
            let _ = i;
            self.out.comments.push(Comment {
                range: TextRange::new(lt, self.b.len()),
                inner: TextRange::new(inner_start, self.b.len()),
            });
            self.out.truncated = true;
            return self.b.len();
        }
        if self.foreign > 0 && rest.starts_with(b"[CDATA[") {
            return match find(self.b, lt + 9, b"]]>") {
                Some(p) => p + 3,
                None => {
                    self.out.truncated = true;
                    self.b.len()
                }
            };
        }
        // DOCTYPE and anything else: up to the next `>`.
        self.bogus_comment(lt, lt + 2)
    }

    /// A bogus comment (or doctype) from `lt` to the next `>`.
    fn bogus_comment(&mut self, lt: usize, from: usize) -> usize {
        match self
            .b
            .get(from..)
            .and_then(|r| r.iter().position(|&c| c == b'>'))
        {
            Some(rel) => from + rel + 1,
            None => {
                self.out.truncated = true;
                self.b.len()
            }
        }
        .max(lt + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(body: &str) -> String {
        let s = scan(body, 0);
        let mut out = String::new();
        for t in &s.starts {
            out.push_str(&format!(
                "<{}> {:?}",
                t.name,
                &body[t.range.start..t.range.end]
            ));
            for (nr, v) in &t.attrs {
                let n = body[nr.start..nr.end].to_ascii_lowercase();
                out.push_str(&format!(
                    " [{n}={:?}@{:?}]",
                    v.map(|v| &body[v.start..v.end]),
                    &body[nr.start..nr.end]
                ));
            }
            if t.self_closing {
                out.push_str(" /");
            }
            out.push('\n');
        }
        for (n, r) in &s.ends {
            out.push_str(&format!("</{n}> {:?}\n", &body[r.start..r.end]));
        }
        for c in &s.comments {
            out.push_str(&format!(
                "comment {:?}\n",
                &body[c.inner.start..c.inner.end]
            ));
        }
        out
    }

    #[test]
    fn tags_attributes_and_quirks() {
        expect_test::expect![[r#"
            <p> "<P a=\"x&amp;y\" b=z c='w' d>" [a=Some("x&amp;y")@"a"] [b=Some("z")@"b"] [c=Some("w")@"c"] [d=None@"d"]
            <img> "<img src=u/>" [src=Some("u/")@"src"]
            <divclass="x"data-a=1> "<divclass=\"x\"data-a=1>"
            <br> "<br/>" /
            <a> "<a =x href = \"h\">" [=x=None@"=x"] [href=Some("h")@"href"]
            </p> "</p>"
            </div> "</div foo>"
            comment "c"
            comment ""
        "#]]
        .assert_eq(&show(
            r#"<P a="x&amp;y" b=z c='w' d>t&lt;中</p><img src=u/><!--c--><divclass="x"data-a=1><br/><!----><a =x href = "h"></ x><</div foo>"#,
        ));
    }

    #[test]
    fn raw_text_and_comments() {
        expect_test::expect![[r#"
            <script> "<script>"
            <title> "<title>"
            <svg> "<svg>"
            <title> "<title>"
            <b> "<b>"
            </script> "</script>"
            </title> "</title>"
            </b> "</b>"
            </title> "</title>"
            </svg> "</svg>"
            comment " a -- b "
            comment "x"
        "#]]
        .assert_eq(&show(
            "<script>if (a<b) { x = '</p>' }</script><title>a<b>c</title><!-- a -- b --><!--x--!><svg><title><b>t</b></title><![CDATA[ <i> ]]></svg>",
        ));
    }

    #[test]
    fn never_panics_on_truncations() {
        let text = r#"<a href="x" b='y' c=z><!-- c --><script>x</script><!x><?y></a></"#;
        for end in 0..=text.len() {
            let body = &text[..end];
            let s = scan(body, 0);
            for t in &s.starts {
                assert!(body.get(t.range.start..t.range.end).is_some());
            }
        }
    }
}
