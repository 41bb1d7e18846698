//! Every capture in `../shared/corpus` (and the seed) parses, outlines and answers without a
//! panic; per-file counts are snapshotted so regressions show in review. Skips with a message
//! when `../shared` is not beside the checkout (a user's machine).

mod common;

use std::fmt::Write;

use capture_lsp::ide::Analysis;
use capture_lsp::ide::outline::{OutlineNode, SymbolKind, outline, selection_ranges};

fn count(node: &OutlineNode, kind: SymbolKind) -> usize {
    node.children
        .iter()
        .map(|c| usize::from(c.kind == kind) + count(c, kind))
        .sum()
}

fn check_spans(text: &str, a: &Analysis) {
    use capture_lsp::syntax::html::NodeData;
    for n in &a.capture.dom.nodes {
        if let NodeData::Element(e) = &n.data {
            if let Some(s) = e.spans() {
                let tag = s.start_tag.slice(text).expect("start tag slices");
                assert!(tag.starts_with('<'), "{tag}");
                let name = s.name.slice(text).expect("name slices");
                assert!(
                    name.eq_ignore_ascii_case(&e.name)
                        || e.name.contains('"')
                        || name.len() == e.name.len(),
                    "{name} vs {}",
                    e.name
                );
                if let Some(end) = s.end_tag {
                    let end = end.slice(text).expect("end tag slices");
                    assert!(end.starts_with("</"), "{end}");
                }
            }
            for attr in &e.attrs {
                if let Some(r) = attr.value_range() {
                    r.slice(text).expect("attribute value slices");
                }
            }
        }
    }
}

#[test]
fn corpus_parses_outlines_and_counts() {
    let Some(files) = common::corpus_files("the corpus outline test", true) else {
        return;
    };
    let mut table = String::from("file\tsections\tfigures\tembeds\tunmapped_tags\n");
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let analysis = Analysis::new(&text);
        let root = outline(&analysis);
        let header_title = analysis
            .capture
            .header
            .title
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_default();
        assert_eq!(
            root.name.trim_end_matches('…'),
            header_title.chars().take(79).collect::<String>().trim_end(),
            "{}",
            path.display()
        );
        check_spans(&text, &analysis);
        // A request anywhere answers.
        for offset in [0, text.len() / 2, text.len()] {
            let chain = selection_ranges(&analysis, offset);
            assert!(!chain.is_empty());
        }
        let _ = writeln!(
            table,
            "{}\t{}\t{}\t{}\t{}",
            path.file_name().unwrap().to_string_lossy(),
            count(&root, SymbolKind::Section),
            count(&root, SymbolKind::Figure),
            count(&root, SymbolKind::Embed),
            analysis.capture.dom.unmapped_start_tags,
        );
    }
    expect_test::expect_file!["snapshots/corpus_outline_counts.tsv"].assert_eq(&table);
}

#[test]
fn seed_outline_acceptance() {
    let Some(shared) = common::shared_dir() else {
        eprintln!("skipping: ../shared/seed is not beside this checkout");
        return;
    };
    let text = std::fs::read_to_string(shared.join("seed/bbc_65032731.capture.txt")).unwrap();
    let analysis = Analysis::new(&text);
    let root = outline(&analysis);
    assert_eq!(
        root.name,
        "习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”"
    );
    let detail = root.detail.clone().unwrap();
    assert!(
        detail.contains("2023-03-21") && detail.contains("www.bbc.com"),
        "{detail}"
    );
    let mut all = Vec::new();
    fn walk<'a>(n: &'a OutlineNode, out: &mut Vec<&'a OutlineNode>) {
        for c in &n.children {
            out.push(c);
            walk(c, out);
        }
    }
    walk(&root, &mut all);
    let section = all
        .iter()
        .find(|n| n.name == "强调密切关系")
        .expect("h2 section");
    assert_eq!(section.kind, SymbolKind::Section);
    assert_eq!(section.selection.slice(&text), Some("强调密切关系"));
    let embeds: Vec<_> = all
        .iter()
        .filter(|n| n.kind == SymbolKind::Embed)
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(
        embeds,
        [
            "Twitter post",
            "Instagram post",
            "Media player",
            "Media player"
        ]
    );
    let figures: Vec<_> = all
        .iter()
        .filter(|n| n.kind == SymbolKind::Figure)
        .map(|n| n.name.as_str())
        .collect();
    assert!(
        figures.contains(&"习近平（左）与普京（右）在莫斯科克里姆林宫宴会上祝酒（21/3/2023）"),
        "{figures:?}"
    );
    // The advertisement is not in the outline.
    let ad = text.find("<section aria-label=\"广告 2\"").unwrap();
    assert!(
        all.iter()
            .all(|n| !(n.range.start <= ad && ad < n.range.end) || n.kind == SymbolKind::Section)
    );
    assert!(all.iter().all(|n| n.range.start != ad));
}

#[test]
fn seed_hover_acceptance() {
    use capture_lsp::ide::hover::{HoverOptions, hover};
    let Some(shared) = common::shared_dir() else {
        eprintln!("skipping: ../shared/seed is not beside this checkout");
        return;
    };
    let text = std::fs::read_to_string(shared.join("seed/bbc_65032731.capture.txt")).unwrap();
    let a = Analysis::new(&text);
    let at = |needle: &str| {
        let offset = text.find(needle).expect(needle) + 1;
        hover(&a, offset, &HoverOptions::default())
            .expect(needle)
            .markdown
    };
    let img = at("<img");
    assert!(img.contains("KREMLIN POOL/SPUTNIK/EPA"), "{img}");
    assert!(
        img.contains("习近平（左）与普京（右）在莫斯科克里姆林宫宴会上祝酒（21/3/2023）"),
        "{img}"
    );
    assert!(img.contains("976×549"), "{img}");
    assert!(img.contains("`https://ichef.bbci.co.uk/news/640/cpsprodpb/A1C9/production/_129071414_182345-shutterstock_editorial_chinese_president_xi_jinping_vis_13836456co.jpg`"), "{img}");
    let link = at("<a href=\"/zhongwen/simp/world-64998418\"");
    assert!(
        link.contains("`https://www.bbc.com/zhongwen/simp/world-64998418`"),
        "{link}"
    );
    assert!(link.contains("批准逮捕普京"), "{link}");
    assert!(at("1679425984000").contains("2023-03-21T19:13:04Z"));
    let tweet = at("data-e2e=\"twitter-embed");
    assert!(tweet.contains("Twitter post"), "{tweet}");
    assert!(
        tweet.contains("https://twitter.com/bbcchinese/status/1638167790505930759"),
        "{tweet}"
    );
    assert!(tweet.contains("not captured"), "{tweet}");
    let credit = at("KREMLIN POOL/SPUTNIK/EPA");
    assert!(
        credit.starts_with("**Credit** KREMLIN POOL/SPUTNIK/EPA"),
        "{credit}"
    );
    assert!(
        credit.contains("习近平（左）与普京（右）"),
        "names its image: {credit}"
    );
}
