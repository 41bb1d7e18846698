//! Embed rules: empty social placeholders, media without a source, lazy-load placeholders,
//! proxied media, script-only embeds.

use super::{Ctx, Finding, escape_attr};
use crate::ide::fixes::Fix;
use crate::ide::model::EmbedKind;
use crate::ide::rules;
use crate::syntax::html::{Element, NodeData, NodeId};
use crate::text::TextRange;

/// Script sources of embed providers.
const EMBED_SCRIPTS: &[&str] = &[
    "platform.twitter.com/widgets",
    "instagram.com/embed",
    "connect.facebook.net",
    "flourish.studio",
    "datawrapper",
    "infogram",
    "tiktok.com/embed",
    "embedly",
    "player.vimeo.com",
    "youtube.com/iframe_api",
];

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let analysis = cx.analysis;
    let dom = &analysis.capture.dom;
    for e in &analysis.article.embeds {
        let social = matches!(
            e.kind,
            EmbedKind::Tweet | EmbedKind::Instagram | EmbedKind::Facebook | EmbedKind::YouTube
        );
        let url = e
            .url
            .as_ref()
            .map(|u| u.value.trim())
            .filter(|u| !u.is_empty());
        if social && !e.captured {
            let fix = url.map(|u| {
                Fix::new(
                    rules::EMPTY_EMBED.code,
                    format!("Replace the empty {} with a link to it", e.kind.label()),
                    true,
                )
                .edit(e.range, embed_link(e.kind, u))
            });
            let msg = match url {
                Some(u) => format!(
                    "empty {} placeholder: {u} was never captured",
                    e.kind.label()
                ),
                None => format!("empty {} placeholder", e.kind.label()),
            };
            out.push(Finding::new(&rules::EMPTY_EMBED, e.range, msg).with_fix(fix));
        } else if !social && url.is_none() {
            out.push(Finding::new(
                &rules::MEDIA_WITHOUT_SRC,
                e.range,
                format!("{} has no source", e.kind.label()),
            ));
        }
    }
    for fig in &analysis.article.figures {
        let el = dom.element(fig.image.node);
        let real = |img: &crate::ide::model::Image| {
            img.src
                .as_ref()
                .is_some_and(|s| !is_placeholder_src(&s.value))
                || img.srcset.is_some()
        };
        let has_lazy_attr = el.is_some_and(|e| {
            e.attr("data-src").is_some_and(|v| !v.trim().is_empty())
                || e.attr("data-original")
                    .is_some_and(|v| !v.trim().is_empty())
        });
        if real(&fig.image) || has_lazy_attr || fig.duplicates.iter().any(real) {
            continue;
        }
        // A `<noscript>` copy next to the placeholder holds the real image.
        let noscript_copy = dom.parent(fig.image.node).is_some_and(|p| {
            dom.descendants(p).any(|d| {
                dom.element(d).is_some_and(|e| {
                    e.name == "img"
                        && e.attr("src").is_some_and(|s| !is_placeholder_src(s))
                        && dom
                            .ancestors(d)
                            .any(|a| dom.element(a).is_some_and(|x| x.name == "noscript"))
                })
            })
        });
        if noscript_copy {
            continue;
        }
        match &fig.image.src {
            Some(src) if is_placeholder_src(&src.value) => out.push(Finding::new(
                &rules::LAZY_PLACEHOLDER,
                fig.image.range,
                "lazy-load placeholder: the real image was never captured",
            )),
            Some(_) => {}
            None if !fig.decorative => out.push(Finding::new(
                &rules::MEDIA_WITHOUT_SRC,
                fig.image.range,
                "image has no source",
            )),
            None => {}
        }
    }
    // Proxied media and script-only embeds: every element outside ads and boilerplate.
    let marks = &analysis.article.in_boilerplate;
    for (i, node) in dom.nodes.iter().enumerate() {
        let NodeData::Element(el) = &node.data else {
            continue;
        };
        if el.name == "script" {
            script_only(cx, i as NodeId, el, out);
            continue;
        }
        if marks.get(i).copied().unwrap_or(true)
            || !matches!(
                el.name.as_str(),
                "img" | "iframe" | "video" | "audio" | "source"
            )
        {
            continue;
        }
        let Some(attr) = el.attr_full("src") else {
            continue;
        };
        let Some(original) = crate::ide::url::deproxy(&attr.value) else {
            continue;
        };
        let range = attr
            .value_range()
            .or(el.spans().map(|s| s.start_tag))
            .unwrap_or_default();
        let fix = attr.value_range().map(|r| {
            Fix::new(
                rules::PROXIED_MEDIA.code,
                "Use the original URL instead of the proxy",
                false,
            )
            .edit(r, escape_attr(&original))
        });
        out.push(
            Finding::new(
                &rules::PROXIED_MEDIA,
                range,
                format!("media behind an image proxy; the original is {original}"),
            )
            .with_fix(fix),
        );
    }
}

fn is_placeholder_src(src: &str) -> bool {
    let s = src.trim().to_ascii_lowercase();
    s.is_empty()
        || s.starts_with("data:")
        || s.contains("placeholder")
        || s.contains("lazy")
        || s.contains("blank.gif")
        || s.contains("loading.gif")
        || s == "about:blank"
}

/// The blockquote that replaces an empty social placeholder: it keeps the embed in the
/// outline, now with its content (the link) captured.
fn embed_link(kind: EmbedKind, url: &str) -> String {
    let href = escape_attr(url);
    let text = super::escape_text(url);
    let label = kind.label();
    match kind {
        EmbedKind::Tweet => format!(
            "<blockquote class=\"twitter-tweet\"><a href=\"{href}\">{label}: {text}</a></blockquote>"
        ),
        EmbedKind::Instagram => format!(
            "<blockquote class=\"instagram-media\" data-instgrm-permalink=\"{href}\"><a href=\"{href}\">{label}: {text}</a></blockquote>"
        ),
        EmbedKind::Facebook => format!(
            "<blockquote class=\"fb-post\"><a href=\"{href}\">{label}: {text}</a></blockquote>"
        ),
        _ => format!("<p><a href=\"{href}\">{label}: {text}</a></p>"),
    }
}

fn script_only(cx: &Ctx<'_>, id: NodeId, el: &Element, out: &mut Vec<Finding>) {
    let dom = &cx.analysis.capture.dom;
    let marks = &cx.analysis.article.in_boilerplate;
    let src = el.attr("src").unwrap_or_default().to_ascii_lowercase();
    if !EMBED_SCRIPTS.iter().any(|s| src.contains(s)) {
        return;
    }
    let Some(parent) = dom.parent(id) else { return };
    // Outside ads/boilerplate (the script itself is always marked), and not next to
    // a captured embed (a tweet blockquote followed by widgets.js is fine).
    if marks.get(parent as usize).copied().unwrap_or(true) {
        return;
    }
    // The embed's markup right before the script (a tweet blockquote, then widgets.js
    // in its own paragraph) means the content was captured.
    let previous_is_embed = |id: NodeId| {
        let Some(p) = dom.parent(id) else {
            return false;
        };
        let siblings = dom.children(p);
        let at = siblings.iter().position(|&s| s == id).unwrap_or(0);
        siblings
            .get(..at)
            .unwrap_or_default()
            .iter()
            .rev()
            .filter(|&&s| dom.element(s).is_some())
            .take(1)
            .any(|&s| {
                std::iter::once(s).chain(dom.descendants(s)).any(|d| {
                    dom.element(d)
                        .is_some_and(|e| matches!(e.name.as_str(), "blockquote" | "iframe"))
                })
            })
    };
    if previous_is_embed(id) || previous_is_embed(parent) {
        return;
    }
    let parent_el = dom.element(parent);
    if parent_el.is_none_or(|p| matches!(p.name.as_str(), "body" | "main" | "article" | "html")) {
        // A bare script in the article flow: judge by its neighbours.
        let has_neighbour_embed = dom.children(parent).iter().any(|&c| {
            c != id
                && dom
                    .element(c)
                    .is_some_and(|e| matches!(e.name.as_str(), "blockquote" | "iframe" | "div"))
        });
        if has_neighbour_embed {
            return;
        }
    } else if !dom.text_of(parent, cx.text).trim().is_empty()
        || dom.descendants(parent).any(|d| {
            dom.element(d).is_some_and(|e| {
                matches!(
                    e.name.as_str(),
                    "img" | "iframe" | "video" | "audio" | "blockquote" | "a" | "picture"
                )
            })
        })
    {
        return;
    }
    let range = parent_el
        .filter(|p| !matches!(p.name.as_str(), "body" | "main" | "article" | "html"))
        .and_then(|p| p.range())
        .or(el.range())
        .unwrap_or_else(|| TextRange::empty(0));
    out.push(Finding::new(
        &rules::SCRIPT_ONLY_EMBED,
        range,
        format!("embed made only of a script ({src}); nothing of it was captured"),
    ));
}
