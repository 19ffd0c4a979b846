//! Mistakes in policy documents are configuration errors that name the
//! policy, the rule and the condition, and say what to write instead.

mod common;

use common::*;
use serde_json::json;
use warden_policy_engine::{Engine, PathStep};

fn path(config: serde_json::Value) -> (Option<usize>, Vec<PathStep>) {
    match Engine::compile(&config) {
        Ok(_) => panic!("accepted"),
        Err(e) => (e.policy, e.path),
    }
}

fn key(k: &str) -> PathStep {
    PathStep::Key(k.into())
}

#[test]
fn an_unknown_field_names_policy_rule_condition_and_a_suggestion() {
    let config = json!({"policies": [
        {"name": "ok", "rules": [{"action": "ALLOW"}]},
        {"name": "Restrict production writes after hours", "rules": [
            {"action": "ALLOW"},
            {"conditions": [cond("mcp_server", "equals", json!("x")), cond("tol", "contains", json!("write"))], "action": "DENY"}]}]});
    let message = refused(config.clone());
    assert!(
        message.starts_with("policy `Restrict production writes after hours`: rule 2: condition 2: unknown field `tol` (did you mean `tool`?)"),
        "{message}"
    );
    assert_eq!(path(config), (Some(1), vec![key("rules"), PathStep::Index(1), key("conditions"), PathStep::Index(1), key("field")]));
}

#[test]
fn an_unknown_operator() {
    let message = condition_refused(cond("tool", "contain", json!("x")));
    assert!(message.starts_with("policy `p`: rule 1: condition 1: unknown operator `contain` (did you mean `contains`?)"), "{message}");
}

#[test]
fn unknown_keys_at_every_level_point_at_the_key() {
    let (_, p) = path(json!({"policies": [{"name": "p", "rules": [{"conditions": [{"field": "tool", "operator": "equals", "vlaue": "x"}], "action": "DENY"}]}]}));
    assert_eq!(p.last(), Some(&PathStep::KeyName("vlaue".into())));
    let message = condition_refused(json!({"field": "tool", "operator": "equals", "vlaue": "x"}));
    assert!(message.contains("unknown key `vlaue` in a condition (did you mean `value`?)"), "{message}");
    let message = refused(json!({"policies": [{"name": "p", "rules": [{"action": "DENY", "conditons": []}]}]}));
    assert!(message.contains("rule 1: unknown key `conditons` in a rule (did you mean `conditions`?)"), "{message}");
    let message = refused(json!({"policies": [{"name": "p", "rule": [], "rules": [{"action": "DENY"}]}]}));
    assert!(message.starts_with("policy `p`: unknown key `rule` in a policy"), "{message}");
    let message = refused(json!({"policies": [], "timezon": "UTC"}));
    assert!(message.contains("unknown key `timezon` in the engine configuration (did you mean `timezone`?)"), "{message}");
}

#[test]
fn a_regex_that_does_not_compile() {
    let message = condition_refused(cond("tool", "matches", json!("(write")));
    assert_eq!(message, "policy `p`: rule 1: condition 1: invalid regular expression `(write`: unclosed group");
    let (_, p) = path(json!({"policies": [{"name": "p", "rules": [{"conditions": [cond("tool", "matches", json!("["))], "action": "DENY"}]}]}));
    assert_eq!(p.last(), Some(&key("value")));
}

#[test]
fn bad_times_days_severities_addresses_and_numbers() {
    for (condition, expected) in [
        (cond("time", "in", json!("9-18")), "is not a time range"),
        (cond("time", "in", json!("25:00-26:00")), "is not a time range"),
        (cond("time", "in", json!("10:00-10:00")), "empty range"),
        (cond("time", "gt", json!("noon")), "is not a time of day"),
        (cond("day_of_week", "equals", json!("funday")), "is not a day of the week"),
        (cond("day_of_week", "in", json!("mon-fry")), "is not a day or a day range"),
        (cond("finding_severity", "gte", json!("severe")), "is not a severity"),
        (cond("client_ip", "in", json!(["10.0.0.0/33"])), "is not an IP address or CIDR range"),
        (cond("client_ip", "equals", json!("10.0.0.0/8")), "use `in` for a CIDR range"),
        (cond("session_calls", "gt", json!("many")), "expected a number"),
        (cond("phase", "equals", json!("responce")), "unknown phase `responce`"),
        (cond("params/a~2b", "exists", json!(true)), "must be followed by 0 or 1"),
    ] {
        let message = condition_refused(condition.clone());
        assert!(message.starts_with("policy `p`: rule 1: condition 1: "), "{condition}: {message}");
        assert!(message.contains(expected), "{condition}: {message}");
    }
}

#[test]
fn operators_that_do_not_fit_the_field() {
    let message = condition_refused(cond("tool", "gt", json!("a")));
    assert!(message.contains("operator `gt` does not apply to `tool` (text)"), "{message}");
    let message = condition_refused(cond("session_calls", "contains", json!(1)));
    assert!(message.contains("does not apply to `session_calls` (a number)"), "{message}");
    let message = condition_refused(cond("time", "starts_with", json!("09")));
    assert!(message.contains("does not apply to `time`"), "{message}");
    let message = condition_refused(json!({"field": "tool", "operator": "equals"}));
    assert!(message.contains("operator `equals` needs a `value`"), "{message}");
    let message = condition_refused(cond("tool", "exists", json!("yes")));
    assert!(message.contains("`exists` takes `true`"), "{message}");
}

#[test]
fn actions_and_their_arguments() {
    let rule_refused = |rule: serde_json::Value| refused(json!({"policies": [{"name": "p", "rules": [rule]}]}));
    let message = rule_refused(json!({"action": "BLOCK"}));
    assert!(message.contains("rule 1: unknown action `BLOCK`; actions are ALLOW, DENY"), "{message}");
    assert!(rule_refused(json!({"action": "DENI"})).contains("did you mean `DENY`?"));
    assert!(rule_refused(json!({"conditions": []})).contains("missing `action`"));
    assert!(rule_refused(json!({"action": "DENY", "capacity": 3})).contains("`capacity` is an argument of RATE_LIMIT, not of DENY"));
    assert!(rule_refused(json!({"action": "RATE_LIMIT", "categories": ["pii"], "capacity": 1})).contains("`categories` is an argument of MASK_RESPONSE"));
    assert!(rule_refused(json!({"action": "RATE_LIMIT"})).contains("RATE_LIMIT needs `capacity`"));
    assert!(rule_refused(json!({"action": "RATE_LIMIT", "capacity": 0})).contains("at least 1"));
    assert!(rule_refused(json!({"action": "RATE_LIMIT", "capacity": 5, "per": "fortnight"})).contains("`per` must be"));
    assert!(rule_refused(json!({"action": "RATE_LIMIT", "capacity": 5, "key": "{server_tags}"})).contains("cannot name a bucket"));
    assert!(rule_refused(json!({"action": "RATE_LIMIT", "capacity": 5, "key": "{tol}"})).contains("unknown field `tol`"));
    assert!(rule_refused(json!({"action": "MASK_RESPONSE", "pointers": ["result/x"]})).contains("is not a JSON Pointer"));
    let message = rule_refused(json!({"action": "REQUIRE_APPROVAL", "conditions": [cond("phase", "equals", json!("response"))]}));
    assert!(message.contains("REQUIRE_APPROVAL applies at the request phase, which this rule's `phase` conditions exclude"), "{message}");
}

#[test]
fn policy_level_mistakes() {
    assert!(refused(json!({"policies": [{"rules": [{"action": "DENY"}]}]})).starts_with("policy 1: missing `name`"));
    assert!(refused(json!({"policies": [{"name": "p"}]})).starts_with("policy `p`: missing `rules`"));
    assert!(refused(json!({"policies": [{"name": "p", "rules": []}]})).contains("at least one rule"));
    assert!(refused(json!({"policies": [{"name": "p", "mode": "audit", "rules": [{"action": "DENY"}]}]})).contains("unknown mode `audit`"));
    assert!(refused(json!({"policies": [{"name": "p", "priority": "high", "rules": [{"action": "DENY"}]}]})).contains("`priority` must be a whole number"));
    let twice = refused(json!({"policies": [{"name": "p", "rules": [{"action": "DENY"}]}, {"name": "p", "rules": [{"action": "DENY"}]}]}));
    assert!(twice.contains("another policy (number 1) already has this name"), "{twice}");
    let ids = refused(json!({"policies": [{"name": "p", "rules": [{"id": "x", "action": "DENY"}, {"id": "x", "action": "ALLOW"}]}]}));
    assert!(ids.starts_with("policy `p`: rule 2: another rule of this policy has the id `x`"), "{ids}");
    let zone = refused(json!({"policies": [{"name": "p", "timezone": "Mars/Olympus", "rules": [{"action": "DENY"}]}]}));
    assert!(zone.contains("unknown time zone `Mars/Olympus`"), "{zone}");
}

#[test]
fn engine_settings() {
    let message = refused(json!({"timezone": "Europe/Pari", "policies": []}));
    assert!(message.starts_with("unknown time zone `Europe/Pari`"), "{message}");
    assert_eq!(path(json!({"timezone": "+99:00"})), (None, vec![key("timezone")]));
    assert!(refused(json!({"policies": {"name": "p"}})).contains("`policies` must be a list"));
    assert!(refused(json!([1])).contains("must be an object"));
}

#[test]
fn a_disabled_policy_is_still_checked() {
    let message = refused(json!({"policies": [{"name": "p", "enabled": false, "rules": [{"action": "DENY", "conditions": [cond("tol", "equals", json!("x"))]}]}]}));
    assert!(message.contains("unknown field `tol`"), "{message}");
}

#[test]
fn a_field_far_from_any_known_one_lists_them_all() {
    let message = condition_refused(cond("colour", "equals", json!("x")));
    assert!(message.contains("unknown field `colour`; fields are `agent_id`"), "{message}");
    assert!(message.contains("`params/<pointer>`"), "{message}");
    let message = condition_refused(cond("tool", "resembles", json!("x")));
    assert!(message.contains("unknown operator `resembles`; operators are `equals`"), "{message}");
}
