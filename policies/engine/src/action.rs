//! A rule's action and its arguments, and the phases each action applies to.

use serde_json::{Map, Value};
use warden_sdk::{Action, MaskSpec, Phase, RateSpec};

use crate::error::{At, ConfigError, did_you_mean, suggestion};
use crate::field::{Field, Kind};

/// An action as written in a rule, validated.
#[derive(Debug, Clone)]
pub enum ActionSpec {
    Allow,
    Deny,
    RequireApproval,
    LogOnly,
    RateLimit { capacity: u32, refill_per_second: f64, key: KeyTemplate },
    MaskResponse { categories: Vec<String>, pointers: Vec<String> },
}

/// The rule keys that carry action arguments.
pub const ARGUMENT_KEYS: &[&str] = &["capacity", "per", "key", "categories", "pointers"];

const ACTIONS: &[&str] = &["ALLOW", "DENY", "REQUIRE_APPROVAL", "LOG_ONLY", "RATE_LIMIT", "MASK_RESPONSE"];

/// The bucket key when a RATE_LIMIT rule names none: one bucket per agent.
pub const DEFAULT_RATE_KEY: &str = "agent:{agent_id}";

impl ActionSpec {
    /// Reads `action` and its arguments from a rule object.
    pub fn parse(rule: &Map<String, Value>, at: &At) -> Result<ActionSpec, ConfigError> {
        let action_at = at.key("action");
        let name = match rule.get("action") {
            Some(Value::String(s)) => s.trim().to_ascii_uppercase().replace('-', "_"),
            Some(_) => return Err(action_at.err("`action` must be a string, e.g. `DENY`")),
            None => return Err(at.err(format!("missing `action` (one of {})", ACTIONS.join(", ")))),
        };
        let allowed: &[&str] = match name.as_str() {
            "RATE_LIMIT" => &["capacity", "per", "key"],
            "MASK_RESPONSE" => &["categories", "pointers"],
            _ => &[],
        };
        if let Some(key) = ARGUMENT_KEYS.iter().find(|k| rule.contains_key(**k) && !allowed.contains(k)) {
            let owner = if ["capacity", "per", "key"].contains(key) { "RATE_LIMIT" } else { "MASK_RESPONSE" };
            return Err(at.key_name(key).err(format!("`{key}` is an argument of {owner}, not of {name}")));
        }
        Ok(match name.as_str() {
            "ALLOW" => ActionSpec::Allow,
            "DENY" => ActionSpec::Deny,
            "REQUIRE_APPROVAL" => ActionSpec::RequireApproval,
            "LOG_ONLY" => ActionSpec::LogOnly,
            "RATE_LIMIT" => {
                let capacity = match rule.get("capacity") {
                    Some(v) => v.as_u64().filter(|c| *c >= 1).and_then(|c| u32::try_from(c).ok()).ok_or_else(|| {
                        at.key("capacity").err("`capacity` must be a whole number of requests, at least 1")
                    })?,
                    None => return Err(at.err("RATE_LIMIT needs `capacity` (requests per `per`)")),
                };
                let per = match rule.get("per") {
                    Some(v) => period_seconds(v).ok_or_else(|| {
                        at.key("per").err("`per` must be `second`, `minute`, `hour`, `day`, a duration like `30s`, `5m`, `2h`, `1d`, or a number of seconds")
                    })?,
                    None => 60.0,
                };
                let key = match rule.get("key") {
                    Some(Value::String(s)) => KeyTemplate::parse(s, &at.key("key"))?,
                    Some(_) => return Err(at.key("key").err("`key` must be a string, e.g. `tool:{mcp_server}/{tool}`")),
                    None => KeyTemplate::parse(DEFAULT_RATE_KEY, &at.key("key"))?,
                };
                ActionSpec::RateLimit { capacity, refill_per_second: f64::from(capacity) / per, key }
            }
            "MASK_RESPONSE" => ActionSpec::MaskResponse {
                categories: strings(rule.get("categories"), &at.key("categories"))?,
                pointers: pointers(rule.get("pointers"), &at.key("pointers"))?,
            },
            other => {
                return Err(action_at.err(format!(
                    "unknown action `{other}`{}; actions are {}",
                    did_you_mean(suggestion(other, ACTIONS.iter().copied())),
                    ACTIONS.join(", ")
                )));
            }
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            ActionSpec::Allow => "ALLOW",
            ActionSpec::Deny => "DENY",
            ActionSpec::RequireApproval => "REQUIRE_APPROVAL",
            ActionSpec::LogOnly => "LOG_ONLY",
            ActionSpec::RateLimit { .. } => "RATE_LIMIT",
            ActionSpec::MaskResponse { .. } => "MASK_RESPONSE",
        }
    }

    /// Where the action means something: a call is parked or rate-limited
    /// before it reaches the server, and a response is masked on its way back.
    pub fn phases(&self) -> PhaseSet {
        match self {
            ActionSpec::RequireApproval | ActionSpec::RateLimit { .. } => PhaseSet::of(Phase::Request),
            ActionSpec::MaskResponse { .. } => PhaseSet::of(Phase::Response),
            ActionSpec::Allow | ActionSpec::Deny | ActionSpec::LogOnly => PhaseSet::ALL,
        }
    }

    /// The action for one call. `key` renders the rate-limit key; `matched`
    /// are the categories of the findings the rule matched (or of every
    /// finding), masked when the rule names no categories or pointers.
    pub fn build(&self, key: impl FnOnce(&KeyTemplate) -> String, matched: impl FnOnce() -> Vec<String>) -> Action {
        match self {
            ActionSpec::Allow => Action::Allow,
            ActionSpec::Deny => Action::Deny,
            ActionSpec::RequireApproval => Action::RequireApproval,
            ActionSpec::LogOnly => Action::LogOnly,
            ActionSpec::RateLimit { capacity, refill_per_second, key: template } => {
                Action::RateLimit(RateSpec { key: key(template), capacity: *capacity, refill_per_second: *refill_per_second })
            }
            ActionSpec::MaskResponse { categories, pointers } => {
                let categories = if categories.is_empty() && pointers.is_empty() { matched() } else { categories.clone() };
                Action::MaskResponse(MaskSpec { categories, pointers: pointers.clone() })
            }
        }
    }
}

fn period_seconds(value: &Value) -> Option<f64> {
    if let Some(n) = value.as_f64() {
        return (n.is_finite() && n > 0.0).then_some(n);
    }
    let text = value.as_str()?.trim().to_ascii_lowercase();
    let named = match text.as_str() {
        "second" => Some(1.0),
        "minute" => Some(60.0),
        "hour" => Some(3600.0),
        "day" => Some(86_400.0),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let unit = match text.chars().last()? {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        _ => return None,
    };
    let count: f64 = text[..text.len() - 1].parse().ok()?;
    (count.is_finite() && count > 0.0).then_some(count * unit)
}

fn strings(value: Option<&Value>, at: &At) -> Result<Vec<String>, ConfigError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(|| at.err("expected a list of strings")))
            .collect(),
        Some(_) => Err(at.err("expected a list of strings")),
    }
}

fn pointers(value: Option<&Value>, at: &At) -> Result<Vec<String>, ConfigError> {
    let pointers = strings(value, at)?;
    if let Some(bad) = pointers.iter().find(|p| !p.is_empty() && !p.starts_with('/')) {
        return Err(at.err(format!("`{bad}` is not a JSON Pointer; pointers start with `/`, e.g. `/result/content/0/text`")));
    }
    Ok(pointers)
}

/// A rate-limit bucket key with `{field}` placeholders, e.g. `tool:{mcp_server}/{tool}`.
#[derive(Debug, Clone)]
pub struct KeyTemplate {
    parts: Vec<KeyPart>,
}

#[derive(Debug, Clone)]
enum KeyPart {
    Literal(String),
    Field(Field),
}

impl KeyTemplate {
    pub fn parse(text: &str, at: &At) -> Result<KeyTemplate, ConfigError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(KeyPart::Literal(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(at.err(format!("`{text}`: `{{` without a closing `}}`")));
            };
            let name = &rest[open + 1..open + close];
            let field = Field::parse(name, at)?;
            if field.per_finding() || matches!(field.kind(), Kind::Set | Kind::Leaves) {
                return Err(at.err(format!("`{{{name}}}` has no single value per call and cannot name a bucket")));
            }
            parts.push(KeyPart::Field(field));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(KeyPart::Literal(rest.to_string()));
        }
        if parts.is_empty() {
            return Err(at.err("`key` is empty"));
        }
        Ok(KeyTemplate { parts })
    }

    /// The key for one call; `value` renders a field as text (empty when missing).
    pub fn render(&self, mut value: impl FnMut(&Field) -> String) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                KeyPart::Literal(s) => out.push_str(s),
                KeyPart::Field(field) => out.push_str(&value(field)),
            }
        }
        out
    }
}

/// A set of phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseSet(u8);

impl PhaseSet {
    pub const ALL: PhaseSet = PhaseSet(0b1111);
    pub const NONE: PhaseSet = PhaseSet(0);

    pub fn of(phase: Phase) -> PhaseSet {
        PhaseSet(1 << bit(phase))
    }

    pub fn with(self, phase: Phase) -> PhaseSet {
        PhaseSet(self.0 | PhaseSet::of(phase).0)
    }

    pub fn contains(self, phase: Phase) -> bool {
        self.0 & (1 << bit(phase)) != 0
    }

    pub fn intersect(self, other: PhaseSet) -> PhaseSet {
        PhaseSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn names(self) -> Vec<&'static str> {
        Phase::ALL.into_iter().filter(|p| self.contains(*p)).map(Phase::as_str).collect()
    }
}

fn bit(phase: Phase) -> u8 {
    match phase {
        Phase::Request => 0,
        Phase::Response => 1,
        Phase::ToolListing => 2,
        Phase::ServerRequest => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn periods_accept_words_durations_and_seconds() {
        assert_eq!(period_seconds(&json!("minute")), Some(60.0));
        assert_eq!(period_seconds(&json!("30s")), Some(30.0));
        assert_eq!(period_seconds(&json!("2h")), Some(7200.0));
        assert_eq!(period_seconds(&json!(90)), Some(90.0));
        assert_eq!(period_seconds(&json!("fortnight")), None);
        assert_eq!(period_seconds(&json!(0)), None);
    }

    #[test]
    fn key_templates_render_fields() {
        let t = KeyTemplate::parse("tool:{mcp_server}/{tool}", &At::root()).unwrap();
        assert_eq!(t.render(|f| f.name().to_uppercase()), "tool:MCP_SERVER/TOOL");
        assert!(KeyTemplate::parse("x:{agent_permissions}", &At::root()).is_err());
        assert!(KeyTemplate::parse("x:{tool", &At::root()).is_err());
    }
}
