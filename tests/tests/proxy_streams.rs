//! Server-initiated messages reach the client on the session's GET stream,
//! numbered so that a reconnect with `Last-Event-ID` resumes where it left
//! off; the aggregated endpoint propagates `list_changed`.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use warden_tests::peers::{Gateway, everything_stdio, http, stdio_fixture};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn fixture() -> String {
    stdio_fixture("fixture")
}

async fn post(url: &str, session: Option<&str>, body: Value) -> (Option<String>, Value) {
    let mut request = http().post(url).header("content-type", "application/json").header("accept", "application/json, text/event-stream").body(body.to_string());
    if let Some(id) = session {
        request = request.header("mcp-session-id", id).header("mcp-protocol-version", "2025-06-18");
    }
    let response = request.send().await.expect("warden answers");
    let session = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    let text = response.text().await.unwrap_or_default();
    let value = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: ").and_then(|d| serde_json::from_str::<Value>(d).ok()))
        .find(|m| m.get("result").is_some() || m.get("error").is_some())
        .or_else(|| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    (session, value)
}

async fn open_session(url: &str) -> String {
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "streams-test", "version": "1"}}});
    let (session, reply) = post(url, None, init).await;
    assert!(reply["result"].is_object(), "{reply}");
    let session = session.expect("a session id");
    post(url, Some(&session), json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    session
}

/// Reads `count` events `(id, message)` from a GET stream.
async fn read_events(url: &str, session: &str, last_event_id: Option<&str>, count: usize) -> Vec<(String, Value)> {
    let mut request = http().get(url).header("accept", "text/event-stream").header("mcp-session-id", session);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = request.send().await.expect("GET stream");
    assert_eq!(response.status().as_u16(), 200);
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    let read = async {
        while events.len() < count {
            let Some(Ok(chunk)) = body.next().await else { break };
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                let id = event.lines().find_map(|l| l.strip_prefix("id: ")).map(str::to_string);
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).and_then(|d| serde_json::from_str(d).ok());
                if let (Some(id), Some(data)) = (id, data) {
                    events.push((id, data));
                }
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(20), read).await;
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_get_stream_carries_server_messages_and_resumes_after_last_event_id() {
    let gateway = Gateway::start(BIN.as_ref(), &[fixture()], "", &[]);
    let url = gateway.url("/mcp/fixture");
    let session = open_session(&url).await;
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "announce", "arguments": {"count": 3}}});
    let (_, reply) = post(&url, Some(&session), call).await;
    assert_eq!(reply["result"]["content"][0]["text"], "announced 3", "{reply}\n{}", gateway.log());

    let first = read_events(&url, &session, None, 1).await;
    assert_eq!(first.len(), 1, "{first:?}\n{}", gateway.log());
    assert_eq!(first[0].1["method"], "notifications/tools/list_changed");
    let rest = read_events(&url, &session, Some(&first[0].0), 2).await;
    assert_eq!(rest.len(), 2, "a reconnect resumes after the last event seen: {rest:?}");
    assert!(rest.iter().all(|(id, m)| id != &first[0].0 && m["method"] == "notifications/tools/list_changed"), "{rest:?}");
    let replay = read_events(&url, &session, Some(&first[0].0), 2).await;
    assert_eq!(replay, rest, "the same Last-Event-ID replays the same events");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aggregated_endpoint_propagates_list_changed_and_finds_templated_resources() {
    let gateway = Gateway::start(BIN.as_ref(), &[fixture(), everything_stdio("everything")], "", &[]);
    let url = gateway.url("/mcp");
    let session = open_session(&url).await;
    let (_, listed) = post(&url, Some(&session), json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})).await;
    let names: Vec<&str> = listed["result"]["tools"].as_array().map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect()).unwrap_or_default();
    assert!(names.contains(&"fixture__announce") && names.contains(&"everything__echo"), "{listed}");
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "fixture__announce", "arguments": {"count": 1}}});
    let (_, reply) = post(&url, Some(&session), call).await;
    assert_eq!(reply["result"]["content"][0]["text"], "announced 1", "{reply}");
    let events = read_events(&url, &session, None, 1).await;
    assert_eq!(events.first().map(|(_, m)| m["method"].clone()), Some(json!("notifications/tools/list_changed")), "{events:?}\n{}", gateway.log());

    // A resource of a template that no listing named is found on the server that has it.
    let read = json!({"jsonrpc": "2.0", "id": 3, "method": "resources/read", "params": {"uri": "demo://resource/dynamic/text/3"}});
    let (_, reply) = post(&url, Some(&session), read).await;
    assert_eq!(reply["result"]["contents"][0]["uri"], "demo://resource/dynamic/text/3", "{reply}\n{}", gateway.log());
}

async fn wait_for_file(path: &std::path::Path, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if path.exists() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_reaches_the_server_in_both_eras() {
    let gateway = Gateway::start(BIN.as_ref(), &[fixture()], "", &[]);
    let url = gateway.url("/mcp/fixture");
    let markers = tempfile::tempdir().expect("temp dir");

    // Session era: the client's notifications/cancelled is forwarded.
    let session = open_session(&url).await;
    let marker = markers.path().join("session");
    let call = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "slow", "arguments": {"seconds": 30, "marker": marker.display().to_string()}}});
    let pending = tokio::spawn({
        let (url, session) = (url.clone(), session.clone());
        async move { post(&url, Some(&session), call).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    post(&url, Some(&session), json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 7, "reason": "test"}})).await;
    assert!(wait_for_file(&marker, Duration::from_secs(5)).await, "the server saw the cancel\n{}", gateway.log());
    pending.abort();

    // 2026-07-28: closing the response stream is the cancel.
    let marker = markers.path().join("stateless");
    let meta = json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "1"}, "io.modelcontextprotocol/clientCapabilities": {}});
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "slow", "arguments": {"seconds": 30, "marker": marker.display().to_string()}, "_meta": meta}});
    let request = http()
        .post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", "slow")
        .timeout(Duration::from_millis(800))
        .body(call.to_string())
        .send();
    let outcome = request.await;
    if let Ok(response) = outcome {
        // Headers may come first (SSE); drop the body mid-stream.
        let _ = tokio::time::timeout(Duration::from_millis(800), response.bytes()).await;
    }
    assert!(wait_for_file(&marker, Duration::from_secs(5)).await, "the server saw the disconnect as a cancel\n{}", gateway.log());
}
