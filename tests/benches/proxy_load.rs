//! Load benchmark of the proxy: a fast in-process MCP upstream (Streamable
//! HTTP, JSON answers), a load generator of 64 concurrent clients calling
//! `tools/call` with 1 KB of arguments for a 4 KB result, measured directly
//! and through a real `warden serve` process in the same run.
//!
//!   cargo bench -p warden-tests --bench proxy_load
//!
//! Reports (a) Warden's CPU time per proxied call (its process CPU / calls),
//! (b) latency at a fixed open-loop rate (default 1,000 calls/s) direct and
//! through Warden, and (c) saturation throughput through Warden relative to
//! direct. Environment: BENCH_SECONDS (per phase, default 5), BENCH_RATE
//! (default 1000), BENCH_CLIENTS (default 64), BENCH_PLUGINS=1 to also run
//! with a detector and a policy plugin (the test plugins `canary` and
//! `deny_flagged`, deny-by-default) inspecting every request and response.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ---- the fast upstream -------------------------------------------------

async fn upstream(headers: HeaderMap, body: Bytes) -> Response {
    let _ = headers;
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let id = message.get("id").cloned();
    let method = message.get("method").and_then(Value::as_str).unwrap_or_default();
    let Some(id) = id else { return StatusCode::ACCEPTED.into_response() };
    let result = match method {
        "initialize" => json!({"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "bench-upstream", "version": "1"}}),
        "tools/call" => json!({"content": [{"type": "text", "text": RESULT_TEXT.as_str()}]}),
        "tools/list" => json!({"tools": [{"name": "work", "inputSchema": {"type": "object"}}]}),
        _ => json!({}),
    };
    let body = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
    ([(header::CONTENT_TYPE, "application/json"), (header::HeaderName::from_static("mcp-session-id"), "bench-session")], body).into_response()
}

static RESULT_TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| "r".repeat(4096));

async fn start_upstream() -> SocketAddr {
    let app = axum::Router::new().route("/mcp", axum::routing::post(upstream));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind upstream");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

// ---- warden ------------------------------------------------------------

struct Warden {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Warden {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Warden {
    fn start(upstream: SocketAddr, plugins: bool) -> Warden {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = warden_tests::peers::free_port();
        let plugins_dir = dir.path().join("plugins");
        std::fs::create_dir_all(&plugins_dir).expect("plugins dir");
        let (policy, pipeline) = if plugins {
            for name in ["canary", "deny_flagged"] {
                std::fs::copy(warden_tests::plugin_wasm(name), plugins_dir.join(format!("{name}.wasm"))).expect("copy plugin");
            }
            ("deny", "pipeline:\n  - name: canary\n  - name: deny-flagged\n")
        } else {
            ("allow", "")
        };
        let config = format!(
            "listen: 127.0.0.1:{port}\npolicy:\n  default-action: {policy}\nplugins:\n  watch: false\n  builtins: false\n  dir: {}\n  cache-dir: {}\n{pipeline}servers:\n  - name: bench\n    transport: streamable-http\n    url: http://{upstream}/mcp\n",
            plugins_dir.display(),
            warden_tests::shared_cache_dir().display()
        );
        std::fs::write(dir.path().join("warden.yaml"), config).expect("config");
        let child = Command::new(BIN)
            .args(["serve", "--config"])
            .arg(dir.path().join("warden.yaml"))
            .env("WARDEN_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("warden runs");
        assert!(warden_tests::peers::wait_for_port(port, Duration::from_secs(120)), "warden did not start");
        Warden { child, port, _dir: dir }
    }

    /// User + system CPU time of the process so far.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0) + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
        Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
    }
}

// ---- the load generator --------------------------------------------------

struct Target {
    http: reqwest::Client,
    url: String,
    sessions: Vec<String>,
    args: String,
}

impl Target {
    async fn connect(url: String, clients: usize) -> Target {
        let http = reqwest::Client::builder().pool_max_idle_per_host(clients * 2).tcp_nodelay(true).build().expect("client");
        let mut sessions = Vec::new();
        for i in 0..clients {
            let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": format!("bench-{i}"), "version": "1"}}});
            let response = http
                .post(&url)
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .body(init.to_string())
                .send()
                .await
                .expect("initialize");
            let session = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            let _ = response.bytes().await;
            let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string();
            let _ = http.post(&url).header("content-type", "application/json").header("mcp-session-id", &session).body(initialized).send().await;
            sessions.push(session);
        }
        let args = json!({"payload": "a".repeat(1024 - 16)}).to_string();
        Target { http, url, sessions, args }
    }

    async fn call(&self, client: usize, id: u64) -> bool {
        let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"work","arguments":{}}}}}"#, self.args);
        let response = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .header("mcp-session-id", &self.sessions[client % self.sessions.len()])
            .body(body)
            .send()
            .await;
        match response {
            Ok(r) if r.status().is_success() => r.bytes().await.is_ok_and(|b| b.len() > 4096),
            _ => false,
        }
    }
}

/// Closed loop: every client calls as fast as it can; calls per second.
async fn saturate(target: &Arc<Target>, seconds: f64) -> (f64, u64) {
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..target.sessions.len())
        .map(|client| {
            let (target, done, failed) = (Arc::clone(target), Arc::clone(&done), Arc::clone(&failed));
            tokio::spawn(async move {
                let mut id = 1;
                while Instant::now() < deadline {
                    if target.call(client, id).await { done.fetch_add(1, Ordering::Relaxed) } else { failed.fetch_add(1, Ordering::Relaxed) };
                    id += 1;
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    let calls = done.load(Ordering::Relaxed);
    (calls as f64 / started.elapsed().as_secs_f64(), failed.load(Ordering::Relaxed))
}

/// Open loop at `rate` calls/s: calls start on schedule whether or not
/// earlier ones finished.
async fn open_loop(target: &Arc<Target>, rate: f64, seconds: f64) -> (Vec<Duration>, u64) {
    let total = (rate * seconds) as u64;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let scheduled = start + interval * i as u32;
        tokio::time::sleep_until(scheduled.into()).await;
        let target = Arc::clone(target);
        tasks.push(tokio::spawn(async move {
            // Measured from the actual start: the generator's 1 ms timer
            // granularity is not the proxy's latency.
            let started = Instant::now();
            let ok = target.call(i as usize, i + 1).await;
            (ok, started.elapsed())
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    let mut failed = 0;
    for t in tasks {
        if let Ok((ok, latency)) = t.await {
            if ok { latencies.push(latency) } else { failed += 1 }
        }
    }
    latencies.sort();
    (latencies, failed)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

struct Run {
    label: &'static str,
    /// Warden's CPU while no call is made (µs per second): the floor under the per-call figures.
    idle_us_per_s: f64,
    cpu_per_call_open: f64,
    cpu_per_call_saturated: f64,
    p50: Duration,
    p99: Duration,
    throughput: f64,
}

async fn through_warden(label: &'static str, upstream: SocketAddr, plugins: bool, clients: usize, rate: f64, seconds: f64) -> Run {
    let warden = Warden::start(upstream, plugins);
    let target = Arc::new(Target::connect(format!("http://127.0.0.1:{}/mcp/bench", warden.port), clients).await);
    open_loop(&target, rate, 1.0).await; // warm-up
    let idle0 = warden.cpu();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle_us_per_s = us(warden.cpu() - idle0) / 3.0;
    let cpu0 = warden.cpu();
    let (latencies, failed_open) = open_loop(&target, rate, seconds).await;
    let cpu1 = warden.cpu();
    let (throughput, failed_sat) = saturate(&target, seconds).await;
    let cpu2 = warden.cpu();
    assert_eq!(failed_open + failed_sat, 0, "{label}: calls through Warden failed");
    let saturated_calls = throughput * seconds;
    Run {
        label,
        idle_us_per_s,
        cpu_per_call_open: us(cpu1 - cpu0) / latencies.len().max(1) as f64,
        cpu_per_call_saturated: us(cpu2 - cpu1) / saturated_calls.max(1.0),
        p50: percentile(&latencies, 0.5),
        p99: percentile(&latencies, 0.99),
        throughput,
    }
}

fn main() {
    warden::proxy::upstream::install_crypto_provider();
    let seconds: f64 = env_or("BENCH_SECONDS", 5.0);
    let rate: f64 = env_or("BENCH_RATE", 1000.0);
    let clients: usize = env_or("BENCH_CLIENTS", 64);
    let plugins = std::env::var("BENCH_PLUGINS").is_ok_and(|v| v == "1");
    // The load generator and the upstream share one runtime on 2 threads, as the machine has 2 cores.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    runtime.block_on(async move {
        let upstream = start_upstream().await;
        let direct = Arc::new(Target::connect(format!("http://{upstream}/mcp"), clients).await);
        open_loop(&direct, rate, 1.0).await;
        let (direct_latencies, failed) = open_loop(&direct, rate, seconds).await;
        assert_eq!(failed, 0, "direct calls failed");
        let (direct_throughput, _) = saturate(&direct, seconds).await;
        let (d50, d99) = (percentile(&direct_latencies, 0.5), percentile(&direct_latencies, 0.99));

        let mut runs = vec![through_warden("empty pipeline", upstream, false, clients, rate, seconds).await];
        if plugins {
            runs.push(through_warden("detector + policy plugin", upstream, true, clients, rate, seconds).await);
        }
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!("machine: {} cores, load average {}", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0), load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
        println!("proxy_load: {clients} clients, tools/call 1 KB args → 4 KB result, {seconds} s per phase, open loop at {rate} calls/s");
        println!("direct: p50 {:.0} µs, p99 {:.0} µs, saturation {:.0} calls/s", us(d50), us(d99), direct_throughput);
        for r in runs {
            println!(
                "warden ({}): idle CPU {:.0} µs/s; CPU {:.1} µs/call at {rate}/s ({:.1} net of idle), {:.1} µs/call saturated; p50 {:.0} µs (+{:.0}), p99 {:.0} µs (+{:.0}); saturation {:.0} calls/s = {:.2} of direct",
                r.label,
                r.idle_us_per_s,
                r.cpu_per_call_open,
                r.cpu_per_call_open - r.idle_us_per_s / rate,
                r.cpu_per_call_saturated,
                us(r.p50),
                us(r.p50) - us(d50),
                us(r.p99),
                us(r.p99) - us(d99),
                r.throughput,
                r.throughput / direct_throughput
            );
        }
    });
}
