use super::*;

fn render(text: &str) -> String {
    let dom = parse_body(text, 0);
    let mut out = String::new();
    for (i, n) in dom.nodes.iter().enumerate() {
        let depth = dom.ancestors(i as NodeId).count();
        let pad = "  ".repeat(depth);
        match &n.data {
            NodeData::Document => out.push_str("#document\n"),
            NodeData::Element(e) => {
                let span = e
                    .spans()
                    .map(|s| {
                        let end = s.end_tag.and_then(|r| r.slice(text)).unwrap_or("-");
                        format!(" {:?}..{:?}", s.start_tag.slice(text).unwrap_or("?"), end)
                    })
                    .unwrap_or_else(|| " (synthesised)".into());
                out.push_str(&format!("{pad}<{}>{span}\n", e.name));
                for a in &e.attrs {
                    let v = a.value_range().and_then(|r| r.slice(text));
                    out.push_str(&format!("{pad}  @{}={:?} raw={:?}\n", a.name, a.value, v));
                }
            }
            NodeData::Text(t) => {
                let raw = t.range().and_then(|r| r.slice(text));
                out.push_str(&format!("{pad}{:?} raw={:?}\n", t.text(text), raw));
            }
            NodeData::Comment(c) => out.push_str(&format!("{pad}<!--{c}-->\n")),
        }
    }
    for s in &dom.stray_end_tags {
        out.push_str(&format!("stray {:?}\n", s.range().slice(text)));
    }
    out
}

#[test]
fn spans_attributes_and_entities() {
    let text = r#"<p a="x&amp;y" b=z>t&lt;中<b>粗</b></p><img src=u alt='图'>"#;
    expect_test::expect![[r##"
        #document
          <html> (synthesised)
            <head> (synthesised)
            <body> (synthesised)
              <p> "<p a=\"x&amp;y\" b=z>".."</p>"
                @a="x&y" raw=Some("x&amp;y")
                @b="z" raw=Some("z")
                "t<中" raw=Some("t&lt;中")
                <b> "<b>".."</b>"
                  "粗" raw=Some("粗")
              <img> "<img src=u alt='图'>".."-"
                @src="u" raw=Some("u")
                @alt="图" raw=Some("图")
    "##]]
    .assert_eq(&render(text));
}

#[test]
fn noscript_content_is_elements() {
    let text = r#"<div><noscript><img src="real.jpg"></noscript></div>"#;
    expect_test::expect![[r##"
        #document
          <html> (synthesised)
            <head> (synthesised)
            <body> (synthesised)
              <div> "<div>".."</div>"
                <noscript> "<noscript>".."</noscript>"
                  <img> "<img src=\"real.jpg\">".."-"
                    @src="real.jpg" raw=Some("real.jpg")
    "##]]
    .assert_eq(&render(text));
}

#[test]
fn stray_end_tags_glued_attributes_and_misnesting() {
    let text = r#"<divclass="m-block-ad "data-a=1><p>一<b>二<i>三</b>四</i></p></span></div>"#;
    expect_test::expect![[r##"
        #document
          <html> (synthesised)
            <head> (synthesised)
            <body> (synthesised)
              <divclass="m-block-ad> "<divclass=\"m-block-ad \"data-a=1>".."-"
                @"data-a="1" raw=Some("1")
                <p> "<p>".."</p>"
                  "一" raw=Some("一")
                  <b> "<b>".."</b>"
                    "二" raw=Some("二")
                    <i> "<i>".."-"
                      "三" raw=None
                  <i> (synthesised)
                    "四" raw=None
        stray Some("</i>")
        stray Some("</span>")
        stray Some("</div>")
    "##]]
    .assert_eq(&render(text));
}

#[test]
fn cdata_in_svg_resyncs() {
    let text = r#"<svg><![CDATA[ a > <b> ]]></svg><p>after</p>"#;
    expect_test::expect![[r##"
        #document
          <html> (synthesised)
            <head> (synthesised)
            <body> (synthesised)
              <svg> "<svg>".."</svg>"
                " a > <b> " raw=None
              <p> "<p>".."</p>"
                "after" raw=Some("after")
    "##]]
    .assert_eq(&render(text));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// The one-pass end-tag acceptance agrees with the pair-by-pair reference on tag soups
    /// (misnested, unclosed and stray tags, tables, formatting elements, deep nesting).
    #[test]
    fn end_tag_acceptance_matches_the_reference(
        parts in proptest::collection::vec(0usize..22, 0..120)
    ) {
        const PIECES: [&str; 22] = [
            "<div>", "</div>", "<p>", "</p>", "<b>", "</b>", "<a href=x>", "</a>", "<table>",
            "<td>", "</table>", "<li>", "<ul>", "</ul>", "<span>", "</span>", "text", " ",
            "<br>", "<select>", "</select>", "<i>",
        ];
        let text: String = parts.iter().map(|&k| PIECES[k]).collect();
        let dom = parse_body(&text, 0);
        let (fast, reference) = accepted_both(&dom);
        proptest::prop_assert_eq!(fast, reference, "{}", text);
    }
}

#[test]
fn end_tag_acceptance_on_deep_nesting() {
    for (open, close) in [("<div>", "</div>"), ("<span>", "</span>"), ("<b>", "</b>")] {
        let text = format!("{}x{}", open.repeat(300), close.repeat(300));
        let dom = parse_body(&text, 0);
        let (fast, reference) = accepted_both(&dom);
        assert_eq!(fast, reference, "{open}");
        assert!(
            fast.iter().flatten().count() > 0,
            "{open}: nothing accepted"
        );
    }
}

#[test]
fn nodes_stay_small() {
    // The tree is most of an open document's memory (a node per tag and text run): a
    // field added to `Element` should be a decision, not an accident.
    assert!(
        std::mem::size_of::<Node>() <= 88,
        "{}",
        std::mem::size_of::<Node>()
    );
    assert!(std::mem::size_of::<Attr>() <= 48);
    assert!(std::mem::size_of::<SourceTag>() <= 24);
}

#[test]
fn spans_past_four_gib_clamp_and_stay_ranges() {
    // Offsets are stored as u32: out-of-range ones clamp to the last a body may hold,
    // and are never read back as "no range".
    let far = Span::new(TextRange::new(MAX_BODY + 10, usize::MAX));
    assert_eq!(far.get(), Some(TextRange::new(MAX_BODY, MAX_BODY)));
    let near = Span::new(TextRange::new(3, 7));
    assert_eq!(near.get(), Some(TextRange::new(3, 7)));
    assert_eq!(Span::of(None).get(), None);
}
