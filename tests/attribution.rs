//! Fixture tests for the credit engine, embeds, URL forms and hovers: one small capture per
//! site convention, modelled on real archives, with snapshots of what the model finds.

use std::fmt::Write;

use capture_lsp::ide::Analysis;
use capture_lsp::ide::hover::{HoverOptions, hover};
use expect_test::{Expect, expect};

fn capture(body: &str) -> String {
    format!(
        "<!--1679425984000-->\n[标题](https://www.bbc.com/zhongwen/simp/chinese-news-1)\n------\n\n{body}"
    )
}

fn figures(body: &str, expect: Expect) {
    let text = capture(body);
    let a = Analysis::new(&text);
    let mut out = String::new();
    for f in &a.article.figures {
        let _ = write!(
            out,
            "figure src={:?}",
            f.image.src.as_ref().map(|s| s.value.as_str()).unwrap_or("")
        );
        if f.decorative {
            out.push_str(" decorative");
        }
        if !f.duplicates.is_empty() {
            let _ = write!(out, " duplicates={}", f.duplicates.len());
        }
        out.push('\n');
        if let Some(c) = &f.caption {
            let _ = writeln!(out, "  caption: {}", c.text);
        }
        if let Some(c) = &f.credit {
            let located = c.name_range.and_then(|r| r.slice(&text));
            let _ = writeln!(
                out,
                "  credit: {:?} agencies={:?} via {:?} marker={:?} located={}",
                c.name,
                c.agencies,
                c.source,
                c.marker,
                located == Some(c.name.as_str())
            );
        }
    }
    for e in &a.article.embeds {
        let _ = writeln!(
            out,
            "embed {:?} url={:?} captured={}",
            e.kind,
            e.url.as_ref().map(|u| u.value.as_str()),
            e.captured
        );
    }
    expect.assert_eq(&out);
}

#[test]
fn bbc_2022_credit_line() {
    figures(
        r#"<div data-e2e="image-placeholder"><img src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/x/_1_getty.jpg" alt="人群" width="976" height="549"/><p role="text"><span>图像来源，</span><span>Getty Images</span></p></div>"#,
        expect![[r#"
            figure src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/x/_1_getty.jpg"
              credit: "Getty Images" agencies=["Getty Images"] via BbcRoleText marker=Some("图像来源") located=true
        "#]],
    );
}

#[test]
fn bbc_2020_copyright_span_and_caption() {
    figures(
        r#"<div class="media-landscape has-caption full-width"><span class="image-and-copyright-container"><img alt="稀土" src="https://ichef.bbci.co.uk/news/640/a.jpg" width="624" height="351"><span class="off-screen">图片版权</span><span class="story-image-copyright">Xinhua</span></span><figcaption class="media-caption"><span class="off-screen">Image caption</span><span class="media-caption__text">2019年习近平参观稀土企业</span></figcaption></div>"#,
        expect![[r#"
            figure src="https://ichef.bbci.co.uk/news/640/a.jpg"
              caption: 2019年习近平参观稀土企业
              credit: "Xinhua" agencies=["Xinhua"] via BbcCopyrightSpan marker=Some("图片版权") located=true
        "#]],
    );
}

#[test]
fn bbc_2024_picture_with_separate_caption() {
    figures(
        r#"<div><div><picture><img src="https://ichef.bbci.co.uk/ace/ws/640/a.jpg" alt="猫" width="1024" height="682"/></picture><p role="text"><span>图像来源，</span><span>Annabelle Chih</span></p></div><span data-testid="caption-paragraph">蔡英文饲养的猫</span></div>"#,
        expect![[r#"
            figure src="https://ichef.bbci.co.uk/ace/ws/640/a.jpg"
              caption: 蔡英文饲养的猫
              credit: "Annabelle Chih" agencies=[] via BbcRoleText marker=Some("图像来源") located=true
        "#]],
    );
}

#[test]
fn reuters_figcaption_after_figure_and_aria_label() {
    figures(
        r#"<div><figure class="Image_zoom"><div><img src="//s4.reutersmedia.net/resources/r/?m=02&amp;r=LYNX&amp;w=600" aria-label="资料图片：2017年6月，美元纸币。REUTERS/Thomas White"/></div></figure><figcaption><div class="Image_caption"><span>资料图片：2017年6月，美元纸币。REUTERS/Thomas White</span></div></figcaption></div>"#,
        expect![[r#"
            figure src="//s4.reutersmedia.net/resources/r/?m=02&r=LYNX&w=600"
              caption: 资料图片：2017年6月，美元纸币。REUTERS/Thomas White
              credit: "REUTERS/Thomas White" agencies=["Reuters"] via Caption marker=None located=true
        "#]],
    );
}

#[test]
fn rfa_bracketed_agency_in_alt_and_caption() {
    figures(
        r#"<div class="image-inline captioned"><div><img alt="黄之锋报名参选。（AP）" src="https://www.rfa.org/x/AP_2020.jpg"/></div><div class="image-caption"><span>黄之锋报名参选。（美联社）</span></div><a class="single_image" href="/x.jpg"><img src="/rfa_resources/graphics/icon-zoom.png"/></a></div>"#,
        expect![[r#"
            figure src="https://www.rfa.org/x/AP_2020.jpg"
              caption: 黄之锋报名参选。（美联社）
              credit: "美联社" agencies=["AP"] via Caption marker=None located=true
            figure src="/rfa_resources/graphics/icon-zoom.png" decorative
        "#]],
    );
}

#[test]
fn voa_feed_small_caption() {
    figures(
        r#"<img src="https://images.weserv.nl?url=gdb.voanews.com/6D7C.jpg" width="100%"><div><small style="color: #999;">黄之锋报名参选立法会。 (美国之音/汤惠芸)</small></div><p>正文</p>"#,
        expect![[r#"
            figure src="https://images.weserv.nl?url=gdb.voanews.com/6D7C.jpg"
              caption: 黄之锋报名参选立法会。 (美国之音/汤惠芸)
              credit: "美国之音/汤惠芸" agencies=["VOA"] via Caption marker=None located=true
        "#]],
    );
}

#[test]
fn cdt_wordpress_caption() {
    figures(
        r#"<div class="wp-caption aligncenter"><img class="wp-image-1" src="https://chinadigitaltimes.net/chinese/files/2020/07/a.jpg" alt="" width="500" height="520"/><p class="wp-caption-text">图/本刊记者 姜晓明</p></div><div class="wp-caption"><img src="https://chinadigitaltimes.net/b.jpg" alt="x"/><p class="wp-caption-text">图片来源：</p></div>"#,
        expect![[r#"
            figure src="https://chinadigitaltimes.net/chinese/files/2020/07/a.jpg"
              caption: 图/本刊记者 姜晓明
              credit: "本刊记者 姜晓明" agencies=[] via Caption marker=Some("图/") located=true
            figure src="https://chinadigitaltimes.net/b.jpg"
              caption: 图片来源：
              credit: "" agencies=[] via Caption marker=Some("图片来源") located=false
        "#]],
    );
}

#[test]
fn generic_copyright_and_photo_by() {
    figures(
        r#"<figure><img src="https://e.com/a.jpg" alt="a"><figcaption>Protesters march. Photo by Jane Doe</figcaption></figure><figure><img src="https://e.com/b.jpg" alt="b"><figcaption>夜景 © 美联社</figcaption></figure><figure><img src="https://e.com/c.jpg" alt="c"><figcaption>没有署名的图片说明</figcaption></figure>"#,
        expect![[r#"
            figure src="https://e.com/a.jpg"
              caption: Protesters march. Photo by Jane Doe
              credit: "Jane Doe" agencies=[] via Caption marker=Some("Photo by") located=true
            figure src="https://e.com/b.jpg"
              caption: 夜景 © 美联社
              credit: "美联社" agencies=["AP"] via Caption marker=Some("©") located=true
            figure src="https://e.com/c.jpg"
              caption: 没有署名的图片说明
        "#]],
    );
}

#[test]
fn decorative_images_and_noscript_duplicate() {
    figures(
        r#"<img src="https://e.com/pixel.gif" width="1" height="1"><img src="https://e.com/spacer.gif"><img src="https://e.com/x.png" role="presentation"><img src="https://e.com/line-nc.png"><div data-e2e="image-placeholder"><img src="https://e.com/placeholder.jpg" alt="港口"><noscript><img src="https://e.com/real.jpg" alt="港口"></noscript><p role="text"><span>图像来源，</span><span>EPA</span></p></div>"#,
        expect![[r#"
            figure src="https://e.com/pixel.gif" decorative
            figure src="https://e.com/spacer.gif" decorative
            figure src="https://e.com/x.png" decorative
            figure src="https://e.com/line-nc.png" decorative
            figure src="https://e.com/real.jpg" duplicates=1
              credit: "EPA" agencies=["EPA"] via BbcRoleText marker=Some("图像来源") located=true
        "#]],
    );
}

#[test]
fn embed_kinds() {
    figures(
        r#"<div data-e2e="twitter-embed-https://twitter.com/a/status/1"><div><div></div></div></div><div data-e2e="instagram-embed-https://www.instagram.com/p/X/"><div><div></div></div></div><blockquote class="twitter-tweet"><p>推文内容</p><a href="https://twitter.com/b/status/2">link</a></blockquote><blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/Y/"></blockquote><iframe src="https://www.youtube.com/embed/abc"></iframe><iframe src="https://www.facebook.com/plugins/post.php"></iframe><iframe src=""></iframe><video src="https://e.com/v.mp4"></video><audio><source src="https://e.com/a.mp3"></audio><div data-e2e="media-player"><iframe src="https://www.bbc.com/ws/av-embeds/x"></iframe><noscript><img alt="" src="https://e.com/poster.jpg"></noscript></div>"#,
        expect![[r#"
            embed Tweet url=Some("https://twitter.com/a/status/1") captured=false
            embed Instagram url=Some("https://www.instagram.com/p/X/") captured=false
            embed Tweet url=Some("https://twitter.com/b/status/2") captured=true
            embed Instagram url=Some("https://www.instagram.com/p/Y/") captured=false
            embed YouTube url=Some("https://www.youtube.com/embed/abc") captured=true
            embed Facebook url=Some("https://www.facebook.com/plugins/post.php") captured=true
            embed Iframe url=None captured=false
            embed Video url=Some("https://e.com/v.mp4") captured=true
            embed Audio url=Some("https://e.com/a.mp3") captured=true
            embed MediaPlayer url=Some("https://www.bbc.com/ws/av-embeds/x") captured=true
        "#]],
    );
}

fn hover_at(text: &str, needle: &str) -> String {
    let a = Analysis::new(text);
    let offset = text.find(needle).expect("needle") + 1;
    hover(&a, offset, &HoverOptions::default())
        .map(|h| format!("{}\n--- range: {:?}", h.markdown, h.range.slice(text)))
        .unwrap_or_else(|| "(no hover)".into())
}

#[test]
fn url_forms_in_link_hovers() {
    let text = capture(
        r##"<h2 id="sec">小节</h2><p><a href="/zhongwen/simp/world-1">根相对</a><a href="//www.bbc.co.uk/news">协议相对</a><a href="../trad/x">相对</a><a href="#sec">片段</a><a href="#missing">坏片段</a><a href="mailto:a@b.c">邮件</a><a href="https://images.weserv.nl/?url=e.com/a.jpg">代理</a></p>"##,
    );
    let mut out = String::new();
    for needle in [
        "根相对",
        "协议相对",
        ">相对<",
        ">片段<",
        "坏片段",
        "邮件",
        "代理",
    ] {
        let at = text.find(needle).unwrap() + usize::from(needle.starts_with('>'));
        // Hover inside the anchor text.
        let a = Analysis::new(&text);
        let h = hover(&a, at, &HoverOptions::default()).unwrap();
        let _ = writeln!(out, "{}\n", h.markdown);
    }
    expect![[r#"
        **Link** → `https://www.bbc.com/zhongwen/simp/world-1`

        - host: www.bbc.com
        - text: 根相对

        **Link** → `https://www.bbc.co.uk/news`

        - host: www.bbc.co.uk
        - text: 协议相对

        **Link** → `https://www.bbc.com/zhongwen/trad/x`

        - host: www.bbc.com
        - text: 相对

        **Link** to `#sec` in this article

        - target: section “小节”
        - text: 片段

        **Link** to `#missing` in this article

        - target: no element with this id
        - text: 坏片段

        **Link** `mailto:a@b.c`
        - text: 邮件

        **Link** → `https://images.weserv.nl/?url=e.com/a.jpg`

        - host: images.weserv.nl
        - original (behind a proxy): `https://e.com/a.jpg`
        - text: 代理

    "#]]
    .assert_eq(&out);
}

#[test]
fn hovers_on_image_credit_caption_embed_heading_header() {
    let text = capture(
        r#"<time dateTime="2023-03-21">28 分钟前</time><div data-e2e="image-placeholder"><img src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/a/_1_shutterstock_editorial_x.jpg" srcSet="https://ichef.bbci.co.uk/news/240/a.jpg 240w, https://ichef.bbci.co.uk/news/800/a.jpg 800w" alt="习近平（左）与普京" width="976" height="549"/><p role="text"><span>图像来源，</span><span>KREMLIN POOL/SPUTNIK/EPA</span></p></div><h2 id="h">强调密切关系</h2><p>正文。</p><div data-e2e="twitter-embed-https://twitter.com/bbcchinese/status/1638167790505930759"><div><div></div></div></div>"#,
    );
    let mut out = String::new();
    for needle in [
        "<img",
        "KREMLIN",
        "强调密切关系",
        "data-e2e=\"twitter",
        "1679425984000",
        "https://www.bbc.com/zhongwen",
        "<time",
        "标题",
    ] {
        let _ = writeln!(out, "## {needle}\n{}\n", hover_at(&text, needle));
    }
    expect![[r###"
        ## <img
        **Image** 976×549

        - alt: 习近平（左）与普京
        - credit: **KREMLIN POOL/SPUTNIK/EPA** (Sputnik, EPA) — from the BBC credit line (`p[role=text]`)
        - original: `https://ichef.bbci.co.uk/news/640/a/_1_shutterstock_editorial_x.jpg` (behind the images.weserv.nl proxy)
        - srcset: 2 candidates (240w, 800w); largest `https://ichef.bbci.co.uk/news/800/a.jpg`
        --- range: Some("<img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/a/_1_shutterstock_editorial_x.jpg\" srcSet=\"https://ichef.bbci.co.uk/news/240/a.jpg 240w, https://ichef.bbci.co.uk/news/800/a.jpg 800w\" alt=\"习近平（左）与普京\" width=\"976\" height=\"549\"/>")

        ## KREMLIN
        **Credit** KREMLIN POOL/SPUTNIK/EPA

        Credits the image: 习近平（左）与普京
        --- range: Some("KREMLIN POOL/SPUTNIK/EPA")

        ## 强调密切关系
        **Section** 强调密切关系 (h2)

        9 characters · 0 figures · 0 links
        --- range: Some("强调密切关系")

        ## data-e2e="twitter
        **Twitter post** — `https://twitter.com/bbcchinese/status/1638167790505930759`

        host: twitter.com

        **Content not captured**: the placeholder is empty; only the link to the original remains.
        --- range: Some("<div data-e2e=\"twitter-embed-https://twitter.com/bbcchinese/status/1638167790505930759\"><div><div></div></div></div>")

        ## 1679425984000
        **Published** 2023-03-21T19:13:04Z

        Tuesday, 21 March 2023, 19:13:04 UTC

        The feed's publication time (epoch milliseconds 1679425984000).
        --- range: Some("<!--1679425984000-->")

        ## https://www.bbc.com/zhongwen
        **Source URL** `https://www.bbc.com/zhongwen/simp/chinese-news-1`

        - scheme: https
        - host: www.bbc.com
        - path: `/zhongwen/simp/chinese-news-1`
        - normalised: `https://www.bbc.com/zhongwen/simp/chinese-news-1`
        --- range: Some("https://www.bbc.com/zhongwen/simp/chinese-news-1")

        ## <time
        **Time** `2023-03-21`

        shown as: 28 分钟前

        The text is relative time, frozen when the page was captured.
        --- range: Some("<time dateTime=\"2023-03-21\">28 分钟前</time>")

        ## 标题
        **Title** 标题

        published 2023-03-21T19:13:04Z
        --- range: Some("标题")

    "###]].assert_eq(&out);
}

#[test]
fn base_href_overrides_the_source_url() {
    let text =
        capture(r#"<base href="https://example.org/dir/"><p><a href="page.html">相对</a></p>"#);
    let a = Analysis::new(&text);
    let h = hover(&a, text.find("相对").unwrap(), &HoverOptions::default()).unwrap();
    assert!(
        h.markdown.contains("`https://example.org/dir/page.html`"),
        "{}",
        h.markdown
    );
}
