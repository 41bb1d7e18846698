//! A guard in front of the JSON-RPC transport. `tower-lsp-server`'s codec treats a frame it
//! cannot decode (malformed JSON, invalid UTF-8, JSON that is not a JSON-RPC message, an
//! unsupported `Content-Type`) as the end of the input stream: the server stops reading and
//! exits. This guard re-frames the input, drops (and logs) every frame the codec would
//! choke on, and forwards the rest unchanged, so one bad message from a client cannot kill
//! the session.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Frames larger than this are refused (read and dropped).
pub const MAX_FRAME: usize = 512 << 20;
/// A header line longer than this is garbage.
const MAX_HEADER_LINE: usize = 8 << 10;

/// Whether the codec will accept this frame body as a JSON-RPC request, notification or
/// response.
pub fn is_valid_message(body: &[u8]) -> bool {
    serde_json::from_slice::<Request>(body).is_ok()
        || serde_json::from_slice::<Response>(body).is_ok()
}

/// Read LSP frames from `input` and forward the decodable ones to the returned stream.
/// Must be called inside a tokio runtime (it spawns the forwarding task).
pub fn guard_input<R: AsyncRead + Unpin + Send + 'static>(input: R) -> DuplexStream {
    let (mut tx, rx) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut r = BufReader::with_capacity(1 << 16, input);
        loop {
            let Some(len) = read_headers(&mut r).await else {
                return; // EOF: dropping `tx` ends the server's input.
            };
            if len > MAX_FRAME {
                tracing::error!(len, "dropping an oversized frame");
                let skipped =
                    tokio::io::copy(&mut (&mut r).take(len as u64), &mut tokio::io::sink()).await;
                if skipped.map_or(true, |n| n < len as u64) {
                    return;
                }
                continue;
            }
            let mut body = vec![0; len];
            if r.read_exact(&mut body).await.is_err() {
                return;
            }
            if !is_valid_message(&body) {
                tracing::error!(
                    len,
                    start = %String::from_utf8_lossy(&body[..body.len().min(80)]),
                    "dropping a frame that is not a JSON-RPC message"
                );
                continue;
            }
            let header = format!("Content-Length: {len}\r\n\r\n");
            if tx.write_all(header.as_bytes()).await.is_err() || tx.write_all(&body).await.is_err()
            {
                return;
            }
        }
    });
    rx
}

/// Read one header block; return its `Content-Length`. Header blocks without one are
/// skipped. `None` at end of input.
async fn read_headers<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> Option<usize> {
    loop {
        let mut len = None;
        let mut seen_header = false;
        loop {
            let mut line = Vec::new();
            let n = (&mut *r)
                .take(MAX_HEADER_LINE as u64)
                .read_until(b'\n', &mut line)
                .await
                .ok()?;
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
