use super::Article;
use crate::ide::Analysis;
use crate::text::TextRange;

#[test]
fn seed_like_model() {
    let text = "<!--1679425984000-->\n[T](https://www.bbc.com/zhongwen/simp/a-1)\n------\n\n<main><div><h2 id=\"s\">节</h2></div><section aria-label=\"广告 2\" data-e2e=\"advertisement\"><div><h2>Ad</h2></div></section><div data-e2e=\"twitter-embed-https://twitter.com/x/status/1\"><div><div></div></div></div><div data-e2e=\"image-placeholder\"><img src=\"a.jpg\" alt=\"图\" width=\"976\" height=\"549\"><noscript><img src=\"b.jpg\" alt=\"图\"></noscript></div><p><b>小标题</b></p><img src=\"pixel.gif\" width=\"1\" height=\"1\"></main>";
    let a = Analysis::new(text);
    let headings: Vec<_> = a
        .article
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(headings, [(2, "节"), (7, "小标题")]);
    assert_eq!(a.article.embeds.len(), 1);
    assert!(!a.article.embeds[0].captured);
    assert_eq!(
        a.article.embeds[0].url.as_ref().unwrap().value,
        "https://twitter.com/x/status/1"
    );
    let url_range = a.article.embeds[0].url.as_ref().unwrap().range.unwrap();
    assert_eq!(
        &text[url_range.start..url_range.end],
        "https://twitter.com/x/status/1"
    );
    assert_eq!(a.article.figures.len(), 2);
    assert_eq!(
        a.article.figures[0].image.src.as_ref().unwrap().value,
        "b.jpg"
    );
    assert_eq!(a.article.figures[0].duplicates.len(), 1);
    assert!(a.article.figures[1].decorative);
    assert_eq!(a.article.boilerplate.len(), 1);
}

#[test]
fn boilerplate_range_lookup_handles_nesting_and_gaps() {
    let r = |a, b| TextRange::new(a, b);
    let mut article = Article {
        boilerplate: vec![r(50, 60), r(0, 40), r(10, 20), r(70, 80)],
        ..Article::default()
    };
    article.index_boilerplate();
    let inside = |a, b| article.in_boilerplate_range(r(a, b));
    assert!(inside(0, 40) && inside(12, 18) && inside(25, 39) && inside(55, 60));
    assert!(inside(70, 70) && inside(79, 80));
    // Across a gap, past an end, before the first range, after the last.
    assert!(!inside(35, 55) && !inside(55, 61) && !inside(40, 41) && !inside(85, 86));
    assert!(!Article::default().in_boilerplate_range(r(0, 0)));
}

#[test]
fn ad_behind_a_glued_class_attribute_is_boilerplate() {
    let text = "<!--1679425984000-->\n[T](https://www.bbc.com/zhongwen/simp/a-1)\n------\n\n<div><h2>节</h2></div><divclass=\"m-block-ad\"><h2>广告</h2></divclass=\"m-block-ad\"><p>正文</p>";
    let a = Analysis::new(text);
    let headings: Vec<_> = a.article.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(headings, ["节"]);
    assert_eq!(a.article.boilerplate.len(), 1);
}
