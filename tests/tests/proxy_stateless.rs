//! 2026-07-28 (stateless Streamable HTTP) through Warden: `server/discover`
//! instead of `initialize`, every request standing alone, and the mirrored
//! `Mcp-*` headers checked against the body.

use serde_json::{Value, json};
use warden_tests::peers::{Gateway, client, stdio_fixture, time_stdio};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "raw-test", "version": "1.0.0"},
        "io.modelcontextprotocol/clientCapabilities": {}
    })
}

async fn post(url: &str, headers: &[(&str, &str)], body: &Value) -> (u16, Value) {
    let mut request = warden_tests::peers::http()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(body.to_string());
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.expect("warden answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let value = text
        .lines()
        .find_map(|l| l.strip_prefix("data: ").and_then(|d| serde_json::from_str(d).ok()))
        .or_else(|| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    (status, value)
}

#[test]
fn the_python_client_speaks_2026_07_28_to_a_modern_server_through_warden() {
    let gateway = Gateway::start(BIN.as_ref(), &[time_stdio("time"), time_stdio("clock")], "", &[]);
    let report = client(&["--url", &gateway.url("/mcp/time"), "--scenario", "call", "--tool", "get_current_time", "--args", r#"{"timezone":"UTC"}"#]);
    assert_eq!(report["protocol_version"], "2026-07-28", "{report}\n{}", gateway.log());
    assert_eq!(report["call"]["ok"], true, "{report}");
    assert!(report["call"]["text"].as_str().unwrap_or_default().contains("UTC"), "{report}");

    // The aggregated endpoint over two modern servers is modern too, and
    // rewrites `Mcp-Name` along with the prefixed tool name.
    let merged = client(&["--url", &gateway.url("/mcp"), "--scenario", "call", "--tool", "clock__get_current_time", "--args", r#"{"timezone":"UTC"}"#]);
    assert_eq!(merged["protocol_version"], "2026-07-28", "{merged}\n{}", gateway.log());
    assert_eq!(merged["call"]["ok"], true, "{merged}\n{}", gateway.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stateless_requests_are_checked_header_against_body() {
    let gateway = Gateway::start(BIN.as_ref(), &[time_stdio("time")], "", &[]);
    let url = gateway.url("/mcp/time");
    let version = ("mcp-protocol-version", "2026-07-28");

    let discover = json!({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": meta()}});
    let (status, body) = post(&url, &[version, ("mcp-method", "server/discover")], &discover).await;
    assert_eq!(status, 200, "{body}\n{}", gateway.log());
    assert!(body["result"]["supportedVersions"].as_array().is_some_and(|v| v.contains(&json!("2026-07-28"))), "{body}");

    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "get_current_time", "arguments": {"timezone": "UTC"}, "_meta": meta()}});
    let (status, body) = post(&url, &[version, ("mcp-method", "tools/call"), ("mcp-name", "get_current_time")], &call).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["result"]["content"][0]["text"].as_str().unwrap_or_default().contains("UTC"), "{body}");

    let (status, body) = post(&url, &[version, ("mcp-method", "tools/call"), ("mcp-name", "convert_time")], &call).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!(-32020)), "a name header that disagrees with the body: {body}");
    assert_eq!(body["id"], 2);

    let (status, body) = post(&url, &[version, ("mcp-name", "get_current_time")], &call).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!(-32020)), "a missing Mcp-Method: {body}");

    let (status, body) = post(&url, &[("mcp-protocol-version", "2026-99-99"), ("mcp-method", "tools/call"), ("mcp-name", "get_current_time")], &call).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!(-32020)), "a version header that disagrees with _meta: {body}");

    let encoded = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "get_current_time", "arguments": {"timezone": "Europe/Paris"}, "_meta": meta()}});
    let (status, body) = post(&url, &[version, ("mcp-method", "tools/call"), ("mcp-name", "=?base64?Z2V0X2N1cnJlbnRfdGltZQ==?=")], &encoded).await;
    assert_eq!(status, 200, "a base64-encoded name header is decoded before comparing: {body}");

    let get = warden_tests::peers::http().get(&url).header("accept", "text/event-stream").header(version.0, version.1).send().await.expect("answer");
    assert_eq!(get.status().as_u16(), 405, "2026-07-28 has no GET stream");
}

#[test]
fn a_multi_round_trip_request_completes_through_warden() {
    let gateway = Gateway::start(BIN.as_ref(), &[stdio_fixture("fixture")], "", &[]);
    let report = client(&["--url", &gateway.url("/mcp/fixture"), "--scenario", "call", "--tool", "ask", "--args", r#"{"question":"which colour?"}"#]);
    assert_eq!(report["protocol_version"], "2026-07-28", "{report}");
    assert_eq!(report["counts"]["elicitation"], 1, "the input request reached the client: {report}\n{}", gateway.log());
    assert!(report["call"]["text"].as_str().unwrap_or_default().starts_with("answered: accept"), "the retry with inputResponses completed: {report}");
}
