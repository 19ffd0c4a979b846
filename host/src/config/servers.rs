//! `servers:` and `proxy:` — the MCP servers Warden fronts and how the proxy
//! behaves. Documented key by key in `docs/configuration.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// `proxy:` — settings of the MCP proxy itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProxyConfig {
    /// Joins server and tool (or prompt) names on the aggregated `/mcp`
    /// endpoint: `everything__echo` (default `__`).
    pub separator: String,
    /// Largest accepted POST body in bytes; larger bodies get HTTP 413 (default 4 MiB).
    pub max_body_bytes: usize,
    /// A session without traffic for this long is closed and its upstream
    /// connections with it (default 1800).
    pub session_idle_secs: u64,
    /// Origins allowed to call the MCP endpoints from a browser, in addition to
    /// loopback origins (`http://localhost:*`, `http://127.0.0.1:*`,
    /// `http://[::1]:*`). A request with any other `Origin` gets 403
    /// (DNS-rebinding protection). Requests without `Origin` are allowed.
    pub allowed_origins: Vec<String>,
    /// Host names (`Host` header, without port) accepted besides loopback
    /// names. When the gateway listens on a loopback address and this is
    /// empty, a request whose `Host` is not `localhost`, `127.0.0.1` or
    /// `[::1]` gets 403 (DNS rebinding: a hostile name resolving to 127.0.0.1).
    /// When it is set, `Host` must be one of these or a loopback name.
    pub allowed_hosts: Vec<String>,
    /// Most client sessions open at once (each may hold a server process);
    /// beyond it a new session gets HTTP 503 (default 1024).
    pub max_sessions: usize,
    /// Server→client events kept per session for `Last-Event-ID` resumption of
    /// the GET stream (default 256).
    pub replay_events: usize,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            separator: "__".to_string(),
            max_body_bytes: 4 * 1024 * 1024,
            session_idle_secs: 1800,
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            replay_events: 256,
            max_sessions: 1024,
        }
    }
}

/// How Warden reaches a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransportKind {
    /// A local subprocess speaking newline-delimited JSON-RPC on stdin/stdout.
    Stdio,
    /// Legacy HTTP+SSE (2024-11-05): a GET event stream plus a POST endpoint.
    Sse,
    /// Streamable HTTP, session era (2025-03-26 … 2025-11-25) or 2026-07-28.
    StreamableHttp,
}

/// `tls:` of an HTTP server entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UpstreamTls {
    /// PEM file of CA certificates trusted in addition to the public web roots.
    pub ca_file: Option<PathBuf>,
    /// PEM client certificate chain for mTLS (needs `client-key`).
    pub client_cert: Option<PathBuf>,
    /// PEM private key of `client-cert`.
    pub client_key: Option<PathBuf>,
}

/// One `servers:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerConfig {
    /// Unique name: the path of `/mcp/{name}` and the prefix of its tools on
    /// the aggregated endpoint. Letters, digits, `-` and `_`; must not contain
    /// the separator.
    pub name: String,
    /// `stdio`, `sse` or `streamable-http`.
    pub transport: TransportKind,
    /// stdio: the program to run.
    #[serde(default)]
    pub command: Option<String>,
    /// stdio: its arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// stdio: environment variables of the process. Besides these it gets
    /// only a safe set from Warden's own environment ([`INHERITED_ENV`]),
    /// unless `inherit-env` is true.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// stdio: pass Warden's whole environment to the process (default false:
    /// Warden's secrets stay out of third-party servers).
    #[serde(default)]
    pub inherit_env: bool,
    /// stdio: working directory (relative to the config file).
    #[serde(default)]
    pub cwd: Option<PathBuf>,
    /// sse / streamable-http: the endpoint URL (`http://host:port/mcp`, `…/sse`).
    #[serde(default)]
    pub url: Option<String>,
    /// sse / streamable-http: headers sent with every request (e.g. `Authorization`).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// sse / streamable-http: TLS settings.
    #[serde(default)]
    pub tls: UpstreamTls,
    /// Longest wait, in milliseconds, for the next message of a pending
    /// request (connecting included); then the client gets a JSON-RPC error
    /// (default 60000). Progress notifications restart the wait.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Labels passed to policies (`server-tags` of the policy input).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Variables a stdio server gets from Warden's environment by default (the
/// set the MCP SDKs pass to servers they launch).
pub const INHERITED_ENV: &[&str] = &["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "TMPDIR"];

fn default_timeout_ms() -> u64 {
    60_000
}

impl ServerConfig {
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    pub(super) fn resolve_paths(&mut self, base: &Path) {
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        if let Some(cwd) = &mut self.cwd {
            resolve(cwd);
        }
        for file in [&mut self.tls.ca_file, &mut self.tls.client_cert, &mut self.tls.client_key].into_iter().flatten() {
            resolve(file);
        }
    }

    /// Checks one entry; the message names the key at fault.
    pub(super) fn check(&self, separator: &str) -> Result<(), String> {
        let name = &self.name;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(format!("servers: `{name}`: a name is letters, digits, `-` and `_`"));
        }
        if !separator.is_empty() && name.contains(separator) {
            return Err(format!("servers: `{name}`: the name contains the separator `{separator}`"));
        }
        if self.timeout_ms == 0 {
            return Err(format!("servers: `{name}`: timeout-ms must be at least 1"));
        }
        match self.transport {
            TransportKind::Stdio => {
                if self.command.as_deref().is_none_or(str::is_empty) {
                    return Err(format!("servers: `{name}`: a stdio server needs `command`"));
                }
                if self.url.is_some() {
                    return Err(format!("servers: `{name}`: `url` is for sse and streamable-http servers"));
                }
            }
            TransportKind::Sse | TransportKind::StreamableHttp => {
                let Some(url) = &self.url else {
                    return Err(format!("servers: `{name}`: an HTTP server needs `url`"));
                };
                match reqwest::Url::parse(url) {
                    Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {}
                    _ => return Err(format!("servers: `{name}`: url `{url}` is not an http(s) URL")),
                }
                if self.command.is_some() || !self.args.is_empty() {
                    return Err(format!("servers: `{name}`: `command` and `args` are for stdio servers"));
                }
                if self.tls.client_cert.is_some() != self.tls.client_key.is_some() {
                    return Err(format!("servers: `{name}`: tls needs both client-cert and client-key"));
                }
            }
        }
        Ok(())
    }
}
