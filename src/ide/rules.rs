//! The rule registry: every diagnostic rule with its stable code (`CAP…`, never reused),
//! kebab-case name, family, default severity, one-line summary, fixability and doc.
//!
//! Codes are grouped by family: `CAP0xx` header, `CAP1xx` attribution, `CAP2xx` embeds,
//! `CAP3xx` links, `CAP4xx` text, `CAP5xx` markup, `CAP9xx` suppressions.

use crate::ide::diagnostics::Severity;

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Header,
    Attribution,
    Embeds,
    Links,
    Text,
    Markup,
    Suppressions,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Family::Header => "header",
            Family::Attribution => "attribution",
            Family::Embeds => "embeds",
            Family::Links => "links",
            Family::Text => "text",
            Family::Markup => "markup",
            Family::Suppressions => "suppressions",
        }
    }
}

/// One rule. `what`/`why`/`example`/`fix` make up its documentation page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub summary: &'static str,
    pub fixable: bool,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

/// Where the documentation of each rule is published.
pub const DOCS_BASE: &str = "https://github.com/capture-lsp/capture-lsp/blob/main/docs/rules/";

impl Rule {
    pub fn doc_url(&self) -> String {
        format!("{DOCS_BASE}{}.md", self.name)
    }

    /// The rule's documentation page in Markdown (also `docs/rules/<name>.md`).
    pub fn doc_markdown(&self) -> String {
        format!(
            "# {name} ({code})\n\n{summary}\n\n- Family: {family}\n- Default severity: {sev}\n- Fixable: {fixable}\n\n## What it finds\n\n{what}\n\n## Why it matters\n\n{why}\n\n## Example\n\n```html\n{example}\n```\n\n## Fix\n\n{fix}\n\nSuppress one occurrence with `<!-- capture-lsp-ignore {name}: reason -->` right before the element, or the whole file with `<!-- capture-lsp-ignore-file {name}: reason -->`.\n",
            name = self.name,
            code = self.code,
            summary = self.summary,
            family = self.family.label(),
            sev = self.severity.label(),
            fixable = if self.fixable { "yes" } else { "no" },
            what = self.what,
            why = self.why,
            example = self.example,
            fix = self.fix,
        )
    }
}

macro_rules! rules {
    ($($id:ident = $code:literal, $name:literal, $family:ident, $sev:ident, $fixable:literal,
        $summary:literal, what: $what:literal, why: $why:literal, example: $example:literal,
        fix: $fix:literal;)*) => {
        $(pub const $id: Rule = Rule {
            code: $code,
            name: $name,
            family: Family::$family,
            severity: Severity::$sev,
            summary: $summary,
            fixable: $fixable,
            what: $what,
            why: $why,
            example: $example,
            fix: $fix,
        };)*
        /// Every rule, in code order.
        pub const RULES: &[Rule] = &[$($id),*];
    };
}

rules! {
    MISSING_TIMESTAMP = "CAP001", "missing-timestamp", Header, Warning, true,
        "The capture has no `<!--epoch-ms-->` timestamp line and no date to fall back on.",
        what: "A capture whose first header line is not the `<!--1679425984000-->` publication time, when no `日期：` line or front matter date supplies it either.",
        why: "Archives sort and deduplicate captures by publication time; without it the capture cannot be placed in time.",
        example: "[Title](https://www.bbc.com/zhongwen/simp/chinese-news-65032731)\n------\n\n<p>…</p>",
        fix: "Insert the timestamp line computed from the `日期：` line, the front matter `date:` or the body's first `<time datetime>`.";
    INVALID_TIMESTAMP = "CAP002", "invalid-timestamp", Header, Error, true,
        "The timestamp line is not a plausible epoch-milliseconds number.",
        what: "A `<!--…-->` timestamp that is not all digits, is unterminated, is out of range, or has 10 digits (seconds instead of milliseconds).",
        why: "Tools read the timestamp as milliseconds since 1970; a value in seconds lands in January 1970, garbage cannot be read at all.",
        example: "<!--1679425984-->",
        fix: "For a value in seconds, an (unsafe) fix appends `000`. Otherwise correct the value by hand.";
    MALFORMED_TITLE_LINE = "CAP003", "malformed-title-line", Header, Error, false,
        "The title line is not `[title](url)`.",
        what: "The second header line is missing or is not a Markdown link `[title](source url)`.",
        why: "The title and the source URL are read from this line; hover, outline and link resolution need them.",
        example: "<!--1679425984000-->\nTitle without brackets\n------",
        fix: "Rewrite the line as `[title](https://source/url)`.";
    EMPTY_TITLE = "CAP004", "empty-title", Header, Warning, false,
        "The title is empty.",
        what: "A title line `[](url)` whose title is empty after cleaning (entities, zero-width characters).",
        why: "An untitled capture is hard to find in an outline, a workspace symbol search or a listing.",
        example: "[](https://www.bbc.com/zhongwen/simp/chinese-news-65032731)",
        fix: "Copy the article's title from the body's `<h1>` or the source page.";
    MISSING_SEPARATOR = "CAP005", "missing-separator", Header, Error, false,
        "The `------` separator line after the title is missing.",
        what: "No `------` line between the title line and the body.",
        why: "The separator is how readers of the format find where the header ends.",
        example: "<!--1679425984000-->\n[Title](https://e.com/)\n\n<p>…</p>",
        fix: "Add a `------` line after the title line.";
    MISSING_SOURCE_URL = "CAP006", "missing-source-url", Header, Error, false,
        "The title line has no source URL.",
        what: "A title line `[title]` without `(url)`, with an empty `()`, or with an unterminated `(`.",
        why: "The source URL identifies the article and is the base for every relative link in the body.",
        example: "[Title]()",
        fix: "Put the article's URL in the parentheses.";
    INVALID_SOURCE_URL = "CAP007", "invalid-source-url", Header, Warning, false,
        "The source URL is relative or cannot be parsed.",
        what: "A source URL that is not an absolute `http(s)` URL (`/zhongwen/…`, `www.bbc.com/…`, or garbage).",
        why: "Relative links in the body resolve against the source URL; a relative or broken one leaves them unresolvable.",
        example: "[Title](/zhongwen/simp/chinese-news-65032731)",
        fix: "Write the full URL, with scheme and host.";
    HEADER_SYNTAX = "CAP099", "header-syntax", Header, Warning, false,
        "Other header syntax problems.",
        what: "Text after the timestamp or the title line, a missing blank line before the body, an unparseable `日期：` line, unterminated front matter.",
        why: "Other tools reading the format may misread the header.",
        example: "<!--1679425984000--> junk",
        fix: "Remove the stray text or add the missing line.";

    MISSING_CREDIT = "CAP101", "missing-credit", Attribution, Warning, true,
        "An image has no credit.",
        what: "A content image (not decorative, not an ad, not inside an embed) with no credit in its caption, credit line, `aria-label` or the paragraph that follows it.",
        why: "Attribution is what curators check first; most real captures lose it in the feed pipeline.",
        example: "<figure><img src=\"https://ichef.bbci.co.uk/news/640/cpsprodpb/1/reuters_pic.jpg\" alt=\"…\"></figure>",
        fix: "Add a credit line after the image in the capture's own style, with the agency guessed from the image URL (`reuters`, `getty`, `afp`, `epa`, `shutterstock_editorial`, …) or a placeholder that `placeholder-credit` then flags.";
    EMPTY_CREDIT = "CAP102", "empty-credit", Attribution, Warning, false,
        "A credit marker with no name after it.",
        what: "A credit line such as `图像来源，` or `Photo:` with nothing after the marker.",
        why: "An empty credit looks attributed in a listing but names no one.",
        example: "<p role=\"text\"><span>图像来源，</span><span></span></p>",
        fix: "Fill in the photographer or agency.";
    PLACEHOLDER_CREDIT = "CAP103", "placeholder-credit", Attribution, Warning, false,
        "A credit that is a placeholder, not a name.",
        what: "A credit whose name is a placeholder: `UNKNOWN`, `未知`, `TBD`, `?`, `Credit`, …",
        why: "Placeholders (also the ones the add-credit fix writes when no agency can be guessed) must be resolved before publishing.",
        example: "<p role=\"text\"><span>图像来源，</span><span>UNKNOWN</span></p>",
        fix: "Replace the placeholder with the real credit.";
    MISSING_ALT = "CAP104", "missing-alt", Attribution, Info, true,
        "A content image has no `alt` attribute.",
        what: "An `<img>` without `alt` that is not decorative.",
        why: "Without alt text the image is invisible to screen readers and to text search over the archive.",
        example: "<figure><img src=\"a.jpg\"><figcaption>Xi and Putin</figcaption></figure>",
        fix: "Copy the caption into `alt` (safe when the figure has a caption).";
    EMBED_WITHOUT_SOURCE = "CAP105", "embed-without-source", Attribution, Warning, false,
        "A social embed with no link to the original post.",
        what: "A tweet, Instagram, Facebook or YouTube embed from which no original URL can be recovered.",
        why: "Without the original URL nobody can tell whose post it was or check it.",
        example: "<blockquote class=\"twitter-tweet\"><p>text</p></blockquote>",
        fix: "Add a link to the original post inside the embed.";

    EMPTY_EMBED = "CAP201", "empty-embed", Embeds, Warning, true,
        "A social embed placeholder whose content was never captured.",
        what: "A tweet, Instagram, Facebook or YouTube placeholder (BBC `data-e2e=\"twitter-embed-…\"`, an empty `blockquote.twitter-tweet`) with no content.",
        why: "The reader sees nothing where the article quoted a post.",
        example: "<div data-e2e=\"twitter-embed-https://twitter.com/bbcchinese/status/1638167790505930759\"><div><div></div></div></div>",
        fix: "Replace the placeholder with a blockquote linking to the original post (safe).";
    MEDIA_WITHOUT_SRC = "CAP202", "media-without-src", Embeds, Warning, false,
        "An iframe, video, audio or image with no source.",
        what: "An `<iframe>`, `<video>`, `<audio>` or content `<img>` with no `src` (nor `data-src`, `<source>`, `srcset`).",
        why: "Nothing can be shown; the element is a leftover of the pipeline.",
        example: "<iframe title=\"player\"></iframe>",
        fix: "Restore the source URL or remove the element.";
    LAZY_PLACEHOLDER = "CAP203", "lazy-placeholder", Embeds, Warning, false,
        "A lazy-loading placeholder whose real image was never captured.",
        what: "An image whose `src` is a placeholder (`data:` URI, `placeholder`, `lazy`, `blank.gif`) with no `data-src`, `srcset` or `<noscript>` copy holding the real image.",
        why: "The archived page shows a grey box forever.",
        example: "<img class=\"lazyload\" src=\"data:image/gif;base64,R0lGOD…\">",
        fix: "Recover the image URL from the source page.";
    PROXIED_MEDIA = "CAP204", "proxied-media", Embeds, Hint, true,
        "A media URL goes through an image proxy.",
        what: "A `src` behind `images.weserv.nl/?url=` (the inner URL has no scheme).",
        why: "The proxy may disappear; the original URL is what identifies the image.",
        example: "<img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/a.jpg\">",
        fix: "Replace the proxy URL by the original `https://` URL (not marked safe: the proxy may be there on purpose).";
    SCRIPT_ONLY_EMBED = "CAP205", "script-only-embed", Embeds, Warning, false,
        "An embed made only of a script; nothing of it was captured.",
        what: "A `<script>` from an embed provider (Twitter widgets, Instagram, Flourish, Datawrapper, …) in a container with no content.",
        why: "Archives do not run scripts: the reader sees nothing.",
        example: "<div class=\"flourish-embed\"><script src=\"https://public.flourish.studio/resources/embed.js\"></script></div>",
        fix: "Replace with a link to the embedded resource or a static fallback.";

    BROKEN_FRAGMENT = "CAP301", "broken-fragment", Links, Warning, false,
        "A `#fragment` link points to no element of the capture.",
        what: "An `href=\"#x\"` where no element has `id=\"x\"` or `name=\"x\"`.",
        why: "The jump goes nowhere; usually the target was lost with the page chrome.",
        example: "<a href=\"#section-2\">see below</a>",
        fix: "Point the link to an existing heading id or remove it.";
    EMPTY_LINK = "CAP302", "empty-link", Links, Warning, false,
        "A link with an empty `href` or no text.",
        what: "An `<a>` whose `href` is empty, or which has neither text, image, `aria-label` nor `title`.",
        why: "An empty link cannot be followed or cannot be seen.",
        example: "<a href=\"\">here</a>",
        fix: "Restore the target or unwrap the link.";
    RELATIVE_URL_NO_BASE = "CAP303", "relative-url-no-base", Links, Warning, false,
        "A relative URL that cannot be resolved: the capture has no usable source URL.",
        what: "A relative `href`/`src` in a capture whose source URL is missing or not absolute.",
        why: "Out of its site, a relative link leads nowhere.",
        example: "[T]()\n------\n\n<a href=\"/zhongwen/simp/world-64998418\">…</a>",
        fix: "Fix the source URL (then `relative-url` can make the links absolute).";
    RELATIVE_URL = "CAP304", "relative-url", Links, Hint, true,
        "A relative URL that only works on the original site.",
        what: "A relative `href`/`src` (`/zhongwen/simp/world-64998418`) resolvable against the source URL.",
        why: "The capture is read away from its site; absolute URLs keep working.",
        example: "<a href=\"/zhongwen/simp/world-64998418\">批准逮捕普京</a>",
        fix: "Replace with the absolute URL resolved against the source URL (safe).";

    RELATIVE_TIME = "CAP401", "relative-time", Text, Warning, true,
        "A relative time (`28 分钟前`, `昨天`, `3 hours ago`) frozen by the archive.",
        what: "A date that was relative to the moment the page was fetched, standing alone in a `<time>` or a short element.",
        why: "Read later, `28 分钟前` is wrong; the archive froze a moving value.",
        example: "<time dateTime=\"2023-03-21\">28 分钟前</time>",
        fix: "Replace with the absolute date from the `<time datetime>` or computed from the capture's timestamp (not marked safe: a guess).";

    GLUED_ATTRIBUTES = "CAP501", "glued-attributes", Markup, Warning, true,
        "A tag name glued to its attributes (`<divclass=\"x\"…>`).",
        what: "A start tag where the whitespace between the tag name and the first attribute, or between attributes, was lost.",
        why: "Browsers read `divclass=\"x\"` as an unknown element: the element and its attributes are lost.",
        example: "<divclass=\"story-body\"data-x=\"1\">…</div>",
        fix: "Insert the missing spaces (safe).";
    STRAY_END_TAG = "CAP502", "stray-end-tag", Markup, Hint, false,
        "An end tag that closes nothing.",
        what: "An end tag with no open element of that name.",
        why: "Usually harmless, but a sign that a fragment of the page was cut.",
        example: "<p>text</p></div>",
        fix: "Remove the end tag or restore the cut start tag.";

    UNUSED_SUPPRESSION = "CAP901", "unused-suppression", Suppressions, Warning, true,
        "A suppression comment that suppresses nothing.",
        what: "A `capture-lsp-ignore` comment for a rule that does not fire on the next element (or in the file, for `ignore-file`).",
        why: "Stale suppressions hide future problems.",
        example: "<!-- capture-lsp-ignore missing-credit: own photo --><p>no image here</p>",
        fix: "Remove the comment (safe).";
    UNKNOWN_SUPPRESSION = "CAP902", "unknown-suppression", Suppressions, Warning, false,
        "A suppression comment names an unknown rule.",
        what: "A `capture-lsp-ignore` comment whose rule is neither a known name nor a known code.",
        why: "A typo in a suppression silently suppresses nothing.",
        example: "<!-- capture-lsp-ignore missing-credits: typo -->",
        fix: "Use a name or code from `capture-lsp rules`.";
    SUPPRESSION_WITHOUT_REASON = "CAP903", "suppression-without-reason", Suppressions, Info, false,
        "A suppression comment without a reason.",
        what: "A `capture-lsp-ignore` comment without `: reason`.",
        why: "The next curator needs to know why the problem is accepted.",
        example: "<!-- capture-lsp-ignore missing-credit -->",
        fix: "Add `: reason` after the rule names.";
}

/// Look a rule up by kebab-case name or by code (case-insensitive code).
pub fn lookup(key: &str) -> Option<&'static Rule> {
    let key = key.trim();
    RULES
        .iter()
        .find(|r| r.name == key || r.code.eq_ignore_ascii_case(key))
}

/// The rules table as Markdown (the README keeps a copy between the rules markers).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| Code | Name | Family | Default | Fix | Summary |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | [`{}`](docs/rules/{}.md) | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.name,
            r.family.label(),
            r.severity.label(),
            if r.fixable { "yes" } else { "" },
            r.summary.replace('|', "\\|"),
        ));
    }
    out
}

/// The rules table as plain text (`capture-lsp rules`).
pub fn text_table() -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<7} {:<27} {:<13} {:<8} {:<4} {}\n",
        "CODE", "NAME", "FAMILY", "DEFAULT", "FIX", "SUMMARY"
    ));
    for r in RULES {
        out.push_str(&format!(
            "{:<7} {:<27} {:<13} {:<8} {:<4} {}\n",
            r.code,
            r.name,
            r.family.label(),
            r.severity.label(),
            if r.fixable { "yes" } else { "" },
            r.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for r in RULES {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(r.code.len() == 6 && r.code.starts_with("CAP"), "{}", r.code);
            assert!(
                r.code[3..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                r.code
            );
            assert!(
                r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "{}",
                r.name
            );
            assert!(!r.what.is_empty() && !r.why.is_empty() && !r.fix.is_empty());
        }
        let mut sorted: Vec<_> = RULES.iter().map(|r| r.code).collect();
        sorted.sort_unstable();
        assert_eq!(sorted, RULES.iter().map(|r| r.code).collect::<Vec<_>>());
    }

    #[test]
    fn lookup_by_name_or_code() {
        assert_eq!(lookup("missing-credit").map(|r| r.code), Some("CAP101"));
        assert_eq!(lookup("cap101").map(|r| r.name), Some("missing-credit"));
        assert!(lookup("missing-credits").is_none());
    }
}
