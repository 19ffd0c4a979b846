//! `warden stdio`: a desktop-style client launches Warden as its server
//! process and reaches one server, or every server aggregated.

use warden_tests::GatewayDir;
use warden_tests::peers::{client, everything_stdio, time_stdio};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

#[test]
fn a_client_that_launches_warden_over_stdio_reaches_the_servers() {
    let config = format!(
        "{}policy:\n  default-action: allow\nservers:\n{}{}",
        warden_tests::PLUGINS_BLOCK,
        everything_stdio("everything"),
        time_stdio("time")
    );
    let dir = GatewayDir::new(&config, &[]);
    let config = dir.config_path().display().to_string();

    let one = client(&["--scenario", "call", "--tool", "echo", "--args", r#"{"message":"over stdio"}"#, "--stdio", BIN, "stdio", "--config", &config, "--server", "everything"]);
    assert_eq!(one["call"]["text"], "Echo: over stdio", "{one}");
    assert_eq!(one["server"], "mcp-servers/everything", "{one}");

    let all = client(&["--scenario", "everything", "--stdio", BIN, "stdio", "--config", &config]);
    let tools: Vec<&str> = all["tools"].as_array().map(|t| t.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
    assert!(tools.contains(&"everything__echo") && tools.contains(&"time__get_current_time"), "{all}");
    assert_eq!(all["calls"]["everything__trigger-sampling-request"]["ok"], true, "{all}");
    assert!(all["counts"]["sampling"].as_u64() >= Some(1), "{all}");
    assert_eq!(all["calls"]["time__get_current_time"]["ok"], true, "{all}");
}

#[test]
fn piped_requests_are_all_answered_before_warden_exits() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let config = format!("{}policy:\n  default-action: allow\nservers:\n{}", warden_tests::PLUGINS_BLOCK, time_stdio("time"));
    let dir = GatewayDir::new(&config, &[]);
    let mut child = Command::new(BIN)
        .args(["stdio", "--config"])
        .arg(dir.config_path())
        .args(["--server", "time"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("warden runs");
    let input = concat!(
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}"#, "\n",
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, "\n",
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, "\n",
        "{not json\n",
    );
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("warden exits when its input ends");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines.iter().any(|m| m["id"] == 1 && m["result"]["serverInfo"].is_object()), "{lines:?}");
    assert!(lines.iter().any(|m| m["id"] == 2 && m["result"]["tools"].as_array().is_some_and(|t| !t.is_empty())), "{lines:?}");
    assert!(lines.iter().any(|m| m["error"]["code"] == -32700), "{lines:?}");
}
