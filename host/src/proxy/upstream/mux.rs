//! Correlation for transports that carry every message on one stream (stdio,
//! legacy SSE): responses go to the request that asked, progress to the
//! request that set the token, other server messages to the latest request in
//! flight (they are almost always about it) or, when none is, to the
//! unsolicited channel.

use std::collections::HashMap;

use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::mpsc;

use super::{LinkMode, Replies};
use crate::proxy::jsonrpc::{Kind, Message};

/// Server messages with no request to attach to are kept up to this many.
const UNSOLICITED_CAPACITY: usize = 1024;

struct Pending {
    tx: mpsc::UnboundedSender<Message>,
    /// The client's id when the upstream id was made unique.
    client_id: Option<Value>,
    token: Option<String>,
    seq: u64,
    /// A 2026-07-28 `subscriptions/listen`: receives change notifications.
    listen: bool,
}

#[derive(Default)]
struct State {
    pending: HashMap<String, Pending>,
    tokens: HashMap<String, String>,
    seq: u64,
}

pub struct Mux {
    mode: LinkMode,
    state: Mutex<State>,
    unsolicited_tx: mpsc::Sender<Message>,
    unsolicited_rx: Mutex<Option<mpsc::Receiver<Message>>>,
}

impl Mux {
    pub fn new(mode: LinkMode) -> Mux {
        let (tx, rx) = mpsc::channel(UNSOLICITED_CAPACITY);
        Mux { mode, state: Mutex::new(State::default()), unsolicited_tx: tx, unsolicited_rx: Mutex::new(Some(rx)) }
    }

    pub fn take_unsolicited(&self) -> Option<mpsc::Receiver<Message>> {
        self.unsolicited_rx.lock().take()
    }

    /// Registers a request about to be written; returns the message to write
    /// (re-identified on a shared link) and where its replies arrive.
    pub fn register(&self, message: Message) -> (Message, Replies) {
        let (tx, rx) = mpsc::unbounded_channel();
        let token = message.progress_token();
        let listen = message.method() == Some("subscriptions/listen");
        let mut state = self.state.lock();
        state.seq += 1;
        let seq = state.seq;
        let (message, client_id) = match self.mode {
            LinkMode::Session => (message, None),
            LinkMode::Shared => {
                let client_id = message.id().cloned();
                (message.with_id(Value::String(format!("warden-{seq}"))), client_id)
            }
        };
        let key = message.id_key().unwrap_or_default();
        if let Some(token) = &token {
            state.tokens.insert(token.clone(), key.clone());
        }
        state.pending.insert(key, Pending { tx, client_id, token, seq, listen });
        (message, rx)
    }

    /// Registers a request whose replies nobody reads (a replayed handshake).
    pub fn register_sink(&self, message: &Message) {
        let (tx, _) = mpsc::unbounded_channel();
        let mut state = self.state.lock();
        state.seq += 1;
        let seq = state.seq;
        state.pending.insert(message.id_key().unwrap_or_default(), Pending { tx, client_id: None, token: None, seq, listen: false });
    }

    /// Forgets the requests to cancel and returns the ids the server knows
    /// them by. In a session, the client's request `client_id`. On a shared
    /// connection client ids are ambiguous (every client has its own), so:
    /// every request whose replies nobody reads any more.
    pub fn cancel(&self, client_id: &Value) -> Vec<Value> {
        let mut state = self.state.lock();
        let keys: Vec<String> = match self.mode {
            LinkMode::Session => vec![client_id.to_string()].into_iter().filter(|k| state.pending.contains_key(k)).collect(),
            LinkMode::Shared => state.pending.iter().filter(|(_, p)| p.tx.is_closed()).map(|(k, _)| k.clone()).collect(),
        };
        let mut ids = Vec::new();
        for key in keys {
            if let Some(pending) = state.pending.remove(&key) {
                if let Some(token) = pending.token {
                    state.tokens.remove(&token);
                }
                ids.extend(serde_json::from_str::<Value>(&key).ok());
            }
        }
        ids
    }

    /// Delivers one message the server wrote.
    pub fn route(&self, message: Message) {
        let mut state = self.state.lock();
        match message.kind() {
            Kind::Response => {
                let Some(key) = message.id_key() else { return };
                let Some(pending) = state.pending.remove(&key) else {
                    tracing::debug!(id = %key, "response to no pending request dropped");
                    return;
                };
                if let Some(token) = &pending.token {
                    state.tokens.remove(token);
                }
                let message = match pending.client_id {
                    Some(id) => message.with_id(id),
                    None => message,
                };
                let _ = pending.tx.send(message);
            }
            Kind::Notification if message.method() == Some("notifications/progress") => {
                let token = message.params().and_then(|p| p.get("progressToken")).map(Value::to_string);
                let target = token.and_then(|t| state.tokens.get(&t)).and_then(|key| state.pending.get(key));
                match target {
                    Some(p) => {
                        let _ = p.tx.send(message);
                    }
                    None => self.unsolicited(message),
                }
            }
            Kind::Notification if is_session_wide(message.method().unwrap_or_default()) => {
                let listeners: Vec<_> = state.pending.values().filter(|p| p.listen).collect();
                for listener in &listeners {
                    let _ = listener.tx.send(message.clone());
                }
                if listeners.is_empty() {
                    self.unsolicited(message);
                }
            }
            Kind::Notification | Kind::Request => {
                let latest = state.pending.values().filter(|p| !p.tx.is_closed()).max_by_key(|p| p.seq);
                match latest {
                    Some(p) if self.mode == LinkMode::Session => {
                        let _ = p.tx.send(message);
                    }
                    _ => self.unsolicited(message),
                }
            }
        }
    }

    fn unsolicited(&self, message: Message) {
        if self.unsolicited_tx.try_send(message).is_err() {
            tracing::warn!("server message dropped: nobody is listening for server-initiated messages");
        }
    }

    /// The connection is gone: every pending request ends without a response.
    pub fn fail_all(&self) {
        let mut state = self.state.lock();
        state.pending.clear();
        state.tokens.clear();
    }
}

/// Notifications about the session as a whole, not about a request.
fn is_session_wide(method: &str) -> bool {
    method.ends_with("/list_changed") || method == "notifications/resources/updated"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(text: &str) -> Message {
        Message::parse(bytes::Bytes::from(text.to_string())).unwrap()
    }

    #[test]
    fn a_shared_link_makes_ids_unique_and_restores_them() {
        let mux = Mux::new(LinkMode::Shared);
        let (a, mut ra) = mux.register(msg(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#));
        let (b, mut rb) = mux.register(msg(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#));
        assert_ne!(a.id(), b.id());
        mux.route(msg(&format!(r#"{{"jsonrpc":"2.0","id":{},"result":{{"n":2}}}}"#, b.id().unwrap())));
        let reply = rb.try_recv().unwrap();
        assert_eq!(reply.id(), Some(&Value::from(1)));
        assert_eq!(reply.value()["result"]["n"], 2);
        assert!(ra.try_recv().is_err());
    }

    #[test]
    fn a_shared_link_cancels_exactly_the_abandoned_request() {
        let mux = Mux::new(LinkMode::Shared);
        let (a, ra) = mux.register(msg(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#));
        let (_b, _rb) = mux.register(msg(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#));
        drop(ra);
        assert_eq!(mux.cancel(&Value::from(1)), vec![a.id().cloned().unwrap()]);
        assert!(mux.cancel(&Value::from(1)).is_empty(), "the other client's request with the same id stays");
    }

    #[test]
    fn progress_follows_its_token_and_server_requests_the_latest_call() {
        let mux = Mux::new(LinkMode::Session);
        let (_, mut slow) = mux.register(msg(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"_meta":{"progressToken":"t"}}}"#));
        let (_, mut fast) = mux.register(msg(r#"{"jsonrpc":"2.0","id":2,"method":"tools/call"}"#));
        mux.route(msg(r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}"#));
        mux.route(msg(r#"{"jsonrpc":"2.0","id":0,"method":"sampling/createMessage","params":{}}"#));
        mux.route(msg(r#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#));
        assert_eq!(slow.try_recv().unwrap().method(), Some("notifications/progress"));
        assert_eq!(fast.try_recv().unwrap().method(), Some("sampling/createMessage"));
        let mut unsolicited = mux.take_unsolicited().unwrap();
        assert_eq!(unsolicited.try_recv().unwrap().method(), Some("notifications/tools/list_changed"));
    }
}
