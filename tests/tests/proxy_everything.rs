//! The Python MCP client reaches every tool of server-everything through
//! Warden exactly as it does directly: over a stdio upstream, Streamable
//! HTTP and legacy SSE upstreams, the legacy SSE downstream, and the
//! aggregated endpoint with a second server.

use serde_json::Value;
use warden_tests::peers::{Gateway, client, everything_js, everything_stdio, http_server, start_everything, time_stdio};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn tools(report: &Value) -> Vec<String> {
    report["tools"].as_array().unwrap_or_else(|| panic!("no tool list: {report}")).iter().map(|t| t.as_str().unwrap_or_default().to_string()).collect()
}

/// Every call that works directly works the same way through Warden.
fn assert_same_outcomes(direct: &Value, proxied: &Value, prefix: &str) {
    let calls = direct["calls"].as_object().expect("direct calls");
    for (name, expected) in calls {
        let got = &proxied["calls"][format!("{prefix}{name}")];
        assert_eq!(got["ok"], expected["ok"], "{name}: direct {expected} vs warden {got}");
        assert_eq!(got["is_error"], expected["is_error"], "{name}: direct {expected} vs warden {got}");
        assert_eq!(got["content_types"], expected["content_types"], "{name}: direct {expected} vs warden {got}");
    }
    for deterministic in ["echo", "get-sum", "get-resource-reference", "trigger-sampling-request"] {
        assert_eq!(proxied["calls"][format!("{prefix}{deterministic}")]["text"], direct["calls"][deterministic]["text"], "{deterministic}");
    }
}

fn assert_interactive_tools_worked(report: &Value) {
    let counts = &report["counts"];
    assert!(counts["sampling"].as_u64() >= Some(1), "the server's sampling request reached the client: {counts}");
    assert!(counts["elicitation"].as_u64() >= Some(1), "elicitation reached the client: {counts}");
    assert!(counts["roots"].as_u64() >= Some(1), "roots/list reached the client: {counts}");
    assert!(counts["progress"].as_u64() >= Some(2), "progress notifications reached the client: {counts}");
}

#[test]
fn every_tool_works_through_warden_as_it_does_directly_over_stdio() {
    let js = everything_js().display().to_string();
    let direct = client(&["--stdio", "node", &js, "stdio"]);
    let gateway = Gateway::start(BIN.as_ref(), &[everything_stdio("everything")], "", &[]);
    let proxied = client(&["--url", &gateway.url("/mcp/everything")]);
    assert_eq!(tools(&proxied), tools(&direct), "{}", gateway.log());
    assert!(tools(&direct).len() >= 16, "server-everything lists its capability-dependent tools: {direct}");
    assert_eq!(proxied["protocol_version"], direct["protocol_version"]);
    assert_same_outcomes(&direct, &proxied, "");
    assert_interactive_tools_worked(&proxied);
    assert_eq!(proxied["prompts"], direct["prompts"]);
    assert_eq!(proxied["resources"], direct["resources"]);
    assert_eq!(proxied["read"], 1);
}

#[test]
fn streamable_http_and_legacy_sse_upstreams_and_the_legacy_sse_downstream() {
    let (_http, http_port) = start_everything("streamableHttp");
    let (_sse, sse_port) = start_everything("sse");
    let gateway = Gateway::start(
        BIN.as_ref(),
        &[
            http_server("remote", "streamable-http", &format!("http://127.0.0.1:{http_port}/mcp")),
            http_server("legacy", "sse", &format!("http://127.0.0.1:{sse_port}/sse")),
        ],
        "",
        &[],
    );
    let direct = client(&["--url", &format!("http://127.0.0.1:{http_port}/mcp")]);
    let via_http = client(&["--url", &gateway.url("/mcp/remote")]);
    assert_eq!(tools(&via_http), tools(&direct), "{}", gateway.log());
    assert_same_outcomes(&direct, &via_http, "");
    assert_interactive_tools_worked(&via_http);

    let via_sse_upstream = client(&["--url", &gateway.url("/mcp/legacy")]);
    assert_eq!(tools(&via_sse_upstream), tools(&direct), "{}", gateway.log());
    assert_same_outcomes(&direct, &via_sse_upstream, "");

    let via_sse_downstream = client(&["--sse", &gateway.url("/sse/remote")]);
    assert_eq!(tools(&via_sse_downstream), tools(&direct), "{}", gateway.log());
    assert_same_outcomes(&direct, &via_sse_downstream, "");
    assert_interactive_tools_worked(&via_sse_downstream);
}

#[test]
fn the_aggregated_endpoint_merges_two_servers_with_prefixed_names() {
    let js = everything_js().display().to_string();
    let direct = client(&["--stdio", "node", &js, "stdio"]);
    let gateway = Gateway::start(BIN.as_ref(), &[everything_stdio("everything"), time_stdio("time")], "", &[]);
    let merged = client(&["--url", &gateway.url("/mcp")]);
    let names = tools(&merged);
    for tool in tools(&direct) {
        assert!(names.contains(&format!("everything__{tool}")), "everything__{tool} missing from {names:?}\n{}", gateway.log());
    }
    assert!(names.contains(&"time__get_current_time".to_string()), "{names:?}");
    assert_eq!(merged["server"], "warden");
    assert_same_outcomes(&direct, &merged, "everything__");
    assert_interactive_tools_worked(&merged);
    let time = &merged["calls"]["time__get_current_time"];
    assert_eq!(time["ok"], true, "{merged}");
    let prompts: Vec<&str> = merged["prompts"].as_array().map(|p| p.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    assert!(prompts.contains(&"everything__simple-prompt"), "{prompts:?}");
    assert_eq!(merged["read"], 1, "a resource listed on the aggregated endpoint can be read: {merged}");

    let over_sse = client(&["--sse", &gateway.url("/sse"), "--scenario", "call", "--tool", "time__get_current_time", "--args", r#"{"timezone":"UTC"}"#]);
    assert_eq!(over_sse["call"]["ok"], true, "{over_sse}");
    assert!(over_sse["call"]["text"].as_str().unwrap_or_default().contains("UTC"), "{over_sse}");
}

#[test]
fn a_stdio_server_does_not_see_wardens_secrets() {
    let secret = [("WARDEN_TEST_SECRET", "s3cr3t-value")];
    let isolated = everything_stdio("isolated");
    let inheriting = everything_stdio("inheriting").replace("timeout-ms: 20000\n", "timeout-ms: 20000\n    inherit-env: true\n    env: {EXTRA_VAR: given}\n");
    let gateway = Gateway::start_with_env(BIN.as_ref(), &[isolated, inheriting], "", &[], &secret);
    let seen = |server: &str| {
        let report = client(&["--url", &gateway.url(&format!("/mcp/{server}")), "--scenario", "call", "--tool", "get-env"]);
        report["call"]["text"].as_str().unwrap_or_default().to_string()
    };
    let isolated = seen("isolated");
    assert!(isolated.contains("\"PATH\""), "the safe variables are passed: {isolated}");
    assert!(!isolated.contains("s3cr3t-value"), "{isolated}");
    let inheriting = seen("inheriting");
    assert!(inheriting.contains("s3cr3t-value") && inheriting.contains("given"), "inherit-env passes everything: {inheriting}");
}
