//! The MCP proxy: agents connect downstream (Streamable HTTP, legacy
//! HTTP+SSE, stdio), Warden connects upstream to the configured servers
//! (stdio, legacy SSE, Streamable HTTP), and every message in between is
//! inspected by the pipeline at its phase.
//!
//! - [`jsonrpc`]: raw messages, parsed once, forwarded as received.
//! - [`enforce`]: pipeline verdict → pass or deny (the one decision point).
//! - [`session`]: one client's conversation and its upstream connections
//!   (`session/aggregate.rs`: what the aggregated endpoint answers itself).
//! - [`router`]: the aggregated endpoint's naming, routing and merging.
//! - [`upstream`]: the transports to servers, behind one `Upstream` type.
//! - [`downstream`]: the transports agents use.

pub mod downstream;
pub mod enforce;
pub mod jsonrpc;
mod outbox;
pub mod router;
pub mod session;
pub mod upstream;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use crate::config::{Config, ProxyConfig, ServerConfig, TransportKind};
use crate::pipeline::PipelineHandle;
pub use session::Session;
use upstream::UpstreamError;

/// One configured server and its HTTP client (HTTP transports only).
pub struct Server {
    pub config: Arc<ServerConfig>,
    pub client: Option<reqwest::Client>,
}

/// What every session shares.
pub struct Core {
    pub pipeline: Arc<PipelineHandle>,
    pub settings: ProxyConfig,
    /// Whether the `Host` header is checked (loopback listener or `allowed-hosts` set).
    pub check_host: bool,
    pub servers: Vec<Arc<Server>>,
}

/// Which servers an endpoint reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `/mcp/{name}`: one server, messages passed through.
    Server(usize),
    /// `/mcp`: every server, names prefixed.
    Aggregate,
}

/// The proxy: its servers and the live sessions.
pub struct Proxy {
    core: Arc<Core>,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    /// Connections shared by stateless (2026-07-28) requests, per route.
    shared: tokio::sync::Mutex<HashMap<Route, Arc<Session>>>,
}

impl Proxy {
    /// Prepares the servers of `config` (HTTP clients with their TLS settings).
    pub fn new(pipeline: Arc<PipelineHandle>, config: &Config) -> Result<Arc<Proxy>, UpstreamError> {
        let mut servers = Vec::new();
        for entry in &config.servers {
            let server = entry.value.clone();
            let client = match server.transport {
                TransportKind::Stdio => None,
                _ => Some(upstream::build_client(&server)?),
            };
            servers.push(Arc::new(Server { config: Arc::new(server), client }));
        }
        let check_host = config.listen.ip().is_loopback() || !config.proxy.allowed_hosts.is_empty();
        let core = Arc::new(Core { pipeline, settings: config.proxy.clone(), check_host, servers });
        Ok(Arc::new(Proxy { core, sessions: Mutex::new(HashMap::new()), shared: tokio::sync::Mutex::new(HashMap::new()) }))
    }

    pub fn settings(&self) -> &ProxyConfig {
        &self.core.settings
    }

    /// DNS-rebinding protection: a browser `Origin` must be loopback or
    /// listed, and the `Host` must be loopback or listed when checked.
    pub fn request_allowed(&self, headers: &axum::http::HeaderMap) -> bool {
        downstream::origin_allowed(headers, &self.core.settings.allowed_origins)
            && (!self.core.check_host || downstream::host_allowed(headers, &self.core.settings.allowed_hosts))
    }

    pub fn servers(&self) -> &[Arc<Server>] {
        &self.core.servers
    }

    /// The route of `/mcp/{name}` (or `/mcp` for `None`).
    pub fn route(&self, name: Option<&str>) -> Option<Route> {
        match name {
            None => Some(Route::Aggregate),
            Some(name) => self.core.servers.iter().position(|s| s.config.name == name).map(Route::Server),
        }
    }

    /// Opens a client session on `route`.
    pub async fn open(&self, route: Route) -> Result<Arc<Session>, UpstreamError> {
        let open = self.sessions.lock().len();
        if open >= self.core.settings.max_sessions {
            return Err(UpstreamError::Capacity(format!("too many sessions ({open}, proxy.max-sessions); try again later")));
        }
        let session = Session::open(Arc::clone(&self.core), route, false).await?;
        self.sessions.lock().insert(session.id.clone(), Arc::clone(&session));
        tracing::info!(session = %session.id, route = ?route, "session opened");
        Ok(session)
    }

    pub fn session(&self, id: &str) -> Option<Arc<Session>> {
        self.sessions.lock().get(id).cloned()
    }

    /// Ends a session; false if there was none.
    pub async fn close(&self, id: &str) -> bool {
        let session = self.sessions.lock().remove(id);
        match session {
            Some(session) => {
                session.close().await;
                tracing::info!(session = %id, "session closed");
                true
            }
            None => false,
        }
    }

    /// The shared connection for stateless requests on `route`, opened on first use.
    pub async fn shared(&self, route: Route) -> Result<Arc<Session>, UpstreamError> {
        let mut shared = self.shared.lock().await;
        if let Some(session) = shared.get(&route) {
            if !session.is_broken() {
                return Ok(Arc::clone(session));
            }
            // The shared connection died (legacy SSE stream ended, process gone): open a new one.
            session.close().await;
        }
        let session = Session::open(Arc::clone(&self.core), route, true).await?;
        shared.insert(route, Arc::clone(&session));
        Ok(session)
    }

    /// Closes sessions idle longer than `proxy.session-idle-secs`, every minute.
    pub fn spawn_reaper(self: &Arc<Self>) {
        let proxy = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(proxy) = proxy.upgrade() else { return };
                let limit = Duration::from_secs(proxy.core.settings.session_idle_secs);
                let idle: Vec<String> =
                    proxy.sessions.lock().iter().filter(|(_, s)| s.idle_for() > limit).map(|(id, _)| id.clone()).collect();
                for id in idle {
                    tracing::info!(session = %id, "closing an idle session");
                    proxy.close(&id).await;
                }
            }
        });
    }

    /// Closes every session (shutdown).
    pub async fn close_all(&self) {
        let sessions: Vec<Arc<Session>> = self.sessions.lock().drain().map(|(_, s)| s).collect();
        for session in sessions {
            session.close().await;
        }
        let shared: Vec<Arc<Session>> = self.shared.lock().await.drain().map(|(_, s)| s).collect();
        for session in shared {
            session.close().await;
        }
    }
}
