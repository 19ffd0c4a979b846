//! Every condition field reads what the host sends for the call.

mod common;

use common::*;
use serde_json::json;
use warden_sdk::testing::PolicyCall;
use warden_sdk::{Finding, Phase, Severity};

fn support_bot() -> PolicyCall {
    PolicyCall::tool_call("crm", "get_customer", json!({"id": 7})).agent("support-bot", "support")
}

#[test]
fn agent_id_and_type() {
    let call = support_bot().build();
    assert!(fires("agent_id", "equals", json!("support-bot"), &call));
    assert!(!fires("agent_id", "equals", json!("ops-bot"), &call));
    assert!(fires("agent_type", "equals", json!("support"), &call));
    assert!(fires("agent_type", "not_equals", json!("admin"), &call));
    let anonymous = PolicyCall::tool_call("crm", "t", json!({})).agent("", "").build();
    assert!(fires("agent_id", "exists", json!(false), &anonymous));
    assert!(fires("agent_type", "not_in", json!(["support"]), &anonymous));
}

#[test]
fn agent_permissions_are_a_set() {
    let call = support_bot().permissions(["crm:read", "tickets:write"]).build();
    assert!(fires("agent_permissions", "contains", json!("crm:read"), &call));
    assert!(!fires("agent_permissions", "contains", json!("crm"), &call), "contains tests membership, not substrings");
    assert!(fires("agent_permissions", "not_contains", json!("pii:read"), &call));
    assert!(fires("agent_permissions", "starts_with", json!("tickets:"), &call));
    assert!(fires("agent_permissions", "matches", json!("^crm:(read|write)$"), &call));
    assert!(fires("agent_permissions", "in", json!(["admin", "crm:read"]), &call));
    assert!(!fires("agent_permissions", "not_in", json!(["admin", "crm:read"]), &call));
    let none = support_bot().build();
    assert!(fires("agent_permissions", "not_contains", json!("pii:read"), &none));
    assert!(fires("agent_permissions", "exists", json!(false), &none));
}

#[test]
fn agent_labels_as_a_set_and_by_key() {
    let call = support_bot().label("team", "billing").label("env", "prod").build();
    assert!(fires("agent_labels", "contains", json!("team=billing"), &call));
    assert!(!fires("agent_labels", "contains", json!("team=ops"), &call));
    assert!(fires("agent_labels.team", "equals", json!("billing"), &call));
    assert!(fires("agent_labels.env", "in", json!(["prod", "staging"]), &call));
    assert!(!fires("agent_labels.region", "exists", json!(true), &call));
    assert!(fires("agent_labels.region", "not_equals", json!("eu"), &call), "a missing label is not equal");
}

#[test]
fn server_and_its_tags() {
    let call = support_bot().server_tags(["production", "customer-data"]).build();
    assert!(fires("mcp_server", "equals", json!("crm"), &call));
    assert!(fires("server_tags", "contains", json!("production"), &call));
    assert!(fires("server_tags", "in", json!(["staging", "customer-data"]), &call));
    assert!(!fires("server_tags", "contains", json!("staging"), &call));
    assert!(fires("server_tags", "exists", json!(false), &support_bot().build()));
}

#[test]
fn tool_method_and_phase() {
    let call = PolicyCall::tool_call("db", "db_write", json!({})).build();
    assert!(fires("tool", "contains", json!("write"), &call));
    assert!(fires("method", "equals", json!("tools/call"), &call));
    assert!(fires("phase", "equals", json!("request"), &call));
    let list = PolicyCall::request("db", "tools/list", json!({})).build();
    assert!(fires("tool", "exists", json!(false), &list));
    assert!(fires("tool", "not_contains", json!("write"), &list));
    assert!(fires("method", "starts_with", json!("tools/"), &list));
    let response = PolicyCall::tool_result("db", "db_write").build();
    assert!(fires("phase", "equals", json!("response"), &response));
    assert!(!fires("phase", "equals", json!("request"), &response));
    assert!(fires("tool", "equals", json!("db_write"), &response), "a response keeps its call's tool");
}

#[test]
fn params_by_name_pointer_and_anywhere() {
    let args = json!({"table": "users", "limit": 500, "filter": {"owner": "alice"}, "tags": ["urgent", "vip"],
                      "sql": "DELETE FROM users; DROP TABLE users"});
    let call = PolicyCall::tool_call("db", "query", args).build();
    assert!(fires("params.table", "equals", json!("users"), &call));
    assert!(fires("params.limit", "gt", json!(100), &call));
    assert!(fires("params.limit", "equals", json!(500.0), &call), "numbers compare by value");
    assert!(fires("params.filter.owner", "equals", json!("alice"), &call));
    assert!(fires("params.tags", "contains", json!("vip"), &call), "an array parameter contains its elements");
    assert!(fires("params.tags", "in", json!(["urgent"]), &call));
    assert!(fires("params.sql", "matches", json!("(?i)drop\\s+table"), &call));
    assert!(fires("params/arguments/table", "equals", json!("users"), &call));
    assert!(fires("params/name", "equals", json!("query"), &call), "a pointer reaches the whole JSON-RPC params");
    assert!(fires("params", "contains", json!("DROP TABLE"), &call), "bare params looks at every text");
    assert!(fires("params.missing", "exists", json!(false), &call));
    assert!(fires("params.missing", "not_equals", json!("x"), &call));
    assert!(!fires("params.table", "gt", json!(1), &call), "text is not a number");
    let read = PolicyCall::request("files", "resources/read", json!({"uri": "file:///etc/passwd"})).build();
    assert!(fires("params.uri", "starts_with", json!("file:///etc/"), &read), "without arguments, names are params keys");
}

fn finding(category: &str, rule: &str, severity: Severity, confidence: f32) -> Finding {
    Finding::new(category, rule, severity).confidence(confidence)
}

#[test]
fn findings_by_category_severity_detector_rule_confidence_and_count() {
    let call = PolicyCall::tool_result("web", "fetch")
        .finding("injection", finding("injection", "injection.ignore-previous", Severity::Critical, 0.95))
        .finding("pii", finding("pii", "pii.email", Severity::Low, 0.6))
        .build();
    assert!(fires("finding_category", "equals", json!("injection"), &call));
    assert!(fires("finding_category", "in", json!(["secrets", "pii"]), &call));
    assert!(!fires("finding_category", "equals", json!("secrets"), &call));
    assert!(fires("finding_severity", "gte", json!("high"), &call));
    assert!(fires("finding_severity", "equals", json!("low"), &call));
    assert!(!fires("finding_severity", "gt", json!("critical"), &call));
    assert!(fires("finding_detector", "equals", json!("pii"), &call));
    assert!(fires("finding_rule_id", "starts_with", json!("injection."), &call));
    assert!(fires("finding_confidence", "gte", json!(0.9), &call));
    assert!(fires("finding_count", "equals", json!(2), &call));
    assert!(fires("finding_category", "exists", json!(true), &call));
    let clean = PolicyCall::tool_result("web", "fetch").build();
    assert!(fires("finding_count", "equals", json!(0), &clean));
    assert!(fires("finding_severity", "exists", json!(false), &clean));
    assert!(!fires("finding_category", "not_equals", json!("pii"), &clean), "finding conditions need a finding");
}

#[test]
fn finding_conditions_hold_together_for_one_finding() {
    let critical_pii_and_low_injection = PolicyCall::tool_result("web", "fetch")
        .finding("pii", finding("pii", "pii.ssn", Severity::Critical, 1.0))
        .finding("injection", finding("injection", "injection.role", Severity::Low, 1.0))
        .build();
    let critical_injection = rule(json!([
        cond("finding_category", "equals", json!("injection")),
        cond("finding_severity", "equals", json!("critical")),
    ]));
    assert!(critical_injection.evaluate(&critical_pii_and_low_injection).is_empty());
    let both = PolicyCall::tool_result("web", "fetch")
        .finding("injection", finding("injection", "injection.role", Severity::Critical, 1.0))
        .build();
    assert_eq!(critical_injection.evaluate(&both).len(), 1);
}

#[test]
fn session_counters() {
    let call = support_bot().session("s1", 120, 5_000_000).build();
    assert!(fires("session_calls", "gt", json!(100), &call));
    assert!(fires("session_calls", "lte", json!(120), &call));
    assert!(!fires("session_calls", "lt", json!(120), &call));
    assert!(fires("session_bytes", "gte", json!(1_000_000), &call));
    assert!(fires("session_bytes", "in", json!([5_000_000, 1]), &call));
}

#[test]
fn client_ip_with_cidr_ranges() {
    let office = support_bot().client_ip("10.1.2.3").build();
    assert!(fires("client_ip", "in", json!(["10.0.0.0/8", "192.168.0.0/16"]), &office));
    assert!(fires("client_ip", "in", json!("10.1.2.0/24"), &office));
    assert!(!fires("client_ip", "in", json!(["172.16.0.0/12"]), &office));
    assert!(fires("client_ip", "equals", json!("10.1.2.3"), &office));
    assert!(fires("client_ip", "starts_with", json!("10.1."), &office));
    let mapped = support_bot().client_ip("::ffff:10.1.2.3").build();
    assert!(fires("client_ip", "in", json!(["10.0.0.0/8"]), &mapped), "IPv4-mapped IPv6 compares as IPv4");
    let v6 = support_bot().client_ip("fd00::1").build();
    assert!(fires("client_ip", "in", json!(["fd00::/8"]), &v6));
    assert!(fires("client_ip", "equals", json!("fd00:0:0::1"), &v6));
    let stdio = support_bot().build();
    assert!(fires("client_ip", "not_in", json!(["10.0.0.0/8"]), &stdio), "an unknown address is in no range");
    assert!(fires("client_ip", "exists", json!(false), &stdio));
}

#[test]
fn phase_is_known_at_configuration() {
    let h = rule(json!([cond("phase", "in", json!(["tool-listing", "server-request"]))]));
    let listing = PolicyCall::request("s", "tools/list", json!({})).phase(Phase::ToolListing).build();
    assert_eq!(h.evaluate(&listing).len(), 1);
    assert!(h.evaluate(&PolicyCall::tool_call("s", "t", json!({})).build()).is_empty());
}

#[test]
fn json_pointers_unescape_their_tokens() {
    let call = PolicyCall::request("s", "custom/op", json!({"a/b": {"~c": 1}, "list": ["x", "y"]})).build();
    assert!(fires("params/a~1b/~0c", "equals", json!(1), &call));
    assert!(fires("params/list/1", "equals", json!("y"), &call));
    assert!(fires("params/list/2", "exists", json!(false), &call));
}
