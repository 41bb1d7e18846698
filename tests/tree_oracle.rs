//! The body parser's own tree sink builds exactly the tree scraper's sink builds from the
//! same html5ever run (scripting disabled, as the server parses): scraper is the reference
//! implementation here, on tricky hand-written markup, random tag soup, the seed-like
//! fixture and every capture in `../shared/corpus` (skipped when absent).

mod common;

use std::fmt::Write;

use capture_lsp::syntax::Capture;
use capture_lsp::syntax::html::{Dom, NodeData, NodeId};
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{ParseOpts, ns};
use proptest::prelude::*;
use scraper::{Html, HtmlTreeSink};

/// Our tree, one node per line: depth, kind, namespace flag, attributes sorted by name.
fn dump_ours(dom: &Dom, src: &str) -> String {
    fn walk(dom: &Dom, src: &str, id: NodeId, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        match dom.node(id).map(|n| &n.data) {
            Some(NodeData::Document) => {
                let _ = writeln!(out, "{pad}#document");
            }
            Some(NodeData::Element(e)) => {
                let mut attrs: Vec<(&str, &str)> = e
                    .attrs
                    .iter()
                    .map(|a| (a.name.as_str(), a.value.as_str()))
                    .collect();
                attrs.sort();
                let _ = writeln!(out, "{pad}<{} foreign={} {attrs:?}>", e.name, e.foreign);
            }
            Some(NodeData::Text(t)) => {
                let _ = writeln!(out, "{pad}{:?}", t.text(src));
            }
            Some(NodeData::Comment(c)) => {
                let _ = writeln!(out, "{pad}<!--{c:?}-->");
            }
            None => {}
        }
        for &c in dom.children(id) {
            walk(dom, src, c, depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(dom, src, dom.root(), 0, &mut out);
    out
}

/// scraper's tree of `body`, in the same form.
fn dump_scraper(body: &str) -> String {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let html: Html =
        html5ever::parse_document(HtmlTreeSink::new(Html::new_document()), opts).one(body);
    fn walk(node: ego_tree::NodeRef<'_, scraper::Node>, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        match node.value() {
            scraper::Node::Document | scraper::Node::Fragment => {
                let _ = writeln!(out, "{pad}#document");
            }
            scraper::Node::Element(e) => {
                let mut attrs: Vec<(&str, &str)> = e.attrs().collect();
                attrs.sort();
                let foreign = e.name.ns != ns!(html);
                let _ = writeln!(out, "{pad}<{} foreign={foreign} {attrs:?}>", e.name());
            }
            scraper::Node::Text(t) => {
                let _ = writeln!(out, "{pad}{:?}", &*t.text);
            }
            scraper::Node::Comment(c) => {
                let _ = writeln!(out, "{pad}<!--{:?}-->", &*c.comment);
            }
            _ => return,
        }
        for c in node.children() {
            walk(c, depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(html.tree.root(), 0, &mut out);
    out
}

fn assert_same_tree(text: &str, context: &str) {
    let capture = Capture::parse(text);
    let body = capture.body.slice(text).unwrap_or_default();
    let ours = dump_ours(&capture.dom, text);
    let reference = dump_scraper(body);
    if ours != reference {
        let line = ours
            .lines()
            .zip(reference.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let show = |s: &str| {
            s.lines()
                .skip(line.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{context}: trees differ at line {line}\n--- ours\n{}\n--- scraper\n{}",
            show(&ours),
            show(&reference)
        );
    }
}

const HEADER: &str = "<!--1679425984000-->\n[t](https://example.com/a)\n------\n\n";

#[test]
fn tricky_markup_builds_the_reference_tree() {
    let cases = [
        // Adoption agency: misnested formatting elements are cloned and moved.
        "<b>1<p>2</b>3</p><i><div>4</i>5</div>",
        "<a href=x><div><a href=y>z</a></div></a>",
        // Foster parenting out of tables, text included.
        "<table>x<tr><td>1</td>y</tr><div>z</div></table>",
        "<table><tr><td><table><b>q</table></td></tr></table>",
        // Templates, forms, selects, raw text and foreign content.
        "<template><p>in</p><td>cell</td></template><p>after",
        "<form><form><input name=a></form><select><option>1<option>2</select>",
        "<noscript><img src=a.jpg alt=\"图\"></noscript><script>if (a<b) {}</script>",
        "<svg viewBox='0 0 1 1'><foreignObject><p>x</p></foreignObject><path d=M0/></svg>",
        "<math><mi>x</mi><annotation-xml encoding=text/html><b>y</b></annotation-xml></math>",
        // Stray and glued tags, duplicate attributes, entities, CJK, emoji.
        "</div></p><divclass=\"x\">a</divclass><p a=1 a=2 b=&amp;>&lt;中文😀&nbsp;</p>",
        "<p>one<p>two<li>three<h2>four<h3>five</h2>six",
        "<html lang=zh><body class=b><html data-x=1><body data-y=2>text",
        "<!doctype html><!-- c --><?pi?><p>x<!-- d --></p>",
        "<frameset><frame></frameset>",
        "<ruby>漢<rt>kan</ruby><dl><dt>a<dd>b</dl><button><button>x",
        "",
    ];
    for (i, body) in cases.iter().enumerate() {
        assert_same_tree(&format!("{HEADER}{body}\n"), &format!("case {i}: {body}"));
    }
}

#[test]
fn seed_like_fixture_builds_the_reference_tree() {
    assert_same_tree(common::SEED, "seed_like.capture");
}

#[test]
fn corpus_builds_the_reference_tree() {
    let Some(files) = common::corpus_files("the corpus tree oracle test", true) else {
        return;
    };
    let mut checked = 0;
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        assert_same_tree(
            &String::from_utf8_lossy(&bytes),
            &path.display().to_string(),
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} corpus files checked");
}

const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<a href=x>",
    "</a>",
    "<div>",
    "</div>",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<li>",
    "<ul>",
    "</ul>",
    "<h2>",
    "</h2>",
    "<template>",
    "</template>",
    "<svg>",
    "</svg>",
    "<math>",
    "<select>",
    "<option>",
    "<form>",
    "</form>",
    "<noscript>",
    "</noscript>",
    "<script>",
    "</script>",
    "<br/>",
    "<img src=y>",
    "text",
    "中文",
    "😀",
    "&amp;",
    " ",
    "<!--c-->",
    "<html x=1>",
    "<body y=2>",
    "<frameset>",
    "<textarea>",
    "</textarea>",
    "<caption>",
    "<col>",
    "<button>",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn tag_soup_builds_the_reference_tree(picks in proptest::collection::vec(0..PIECES.len(), 0..60)) {
        let body: String = picks.iter().map(|&i| PIECES[i]).collect();
        assert_same_tree(&format!("{HEADER}{body}"), &body);
    }
}
