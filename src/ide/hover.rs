//! Hover previews: what is behind a link, an image (caption, credit, original URL), a
//! credit or caption, an embed, a heading, and the header's timestamp and URL. Markdown,
//! with a plaintext rendering for clients that do not take markdown.

use std::fmt::Write;

use crate::ide::Analysis;
use crate::ide::model::{AttrValue, Figure, Image, normalize_ws};
use crate::ide::url::{self, Resolved};
use crate::syntax::html::{NodeData, NodeId};
use crate::text::TextRange;

#[derive(Debug, Clone, Default)]
pub struct HoverOptions {
    /// Include a markdown image preview (the client fetches it; off by default).
    pub image_preview: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverResult {
    /// The element or attribute hovered.
    pub range: TextRange,
    pub markdown: String,
    /// What the workspace index may add to (cross-capture previews, recovered credits).
    pub subject: Subject,
}

/// The thing hovered, for callers that can say more about it from other captures.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Subject {
    #[default]
    Other,
    /// A link to this absolute URL (fragment, if any, separately).
    Link {
        url: String,
        fragment: Option<String>,
    },
    /// The header's source URL.
    SourceUrl(String),
    /// An image with no credit here (original URL behind any proxy).
    UncreditedImage(String),
}

impl HoverResult {
    /// The same content without markdown syntax.
    pub fn plaintext(&self) -> String {
        to_plaintext(&self.markdown)
    }
}

/// Strip the little markdown the hovers use (emphasis, code spans, image previews).
pub fn to_plaintext(md: &str) -> String {
    md.lines()
        .filter(|l| !l.starts_with("!["))
        .map(|l| l.replace("**", "").replace('`', "").replace("\\", ""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escape markdown-significant characters in text taken from the document.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL as a markdown code span (no escaping needed inside; plaintext drops the ticks).
fn code(url: &str) -> String {
    format!("`{}`", url.replace('`', "%60"))
}

/// The base URL links resolve against: `<base href>` if present, else the header URL.
pub fn base_url(analysis: &Analysis) -> Option<String> {
    let header = analysis
        .capture
        .header
        .url
        .as_ref()
        .map(|u| u.cleaned.trim().to_string());
    match analysis.article.base_href.as_deref() {
        Some(b) => match url::resolve(header.as_deref(), b) {
            Resolved::Absolute(u) => Some(u),
            _ => header,
        },
        None => header,
    }
}

/// Hover at a byte offset.
pub fn hover(analysis: &Analysis, offset: usize, opts: &HoverOptions) -> Option<HoverResult> {
    if let Some((range, markdown)) =
        crate::ide::diagnostics::suppress::suppression_hover(analysis, offset)
    {
        return Some(HoverResult {
            range,
            markdown,
            subject: Subject::Other,
        });
    }
    if let Some(h) = header_hover(analysis, offset) {
        return Some(h);
    }
    let dom = &analysis.capture.dom;
    let article = &analysis.article;
    let start = dom.element_at(offset)?;
    for node in std::iter::once(start).chain(dom.ancestors(start)) {
        let Some(el) = dom.element(node) else {
            continue;
        };
        if let Some(fig) = article
            .figures
            .iter()
            .find(|f| f.image.node == node || f.duplicates.iter().any(|d| d.node == node))
        {
            let img = std::iter::once(&fig.image)
                .chain(&fig.duplicates)
                .find(|i| i.node == node)
                .unwrap_or(&fig.image);
            let uncredited = !fig.decorative && fig.credit.as_ref().is_none_or(|c| c.is_empty());
            let subject = match img.src.as_ref() {
                Some(src) if uncredited => Subject::UncreditedImage(
                    url::deproxy(&src.value).unwrap_or_else(|| src.value.clone()),
                ),
                _ => Subject::Other,
            };
            return Some(HoverResult {
                range: attr_under(img, offset).unwrap_or(img.range),
                markdown: image_markdown(analysis, fig, img, opts),
                subject,
            });
        }
        if let Some(fig) = article
            .figures
            .iter()
            .find(|f| f.credit.as_ref().and_then(|c| c.element) == Some(node))
        {
            let credit = fig.credit.as_ref()?;
            return Some(HoverResult {
                range: credit.name_range.unwrap_or(credit.range),
                markdown: format!(
                    "**Credit** {}\n\nCredits the image: {}",
                    md_escape(&credit.name),
                    image_label(fig)
                ),
                subject: Subject::Other,
            });
        }
        if let Some(fig) = article
            .figures
            .iter()
            .find(|f| f.caption.as_ref().map(|c| c.node) == Some(node))
        {
            let cap = fig.caption.as_ref()?;
            return Some(HoverResult {
                range: cap.range,
                markdown: format!("**Caption** of the image: {}", image_label(fig)),
                subject: Subject::Other,
            });
        }
        if let Some(embed) = article.embeds.iter().find(|e| e.node == node) {
            let mut md = format!("**{}**", embed.kind.label());
            if let Some(u) = &embed.url {
                let _ = write!(md, " — {}", code(&u.value));
                if let Some(h) = url::host(&u.value) {
                    let _ = write!(md, "\n\nhost: {}", md_escape(&h));
                }
            }
            if embed.captured {
                md.push_str("\n\nContent captured.");
            } else {
                md.push_str("\n\n**Content not captured**: the placeholder is empty; only the link to the original remains.");
            }
            return Some(HoverResult {
                range: embed.range,
                markdown: md,
                subject: Subject::Other,
            });
        }
        if el.name == "a"
            && let Some(link) = article.links.iter().find(|l| l.node == node)
        {
            let subject = match url::resolve(base_url(analysis).as_deref(), &link.href.value) {
                Resolved::Absolute(u) => {
                    let (url, fragment) = match u.split_once('#') {
                        Some((a, f)) => (a.to_string(), Some(f.to_string())),
                        None => (u, None),
                    };
                    Subject::Link { url, fragment }
                }
                _ => Subject::Other,
            };
            return Some(HoverResult {
                range: link
                    .href
                    .range
                    .filter(|r| r.touches(offset))
                    .unwrap_or(link.range),
                markdown: link_markdown(analysis, &link.href.value, &link.text),
                subject,
            });
        }
        if let Some(h) = article.headings.iter().find(|h| h.node == node) {
            return Some(HoverResult {
                range: h.text_range,
                markdown: heading_markdown(analysis, node),
                subject: Subject::Other,
            });
        }
        if el.name == "time" {
            let dt = el.attr("datetime").unwrap_or("");
            let text = normalize_ws(&dom.text_of(node, &analysis.text));
            let mut md = format!("**Time** `{}`", md_escape(dt));
            if !text.is_empty() {
                let _ = write!(md, "\n\nshown as: {}", md_escape(&text));
            }
            if !crate::ide::reltime::find_relative_times(&text).is_empty() {
                md.push_str("\n\nThe text is relative time, frozen when the page was captured.");
            }
            return Some(HoverResult {
                range: el.range()?,
                markdown: md,
                subject: Subject::Other,
            });
        }
    }
    None
}

fn attr_under(img: &Image, offset: usize) -> Option<TextRange> {
    [&img.src, &img.alt, &img.srcset]
        .into_iter()
        .flatten()
        .filter_map(|a: &AttrValue| a.range)
        .find(|r| r.touches(offset))
}

fn image_label(fig: &Figure) -> String {
    let src = fig
        .image
        .src
        .as_ref()
        .map(|s| url::deproxy(&s.value).unwrap_or_else(|| s.value.clone()));
    match (fig.label(), src.and_then(|s| url::file_name(&s))) {
        (Some(l), _) => md_escape(&l),
        (None, Some(f)) => format!("`{}`", md_escape(&f)),
        _ => "(unnamed image)".into(),
    }
}

fn image_markdown(analysis: &Analysis, fig: &Figure, img: &Image, opts: &HoverOptions) -> String {
    let mut md = String::from("**Image**");
    if let (Some(w), Some(h)) = (&img.width, &img.height) {
        let _ = write!(md, " {}×{}", md_escape(w), md_escape(h));
    }
    if fig.decorative {
        md.push_str(" (decorative: no credit needed)");
    }
    md.push('\n');
    if let Some(alt) = &img.alt {
        let alt = alt.value.trim();
        let _ = write!(
            md,
            "\n- alt: {}",
            if alt.is_empty() {
                "(empty)".into()
            } else {
                md_escape(alt)
            }
        );
    }
    if let Some(c) = &fig.caption {
        let _ = write!(md, "\n- caption: {}", md_escape(&c.text));
    }
    match &fig.credit {
        Some(c) if !c.is_empty() => {
            let _ = write!(md, "\n- credit: **{}**", md_escape(&c.name));
            if !c.agencies.is_empty() {
                let _ = write!(md, " ({})", md_escape(&c.agencies.join(", ")));
            }
            let _ = write!(md, " — from the {}", c.source.describe());
        }
        Some(c) => {
            let _ = write!(
                md,
                "\n- credit: empty (a `{}` marker with no name, in the {})",
                md_escape(c.marker.as_deref().unwrap_or("credit")),
                c.source.describe()
            );
        }
        None if !fig.decorative => md.push_str("\n- credit: none found"),
        None => {}
    }
    let base = base_url(analysis);
    if let Some(src) = &img.src {
        match url::deproxy(&src.value) {
            Some(orig) => {
                let proxy = url::host(&src.value).unwrap_or_default();
                let _ = write!(
                    md,
                    "\n- original: {} (behind the {} proxy)",
                    code(&orig),
                    md_escape(&proxy)
                );
            }
            None => {
                let shown = match url::resolve(base.as_deref(), &src.value) {
                    Resolved::Absolute(u) => u,
                    _ => src.value.clone(),
                };
                let _ = write!(md, "\n- source: {}", code(&shown));
            }
        }
    }
    if let Some(set) = &img.srcset {
        let cands = url::parse_srcset(&set.value);
        if !cands.is_empty() {
            let descs: Vec<String> = cands
                .iter()
                .map(|c| c.descriptor.clone().unwrap_or_else(|| "1x".into()))
                .collect();
            let _ = write!(
                md,
                "\n- srcset: {} candidates ({})",
                cands.len(),
                md_escape(&descs.join(", "))
            );
            if let Some(largest) = cands.last() {
                let _ = write!(md, "; largest {}", code(&largest.url));
            }
        }
    }
    if opts.image_preview
        && let Some(src) = &img.src
    {
        let target = url::deproxy(&src.value).unwrap_or_else(|| src.value.clone());
        let _ = write!(md, "\n\n![preview]({target})");
    }
    md
}

fn link_markdown(analysis: &Analysis, href: &str, text: &str) -> String {
    let base = base_url(analysis);
    let mut md = String::new();
    match url::resolve(base.as_deref(), href) {
        Resolved::Absolute(u) => {
            let _ = write!(md, "**Link** → {}", code(&url::display(&u)));
            if let Some(h) = url::host(&u) {
                let _ = write!(md, "\n\n- host: {}", md_escape(&h));
            }
            if let Some(orig) = url::deproxy(&u) {
                let _ = write!(md, "\n- original (behind a proxy): {}", code(&orig));
            }
        }
        Resolved::Fragment(id) => {
            let _ = write!(md, "**Link** to `#{}` in this article", md_escape(&id));
            let target = analysis
                .article
                .headings
                .iter()
                .find(|h| h.id.as_deref() == Some(id.as_str()));
            match target {
                Some(h) => {
                    let _ = write!(md, "\n\n- target: section “{}”", md_escape(&h.text));
                }
                None => md.push_str("\n\n- target: no element with this id"),
            }
        }
        Resolved::Relative { href } => {
            let _ = write!(
                md,
                "**Link** `{}` (relative, and the capture has no source URL to resolve it)",
                md_escape(&href)
            );
        }
        Resolved::Special(s) => {
            let _ = write!(md, "**Link** `{}`", md_escape(&s));
        }
        Resolved::Empty => md.push_str("**Link** with an empty `href`"),
    }
    if !text.is_empty() {
        let _ = write!(md, "\n- text: {}", md_escape(text));
    }
    md
}

fn heading_markdown(analysis: &Analysis, node: NodeId) -> String {
    let Some(h) = analysis.article.headings.iter().find(|h| h.node == node) else {
        return String::new();
    };
    // The section runs from this heading to the next heading of its level or above.
    let end = analysis
        .article
        .headings
        .iter()
        .filter(|o| o.range.start > h.range.start && o.level <= h.level)
        .map(|o| o.range.start)
        .min()
        .unwrap_or(analysis.capture.body.end);
    let section = TextRange::new(h.range.start, end);
    let dom = &analysis.capture.dom;
    let chars: usize = dom
        .nodes
        .iter()
        .filter_map(|n| match &n.data {
            NodeData::Text(t) => t.range().filter(|r| section.contains_range(*r)).map(|_| {
                t.text(&analysis.text)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count()
            }),
            _ => None,
        })
        .sum();
    let figures = analysis
        .article
        .figures
        .iter()
        .filter(|f| !f.decorative && section.contains(f.range.start))
        .count();
    let links = analysis
        .article
        .links
        .iter()
        .filter(|l| section.contains(l.range.start))
        .count();
    let level = if h.level <= 6 {
        format!("h{}", h.level)
    } else {
        "bold sub-heading".into()
    };
    format!(
        "**Section** {} ({level})\n\n{chars} characters · {figures} figures · {links} links",
        md_escape(&h.text)
    )
}

fn header_hover(analysis: &Analysis, offset: usize) -> Option<HoverResult> {
    let header = &analysis.capture.header;
    if let Some(ts) = &header.timestamp
        && ts.range.touches(offset)
    {
        let md = match ts.value.and_then(|v| readable_time(v).map(|r| (v, r))) {
            Some((v, (iso, readable))) => format!(
                "**Published** {iso}\n\n{readable}\n\nThe feed's publication time (epoch milliseconds {v})."
            ),
            None => "**Timestamp** not a valid epoch-milliseconds value".to_string(),
        };
        return Some(HoverResult {
            range: ts.range,
            markdown: md,
            subject: Subject::Other,
        });
    }
    if let Some(u) = &header.url
        && u.range.touches(offset)
    {
        let mut md = String::from("**Source URL**");
        match ::url::Url::parse(u.cleaned.trim()) {
            Ok(parsed) => {
                let _ = write!(
                    md,
                    " {}\n\n- scheme: {}",
                    code(&url::display(parsed.as_str())),
                    parsed.scheme()
                );
                if let Some(h) = parsed.host_str() {
                    let _ = write!(md, "\n- host: {}", md_escape(h));
                }
                let _ = write!(md, "\n- path: {}", code(&url::display(parsed.path())));
                if let Some(q) = parsed.query() {
                    let _ = write!(md, "\n- query: {}", code(q));
                }
                if let Some(n) = url::normalize_for_index(&u.cleaned) {
                    let _ = write!(md, "\n- normalised: {}", code(&n));
                }
            }
            Err(e) => {
                let _ = write!(md, " `{}` does not parse: {e}", md_escape(&u.cleaned));
            }
        }
        return Some(HoverResult {
            range: u.range,
            markdown: md,
            subject: Subject::SourceUrl(u.cleaned.trim().to_string()),
        });
    }
    if let Some(t) = &header.title
        && t.line_range.touches(offset)
    {
        let mut md = format!("**Title** {}", md_escape(&t.text));
        if let Some(date) = analysis.date_iso() {
            let _ = write!(md, "\n\npublished {date}");
        }
        return Some(HoverResult {
            range: t.text_range,
            markdown: md,
            subject: Subject::Other,
        });
    }
    if let Some(d) = &header.date_line
        && d.range.touches(offset)
    {
        let md = match d.epoch_ms.and_then(readable_time) {
            Some((iso, readable)) => format!("**Date** {iso}\n\n{readable}"),
            None => "**Date** could not be parsed".into(),
        };
        return Some(HoverResult {
            range: d.range,
            markdown: md,
            subject: Subject::Other,
        });
    }
    None
}

/// `(ISO 8601, readable)` forms of an epoch-milliseconds instant, in UTC.
pub fn readable_time(ms: i64) -> Option<(String, String)> {
    let iso = crate::ide::iso_from_ms(ms)?;
    let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
    let readable = ts.strftime("%A, %-d %B %Y, %H:%M:%S UTC").to_string();
    Some((iso, readable))
}
