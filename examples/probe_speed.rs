//! Quick throughput probe (not a benchmark): parse + model + outline of a file.
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let text = std::fs::read_to_string(path).expect("read");
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(capture_lsp::syntax::Capture::parse(&text));
    }
    let parse = t.elapsed() / n;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let a = capture_lsp::ide::Analysis::new(&text);
        std::hint::black_box(capture_lsp::ide::outline::outline(&a));
    }
    let full = t.elapsed() / n;
    let mb = text.len() as f64 / 1e6;
    println!(
        "{} bytes: parse {:?} ({:.0} MB/s), parse+model+outline {:?} ({:.0} MB/s)",
        text.len(),
        parse,
        mb / parse.as_secs_f64(),
        full,
        mb / full.as_secs_f64()
    );
}
