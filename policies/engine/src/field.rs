//! What a condition looks at: the fields of a call, and how each is read
//! from the policy input.

use serde_json::Value;

use crate::error::{At, ConfigError, did_you_mean, suggestion};

/// A condition field, parsed from its name.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    AgentId,
    AgentType,
    AgentPermissions,
    /// Every label as `key=value`.
    AgentLabels,
    /// The value of one label (`agent_labels.<key>`).
    AgentLabel(String),
    McpServer,
    ServerTags,
    Tool,
    Method,
    Phase,
    Time,
    DayOfWeek,
    /// Every string value anywhere in the parameters.
    Params,
    /// `params.<name>[.<name>…]`: an argument of the call.
    Param(Vec<String>),
    /// `params/<pointer>`: a JSON Pointer into the JSON-RPC `params`, kept
    /// as written and as unescaped reference tokens (split once, here).
    ParamPointer(String, Vec<String>),
    FindingCategory,
    FindingSeverity,
    FindingDetector,
    FindingRuleId,
    FindingConfidence,
    FindingCount,
    SessionCalls,
    SessionBytes,
    ClientIp,
}

/// How a field's values compare, which decides the operators it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One string.
    Text,
    /// A set of strings (permissions, tags, labels): `contains` tests membership.
    Set,
    /// Every string leaf of a JSON value: `contains` tests for a substring in any.
    Leaves,
    Number,
    Severity,
    Time,
    Day,
    Ip,
    /// A JSON value of any type (a parameter).
    Json,
}

/// The fields without a key or path, by name.
const PLAIN: &[(&str, Field)] = &[
    ("agent_id", Field::AgentId),
    ("agent_type", Field::AgentType),
    ("agent_permissions", Field::AgentPermissions),
    ("agent_labels", Field::AgentLabels),
    ("mcp_server", Field::McpServer),
    ("server_tags", Field::ServerTags),
    ("tool", Field::Tool),
    ("method", Field::Method),
    ("phase", Field::Phase),
    ("time", Field::Time),
    ("day_of_week", Field::DayOfWeek),
    ("params", Field::Params),
    ("finding_category", Field::FindingCategory),
    ("finding_severity", Field::FindingSeverity),
    ("finding_detector", Field::FindingDetector),
    ("finding_rule_id", Field::FindingRuleId),
    ("finding_confidence", Field::FindingConfidence),
    ("finding_count", Field::FindingCount),
    ("session_calls", Field::SessionCalls),
    ("session_bytes", Field::SessionBytes),
    ("client_ip", Field::ClientIp),
];

/// The plain field names, for messages and suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    PLAIN.iter().map(|(name, _)| *name)
}

impl Field {
    pub fn parse(name: &str, at: &At) -> Result<Field, ConfigError> {
        match PLAIN.iter().find(|(n, _)| *n == name) {
            Some((_, field)) => Ok(field.clone()),
            None => Field::parse_path(name, at),
        }
    }

    fn parse_path(name: &str, at: &At) -> Result<Field, ConfigError> {
        if let Some(key) = name.strip_prefix("agent_labels.") {
            if key.is_empty() {
                return Err(at.err("`agent_labels.` needs a label key, e.g. `agent_labels.team`"));
            }
            return Ok(Field::AgentLabel(key.to_string()));
        }
        if let Some(path) = name.strip_prefix("params.") {
            let names: Vec<String> = path.split('.').map(str::to_string).collect();
            if names.iter().any(String::is_empty) {
                return Err(at.err(format!("`{name}`: empty parameter name (write `params.<name>`, or `params/<pointer>`)")));
            }
            return Ok(Field::Param(names));
        }
        if let Some(pointer) = name.strip_prefix("params/") {
            if pointer.is_empty() {
                return Err(at.err("`params/` needs a JSON Pointer, e.g. `params/arguments/query`"));
            }
            if !valid_pointer_escapes(pointer) {
                return Err(at.err(format!("`{name}`: `~` in a JSON Pointer must be followed by 0 or 1")));
            }
            let tokens = pointer.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
            return Ok(Field::ParamPointer(format!("/{pointer}"), tokens));
        }
        // A likely typo gets a suggestion; anything else the whole list.
        Err(at.err(match suggestion(name, names()) {
            Some(close) => format!("unknown field `{name}`{}", did_you_mean(Some(close))),
            None => format!(
                "unknown field `{name}`; fields are {}, `agent_labels.<key>`, `params.<name>` and `params/<pointer>`",
                names().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        }))
    }

    pub fn kind(&self) -> Kind {
        match self {
            Field::AgentId
            | Field::AgentType
            | Field::AgentLabel(_)
            | Field::McpServer
            | Field::Tool
            | Field::Method
            | Field::Phase
            | Field::FindingCategory
            | Field::FindingDetector
            | Field::FindingRuleId => Kind::Text,
            Field::AgentPermissions | Field::AgentLabels | Field::ServerTags => Kind::Set,
            Field::Params => Kind::Leaves,
            Field::Param(_) | Field::ParamPointer(..) => Kind::Json,
            Field::FindingConfidence | Field::FindingCount | Field::SessionCalls | Field::SessionBytes => Kind::Number,
            Field::FindingSeverity => Kind::Severity,
            Field::Time => Kind::Time,
            Field::DayOfWeek => Kind::Day,
            Field::ClientIp => Kind::Ip,
        }
    }

    /// Fields describing one finding: a rule's finding conditions must all
    /// hold for the same finding.
    pub fn per_finding(&self) -> bool {
        matches!(
            self,
            Field::FindingCategory
                | Field::FindingSeverity
                | Field::FindingDetector
                | Field::FindingRuleId
                | Field::FindingConfidence
        )
    }

    /// The name as written in policies.
    pub fn name(&self) -> String {
        match self {
            Field::AgentLabel(key) => format!("agent_labels.{key}"),
            Field::Param(names) => format!("params.{}", names.join(".")),
            Field::ParamPointer(pointer, _) => format!("params{pointer}"),
            other => PLAIN.iter().find(|(_, f)| f == other).map(|(n, _)| n.to_string()).unwrap_or_default(),
        }
    }
}

fn valid_pointer_escapes(pointer: &str) -> bool {
    let bytes = pointer.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| *b != b'~' || matches!(bytes.get(i + 1), Some(b'0' | b'1')))
}

/// `params.<names>`: looked up in the call's `arguments` when the message has
/// an `arguments` object (tools/call, prompts/get), else in `params` itself.
pub fn param<'v>(params: &'v Value, names: &[String]) -> Option<&'v Value> {
    match params.get("arguments") {
        Some(arguments @ Value::Object(_)) => walk(arguments, names),
        _ => walk(params, names),
    }
}

/// Follows object keys and array indexes from `node`.
pub fn walk<'v>(mut node: &'v Value, names: &[String]) -> Option<&'v Value> {
    for name in names {
        node = match node {
            // Arguments are small objects: a scan beats hashing the key.
            Value::Object(map) if map.len() <= 16 => map.iter().find(|(k, _)| *k == name).map(|(_, v)| v)?,
            Value::Object(map) => map.get(name)?,
            Value::Array(items) => items.get(name.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_plain_name_round_trips() {
        for name in names() {
            assert_eq!(Field::parse(name, &At::root()).unwrap().name(), name);
        }
        for name in ["agent_labels.team", "params.table", "params.a.b", "params/arguments/q", "params/a~1b/~0c"] {
            assert_eq!(Field::parse(name, &At::root()).unwrap().name(), name);
        }
    }

    #[test]
    fn params_by_name_look_in_the_arguments() {
        let call = json!({"name": "db_write", "arguments": {"table": "users", "rows": [{"id": 7}]}});
        assert_eq!(param(&call, &["table".into()]), Some(&json!("users")));
        assert_eq!(param(&call, &["rows".into(), "0".into(), "id".into()]), Some(&json!(7)));
        assert_eq!(param(&call, &["name".into()]), None, "the tool name is not an argument");
        let read = json!({"uri": "file:///etc/passwd"});
        assert_eq!(param(&read, &["uri".into()]), Some(&json!("file:///etc/passwd")));
    }
}
