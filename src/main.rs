//! capture-lsp: command-line wiring only.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
capture-lsp — language server and checker for capture files (archived web articles)

USAGE:
    capture-lsp [--stdio] [--log-file PATH]   serve LSP on stdin/stdout (what editors run)
    capture-lsp outline FILE [--json]         print the article outline of a capture
    capture-lsp check [PATH…] [OPTIONS]       lint captures (see `capture-lsp check --help`)
    capture-lsp rules                         list the diagnostic rules
    capture-lsp --version | --help

Logs go to stderr (or --log-file); set the level with CAPTURE_LSP_LOG (e.g. debug).
";

fn init_logging(log_file: Option<PathBuf>) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CAPTURE_LSP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    match log_file.and_then(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .ok()
    }) {
        Some(file) => builder.with_writer(std::sync::Mutex::new(file)).init(),
        None => builder.with_writer(std::io::stderr).init(),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("capture-lsp: {msg}\n\n{HELP}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut log_file = None;
    if let Some(i) = args.iter().position(|a| a == "--log-file") {
        if i + 1 >= args.len() {
            return usage_error("--log-file needs a path");
        }
        log_file = Some(PathBuf::from(args.remove(i + 1)));
        args.remove(i);
    }
    match args.first().map(String::as_str) {
        None | Some("--stdio") | Some("serve") => {
            init_logging(log_file);
            // Threads of the blocking pool (analyses, checks) exit after a second idle
            // rather than ten, returning their stacks and allocator caches: an idle server
            // holds little but its documents, and a new thread costs tens of microseconds.
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_keep_alive(std::time::Duration::from_secs(1))
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("capture-lsp: cannot start the runtime: {e}");
                    return ExitCode::from(2);
                }
            };
            runtime.block_on(capture_lsp::lsp::serve_stdio());
            ExitCode::SUCCESS
        }
        Some("--version") | Some("-V") => {
            println!("capture-lsp {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help") | Some("-h") | Some("help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("outline") => {
            let json = args.iter().any(|a| a == "--json");
            let files: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with("--")).collect();
            let [file] = files.as_slice() else {
                return usage_error("outline takes one FILE");
            };
            match std::fs::read(file) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let out = capture_lsp::cli::outline::render(&text, json);
                    let _ = std::io::stdout().write_all(out.as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("capture-lsp: {file}: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some("check") => {
            let rest = args.get(1..).unwrap_or_default();
            if rest.iter().any(|a| a == "--help" || a == "-h") {
                print!("{}", capture_lsp::cli::check::HELP);
                return ExitCode::SUCCESS;
            }
            match capture_lsp::cli::check::parse_args(rest) {
                Ok(opts) => ExitCode::from(capture_lsp::cli::check::run(
                    &opts,
                    &mut std::io::stdout().lock(),
                    &mut std::io::stderr().lock(),
                )),
                Err(e) => {
                    eprintln!(
                        "capture-lsp check: {e}\n\n{}",
                        capture_lsp::cli::check::HELP
                    );
                    ExitCode::from(2)
                }
            }
        }
        Some("rules") => {
            print!("{}", capture_lsp::cli::check::rules_table());
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command or option `{other}`")),
    }
}

// jemalloc: glibc's malloc kept most of what a burst of work freed (parse trees, response
// JSON) resident, fragmented over its per-thread arenas, even after malloc_trim.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc settings (read at start-up): a background thread returns freed pages to the OS
/// one second after they were last used (`dirty_decay_ms`), at once past that
/// (`muzzy_decay_ms:0`), so an idle server holds little more than its live data. One arena
/// (`narenas:1`) rather than four per core: the parse, the line table, the checks and the
/// requests run on different threads, and memory one of them freed went unused by the others
/// (peak RSS with the 1 MB capture open: 57 MB with the default, 44 MB with one arena; the
/// per-thread caches keep the arena's lock off the hot paths, and the replay's latencies did
/// not change).
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &[u8] =
    b"background_thread:true,narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0\0";
