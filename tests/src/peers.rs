//! Real MCP peers for the end-to-end tests, installed by `scripts/test` into
//! `tests/peers` (`npm ci`, and a Python venv with `pip install -r
//! requirements.txt`): server-everything (stdio, Streamable HTTP, legacy
//! SSE), mcp-server-time (stdio, 2026-07-28) and the Python MCP client
//! (`peers/mcp_client.py`). Everything binds to 127.0.0.1.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{GatewayDir, PLUGINS_BLOCK};

pub fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

fn installed(path: PathBuf) -> PathBuf {
    assert!(path.exists(), "{} is missing: run scripts/test (it installs the test peers with npm ci and pip)", path.display());
    path
}

/// The venv's Python, with `mcp` 2.3.0 and `mcp-server-time`.
pub fn python() -> PathBuf {
    installed(peers_dir().join(".venv/bin/python"))
}

pub fn everything_js() -> PathBuf {
    installed(peers_dir().join("node_modules/@modelcontextprotocol/server-everything/dist/index.js"))
}

pub fn time_server() -> PathBuf {
    installed(peers_dir().join(".venv/bin/mcp-server-time"))
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Waits until something accepts connections on `port`.
pub fn wait_for_port(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A child process killed when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// server-everything over HTTP (`streamableHttp` or `sse`) on a free loopback port.
pub fn start_everything(transport: &str) -> (Process, u16) {
    let port = free_port();
    let child = Command::new("node")
        .arg("--require")
        .arg(peers_dir().join("loopback.cjs"))
        .arg(everything_js())
        .arg(transport)
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs");
    let process = Process(child);
    assert!(wait_for_port(port, Duration::from_secs(20)), "server-everything {transport} did not listen on {port}");
    (process, port)
}

/// `servers:` entries for the usual peers.
pub fn everything_stdio(name: &str) -> String {
    format!(
        "  - name: {name}\n    transport: stdio\n    command: node\n    args: ['{}', stdio]\n    timeout-ms: 20000\n",
        everything_js().display()
    )
}

pub fn time_stdio(name: &str) -> String {
    format!("  - name: {name}\n    transport: stdio\n    command: '{}'\n    timeout-ms: 20000\n", time_server().display())
}

/// `tests/peers/stdio_fixture.py`: crashes, announces list changes, asks via `input_required`.
pub fn stdio_fixture(name: &str) -> String {
    format!(
        "  - name: {name}\n    transport: stdio\n    command: '{}'\n    args: ['{}']\n    timeout-ms: 10000\n",
        python().display(),
        peers_dir().join("stdio_fixture.py").display()
    )
}

pub fn http_server(name: &str, transport: &str, url: &str) -> String {
    format!("  - name: {name}\n    transport: {transport}\n    url: {url}\n    timeout-ms: 20000\n")
}

/// A running `warden serve` (the real binary) in a temporary home.
pub struct Gateway {
    pub dir: GatewayDir,
    pub port: u16,
    _process: Process,
}

impl Gateway {
    /// Starts `bin serve` with `servers` (YAML list entries) and `extra`
    /// top-level YAML (policy, proxy, pipeline), plus the given test plugins.
    pub fn start(bin: &Path, servers: &[String], extra: &str, plugins: &[&str]) -> Gateway {
        Gateway::start_with_env(bin, servers, extra, plugins, &[])
    }

    /// [`Gateway::start`] with extra environment variables for the gateway process.
    pub fn start_with_env(bin: &Path, servers: &[String], extra: &str, plugins: &[&str], env: &[(&str, &str)]) -> Gateway {
        let port = free_port();
        let mut config = format!("listen: 127.0.0.1:{port}\n{PLUGINS_BLOCK}{extra}");
        if !extra.contains("policy:") {
            config.push_str("policy:\n  default-action: allow\n");
        }
        config.push_str("servers:\n");
        for s in servers {
            config.push_str(s);
        }
        let dir = GatewayDir::new(&config, plugins);
        let log = std::fs::File::create(dir.path().join("warden.log")).expect("log file");
        let child = Command::new(bin)
            .args(["serve", "--config"])
            .arg(dir.config_path())
            .env("WARDEN_LOG", "info,warden=debug")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("warden runs");
        let mut process = Process(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while !wait_for_port(port, Duration::from_millis(200)) && Instant::now() < deadline {
            if process.0.try_wait().ok().flatten().is_some() {
                break;
            }
        }
        if !wait_for_port(port, Duration::from_millis(10)) {
            panic!("warden did not listen on {port}:\n{}", std::fs::read_to_string(dir.path().join("warden.log")).unwrap_or_default());
        }
        Gateway { dir, port, _process: process }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The gateway's log so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("warden.log")).unwrap_or_default()
    }
}

/// Runs the Python MCP client (`peers/mcp_client.py`) and returns its JSON report.
pub fn client(args: &[&str]) -> Value {
    client_with_timeout(args, Duration::from_secs(180))
}

pub fn client_with_timeout(args: &[&str], within: Duration) -> Value {
    let mut child = Command::new(python())
        .arg(peers_dir().join("mcp_client.py"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    let deadline = Instant::now() + within;
    loop {
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the MCP client did not finish within {within:?}: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("client output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("the MCP client printed no JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&output.stderr))
    })
}

/// An HTTP client for raw requests to the gateway.
pub fn http() -> reqwest::Client {
    warden::proxy::upstream::install_crypto_provider();
    reqwest::Client::new()
}
