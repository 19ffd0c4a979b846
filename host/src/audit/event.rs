//! What one audit event holds.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// One exchange through the gateway, as recorded in the audit trail.
///
/// The caller fills in what happened; [`super::AuditLog::record`] assigns
/// `id` (and `timestamp_us` when left at 0); the writer assigns `seq`,
/// `prev_hash` and `hash` when it appends the event to the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Unique id (UUID v7: ordered by creation time).
    pub id: String,
    /// When the exchange started, microseconds since the Unix epoch.
    pub timestamp_us: i64,
    pub session: String,
    /// The JSON-RPC id as JSON text (`7`, `"abc"`), empty for notifications.
    pub request_id: String,
    pub agent: String,
    pub server: String,
    /// Tool, prompt or resource the call is about; empty when none.
    pub tool: String,
    pub method: String,
    /// `request`, `response`, `tool-listing` or `server-request`.
    pub phase: String,
    /// The call's parameters as JSON, masked, and cut to the configured size.
    pub parameters: String,
    /// Whether `parameters` was cut (it is then not valid JSON).
    pub parameters_truncated: bool,
    /// A short description of the response (cut to the configured size).
    pub response_summary: String,
    pub findings: Vec<FindingRecord>,
    pub decision: DecisionRecord,
    /// Time the gateway added (inspection, policy), microseconds.
    pub latency_us: i64,
    /// Time spent waiting for the upstream server, microseconds, when it was called.
    pub upstream_latency_us: Option<i64>,
    /// Hash of the previous event (64 zeros for the first event of a chain).
    pub prev_hash: String,
    /// SHA-256 of this event's canonical encoding, hex.
    pub hash: String,
}

/// One finding, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    pub category: String,
    pub rule: String,
    /// `info`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// The detector plugin that reported it.
    pub detector: String,
}

/// The verdict applied to the exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// `ALLOW`, `DENY`, `REQUIRE_APPROVAL`, `LOG_ONLY`, `RATE_LIMIT` or `MASK_RESPONSE`.
    pub action: String,
    /// The policy that decided; empty for the default action.
    pub policy: String,
    pub rule: String,
    pub reason: String,
    pub policy_version: String,
}

/// Rewrites the string leaves of recorded parameters (e.g. replaces a
/// detected e-mail address by `[REDACTED:email]`). `pointer` is the leaf's
/// JSON Pointer inside the parameters; `None` keeps the value as it is.
/// Any `Fn(&str, &str) -> Option<String>` is a mask.
pub trait Mask {
    fn mask(&self, pointer: &str, value: &str) -> Option<String>;
}

/// Records parameters as they are.
pub struct NoMask;

impl Mask for NoMask {
    fn mask(&self, _pointer: &str, _value: &str) -> Option<String> {
        None
    }
}

impl<F: Fn(&str, &str) -> Option<String>> Mask for F {
    fn mask(&self, pointer: &str, value: &str) -> Option<String> {
        self(pointer, value)
    }
}

/// Parameters ready to record: masked JSON, cut to `max_bytes`.
pub fn capture_parameters(params: &serde_json::Value, max_bytes: usize, mask: &dyn Mask) -> (String, bool) {
    let masked = mask_value(params, &mut String::new(), mask);
    let text = masked.to_string();
    let (text, truncated) = truncate(&text, max_bytes);
    (text.into_owned(), truncated)
}

fn mask_value(value: &serde_json::Value, pointer: &mut String, mask: &dyn Mask) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(mask.mask(pointer, s).unwrap_or_else(|| s.clone())),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| with_segment(pointer, &i.to_string(), |p| mask_value(item, p, mask)))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), with_segment(pointer, &escape_pointer(k), |p| mask_value(v, p, mask))))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn with_segment<T>(pointer: &mut String, segment: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = pointer.len();
    pointer.push('/');
    pointer.push_str(segment);
    let out = f(pointer);
    pointer.truncate(len);
    out
}

fn escape_pointer(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) { Cow::Owned(key.replace('~', "~0").replace('/', "~1")) } else { Cow::Borrowed(key) }
}

/// Cuts `text` to at most `max_bytes` on a character boundary.
pub fn truncate(text: &str, max_bytes: usize) -> (Cow<'_, str>, bool) {
    if text.len() <= max_bytes {
        return (Cow::Borrowed(text), false);
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (Cow::Borrowed(&text[..end]), true)
}

impl AuditEvent {
    /// Makes every text storable on both backends (PostgreSQL refuses NUL in
    /// TEXT) and enforces the size limits. Runs before hashing, so the hash
    /// covers exactly what is stored.
    pub(crate) fn normalize(&mut self, max_parameter_bytes: usize, max_response_bytes: usize) {
        for field in self.texts_mut() {
            if field.contains('\0') {
                *field = field.replace('\0', "\u{FFFD}");
            }
        }
        if let (cut, true) = truncate(&self.parameters, max_parameter_bytes) {
            self.parameters = cut.into_owned();
            self.parameters_truncated = true;
        }
        if let (cut, true) = truncate(&self.response_summary, max_response_bytes) {
            self.response_summary = cut.into_owned();
        }
    }

    fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        let d = &mut self.decision;
        [
            &mut self.session,
            &mut self.request_id,
            &mut self.agent,
            &mut self.server,
            &mut self.tool,
            &mut self.method,
            &mut self.phase,
            &mut self.parameters,
            &mut self.response_summary,
            &mut d.action,
            &mut d.policy,
            &mut d.rule,
            &mut d.reason,
            &mut d.policy_version,
        ]
        .into_iter()
        .chain(self.findings.iter_mut().flat_map(|f| [&mut f.category, &mut f.rule, &mut f.severity, &mut f.detector]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_are_masked_leaf_by_leaf_with_their_pointer() {
        let mask = |pointer: &str, _value: &str| (pointer == "/arguments/to").then(|| "[REDACTED:email]".to_string());
        let (text, cut) =
            capture_parameters(&json!({"name": "send", "arguments": {"to": "a@b.c", "n": 2}}), 4096, &mask);
        assert!(!cut);
        assert_eq!(text, r#"{"name":"send","arguments":{"to":"[REDACTED:email]","n":2}}"#);
    }

    #[test]
    fn long_parameters_are_cut_on_a_character_boundary() {
        let (text, cut) = capture_parameters(&json!({"text": "é".repeat(100)}), 64, &NoMask);
        assert!(cut);
        assert!(text.len() <= 64 && text.starts_with(r#"{"text":"éé"#), "{text}");
    }

    #[test]
    fn normalizing_removes_nul_and_applies_limits() {
        let mut e = AuditEvent { agent: "a\0b".into(), response_summary: "x".repeat(100), ..Default::default() };
        e.normalize(64, 64);
        assert_eq!(e.agent, "a\u{FFFD}b");
        assert_eq!(e.response_summary.len(), 64);
    }
}
