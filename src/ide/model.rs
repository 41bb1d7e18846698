//! The article model: what a capture's body means to a reader — headings, figures (image,
//! caption, credit), embeds, links, and the ads and feed boilerplate to leave out. Built
//! once per document version from the parsed [`Capture`]; plain data with byte ranges.

use crate::ide::credit_text::CreditRules;
use crate::ide::credits::{self, Credit};
use crate::syntax::Capture;
use crate::syntax::html::{Dom, Element, NodeData, NodeId};
use crate::text::TextRange;

/// Level given to short bold-only paragraphs that act as sub-headings (below `h6`).
pub const BOLD_HEADING_LEVEL: u8 = 7;

#[derive(Debug, Clone, Default)]
pub struct Article {
    pub headings: Vec<Heading>,
    pub figures: Vec<Figure>,
    pub embeds: Vec<Embed>,
    pub links: Vec<Link>,
    /// Ranges of ads and feed boilerplate (left out of the outline and of checks), sorted.
    pub boilerplate: Vec<TextRange>,
    /// Per entry of `boilerplate`: the furthest end among it and the entries before it.
    boilerplate_reach: Vec<usize>,
    /// Per DOM node: inside an ad or boilerplate region.
    pub in_boilerplate: Vec<bool>,
    /// The first `<base href>`, if the body has one.
    pub base_href: Option<String>,
}

impl Article {
    /// Sort the boilerplate ranges and index them for [`Article::in_boilerplate_range`].
    fn index_boilerplate(&mut self) {
        self.boilerplate.sort_unstable();
        self.boilerplate_reach = self
            .boilerplate
            .iter()
            .scan(0, |reach, r| {
                *reach = r.end.max(*reach);
                Some(*reach)
            })
            .collect();
    }

    /// Whether `r` lies inside one of the ad or boilerplate ranges (a binary search: the
    /// ranges starting at or before `r` contain it when the furthest of their ends does).
    pub fn in_boilerplate_range(&self, r: TextRange) -> bool {
        let k = self.boilerplate.partition_point(|b| b.start <= r.start);
        k.checked_sub(1)
            .and_then(|k| self.boilerplate_reach.get(k))
            .is_some_and(|&reach| reach >= r.end)
    }
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub node: NodeId,
    /// 1–6 for `h1`–`h6`, [`BOLD_HEADING_LEVEL`] for bold paragraphs.
    pub level: u8,
    pub text: String,
    /// The whole element.
    pub range: TextRange,
    /// The heading text itself (between the tags).
    pub text_range: TextRange,
    pub id: Option<String>,
}

/// A value taken from an attribute, with the range of the raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrValue {
    pub value: String,
    pub range: Option<TextRange>,
}

#[derive(Debug, Clone)]
pub struct Image {
    pub node: NodeId,
    /// The `<img …>` start tag.
    pub range: TextRange,
    pub src: Option<AttrValue>,
    pub alt: Option<AttrValue>,
    pub width: Option<String>,
    pub height: Option<String>,
    pub srcset: Option<AttrValue>,
    /// Inside `<noscript>` (the real image of a lazy-loading placeholder).
    pub in_noscript: bool,
}

#[derive(Debug, Clone)]
pub struct Caption {
    pub text: String,
    pub range: TextRange,
    pub node: NodeId,
}

#[derive(Debug, Clone)]
pub struct Figure {
    /// The element that holds the image, caption and credit (a `figure`, a BBC
    /// image placeholder, or the image itself).
    pub node: NodeId,
    pub range: TextRange,
    pub image: Image,
    /// Other copies of the same image (a `<noscript>` fallback or lazy placeholder).
    pub duplicates: Vec<Image>,
    pub caption: Option<Caption>,
    /// Who the image is credited to, and where that was written.
    pub credit: Option<Credit>,
    /// Tracking pixels, spacers, icons: nothing should ask for their credit.
    pub decorative: bool,
}

impl Figure {
    /// Caption, else alt text.
    pub fn label(&self) -> Option<String> {
        self.caption
            .as_ref()
            .map(|c| c.text.clone())
            .or_else(|| self.image.alt.as_ref().map(|a| a.value.trim().to_string()))
            .filter(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmbedKind {
    Tweet,
    Instagram,
    Facebook,
    YouTube,
    MediaPlayer,
    Iframe,
    Video,
    Audio,
}

impl EmbedKind {
    pub fn label(self) -> &'static str {
        match self {
            EmbedKind::Tweet => "Twitter post",
            EmbedKind::Instagram => "Instagram post",
            EmbedKind::Facebook => "Facebook post",
            EmbedKind::YouTube => "YouTube video",
            EmbedKind::MediaPlayer => "Media player",
            EmbedKind::Iframe => "Embedded frame",
            EmbedKind::Video => "Video",
            EmbedKind::Audio => "Audio",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Embed {
    pub node: NodeId,
    pub kind: EmbedKind,
    pub range: TextRange,
    /// The original URL (from the placeholder attribute, the blockquote's link, or `src`).
    pub url: Option<AttrValue>,
    /// Whether any of the embedded content was captured (false for an empty shell).
    pub captured: bool,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub node: NodeId,
    pub range: TextRange,
    pub href: AttrValue,
    pub text: String,
}

/// Build the article model of a parsed capture (`text` is the file it was parsed from).
pub fn build(text: &str, capture: &Capture, rules: &CreditRules) -> Article {
    let dom = &capture.dom;
    let footer_text = may_hold_feed_footer(text, dom);
    let mut article = Article {
        in_boilerplate: mark_boilerplate(text, dom, &footer_text),
        ..Article::default()
    };
    let title = capture.header.title.as_ref().map(|t| t.text.trim());
    let mut embed_nodes: Vec<NodeId> = Vec::new();

    for (i, node) in dom.nodes.iter().enumerate() {
        let id = i as NodeId;
        let NodeData::Element(el) = &node.data else {
            continue;
        };
        // `<base>` ends up in the implied <head> (boilerplate), so look before skipping.
        if el.name == "base" && article.base_href.is_none() {
            article.base_href = el.attr("href").map(str::to_string);
        }
        if article.in_boilerplate[i] {
            if is_boilerplate_root(text, dom, id, el, &footer_text)
                && let Some(r) = el.range()
            {
                article.boilerplate.push(r);
            }
            continue;
        }
        let Some(range) = el.range() else { continue };
        match el.name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let heading = normalize_ws(&dom.text_of(id, text));
                if heading.is_empty() || (el.name == "h1" && Some(heading.as_str()) == title) {
                    continue;
                }
                let level = el.name.as_bytes()[1] - b'0';
                article.headings.push(Heading {
                    node: id,
                    level,
                    text_range: inner_text_range(dom, id).unwrap_or(range),
                    text: heading,
                    range,
                    id: el.attr("id").map(str::to_string),
                });
            }
            "p" => {
                if let Some(h) = bold_heading(text, dom, id, range) {
                    article.headings.push(h);
                }
            }
            "a" => {
                if let Some(href) = attr_value(el, "href") {
                    article.links.push(Link {
                        node: id,
                        range,
                        href,
                        text: normalize_ws(&dom.text_of(id, text)),
                    });
                }
            }
            _ => {}
        }
        if embed_nodes
            .last()
            .is_some_and(|&e| dom.ancestors(id).any(|a| a == e))
        {
            continue;
        }
        if let Some(embed) = classify_embed(text, dom, id, el, range) {
            embed_nodes.push(id);
            article.embeds.push(embed);
        }
    }

    article.index_boilerplate();
    collect_figures(text, dom, &mut article, &embed_nodes);
    for fig in &mut article.figures {
        fig.credit = credits::find(text, dom, fig, rules);
    }
    // The model lives as long as the version: drop the growth slack (a third of the links'
    // table at 1 MB).
    article.headings.shrink_to_fit();
    article.figures.shrink_to_fit();
    article.embeds.shrink_to_fit();
    article.links.shrink_to_fit();
    article.boilerplate.shrink_to_fit();
    article
}

fn attr_value(el: &Element, name: &str) -> Option<AttrValue> {
    el.attr_full(name).map(|a| AttrValue {
        value: a.value.clone(),
        range: a.value_range(),
    })
}

/// Collapse runs of whitespace (including NBSP) and trim.
pub fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The source range of an element's text, trimmed of surrounding whitespace when the
/// content is plain text.
fn inner_text_range(dom: &Dom, id: NodeId) -> Option<TextRange> {
    let el = dom.element(id)?;
    let inner = el.spans()?.inner()?;
    // Narrow to the text nodes' ranges when they are known. The tree builder can move text
    // out of place (foster parenting, adoption agency), so only text inside the element's
    // tags counts; otherwise the narrowed range could come out inverted.
    let texts: Vec<TextRange> = dom
        .descendants(id)
        .filter_map(|d| match &dom.node(d)?.data {
            NodeData::Text(t) if !t.is_blank() => t.range(),
            _ => None,
        })
        .filter(|r| inner.contains_range(*r))
        .collect();
    match (texts.first(), texts.last()) {
        (Some(first), Some(last)) => {
            let mut r = first.cover(*last);
            // Trim leading/trailing ASCII whitespace inside the range is left to the caller.
            r.start = r.start.max(inner.start);
            r.end = r.end.min(inner.end);
            Some(r)
        }
        _ => Some(inner),
    }
}

fn bold_heading(text: &str, dom: &Dom, id: NodeId, range: TextRange) -> Option<Heading> {
    // A paragraph whose only content is one <b>/<strong>, short, not a sentence.
    let mut bold = None;
    for &c in dom.children(id) {
        match &dom.node(c)?.data {
            NodeData::Text(t) if t.is_blank() => {}
            NodeData::Element(e) if matches!(e.name.as_str(), "b" | "strong") && bold.is_none() => {
                bold = Some(c)
            }
            _ => return None,
        }
    }
    let bold = bold?;
    let heading = normalize_ws(&dom.text_of(bold, text));
    let chars = heading.chars().count();
    if chars == 0 || chars > 40 || heading.ends_with(['。', '.', '！', '!', '？', '?', '，', ','])
    {
        return None;
    }
    Some(Heading {
        node: id,
        level: BOLD_HEADING_LEVEL,
        text_range: inner_text_range(dom, bold).unwrap_or(range),
        text: heading,
        range,
        id: None,
    })
}

// ---------------------------------------------------------------------------------------
// Ads and boilerplate

/// `footer_text`: see [`may_hold_feed_footer`].
fn is_boilerplate_root(
    text: &str,
    dom: &Dom,
    id: NodeId,
    el: &Element,
    footer_text: &[bool],
) -> bool {
    is_ad(el) || footer_text.get(id as usize) == Some(&true) && is_feed_footer(text, dom, id, el)
}

/// Per node: whether its text could hold the feed footer (`获取更多RSS`), i.e. some text
/// node below it holds the footer's first character. A character never spans two text
/// nodes, so a `false` is exact, and the footer's text need not be assembled for it.
fn may_hold_feed_footer(text: &str, dom: &Dom) -> Vec<bool> {
    let mut flags = vec![false; dom.nodes.len()];
    // Children come after parents in `nodes`: a reverse walk sees descendants first.
    for i in (0..dom.nodes.len()).rev() {
        let node = &dom.nodes[i];
        if let NodeData::Text(t) = &node.data
            && t.text(text).contains(['获', '獲'])
        {
            flags[i] = true;
        }
        if flags[i]
            && let Some(p) = node.parent
            && let Some(f) = flags.get_mut(p as usize)
        {
            *f = true;
        }
    }
    flags
}

fn is_ad(el: &Element) -> bool {
    if el.attr("data-e2e") == Some("advertisement") {
        return true;
    }
    if let Some(label) = el.attr("aria-label") {
        let l = label.trim();
        if l.starts_with("广告") || l.starts_with("廣告") || l.eq_ignore_ascii_case("advertisement")
        {
            return true;
        }
    }
    if el.attr("data-tms-ad-type").is_some() || el.attr("data-ad-slot").is_some() {
        return true;
    }
    if el
        .attr("id")
        .is_some_and(|i| i.starts_with("dotcom-") || i.starts_with("div-gpt-ad"))
    {
        return true;
    }
    el.attr("class").is_some_and(|c| {
        c.split_ascii_whitespace().any(|c| {
            matches!(
                c,
                "m-block-ad" | "advert" | "advertisement" | "ad-slot" | "adsbygoogle"
            ) || c.starts_with("ad-container")
        })
    }) || (el.name.contains('=') && el.name.contains("class=\"m-block-ad"))
}

fn is_feed_footer(text: &str, dom: &Dom, id: NodeId, el: &Element) -> bool {
    if !matches!(el.name.as_str(), "p" | "div" | "a" | "footer" | "hr") {
        return false;
    }
    // Only small elements: the footer is a line, not the whole article.
    if el.range().is_none_or(|r| r.len() > 600) {
        return false;
    }
    let footer = dom.text_of(id, text);
    footer.contains("获取更多RSS") || footer.contains("獲取更多RSS")
}

fn mark_boilerplate(text: &str, dom: &Dom, footer_text: &[bool]) -> Vec<bool> {
    let mut marks = vec![false; dom.nodes.len()];
    for (i, node) in dom.nodes.iter().enumerate() {
        let inherited = node.parent.is_some_and(|p| marks[p as usize]);
        marks[i] = inherited
            || match &node.data {
                NodeData::Element(el) => {
                    matches!(el.name.as_str(), "script" | "style" | "template" | "head")
                        || is_boilerplate_root(text, dom, i as NodeId, el, footer_text)
                }
                _ => false,
            };
    }
    marks
}

// ---------------------------------------------------------------------------------------
// Embeds

fn has_content(dom: &Dom, id: NodeId) -> bool {
    dom.descendants(id)
        .any(|d| match &dom.node(d).map(|n| &n.data) {
            Some(NodeData::Text(t)) => !t.is_blank(),
            Some(NodeData::Element(e)) => matches!(
                e.name.as_str(),
                "img" | "iframe" | "video" | "audio" | "blockquote" | "a" | "picture"
            ),
            _ => false,
        })
}

fn kind_from_url(url: &str) -> Option<EmbedKind> {
    let lower = url.to_ascii_lowercase();
    let host_has = |h: &str| lower.contains(h);
    if host_has("twitter.com/") || host_has("x.com/") {
        Some(EmbedKind::Tweet)
    } else if host_has("instagram.com/") {
        Some(EmbedKind::Instagram)
    } else if host_has("facebook.com/") {
        Some(EmbedKind::Facebook)
    } else if host_has("youtube.com/") || host_has("youtu.be/") || host_has("youtube-nocookie.com/")
    {
        Some(EmbedKind::YouTube)
    } else {
        None
    }
}

fn classify_embed(
    text: &str,
    dom: &Dom,
    id: NodeId,
    el: &Element,
    range: TextRange,
) -> Option<Embed> {
    // BBC placeholders: data-e2e="twitter-embed-<url>", "instagram-embed-<url>", …
    if let Some(attr) = el.attr_full("data-e2e") {
        let v = attr.value.as_str();
        if let Some(pos) = v.find("-embed-") {
            let prefix = &v[..pos];
            let url_start = pos + "-embed-".len();
            let url = v.get(url_start..).unwrap_or("").to_string();
            let kind = match prefix {
                "twitter" => EmbedKind::Tweet,
                "instagram" => EmbedKind::Instagram,
                "facebook" => EmbedKind::Facebook,
                "youtube" => EmbedKind::YouTube,
                _ => kind_from_url(&url).unwrap_or(EmbedKind::Iframe),
            };
            return Some(Embed {
                node: id,
                kind,
                range,
                url: (!url.is_empty()).then(|| AttrValue {
                    range: attr
                        .value_range()
                        .map(|r| TextRange::new(r.start + url_start, r.end))
                        .filter(|r| r.len() == url.len()),
                    value: url,
                }),
                captured: has_content(dom, id),
            });
        }
        if v == "media-player" {
            let iframe = dom.descendants(id).find(|&d| {
                dom.element(d)
                    .is_some_and(|e| matches!(e.name.as_str(), "iframe" | "video" | "audio"))
            });
            let url = iframe
                .and_then(|f| dom.element(f))
                .and_then(|e| attr_value(e, "src"));
            return Some(Embed {
                node: id,
                kind: EmbedKind::MediaPlayer,
                range,
                captured: url.as_ref().is_some_and(|u| !u.value.trim().is_empty()),
                url,
            });
        }
    }
    // BBC 2020 video: <div class="media-with-caption"><div class="player-with-placeholder">
    // <img class="media-placeholder">…<div class="media-player" data-playable='{json}'>.
    if el.has_class("media-with-caption")
        || (el.has_class("player-with-placeholder")
            && !dom.ancestors(id).any(|a| {
                dom.element(a).is_some_and(|e| {
                    e.has_class("player-with-placeholder") || e.has_class("media-with-caption")
                })
            }))
    {
        let player = dom
            .descendants(id)
            .filter_map(|d| dom.element(d).map(|e| (d, e)))
            .find(|(_, e)| e.has_class("media-player") || e.attr("data-playable").is_some());
        if let Some((_, player)) = player {
            let url = player
                .attr_full("data-playable")
                .and_then(|a| playable_url(&a.value).map(|u| (u, a.value_range())))
                .map(|(value, _)| AttrValue { value, range: None });
            return Some(Embed {
                node: id,
                kind: EmbedKind::MediaPlayer,
                range,
                captured: false,
                url,
            });
        }
    }
    match el.name.as_str() {
        "blockquote" => {
            let class = el.attr("class").unwrap_or("");
            let kind = if class.contains("twitter-tweet") || class.contains("twitter-video") {
                EmbedKind::Tweet
            } else if class.contains("instagram-media") {
                EmbedKind::Instagram
            } else if class.contains("fb-xfbml") || class.contains("fb-post") {
                EmbedKind::Facebook
            } else {
                return None;
            };
            let url = el
                .attr_full("data-instgrm-permalink")
                .map(|a| AttrValue {
                    value: a.value.clone(),
                    range: a.value_range(),
                })
                .or_else(|| {
                    dom.descendants(id)
                        .filter_map(|d| dom.element(d))
                        .filter(|e| e.name == "a")
                        .filter_map(|e| attr_value(e, "href"))
                        .filter(|h| kind_from_url(&h.value) == Some(kind))
                        .last()
                });
            Some(Embed {
                node: id,
                kind,
                range,
                url,
                captured: !dom.text_of(id, text).trim().is_empty(),
            })
        }
        "iframe" | "video" | "audio" | "embed" => {
            let nonempty = |v: Option<AttrValue>| v.filter(|a| !a.value.trim().is_empty());
            let src = nonempty(attr_value(el, "src"))
                .or_else(|| nonempty(attr_value(el, "data-src")))
                .or_else(|| {
                    dom.children(id)
                        .iter()
                        .filter_map(|&c| dom.element(c))
                        .find(|e| e.name == "source")
                        .and_then(|e| nonempty(attr_value(e, "src")))
                });
            let kind = match el.name.as_str() {
                "video" => EmbedKind::Video,
                "audio" => EmbedKind::Audio,
                _ => src
                    .as_ref()
                    .and_then(|s| kind_from_url(&s.value))
                    .unwrap_or(EmbedKind::Iframe),
            };
            Some(Embed {
                node: id,
                kind,
                range,
                captured: src.as_ref().is_some_and(|s| !s.value.trim().is_empty()),
                url: src,
            })
        }
        _ => None,
    }
}

/// The embed URL inside a BBC `data-playable` JSON blob.
fn playable_url(json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    v.pointer("/settings/externalEmbedUrl")
        .and_then(|u| u.as_str())
        .map(str::to_string)
}

// ---------------------------------------------------------------------------------------
// Figures

fn image_of(dom: &Dom, id: NodeId, el: &Element, range: TextRange) -> Image {
    Image {
        node: id,
        range: el.spans().map(|s| s.start_tag).unwrap_or(range),
        src: attr_value(el, "src")
            .filter(|s| !s.value.trim().is_empty())
            .or_else(|| attr_value(el, "data-src"))
            .or_else(|| attr_value(el, "data-original")),
        alt: attr_value(el, "alt"),
        width: el.attr("width").map(str::to_string),
        height: el.attr("height").map(str::to_string),
        srcset: attr_value(el, "srcset").or_else(|| attr_value(el, "data-srcset")),
        in_noscript: dom
            .ancestors(id)
            .any(|a| dom.element(a).is_some_and(|e| e.name == "noscript")),
    }
}

/// The element that groups an image with its caption: the nearest `figure`, BBC
/// `data-e2e="image-placeholder"`, WordPress `.wp-caption`, or a `<noscript>`'s parent.
fn figure_container(dom: &Dom, id: NodeId) -> NodeId {
    for (depth, a) in dom.ancestors(id).enumerate() {
        let Some(e) = dom.element(a) else { break };
        let figure_class = e.attr("class").is_some_and(|c| {
            c.split_ascii_whitespace().any(|c| {
                matches!(
                    c,
                    "wp-caption"
                        | "media-landscape"
                        | "media-portrait"
                        | "media-with-caption"
                        | "image-inline"
                        | "captioned"
                )
            })
        });
        if e.name == "figure"
            || figure_class
            || e.attr("data-e2e") == Some("image-placeholder")
            || e.attr("role") == Some("figure")
        {
            return a;
        }
        if e.name == "noscript" {
            return dom.parent(a).unwrap_or(a);
        }
        if depth >= 4 || matches!(e.name.as_str(), "p" | "body" | "main" | "article") {
            break;
        }
    }
    enclosing_wrapper(dom, id)
}

/// With no explicit figure element, the largest small wrapper around the image that holds
/// no other image and no heading (BBC 2024: `<div><picture><img></picture><p role="text">…`).
fn enclosing_wrapper(dom: &Dom, id: NodeId) -> NodeId {
    let mut best = id;
    for a in dom.ancestors(id).take(3) {
        let Some(e) = dom.element(a) else { break };
        if !matches!(e.name.as_str(), "div" | "span" | "picture" | "a") {
            break;
        }
        if e.range().is_none_or(|r| r.len() > 4000) {
            break;
        }
        let crowded = dom.descendants(a).any(|d| {
            d != id
                && dom.element(d).is_some_and(|x| {
                    crate::syntax::html::is_heading(&x.name)
                        || (x.name == "img"
                            && !dom
                                .ancestors(d)
                                .any(|n| dom.element(n).is_some_and(|n| n.name == "noscript")))
                })
        });
        if crowded {
            break;
        }
        best = a;
    }
    best
}

fn same_source(a: &Image, b: &Image) -> bool {
    let key = |i: &Image| {
        i.src
            .as_ref()
            .map(|s| crate::ide::url::deproxy(&s.value).unwrap_or_else(|| s.value.clone()))
    };
    key(a).is_some() && key(a) == key(b)
}

fn looks_decorative(img: &Image) -> bool {
    let tiny = |v: &Option<String>| {
        v.as_deref()
            .and_then(|s| s.trim().trim_end_matches("px").parse::<f64>().ok())
            .is_some_and(|n| n <= 2.0)
    };
    if tiny(&img.width) || tiny(&img.height) {
        return true;
    }
    let src = img
        .src
        .as_ref()
        .map(|s| s.value.to_ascii_lowercase())
        .unwrap_or_default();
    // BBC marks presentational images (separator lines, banners) with a "-nc" ("no
    // credit") file-name suffix.
    let no_credit_suffix = [".png", ".jpg", ".jpeg", ".gif"]
        .iter()
        .any(|ext| src.ends_with(&format!("-nc{ext}")));
    no_credit_suffix
        || [
            "spacer",
            "grey_line",
            "presentational",
            "pixel.gif",
            "1x1",
            "blank.gif",
            "transparent.gif",
            "zoom",
            "/icons/",
            "icon-",
            "grey-placeholder",
            "/beacon",
        ]
        .iter()
        .any(|m| src.contains(m))
}

fn is_caption_element(e: &Element) -> bool {
    e.name == "figcaption"
        || e.attr("data-testid") == Some("caption-paragraph")
        || [
            "wp-caption-text",
            "image-caption",
            "media-caption__text",
            "caption",
            "Image_caption",
        ]
        .iter()
        .any(|c| e.has_class(c))
}

fn caption_of(text: &str, dom: &Dom, node: NodeId) -> Option<Caption> {
    let e = dom.element(node)?;
    // BBC 2020: figcaption holds an off-screen "Image caption" label and the text.
    let target = dom
        .descendants(node)
        .find(|&d| {
            dom.element(d)
                .is_some_and(|e| e.has_class("media-caption__text"))
        })
        .unwrap_or(node);
    let caption = normalize_ws(&dom.text_of(target, text));
    if caption.is_empty() {
        return None;
    }
    Some(Caption {
        range: inner_text_range(dom, target).or(e.range())?,
        text: caption,
        node: target,
    })
}

/// The caption inside the figure container, else right after it (Reuters puts the
/// figcaption after the figure; feeds put `<div><small>caption</small></div>` after the
/// image).
fn find_caption(text: &str, dom: &Dom, container: NodeId) -> Option<Caption> {
    for d in std::iter::once(container).chain(dom.descendants(container)) {
        if dom.element(d).is_some_and(is_caption_element)
            && let Some(c) = caption_of(text, dom, d)
        {
            return Some(c);
        }
    }
    let next = next_element_sibling(dom, container)?;
    let e = dom.element(next)?;
    if is_caption_element(e) {
        return caption_of(text, dom, next);
    }
    // <div><small>caption</small></div>
    let kids: Vec<NodeId> = dom
        .children(next)
        .iter()
        .copied()
        .filter(
            |&c| !matches!(dom.node(c).map(|n| &n.data), Some(NodeData::Text(t)) if t.is_blank()),
        )
        .collect();
    if e.name == "small" {
        return caption_of(text, dom, next);
    }
    match kids.as_slice() {
        [only]
            if dom
                .element(*only)
                .is_some_and(|k| k.name == "small" || is_caption_element(k)) =>
        {
            caption_of(text, dom, *only)
        }
        _ => None,
    }
}

fn next_element_sibling(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let parent = dom.parent(id)?;
    let siblings = dom.children(parent);
    let pos = siblings.iter().position(|&c| c == id)?;
    // Whitespace and comments between the two are skipped; text in between is not.
    siblings
        .get(pos + 1..)?
        .iter()
        .copied()
        .find(|&c| match dom.node(c).map(|n| &n.data) {
            Some(NodeData::Text(t)) => !t.is_blank(),
            Some(NodeData::Comment(_)) => false,
            _ => true,
        })
        .filter(|&c| dom.element(c).is_some())
}

fn collect_figures(text: &str, dom: &Dom, article: &mut Article, embed_nodes: &[NodeId]) {
    let mut figures: Vec<Figure> = Vec::new();
    for (i, node) in dom.nodes.iter().enumerate() {
        let id = i as NodeId;
        let NodeData::Element(el) = &node.data else {
            continue;
        };
        if el.name != "img" || article.in_boilerplate[i] {
            continue;
        }
        let Some(range) = el.range() else { continue };
        // Posters of media players and images inside embeds belong to the embed.
        // (`embed_nodes` is in document order, so sorted: a lookup is a binary search.)
        if dom
            .ancestors(id)
            .any(|a| embed_nodes.binary_search(&a).is_ok())
        {
            continue;
        }
        let image = image_of(dom, id, el, range);
        let mut container = figure_container(dom, id);
        if let Some(fig) = figures
            .iter_mut()
            .rev()
            .take(2)
            .find(|f| f.node == container && container != id)
        {
            // A placeholder and its noscript copy count once; the noscript one is real.
            let copy = image.in_noscript != fig.image.in_noscript
                || same_source(&image, &fig.image)
                || fig.duplicates.iter().any(|d| same_source(&image, d));
            if copy {
                if image.in_noscript && !fig.image.in_noscript {
                    let old = std::mem::replace(&mut fig.image, image);
                    fig.duplicates.push(old);
                } else {
                    fig.duplicates.push(image);
                }
                continue;
            }
            // Another image in the same container (a zoom icon, a second photo): a figure
            // of its own.
            container = id;
        }
        let container_el = dom.element(container);
        let fig_range = container_el.and_then(|e| e.range()).unwrap_or(range);
        let caption = find_caption(text, dom, container);
        let empty_alt = image
            .alt
            .as_ref()
            .is_some_and(|a| a.value.trim().is_empty());
        let decorative = looks_decorative(&image)
            || el.attr("role") == Some("presentation")
            || (empty_alt && caption.is_none())
            || el.attr("aria-hidden") == Some("true")
                && caption.is_none()
                && image.alt.as_ref().is_none_or(|a| a.value.trim().is_empty());
        figures.push(Figure {
            node: container,
            range: fig_range,
            image,
            duplicates: Vec::new(),
            caption,
            credit: None,
            decorative,
        });
    }
    article.figures = figures;
}

#[cfg(test)]
mod tests;
