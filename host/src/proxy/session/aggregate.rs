//! The aggregated endpoint's requests that Warden answers itself by asking
//! every server: `initialize`/`server/discover` (merged), the list methods
//! (merged, renamed), broadcasts, and answers of its own.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::{MAX_PAGES, Session};
use crate::pipeline::Phase;
use crate::proxy::enforce::Enforcement;
use crate::proxy::jsonrpc::{Kind, Message, code};
use crate::proxy::router::{self, Listing, Plan};
use crate::proxy::upstream::ForwardHeaders;

impl Session {
    /// Sends `message` to one link and waits for its response (server
    /// requests on the way are relayed to the client through `tx`).
    async fn ask(&self, link: usize, message: Message, headers: &ForwardHeaders, tx: &mpsc::UnboundedSender<Message>) -> Result<Message, String> {
        let target = &self.links[link];
        let timeout = target.server.config.timeout();
        let id = message.id().cloned().unwrap_or(Value::Null);
        let mut replies = match tokio::time::timeout(timeout, target.upstream.request(message, headers)).await {
            Ok(Ok((replies, _))) => replies,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => return Err(format!("no answer within {} ms", timeout.as_millis())),
        };
        loop {
            match tokio::time::timeout(timeout, replies.recv()).await {
                Err(_) => {
                    drop(replies);
                    target.upstream.cancel(&id, "timeout").await;
                    return Err(format!("no answer within {} ms", timeout.as_millis()));
                }
                Ok(None) => return Err("the server closed the connection before answering".into()),
                Ok(Some(m)) if m.kind() == Kind::Response => return Ok(m),
                Ok(Some(m)) if m.kind() == Kind::Request => {
                    if let Some(forward) = self.server_request(link, m).await {
                        let _ = tx.send(forward);
                    }
                }
                Ok(Some(m)) => {
                    let _ = tx.send(m);
                }
            }
        }
    }

    /// Aggregated endpoint: requests Warden answers by asking every server.
    pub(super) async fn answer_locally(self: Arc<Self>, plan: Plan, message: Message, headers: ForwardHeaders, tx: mpsc::UnboundedSender<Message>) {
        let id = message.id().cloned().unwrap_or(Value::Null);
        let method = message.method().unwrap_or_default().to_string();
        let reply = match plan {
            Plan::Local(result) => Message::result(&id, self.complete(result)),
            Plan::Fail { code, message } => Message::error(&id, code, &message, None),
            Plan::Broadcast => {
                let asks = self.links.iter().enumerate().filter(|(_, l)| l.alive.load(Ordering::Relaxed));
                futures_util::future::join_all(asks.map(|(i, _)| self.ask(i, message.clone(), &headers, &tx))).await;
                Message::result(&id, self.complete(json!({})))
            }
            // A session (legacy SSE, stdio, or after `initialize`) is of the
            // session era: probing servers with `server/discover` would lock
            // modern servers' connections into 2026-07-28 before `initialize`.
            Plan::Handshake if method == "server/discover" && !self.stateless => {
                Message::error(&id, code::METHOD_NOT_FOUND, "server/discover is not available in a session; send initialize", None)
            }
            Plan::Handshake => self.handshake(&method, message, &headers, &tx).await,
            Plan::TryEach => self.try_each(message, &headers, &tx).await,
            Plan::FanOut(listing) => self.fan_out(listing, message, &headers, &tx).await,
            Plan::Forward { .. } => Message::error(&id, code::INTERNAL_ERROR, "misrouted request", None),
        };
        let _ = tx.send(reply);
    }

    /// A result Warden makes up itself; 2026-07-28 requires `resultType`.
    fn complete(&self, mut result: Value) -> Value {
        if self.stateless {
            result["resultType"] = json!("complete");
        }
        result
    }

    /// Reads a resource from the first server that has it, and remembers which.
    async fn try_each(&self, message: Message, headers: &ForwardHeaders, tx: &mpsc::UnboundedSender<Message>) -> Message {
        let id = message.id().cloned().unwrap_or(Value::Null);
        let uri = message.target_name().unwrap_or_default().to_string();
        let mut last = Message::error(&id, -32002, &format!("no server has the resource `{uri}`"), None);
        for (i, link) in self.links.iter().enumerate() {
            let has_resources = link.alive.load(Ordering::Relaxed);
            if !has_resources {
                continue;
            }
            match self.ask(i, message.clone(), headers, tx).await {
                Ok(reply) if !reply.is_error() => {
                    self.resources.lock().insert(uri.clone(), i);
                    return match self.check(Phase::Response, Some(link), "resources/read", Some(&uri), &reply) {
                        Enforcement::Pass => reply,
                        Enforcement::Deny(denial) => denial.to_error(&id),
                    };
                }
                Ok(reply) => last = reply,
                Err(e) => tracing::debug!(server = %link.server.config.name, error = %e, "resources/read failed"),
            }
        }
        last
    }

    async fn handshake(&self, method: &str, message: Message, headers: &ForwardHeaders, tx: &mpsc::UnboundedSender<Message>) -> Message {
        let id = message.id().cloned().unwrap_or(Value::Null);
        let requested = message.params().and_then(|p| p.get("protocolVersion")).and_then(Value::as_str).map(str::to_string);
        let answers = futures_util::future::join_all((0..self.links.len()).map(|i| self.ask(i, message.clone(), headers, tx))).await;
        let mut results = Vec::new();
        for (i, answer) in answers.into_iter().enumerate() {
            let link = &self.links[i];
            let name = link.server.config.name.as_str();
            match answer {
                Ok(reply) if !reply.is_error() => {
                    if let Enforcement::Deny(_) = self.check(Phase::Response, Some(link), method, None, &reply) {
                        link.alive.store(false, Ordering::Relaxed);
                        continue;
                    }
                    if let Some(result) = reply.result_value() {
                        results.push((name, result.clone()));
                    }
                }
                Ok(reply) if method == "server/discover" => {
                    // One server of the old era makes the aggregate old-era:
                    // its error sends the client to `initialize`.
                    tracing::debug!(server = name, "server/discover refused; the aggregated endpoint speaks the session era");
                    return reply.with_id(id);
                }
                Ok(reply) => {
                    tracing::warn!(server = name, error = %reply.value()["error"], "{method} failed; the server is left out of this session");
                    link.alive.store(false, Ordering::Relaxed);
                }
                Err(e) => {
                    tracing::warn!(server = name, error = %e, "{method} failed; the server is left out of this session");
                    link.alive.store(false, Ordering::Relaxed);
                }
            }
        }
        if results.is_empty() {
            return Message::error(&id, code::UPSTREAM, &format!("no server answered {method}"), None);
        }
        let borrowed: Vec<(&str, &Value)> = results.iter().map(|(n, r)| (*n, r)).collect();
        Message::result(&id, router::merge_handshake(method, requested.as_deref(), &borrowed))
    }

    async fn fan_out(&self, listing: Listing, message: Message, headers: &ForwardHeaders, tx: &mpsc::UnboundedSender<Message>) -> Message {
        let id = message.id().cloned().unwrap_or(Value::Null);
        let method = message.method().unwrap_or_default().to_string();
        let pages = (0..self.links.len())
            .filter(|i| self.links[*i].alive.load(Ordering::Relaxed))
            .map(|i| self.list_all(i, &message, headers, tx, &method));
        let per_server = futures_util::future::join_all(pages).await;
        let mut items = Vec::new();
        let mut resources = HashMap::new();
        for (i, pages) in &per_server {
            let name = self.links[*i].server.config.name.as_str();
            for page in pages {
                router::merge_items(listing, *i, name, &self.core.settings.separator, page, &mut items, &mut resources);
            }
        }
        self.resources.lock().extend(resources);
        let mut result = serde_json::Map::new();
        result.insert(listing.field().to_string(), Value::Array(items));
        let pages: Vec<&Value> = per_server.iter().flat_map(|(_, pages)| pages.iter()).collect();
        router::merge_result_fields(&pages, &mut result);
        Message::result(&id, Value::Object(result))
    }

    /// Every page of one server's listing, each inspected at the tool-listing
    /// phase under the server's own names; a denied server contributes nothing.
    async fn list_all(&self, link: usize, message: &Message, headers: &ForwardHeaders, tx: &mpsc::UnboundedSender<Message>, method: &str) -> (usize, Vec<Value>) {
        let target = &self.links[link];
        let mut pages = Vec::new();
        let mut cursor: Option<Value> = None;
        for _ in 0..MAX_PAGES {
            let request = message.clone().edit(|v| {
                let params = v.as_object_mut().map(|o| o.entry("params").or_insert_with(|| json!({})));
                if let Some(Value::Object(params)) = params {
                    match &cursor {
                        Some(c) => params.insert("cursor".into(), c.clone()),
                        None => params.remove("cursor"),
                    };
                }
            });
            let reply = match self.ask(link, request, headers, tx).await {
                Ok(reply) if !reply.is_error() => reply,
                Ok(reply) => {
                    tracing::debug!(server = %target.server.config.name, error = %reply.value()["error"], "{method} failed");
                    break;
                }
                Err(e) => {
                    tracing::warn!(server = %target.server.config.name, error = %e, "{method} failed");
                    break;
                }
            };
            if let Enforcement::Deny(_) = self.check(Phase::ToolListing, Some(target), method, None, &reply) {
                return (link, Vec::new());
            }
            let Some(result) = reply.result_value() else { break };
            cursor = result.get("nextCursor").filter(|c| !c.is_null()).cloned();
            pages.push(result.clone());
            if cursor.is_none() {
                break;
            }
        }
        (link, pages)
    }
}
