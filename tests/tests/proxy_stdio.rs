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
