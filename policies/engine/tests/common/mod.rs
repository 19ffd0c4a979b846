//! Helpers shared by the engine's native tests.
#![allow(dead_code)]

use serde_json::{Value, json};
use warden_policy_engine::PolicyEngine;
use warden_sdk::testing::PolicyHarness;
use warden_sdk::{Decision, PolicyInput};

/// Monday 2025-06-02 00:00:00 UTC, in milliseconds.
pub const MONDAY_UTC: u64 = 1_748_822_400_000;

/// The instant `day` days after Monday 2025-06-02 (0 = Monday) at `hh:mm` UTC.
pub fn utc(day: u64, hh: u64, mm: u64) -> u64 {
    MONDAY_UTC + ((day * 24 + hh) * 60 + mm) * 60_000
}

/// The engine configured with `config` (the whole `{timezone, policies}`).
pub fn engine(config: Value) -> PolicyHarness<PolicyEngine> {
    match PolicyHarness::new(config) {
        Ok(h) => h,
        Err(e) => panic!("configuration refused: {e}"),
    }
}

/// The engine with these policies, in UTC.
pub fn policies(policies: Value) -> PolicyHarness<PolicyEngine> {
    engine(json!({ "policies": policies }))
}

/// One policy `p` with one DENY rule on `conditions`.
pub fn rule(conditions: Value) -> PolicyHarness<PolicyEngine> {
    policies(json!([{ "name": "p", "rules": [{ "conditions": conditions, "action": "DENY" }] }]))
}

/// `{field, operator, value}`.
pub fn cond(field: &str, operator: &str, value: Value) -> Value {
    json!({ "field": field, "operator": operator, "value": value })
}

/// Whether a single DENY rule with this one condition fires on `input`.
pub fn fires(field: &str, operator: &str, value: Value, input: &PolicyInput) -> bool {
    !rule(json!([cond(field, operator, value)])).evaluate(input).is_empty()
}

pub fn decide(h: &PolicyHarness<PolicyEngine>, input: &PolicyInput) -> Vec<Decision> {
    h.evaluate(input)
}

/// The configuration error for `config`.
pub fn refused(config: Value) -> String {
    match PolicyHarness::<PolicyEngine>::new(config) {
        Ok(_) => panic!("the configuration was accepted"),
        Err(e) => e,
    }
}

/// The error for one condition in policy `p`, rule 1, condition 1.
pub fn condition_refused(condition: Value) -> String {
    refused(json!({"policies": [{"name": "p", "rules": [{"conditions": [condition], "action": "DENY"}]}]}))
}
