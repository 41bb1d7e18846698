//! Attribution over the real corpus: per-file counts of images, decorative images, credited
//! images, embeds and empty embeds, snapshotted; per-site credit rates printed (run with
//! `--nocapture`) for comparison with the survey in DESIGN.md. Skips without `../shared`.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write;

use capture_lsp::ide::Analysis;

#[test]
fn corpus_attribution_counts() {
    let Some(shared) = common::shared_dir() else {
        eprintln!("skipping: ../shared/corpus is not beside this checkout");
        return;
    };
    let manifest = std::fs::read_to_string(shared.join("corpus/MANIFEST.tsv")).unwrap();
    let site_of: BTreeMap<String, String> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(5)?.to_string()))
        })
        .collect();
    let mut table =
        String::from("file\timages\tdecorative\tcredited\tempty_credit\tembeds\tempty_embeds\n");
    // site → (non-decorative images, credited)
    let mut rates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (file, site) in &site_of {
        let text = std::fs::read_to_string(shared.join("corpus").join(file)).unwrap();
        let a = Analysis::new(&text);
        let figs = &a.article.figures;
        let decorative = figs.iter().filter(|f| f.decorative).count();
        let credited = figs
            .iter()
            .filter(|f| !f.decorative && f.credit.as_ref().is_some_and(|c| !c.is_empty()))
            .count();
        let empty_credit = figs
            .iter()
            .filter(|f| f.credit.as_ref().is_some_and(|c| c.is_empty()))
            .count();
        let embeds = a.article.embeds.len();
        let empty = a.article.embeds.iter().filter(|e| !e.captured).count();
        let _ = writeln!(
            table,
            "{file}\t{}\t{decorative}\t{credited}\t{empty_credit}\t{embeds}\t{empty}",
            figs.len()
        );
        let key = if file.starts_with("bbc_") {
            "www.bbc.com (2020)".to_string()
        } else {
            site.clone()
        };
        let e = rates.entry(key).or_default();
        e.0 += figs.len() - decorative;
        e.1 += credited;
    }
    for (site, (images, credited)) in &rates {
        if *images > 0 {
            println!(
                "{site:28} {credited:4}/{images:<4} credited ({:.0}%)",
                100.0 * *credited as f64 / *images as f64
            );
        }
    }
    expect_test::expect_file!["snapshots/corpus_attribution_counts.tsv"].assert_eq(&table);
}
