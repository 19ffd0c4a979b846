//! Policies act on proxied traffic: a denied message never reaches its
//! destination, and the client gets a JSON-RPC error with the request's id
//! and a clear reason — at the request, response and server-request phases.

use serde_json::Value;
use warden_tests::peers::{Gateway, client, everything_stdio, stdio_fixture};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

/// The canary detector at `phase`, judged by the deny-flagged policy, deny-by-default.
fn gateway(phase: &str) -> Gateway {
    let extra = format!("policy:\n  default-action: deny\npipeline:\n  - name: canary\n    phases: [{phase}]\n  - name: deny-flagged\n");
    Gateway::start(BIN.as_ref(), &[everything_stdio("everything"), stdio_fixture("fixture")], &extra, &["canary", "deny_flagged"])
}

fn call(gateway: &Gateway, tool: &str, args: &str) -> Value {
    client(&["--url", &gateway.url("/mcp/everything"), "--scenario", "call", "--tool", tool, "--args", args])
}

fn assert_denied(report: &Value) {
    let call = &report["call"];
    assert_eq!(call["ok"], false, "{report}");
    assert_eq!(call["code"], -32001, "{report}");
    assert!(call["error"].as_str().unwrap_or_default().starts_with("Denied by Warden:"), "{report}");
    assert_eq!(call["data"]["findings"], serde_json::json!(["test"]), "{report}");
    assert_eq!(call["data"]["policy"], "deny-flagged", "{report}");
}

#[test]
fn a_flagged_request_is_denied_and_a_clean_one_passes() {
    let gateway = gateway("request");
    assert_denied(&call(&gateway, "echo", r#"{"message":"a canary in the mine"}"#));
    let clean = call(&gateway, "echo", r#"{"message":"all clear"}"#);
    assert_eq!(clean["call"]["text"], "Echo: all clear", "{clean}\n{}", gateway.log());
}

#[test]
fn a_flagged_response_is_replaced_by_the_error() {
    let gateway = gateway("response");
    assert_denied(&call(&gateway, "echo", r#"{"message":"a canary in the mine"}"#));
}

#[test]
fn a_flagged_sampling_request_from_the_server_never_reaches_the_client() {
    let gateway = gateway("server-request");
    let report = call(&gateway, "trigger-sampling-request", r#"{"prompt":"feed the canary","maxTokens":5}"#);
    assert_eq!(report["counts"]["sampling"], 0, "the client was never asked: {report}");
    let outcome = report["call"].to_string();
    assert!(outcome.contains("Denied by Warden"), "the server saw the denial: {report}\n{}", gateway.log());
    let clean = call(&gateway, "trigger-sampling-request", r#"{"prompt":"hello","maxTokens":5}"#);
    assert_eq!(clean["counts"]["sampling"], 1, "{clean}");

    // 2026-07-28: the server's questions come inside an `input_required` result.
    let ask = |question: &str| {
        let args = serde_json::json!({"question": question}).to_string();
        client(&["--url", &gateway.url("/mcp/fixture"), "--scenario", "call", "--tool", "ask", "--args", &args])
    };
    let flagged = ask("where is the canary?");
    assert_denied(&flagged);
    assert_eq!(flagged["counts"]["elicitation"], 0, "{flagged}");
    let clean = ask("which colour?");
    assert_eq!(clean["counts"]["elicitation"], 1, "{clean}");
}

#[test]
fn a_flagged_tool_listing_is_denied_per_server_and_left_out_of_the_aggregate() {
    let gateway = gateway("tool-listing");
    let own = client(&["--url", &gateway.url("/mcp/fixture"), "--mode", "legacy", "--scenario", "tools"]);
    let error = own["connect_error"].as_str().unwrap_or_default();
    assert!(own["tools"].is_null() && !error.is_empty(), "the listing is refused: {own}\n{}", gateway.log());
    assert!(gateway.log().contains("message denied"), "{}", gateway.log());

    let merged = client(&["--url", &gateway.url("/mcp"), "--scenario", "tools"]);
    let names: Vec<&str> = merged["tools"].as_array().map(|t| t.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
    assert!(names.contains(&"everything__echo"), "the clean server's tools stay: {merged}");
    assert!(!names.iter().any(|n| n.starts_with("fixture__")), "the flagged server's tools are left out: {merged}");
}
