//! An operator's path through the policy language with the real binary:
//! `warden config check` points at the line of a mistake in a policy file,
//! and `warden scan --at` shows what the policies decide at a given time.

use std::path::Path;
use std::process::{Command, Output};

const WARDEN: &str = env!("CARGO_BIN_EXE_warden");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repo root")
}

/// A gateway home with the reference policy; `tool_line` replaces its first condition.
fn home(tool_line: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let cache = repo().join("target").join("test-cache");
    std::fs::write(
        dir.path().join("warden.yaml"),
        format!("policy:\n  timezone: Europe/Paris\nplugins:\n  watch: false\n  cache-dir: {}\n", cache.display()),
    )
    .expect("config");
    std::fs::create_dir_all(dir.path().join("policies")).expect("policies dir");
    for file in ["00-baseline.yaml", "10-threats.yaml", "20-data-protection.yaml"] {
        std::fs::copy(repo().join("policies").join(file), dir.path().join("policies").join(file)).expect("copy default policy");
    }
    let reference = std::fs::read_to_string(repo().join("policies/examples/restrict-production-writes.yaml")).expect("example");
    let edited = reference.replace("      - { field: tool, operator: contains, value: write }", tool_line);
    std::fs::write(dir.path().join("policies").join("after-hours.yaml"), edited).expect("policy");
    dir
}

fn warden(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(WARDEN)
        .args(args)
        .current_dir(dir)
        .env("WARDEN_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run warden");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn config_check_points_at_the_mistake_in_a_policy_file() {
    let dir = home("      - { field: tol, operator: contains, value: write }");
    let out = warden(dir.path(), &["config", "check", "warden.yaml"], "");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("policies/after-hours.yaml:9:18: policy `Restrict production writes after hours`: rule 1: condition 1: unknown field `tol` (did you mean `tool`?)\n"),
        "{stderr}"
    );
}

#[test]
fn config_check_accepts_good_policies_and_scan_shows_their_decision() {
    let dir = home("      - { field: tool, operator: contains, value: write }");
    let out = warden(dir.path(), &["config", "check", "warden.yaml"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));

    let call = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"db_write","arguments":{"sql":"DELETE FROM t"}}}"#;
    let scan = |at: &str, agent: &str| -> serde_json::Value {
        let out = warden(
            dir.path(),
            &["scan", "--config", "warden.yaml", "--server", "production-db", "--agent", agent, "--at", at],
            call,
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("scan prints JSON")
    };
    let evening = scan("2025-06-02T20:00:00+02:00", "ops-bot");
    assert_eq!(evening["decision"]["action"], "REQUIRE_APPROVAL", "{evening}");
    let approval = evening["decisions"].as_array().expect("decisions").iter().find(|d| d["action"] == "REQUIRE_APPROVAL").expect("decision");
    assert_eq!(approval["policy"], "Restrict production writes after hours");
    assert_eq!(approval["plugin"], "policy-engine");
    assert_eq!(approval["policy_version"].as_str().map(str::len), Some(16));
    // 08:00 UTC is 10:00 in Paris.
    assert_eq!(scan("2025-06-02T08:00:00Z", "ops-bot")["decision"]["action"], "ALLOW");
    assert_eq!(scan("2025-06-02T08:00:00Z", "anonymous")["decision"]["action"], "DENY");
}
