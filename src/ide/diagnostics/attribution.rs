//! Attribution rules: images without a credit, empty and placeholder credits, missing alt
//! text, embeds without a link to the original.
//!
//! Credits come from the credit engine ([`crate::ide::credits`], `Figure::credit`).

use super::{Ctx, Finding, escape_attr, escape_text, is_cjk};
use crate::ide::config::Config;
use crate::ide::credit_text;
use crate::ide::credit_text::CreditRules;
use crate::ide::credits::{self, Credit};
use crate::ide::fixes::Fix;
use crate::ide::model::{EmbedKind, Figure};
use crate::ide::rules;
use crate::syntax::html::Dom;
use crate::text::TextRange;

/// The placeholder name the add-credit fix writes when no agency can be guessed (the
/// `placeholder-credit` rule then flags it).
pub const PLACEHOLDER_NAME: &str = "UNKNOWN";

/// The credit state of a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditState {
    Credited { name: String, range: TextRange },
    Empty { range: TextRange },
    Placeholder { name: String, range: TextRange },
    Missing,
}

/// The credit state of a figure under these settings: the model's credit, or (when the
/// settings add markers or agencies) the credit engine re-run with the extended rules
/// (`rules`: [`Config::credit_rules`], or the built-in tables without such settings).
pub fn credit_state(
    text: &str,
    dom: &Dom,
    figure: &Figure,
    config: &Config,
    rules: &CreditRules,
) -> CreditState {
    let recomputed;
    let credit: Option<&Credit> = if !config.extends_credit_rules() {
        figure.credit.as_ref()
    } else {
        recomputed = credits::find(text, dom, figure, rules);
        recomputed.as_ref()
    };
    match credit {
        None => CreditState::Missing,
        Some(c) if c.is_empty() => CreditState::Empty { range: c.range },
        Some(c) if rules.is_placeholder(&c.name) => CreditState::Placeholder {
            name: c.name.clone(),
            range: c.name_range.unwrap_or(c.range),
        },
        Some(c) => CreditState::Credited {
            name: c.name.clone(),
            range: c.range,
        },
    }
}

pub(super) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let article = &cx.analysis.article;
    let dom = &cx.analysis.capture.dom;
    let bbc_style = uses_bbc_style(cx);
    // The settings' tables are built once per run (with the search automata they compile
    // on first use); without settings, the shared built-in ones serve.
    let extended = cx
        .config
        .extends_credit_rules()
        .then(|| cx.config.credit_rules());
    let credit_rules = extended.as_ref().unwrap_or(CreditRules::builtin());
    for fig in &article.figures {
        if fig.decorative || fig.image.src.is_none() {
            continue;
        }
        match credit_state(cx.text, dom, fig, cx.config, credit_rules) {
            CreditState::Credited { .. } => {}
            CreditState::Empty { range } => out.push(Finding::new(
                &rules::EMPTY_CREDIT,
                range,
                "credit marker with no name after it",
            )),
            CreditState::Placeholder { name, range } => out.push(Finding::new(
                &rules::PLACEHOLDER_CREDIT,
                range,
                format!("credit `{name}` is a placeholder"),
            )),
            CreditState::Missing => {
                let agency = guess_agency(fig, cx.config);
                let fix = add_credit_fix(cx, fig, agency.as_deref(), bbc_style);
                let msg = match &agency {
                    Some(a) => format!("image has no credit (the URL suggests {a})"),
                    None => "image has no credit".to_string(),
                };
                out.push(Finding::new(&rules::MISSING_CREDIT, fig.image.range, msg).with_fix(fix));
            }
        }
        if fig.image.alt.is_none() {
            let fix = fig.caption.as_ref().and_then(|c| {
                let name = dom.element(fig.image.node)?.spans()?.name;
                Some(
                    Fix::new(rules::MISSING_ALT.code, "Copy the caption into `alt`", true).edit(
                        TextRange::empty(name.end),
                        format!(" alt=\"{}\"", escape_attr(&c.text)),
                    ),
                )
            });
            out.push(
                Finding::new(
                    &rules::MISSING_ALT,
                    fig.image.range,
                    "image has no `alt` text",
                )
                .with_fix(fix),
            );
        }
    }
    for e in &article.embeds {
        let social = matches!(
            e.kind,
            EmbedKind::Tweet | EmbedKind::Instagram | EmbedKind::Facebook | EmbedKind::YouTube
        );
        if social && e.url.as_ref().is_none_or(|u| u.value.trim().is_empty()) {
            out.push(Finding::new(
                &rules::EMBED_WITHOUT_SOURCE,
                e.range,
                format!("{} with no link to the original", e.kind.label()),
            ));
        }
    }
}

/// Whether the capture writes credits the BBC way (`<p role="text"><span>图像来源，…`).
fn uses_bbc_style(cx: &Ctx<'_>) -> bool {
    let host_bbc = cx
        .analysis
        .source_host()
        .is_some_and(|h| h.ends_with("bbc.com") || h.ends_with("bbc.co.uk"));
    host_bbc
        || cx.analysis.capture.dom.nodes.iter().any(|n| match &n.data {
            crate::syntax::html::NodeData::Element(e) => e.attr("role") == Some("text"),
            _ => false,
        })
}

/// Guess the agency from the image URLs (settings aliases first, then the file name,
/// path and host through [`credit_text::agency_from_url`]).
pub fn guess_agency(fig: &Figure, config: &Config) -> Option<String> {
    let mut urls: Vec<&str> = Vec::new();
    for img in std::iter::once(&fig.image).chain(&fig.duplicates) {
        urls.extend(img.src.as_ref().map(|s| s.value.as_str()));
        urls.extend(img.srcset.as_ref().map(|s| s.value.as_str()));
    }
    for (alias, canonical) in &config.agencies {
        let alias = alias.to_lowercase();
        if urls.iter().any(|u| u.to_lowercase().contains(&alias)) {
            return Some(canonical.clone());
        }
    }
    urls.iter()
        .flat_map(|u| u.split([',', ' ']))
        .filter(|u| u.contains('/'))
        .find_map(credit_text::agency_from_url)
        .map(str::to_string)
}

/// A fix that adds `credit`, recovered from another capture of the same image (see the
/// workspace index), after the image at `image_range`, in this capture's own style.
pub fn recovered_credit_fix(
    analysis: &crate::ide::Analysis,
    config: &Config,
    image_range: TextRange,
    credit: &str,
    from_title: &str,
) -> Option<Fix> {
    let cx = Ctx {
        analysis,
        text: &analysis.text,
        config,
    };
    let fig = analysis.article.figures.iter().find(|f| {
        f.image.range.start <= image_range.end && image_range.start <= f.image.range.end
    })?;
    let mut fix = add_credit_fix(&cx, fig, Some(credit), uses_bbc_style(&cx))?;
    fix.title = format!("Add credit `{credit}` (as credited in “{from_title}”)");
    Some(fix)
}

fn add_credit_fix(cx: &Ctx<'_>, fig: &Figure, agency: Option<&str>, bbc: bool) -> Option<Fix> {
    let dom = &cx.analysis.capture.dom;
    let name = agency.unwrap_or(PLACEHOLDER_NAME);
    let title_text = cx
        .analysis
        .capture
        .header
        .title
        .as_ref()
        .map(|t| t.text.as_str())
        .unwrap_or_default();
    let cjk = is_cjk(title_text) || fig.caption.as_ref().is_some_and(|c| is_cjk(&c.text));
    let container = dom.element(fig.node);
    let in_figure = container.is_some_and(|e| e.name == "figure");
    let html = if bbc {
        let marker = if cjk {
            "图像来源，"
        } else {
            "Image source, "
        };
        format!(
            "<p role=\"text\"><span>{marker}</span><span>{}</span></p>",
            escape_text(name)
        )
    } else {
        let marker = if cjk { "图片来源：" } else { "Photo: " };
        let tag = if in_figure { "figcaption" } else { "p" };
        let class = if in_figure { "" } else { " class=\"credit\"" };
        format!("<{tag}{class}>{marker}{}</{tag}>", escape_text(name))
    };
    // Inside the figure container before its end tag, else right after the image.
    let at = match container.and_then(|e| e.spans()) {
        Some(s) if fig.node != fig.image.node => s.end_tag.map(|e| e.start),
        _ => None,
    }
    .or_else(|| dom.element(fig.image.node)?.range().map(|r| r.end))?;
    let title = match agency {
        Some(a) => format!("Add credit `{a}` after the image"),
        None => "Add a placeholder credit after the image".to_string(),
    };
    Some(Fix::new(rules::MISSING_CREDIT.code, title, false).edit(TextRange::empty(at), html))
}
