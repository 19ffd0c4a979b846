//! Helpers for Warden's end-to-end tests: the test plugins built by
//! `build.rs`, temporary gateway directories, and an in-process gateway.

pub mod store;
pub mod peers;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use warden::config::Config;
use warden::pipeline::PipelineHandle;

/// A test plugin's `.wasm` (hostile, canary, deny_flagged, wrong_world), or the
/// example policy `deny-writes-after-secret`.
pub fn plugin_wasm(name: &str) -> PathBuf {
    let path = match name {
        "hostile" => env!("WARDEN_TEST_PLUGIN_HOSTILE"),
        "canary" => env!("WARDEN_TEST_PLUGIN_CANARY"),
        "deny_flagged" => env!("WARDEN_TEST_PLUGIN_DENY_FLAGGED"),
        "wrong_world" => env!("WARDEN_TEST_PLUGIN_WRONG_WORLD"),
        "deny-writes-after-secret" => env!("WARDEN_EXAMPLE_DENY_WRITES_AFTER_SECRET"),
        other => panic!("no test plugin {other}"),
    };
    PathBuf::from(path)
}

/// A temporary gateway home: `warden.yaml`, `plugins/` and `.warden/`.
pub struct GatewayDir {
    pub dir: tempfile::TempDir,
}

impl GatewayDir {
    /// Creates the directory with `config` as `warden.yaml` and the given test
    /// plugins installed. `$CACHE` in the config is replaced by a compile cache
    /// shared by all tests.
    pub fn new(config: &str, plugins: &[&str]) -> GatewayDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("plugins")).expect("plugins dir");
        let config = config.replace("$CACHE", &shared_cache_dir().display().to_string());
        std::fs::write(dir.path().join("warden.yaml"), config).expect("write config");
        let gw = GatewayDir { dir };
        for p in plugins {
            gw.install(p);
        }
        gw
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.path().join("warden.yaml")
    }

    pub fn plugins_dir(&self) -> PathBuf {
        self.path().join("plugins")
    }

    /// Installs a test plugin the way operators are told to: write a dotfile, then rename.
    pub fn install(&self, name: &str) {
        self.install_bytes(&format!("{name}.wasm"), &std::fs::read(plugin_wasm(name)).expect("test plugin built"));
    }

    pub fn install_bytes(&self, file: &str, bytes: &[u8]) {
        let tmp = self.plugins_dir().join(format!(".{file}.tmp"));
        std::fs::write(&tmp, bytes).expect("write plugin");
        std::fs::rename(&tmp, self.plugins_dir().join(file)).expect("rename plugin");
    }

    pub fn policies_dir(&self) -> PathBuf {
        self.path().join("policies")
    }

    /// Writes a policy file the way operators should: a dotfile, then rename.
    pub fn write_policy(&self, file: &str, text: &str) {
        std::fs::create_dir_all(self.policies_dir()).expect("policies dir");
        let tmp = self.policies_dir().join(format!(".{file}.tmp"));
        std::fs::write(&tmp, text).expect("write policy");
        std::fs::rename(&tmp, self.policies_dir().join(file)).expect("rename policy");
    }

    /// Copies the repository's default policy set (`policies/*.yaml`).
    pub fn install_default_policies(&self) {
        for entry in std::fs::read_dir(repo_policies()).expect("policies/") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let name = path.file_name().expect("name").to_string_lossy().into_owned();
                self.write_policy(&name, &std::fs::read_to_string(&path).expect("read policy"));
            }
        }
    }

    /// Copies a policy of `policies/examples/`.
    pub fn install_example_policy(&self, file: &str) {
        self.write_policy(file, &std::fs::read_to_string(repo_policies().join("examples").join(file)).expect("example policy"));
    }

    pub fn config(&self) -> Config {
        Config::load(&self.config_path()).expect("valid test config")
    }

    /// Builds the pipeline the way `warden serve` does.
    pub fn start(&self) -> anyhow::Result<Arc<PipelineHandle>> {
        warden::cli::start_pipeline(self.config(), Some(self.config_path()))
    }
}

/// The repository's `policies/` directory (the default policy set).
pub fn repo_policies() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("policies")
}

/// Compiled components shared by the tests (compiling is the slow part).
pub fn shared_cache_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target").join("test-cache")
}

/// The `plugins:` block tests use: no watcher, no built-ins, the shared compile cache.
pub const PLUGINS_BLOCK: &str = "plugins:\n  watch: false\n  builtins: false\n  cache-dir: $CACHE\n";

/// The same with the built-in plugins (detectors and the policy engine).
pub const PLUGINS_BLOCK_WITH_BUILTINS: &str = "plugins:\n  watch: false\n  cache-dir: $CACHE\n";

/// A JSON-RPC tool result whose text is `text`.
pub fn tool_result(text: &str) -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": text}]}}).to_string()
}

/// A plain HTTP/1.1 GET to a server on this machine: (status, content type, body).
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<(u16, String, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default();
    let chunked = head.lines().any(|l| l.to_ascii_lowercase().starts_with("transfer-encoding: chunked"));
    Ok((status, content_type, if chunked { dechunk(body) } else { body.to_string() }))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].strip_prefix("\r\n").unwrap_or(&rest[size..]);
    }
    out
}
