//! `warden eval`: runs the configured pipeline over labeled samples and
//! measures, per category, how well the detectors separate them.
//!
//! One sample per line (JSON Lines):
//! `{"id"?, "category": "injection"|"poisoning"|"pii"|"secrets", "text", "label", "phase"?}` — the text is placed
//! where that category naturally occurs: injection, pii and secrets in a tool result (or, with
//! `"phase": "request"`, in a tool call's arguments); poisoning as a tool description in a tools/list result.
//! Exfiltration samples replay a session: `{"category": "exfiltration", "session": [{"tool", "arguments",
//! "result"?}], "label"}`, positive when any call of the session is flagged.
//! A sample counts as detected when any finding of its category is raised.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::pipeline::{CallContext, Phase, Pipeline, message};

/// One labeled sample.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    #[serde(default)]
    pub id: Option<String>,
    pub category: String,
    #[serde(default)]
    pub text: Option<String>,
    pub label: bool,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub session: Option<Vec<SessionCall>>,
}

/// One call of an exfiltration session.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionCall {
    pub tool: String,
    #[serde(default)]
    pub arguments: Value,
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
}

/// Confusion counts and derived scores of one category.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub tn: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Samples during which a plugin failed (counted by their outcome anyway).
    pub plugin_errors: u64,
    /// Ids (or line numbers) of the misclassified samples.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub false_positives: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub false_negatives: Vec<String>,
}

impl Score {
    fn finish(&mut self) {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.tp, self.tp + self.fp);
        self.recall = ratio(self.tp, self.tp + self.fn_);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
    }
}

/// Errors in the samples file.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("line {line}: {reason}")]
    BadLine { line: usize, reason: String },
}

/// Parses JSON Lines samples (blank lines and `//` comments are skipped).
pub fn parse_samples(text: &str) -> Result<Vec<(usize, Sample)>, EvalError> {
    let mut samples = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        let sample: Sample =
            serde_json::from_str(trimmed).map_err(|e| EvalError::BadLine { line: i + 1, reason: e.to_string() })?;
        let ok = match sample.category.as_str() {
            "exfiltration" => sample.session.as_ref().is_some_and(|s| !s.is_empty()),
            _ => sample.text.is_some(),
        };
        if !ok {
            let reason = format!("a {} sample needs {}", sample.category, if sample.category == "exfiltration" { "a non-empty `session`" } else { "`text`" });
            return Err(EvalError::BadLine { line: i + 1, reason });
        }
        if let Some(phase) = &sample.phase {
            if !["request", "response", "tool-listing", "server-request"].contains(&phase.as_str()) {
                return Err(EvalError::BadLine { line: i + 1, reason: format!("unknown phase {phase:?}") });
            }
        }
        samples.push((i + 1, sample));
    }
    Ok(samples)
}

/// Runs every sample through the pipeline's detectors; results keyed by category.
pub fn evaluate(pipeline: &Pipeline, samples: &[(usize, Sample)]) -> BTreeMap<String, Score> {
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for (n, (line, sample)) in samples.iter().enumerate() {
        let (detected, errors) = run_sample(pipeline, n, sample);
        let score = scores.entry(sample.category.clone()).or_default();
        let name = sample.id.clone().unwrap_or_else(|| format!("line {line}"));
        score.plugin_errors += u64::from(errors);
        match (sample.label, detected) {
            (true, true) => score.tp += 1,
            (true, false) => {
                score.fn_ += 1;
                score.false_negatives.push(name);
            }
            (false, true) => {
                score.fp += 1;
                score.false_positives.push(name);
            }
            (false, false) => score.tn += 1,
        }
    }
    scores.values_mut().for_each(Score::finish);
    scores
}

/// Scans one sample; returns whether its category was raised and whether a plugin failed.
fn run_sample(pipeline: &Pipeline, n: usize, sample: &Sample) -> (bool, bool) {
    let session = format!("eval-{n}");
    let server = format!("eval-server-{n}");
    let mut detected = false;
    let mut failed = false;
    let mut scan = |phase: Phase, method: &str, tool: Option<&str>, server: &str, msg: Value| {
        let context = CallContext {
            request_id: "1".into(),
            session_id: session.clone(),
            agent_id: "eval".into(),
            agent_type: String::new(),
            server: server.to_string(),
            method: method.to_string(),
            tool: tool.map(str::to_string),
            phase,
            timestamp_ms: 0,
        };
        let input = message::scan_input(context, &msg, &msg.to_string());
        let outcome = pipeline.scan(&input);
        failed |= !outcome.failures.is_empty();
        detected |= outcome.findings.iter().any(|f| f.finding.category == sample.category);
    };
    let text = sample.text.as_deref().unwrap_or_default();
    match (sample.category.as_str(), sample.phase.as_deref()) {
        ("exfiltration", _) => {
            for (i, call) in sample.session.iter().flatten().enumerate() {
                let server = call.server.as_deref().unwrap_or("eval-server");
                let request = json!({"jsonrpc": "2.0", "id": i + 1, "method": "tools/call",
                                     "params": {"name": call.tool, "arguments": call.arguments}});
                scan(Phase::Request, "tools/call", Some(&call.tool), server, request);
                if let Some(result) = &call.result {
                    scan(Phase::Response, "tools/call", Some(&call.tool), server, tool_result(i + 1, result));
                }
            }
        }
        ("poisoning", _) | (_, Some("tool-listing")) => {
            let listing = json!({"jsonrpc": "2.0", "id": 1, "result": {"tools": [{
                "name": format!("tool_{n}"), "description": text,
                "inputSchema": {"type": "object", "properties": {}}}]}});
            scan(Phase::ToolListing, "tools/list", None, &server, listing);
        }
        (_, Some("request")) => {
            let request = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                 "params": {"name": "submit", "arguments": {"input": text}}});
            scan(Phase::Request, "tools/call", Some("submit"), &server, request);
        }
        (_, Some("server-request")) => {
            let request = json!({"jsonrpc": "2.0", "id": 1, "method": "sampling/createMessage",
                                 "params": {"messages": [{"role": "user", "content": {"type": "text", "text": text}}], "maxTokens": 100}});
            scan(Phase::ServerRequest, "sampling/createMessage", None, &server, request);
        }
        _ => scan(Phase::Response, "tools/call", Some("fetch"), &server, tool_result(1, text)),
    }
    (detected, failed)
}

fn tool_result(id: usize, text: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": {"content": [{"type": "text", "text": text}], "isError": false}})
}

/// The human-readable table.
pub fn table(scores: &BTreeMap<String, Score>) -> String {
    let mut out = format!(
        "{:<14} {:>5} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}\n",
        "category", "TP", "FP", "FN", "TN", "precision", "recall", "F1"
    );
    for (category, s) in scores {
        out.push_str(&format!(
            "{:<14} {:>5} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}\n",
            category, s.tp, s.fp, s.fn_, s.tn, s.precision, s.recall, s.f1
        ));
    }
    out
}
