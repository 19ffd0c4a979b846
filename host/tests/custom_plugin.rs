//! A new user's path through the plugin system, with the real binary: build
//! the sdk template outside the repository, drop it into the plugins directory
//! of a running `warden serve`, see it listed and scanning without a restart,
//! then break it and remove it while the gateway keeps serving.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WARDEN: &str = env!("CARGO_BIN_EXE_warden");

/// Copies `sdk/template` out of the repository, points it at this sdk, builds it.
fn build_template_outside_repo() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repo root");
    let out = tempfile::tempdir().expect("tmp").keep();
    let crate_dir = out.join("internal-hosts");
    std::fs::create_dir_all(crate_dir.join("src")).expect("mkdir");
    let manifest = std::fs::read_to_string(repo.join("sdk/template/Cargo.toml")).expect("template manifest");
    let sdk = repo.join("sdk");
    let manifest = manifest.replace("path = \"../\"", &format!("path = {:?}", sdk.display().to_string()));
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).expect("write manifest");
    std::fs::copy(repo.join("sdk/template/src/lib.rs"), crate_dir.join("src/lib.rs")).expect("copy lib.rs");
    // A target dir inside ours so repeated runs reuse the build.
    let target = repo.join("target").join("template-build");
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&crate_dir).args(["build", "--release", "--target", "wasm32-wasip2", "--target-dir"]).arg(&target);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if (key.starts_with("CARGO") && key != "CARGO_HOME") || key.starts_with("RUSTFLAGS") {
            cmd.env_remove(key);
        }
    }
    let status = cmd.status().expect("run cargo");
    assert!(status.success(), "building the template plugin failed");
    target.join("wasm32-wasip2/release/internal_hosts.wasm")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_string())
}

fn readyz(port: u16) -> Option<serde_json::Value> {
    http_get(port, "/readyz").and_then(|b| serde_json::from_str(&b).ok())
}

fn plugin_names(ready: &serde_json::Value) -> Vec<String> {
    ready["pipeline"]["plugins"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

struct Gateway(Child);

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn install(plugins: &Path, name: &str, bytes: &[u8]) {
    let tmp = plugins.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).expect("write");
    std::fs::rename(&tmp, plugins.join(name)).expect("rename");
}

#[test]
fn a_custom_detector_is_hot_loaded_and_a_broken_one_leaves_the_last_good_pipeline() {
    let wasm = build_template_outside_repo();
    let home = tempfile::tempdir().expect("tmp");
    let plugins = home.path().join("plugins");
    std::fs::create_dir_all(&plugins).expect("mkdir");
    let port = free_port();
    let config = home.path().join("warden.yaml");
    // Built-ins are compiled once into a cache shared by test runs.
    let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-cache");
    std::fs::write(
        &config,
        format!("listen: 127.0.0.1:{port}\npolicy:\n  default-action: allow\nplugins:\n  cache-dir: {}\n", cache.display()),
    )
    .expect("config");
    let log = home.path().join("warden.log");
    let child = Command::new(WARDEN)
        .args(["serve", "--config"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start warden");
    let _gateway = Gateway(child);
    wait_for("the gateway to be ready", || readyz(port).is_some());
    let first = readyz(port).expect("ready");
    assert!(!plugin_names(&first).contains(&"internal-hosts".to_string()));

    // Drop the plugin in: listed without a restart.
    install(&plugins, "internal-hosts.wasm", &std::fs::read(&wasm).expect("built plugin"));
    wait_for("the custom plugin to be loaded", || {
        readyz(port).is_some_and(|r| plugin_names(&r).contains(&"internal-hosts".to_string()))
    });
    let loaded = readyz(port).expect("ready");
    let generation = loaded["pipeline"]["generation"].as_u64().expect("generation");

    // Its findings appear in `warden scan` with the same configuration.
    let message = r#"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"primary db1.corp.internal"}]}}"#;
    let mut scan = Command::new(WARDEN)
        .args(["scan", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run scan");
    scan.stdin.take().expect("stdin").write_all(message.as_bytes()).expect("write");
    let output = scan.wait_with_output().expect("scan output");
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("scan prints JSON");
    let finding = &report["findings"][0];
    assert_eq!(finding["detector"], "internal-hosts");
    assert_eq!(finding["rule_id"], "internal-hosts.domain");
    assert_eq!(finding["spans"][0]["pointer"], "/result/content/0/text");

    // Replace it with a broken file: reported, and the last good pipeline stays.
    install(&plugins, "internal-hosts.wasm", b"\0asm garbage that is not a component");
    wait_for("the failed reload to be logged", || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("plugin failed to load") && l.contains("internal-hosts.wasm"))
    });
    let still = readyz(port).expect("still serving");
    assert_eq!(still["pipeline"]["generation"].as_u64(), Some(generation));
    assert!(plugin_names(&still).contains(&"internal-hosts".to_string()));
    assert!(http_get(port, "/healthz").is_some_and(|b| b.contains("ok")));

    // Delete it: the pipeline reloads without it.
    std::fs::remove_file(plugins.join("internal-hosts.wasm")).expect("remove");
    wait_for("the plugin to be unloaded", || {
        readyz(port).is_some_and(|r| !plugin_names(&r).contains(&"internal-hosts".to_string()))
    });
}
