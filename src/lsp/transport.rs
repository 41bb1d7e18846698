//! A guard in front of the JSON-RPC transport. `tower-lsp-server`'s codec treats a frame it
//! cannot decode (malformed JSON, invalid UTF-8, JSON that is not a JSON-RPC message, an
//! unsupported `Content-Type`) as the end of the input stream: the server stops reading and
//! exits. This guard re-frames the input, drops (and logs) every frame the codec would
//! choke on, and forwards the rest unchanged, so one bad message from a client cannot kill
//! the session.
//!
//! The input is read on a plain thread, not with `tokio::io::stdin`: a read pending in
//! tokio's blocking pool would keep the runtime from shutting down after `exit` until the
//! client closes stdin. Reading, validating and framing happen on that thread; the server
//! reads whole frames from a channel.

use std::io::{BufRead, BufReader, Read};

use std::pin::Pin;
use std::task::{Context, Poll};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Frames larger than this are refused (read and dropped).
pub const MAX_FRAME: usize = 512 << 20;
/// A header line longer than this is garbage.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// Whether the codec will accept this frame body as a JSON-RPC request, notification or
/// response.
pub fn is_valid_message(body: &[u8]) -> bool {
    serde_json::from_slice::<Request>(body).is_ok()
        || serde_json::from_slice::<Response>(body).is_ok()
}

/// Read LSP frames from `input` on a thread of its own and hand the decodable ones to the
/// returned reader (already framed, `Content-Length` header included).
pub fn guard_input<R: Read + Send + 'static>(input: R) -> FrameReader {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let spawned = std::thread::Builder::new()
        .name("lsp-input".into())
        .spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, input);
            while let Some(len) = read_headers(&mut r) {
                if len > MAX_FRAME {
                    tracing::error!(len, "dropping an oversized frame");
                    let skipped =
                        std::io::copy(&mut (&mut r).take(len as u64), &mut std::io::sink());
                    if skipped.map_or(true, |n| n < len as u64) {
                        return;
                    }
                    continue;
                }
                let header = format!("Content-Length: {len}\r\n\r\n");
                let mut frame = Vec::with_capacity(header.len() + len);
                frame.extend_from_slice(header.as_bytes());
                frame.resize(header.len() + len, 0);
                if r.read_exact(&mut frame[header.len()..]).is_err() {
                    return;
                }
                let body = &frame[header.len()..];
                if !is_valid_message(body) {
                    tracing::error!(
                        len,
                        start = %String::from_utf8_lossy(&body[..body.len().min(80)]),
                        "dropping a frame that is not a JSON-RPC message"
                    );
                    continue;
                }
                if tx.blocking_send(frame).is_err() {
                    return;
                }
            }
            // End of input: dropping `tx` ends the server's input stream.
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the input thread: {e}");
    }
    FrameReader {
        rx,
        current: Vec::new(),
        pos: 0,
        yielded: false,
    }
}

/// The server's input: the guarded frames, one at a time. Before handing out each new frame
/// it yields once to the runtime, as a read from a pipe does, so that requests already
/// received get polled before the next message (an `exit` pipelined right behind
/// `initialize` would otherwise cancel it before it ran).
pub struct FrameReader {
    rx: tokio::sync::mpsc::Receiver<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    yielded: bool,
}

impl tokio::io::AsyncRead for FrameReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.pos >= this.current.len() {
            if !this.yielded {
                this.yielded = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(frame)) => {
                    this.current = frame;
                    this.pos = 0;
                    this.yielded = false;
                }
                Poll::Ready(None) => return Poll::Ready(Ok(())), // EOF
                Poll::Pending => return Poll::Pending,
            }
        }
        let rest = this.current.get(this.pos..).unwrap_or_default();
        let n = rest.len().min(buf.remaining());
        buf.put_slice(&rest[..n]);
        this.pos += n;
        Poll::Ready(Ok(()))
    }
}

/// Read one header block; return its `Content-Length`. Header blocks without one are
/// skipped. `None` at end of input.
fn read_headers(r: &mut impl BufRead) -> Option<usize> {
    loop {
        let mut len = None;
        let mut seen_header = false;
        loop {
            let mut line = Vec::new();
            let n = r.take(MAX_HEADER_LINE).read_until(b'\n', &mut line).ok()?;
            if n == 0 {
                return None;
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                if seen_header {
                    break;
                }
                continue; // stray blank line between frames
            }
            seen_header = true;
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                len = value.trim().parse::<usize>().ok();
            }
        }
        match len {
            Some(len) => return Some(len),
            None => tracing::error!("dropping a header block without a valid Content-Length"),
        }
    }
}
