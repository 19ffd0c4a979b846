//! The engine's configuration — `{timezone, policies: [...]}` — checked key by
//! key and compiled into policies ready to evaluate.

use serde_json::{Map, Value};
use warden_sdk::Phase;

use crate::action::{ARGUMENT_KEYS, ActionSpec, PhaseSet};
use crate::clock::Zone;
use crate::condition::{Condition, Subject};
use crate::error::{At, ConfigError, did_you_mean, suggestion};
use crate::field::Field;
use crate::version::policy_version;

const ENGINE_KEYS: &[&str] = &["timezone", "policies"];
const POLICY_KEYS: &[&str] = &["name", "description", "mode", "priority", "version", "timezone", "enabled", "rules"];
const RULE_KEYS: &[&str] = &["id", "description", "enabled", "conditions", "action", "reason"];
const CONDITION_KEYS: &[&str] = &["field", "operator", "value", "ignore_case"];

/// A policy ready to evaluate.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    pub name: String,
    /// Short SHA-256 of the policy's canonical JSON.
    pub version: String,
    /// `mode: log-only`: decisions are recorded, not enforced.
    pub log_only: bool,
    pub priority: i64,
    /// Index into the engine's zones.
    pub zone: usize,
    pub rules: Vec<CompiledRule>,
}

/// A rule ready to evaluate.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub id: String,
    pub reason: String,
    pub action: ActionSpec,
    /// Phases the rule can fire at: its action's, narrowed by its `phase` conditions.
    pub phases: PhaseSet,
    /// Conditions on the call.
    pub conditions: Vec<Condition>,
    /// Conditions that must hold together for one finding.
    pub finding_conditions: Vec<Condition>,
}

/// Everything the engine needs: policies (in document order) and time zones
/// (`zones[0]` is the configured default).
pub struct Compiled {
    pub policies: Vec<CompiledPolicy>,
    pub zones: Vec<Zone>,
}

/// Compiles the engine configuration. `null` gives an engine without policies.
pub fn compile(config: &Value) -> Result<Compiled, ConfigError> {
    let root = At::root();
    let empty = Map::new();
    let object = match config {
        Value::Null => &empty,
        Value::Object(map) => map,
        _ => return Err(root.err("the policy engine's configuration must be an object `{timezone, policies}`")),
    };
    check_keys(object, ENGINE_KEYS, &root, "the engine configuration")?;
    let default_zone = match object.get("timezone") {
        None => Zone::UTC,
        Some(Value::String(s)) => Zone::parse(s).map_err(|e| root.key("timezone").err(e))?,
        Some(_) => return Err(root.key("timezone").err("`timezone` must be a string like `Europe/Paris`, `UTC` or `+02:00`")),
    };
    let mut compiled = Compiled { policies: Vec::new(), zones: vec![default_zone] };
    let documents = match object.get("policies") {
        None | Some(Value::Null) => return Ok(compiled),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(root.key("policies").err("`policies` must be a list of policy documents")),
    };
    let mut zone_names: Vec<String> = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let Some(policy) = compile_policy(index, document, &mut compiled.zones, &mut zone_names)? else { continue };
        if let Some(first) = compiled.policies.iter().position(|p| p.name == policy.name) {
            return Err(At::policy(index)
                .named(&policy.name)
                .key("name")
                .err(format!("another policy (number {}) already has this name", first + 1)));
        }
        compiled.policies.push(policy);
    }
    Ok(compiled)
}

/// Compiles one policy document; `None` when it is disabled (it is still checked).
fn compile_policy(index: usize, document: &Value, zones: &mut Vec<Zone>, zone_names: &mut Vec<String>) -> Result<Option<CompiledPolicy>, ConfigError> {
    let at = At::policy(index);
    let Value::Object(object) = document else {
        return Err(at.err("a policy must be an object with `name` and `rules`"));
    };
    let at = match object.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => at.named(name),
        Some(_) => return Err(at.key("name").err("`name` must be a non-empty string")),
        None => return Err(at.err("missing `name`")),
    };
    check_keys(object, POLICY_KEYS, &at, "a policy")?;
    let name = object.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let description = optional_string(object, "description", &at)?.unwrap_or_default();
    let log_only = match optional_string(object, "mode", &at)?.map(|m| m.trim().to_ascii_lowercase().replace('_', "-")) {
        None => false,
        Some(mode) if mode == "enforce" => false,
        Some(mode) if mode == "log-only" => true,
        Some(mode) => return Err(at.key("mode").err(format!("unknown mode `{mode}`; modes are `enforce` (the default) and `log-only`"))),
    };
    let priority = match object.get("priority") {
        None => 0,
        Some(v) => v.as_i64().ok_or_else(|| at.key("priority").err("`priority` must be a whole number"))?,
    };
    match object.get("version") {
        None | Some(Value::String(_) | Value::Number(_)) => {}
        Some(_) => return Err(at.key("version").err("`version` must be a string")),
    }
    let enabled = optional_bool(object, "enabled", &at)?.unwrap_or(true);
    let zone = match optional_string(object, "timezone", &at)? {
        None => 0,
        Some(text) => match zone_names.iter().position(|z| *z == text) {
            Some(i) => i + 1,
            None => {
                zones.push(Zone::parse(&text).map_err(|e| at.key("timezone").err(e))?);
                zone_names.push(text);
                zones.len() - 1
            }
        },
    };
    let rules_at = at.key("rules");
    let rules = match object.get("rules") {
        Some(Value::Array(rules)) if !rules.is_empty() => rules,
        Some(Value::Array(_)) => return Err(rules_at.err("a policy needs at least one rule")),
        Some(_) => return Err(rules_at.err("`rules` must be a list")),
        None => return Err(at.err("missing `rules`")),
    };
    let mut compiled_rules: Vec<CompiledRule> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let rule_at = rules_at.index(i);
        let (compiled, rule_enabled) = compile_rule(i, rule, &name, &description, &rule_at)?;
        if ids.contains(&compiled.id) {
            return Err(rule_at.key("id").err(format!("another rule of this policy has the id `{}`", compiled.id)));
        }
        ids.push(compiled.id.clone());
        if rule_enabled {
            compiled_rules.push(compiled);
        }
    }
    if !enabled {
        return Ok(None);
    }
    Ok(Some(CompiledPolicy { name, version: policy_version(document), log_only, priority, zone, rules: compiled_rules }))
}

fn compile_rule(index: usize, rule: &Value, policy: &str, description: &str, at: &At) -> Result<(CompiledRule, bool), ConfigError> {
    let Value::Object(object) = rule else {
        return Err(at.err("a rule must be an object with `conditions` and `action`"));
    };
    let mut known: Vec<&str> = RULE_KEYS.to_vec();
    known.extend_from_slice(ARGUMENT_KEYS);
    check_keys(object, &known, at, "a rule")?;
    let id = match object.get("id") {
        None => format!("rule-{}", index + 1),
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(at.key("id").err("`id` must be a non-empty string")),
    };
    optional_string(object, "description", at)?;
    let enabled = optional_bool(object, "enabled", at)?.unwrap_or(true);
    let action = ActionSpec::parse(object, at)?;
    let reason = match optional_string(object, "reason", at)? {
        Some(reason) => reason,
        None if !description.is_empty() => description.to_string(),
        None => format!("rule `{id}` of policy `{policy}` matched"),
    };
    let conditions_at = at.key("conditions");
    let written = match object.get("conditions") {
        None | Some(Value::Null) => &Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(conditions_at.err("`conditions` must be a list of `{field, operator, value}`")),
    };
    let mut phases = action.phases();
    let mut conditions = Vec::new();
    let mut finding_conditions = Vec::new();
    for (i, condition) in written.iter().enumerate() {
        let condition = compile_condition(condition, &conditions_at.index(i))?;
        if condition.field == Field::Phase {
            // Decided once here rather than per call.
            let accepted = Phase::ALL
                .into_iter()
                .filter(|p| condition.holds(&Subject::Text(p.as_str())))
                .fold(PhaseSet::NONE, PhaseSet::with);
            phases = phases.intersect(accepted);
        } else if condition.field.per_finding() {
            finding_conditions.push(condition);
        } else {
            conditions.push(condition);
        }
    }
    if phases.is_empty() {
        return Err(at.err(format!(
            "{} applies at the {} phase, which this rule's `phase` conditions exclude",
            action.name(),
            action.phases().names().join(" and ")
        )));
    }
    Ok((CompiledRule { id, reason, action, phases, conditions, finding_conditions }, enabled))
}

fn compile_condition(condition: &Value, at: &At) -> Result<Condition, ConfigError> {
    let Value::Object(object) = condition else {
        return Err(at.err("a condition must be an object `{field, operator, value}`"));
    };
    check_keys(object, CONDITION_KEYS, at, "a condition")?;
    let field = match object.get("field") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(at.key("field").err("`field` must be a string")),
        None => return Err(at.err("missing `field`")),
    };
    let operator = match object.get("operator") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(at.key("operator").err("`operator` must be a string")),
        None => return Err(at.err("missing `operator`")),
    };
    let ignore_case = optional_bool(object, "ignore_case", at)?.unwrap_or(false);
    Condition::compile(field, operator, object.get("value"), ignore_case, at)
}

fn check_keys(object: &Map<String, Value>, known: &[&str], at: &At, what: &str) -> Result<(), ConfigError> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(key) => Err(at.key_name(key).err(format!(
            "unknown key `{key}` in {what}{}; keys are {}",
            did_you_mean(suggestion(key, known.iter().copied())),
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn optional_string(object: &Map<String, Value>, key: &str, at: &At) -> Result<Option<String>, ConfigError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(at.key(key).err(format!("`{key}` must be a string"))),
    }
}

fn optional_bool(object: &Map<String, Value>, key: &str, at: &At) -> Result<Option<bool>, ConfigError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(at.key(key).err(format!("`{key}` must be `true` or `false`"))),
    }
}
