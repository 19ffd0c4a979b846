//! The example policy, run natively through the sdk's policy harness.

use deny_writes_after_secret::DenyWritesAfterSecret;
use serde_json::json;
use warden_sdk::testing::{PolicyCall, PolicyHarness};
use warden_sdk::{Action, Finding, Severity};

fn aws_key() -> Finding {
    Finding::new("secrets", "secrets.aws-access-key-id", Severity::High)
}

#[test]
fn a_write_after_the_session_saw_a_secret_is_denied() {
    let h = PolicyHarness::<DenyWritesAfterSecret>::new(json!({})).unwrap();
    let write = || PolicyCall::tool_call("crm", "update_customer", json!({"id": 7})).session("s1", 3, 0).build();
    assert!(h.evaluate(&write()).is_empty(), "before any secret, the policy has no opinion");

    // A response carrying a secret taints the session.
    let leak = PolicyCall::tool_result("crm", "read_config").session("s1", 4, 0).finding("secrets", aws_key()).build();
    assert!(h.evaluate(&leak).is_empty());

    let decisions = h.evaluate(&write());
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].action, Action::Deny);
    assert_eq!(decisions[0].rule_id, "write-after-secret");
    assert!(decisions[0].reason.contains("secrets/secrets.aws-access-key-id"), "{}", decisions[0].reason);
}

#[test]
fn reads_stay_allowed_and_other_sessions_are_untouched() {
    let h = PolicyHarness::<DenyWritesAfterSecret>::new(json!({})).unwrap();
    h.evaluate(&PolicyCall::tool_result("crm", "read_config").session("s1", 1, 0).finding("secrets", aws_key()).build());
    let read = PolicyCall::tool_call("crm", "get_customer", json!({})).session("s1", 2, 0).build();
    assert!(h.evaluate(&read).is_empty());
    let other = PolicyCall::tool_call("crm", "update_customer", json!({})).session("s2", 1, 0).build();
    assert!(h.evaluate(&other).is_empty(), "session s2 never saw the secret");
}

#[test]
fn a_secret_in_the_write_itself_denies_it() {
    let h = PolicyHarness::<DenyWritesAfterSecret>::new(json!({})).unwrap();
    let call = PolicyCall::tool_call("mail", "send_email", json!({"body": "AKIA..."})).finding("secrets", aws_key()).build();
    assert_eq!(h.evaluate(&call)[0].action, Action::Deny);
}

#[test]
fn writes_and_tainting_categories_are_configurable() {
    let h = PolicyHarness::<DenyWritesAfterSecret>::new(json!({"writes": "^commit$", "categories": ["pii"]})).unwrap();
    h.evaluate(&PolicyCall::tool_result("git", "log").finding("secrets", aws_key()).build());
    assert!(h.evaluate(&PolicyCall::tool_call("git", "commit", json!({})).build()).is_empty(), "secrets no longer taint");
    h.evaluate(&PolicyCall::tool_result("git", "log").finding("pii", Finding::new("pii", "pii.email", Severity::Medium)).build());
    assert_eq!(h.evaluate(&PolicyCall::tool_call("git", "commit", json!({})).build())[0].action, Action::Deny);
    assert!(h.evaluate(&PolicyCall::tool_call("git", "update_index", json!({})).build()).is_empty());
    assert!(PolicyHarness::<DenyWritesAfterSecret>::new(json!({"writes": "("})).is_err());
    assert!(PolicyHarness::<DenyWritesAfterSecret>::new(json!({"write": "x"})).is_err(), "unknown keys are refused");
}
