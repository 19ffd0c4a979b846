//! Bad input never panics and never hangs: each gets its documented answer,
//! and an upstream that is down or slow yields a JSON-RPC error naming the
//! cause within the server's timeout.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use warden_tests::peers::{Gateway, everything_stdio, free_port, http_server, python};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw-test", "version": "1"}}})
}

struct Answer {
    status: u16,
    session: Option<String>,
    body: Value,
}

async fn send(url: &str, headers: &[(&str, &str)], body: impl Into<reqwest::Body>) -> Answer {
    let mut request = warden_tests::peers::http()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(body);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.expect("warden answers");
    let status = response.status().as_u16();
    let session = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    let text = response.text().await.unwrap_or_default();
    let body = text
        .lines()
        .find_map(|l| l.strip_prefix("data: ").and_then(|d| serde_json::from_str(d).ok()))
        .or_else(|| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    Answer { status, session, body }
}

fn gateway() -> Gateway {
    let slow = format!(
        "  - name: slow\n    transport: stdio\n    command: '{}'\n    args: ['-c', 'import time; time.sleep(600)']\n    timeout-ms: 800\n",
        python().display()
    );
    let down = "  - name: down\n    transport: stdio\n    command: /nonexistent/mcp-server\n    timeout-ms: 800\n".to_string();
    let closed = http_server("closed", "streamable-http", &format!("http://127.0.0.1:{}/mcp", free_port())).replace("20000", "800");
    Gateway::start(BIN.as_ref(), &[everything_stdio("everything"), slow, down, closed], "proxy:\n  max-body-bytes: 4096\n  max-sessions: 1\n", &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_their_json_rpc_error_codes() {
    let gateway = gateway();
    let url = gateway.url("/mcp/everything");

    let a = send(&url, &[], "{not json").await;
    assert_eq!((a.status, a.body["error"]["code"].clone()), (400, json!(-32700)), "{}", a.body);
    let a = send(&url, &[], r#"{"jsonrpc":"2.0"}"#).await;
    assert_eq!((a.status, a.body["error"]["code"].clone()), (400, json!(-32600)), "{}", a.body);
    let a = send(&url, &[], r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#).await;
    assert_eq!(a.body["error"]["code"], -32600, "{}", a.body);
    let a = send(&url, &[], "x".repeat(10_000)).await;
    assert_eq!(a.status, 413, "an oversized body: {}", a.body);

    let a = send(&gateway.url("/mcp/nope"), &[], initialize().to_string()).await;
    assert_eq!(a.status, 404);
    assert!(a.body["error"]["message"].as_str().unwrap_or_default().contains("unknown server `nope`"), "{}", a.body);

    let a = send(&url, &[], json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).to_string()).await;
    assert_eq!(a.status, 400, "a session-era request without a session: {}", a.body);
    let a = send(&url, &[("mcp-session-id", "no-such-session")], json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).to_string()).await;
    assert_eq!(a.status, 404, "an unknown session: {}", a.body);

    let a = send(&url, &[("origin", "https://evil.example")], initialize().to_string()).await;
    assert_eq!(a.status, 403, "a foreign Origin (DNS rebinding): {}", a.body);
    let a = send(&url, &[("host", "rebound.example")], initialize().to_string()).await;
    assert_eq!(a.status, 403, "a foreign Host on a loopback listener (DNS rebinding): {}", a.body);

    // A batch (clients before 2025-06-18) opens a session and is answered in one array.
    let a = send(&url, &[], json!([initialize()]).to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let session = a.session.expect("a session id");
    assert_eq!(a.body[0]["result"]["serverInfo"]["name"], "mcp-servers/everything", "{}", a.body);
    let sid = [("mcp-session-id", session.as_str()), ("mcp-protocol-version", "2025-06-18")];
    let a = send(&url, &sid, json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string()).await;
    assert_eq!(a.status, 202);
    let batch = json!([{"jsonrpc": "2.0", "id": 10, "method": "ping"}, {"jsonrpc": "2.0", "id": 11, "method": "tools/list"}, 7]);
    let a = send(&url, &sid, batch.to_string()).await;
    let answers = a.body.as_array().cloned().unwrap_or_default();
    assert_eq!(answers.len(), 3, "{}", a.body);
    assert!(answers.iter().any(|r| r["id"] == 11 && r["result"]["tools"].is_array()), "{}", a.body);
    assert!(answers.iter().any(|r| r["error"]["code"] == -32600), "{}", a.body);

    let client = warden_tests::peers::http();
    let get = client.get(&url).header("accept", "application/json").header("mcp-session-id", &session).send().await.expect("answer");
    assert_eq!(get.status().as_u16(), 406, "the GET stream needs Accept: text/event-stream");
    let delete = client.delete(&url).header("mcp-session-id", &session).send().await.expect("answer");
    assert_eq!(delete.status().as_u16(), 200);
    let a = send(&url, &sid, json!({"jsonrpc": "2.0", "id": 3, "method": "ping"}).to_string()).await;
    assert_eq!(a.status, 404, "a deleted session is gone");

    // proxy.max-sessions: 1
    let a = send(&url, &[], initialize().to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send(&url, &[], initialize().to_string()).await;
    assert_eq!(a.status, 503, "a session beyond max-sessions: {}", a.body);
    assert!(a.body["error"]["message"].as_str().unwrap_or_default().contains("max-sessions"), "{}", a.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_is_down_or_slow_yields_an_error_within_its_timeout() {
    let gateway = gateway();
    for (server, cause) in [("down", "cannot start"), ("slow", "timed out"), ("closed", "cannot reach")] {
        let started = Instant::now();
        let a = send(&gateway.url(&format!("/mcp/{server}")), &[], initialize().to_string()).await;
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(4), "{server}: answered after {elapsed:?}");
        assert_eq!(a.status, 200, "{server}: {}", a.body);
        assert_eq!(a.body["id"], 1, "{server}: {}", a.body);
        let message = a.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(cause), "{server}: `{message}` should say `{cause}`\n{}", gateway.log());
    }
}

#[test]
fn a_crashed_stdio_server_is_restarted_and_the_session_goes_on() {
    let crashy = warden_tests::peers::stdio_fixture("crashy");
    let gateway = Gateway::start(BIN.as_ref(), &[crashy], "", &[]);
    let calls = r#"[["whoami", {}], ["crash", {}], ["whoami", {}]]"#;
    // Session era: the restarted process gets the session's initialize replayed.
    for mode in ["legacy", "auto"] {
        let report = warden_tests::peers::client(&["--url", &gateway.url("/mcp/crashy"), "--mode", mode, "--scenario", "sequence", "--calls", calls]);
        let outcomes = report["calls"].as_array().cloned().unwrap_or_default();
        assert_eq!(outcomes.len(), 3, "{mode}: {report}\n{}", gateway.log());
        let before = outcomes[0]["text"].as_str().unwrap_or_default().to_string();
        assert!(before.starts_with("pid "), "{mode}: {report}");
        let crashed = outcomes[1].to_string();
        assert!(crashed.contains("closed the connection") || outcomes[1]["is_error"] == true, "{mode}: the crash is an error: {report}");
        let after = outcomes[2]["text"].as_str().unwrap_or_default().to_string();
        assert!(after.starts_with("pid ") && after != before, "{mode}: a new process answers after the crash: {report}\n{}", gateway.log());
    }
}
