//! What each matching rule decides: actions and their arguments, the policy's
//! name, version and mode, the rule id and reason — and the reference policy
//! of the admin API, verbatim.

mod common;

use common::*;
use serde_json::json;
use warden_policy_engine::{Engine, policy_version};
use warden_sdk::testing::PolicyCall;
use warden_sdk::{Action, Finding, MaskSpec, Phase, RateSpec, Severity};

/// `POST /api/v1/policies` from shared/API-SHAPES.md, as written there.
const REFERENCE: &str = r#"{
  "name": "Restrict production writes after hours",
  "description": "Require approval for write operations outside business hours",
  "rules": [
    {
      "conditions": [
        { "field": "tool", "operator": "contains", "value": "write" },
        { "field": "mcp_server", "operator": "equals", "value": "production-db" },
        { "field": "time", "operator": "not_in", "value": "09:00-18:00" }
      ],
      "action": "REQUIRE_APPROVAL"
    }
  ]
}"#;

fn reference() -> serde_json::Value {
    serde_json::from_str(REFERENCE).unwrap()
}

#[test]
fn the_reference_policy_requires_approval_for_production_writes_after_hours() {
    let h = engine(json!({"timezone": "Europe/Paris", "policies": [reference()]}));
    // 18:00 UTC on a June Monday is 20:00 in Paris.
    let write_at_20h = PolicyCall::tool_call("production-db", "db_write", json!({"sql": "UPDATE t SET x = 1"})).at_ms(utc(0, 18, 0)).build();
    let decisions = h.evaluate(&write_at_20h);
    assert_eq!(decisions.len(), 1);
    let d = &decisions[0];
    assert_eq!(d.action, Action::RequireApproval);
    assert_eq!(d.policy, "Restrict production writes after hours");
    assert_eq!(d.policy_version, policy_version(&reference()));
    assert_eq!(d.policy_version.len(), 16);
    assert_eq!(d.rule_id, "rule-1");
    assert_eq!(d.reason, "Require approval for write operations outside business hours");
    assert!(!d.log_only_mode);

    let write_at_10h = PolicyCall::tool_call("production-db", "db_write", json!({})).at_ms(utc(0, 8, 0)).build();
    assert!(h.evaluate(&write_at_10h).is_empty(), "10:00 in Paris is business hours");
    let read = PolicyCall::tool_call("production-db", "db_read", json!({})).at_ms(utc(0, 18, 0)).build();
    assert!(h.evaluate(&read).is_empty());
    let staging = PolicyCall::tool_call("staging-db", "db_write", json!({})).at_ms(utc(0, 18, 0)).build();
    assert!(h.evaluate(&staging).is_empty());
    let response = PolicyCall::tool_result("production-db", "db_write").at_ms(utc(0, 18, 0)).build();
    assert!(h.evaluate(&response).is_empty(), "approval applies to the call, not its response");
}

fn one(action: serde_json::Value) -> Action {
    let mut rule = json!({"conditions": [], "reason": "because"});
    for (k, v) in action.as_object().unwrap() {
        rule[k] = v.clone();
    }
    let h = policies(json!([{"name": "p", "rules": [rule]}]));
    let input = PolicyCall::tool_call("crm", "search", json!({"customer": "acme"}))
        .agent("support-bot", "support")
        .finding("pii", Finding::new("pii", "pii.email", Severity::Medium))
        .finding("secrets", Finding::new("secrets", "secrets.github-token", Severity::High))
        .build();
    let phase = if action["action"] == "MASK_RESPONSE" { Phase::Response } else { Phase::Request };
    let input = warden_sdk::PolicyInput { context: warden_sdk::CallContext { phase, ..input.context.clone() }, ..input };
    let decisions = h.evaluate(&input);
    assert_eq!(decisions.len(), 1, "{action}");
    assert_eq!(decisions[0].reason, "because");
    decisions[0].action.clone()
}

#[test]
fn the_four_plain_actions() {
    assert_eq!(one(json!({"action": "ALLOW"})), Action::Allow);
    assert_eq!(one(json!({"action": "DENY"})), Action::Deny);
    assert_eq!(one(json!({"action": "REQUIRE_APPROVAL"})), Action::RequireApproval);
    assert_eq!(one(json!({"action": "LOG_ONLY"})), Action::LogOnly);
    assert_eq!(one(json!({"action": "require-approval"})), Action::RequireApproval, "case and dashes are forgiven");
}

#[test]
fn rate_limit_carries_capacity_refill_and_a_rendered_key() {
    let spec = |a: Action| match a {
        Action::RateLimit(spec) => spec,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        spec(one(json!({"action": "RATE_LIMIT", "capacity": 60}))),
        RateSpec { key: "agent:support-bot".into(), capacity: 60, refill_per_second: 1.0 },
        "one bucket per agent, per minute, by default"
    );
    let per_tool = spec(one(json!({"action": "RATE_LIMIT", "capacity": 10, "per": "hour", "key": "tool:{mcp_server}/{tool}"})));
    assert_eq!(per_tool.key, "tool:crm/search");
    assert!((per_tool.refill_per_second - 10.0 / 3600.0).abs() < 1e-12);
    let custom = spec(one(json!({"action": "RATE_LIMIT", "capacity": 5, "per": "30s", "key": "customer:{params.customer}:{agent_type}"})));
    assert_eq!(custom.key, "customer:acme:support");
    assert_eq!(custom.capacity, 5);
    assert!((custom.refill_per_second - 5.0 / 30.0).abs() < 1e-12);
}

#[test]
fn mask_response_names_categories_or_pointers_or_what_the_rule_matched() {
    assert_eq!(
        one(json!({"action": "MASK_RESPONSE", "categories": ["pii"]})),
        Action::MaskResponse(MaskSpec { categories: vec!["pii".into()], pointers: vec![] })
    );
    assert_eq!(
        one(json!({"action": "MASK_RESPONSE", "pointers": ["/result/content/0/text"]})),
        Action::MaskResponse(MaskSpec { categories: vec![], pointers: vec!["/result/content/0/text".into()] })
    );
    assert_eq!(
        one(json!({"action": "MASK_RESPONSE"})),
        Action::MaskResponse(MaskSpec { categories: vec!["pii".into(), "secrets".into()], pointers: vec![] }),
        "without arguments, every finding's category"
    );
    assert_eq!(
        one(json!({"action": "MASK_RESPONSE", "conditions": [cond("finding_severity", "gte", json!("high"))]})),
        Action::MaskResponse(MaskSpec { categories: vec!["secrets".into()], pointers: vec![] }),
        "with finding conditions, the categories of the findings that matched"
    );
}

#[test]
fn actions_fire_only_where_they_mean_something() {
    let h = policies(json!([{"name": "p", "rules": [
        {"id": "approve", "action": "REQUIRE_APPROVAL"},
        {"id": "limit", "action": "RATE_LIMIT", "capacity": 1},
        {"id": "mask", "action": "MASK_RESPONSE"},
        {"id": "deny", "action": "DENY"}]}]));
    let ids = |phase| {
        let input = PolicyCall::tool_call("s", "t", json!({})).phase(phase).build();
        h.evaluate(&input).into_iter().map(|d| d.rule_id).collect::<Vec<_>>()
    };
    assert_eq!(ids(Phase::Request), ["approve", "limit", "deny"]);
    assert_eq!(ids(Phase::Response), ["mask", "deny"]);
    assert_eq!(ids(Phase::ToolListing), ["deny"]);
    assert_eq!(ids(Phase::ServerRequest), ["deny"]);
}

#[test]
fn log_only_policies_mark_their_decisions() {
    let h = policies(json!([
        {"name": "observe", "mode": "log-only", "rules": [{"action": "DENY"}]},
        {"name": "enforce", "mode": "enforce", "rules": [{"action": "ALLOW"}]}]));
    let decisions = h.evaluate(&PolicyCall::tool_call("s", "t", json!({})).build());
    let modes: Vec<(&str, bool)> = decisions.iter().map(|d| (d.policy.as_str(), d.log_only_mode)).collect();
    assert_eq!(modes, [("observe", true), ("enforce", false)]);
}

#[test]
fn every_matching_rule_decides_highest_priority_first() {
    let h = policies(json!([
        {"name": "low", "rules": [{"id": "a", "action": "ALLOW"}]},
        {"name": "high", "priority": 10, "rules": [{"id": "b", "action": "DENY"}, {"id": "c", "action": "LOG_ONLY"}]},
        {"name": "negative", "priority": -1, "rules": [{"action": "ALLOW"}]},
        {"name": "low-too", "rules": [{"action": "ALLOW", "conditions": [cond("tool", "equals", json!("other"))]}]}]));
    let decisions = h.evaluate(&PolicyCall::tool_call("s", "t", json!({})).build());
    let order: Vec<(&str, &str)> = decisions.iter().map(|d| (d.policy.as_str(), d.rule_id.as_str())).collect();
    assert_eq!(order, [("high", "b"), ("high", "c"), ("low", "a"), ("negative", "rule-1")]);
}

#[test]
fn disabled_policies_and_rules_do_not_decide() {
    let h = policies(json!([
        {"name": "off", "enabled": false, "rules": [{"action": "DENY"}]},
        {"name": "on", "rules": [{"id": "off", "enabled": false, "action": "DENY"}, {"id": "on", "action": "ALLOW"}]}]));
    let decisions = h.evaluate(&PolicyCall::tool_call("s", "t", json!({})).build());
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].rule_id, "on");
}

#[test]
fn reasons_default_to_the_policy_description_then_the_rule() {
    let h = policies(json!([
        {"name": "described", "description": "Why it exists", "rules": [{"id": "r", "action": "DENY"}]},
        {"name": "bare", "rules": [{"id": "r", "action": "DENY"}]}]));
    let reasons: Vec<String> = h.evaluate(&PolicyCall::tool_call("s", "t", json!({})).build()).into_iter().map(|d| d.reason).collect();
    assert_eq!(reasons, ["Why it exists", "rule `r` of policy `bare` matched"]);
}

#[test]
fn a_policy_version_changes_with_its_content_only() {
    let v = |config: serde_json::Value| -> Vec<(String, String)> {
        Engine::compile(&config).unwrap().policies().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    };
    let a = json!({"name": "a", "rules": [{"action": "DENY", "conditions": [cond("tool", "equals", json!("x"))]}]});
    let b = json!({"name": "b", "rules": [{"action": "ALLOW"}]});
    let reordered: serde_json::Value =
        serde_json::from_str(r#"{"rules":[{"conditions":[{"value":"x","operator":"equals","field":"tool"}],"action":"DENY"}],"name":"a"}"#).unwrap();
    let first = v(json!({"policies": [a.clone(), b.clone()]}));
    assert_eq!(v(json!({"policies": [reordered, b.clone()]}))[0], first[0], "key order does not matter");
    assert_eq!(v(json!({"policies": [a.clone()]}))[0], first[0], "other policies do not matter");
    assert_eq!(v(json!({"timezone": "Europe/Paris", "policies": [a.clone()]}))[0], first[0]);
    let edited = json!({"name": "a", "rules": [{"action": "DENY", "conditions": [cond("tool", "equals", json!("y"))]}]});
    assert_ne!(v(json!({"policies": [edited]}))[0].1, first[0].1);
}

#[test]
fn no_configuration_means_no_opinion() {
    for config in [json!(null), json!({}), json!({"policies": []})] {
        assert!(engine(config).evaluate(&PolicyCall::tool_call("s", "t", json!({})).build()).is_empty());
    }
}
