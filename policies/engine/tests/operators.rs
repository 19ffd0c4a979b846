//! Every operator, its negation, and how they treat lists and missing values.

mod common;

use common::*;
use serde_json::json;
use warden_sdk::testing::PolicyCall;

fn call() -> warden_sdk::PolicyInput {
    PolicyCall::tool_call("production-db", "db_write", json!({"rows": 3})).session("s", 42, 0).build()
}

#[test]
fn equals_and_not_equals() {
    assert!(fires("tool", "equals", json!("db_write"), &call()));
    assert!(!fires("tool", "equals", json!("db_writ"), &call()));
    assert!(fires("tool", "not_equals", json!("db_read"), &call()));
    assert!(!fires("tool", "not_equals", json!("db_write"), &call()));
    assert!(fires("session_calls", "equals", json!(42), &call()));
}

#[test]
fn contains_and_not_contains() {
    assert!(fires("tool", "contains", json!("write"), &call()));
    assert!(!fires("tool", "contains", json!("read"), &call()));
    assert!(fires("tool", "not_contains", json!("read"), &call()));
    assert!(!fires("tool", "not_contains", json!("_"), &call()));
}

#[test]
fn starts_with_and_ends_with() {
    assert!(fires("mcp_server", "starts_with", json!("production-"), &call()));
    assert!(!fires("mcp_server", "starts_with", json!("db"), &call()));
    assert!(fires("mcp_server", "ends_with", json!("-db"), &call()));
    assert!(!fires("mcp_server", "ends_with", json!("production"), &call()));
}

#[test]
fn matches_and_not_matches_are_unanchored_regexes() {
    assert!(fires("tool", "matches", json!("_(write|delete)$"), &call()));
    assert!(fires("tool", "matches", json!("b_w"), &call()));
    assert!(!fires("tool", "matches", json!("^write"), &call()));
    assert!(fires("tool", "not_matches", json!("^read_"), &call()));
}

#[test]
fn in_and_not_in_take_a_list_or_one_value() {
    assert!(fires("tool", "in", json!(["db_read", "db_write"]), &call()));
    assert!(fires("tool", "in", json!("db_write"), &call()));
    assert!(!fires("tool", "in", json!(["db_read"]), &call()));
    assert!(fires("tool", "not_in", json!(["db_read", "db_list"]), &call()));
    assert!(!fires("tool", "not_in", json!(["db_write"]), &call()));
    assert!(fires("session_calls", "in", json!([1, 42]), &call()));
}

#[test]
fn ordering_operators() {
    for (op, value, expected) in [
        ("gt", 41, true),
        ("gt", 42, false),
        ("gte", 42, true),
        ("gte", 43, false),
        ("lt", 43, true),
        ("lt", 42, false),
        ("lte", 42, true),
        ("lte", 41, false),
    ] {
        assert_eq!(fires("session_calls", op, json!(value), &call()), expected, "42 {op} {value}");
    }
    assert!(fires("session_calls", "gt", json!("10"), &call()), "numbers may be quoted");
}

#[test]
fn exists_defaults_to_true() {
    let h = rule(json!([{"field": "tool", "operator": "exists"}]));
    assert_eq!(h.evaluate(&call()).len(), 1);
    assert!(h.evaluate(&PolicyCall::request("s", "ping", json!({})).build()).is_empty());
    assert!(fires("tool", "exists", json!(false), &PolicyCall::request("s", "ping", json!({})).build()));
}

#[test]
fn ignore_case_folds_text_comparisons() {
    let h = |operator: &str, value: serde_json::Value| {
        rule(json!([{"field": "tool", "operator": operator, "value": value, "ignore_case": true}]))
    };
    let upper = PolicyCall::tool_call("s", "DB_Write", json!({"q": "Select"})).build();
    assert_eq!(h("equals", json!("db_write")).evaluate(&upper).len(), 1);
    assert_eq!(h("contains", json!("WRITE")).evaluate(&upper).len(), 1);
    assert_eq!(h("matches", json!("^db_w")).evaluate(&upper).len(), 1);
    assert_eq!(h("in", json!(["DB_WRITE"])).evaluate(&upper).len(), 1);
    assert!(!fires("tool", "equals", json!("db_write"), &upper), "case matters by default");
    let param = rule(json!([{"field": "params.q", "operator": "equals", "value": "select", "ignore_case": true}]));
    assert_eq!(param.evaluate(&upper).len(), 1);
}

#[test]
fn negated_operators_hold_for_missing_values_and_positive_ones_do_not() {
    let ping = PolicyCall::request("s", "ping", json!({})).build();
    for op in ["equals", "contains", "starts_with", "ends_with", "matches", "in"] {
        assert!(!fires("tool", op, json!("x"), &ping), "{op} on a missing tool");
    }
    for op in ["not_equals", "not_contains", "not_matches", "not_in"] {
        assert!(fires("tool", op, json!("x"), &ping), "{op} on a missing tool");
    }
    assert!(!fires("params.n", "gt", json!(0), &ping));
}

#[test]
fn all_conditions_of_a_rule_must_hold() {
    let h = rule(json!([
        cond("tool", "contains", json!("write")),
        cond("mcp_server", "equals", json!("production-db")),
    ]));
    assert_eq!(h.evaluate(&call()).len(), 1);
    assert!(h.evaluate(&PolicyCall::tool_call("staging-db", "db_write", json!({})).build()).is_empty());
    let always = rule(json!([]));
    assert_eq!(always.evaluate(&call()).len(), 1, "a rule without conditions always matches");
}
