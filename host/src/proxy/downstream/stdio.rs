//! `warden stdio`: Warden as the local process a desktop client launches.
//! Newline-delimited JSON-RPC on stdin/stdout (logs go to stderr); one
//! session, on one server or aggregated over all of them.

use std::sync::Arc;

use bytes::Bytes;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

use crate::proxy::jsonrpc::{self, Body as RpcBody, Kind, Message, code};
use crate::proxy::upstream::{ForwardHeaders, UpstreamError};
use crate::proxy::{Proxy, Route};

/// Serves one client on `input`/`output` until `input` ends.
pub async fn serve<R, W>(proxy: Arc<Proxy>, route: Route, input: R, output: W) -> Result<(), UpstreamError>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let session = proxy.open(route).await?;
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Bytes>();
    let writer = tokio::spawn(async move {
        let mut output = output;
        while let Some(line) = out_rx.recv().await {
            if output.write_all(&line).await.is_err() || output.write_all(b"\n").await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    });
    let unsolicited = {
        let session = Arc::clone(&session);
        let out = out_tx.clone();
        tokio::spawn(async move {
            let mut after = session.outbox().cursor();
            while let Some((seq, message)) = session.outbox().next_after(after).await {
                after = seq;
                if out.send(message.line()).is_err() {
                    break;
                }
            }
        })
    };
    let mut lines = BufReader::new(input);
    let mut line = Vec::new();
    let mut pending = tokio::task::JoinSet::new();
    loop {
        line.clear();
        match lines.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        while pending.try_join_next().is_some() {}
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        match jsonrpc::parse_body(Bytes::copy_from_slice(text)) {
            Ok(RpcBody::One(message)) => handle(&session, message, &out_tx, &mut pending).await,
            Ok(RpcBody::Batch(items)) => {
                for item in items {
                    match item {
                        Ok(message) => handle(&session, message, &out_tx, &mut pending).await,
                        Err(invalid) => {
                            let _ = out_tx.send(invalid.to_error().line());
                        }
                    }
                }
            }
            Err(invalid) => {
                let _ = out_tx.send(invalid.to_error().line());
            }
        }
    }
    // The client closed its input: answer what it already asked (each request
    // is bounded by its server's timeout), then end the session.
    while pending.join_next().await.is_some() {}
    proxy.close(&session.id).await;
    unsolicited.abort();
    drop(out_tx);
    let _ = writer.await;
    Ok(())
}

async fn handle(session: &Arc<crate::proxy::Session>, message: Message, out: &mpsc::UnboundedSender<Bytes>, pending: &mut tokio::task::JoinSet<()>) {
    if message.kind() != Kind::Request {
        if let Err(e) = session.deliver(message, &ForwardHeaders::default()).await {
            tracing::warn!(error = %e, "a client message could not be delivered");
        }
        return;
    }
    let id = message.id().cloned().unwrap_or(serde_json::Value::Null);
    match session.request(message, ForwardHeaders::default()).await {
        Ok(reply) => {
            let mut replies = reply.messages;
            let out = out.clone();
            pending.spawn(async move {
                while let Some(reply) = replies.recv().await {
                    if out.send(reply.line()).is_err() {
                        break;
                    }
                }
            });
        }
        Err(e) => {
            let _ = out.send(Message::error(&id, code::UPSTREAM, &format!("upstream error: {e}"), None).line());
        }
    }
}
