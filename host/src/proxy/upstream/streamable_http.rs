//! Streamable HTTP upstreams of either era. Each client message is one POST;
//! the answer is a JSON body or an SSE stream read event by event and relayed
//! as it comes. In a session, `Mcp-Session-Id` and the negotiated
//! `MCP-Protocol-Version` are kept and sent back, the GET stream is opened
//! for server-initiated messages, and the session is DELETEd at the end. On
//! the shared (2026-07-28) connection every POST stands alone and the client's
//! `MCP-Protocol-Version`/`Mcp-*` headers are forwarded.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use parking_lot::Mutex;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{ForwardHeaders, LinkMode, Replies, UpstreamError, cancelled};
use crate::config::ServerConfig;
use crate::proxy::jsonrpc::{Kind, Message};

pub const SESSION_HEADER: &str = "mcp-session-id";
pub const VERSION_HEADER: &str = "mcp-protocol-version";
const ACCEPT_BOTH: &str = "application/json, text/event-stream";
/// Attempts to reopen a dropped GET stream before giving up on it.
const GET_STREAM_RETRIES: u32 = 5;

pub struct HttpLink {
    server: Arc<ServerConfig>,
    client: reqwest::Client,
    url: reqwest::Url,
    mode: LinkMode,
    session_id: Mutex<Option<String>>,
    protocol_version: Arc<Mutex<Option<String>>>,
    unsolicited_tx: mpsc::Sender<Message>,
    unsolicited_rx: Mutex<Option<mpsc::Receiver<Message>>>,
    get_stream: Mutex<Option<JoinHandle<()>>>,
}

impl HttpLink {
    pub fn new(server: Arc<ServerConfig>, client: reqwest::Client, mode: LinkMode) -> Result<HttpLink, UpstreamError> {
        let (tx, rx) = mpsc::channel(1024);
        let text = server.url.clone().unwrap_or_default();
        let url = reqwest::Url::parse(&text).map_err(|e| UpstreamError::Config(format!("url `{text}`: {e}")))?;
        Ok(HttpLink {
            url,
            server,
            client,
            mode,
            session_id: Mutex::new(None),
            protocol_version: Arc::new(Mutex::new(None)),
            unsolicited_tx: tx,
            unsolicited_rx: Mutex::new(Some(rx)),
            get_stream: Mutex::new(None),
        })
    }

    pub fn take_unsolicited(&self) -> Option<mpsc::Receiver<Message>> {
        self.unsolicited_rx.lock().take()
    }

    fn session_headers(&self, mut request: reqwest::RequestBuilder, forwarded: &ForwardHeaders) -> reqwest::RequestBuilder {
        let own_version = self.protocol_version.lock().clone();
        if let Some(id) = self.session_id.lock().clone() {
            request = request.header(SESSION_HEADER, id);
        }
        for (name, value) in &forwarded.0 {
            if own_version.is_some() && name.eq_ignore_ascii_case(VERSION_HEADER) {
                continue;
            }
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(version) = own_version {
            request = request.header(VERSION_HEADER, version);
        }
        request
    }

    async fn post(&self, message: &Message, forwarded: &ForwardHeaders) -> Result<reqwest::Response, UpstreamError> {
        let request = self
            .client
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, ACCEPT_BOTH)
            .body(message.raw().clone());
        let response = self
            .session_headers(request, forwarded)
            .send()
            .await
                .map_err(|e| UpstreamError::Connect { url: self.url.to_string(), reason: error_chain(&e) })?;
        check_status(response).await
    }

    pub async fn request(&self, message: Message, forwarded: &ForwardHeaders) -> Result<(Replies, bool), UpstreamError> {
        let initialize = self.mode == LinkMode::Session && message.method() == Some("initialize");
        let response = self.post(&message, forwarded).await?;
        if initialize && let Some(id) = response.headers().get(SESSION_HEADER).and_then(|v| v.to_str().ok()) {
            *self.session_id.lock() = Some(id.to_string());
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
        let streamed = content_type.starts_with("text/event-stream");
        if streamed {
            let id = message.id().cloned().unwrap_or(Value::Null);
            let version = initialize.then(|| Arc::clone(&self.protocol_version));
            tokio::spawn(relay_events(response, id, tx, version, self.server.name.clone()));
        } else if content_type.starts_with("application/json") {
            let body = response.bytes().await.map_err(|e| UpstreamError::Connect { url: self.url.to_string(), reason: error_chain(&e) })?;
            let reply = Message::parse(body).map_err(|e| UpstreamError::Protocol(format!("the response body is not JSON-RPC: {e}")))?;
            if initialize {
                remember_version(&self.protocol_version, &reply);
            }
            let _ = tx.send(reply);
        } else if response.status().as_u16() != 202 {
            return Err(UpstreamError::Protocol(format!("unexpected content type `{content_type}`")));
        }
        Ok((rx, streamed))
    }


    pub async fn send(&self, message: Message, forwarded: &ForwardHeaders) -> Result<(), UpstreamError> {
        let initialized = self.mode == LinkMode::Session && message.method() == Some("notifications/initialized");
        let response = self.post(&message, forwarded).await?;
        drop(response);
        if initialized {
            self.open_get_stream();
        }
        Ok(())
    }

    pub async fn cancel(&self, id: &Value, reason: &str) {
        // On a shared (stateless) connection, dropping the POST is the cancel.
        if self.mode == LinkMode::Session {
            let _ = self.post(&cancelled(id, reason), &ForwardHeaders::default()).await;
        }
    }

    /// Opens the session's GET stream for server-initiated messages (a 405 means the server has none).
    fn open_get_stream(&self) {
        let Some(session_id) = self.session_id.lock().clone() else { return };
        let getter = GetStream {
            client: self.client.clone(),
            url: self.url.clone(),
            session_id,
            version: self.protocol_version.lock().clone(),
            tx: self.unsolicited_tx.clone(),
            server: self.server.name.clone(),
        };
        let handle = tokio::spawn(getter.run());
        if let Some(previous) = self.get_stream.lock().replace(handle) {
            previous.abort();
        }
    }

    pub async fn close(&self) {
        if let Some(handle) = self.get_stream.lock().take() {
            handle.abort();
        }
        let Some(id) = self.session_id.lock().take() else { return };
        let mut request = self.client.delete(self.url.clone()).header(SESSION_HEADER, id);
        if let Some(version) = self.protocol_version.lock().clone() {
            request = request.header(VERSION_HEADER, version);
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), request.send()).await;
    }
}

impl Drop for HttpLink {
    fn drop(&mut self) {
        if let Some(handle) = self.get_stream.lock().take() {
            handle.abort();
        }
    }
}

/// Keeps the version an `initialize` result negotiated.
fn remember_version(slot: &Mutex<Option<String>>, reply: &Message) {
    if let Some(version) = reply.result_value().and_then(|r| r.get("protocolVersion")).and_then(Value::as_str) {
        *slot.lock() = Some(version.to_string());
    }
}

/// Relays an SSE response until the response to `id` has passed; the
/// response to `initialize` also sets the negotiated version (`version`).
async fn relay_events(
    response: reqwest::Response,
    id: Value,
    tx: mpsc::UnboundedSender<Message>,
    version: Option<Arc<Mutex<Option<String>>>>,
    server: String,
) {
    let mut events = response.bytes_stream().eventsource();
    while let Some(event) = events.next().await {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                tracing::warn!(server = %server, error = %e, "the server's event stream broke");
                break;
            }
        };
        if event.data.trim().is_empty() || !(event.event.is_empty() || event.event == "message") {
            continue;
        }
        let message = match Message::parse(Bytes::from(event.data)) {
            Ok(message) => message,
            Err(e) => {
                tracing::warn!(server = %server, error = %e, "an event of the server's stream is not JSON-RPC");
                continue;
            }
        };
        let done = message.kind() == Kind::Response && message.id() == Some(&id);
        if done && let Some(slot) = &version {
            remember_version(slot, &message);
        }
        if tx.send(message).is_err() || done {
            break;
        }
    }
}

struct GetStream {
    client: reqwest::Client,
    url: reqwest::Url,
    session_id: String,
    version: Option<String>,
    tx: mpsc::Sender<Message>,
    server: String,
}

impl GetStream {
    async fn run(self) {
        let mut last_event_id: Option<String> = None;
        let mut failures = 0;
        while failures < GET_STREAM_RETRIES {
            let mut request = self.client.get(self.url.clone()).header(ACCEPT, "text/event-stream").header(SESSION_HEADER, &self.session_id);
            if let Some(version) = &self.version {
                request = request.header(VERSION_HEADER, version);
            }
            if let Some(id) = &last_event_id {
                request = request.header("last-event-id", id);
            }
            let response = match request.send().await {
                Ok(r) if r.status().as_u16() == 405 => return,
                Ok(r) if r.status().is_success() => r,
                Ok(r) => {
                    tracing::debug!(server = %self.server, status = r.status().as_u16(), "GET stream refused");
                    return;
                }
                Err(_) => {
                    failures += 1;
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(failures))).await;
                    continue;
                }
            };
            let mut events = response.bytes_stream().eventsource();
            while let Some(Ok(event)) = events.next().await {
                failures = 0;
                if !event.id.is_empty() {
                    last_event_id = Some(event.id.clone());
                }
                if event.data.trim().is_empty() {
                    continue;
                }
                match Message::parse(Bytes::from(event.data)) {
                    Ok(message) => {
                        if self.tx.send(message).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => tracing::warn!(server = %self.server, error = %e, "an event of the GET stream is not JSON-RPC"),
                }
            }
            failures += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Turns an HTTP error status into [`UpstreamError::Status`] with its body.
pub(super) async fn check_status(response: reqwest::Response) -> Result<reqwest::Response, UpstreamError> {
    let status = response.status().as_u16();
    if status < 400 {
        return Ok(response);
    }
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = response.bytes().await.unwrap_or_default();
    Err(UpstreamError::Status { status, content_type, body })
}

/// The error and its causes on one line ("connection refused" is in a source).
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
