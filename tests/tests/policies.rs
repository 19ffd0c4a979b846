//! The built-in rules engine as Wasm in the pipeline: the default policy set
//! and the admin API's reference policy decide real messages, findings of a
//! real detector reach the rules, and the policies directory hot-reloads.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use warden::pipeline::bindings::Action;
use warden::pipeline::{ActionKind, Inspection, PipelineHandle};
use warden::scan::{ScanTarget, scan_message};
use warden_tests::{GatewayDir, PLUGINS_BLOCK_WITH_BUILTINS as PLUGINS_BLOCK, tool_result};

/// Monday 2 June 2025, 18:00 UTC: 20:00 in Paris (summer time).
const MONDAY_20H_PARIS: u64 = 1_748_887_200_000;
/// The same Monday, 08:00 UTC: 10:00 in Paris.
const MONDAY_10H_PARIS: u64 = 1_748_851_200_000;

fn gateway(plugins: &[&str]) -> (GatewayDir, Arc<PipelineHandle>) {
    let gw = GatewayDir::new(&format!("policy:\n  timezone: Europe/Paris\n{PLUGINS_BLOCK}"), plugins);
    gw.install_default_policies();
    gw.install_example_policy("restrict-production-writes.yaml");
    let handle = gw.start().expect("pipeline builds");
    (gw, handle)
}

fn tool_call(tool: &str, arguments: serde_json::Value) -> String {
    json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}).to_string()
}

fn target(server: &str, agent: &str) -> ScanTarget {
    ScanTarget { server: server.into(), agent: agent.into(), session: "s1".into(), ..Default::default() }
}

fn inspect(handle: &PipelineHandle, raw: &str, target: &ScanTarget, at_ms: u64) -> Inspection {
    scan_message(&handle.current(), raw, target, at_ms).expect("scan").1
}

#[test]
fn the_reference_policy_requires_approval_for_a_production_write_at_20h() {
    let (_gw, handle) = gateway(&[]);
    let write = tool_call("db_write", json!({"sql": "UPDATE accounts SET plan = 'free'"}));
    let after_hours = inspect(&handle, &write, &target("production-db", "ops-bot"), MONDAY_20H_PARIS);
    assert_eq!(after_hours.verdict.kind(), ActionKind::RequireApproval, "{:?}", after_hours.verdict);
    let decided = &after_hours.decisions[after_hours.verdict.decided_by.expect("a decision decided")];
    assert_eq!(decided.plugin, "policy-engine");
    assert_eq!(decided.policy, "Restrict production writes after hours");
    assert_eq!(decided.rule_id, "rule-1");
    assert_eq!(decided.policy_version.len(), 16);
    assert!(after_hours.verdict.reason.contains("Require approval for write operations outside business hours"));

    let business_hours = inspect(&handle, &write, &target("production-db", "ops-bot"), MONDAY_10H_PARIS);
    assert_eq!(business_hours.verdict.kind(), ActionKind::Allow, "{:?}", business_hours.verdict);
    assert_eq!(business_hours.decisions[0].policy, "Allow tool use by identified agents");
    let staging = inspect(&handle, &write, &target("staging-db", "ops-bot"), MONDAY_20H_PARIS);
    assert_eq!(staging.verdict.kind(), ActionKind::Allow);
}

#[test]
fn the_default_set_allows_the_protocol_and_identified_agents_and_denies_the_rest() {
    let (_gw, handle) = gateway(&[]);
    let call = tool_call("search", json!({"q": "x"}));
    assert_eq!(inspect(&handle, &call, &target("crm", "support-bot"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Allow);
    let anonymous = inspect(&handle, &call, &target("crm", "anonymous"), MONDAY_10H_PARIS);
    assert_eq!(anonymous.verdict.kind(), ActionKind::Deny);
    assert!(anonymous.verdict.reason.contains("deny-by-default"), "{}", anonymous.verdict.reason);
    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string();
    assert_eq!(inspect(&handle, &list, &target("crm", "anonymous"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Allow);
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-06-18"}}).to_string();
    assert_eq!(inspect(&handle, &init, &target("crm", "anonymous"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Allow);
    let result = inspect(&handle, &tool_result("42 rows"), &target("crm", "support-bot"), MONDAY_10H_PARIS);
    assert_eq!(result.verdict.kind(), ActionKind::Allow);
    let unknown = json!({"jsonrpc": "2.0", "id": 2, "method": "experimental/teleport"}).to_string();
    assert_eq!(inspect(&handle, &unknown, &target("crm", "support-bot"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Deny);
}

#[test]
fn a_detector_finding_reaches_the_rules() {
    let (gw, handle) = gateway(&["canary"]);
    gw.write_policy(
        "30-canaries.yaml",
        "name: Deny canaries in calls\nrules:\n  - conditions:\n      - { field: phase, operator: equals, value: request }\n      - { field: finding_detector, operator: equals, value: canary }\n      - { field: finding_severity, operator: gte, value: high }\n    action: DENY\n---\nname: Mask canaries in results\nrules:\n  - conditions:\n      - { field: finding_category, operator: equals, value: test }\n    action: MASK_RESPONSE\n",
    );
    handle.reload().expect("reload with the new policies");
    let call = inspect(&handle, &tool_call("send", json!({"body": "a canary"})), &target("mail", "bot"), MONDAY_10H_PARIS);
    assert_eq!(call.verdict.kind(), ActionKind::Deny);
    assert_eq!(call.decisions[call.verdict.decided_by.expect("decided")].policy, "Deny canaries in calls");
    let result = inspect(&handle, &tool_result("the canary sings"), &target("mail", "bot"), MONDAY_10H_PARIS);
    match &result.verdict.action {
        Action::MaskResponse(spec) => assert_eq!((&spec.categories[..], &spec.pointers[..]), (&["test".to_string()][..], &[][..])),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_log_only_policy_records_what_it_would_do() {
    let (gw, handle) = gateway(&[]);
    gw.write_policy("40-observe.yaml", "name: Observe deletes\nmode: log-only\nrules:\n  - conditions: [{field: tool, operator: starts_with, value: delete_}]\n    action: DENY\n");
    handle.reload().expect("reload");
    let inspection = inspect(&handle, &tool_call("delete_user", json!({})), &target("crm", "bot"), MONDAY_10H_PARIS);
    assert_eq!(inspection.verdict.kind(), ActionKind::Allow, "log-only decisions are not enforced");
    let observed = inspection.decisions.iter().find(|d| d.policy == "Observe deletes").expect("recorded");
    assert!(observed.log_only_mode);
    assert_eq!(ActionKind::of(&observed.action), ActionKind::Deny);
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn a_changed_policy_file_is_hot_reloaded_and_a_broken_one_keeps_the_last_good_policies() {
    let (gw, handle) = gateway(&[]);
    let _watcher = handle.watch().expect("watch");
    let wipe = tool_call("wipe_disk", json!({}));
    let verdict = || inspect(&handle, &wipe, &target("ops", "bot"), MONDAY_10H_PARIS).verdict.kind();
    assert_eq!(verdict(), ActionKind::Allow);

    gw.write_policy("50-no-wipes.yaml", "name: No wipes\nrules:\n  - conditions: [{field: tool, operator: matches, value: ^wipe_}]\n    action: DENY\n");
    wait_for("the new policy to be in force", || verdict() == ActionKind::Deny);

    let generation = handle.current().generation();
    gw.write_policy("60-broken.yaml", "name: Broken\nrules:\n  - conditions: [{field: tol, operator: equals, value: x}]\n    action: DENY\n");
    let err = handle.reload().expect_err("a broken policy is refused").to_string();
    assert!(err.contains("60-broken.yaml:3:") && err.contains("policy `Broken`: rule 1: condition 1: unknown field `tol`"), "{err}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(handle.current().generation(), generation, "the watcher's reload failed too");
    assert_eq!(verdict(), ActionKind::Deny, "the last good policies stay in force");

    std::fs::remove_file(gw.policies_dir().join("60-broken.yaml")).expect("remove");
    std::fs::remove_file(gw.policies_dir().join("50-no-wipes.yaml")).expect("remove");
    wait_for("the policy's removal to be in force", || verdict() == ActionKind::Allow);
}

#[test]
fn the_example_custom_policy_remembers_a_secret_across_calls_of_a_session() {
    // The canary detector stands in for a secrets detector: its category taints.
    let config = format!(
        "policy:\n  timezone: Europe/Paris\n{PLUGINS_BLOCK}pipeline:\n  - name: canary\n  - name: deny-writes-after-secret\n    config: {{categories: [test]}}\n"
    );
    let gw = GatewayDir::new(&config, &["canary", "deny-writes-after-secret"]);
    gw.install_default_policies();
    let handle = gw.start().expect("pipeline builds");
    let in_session = |session: &str| ScanTarget { session: session.into(), ..target("crm", "support-bot") };
    let update = tool_call("update_customer", json!({"id": 7, "tier": "gold"}));

    assert_eq!(inspect(&handle, &update, &in_session("s1"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Allow);
    let leak = inspect(&handle, &tool_result("config: canary-token-123"), &in_session("s1"), MONDAY_10H_PARIS);
    assert_eq!(leak.verdict.kind(), ActionKind::Allow, "the response itself passes");

    let after = inspect(&handle, &update, &in_session("s1"), MONDAY_10H_PARIS);
    assert_eq!(after.verdict.kind(), ActionKind::Deny, "{:?}", after.verdict);
    let decided = &after.decisions[after.verdict.decided_by.expect("decided")];
    assert_eq!((decided.plugin.as_str(), decided.rule_id.as_str()), ("deny-writes-after-secret", "write-after-secret"));
    let read = tool_call("get_customer", json!({"id": 7}));
    assert_eq!(inspect(&handle, &read, &in_session("s1"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Allow);
    assert_eq!(inspect(&handle, &update, &in_session("s2"), MONDAY_10H_PARIS).verdict.kind(), ActionKind::Allow, "another session");
}
