//! Hostile plugins are contained: each failure is reported with the plugin's
//! name, handled by its on-error setting, and the gateway goes on answering
//! with the other plugins' results intact.

use warden::pipeline::{ActionKind, Inspection, Pipeline};
use warden::scan::{ScanTarget, scan_message};
use warden_tests::{GatewayDir, PLUGINS_BLOCK, tool_result};

fn config(mode: &str, deadline_ms: u64) -> String {
    format!(
        "policy:\n  default-action: allow\n{PLUGINS_BLOCK}pipeline:\n  - name: hostile\n    config: {{mode: {mode}}}\n    deadline-ms: {deadline_ms}\n    memory-mb: 32\n  - name: canary\n"
    )
}

fn scan(pipeline: &Pipeline, text: &str) -> Inspection {
    let target = ScanTarget { server: "srv".into(), agent: "a".into(), session: "s".into(), ..Default::default() };
    scan_message(pipeline, &tool_result(text), &target, 0).expect("scan").1
}

/// Runs a hostile mode twice (the second call gets a fresh instance) and
/// checks that the canary's finding survives each time.
fn contained(mode: &str) -> Vec<(String, String)> {
    contained_within(mode, 50)
}

fn contained_within(mode: &str, deadline_ms: u64) -> Vec<(String, String)> {
    let gw = GatewayDir::new(&config(mode, deadline_ms), &["hostile", "canary"]);
    let handle = gw.start().expect("pipeline builds");
    let pipeline = handle.current();
    let mut failures = Vec::new();
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let inspection = scan(&pipeline, "a canary in the mine");
        // Bounded by the deadline (generous margin for a loaded CI machine).
        assert!(started.elapsed() < std::time::Duration::from_millis(deadline_ms + 5_000), "{mode}: the call hung");
        assert_eq!(inspection.scan.failures.len(), 1, "{mode}: {:?}", inspection.scan.failures);
        let failure = &inspection.scan.failures[0];
        assert_eq!(failure.plugin, "hostile");
        assert!(
            inspection.scan.findings.iter().any(|f| f.detector == "canary"),
            "{mode}: the canary's finding was lost"
        );
        assert_eq!(inspection.verdict.kind(), ActionKind::Allow, "on-error: open lets the message pass");
        failures.push((failure.error.kind().to_string(), failure.error.to_string()));
    }
    failures
}

#[test]
fn an_infinite_loop_hits_the_deadline() {
    for (kind, message) in contained("loop") {
        assert_eq!(kind, "timeout", "{message}");
        assert!(message.contains("50ms"), "{message}");
    }
}

#[test]
fn a_memory_bomb_hits_the_memory_cap() {
    for (kind, message) in contained_within("memory", 2_000) {
        assert_eq!(kind, "memory", "{message}");
        assert!(message.contains("32 MiB"), "{message}");
    }
}

#[test]
fn a_panic_is_a_trap() {
    for (kind, _) in contained("panic") {
        assert_eq!(kind, "trap");
    }
}

#[test]
fn enormous_output_is_refused() {
    for (kind, message) in contained_within("huge-output", 5_000) {
        assert!(kind == "malformed" || kind == "memory", "{kind}: {message}");
    }
}

#[test]
fn a_span_outside_the_message_is_malformed() {
    for (kind, message) in contained("bad-span") {
        assert_eq!(kind, "malformed", "{message}");
    }
}

#[test]
fn plugins_get_no_files_and_no_clock() {
    for mode in ["read-file", "clock"] {
        for (kind, message) in contained(mode) {
            assert_eq!(kind, "trap", "{mode}: {message}");
            assert!(message.contains("wasi:"), "{mode}: the trap names the refused WASI import: {message}");
        }
    }
}

#[test]
fn flooding_host_state_is_stopped() {
    for (kind, message) in contained_within("state-flood", 5_000) {
        assert_eq!(kind, "trap", "{message}");
        assert!(message.contains("state entries"), "{message}");
    }
}

#[test]
fn on_error_closed_denies_the_message() {
    let cfg = &format!("policy:\n  default-action: allow\n{PLUGINS_BLOCK}pipeline:\n  - name: hostile\n    config: {{mode: panic}}\n    on-error: closed\n");
    let gw = GatewayDir::new(cfg, &["hostile"]);
    let handle = gw.start().expect("pipeline builds");
    let inspection = scan(&handle.current(), "hello");
    assert_eq!(inspection.verdict.kind(), ActionKind::Deny);
    assert!(inspection.verdict.reason.contains("hostile"), "{}", inspection.verdict.reason);
}

#[test]
fn a_component_of_the_wrong_world_is_refused_by_name() {
    let gw = GatewayDir::new(PLUGINS_BLOCK, &["wrong_world"]);
    let err = gw.start().err().expect("refused").to_string();
    assert!(err.contains("wrong_world.wasm"), "{err}");
    assert!(err.contains("not a Warden plugin") && err.contains("wasi:cli/run"), "{err}");
}

#[test]
fn a_file_that_is_not_wasm_is_refused_by_name() {
    let gw = GatewayDir::new(PLUGINS_BLOCK, &[]);
    gw.install_bytes("notes.wasm", b"this is not webassembly");
    let err = gw.start().err().expect("refused").to_string();
    assert!(err.contains("notes.wasm") && err.contains("not a WebAssembly file"), "{err}");
}

#[test]
fn a_refused_configuration_is_reported_with_the_plugin_name() {
    let gw = GatewayDir::new(&config("refuse-config", 50), &["hostile", "canary"]);
    let err = gw.start().err().expect("refused").to_string();
    assert!(err.contains("`hostile`") && err.contains("refused on purpose"), "{err}");
}

#[test]
fn a_policy_plugin_turns_findings_into_a_decision() {
    let cfg = &format!("{PLUGINS_BLOCK}pipeline:\n  - name: canary\n  - name: deny-flagged\n");
    let gw = GatewayDir::new(cfg, &["canary", "deny_flagged"]);
    let handle = gw.start().expect("pipeline builds");
    let pipeline = handle.current();
    let flagged = scan(&pipeline, "canary");
    assert_eq!(flagged.verdict.kind(), ActionKind::Deny);
    assert!(flagged.verdict.reason.contains("test finding from canary"), "{}", flagged.verdict.reason);
    assert_eq!(scan(&pipeline, "all quiet").verdict.kind(), ActionKind::Allow);
}

#[test]
fn session_state_persists_across_calls_of_a_session() {
    let gw = GatewayDir::new(&format!("policy:\n  default-action: allow\n{PLUGINS_BLOCK}"), &["canary"]);
    let handle = gw.start().expect("pipeline builds");
    let pipeline = handle.current();
    scan(&pipeline, "one");
    scan(&pipeline, "two");
    let third = scan(&pipeline, "canary");
    let message = &third.scan.findings[0].finding.message;
    assert!(message.contains("message 3 of this session"), "{message}");
}

#[test]
fn plugins_are_preinitialized_and_snapshots_keep_their_configuration() {
    let cfg = format!("policy:\n  default-action: allow\n{PLUGINS_BLOCK}pipeline:\n  - name: hostile\n    config: {{mode: bad-span}}\n");
    let gw = GatewayDir::new(&cfg, &["hostile", "canary"]);
    let handle = gw.start().expect("pipeline builds");
    let pipeline = handle.current();
    assert!(pipeline.stages().all(|s| s.pool.is_preinitialized()), "every plugin starts from a configured snapshot");
    // A fresh instance from the snapshot behaves as configured (mode: bad-span), not as the default.
    let inspection = scan(&pipeline, "x");
    assert_eq!(inspection.scan.failures[0].error.kind(), "malformed");
}
