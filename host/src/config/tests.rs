use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("warden.yaml"), Path::new("/etc/warden"))
}

#[test]
fn an_empty_file_gives_the_embedded_defaults() {
    let config = parse("").unwrap();
    assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(config.plugins.dir, Path::new("/etc/warden/plugins"));
    assert_eq!(config.cache_dir(), Path::new("/etc/warden/.warden/cache"));
    assert_eq!(config.policy.default_action, DefaultAction::Deny);
}

#[test]
fn a_pipeline_entry_takes_every_documented_key() {
    let config = parse(
        "pipeline:\n  - name: injection\n    enabled: false\n    phases: [request, tool-listing]\n    config: {min_score: 0.5}\n    deadline-ms: 20\n    memory-mb: 16\n    on-error: closed\n    sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
    )
    .unwrap();
    let e = &config.pipeline[0].value;
    assert_eq!(e.name, "injection");
    assert!(!e.enabled);
    assert_eq!(e.phases.as_deref(), Some(&[PhaseName::Request, PhaseName::ToolListing][..]));
    assert_eq!(e.config.as_ref().and_then(|c| c.get("min_score")).and_then(|v| v.as_f64()), Some(0.5));
    assert_eq!((e.deadline_ms, e.memory_mb, e.on_error), (20, 16, OnError::Closed));
}

#[test]
fn unknown_keys_are_reported_with_their_line() {
    let err = parse("listen: 127.0.0.1:9000\npipeline:\n  - name: pii\n    deadline: 5\n").unwrap_err();
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.contains("deadline"), "{err}");
    assert!(err.to_string().starts_with("warden.yaml:4:"), "{err}");
}

#[test]
fn bad_values_are_reported_with_their_line() {
    let err = parse("pipeline:\n  - name: pii\n    on-error: sometimes\n").unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    let err = parse("pipeline:\n  - name: pii\n  - name: secrets\n    sha256: abc\n").unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.contains("sha256"), "{err}");
    let err = parse("pipeline:\n  - name: pii\n  - name: pii\n").unwrap_err();
    assert!(err.message.contains("listed twice"), "{err}");
}

#[test]
fn every_example_configuration_parses() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&examples).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
            checked += 1;
        }
    }
    assert!(checked > 0, "no example configuration found");
}

#[test]
fn the_store_defaults_to_a_sqlite_file_in_the_data_dir() {
    let config = parse("").unwrap();
    assert_eq!(config.store_location(), StoreLocation::Sqlite("/etc/warden/.warden/warden.db".into()));
    let config = parse("store:\n  url: sqlite:db/w.db\n").unwrap();
    assert_eq!(config.store_location(), StoreLocation::Sqlite("/etc/warden/db/w.db".into()));
    let config = parse("store:\n  url: postgres://warden@127.0.0.1/warden\n  schema: gw1\n").unwrap();
    assert_eq!(
        config.store_location(),
        StoreLocation::Postgres { url: "postgres://warden@127.0.0.1/warden".into(), schema: Some("gw1".into()) }
    );
}

#[test]
fn audit_keys_are_read_and_checked() {
    let config = parse(
        "audit:\n  durability: sync\n  queue-capacity: 100\n  batch-size: 10\n  max-parameter-bytes: 128\n  max-response-bytes: 256\n  retention-days: 30\n  checkpoint:\n    key-file: keys/audit.pem\n    every: 50\n",
    )
    .unwrap();
    let a = &config.audit;
    assert_eq!((a.durability, a.queue_capacity, a.batch_size, a.retention_days), (Durability::Sync, 100, 10, Some(30)));
    assert_eq!(a.checkpoint.key_file.as_deref(), Some(Path::new("/etc/warden/keys/audit.pem")));
    assert!(parse("audit:\n  retention-days: 0\n").unwrap_err().message.contains("retention-days"));
    assert!(parse("audit:\n  durability: maybe\n").is_err());
    assert!(parse("store:\n  url: mysql://x\n").unwrap_err().message.contains("store.url"));
    assert!(parse("store:\n  url: postgres://h/db\n  schema: Bad-Name\n").unwrap_err().message.contains("schema"));
    assert!(parse("store:\n  schema: s\n").unwrap_err().message.contains("postgres"));
}

#[test]
fn servers_take_every_documented_key() {
    let config = parse(
        "proxy:\n  separator: '--'\n  max-body-bytes: 2048\n  max-sessions: 10\n  session-idle-secs: 60\n  allowed-origins: [https://app.example]\n  replay-events: 10\nservers:\n  - name: local\n    transport: stdio\n    command: node\n    args: [server.js, stdio]\n    env: {PORT: '1'}\n    cwd: srv\n    timeout-ms: 500\n    tags: [dev]\n  - name: remote\n    transport: streamable-http\n    url: https://mcp.example/mcp\n    headers: {Authorization: Bearer x}\n    tls: {ca-file: ca.pem, client-cert: c.pem, client-key: k.pem}\n  - name: old\n    transport: sse\n    url: http://127.0.0.1:1/sse\n",
    )
    .unwrap();
    assert_eq!(config.proxy.separator, "--");
    assert_eq!(config.proxy.max_sessions, 10);
    let local = config.server("local").unwrap();
    assert_eq!(local.transport, TransportKind::Stdio);
    assert_eq!(local.cwd.as_deref(), Some(Path::new("/etc/warden/srv")));
    assert_eq!(local.timeout_ms, 500);
    let remote = config.server("remote").unwrap();
    assert_eq!(remote.tls.ca_file.as_deref(), Some(Path::new("/etc/warden/ca.pem")));
    assert_eq!(config.server("old").unwrap().timeout_ms, 60_000);
}

#[test]
fn bad_server_entries_are_reported_with_their_line() {
    let err = parse("servers:\n  - name: a\n    transport: stdio\n    command: x\n  - name: b\n    transport: stdio\n").unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    assert!(err.message.contains("command"), "{err}");
    let err = parse("servers:\n  - name: a__b\n    transport: stdio\n    command: x\n").unwrap_err();
    assert!(err.message.contains("separator"), "{err}");
    let err = parse("servers:\n  - name: a\n    transport: sse\n    url: ftp://x\n").unwrap_err();
    assert!(err.message.contains("not an http"), "{err}");
    let err = parse("servers:\n  - name: a\n    transport: websocket\n").unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    let err = parse("servers:\n  - name: a\n    transport: stdio\n    command: x\n  - name: a\n    transport: stdio\n    command: y\n").unwrap_err();
    assert!(err.message.contains("twice"), "{err}");
}

/// Every `yaml` example in the operator docs is a valid configuration.
#[test]
fn the_documented_examples_parse() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let mut checked = 0;
    for file in ["configuration.md", "proxy.md"] {
        let text = std::fs::read_to_string(docs.join(file)).unwrap();
        for block in text.split("```yaml\n").skip(1) {
            let yaml = block.split("```").next().unwrap_or_default();
            if let Err(e) = parse(yaml) {
                panic!("an example in docs/{file} does not parse: {e}\n{yaml}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 2, "examples found: {checked}");
}
