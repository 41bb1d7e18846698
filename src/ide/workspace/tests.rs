//! Tests of the workspace index: entries from small captures, URL matching, symbol
//! search, backlinks, image users, credit recovery and previews.

use super::*;

const TARGET: &str = "<!--1679000000000-->\n[乌克兰战争：普京访问马里乌波尔](https://www.bbc.com/zhongwen/simp/world-64998418)\n------\n\n<main><p>俄罗斯总统普京周末访问了被占领的乌克兰城市马里乌波尔。</p><h2 id=\"background\">背景 Background</h2><p>更多内容</p><h2>国际反应</h2><figure><img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_putin.jpg\" alt=\"普京\"/><p role=\"text\"><span>图像来源，</span><span>REUTERS</span></p></figure></main>";

const SOURCE: &str = "<!--1679425984000-->\n[习近平普京峰会：中俄元首同意](https://www.bbc.com/zhongwen/simp/chinese-news-65032731)\n------\n\n<main><p>Xi &amp; Putin met in Moscow.</p><a href=\"/zhongwen/simp/world-64998418#background\">普京访问</a><a href=\"http://www.bbc.com//zhongwen/simp/world-64998418/\">again</a><a href=\"#top\">top</a><div data-e2e=\"image-placeholder\"><img src=\"https://ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_putin.jpg\" alt=\"\"/></div><h2>Summit Diplomacy Explained</h2></main>";

fn index() -> Index {
    let mut ix = Index::default();
    ix.insert(Entry::from_text("file:///ws/target.md", TARGET).expect("capture"));
    ix.insert(Entry::from_text("file:///ws/source.md", SOURCE).expect("capture"));
    ix
}

#[test]
fn entry_extracts_header_headings_links_images() {
    let e = Entry::from_text("k", TARGET).expect("capture");
    assert_eq!(&*e.title, "乌克兰战争：普京访问马里乌波尔");
    assert_eq!(e.date_ms, Some(1679000000000));
    assert_eq!(
        e.headings.iter().map(|h| &*h.text).collect::<Vec<_>>(),
        ["背景 Background", "国际反应"]
    );
    assert_eq!(
        e.headings.first().and_then(|h| h.id.as_deref()),
        Some("background")
    );
    assert!(e.lede.starts_with("俄罗斯总统普京"), "{}", e.lede);
    let img = e.images.first().expect("image");
    assert_eq!(
        &*img.key,
        "https://ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_putin.jpg"
    );
    assert_eq!(img.credit.as_deref(), Some("REUTERS"));
    // Ranges slice back to the source.
    let h = e.headings.first().expect("heading");
    assert!(
        h.range
            .range
            .slice(TARGET)
            .is_some_and(|s| s.starts_with("<h2") && s.ends_with("</h2>"))
    );
    assert!(
        img.range
            .range
            .slice(TARGET)
            .is_some_and(|s| s.contains("weserv"))
    );

    let s = Entry::from_text("k2", SOURCE).expect("capture");
    assert_eq!(s.links.len(), 2, "{:?}", s.links);
    let first = s.links.first().expect("link");
    assert_eq!(first.fragment.as_deref(), Some("background"));
    assert_eq!(
        first.range.range.slice(SOURCE),
        Some("/zhongwen/simp/world-64998418#background")
    );
    assert_eq!(&*s.lede, "Xi & Putin met in Moscow.");
}

#[test]
fn not_a_capture_gives_no_entry() {
    assert!(Entry::from_text("k", "# README\n\nhello").is_none());
}

#[test]
fn url_variants_match() {
    let ix = index();
    for u in [
        "https://www.bbc.com/zhongwen/simp/world-64998418",
        "http://www.bbc.com//zhongwen/simp/world-64998418/",
        "https://www.bbc.com/zhongwen/simp/world-64998418#x",
    ] {
        assert_eq!(ix.captures_of_url(u).len(), 1, "{u}");
        assert_eq!(ix.backlinks(u).len(), 2, "{u}");
    }
}

#[test]
fn symbols_cjk_substring_and_latin_fuzzy() {
    let ix = index();
    let names = |q: &str| {
        ix.symbols(q, 10)
            .into_iter()
            .map(|h| h.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names("马里乌波尔"), ["乌克兰战争：普京访问马里乌波尔"]);
    assert_eq!(names("普京").len(), 2);
    // CJK is substring-only: characters out of order do not match.
    assert!(names("京普").is_empty());
    assert_eq!(names("summit"), ["Summit Diplomacy Explained"]);
    assert_eq!(names("smtdplx"), ["Summit Diplomacy Explained"]);
    assert_eq!(names("BACKGROUND"), ["背景 Background"]);
    assert!(names("zzz").is_empty());
    assert_eq!(ix.symbols("", 100).len(), 5);
}

#[test]
fn images_and_credit_recovery() {
    let ix = index();
    let proxied = "https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_putin.jpg";
    assert_eq!(ix.image_users(proxied).len(), 2);
    let credits = ix
        .credits_for_image("https://ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_putin.jpg");
    assert_eq!(credits.len(), 1);
    let c = credits.first().expect("credit");
    assert_eq!(c.credit, "REUTERS");
    assert_eq!(&*c.key, "file:///ws/target.md");
}

#[test]
fn replace_and_remove_update_maps() {
    let mut ix = index();
    let changed = SOURCE.replace("world-64998418", "world-1");
    ix.insert(Entry::from_text("file:///ws/source.md", &changed).expect("capture"));
    assert_eq!(ix.len(), 2);
    assert!(
        ix.backlinks("https://www.bbc.com/zhongwen/simp/world-64998418")
            .is_empty()
    );
    assert_eq!(
        ix.backlinks("https://www.bbc.com/zhongwen/simp/world-1")
            .len(),
        2
    );
    ix.remove("file:///ws/target.md");
    assert!(
        ix.captures_of_url("https://www.bbc.com/zhongwen/simp/world-64998418")
            .is_empty()
    );
    assert_eq!(ix.remove_prefix("file:///ws/"), 1);
    assert!(ix.is_empty());
}

#[test]
fn previews() {
    let ix = index();
    let target = ix.entry("file:///ws/target.md").expect("entry");
    expect_test::expect![[r#"
        **Captured in workspace:** 乌克兰战争：普京访问马里乌波尔

        published 2023-03-16T20:53:20Z · file `target.md`

        → section **背景 Background**

        > 俄罗斯总统普京周末访问了被占领的乌克兰城市马里乌波尔。 更多内容

        Sections:
        - 背景 Background
        - 国际反应"#]]
    .assert_eq(&link_preview(target, Some("background")));
    let hb = header_backlinks(
        &ix,
        "file:///ws/target.md",
        "https://www.bbc.com/zhongwen/simp/world-64998418",
    );
    assert_eq!(hb.link_count, 2);
    expect_test::expect![[r#"
        **1 capture link here**
        - 习近平普京峰会：中俄元首同意 (`source.md`)"#]]
    .assert_eq(&hb.to_markdown());
}

#[test]
fn scanner_survives_garbage() {
    for text in [
        "<!--1-->\n[t](https://a.b/c)\n------\n\n<a href=\"/x",
        "<!--1-->\n[t](https://a.b/c)\n------\n\n<<<>>><img src='",
        "<!--1-->\n[t](https://a.b/c)\n------\n\n<h2>unclosed <script>var a='</h2>'",
        "<!--1-->\n[t](https://a.b/c)\n------\n\n<!-- never closed <a href=/y>",
        "<!--1-->\n[t](https://a.b/c)\n------\n\n<a href=/rel>x</a><p>文字😀</p>",
    ] {
        let _ = Entry::from_text("k", text);
    }
    let e = Entry::from_text(
        "k",
        "<!--1-->\n[t](https://a.b/c)\n------\n\n<a href=/rel>x</a><p>文字😀</p>",
    )
    .expect("capture");
    assert_eq!(e.links.first().map(|l| &*l.target), Some("https://a.b/rel"));
}

#[test]
fn caption_credits() {
    for (cap, want) in [
        (
            "北京天安门广场 REUTERS/Tingshu Wang",
            Some("REUTERS/Tingshu Wang"),
        ),
        ("香港警察（AFP）", Some("AFP")),
        ("示威者在街头 (美国之音/申华)", Some("美国之音/申华")),
        ("图片来源：网络", Some("网络")),
        ("A view of the city. Photo by Jane Doe", Some("Jane Doe")),
        ("只是一个说明", None),
    ] {
        assert_eq!(scan::credit_from_caption(cap).as_deref(), want, "{cap}");
    }
}

#[test]
fn positions_in_every_encoding() {
    let text = "<!--1-->\r\n[t](https://a.b/c)\r\n------\r\n\r\n<p>😀中</p><h2 id=x>h</h2>";
    let e = Entry::from_text("k", text).expect("capture");
    let h = e.headings.first().expect("heading");
    let index = crate::text::LineIndex::new(text);
    for (enc, col) in [
        (crate::text::Encoding::Utf8, h.range.start.utf8),
        (crate::text::Encoding::Utf16, h.range.start.utf16),
        (crate::text::Encoding::Utf32, h.range.start.utf32),
    ] {
        let lc = index.line_col(h.range.range.start, enc);
        assert_eq!((lc.line, lc.col), (h.range.start.line, col), "{enc:?}");
    }
    assert_eq!(e.title_range.start.line, 1);
}

#[test]
fn symbol_buffer_survives_churn() {
    let mut ix = Index::default();
    for round in 0..3 {
        for i in 0..800 {
            let text = format!(
                "<!--1-->\n[Report {i} round {round} 报告](https://a.b/{i})\n------\n\n<h2>Part {i}</h2>"
            );
            ix.insert(Entry::from_text(&format!("k{i}"), &text).expect("capture"));
        }
    }
    assert_eq!(ix.len(), 800);
    assert_eq!(ix.symbols("round 2", 10_000).len(), 800);
    let all = ix.symbols("round", 10_000);
    assert_eq!(all.len(), 800);
    assert!(all.iter().all(|h| h.name.contains("round 2")));
    assert_eq!(ix.symbols("报告", 10_000).len(), 800);
    assert_eq!(
        ix.symbols("rprt 799", 10).first().map(|h| h.name.as_str()),
        Some("Report 799 round 2 报告")
    );
    for i in 0..800 {
        ix.remove(&format!("k{i}"));
    }
    assert!(ix.symbols("", 10).is_empty());
}
