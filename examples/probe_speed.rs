//! Quick stage probe (not a benchmark): parse, model, outline and diagnostics of a file
//! (or of a generated capture: `gen:1m`, `gen:10m`, the replay benchmark's inputs).
//! `REPARSE=1` splices single-character edits instead and counts refusals (`SEED=n` for
//! another sequence, `LIKE_REPLAY=1` for the replay's own, `SHOW=1` to print each refused
//! edit's context, `CHAIN=1` with it to print the enclosing elements: name, `!` when it has
//! no end tag, length, child count).
use std::hint::black_box;
use std::time::Instant;

#[path = "../benches/support/gen.rs"]
mod generator;

// The server's allocator, so that the stages cost what they cost in the server.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOC: Counting = Counting;

/// jemalloc, counting the bytes live and the most live at once (for `MEM=1`).
struct Counting;
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        unsafe { tikv_jemallocator::Jemalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { tikv_jemallocator::Jemalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        let live = LIVE.fetch_add(new, Relaxed) + new;
        LIVE.fetch_sub(layout.size(), Relaxed);
        PEAK.fetch_max(live, Relaxed);
        unsafe { tikv_jemallocator::Jemalloc.realloc(ptr, layout, new) }
    }
}

/// `f`'s result, the heap bytes it left live, and the most it had live at once.
fn heap_of<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    use std::sync::atomic::Ordering::Relaxed;
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let out = f();
    let (live, peak) = (LIVE.load(Relaxed), PEAK.load(Relaxed));
    (
        out,
        live.saturating_sub(before),
        peak.saturating_sub(before),
    )
}

fn main() {
    // A file, or `gen:1m` / `gen:10m` for the benchmarks' generated captures.
    let arg = std::env::args().nth(1).expect("file or gen:1m / gen:10m");
    let text = match arg.as_str() {
        "gen:1m" => generator::capture(1 << 20, 11, generator::Layout::OneLine),
        "gen:10m" => generator::capture(10 << 20, 12, generator::Layout::OneLine),
        path => std::fs::read_to_string(path).expect("read"),
    };
    let stages = Stages {
        n: std::env::var("N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
        mb: text.len() as f64 / 1e6,
        only: std::env::var("STAGE").ok(),
    };
    println!("{} bytes", text.len());
    if let Ok(out) = std::env::var("OUT") {
        std::fs::write(&out, &text).expect("write OUT");
        return;
    }
    if std::env::var("MEM").is_ok() {
        mem_probe(&text);
        return;
    }
    if std::env::var("REPARSE").is_ok_and(|v| v == "analysis") {
        analysis_reparse_probe(&text);
        return;
    }
    if std::env::var("REPARSE").is_ok() {
        reparse_probe(&text);
        return;
    }
    use capture_lsp::text::{Encoding, LineIndex};
    let capture = stages.run("parse", || capture_lsp::syntax::Capture::parse(&text));
    let rules = capture_lsp::ide::credit_text::CreditRules::builtin();
    stages.run("model", || {
        capture_lsp::ide::model::build(&text, &capture, rules)
    });
    let a = capture_lsp::ide::Analysis::new(&text);
    let root = stages.run("outline", || capture_lsp::ide::outline::outline(&a));
    stages.run("diagnostics", || {
        capture_lsp::ide::diagnostics::diagnostics(&a)
    });
    let index = LineIndex::new(&text);
    let config = capture_lsp::ide::config::Config::default();
    let diags = stages.run("diags lsp", || {
        capture_lsp::lsp::checks::lsp_diagnostics(&index, &a, &config, Encoding::Utf16)
    });
    stages.run("diags value", || {
        serde_json::to_value(&diags).unwrap_or_default()
    });
    let shared: std::sync::Arc<str> = text.as_str().into();
    stages.run("line table", || {
        // A fresh index over a shared text; the first conversion builds its flat table.
        LineIndex::from_shared(shared.clone()).line_col(text.len(), Encoding::Utf16)
    });
    let sym = stages.run("to lsp", || {
        capture_lsp::lsp::convert::document_symbol(&index, &root, Encoding::Utf16)
    });
    let v = stages.run("to value", || {
        serde_json::to_value(&sym).unwrap_or_default()
    });
    let json = stages.run("to string", || {
        serde_json::to_string(&v).unwrap_or_default()
    });
    println!("symbols json {} bytes", json.len());
    if let Ok(p) = std::env::var("SYMBOLS_OUT") {
        std::fs::write(p, &json).expect("write SYMBOLS_OUT");
    }
    stages.run("dom clone", || capture.dom.clone());
}

/// Times the stages: `n` runs each, or only the one named by `STAGE`.
struct Stages {
    n: u32,
    mb: f64,
    only: Option<String>,
}

impl Stages {
    /// Time `f` (when selected) and return its result, for the stages after it.
    fn run<T>(&self, label: &str, mut f: impl FnMut() -> T) -> T {
        if self.only.as_deref().is_some_and(|o| o != label) {
            return f();
        }
        let t = Instant::now();
        for _ in 1..self.n {
            black_box(f());
        }
        let out = black_box(f());
        let d = t.elapsed() / self.n.max(1);
        println!("{label:>12}: {d:?} ({:.0} MB/s)", self.mb / d.as_secs_f64());
        out
    }
}

/// The edits' random source: `SEED=n` picks another sequence.
fn edit_rng() -> generator::Rng {
    let seed = std::env::var("SEED").ok().and_then(|v| v.parse().ok());
    generator::Rng::new(seed.unwrap_or(0x1234_5678_9abc_def1))
}

/// A random char boundary in the body (which starts at `body`), past its first byte.
fn edit_point(rng: &mut generator::Rng, doc: &str, body: usize) -> usize {
    doc.floor_char_boundary(body + 1 + rng.below(doc.len() - body - 1))
}

/// `REPARSE=1`: replay-like single-character edits through `Capture::reparse`.
#[allow(dead_code)]
fn reparse_probe(text: &str) {
    use capture_lsp::syntax::{Capture, Edit};
    let mut doc = text.to_string();
    let mut cap = Capture::parse(&doc);
    let body = cap.body.start;
    let (mut ok, mut times, mut refused_in) = (0, Vec::new(), Vec::new());
    let mut why: std::collections::BTreeMap<String, usize> = Default::default();
    // `LIKE_REPLAY=1`: the replay benchmark's own sequence (seed 42, 200 edits, a random
    // draw for each hover between edits).
    let like_replay = std::env::var("LIKE_REPLAY").is_ok();
    let mut rng = if like_replay {
        generator::Rng::new(42)
    } else {
        edit_rng()
    };
    let total = if like_replay { 200 } else { 400 };
    for i in 0..total {
        let at = if like_replay {
            doc.floor_char_boundary(body + rng.below(doc.len() - body))
        } else {
            edit_point(&mut rng, &doc, body)
        };
        if like_replay && i % 2 == 1 && doc[at..].starts_with(['\n', '\r']) {
            continue;
        }
        let before = doc.clone();
        let edit = if i % 2 == 0 {
            let ch = rng.pick(&["x", "字", " ", "😀"]);
            doc.insert_str(at, ch);
            Edit::new(at, at, ch.len())
        } else {
            let n = doc[at..].chars().next().map_or(0, char::len_utf8);
            doc.replace_range(at..at + n, "");
            Edit::new(at, at + n, 0)
        };
        let t = Instant::now();
        match cap.try_reparse(&before, &doc, edit) {
            Ok(()) => ok += 1,
            Err(r) => {
                refused_in.push(t.elapsed());
                *why.entry(format!("{r:?}")).or_default() += 1;
                if std::env::var("SHOW").is_ok() {
                    let lo = before.floor_char_boundary(edit.start.saturating_sub(80));
                    let hi = before.ceil_char_boundary((edit.old_end + 80).min(before.len()));
                    println!(
                        "{r:?}: {:?} ⟦{:?}⟧ {:?}",
                        &before[lo..edit.start],
                        &before[edit.start..edit.old_end],
                        &before[edit.old_end..hi]
                    );
                    if std::env::var("CHAIN").is_ok() {
                        println!("   chain:{}", chain_line(&cap.dom, edit.start));
                    }
                }
                cap = Capture::parse(&doc);
            }
        }
        times.push(t.elapsed());
        if like_replay {
            rng.below(doc.len() - body);
        }
    }
    times.sort();
    println!(
        "reparse: {ok}/{} spliced; p50 {:?} p90 {:?} p95 {:?} max {:?}",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() * 19 / 20],
        times[times.len() - 1]
    );
    println!("refused: {why:?}");
    refused_in.sort();
    if let (Some(p50), Some(max)) = (refused_in.get(refused_in.len() / 2), refused_in.last()) {
        println!("time to refuse: p50 {p50:?} max {max:?}");
    }
}

/// The elements enclosing `offset`, innermost first: name, `!` when it has no end tag,
/// length, child count.
fn chain_line(dom: &capture_lsp::syntax::Dom, offset: usize) -> String {
    let Some(inner) = dom.element_at(offset) else {
        return String::new();
    };
    let mut line = String::new();
    for id in std::iter::once(inner).chain(dom.ancestors(inner)) {
        if let Some(x) = dom.element(id) {
            let open = if x.spans().is_some_and(|s| s.end_tag.is_some()) {
                ""
            } else {
                "!"
            };
            let len = x.range().map_or(0, |r| r.len());
            line += &format!(" {}{open}:{len}[{}]", x.name, dom.children(id).len());
        }
    }
    line
}

/// `REPARSE=analysis`: the same edits through `Analysis::reparse` (tree reused in place),
/// with the time split between the capture and the whole analysis.
#[allow(dead_code)]
fn analysis_reparse_probe(text: &str) {
    use capture_lsp::ide::{Analysis, ParseKind};
    use capture_lsp::syntax::Edit;
    use std::sync::Arc;
    let rules = capture_lsp::ide::credit_text::CreditRules::default();
    let mut doc = text.to_string();
    let mut a = Arc::new(Analysis::new(&doc));
    let body = a.capture.body.start;
    let mut rng = edit_rng();
    let (mut spliced, mut full) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let at = edit_point(&mut rng, &doc, body);
        doc.insert(at, 'x');
        let t = Instant::now();
        let next_a = Analysis::reparse(a, doc.as_str(), Edit::new(at, at, 1), &rules);
        let d = t.elapsed();
        match next_a.parse {
            ParseKind::Spliced { .. } => spliced.push(d),
            _ => full.push(d),
        }
        a = Arc::new(next_a);
    }
    for (label, mut v) in [("spliced", spliced), ("parsed whole", full)] {
        v.sort();
        if let (Some(p50), Some(max)) = (v.get(v.len() / 2), v.last()) {
            println!("{label}: n={} p50 {p50:?} max {max:?}", v.len());
        }
    }
}

/// `MEM=1`: approximate heap bytes held by the parsed tree and the model.
#[allow(dead_code)]
fn mem_probe(text: &str) {
    use capture_lsp::syntax::html::NodeData;
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .unwrap_or(0)
    };
    let before = rss();
    let t = std::time::Instant::now();
    let tiny = "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<figure><img src=a.jpg><figcaption>A caption. Photo: Jane Doe/Reuters</figcaption></figure>";
    let ((), tables, _) = heap_of(|| drop(capture_lsp::ide::Analysis::new(tiny)));
    println!(
        "heap: built-in credit tables and their automata {} KB, {:?} (first analysis)",
        tables / 1024,
        t.elapsed()
    );
    let (a, analysis, peak) = heap_of(|| capture_lsp::ide::Analysis::new(text));
    let (_index, line_table, _) = heap_of(|| {
        let index = capture_lsp::text::LineIndex::from_shared(a.text.clone());
        index.prepare();
        index
    });
    {
        // Parsed again, to weigh the tree and the model apart.
        let (capture, tree, _) = heap_of(|| capture_lsp::syntax::Capture::parse(text));
        let (model, model_bytes, _) = heap_of(|| {
            capture_lsp::ide::model::build(
                text,
                &capture,
                capture_lsp::ide::credit_text::CreditRules::builtin(),
            )
        });
        println!(
            "heap: parsed capture {} KB, article model {} KB",
            tree / 1024,
            model_bytes / 1024
        );
        use std::mem::size_of;
        let av = |v: &Option<capture_lsp::ide::model::AttrValue>| {
            v.as_ref().map_or(0, |v| v.value.capacity())
        };
        let links: usize = model.links.capacity() * size_of::<capture_lsp::ide::model::Link>()
            + model
                .links
                .iter()
                .map(|l| l.text.capacity() + l.href.value.capacity())
                .sum::<usize>();
        let figures: usize = model.figures.capacity()
            * size_of::<capture_lsp::ide::model::Figure>()
            + model
                .figures
                .iter()
                .map(|f| {
                    f.duplicates.capacity() * size_of::<capture_lsp::ide::model::Image>()
                        + [&f.image]
                            .into_iter()
                            .chain(&f.duplicates)
                            .map(|i| av(&i.src) + av(&i.alt) + av(&i.srcset))
                            .sum::<usize>()
                        + f.caption.as_ref().map_or(0, |c| c.text.capacity())
                        + f.credit
                            .as_ref()
                            .map_or(0, |c| c.name.capacity() + c.agencies.capacity() * 24)
                })
                .sum::<usize>();
        println!(
            "model: {} links {} KB (struct {} B), {} figures {} KB (struct {} B), {} embeds, {} headings, in_boilerplate {} KB",
            model.links.len(),
            links / 1024,
            size_of::<capture_lsp::ide::model::Link>(),
            model.figures.len(),
            figures / 1024,
            size_of::<capture_lsp::ide::model::Figure>(),
            model.embeds.len(),
            model.headings.len(),
            model.in_boilerplate.capacity() / 1024
        );
        drop((capture, model));
    }
    println!(
        "heap: analysis {} KB live ({:.1}× the text; peak while analysing {} KB), line table {} KB",
        analysis / 1024,
        analysis as f64 / text.len() as f64,
        peak / 1024,
        line_table / 1024
    );
    let after = rss();
    let diags = capture_lsp::ide::diagnostics::diagnostics(&a);
    println!(
        "RSS: before {before} kB, with the analysis {after} kB (+{} kB), after diagnostics {} kB ({} findings)",
        after - before,
        rss(),
        diags.len()
    );
    let dom = &a.capture.dom;
    let (mut nodes, mut strings, mut attrs, mut children, mut texts) = (0usize, 0, 0, 0, 0);
    for n in &dom.nodes {
        nodes += std::mem::size_of_val(n);
        children += n.children.capacity() * 4;
        match &n.data {
            NodeData::Element(e) => {
                // Names are interned atoms: no per-element allocation.
                attrs += e.attrs.len() * std::mem::size_of::<capture_lsp::syntax::html::Attr>();
                for at in &e.attrs {
                    strings += at.value.capacity();
                }
            }
            NodeData::Text(t) => texts += t.kept().map_or(0, str::len),
            NodeData::Comment(c) => texts += c.capacity(),
            _ => {}
        }
    }
    println!(
        "capacity/len: nodes {}/{}, start_tags {}/{}, end_tags {}/{}, stray {}/{}, comments {}/{}, by_start {}/{}",
        dom.nodes.capacity(),
        dom.nodes.len(),
        dom.start_tags.capacity(),
        dom.start_tags.len(),
        dom.end_tags.capacity(),
        dom.end_tags.len(),
        dom.stray_end_tags.capacity(),
        dom.stray_end_tags.len(),
        dom.comments.capacity(),
        dom.comments.len(),
        dom.by_start.capacity(),
        dom.by_start.len(),
    );
    let tags = (dom.start_tags.len() + dom.end_tags.len())
        * std::mem::size_of::<capture_lsp::syntax::html::SourceTag>();
    println!(
        "nodes {} ({} KB structs), children {} KB, attr value strings {} KB, attr structs {} KB, text {} KB, tag tables {} KB, by_start {} KB; text {} KB",
        dom.nodes.len(),
        nodes / 1024,
        children / 1024,
        strings / 1024,
        attrs / 1024,
        texts / 1024,
        tags / 1024,
        dom.by_start.len() * std::mem::size_of::<(u32, u32)>() / 1024,
        text.len() / 1024
    );
}
