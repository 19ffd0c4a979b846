//! A server run as a subprocess: newline-delimited JSON-RPC on stdin/stdout,
//! stderr to the log. If the process exits while the connection is in use it
//! is restarted with exponential back-off, and the session's `initialize`
//! handshake is replayed so the conversation can go on.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use parking_lot::Mutex;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::{Notify, mpsc, oneshot};

use super::mux::Mux;
use super::{LinkMode, Replies, UpstreamError, cancelled};
use crate::config::ServerConfig;
use crate::proxy::jsonrpc::Message;

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// A process that ran this long before exiting restarts without delay.
const HEALTHY_RUN: Duration = Duration::from_secs(10);
/// Lines longer than this are not JSON-RPC we can use; the process is misbehaving.
const MAX_LINE: usize = 64 * 1024 * 1024;

/// The handshake of a session, replayed after a restart.
#[derive(Default)]
struct Handshake {
    initialize: Option<Message>,
    initialized: Option<Message>,
}

pub struct StdioLink {
    server: Arc<ServerConfig>,
    lines: mpsc::Sender<Bytes>,
    mux: Arc<Mux>,
    handshake: Arc<Mutex<Handshake>>,
    closed: Arc<AtomicBool>,
    shutdown: Arc<Notify>,
}

impl StdioLink {
    /// Starts the process; fails if it cannot be started at all.
    pub async fn spawn(server: Arc<ServerConfig>, mode: LinkMode) -> Result<StdioLink, UpstreamError> {
        let child = start(&server)?;
        let (lines, rx) = mpsc::channel(1024);
        let link = StdioLink {
            mux: Arc::new(Mux::new(mode)),
            server,
            lines,
            handshake: Arc::default(),
            closed: Arc::default(),
            shutdown: Arc::new(Notify::new()),
        };
        let supervisor = Supervisor {
            server: Arc::clone(&link.server),
            mux: Arc::clone(&link.mux),
            handshake: Arc::clone(&link.handshake),
            closed: Arc::clone(&link.closed),
            shutdown: Arc::clone(&link.shutdown),
        };
        tokio::spawn(supervisor.run(child, rx));
        Ok(link)
    }

    pub fn mux(&self) -> &Arc<Mux> {
        &self.mux
    }

    pub async fn request(&self, message: Message) -> Result<Replies, UpstreamError> {
        if message.method() == Some("initialize") {
            self.handshake.lock().initialize = Some(message.clone());
        }
        let (message, replies) = self.mux.register(message);
        self.write(&message).await?;
        Ok(replies)
    }

    pub async fn send(&self, message: Message) -> Result<(), UpstreamError> {
        if message.method() == Some("notifications/initialized") {
            self.handshake.lock().initialized = Some(message.clone());
        }
        self.write(&message).await
    }

    pub async fn cancel(&self, id: &Value, reason: &str) {
        for upstream_id in self.mux.cancel(id) {
            let _ = self.write(&cancelled(&upstream_id, reason)).await;
        }
    }

    async fn write(&self, message: &Message) -> Result<(), UpstreamError> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(UpstreamError::Closed);
        }
        self.lines.send(message.line()).await.map_err(|_| UpstreamError::Closed)
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.shutdown.notify_one();
        tracing::debug!(server = %self.server.name, "stdio connection closed");
    }
}

impl Drop for StdioLink {
    fn drop(&mut self) {
        self.close();
    }
}

fn start(server: &ServerConfig) -> Result<Child, UpstreamError> {
    let program = server.command.clone().unwrap_or_default();
    let mut command = Command::new(&program);
    if !server.inherit_env {
        command.env_clear();
        for name in crate::config::INHERITED_ENV {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
    }
    command
        .args(&server.args)
        .envs(&server.env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(cwd) = &server.cwd {
        command.current_dir(cwd);
    }
    command.spawn().map_err(|e| UpstreamError::Spawn { command: program, reason: e.to_string() })
}

struct Supervisor {
    server: Arc<ServerConfig>,
    mux: Arc<Mux>,
    handshake: Arc<Mutex<Handshake>>,
    closed: Arc<AtomicBool>,
    shutdown: Arc<Notify>,
}

impl Supervisor {
    async fn run(self, first: Child, mut lines: mpsc::Receiver<Bytes>) {
        let mut child = Some(first);
        let mut backoff = FIRST_BACKOFF;
        let mut restarts = 0u32;
        loop {
            let Some(mut running) = child.take() else { break };
            let started = Instant::now();
            let Some(mut stdin) = running.stdin.take() else { break };
            let (eof_tx, eof_rx) = oneshot::channel();
            if let Some(stdout) = running.stdout.take() {
                tokio::spawn(read_stdout(stdout, Arc::clone(&self.mux), self.server.name.clone(), eof_tx));
            }
            if let Some(stderr) = running.stderr.take() {
                tokio::spawn(log_stderr(stderr, self.server.name.clone()));
            }
            if restarts > 0 && !self.replay(&mut stdin).await {
                tracing::warn!(server = %self.server.name, "could not replay the handshake after a restart");
            }
            let ended = self.pump(&mut running, &mut stdin, &mut lines, eof_rx).await;
            self.mux.fail_all();
            if ended || self.closed.load(Ordering::Relaxed) {
                let _ = running.start_kill();
                break;
            }
            let _ = running.start_kill();
            if started.elapsed() > HEALTHY_RUN {
                backoff = FIRST_BACKOFF;
            }
            tracing::warn!(server = %self.server.name, delay_ms = backoff.as_millis() as u64, "server process exited; restarting");
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = self.shutdown.notified() => break,
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
            restarts += 1;
            match start(&self.server) {
                Ok(next) => child = Some(next),
                Err(e) => {
                    tracing::error!(server = %self.server.name, error = %e, "restart failed; the connection is closed");
                    break;
                }
            }
        }
        self.closed.store(true, Ordering::Relaxed);
        self.mux.fail_all();
    }

    /// Writes lines until the process ends (false) or the link is closed (true).
    async fn pump(&self, child: &mut Child, stdin: &mut ChildStdin, lines: &mut mpsc::Receiver<Bytes>, mut eof: oneshot::Receiver<()>) -> bool {
        loop {
            tokio::select! {
                line = lines.recv() => {
                    let Some(line) = line else { return true };
                    if stdin.write_all(&line).await.is_err() || stdin.write_all(b"\n").await.is_err() || stdin.flush().await.is_err() {
                        return false;
                    }
                }
                _ = &mut eof => return false,
                status = child.wait() => {
                    tracing::info!(server = %self.server.name, status = ?status.ok(), "server process exited");
                    return false;
                }
                _ = self.shutdown.notified() => return true,
            }
        }
    }

    async fn replay(&self, stdin: &mut ChildStdin) -> bool {
        let (initialize, initialized) = {
            let h = self.handshake.lock();
            (h.initialize.clone(), h.initialized.clone())
        };
        let Some(initialize) = initialize else { return true };
        let initialize = initialize.with_id(Value::String("warden-replay".into()));
        self.mux.register_sink(&initialize);
        for message in std::iter::once(initialize).chain(initialized) {
            if stdin.write_all(&message.line()).await.is_err() || stdin.write_all(b"\n").await.is_err() {
                return false;
            }
        }
        stdin.flush().await.is_ok()
    }
}

async fn read_stdout(stdout: tokio::process::ChildStdout, mux: Arc<Mux>, server: String, eof: oneshot::Sender<()>) {
    let mut reader = BufReader::with_capacity(64 * 1024, stdout);
    let mut line = Vec::with_capacity(4096);
    loop {
        line.clear();
        match (&mut reader).take(MAX_LINE as u64).read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        match Message::parse(Bytes::copy_from_slice(text)) {
            Ok(message) => mux.route(message),
            Err(e) => tracing::warn!(server = %server, error = %e, "the server wrote a line that is not JSON-RPC"),
        }
    }
    let _ = eof.send(());
}

async fn log_stderr(stderr: tokio::process::ChildStderr, server: String) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        tracing::info!(server = %server, "{line}");
    }
}

use tokio::io::AsyncReadExt;
