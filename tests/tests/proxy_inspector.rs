//! The MCP Inspector CLI (`@modelcontextprotocol/inspector-cli`) lists and
//! calls tools through Warden over Streamable HTTP and legacy SSE.

use std::process::Command;

use serde_json::Value;
use warden_tests::peers::{Gateway, everything_stdio, peers_dir};

const BIN: &str = env!("CARGO_BIN_EXE_warden-cli");

fn inspector(args: &[&str]) -> Value {
    let cli = peers_dir().join("node_modules/@modelcontextprotocol/inspector-cli/build/index.js");
    // The CLI looks for a package.json in the parent of its working directory.
    let output = Command::new("node").arg(cli).args(args).current_dir(peers_dir().join("node_modules")).output().expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("inspector: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)))
}

#[test]
fn the_inspector_cli_lists_and_calls_tools_through_warden() {
    let gateway = Gateway::start(BIN.as_ref(), &[everything_stdio("everything")], "", &[]);
    let http = gateway.url("/mcp/everything");
    let listed = inspector(&[&http, "--transport", "http", "--method", "tools/list"]);
    let names: Vec<&str> = listed["tools"].as_array().map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect()).unwrap_or_default();
    assert!(names.contains(&"echo") && names.contains(&"get-sum"), "{listed}");

    let echoed = inspector(&[&http, "--transport", "http", "--method", "tools/call", "--tool-name", "echo", "--tool-arg", "message=inspected"]);
    assert_eq!(echoed["content"][0]["text"], "Echo: inspected", "{echoed}");

    let summed = inspector(&[&gateway.url("/sse/everything"), "--method", "tools/call", "--tool-name", "get-sum", "--tool-arg", "a=1", "--tool-arg", "b=2"]);
    assert_eq!(summed["content"][0]["text"], "The sum of 1 and 2 is 3.", "{summed}");

    let aggregated = inspector(&[&gateway.url("/mcp"), "--method", "tools/call", "--tool-name", "everything__echo", "--tool-arg", "message=merged"]);
    assert_eq!(aggregated["content"][0]["text"], "Echo: merged", "{aggregated}");
}
