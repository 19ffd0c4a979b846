//! A client's conversation through Warden: the upstream connections it uses,
//! the inspection of every message at its phase, and the relaying of what
//! the servers say. Downstream transports hand messages in and take replies
//! and server-initiated messages out; they never touch an upstream.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

use super::enforce::{self, ANONYMOUS, Call, Enforcement};
use super::jsonrpc::{Kind, Message, code};
use super::outbox::Outbox;
use super::router::{self, Plan, Table};
use super::upstream::{ForwardHeaders, Replies, Upstream, UpstreamError};
use super::{Core, Route, Server};
use crate::pipeline::Phase;

mod aggregate;

/// Pages of a paginated listing followed on the aggregated endpoint.
const MAX_PAGES: usize = 50;

struct Link {
    server: Arc<Server>,
    upstream: Upstream,
    alive: AtomicBool,
}

struct InFlight {
    link: usize,
    stop: Arc<Notify>,
}

/// What comes back for a client request.
pub struct Reply {
    /// Server requests and notifications about the request, then its response.
    pub messages: Replies,
    /// The server streams (SSE) rather than answering with one JSON body.
    pub streamed: bool,
}

pub struct Session {
    pub id: String,
    core: Arc<Core>,
    route: Route,
    /// Shared by stateless (2026-07-28) requests rather than owned by one client.
    stateless: bool,
    links: Vec<Link>,
    outbox: Outbox,
    in_flight: Mutex<HashMap<String, InFlight>>,
    /// Aggregated endpoint: the id a client sees for a server's request → (link, the server's id).
    server_requests: Mutex<HashMap<String, (usize, Value)>>,
    resources: Mutex<HashMap<String, usize>>,
    next_server_request: AtomicU64,
    last_active: Mutex<Instant>,
}

impl Session {
    /// Connects to the route's servers. On the aggregated route a server that
    /// cannot be reached is left out (and logged); the others serve.
    pub(super) async fn open(core: Arc<Core>, route: Route, stateless: bool) -> Result<Arc<Session>, UpstreamError> {
        let mode = if stateless { super::upstream::LinkMode::Shared } else { super::upstream::LinkMode::Session };
        let servers: Vec<Arc<Server>> = match route {
            Route::Server(i) => core.servers.get(i).cloned().into_iter().collect(),
            Route::Aggregate => core.servers.clone(),
        };
        let attempts = futures_util::future::join_all(
            servers.iter().map(|s| async move { (Arc::clone(s), Upstream::connect(&s.config, s.client.as_ref(), mode).await) }),
        )
        .await;
        let mut links = Vec::new();
        let mut first_error = None;
        for (server, attempt) in attempts {
            match attempt {
                Ok(upstream) => links.push(Link { server, upstream, alive: AtomicBool::new(true) }),
                Err(e) => {
                    tracing::warn!(server = %server.config.name, error = %e, "upstream unavailable");
                    first_error.get_or_insert(e);
                }
            }
        }
        if links.is_empty() || (matches!(route, Route::Server(_)) && first_error.is_some()) {
            return Err(first_error.unwrap_or(UpstreamError::Closed));
        }
        let session = Arc::new(Session {
            id: uuid::Uuid::new_v4().simple().to_string(),
            outbox: Outbox::new(core.settings.replay_events),
            core,
            route,
            stateless,
            links,
            in_flight: Mutex::new(HashMap::new()),
            server_requests: Mutex::new(HashMap::new()),
            resources: Mutex::new(HashMap::new()),
            next_server_request: AtomicU64::new(1),
            last_active: Mutex::new(Instant::now()),
        });
        for (i, link) in session.links.iter().enumerate() {
            if let Some(rx) = link.upstream.take_unsolicited() {
                tokio::spawn(relay_unsolicited(Arc::downgrade(&session), i, rx));
            }
        }
        Ok(session)
    }

    pub fn route(&self) -> Route {
        self.route
    }

    /// Every upstream connection is gone for good.
    pub fn is_broken(&self) -> bool {
        self.links.iter().all(|l| l.upstream.is_closed())
    }

    /// A connection shared by stateless requests (no client owns it).
    pub fn is_stateless(&self) -> bool {
        self.stateless
    }

    /// Server-initiated messages for the client (GET stream, legacy SSE, stdout).
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn idle_for(&self) -> Duration {
        self.last_active.lock().elapsed()
    }

    fn touch(&self) {
        *self.last_active.lock() = Instant::now();
    }

    /// Ends the session and its upstream connections.
    pub async fn close(&self) {
        self.outbox.close();
        for link in &self.links {
            link.upstream.close().await;
        }
    }

    fn call<'a>(&'a self, link: Option<&'a Link>, method: &'a str, tool: Option<&'a str>) -> Call<'a> {
        Call {
            session: &self.id,
            agent: ANONYMOUS,
            server: link.map(|l| l.server.config.name.as_str()).unwrap_or("*"),
            method,
            tool,
            server_tags: link.map(|l| l.server.config.tags.as_slice()).unwrap_or(&[]),
        }
    }

    /// A client request. What comes back about it (server requests,
    /// notifications, then the response) arrives on the returned channel.
    /// `Err` carries an upstream HTTP error to pass through unchanged.
    pub async fn request(self: &Arc<Self>, message: Message, mut headers: ForwardHeaders) -> Result<Reply, UpstreamError> {
        self.touch();
        let (tx, rx) = mpsc::unbounded_channel();
        let id = message.id().cloned().unwrap_or(Value::Null);
        let method = message.method().unwrap_or_default().to_string();
        let (link, message, tool) = match self.route {
            Route::Server(_) => {
                let tool = message.target_name().map(str::to_string);
                (0, message, tool)
            }
            Route::Aggregate => {
                let names: Vec<&str> = self.links.iter().map(|l| l.server.config.name.as_str()).collect();
                let plan = {
                    let resources = self.resources.lock();
                    let table = Table { names: &names, separator: &self.core.settings.separator, resources: &resources };
                    router::plan(&method, message.params(), &table)
                };
                match plan {
                    Plan::Forward { server, params, tool } => {
                        if let Some(own) = &tool {
                            headers.rename(own);
                        }
                        let message = match params {
                            Some(params) => message.edit(|v| v["params"] = params),
                            None => message,
                        };
                        (server, message, tool)
                    }
                    plan => {
                        if let Enforcement::Deny(denial) = self.check(Phase::Request, None, &method, None, &message) {
                            let _ = tx.send(denial.to_error(&id));
                            return Ok(Reply { messages: rx, streamed: false });
                        }
                        let session = Arc::clone(self);
                        tokio::spawn(async move { session.answer_locally(plan, message, headers, tx).await });
                        return Ok(Reply { messages: rx, streamed: false });
                    }
                }
            }
        };
        let Some(target) = self.links.get(link) else {
            let _ = tx.send(Message::error(&id, code::INTERNAL_ERROR, "no upstream", None));
            return Ok(Reply { messages: rx, streamed: false });
        };
        if let Enforcement::Deny(denial) = self.check(Phase::Request, Some(target), &method, tool.as_deref(), &message) {
            let _ = tx.send(denial.to_error(&id));
            return Ok(Reply { messages: rx, streamed: false });
        }
        let timeout = target.server.config.timeout();
        let sent = tokio::time::timeout(timeout, target.upstream.request(message, &headers)).await;
        let (mut replies, streamed) = match sent {
            Ok(Ok(replies)) => replies,
            Ok(Err(UpstreamError::Status { status, content_type, body })) if matches!(self.route, Route::Server(_)) => {
                return Err(UpstreamError::Status { status, content_type, body });
            }
            Ok(Err(e)) => {
                tracing::warn!(server = %target.server.config.name, method = %method, error = %e, "upstream request failed");
                let _ = tx.send(upstream_error(&id, &target.server.config.name, &e.to_string()));
                return Ok(Reply { messages: rx, streamed: false });
            }
            Err(_) => {
                target.upstream.cancel(&id, "timeout").await;
                let _ = tx.send(timeout_error(&id, &target.server.config.name, timeout));
                return Ok(Reply { messages: rx, streamed: false });
            }
        };
        if !streamed {
            // One JSON body: the answer is already here; no relay task needed.
            let answer = match replies.try_recv() {
                Ok(message) if message.kind() == Kind::Response => self.answer(target, &id, &method, tool.as_deref(), message),
                _ => upstream_error(&id, &target.server.config.name, "the server answered without a JSON-RPC response"),
            };
            let _ = tx.send(answer);
            return Ok(Reply { messages: rx, streamed });
        }
        let stop = Arc::new(Notify::new());
        let key = id.to_string();
        // Client ids are unique within a session, not across the clients of a shared connection.
        if !self.stateless {
            self.in_flight.lock().insert(key.clone(), InFlight { link, stop: Arc::clone(&stop) });
        }
        let session = Arc::clone(self);
        tokio::spawn(async move {
            session.relay(link, id, method, tool, replies, tx, stop).await;
            if !session.stateless {
                session.in_flight.lock().remove(&key);
            }
        });
        Ok(Reply { messages: rx, streamed })
    }

    fn check(&self, phase: Phase, link: Option<&Link>, method: &str, tool: Option<&str>, message: &Message) -> Enforcement {
        let pipeline = self.core.pipeline.current();
        enforce::check(&pipeline, phase, self.call(link, method, tool), message)
    }

    /// Relays one request's replies until its response, inspecting each.
    #[allow(clippy::too_many_arguments)]
    async fn relay(
        &self,
        link: usize,
        id: Value,
        method: String,
        tool: Option<String>,
        mut replies: Replies,
        tx: mpsc::UnboundedSender<Message>,
        stop: Arc<Notify>,
    ) {
        let target = &self.links[link];
        // A listen stream is quiet until something changes: no idle timeout.
        let timeout = if method == "subscriptions/listen" { Duration::from_secs(365 * 24 * 3600) } else { target.server.config.timeout() };
        let mut client_gone = false;
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout(timeout, replies.recv()) => Some(next),
                _ = tx.closed(), if !client_gone => None,
                _ = stop.notified() => return,
            };
            let Some(next) = next else {
                if self.stateless {
                    // 2026-07-28: closing the stream is the cancel signal.
                    drop(replies);
                    target.upstream.cancel(&id, "the client disconnected").await;
                    return;
                }
                // Session era: a dropped connection is not a cancel; what
                // follows goes to the session's stream.
                client_gone = true;
                continue;
            };
            let deliver = |m: Message| {
                if client_gone || tx.send(m.clone()).is_err() {
                    self.outbox.push(m);
                }
            };
            let message = match next {
                Err(_) => {
                    drop(replies);
                    target.upstream.cancel(&id, "timeout").await;
                    deliver(timeout_error(&id, &target.server.config.name, timeout));
                    return;
                }
                Ok(None) => {
                    deliver(upstream_error(&id, &target.server.config.name, "the server closed the connection before answering"));
                    return;
                }
                Ok(Some(message)) => message,
            };
            match message.kind() {
                Kind::Response => {
                    deliver(self.answer(target, &id, &method, tool.as_deref(), message));
                    return;
                }
                Kind::Request => {
                    if let Some(forward) = self.server_request(link, message).await {
                        deliver(forward);
                    }
                }
                Kind::Notification => deliver(message),
            }
        }
    }

    /// The server's response to a client request, inspected at its phase.
    fn answer(&self, target: &Link, id: &Value, method: &str, tool: Option<&str>, message: Message) -> Message {
        let phase = enforce::answer_phase(method, &message);
        match self.check(phase, Some(target), method, tool, &message) {
            Enforcement::Pass => message,
            Enforcement::Deny(denial) => denial.to_error(id),
        }
    }

    /// A request a server sends the client (sampling, elicitation, roots):
    /// inspected, and on the aggregated endpoint given an id unique to the session.
    async fn server_request(&self, link: usize, message: Message) -> Option<Message> {
        let target = &self.links[link];
        let method = message.method().unwrap_or_default().to_string();
        if let Enforcement::Deny(denial) = self.check(Phase::ServerRequest, Some(target), &method, None, &message) {
            let id = message.id().cloned().unwrap_or(Value::Null);
            if let Err(e) = target.upstream.send(denial.to_error(&id), &ForwardHeaders::default()).await {
                tracing::warn!(server = %target.server.config.name, error = %e, "could not tell the server its request was denied");
            }
            return None;
        }
        match self.route {
            Route::Server(_) => Some(message),
            Route::Aggregate => {
                let original = message.id().cloned().unwrap_or(Value::Null);
                let n = self.next_server_request.fetch_add(1, Ordering::Relaxed);
                let id = Value::String(format!("{}-{n}", target.server.config.name));
                self.server_requests.lock().insert(id.to_string(), (link, original));
                Some(message.with_id(id))
            }
        }
    }

    /// A client notification, or the client's answer to a server's request.
    pub async fn deliver(self: &Arc<Self>, message: Message, headers: &ForwardHeaders) -> Result<(), UpstreamError> {
        self.touch();
        match message.kind() {
            Kind::Response => self.deliver_answer(message, headers).await,
            _ => self.deliver_notification(message, headers).await,
        }
    }

    async fn deliver_answer(&self, message: Message, headers: &ForwardHeaders) -> Result<(), UpstreamError> {
        let (link, message) = match self.route {
            Route::Server(_) => (0, message),
            Route::Aggregate => {
                let key = message.id_key().unwrap_or_default();
                let Some((link, original)) = self.server_requests.lock().remove(&key) else {
                    tracing::debug!(id = %key, "an answer to no server request was dropped");
                    return Ok(());
                };
                (link, message.with_id(original))
            }
        };
        let Some(target) = self.links.get(link) else { return Ok(()) };
        let message = match self.check(Phase::Response, Some(target), "", None, &message) {
            Enforcement::Pass => message,
            Enforcement::Deny(denial) => denial.to_error(message.id().unwrap_or(&Value::Null)),
        };
        send_within(target, message, headers).await
    }

    async fn deliver_notification(&self, message: Message, headers: &ForwardHeaders) -> Result<(), UpstreamError> {
        if message.method() == Some("notifications/cancelled") {
            let request = message.params().and_then(|p| p.get("requestId")).map(Value::to_string).unwrap_or_default();
            let entry = self.in_flight.lock().remove(&request);
            if let Some(InFlight { link, stop }) = entry {
                stop.notify_one();
                if let Some(target) = self.links.get(link) {
                    return send_within(target, message, headers).await;
                }
            }
            return Ok(());
        }
        let mut result = Ok(());
        for link in self.links.iter().filter(|l| l.alive.load(Ordering::Relaxed)) {
            if let Err(e) = send_within(link, message.clone(), headers).await {
                tracing::debug!(server = %link.server.config.name, error = %e, "notification not delivered");
                if matches!(self.route, Route::Server(_)) {
                    result = Err(e);
                }
            }
        }
        result
    }
}

/// Pumps a link's server-initiated messages into the session's outbox.
async fn relay_unsolicited(session: Weak<Session>, link: usize, mut rx: mpsc::Receiver<Message>) {
    while let Some(message) = rx.recv().await {
        let Some(session) = session.upgrade() else { return };
        match message.kind() {
            Kind::Request => {
                if let Some(forward) = session.server_request(link, message).await {
                    session.outbox.push(forward);
                }
            }
            Kind::Notification => session.outbox.push(message),
            Kind::Response => {}
        }
    }
}

/// Sends a notification or answer, giving up after the server's timeout.
async fn send_within(link: &Link, message: Message, headers: &ForwardHeaders) -> Result<(), UpstreamError> {
    let timeout = link.server.config.timeout();
    match tokio::time::timeout(timeout, link.upstream.send(message, headers)).await {
        Ok(result) => result,
        Err(_) => Err(UpstreamError::Connect {
            url: link.server.config.name.clone(),
            reason: format!("no answer within {} ms", timeout.as_millis()),
        }),
    }
}

fn upstream_error(id: &Value, server: &str, cause: &str) -> Message {
    Message::error(id, code::UPSTREAM, &format!("upstream `{server}` failed: {cause}"), Some(json!({"server": server, "cause": cause})))
}

fn timeout_error(id: &Value, server: &str, timeout: Duration) -> Message {
    let cause = format!("no answer within {} ms", timeout.as_millis());
    Message::error(id, code::UPSTREAM, &format!("upstream `{server}` timed out: {cause}"), Some(json!({"server": server, "cause": "timeout"})))
}
