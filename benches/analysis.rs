//! Throughput of the pure layers (parse, incremental reparse, parse + model, outline,
//! diagnostics, hover, fixes) on the seed, the largest corpus capture and generated 1 MB / 10 MB captures (plus
//! CRLF and pretty-printed 1 MB variants). Reports MB/s through criterion's
//! `Throughput::Bytes`.
//!
//! Run: `cargo bench --bench analysis`. The corpus input is skipped (with a message) when
//! `../shared/corpus` (or `$CAPTURE_SHARED/corpus`) is absent.

use std::time::Duration;

use capture_lsp::ide::{self, Analysis};
use capture_lsp::syntax::{Capture, Edit};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/gen.rs"]
mod generator;

// The server's allocator, so that the figures are the server's.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const SEED: &str = "seed/bbc_65032731.capture.txt";
const CORPUS: &str = "corpus";

fn inputs() -> Vec<(String, String)> {
    let mut v = Vec::new();
    match std::fs::read_to_string(generator::shared_dir().join(SEED)) {
        Ok(t) => v.push(("seed".to_string(), t)),
        Err(e) => eprintln!("analysis bench: seed skipped ({e})"),
    }
    match generator::largest_corpus_file(&generator::shared_dir().join(CORPUS)) {
        Some(p) => match std::fs::read(&p) {
            Ok(b) => v.push((
                format!("corpus-{}k", b.len() / 1024),
                String::from_utf8_lossy(&b).into_owned(),
            )),
            Err(e) => eprintln!("analysis bench: corpus file skipped ({e})"),
        },
        None => eprintln!("analysis bench: ../shared/corpus absent, corpus input skipped"),
    }
    use generator::Layout;
    v.push((
        "gen-1m".into(),
        generator::capture(1 << 20, 1, Layout::OneLine),
    ));
    v.push((
        "gen-1m-crlf".into(),
        generator::capture(1 << 20, 2, Layout::Crlf),
    ));
    v.push((
        "gen-1m-pretty".into(),
        generator::capture(1 << 20, 3, Layout::Pretty),
    ));
    v.push((
        "gen-10m".into(),
        generator::capture(10 << 20, 4, Layout::OneLine),
    ));
    v
}

fn configure<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();

    let mut g = configure(c, "parse");
    for (name, text) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| Capture::parse(t))
        });
    }
    g.finish();

    // One character typed into a paragraph two thirds into the body: the previous tree
    // is re-parsed where the edit is and spliced (cloning it is part of the measure, as a
    // request may still hold it; the server reuses it in place when none does).
    let mut g = configure(c, "reparse (one character)");
    for (name, text) in &inputs {
        let mut from = text.len() * 2 / 3;
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let Some(at) = text[from..].find("<p>").map(|k| from + k + 3) else {
            continue;
        };
        let mut edited = text.clone();
        edited.insert(at, '字');
        let edit = Edit::new(at, at, '字'.len_utf8());
        let before = Capture::parse(text);
        assert!(
            before.clone().reparse(text, &edited, edit),
            "{name}: the benchmark edit is not spliced"
        );
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &before, |b, cap| {
            b.iter(|| {
                let mut cap = cap.clone();
                cap.reparse(text, &edited, edit)
            })
        });
    }
    g.finish();

    let mut g = configure(c, "parse+model");
    for (name, text) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| Analysis::new(t))
        });
    }
    g.finish();

    let analyses: Vec<(&str, usize, Analysis)> = inputs
        .iter()
        .map(|(n, t)| (n.as_str(), t.len(), Analysis::new(t)))
        .collect();

    let mut g = configure(c, "outline");
    for (name, len, a) in &analyses {
        g.throughput(Throughput::Bytes(*len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), a, |b, a| {
            b.iter(|| ide::outline::outline(a))
        });
    }
    g.finish();

    let mut g = configure(c, "diagnostics");
    for (name, len, a) in &analyses {
        g.throughput(Throughput::Bytes(*len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), a, |b, a| {
            b.iter(|| ide::diagnostics::diagnostics(a))
        });
    }
    g.finish();

    // Hover on a link (or an image) a third of the way into the body: the cost of one
    // request once the version is analysed.
    let opts = ide::hover::HoverOptions::default();
    let mut g = configure(c, "hover");
    for ((name, len, a), (_, text)) in analyses.iter().zip(&inputs) {
        let mut from = text.len() / 3;
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let at = text[from..]
            .find(" href=\"")
            .or_else(|| text[from..].find(" src=\""))
            .map_or(from, |k| from + k + 8);
        g.throughput(Throughput::Bytes(*len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), a, |b, a| {
            b.iter(|| ide::hover::hover(a, at, &opts))
        });
    }
    g.finish();

    // Document links: every href/src resolved (the whole document per request).
    let mut g = configure(c, "document links");
    for (name, len, a) in &analyses {
        g.throughput(Throughput::Bytes(*len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), a, |b, a| {
            b.iter(|| ide::links::document_links(a))
        });
    }
    g.finish();

    // Fixes: the code actions for the whole body (every diagnostic's fixes plus the
    // suppressions), and the `source.fixAll` edit.
    let mut g = configure(c, "fixes");
    for (name, len, a) in &analyses {
        let diags = ide::diagnostics::diagnostics(a);
        g.throughput(Throughput::Bytes(*len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), a, |b, a| {
            b.iter(|| {
                let at = ide::fixes::fixes_at(&diags, a, a.capture.body);
                (at, ide::fixes::fix_all(&diags))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
