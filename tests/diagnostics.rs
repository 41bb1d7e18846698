//! Diagnostics acceptance: the seed capture, suppressions, settings applied to the lint,
//! `source.fixAll`, the README rules table and the per-rule docs.

use capture_lsp::ide::Analysis;
use capture_lsp::ide::config::Config;
use capture_lsp::ide::diagnostics::{self, Diagnostic, Severity, suppress};
use capture_lsp::ide::fixes;
use capture_lsp::ide::rules::{self, RULES};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seed/bbc_65032731.capture.txt"
);

fn seed() -> Option<String> {
    match std::fs::read_to_string(SEED) {
        Ok(t) => Some(t),
        Err(_) => {
            eprintln!("skipping: {SEED} is missing");
            None
        }
    }
}

fn of<'a>(diags: &'a [Diagnostic], rule: &rules::Rule) -> Vec<&'a Diagnostic> {
    diags.iter().filter(|d| d.code == rule.code).collect()
}

#[test]
fn seed_acceptance() {
    let Some(text) = seed() else { return };
    let analysis = Analysis::new(&text);
    let diags = diagnostics::diagnostics(&analysis);
    let slice = |d: &Diagnostic| d.range.slice(&text).unwrap_or_default().to_string();

    // Empty Twitter and Instagram placeholders, flagged on the placeholder element.
    let embeds = of(&diags, &rules::EMPTY_EMBED);
    assert_eq!(embeds.len(), 2, "{embeds:#?}");
    assert!(slice(embeds[0]).starts_with(
        "<div data-e2e=\"twitter-embed-https://twitter.com/bbcchinese/status/1638167790505930759\">"
    ));
    assert!(slice(embeds[0]).ends_with("</div></div></div>"));
    assert!(slice(embeds[1]).starts_with(
        "<div data-e2e=\"instagram-embed-https://www.instagram.com/p/CqDjsF_Bm8l/\">"
    ));

    // The two credited images are not flagged for credit.
    assert!(of(&diags, &rules::MISSING_CREDIT).is_empty(), "{diags:#?}");
    assert!(of(&diags, &rules::EMPTY_CREDIT).is_empty());

    // `28 分钟前` is flagged as relative time.
    let rel = of(&diags, &rules::RELATIVE_TIME);
    assert_eq!(rel.len(), 1);
    assert_eq!(slice(rel[0]), "28 分钟前");

    // The proxied images get a hint.
    let proxied = of(&diags, &rules::PROXIED_MEDIA);
    assert_eq!(proxied.len(), 4);
    assert!(proxied.iter().all(|d| d.severity == Severity::Hint));
    assert!(
        proxied
            .iter()
            .all(|d| slice(d).starts_with("https://images.weserv.nl/?url="))
    );

    // Nothing in the ad slot.
    let ad = text.find("data-e2e=\"advertisement\"").unwrap_or(0);
    assert!(
        diags
            .iter()
            .all(|d| !(d.range.start > ad && d.range.start < ad + 120))
    );

    // The empty-embed fix yields a link to the tweet; applying again changes nothing.
    let fix = embeds[0]
        .fixes
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no fix"));
    assert!(fix.safe);
    let fixed = fixes::apply(&text, &fix.edits);
    assert!(
        fixed.contains("<a href=\"https://twitter.com/bbcchinese/status/1638167790505930759\">")
    );
    let again = diagnostics::diagnostics(&Analysis::new(&fixed));
    let tweet_left: Vec<_> = of(&again, &rules::EMPTY_EMBED)
        .into_iter()
        .filter(|d| d.message.contains("twitter.com"))
        .collect();
    assert!(tweet_left.is_empty());
    let refixed = match of(&again, &rules::EMPTY_EMBED)
        .iter()
        .find(|d| d.message.contains("twitter.com"))
    {
        Some(d) => fixes::apply(&fixed, &d.fixes[0].edits),
        None => fixed.clone(),
    };
    assert_eq!(refixed, fixed);
    // The outline still lists the tweet, now captured.
    let a = Analysis::new(&fixed);
    assert!(a.article.embeds.iter().any(|e| e.captured
        && e.url.as_ref().is_some_and(
            |u| u.value == "https://twitter.com/bbcchinese/status/1638167790505930759"
        )));
}

#[test]
fn seed_fix_all_is_safe_idempotent_and_reparses() {
    let Some(text) = seed() else { return };
    let (fixed, rounds) = fixes::fix_text(&text, &Config::default());
    assert!(rounds >= 1);
    let (again, more) = fixes::fix_text(&fixed, &Config::default());
    assert_eq!(more, 0);
    assert_eq!(again, fixed);
    let diags = diagnostics::diagnostics(&Analysis::new(&fixed));
    assert!(of(&diags, &rules::EMPTY_EMBED).is_empty());
    assert!(of(&diags, &rules::RELATIVE_URL).is_empty());
    // Unsafe fixes were not applied.
    assert_eq!(of(&diags, &rules::RELATIVE_TIME).len(), 1);
    assert_eq!(of(&diags, &rules::PROXIED_MEDIA).len(), 4);
    // The header is untouched.
    let head = |t: &str| t.lines().take(4).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(head(&fixed), head(&text));
}

fn capture(body: &str) -> String {
    format!(
        "<!--1679425984000-->\n[标题](https://www.bbc.com/zhongwen/simp/chinese-news-1)\n------\n\n<main>{body}</main>\n"
    )
}

fn lint(text: &str) -> Vec<(&'static str, String)> {
    let analysis = Analysis::new(text);
    diagnostics::diagnostics(&analysis)
        .into_iter()
        .map(|d| (d.name, d.range.slice(text).unwrap_or_default().to_string()))
        .collect()
}

const TWEET: &str =
    "<div data-e2e=\"twitter-embed-https://twitter.com/a/status/1\"><div></div></div>";

#[test]
fn suppression_applies_to_the_next_element_only() {
    let text = capture(&format!(
        "<!-- capture-lsp-ignore empty-embed: the tweet was deleted -->{TWEET}<p>x</p>{TWEET}"
    ));
    let found = lint(&text);
    assert_eq!(
        found.iter().filter(|(n, _)| *n == "empty-embed").count(),
        1,
        "{found:?}"
    );
    // The second placeholder (after the next element) is still reported.
    let second = text.rfind("<div data-e2e").unwrap_or(0);
    let diags = diagnostics::diagnostics(&Analysis::new(&text));
    assert!(
        diags
            .iter()
            .any(|d| d.name == "empty-embed" && d.range.start == second)
    );
    // Codes work as well as names; the suppression is used, so not reported.
    let text = capture(&format!("<!-- capture-lsp-ignore CAP201: gone -->{TWEET}"));
    assert_eq!(lint(&text), vec![]);
}

#[test]
fn suppression_covers_findings_inside_the_element() {
    let text = capture(
        "<!-- capture-lsp-ignore missing-credit, missing-alt: our own photo --><figure><div><img src=\"https://e.com/a.jpg\"/></div><figcaption>我们的照片</figcaption></figure>",
    );
    assert_eq!(lint(&text), vec![]);
}

#[test]
fn file_level_suppression() {
    let text = capture(&format!(
        "<!-- capture-lsp-ignore-file empty-embed: tweets are not archived here --><p>x</p>{TWEET}{TWEET}"
    ));
    assert_eq!(lint(&text), vec![]);
}

#[test]
fn unused_unknown_and_reasonless_suppressions_are_reported() {
    let text = capture(
        "<!-- capture-lsp-ignore empty-embed: nothing here --><p>x</p><!-- capture-lsp-ignore empty-embeds: typo --><p>y</p><!-- capture-lsp-ignore-file relative-url --><p>z</p>",
    );
    let found = lint(&text);
    assert_eq!(
        found,
        vec![
            ("unused-suppression", "empty-embed".to_string()),
            ("unknown-suppression", "empty-embeds".to_string()),
            (
                "suppression-without-reason",
                "<!-- capture-lsp-ignore-file relative-url -->".to_string()
            ),
            ("unused-suppression", "relative-url".to_string()),
        ]
    );
    // The unused one offers a safe removal fix.
    let analysis = Analysis::new(&text);
    let diags = diagnostics::diagnostics(&analysis);
    let unused = diags.iter().find(|d| d.name == "unused-suppression");
    let fix = unused.and_then(|d| d.fixes.first());
    assert!(fix.is_some_and(|f| f.safe));
    let fixed = fixes::apply(&text, &fix.map(|f| f.edits.clone()).unwrap_or_default());
    assert!(!fixed.contains("nothing here"));
    // A suppression for a rule the settings turned off is not "unused".
    let (config, _) = Config::from_json(&serde_json::json!({"rules": {"empty-embed": "off"}}));
    let diags = diagnostics::check(&analysis, &config);
    assert!(
        !diags
            .iter()
            .any(|d| d.name == "unused-suppression" && d.message.contains("empty-embed"))
    );
}

#[test]
fn suppress_quick_fix_round_trips() {
    let text = capture(TWEET);
    let analysis = Analysis::new(&text);
    let diags = diagnostics::diagnostics(&analysis);
    let d = diags.iter().find(|d| d.name == "empty-embed").cloned();
    let d = d.unwrap_or_else(|| panic!("no empty-embed"));
    let fix = fixes::suppress_fix(&analysis, &d).unwrap_or_else(|| panic!("no suppress fix"));
    assert!(!fix.safe);
    let fixed = fixes::apply(&text, &fix.edits);
    let found = lint(&fixed);
    // Suppressed (the inserted comment carries a reason for the curator to edit).
    assert_eq!(found, vec![], "{fixed}");
}

#[test]
fn hover_on_a_suppression_shows_the_rule_doc() {
    let text = capture(&format!(
        "<!-- capture-lsp-ignore empty-embed: gone -->{TWEET}"
    ));
    let analysis = Analysis::new(&text);
    let at = text.find("empty-embed").unwrap_or(0) + 3;
    let (range, doc) = suppress::suppression_hover(&analysis, at).unwrap_or_default();
    assert_eq!(range.slice(&text), Some("empty-embed"));
    assert!(doc.starts_with("# empty-embed (CAP201)"), "{doc}");
    assert!(doc.contains("## Why it matters"));
    assert!(suppress::suppression_hover(&analysis, text.len() - 3).is_none());
}

#[test]
fn settings_change_severity_and_turn_rules_off() {
    let text = capture(&format!("{TWEET}<p><a href=\"/a\">a</a></p>"));
    let analysis = Analysis::new(&text);
    let (config, problems) = Config::from_json(&serde_json::json!({
        "capture-lsp": {"rules": {"empty-embed": "error", "relative-url": "off"}}
    }));
    assert!(problems.is_empty());
    let diags = diagnostics::check(&analysis, &config);
    let names: Vec<_> = diags.iter().map(|d| (d.name, d.severity)).collect();
    assert_eq!(names, vec![("empty-embed", Severity::Error)]);
}

#[test]
fn credit_settings_reach_the_rule() {
    let text = capture(
        "<figure><img src=\"https://e.com/a.jpg\" alt=\"a\"/><figcaption>普京与习近平 鸣谢：克里姆林宫</figcaption></figure>",
    );
    let analysis = Analysis::new(&text);
    let before = diagnostics::diagnostics(&analysis);
    assert!(before.iter().any(|d| d.name == "missing-credit"));
    let (config, problems) =
        Config::from_json(&serde_json::json!({"credits": {"markers": ["鸣谢："]}}));
    assert!(problems.is_empty());
    let after = diagnostics::check(&analysis, &config);
    assert!(
        !after.iter().any(|d| d.name == "missing-credit"),
        "{after:#?}"
    );
}

#[test]
fn no_findings_on_decorative_images_ads_or_boilerplate() {
    let text = capture(
        "<p>正文</p><img src=\"https://e.com/pixel.gif\" width=\"1\" height=\"1\"/><img src=\"https://e.com/x.jpg\" alt=\"\"/>\
         <section data-e2e=\"advertisement\"><img src=\"https://images.weserv.nl/?url=ads.e.com/a.jpg\"/><a href=\"/ad\"></a>\
         <divclass=\"x\">ad</div><time>3 小时前</time></section>\
         <p><a href=\"https://e.com/rss\">获取更多RSS</a><a href=\"/feed\"></a></p>",
    );
    assert_eq!(lint(&text), vec![]);
}

/// The README's rules table is the registry's.
#[test]
fn readme_table_matches_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap_or_default();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let table = rules::markdown_table();
    let current = readme
        .find(start)
        .and_then(|s| readme.get(s + start.len()..))
        .and_then(|rest| rest.find(end).and_then(|e| rest.get(..e)));
    if current == Some(table.as_str()) {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let updated = match (readme.find(start), readme.find(end)) {
            (Some(s), Some(e)) if s < e => format!(
                "{}{start}{table}{}",
                readme.get(..s).unwrap_or_default(),
                readme.get(e..).unwrap_or_default()
            ),
            _ => format!("{readme}\n## Rules\n\n{start}{table}{end}\n"),
        };
        let _ = std::fs::write(path, updated);
        return;
    }
    panic!(
        "README.md rules table is out of date; run `UPDATE_EXPECT=1 cargo test --test diagnostics readme`"
    );
}

/// `docs/rules/<name>.md` is each rule's rendered doc.
#[test]
fn rule_docs_match_registry() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for r in RULES {
        let path = dir.join(format!("{}.md", r.name));
        let want = r.doc_markdown();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            if update {
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(&path, want);
            } else {
                stale.push(r.name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale docs (run with UPDATE_EXPECT=1): {stale:?}"
    );
}
