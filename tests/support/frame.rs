//! One message of the LSP base protocol (`Content-Length` header, blank line, body) read
//! from a byte stream. Shared by `tests/abuse.rs` and `benches/replay.rs`, which drive the
//! real binary over stdio.

use std::io::BufRead;

/// The next message's body, or `None` at the end of the stream or on a malformed frame.
pub fn read_frame(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    Some(buf)
}
