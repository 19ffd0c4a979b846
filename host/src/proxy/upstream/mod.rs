//! Upstream transports: how Warden reaches an MCP server. One [`Upstream`]
//! type over three transports, each in its own module, with one typed error.
//!
//! An `Upstream` is one logical connection: a session-era conversation
//! (opened by the client's `initialize`), or the shared, id-remapped
//! connection used for 2026-07-28 stateless requests.

mod http_client;
mod mux;
pub mod sse;
pub mod stdio;
pub mod streamable_http;

use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::mpsc;

pub use http_client::{build_client, install_crypto_provider};

use super::jsonrpc::Message;
use crate::config::{ServerConfig, TransportKind};

/// Messages about one request, ending with its response (then the channel closes).
pub type Replies = mpsc::UnboundedReceiver<Message>;

/// Why an upstream could not be reached or answered badly.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    #[error("cannot start `{command}`: {reason}")]
    Spawn { command: String, reason: String },
    #[error("cannot reach {url}: {reason}")]
    Connect { url: String, reason: String },
    /// An HTTP error status; status and body are passed through to the client.
    #[error("the server answered HTTP {status}")]
    Status { status: u16, content_type: Option<String>, body: Bytes },
    #[error("the server closed the connection")]
    Closed,
    #[error("protocol error: {0}")]
    Protocol(String),
    #[error("configuration: {0}")]
    Config(String),
    /// Warden's own limit (`proxy.max-sessions`) is reached; nothing was sent upstream.
    #[error("{0}")]
    Capacity(String),
}

/// Whether the connection belongs to one client session or is shared by stateless requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMode {
    /// One client's session: ids pass through unchanged, `initialize` is recorded.
    Session,
    /// Shared by concurrent stateless (2026-07-28) requests: request ids are
    /// made unique on multiplexed transports and restored on the way back.
    Shared,
}

/// HTTP headers of the client's request that a Streamable HTTP upstream must see
/// (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`, `Mcp-Param-*`).
#[derive(Debug, Clone, Default)]
pub struct ForwardHeaders(pub Vec<(String, String)>);

impl ForwardHeaders {
    /// Replaces `Mcp-Name` after the aggregated endpoint renamed the target.
    pub fn rename(&mut self, name: &str) {
        for (header, value) in &mut self.0 {
            if header.eq_ignore_ascii_case("mcp-name") {
                *value = header_value(name);
            }
        }
    }
}

/// A header value, in the `=?base64?…?=` form when it is not plain visible ASCII.
pub fn header_value(text: &str) -> String {
    use base64::Engine;
    let sentinel = text.starts_with("=?base64?") && text.ends_with("?=");
    let plain = !text.is_empty() && text.bytes().all(|b| (0x20..0x7f).contains(&b)) && !text.starts_with(' ') && !text.ends_with(' ') && !sentinel;
    if plain { text.to_string() } else { format!("=?base64?{}?=", base64::engine::general_purpose::STANDARD.encode(text)) }
}

/// A connection to one MCP server.
pub enum Upstream {
    Stdio(stdio::StdioLink),
    Sse(sse::SseLink),
    StreamableHttp(streamable_http::HttpLink),
}

impl Upstream {
    /// Opens a connection (spawns the process, opens the event stream, or
    /// prepares the HTTP client). `client` is the server's shared HTTP client.
    pub async fn connect(server: &Arc<ServerConfig>, client: Option<&reqwest::Client>, mode: LinkMode) -> Result<Upstream, UpstreamError> {
        let need_client = || client.cloned().ok_or_else(|| UpstreamError::Config("no HTTP client for this server".into()));
        let connect = async {
            match server.transport {
                TransportKind::Stdio => Ok(Upstream::Stdio(stdio::StdioLink::spawn(Arc::clone(server), mode).await?)),
                TransportKind::Sse => Ok(Upstream::Sse(sse::SseLink::connect(Arc::clone(server), need_client()?, mode).await?)),
                TransportKind::StreamableHttp => {
                    Ok(Upstream::StreamableHttp(streamable_http::HttpLink::new(Arc::clone(server), need_client()?, mode)?))
                }
            }
        };
        match tokio::time::timeout(server.timeout(), connect).await {
            Ok(result) => result,
            Err(_) => Err(UpstreamError::Connect {
                url: server.url.clone().unwrap_or_else(|| server.command.clone().unwrap_or_default()),
                reason: format!("no connection within {} ms", server.timeout_ms),
            }),
        }
    }

    /// Sends a request; what the server says about it arrives on the returned
    /// channel, ending with the response. The flag says whether the server
    /// streams its answers (SSE) rather than answering with one JSON body;
    /// stdio and legacy SSE servers count as streaming.
    pub async fn request(&self, message: Message, headers: &ForwardHeaders) -> Result<(Replies, bool), UpstreamError> {
        match self {
            Upstream::Stdio(link) => Ok((link.request(message).await?, true)),
            Upstream::Sse(link) => Ok((link.request(message).await?, true)),
            Upstream::StreamableHttp(link) => link.request(message, headers).await,
        }
    }

    /// Sends a notification, or a response to a server's request.
    pub async fn send(&self, message: Message, headers: &ForwardHeaders) -> Result<(), UpstreamError> {
        match self {
            Upstream::Stdio(link) => link.send(message).await,
            Upstream::Sse(link) => link.send(message).await,
            Upstream::StreamableHttp(link) => link.send(message, headers).await,
        }
    }

    /// Tells the server the client gave up on request `id` (the client's id).
    pub async fn cancel(&self, id: &Value, reason: &str) {
        match self {
            Upstream::Stdio(link) => link.cancel(id, reason).await,
            Upstream::Sse(link) => link.cancel(id, reason).await,
            Upstream::StreamableHttp(link) => link.cancel(id, reason).await,
        }
    }

    /// Server messages not tied to a request (the GET stream, unrelated stdio
    /// output). Yields `Some` once.
    pub fn take_unsolicited(&self) -> Option<mpsc::Receiver<Message>> {
        match self {
            Upstream::Stdio(link) => link.mux().take_unsolicited(),
            Upstream::Sse(link) => link.mux().take_unsolicited(),
            Upstream::StreamableHttp(link) => link.take_unsolicited(),
        }
    }

    /// Whether the connection is gone for good (a stdio process that could
    /// not be restarted, a legacy SSE stream that ended).
    pub fn is_closed(&self) -> bool {
        match self {
            Upstream::Stdio(link) => link.is_closed(),
            Upstream::Sse(link) => link.is_closed(),
            Upstream::StreamableHttp(_) => false,
        }
    }

    /// Ends the connection: kills the process, closes streams, DELETEs the session.
    pub async fn close(&self) {
        match self {
            Upstream::Stdio(link) => link.close(),
            Upstream::Sse(link) => link.close(),
            Upstream::StreamableHttp(link) => link.close().await,
        }
    }
}

/// The `notifications/cancelled` a client or Warden sends for `id`.
pub(crate) fn cancelled(id: &Value, reason: &str) -> Message {
    Message::notification("notifications/cancelled", serde_json::json!({"requestId": id, "reason": reason}))
}

