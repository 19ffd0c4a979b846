//! Legacy HTTP+SSE upstreams (2024-11-05): a GET event stream whose first
//! `endpoint` event names where to POST; every reply arrives on the stream.

use std::sync::Arc;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;
use tokio::task::JoinHandle;

use super::mux::Mux;
use super::streamable_http::{check_status, error_chain};
use super::{LinkMode, Replies, UpstreamError, cancelled};
use crate::config::ServerConfig;
use crate::proxy::jsonrpc::Message;

pub struct SseLink {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    mux: Arc<Mux>,
    reader: JoinHandle<()>,
}

impl SseLink {
    /// Opens the event stream and waits for the `endpoint` event.
    pub async fn connect(server: Arc<ServerConfig>, client: reqwest::Client, mode: LinkMode) -> Result<SseLink, UpstreamError> {
        let url = server.url.clone().unwrap_or_default();
        let connect_error = |reason: String| UpstreamError::Connect { url: url.clone(), reason };
        let base = reqwest::Url::parse(&url).map_err(|e| connect_error(e.to_string()))?;
        let response = client
            .get(base.clone())
            .header(ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|e| connect_error(error_chain(&e)))?;
        let response = check_status(response).await?;
        let mut events = response.bytes_stream().eventsource();
        let endpoint = loop {
            match events.next().await {
                Some(Ok(event)) if event.event == "endpoint" => {
                    break base.join(event.data.trim()).map_err(|e| UpstreamError::Protocol(format!("bad endpoint event: {e}")))?;
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(connect_error(e.to_string())),
                None => return Err(connect_error("the event stream ended before the endpoint event".into())),
            }
        };
        let mux = Arc::new(Mux::new(mode));
        let reader_mux = Arc::clone(&mux);
        let name = server.name.clone();
        let reader = tokio::spawn(async move {
            while let Some(event) = events.next().await {
                let Ok(event) = event else { break };
                if event.event != "message" && !event.event.is_empty() {
                    continue;
                }
                match Message::parse(Bytes::from(event.data)) {
                    Ok(message) => reader_mux.route(message),
                    Err(e) => tracing::warn!(server = %name, error = %e, "an SSE event is not JSON-RPC"),
                }
            }
            tracing::info!(server = %name, "the server's event stream ended");
            reader_mux.fail_all();
        });
        Ok(SseLink { client, endpoint, mux, reader })
    }

    pub fn mux(&self) -> &Arc<Mux> {
        &self.mux
    }

    pub async fn request(&self, message: Message) -> Result<Replies, UpstreamError> {
        if self.reader.is_finished() {
            return Err(UpstreamError::Closed);
        }
        let (message, replies) = self.mux.register(message);
        self.post(&message).await?;
        Ok(replies)
    }

    pub async fn send(&self, message: Message) -> Result<(), UpstreamError> {
        if self.reader.is_finished() {
            return Err(UpstreamError::Closed);
        }
        self.post(&message).await
    }

    pub async fn cancel(&self, id: &Value, reason: &str) {
        for upstream_id in self.mux.cancel(id) {
            let _ = self.post(&cancelled(&upstream_id, reason)).await;
        }
    }

    async fn post(&self, message: &Message) -> Result<(), UpstreamError> {
        let response = self
            .client
            .post(self.endpoint.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(message.raw().clone())
            .send()
            .await
            .map_err(|e| UpstreamError::Connect { url: self.endpoint.to_string(), reason: error_chain(&e) })?;
        check_status(response).await.map(drop)
    }

    pub fn is_closed(&self) -> bool {
        self.reader.is_finished()
    }

    pub fn close(&self) {
        self.reader.abort();
        self.mux.fail_all();
    }
}

impl Drop for SseLink {
    fn drop(&mut self) {
        self.reader.abort();
    }
}
