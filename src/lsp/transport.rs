//! The JSON-RPC transport: frames in and out on threads of their own, and the loop that
//! hands requests to `tower-lsp-server`'s service (its `Server` does the same job, but it
//! keeps the largest frame ever read and written in its buffers for the rest of the
//! session, 3 to 4 times the size of the largest document opened, and it treats a frame it
//! cannot decode as the end of the input and exits).
//!
//! - **Input.** A plain thread reads and frames stdin (so that a pending read cannot keep
//!   the runtime from shutting down after `exit`), decodes each frame into a request or a
//!   response and hands it to the loop. A frame that is not JSON gets a parse error, one
//!   that is JSON but not a JSON-RPC message an invalid-request error (both with id
//!   `null`); the session goes on.
//! - **Output.** A plain thread serializes and writes each message, in the order sent.
//!   Besides tower's messages it takes bodies already serialized ([`Outbox`]): diagnostics
//!   are written straight from their typed form, without a `serde_json::Value` in between.
//! - **Loop.** As `tower-lsp-server`'s: requests are called in arrival order, at most four
//!   run at once, and after `exit` the loop stops reading and waits for what is in flight.
//!   Requests the server answers [`Direct`]ly (hot ones with large results, such as
//!   `documentSymbol`) skip tower's router, whose results are `serde_json::Value`s: their
//!   result is serialized straight from its LSP type.

use std::io::{BufRead, BufReader, Read, Write};

use futures::channel::mpsc as fmpsc;
use futures::{FutureExt, SinkExt, StreamExt};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::{ClientSocket, LspService};
use tower_service::Service;

/// Frames larger than this are refused (read and dropped).
pub const MAX_FRAME: usize = 512 << 20;
/// A header line longer than this is garbage.
const MAX_HEADER_LINE: u64 = 8 << 10;
/// Requests running at once (as `tower-lsp-server`'s default).
const MAX_CONCURRENCY: usize = 4;
/// Requests queued behind those before the input waits.
const REQUEST_QUEUE: usize = 100;
/// Messages queued for the output thread before senders wait.
const OUTPUT_QUEUE: usize = 64;

/// A decoded input frame.
enum Incoming {
    Request(Request),
    Response(Response),
    /// Not JSON (parse error) or not a JSON-RPC message (invalid request).
    Invalid(ErrorCode),
}

/// What the output thread writes.
enum Outgoing {
    Response(Response),
    Request(Request),
    /// A message body serialized by the sender.
    Body(Vec<u8>),
    /// Flush, acknowledge, and stop.
    Close(tokio::sync::oneshot::Sender<()>),
}

/// A handle to the output for messages the server serializes itself, straight from their
/// typed form (no `serde_json::Value` in between). They go out in the order sent, among the
/// service's own messages.
#[derive(Clone)]
pub struct Outbox(tokio::sync::mpsc::Sender<Outgoing>);

impl Outbox {
    /// The body of notification `N`, ready for [`Outbox::send`] (`None`, logged, if it
    /// cannot be serialized). Cheap to call off the async runtime (e.g. where the params
    /// were computed).
    pub fn notification<N: Notification>(params: &N::Params) -> Option<Vec<u8>> {
        #[derive(serde::Serialize)]
        struct Envelope<'a, P> {
            jsonrpc: &'static str,
            method: &'static str,
            params: &'a P,
        }
        serde_json::to_vec(&Envelope {
            jsonrpc: "2.0",
            method: N::METHOD,
            params,
        })
        .inspect_err(|e| {
            tracing::error!(method = N::METHOD, "cannot serialize a notification: {e}")
        })
        .ok()
    }

    /// Queue a serialized message body.
    pub async fn send(&self, body: Vec<u8>) {
        let _ = self.0.send(Outgoing::Body(body)).await;
    }
}

/// The JSON text of a request's result, or the error to answer with.
pub type DirectResult = std::result::Result<Vec<u8>, Error>;

/// Requests the server answers itself, serializing the result straight from its typed form
/// (tower's router builds a `serde_json::Value` of every result first: 2 ms for the outline
/// of a 1 MB capture, 10 ms at 10 MB).
pub trait Direct {
    /// The answer to `method`, or `None` to leave the request to the service (another
    /// method, or the server is not serving yet or any more, which the service answers with
    /// the right error).
    fn direct(
        &self,
        method: &str,
        params: Option<&serde_json::Value>,
    ) -> Option<futures::future::BoxFuture<'static, DirectResult>>;
}

/// The response to request `id` from a direct answer.
fn direct_response(id: Id, result: DirectResult) -> Outgoing {
    let json = match result {
        Ok(json) => json,
        Err(e) => return Outgoing::Response(Response::from_error(id, e)),
    };
    let Ok(id) = serde_json::to_vec(&id) else {
        return Outgoing::Response(Response::from_error(id, Error::internal_error()));
    };
    let mut body = Vec::with_capacity(json.len() + id.len() + 40);
    body.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    body.extend_from_slice(&id);
    body.extend_from_slice(b",\"result\":");
    body.extend_from_slice(&json);
    body.push(b'}');
    Outgoing::Body(body)
}

/// Serve LSP over a byte stream pair until the client sends `exit` or closes the input.
/// `make` builds the server from tower's client handle and the [`Outbox`].
pub async fn serve<S, R, W>(
    input: R,
    output: W,
    make: impl FnOnce(tower_lsp_server::Client, Outbox) -> S,
) where
    S: tower_lsp_server::LanguageServer + Direct,
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let (out_tx, out_rx) = tokio::sync::mpsc::channel(OUTPUT_QUEUE);
    spawn_writer(output, out_rx);
    let outbox = Outbox(out_tx.clone());
    let (service, socket) = LspService::new(|client| make(client, outbox));
    run(service, socket, read_frames(input), out_tx.clone()).await;
    let (done, flushed) = tokio::sync::oneshot::channel();
    if out_tx.send(Outgoing::Close(done)).await.is_ok() {
        let _ = flushed.await;
    }
}

async fn run<S: tower_lsp_server::LanguageServer + Direct>(
    mut service: LspService<S>,
    socket: ClientSocket,
    mut incoming: tokio::sync::mpsc::Receiver<Incoming>,
    out: tokio::sync::mpsc::Sender<Outgoing>,
) {
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, abort) = futures::stream::abortable(client_requests);
    let (mut tasks_tx, tasks_rx) = fmpsc::channel(REQUEST_QUEUE);
    // Requests and notifications from the server to the client.
    let forward = client_requests.for_each(|req| {
        let out = out.clone();
        async move {
            let _ = out.send(Outgoing::Request(req)).await;
        }
    });
    let process = tasks_rx
        .buffer_unordered(MAX_CONCURRENCY)
        .for_each(|res: Option<Outgoing>| {
            let out = out.clone();
            async move {
                if let Some(res) = res {
                    let _ = out.send(res).await;
                }
            }
        });
    let read = async {
        while let Some(msg) = incoming.recv().await {
            match msg {
                Incoming::Request(req) => {
                    // Fails once the service has exited.
                    if futures::future::poll_fn(|cx| service.poll_ready(cx))
                        .await
                        .is_err()
                    {
                        break;
                    }
                    // The server exits right after `exit`: stop reading (some clients
                    // never close its input).
                    let exit = req.method() == "exit";
                    let direct = req.id().and_then(|id| {
                        let answer = service.inner().direct(req.method(), req.params())?;
                        Some((id.clone(), answer))
                    });
                    let fut = match direct {
                        Some((id, answer)) => answer.map(|r| Some(direct_response(id, r))).boxed(),
                        None => service
                            .call(req)
                            .map(|r| match r {
                                Ok(res) => res.map(Outgoing::Response),
                                Err(e) => {
                                    tracing::error!("{e}");
                                    None
                                }
                            })
                            .boxed(),
                    };
                    if tasks_tx.send(fut).await.is_err() || exit {
                        break;
                    }
                    // Let the request just queued start before the next message comes in,
                    // as a read from a pipe would (an `exit` pipelined right behind
                    // `initialize` would otherwise cancel it before it ran).
                    tokio::task::yield_now().await;
                }
                Incoming::Response(res) => {
                    if client_responses.send(res).await.is_err() {
                        break;
                    }
                }
                Incoming::Invalid(code) => {
                    let res = Response::from_error(Id::Null, Error::new(code));
                    let _ = out.send(Outgoing::Response(res)).await;
                }
            }
        }
        tasks_tx.disconnect();
        abort.abort();
    };
    futures::join!(process, forward, read);
}

/// Decode a frame body: a request or notification, else a response, else an error to
/// answer with. A request's `method` defaults to empty, so a response also decodes as a
/// request without one: only such bodies (and responses) are read a second time, as
/// responses, which is the order tower's codec decides in. Client messages are almost all
/// requests and notifications, so a `didOpen` of megabytes is parsed once.
fn decode(body: &[u8]) -> Incoming {
    let request = match serde_json::from_slice::<Request>(body) {
        Ok(req) if !req.method().is_empty() => return Incoming::Request(req),
        other => other.ok(),
    };
    if let Ok(res) = serde_json::from_slice::<Response>(body) {
        return Incoming::Response(res);
    }
    if let Some(req) = request {
        return Incoming::Request(req);
    }
    // (Skipped strings are not checked for UTF-8: check the whole text first.)
    let json = std::str::from_utf8(body)
        .is_ok_and(|t| serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok());
    let code = if json {
        ErrorCode::InvalidRequest
    } else {
        ErrorCode::ParseError
    };
    Incoming::Invalid(code)
}

/// Read, frame and decode `input` on a thread of its own.
fn read_frames<R: Read + Send + 'static>(input: R) -> tokio::sync::mpsc::Receiver<Incoming> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Incoming>(16);
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
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let msg = decode(&body);
                if let Incoming::Invalid(code) = &msg {
                    tracing::error!(
                        len,
                        ?code,
                        start = %String::from_utf8_lossy(&body[..body.len().min(80)]),
                        "undecodable frame"
                    );
                }
                drop(body);
                if tx.blocking_send(msg).is_err() {
                    return;
                }
            }
            // End of input: dropping `tx` ends the loop.
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the input thread: {e}");
    }
    rx
}

/// Serialize and write every message on a thread of its own, until told to close. Each
/// body is allocated for its message and freed once written.
fn spawn_writer<W: Write + Send + 'static>(
    mut output: W,
    mut rx: tokio::sync::mpsc::Receiver<Outgoing>,
) {
    let spawned = std::thread::Builder::new()
        .name("lsp-output".into())
        .spawn(move || {
            let mut broken = false;
            while let Some(msg) = rx.blocking_recv() {
                let body = match msg {
                    Outgoing::Response(res) => serde_json::to_vec(&res),
                    Outgoing::Request(req) => serde_json::to_vec(&req),
                    Outgoing::Body(body) => Ok(body),
                    Outgoing::Close(done) => {
                        let _ = output.flush();
                        let _ = done.send(());
                        return;
                    }
                };
                let body = match body {
                    Ok(body) => body,
                    Err(e) => {
                        tracing::error!("cannot serialize a message: {e}");
                        continue;
                    }
                };
                if broken {
                    continue; // keep draining so that senders never block
                }
                let header = format!("Content-Length: {}\r\n\r\n", body.len());
                let written = output
                    .write_all(header.as_bytes())
                    .and_then(|()| output.write_all(&body))
                    .and_then(|()| output.flush());
                if let Err(e) = written {
                    tracing::error!("cannot write to the client: {e}");
                    broken = true;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the output thread: {e}");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn body(o: Outgoing) -> serde_json::Value {
        let bytes = match o {
            Outgoing::Body(b) => b,
            Outgoing::Response(r) => serde_json::to_vec(&r).expect("json"),
            _ => panic!("not a response"),
        };
        serde_json::from_slice(&bytes).expect("valid JSON")
    }

    #[test]
    fn direct_answers_are_json_rpc_responses() {
        let ok = body(direct_response(
            Id::Number(7),
            Ok(br#"[{"name":"x"}]"#.to_vec()),
        ));
        assert_eq!(
            ok,
            serde_json::json!({"jsonrpc": "2.0", "id": 7, "result": [{"name": "x"}]})
        );
        let id = Id::String("a\"b".into());
        let null = body(direct_response(id, Ok(b"null".to_vec())));
        assert_eq!(
            null,
            serde_json::json!({"jsonrpc": "2.0", "id": "a\"b", "result": null})
        );
        let err = body(direct_response(
            Id::Number(1),
            Err(Error::invalid_params("bad")),
        ));
        assert_eq!(err["error"]["code"], -32602);
        assert_eq!(err["id"], 1);
    }

    #[test]
    fn frames_decode_to_responses_requests_or_error_codes() {
        let res = br#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        assert!(matches!(decode(res), Incoming::Response(_)));
        let req = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert!(matches!(decode(req), Incoming::Request(_)));
        assert!(matches!(
            decode(b"{\"a\": \"\xff\"}"),
            Incoming::Invalid(ErrorCode::ParseError)
        ));
        assert!(matches!(
            decode(b"[1]"),
            Incoming::Invalid(ErrorCode::InvalidRequest)
        ));
    }
}
