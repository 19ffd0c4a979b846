//! One-shot inspection of a JSON-RPC message (`warden scan`), and the JSON
//! report shape shared by the CLI and the API.

use serde::Serialize;
use serde_json::Value;

use crate::pipeline::bindings::{Action, Agent};
use crate::pipeline::{ActionKind, CallContext, Inspection, Phase, Pipeline, PolicyContext, ScanInput, message};

/// Who and where, for a message inspected outside a live session.
#[derive(Debug, Clone, Default)]
pub struct ScanTarget {
    pub phase: Option<Phase>,
    pub server: String,
    pub tool: Option<String>,
    pub agent: String,
    pub session: String,
    /// What policies see of the agent and the server.
    pub agent_type: String,
    pub permissions: Vec<String>,
    pub labels: Vec<(String, String)>,
    pub server_tags: Vec<String>,
    pub client_ip: String,
}

/// Errors of a one-shot scan.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("the input is not JSON: {0}")]
    NotJson(String),
    #[error("the input is not a JSON-RPC message object")]
    NotJsonRpc,
}

/// Infers the phase of a message: server-initiated methods are `server-request`,
/// other methods `request`; results listing tools/prompts/resources are
/// `tool-listing`, other results `response`.
pub fn infer_phase(msg: &Value) -> Phase {
    if let Some(method) = message::method(msg) {
        return match method {
            "sampling/createMessage" | "elicitation/create" | "roots/list" => Phase::ServerRequest,
            _ => Phase::Request,
        };
    }
    let listing = msg
        .get("result")
        .is_some_and(|r| ["tools", "prompts", "resources", "resourceTemplates"].iter().any(|k| r.get(k).is_some_and(Value::is_array)));
    if listing { Phase::ToolListing } else { Phase::Response }
}

/// Runs the pipeline and policies on one message.
pub fn scan_message(pipeline: &Pipeline, raw: &str, target: &ScanTarget, now_ms: u64) -> Result<(ScanInput, Inspection), ScanError> {
    let msg: Value = serde_json::from_str(raw).map_err(|e| ScanError::NotJson(e.to_string()))?;
    if !msg.is_object() {
        return Err(ScanError::NotJsonRpc);
    }
    let phase = target.phase.unwrap_or_else(|| infer_phase(&msg));
    let context = CallContext {
        request_id: message::id_text(&msg),
        session_id: target.session.clone(),
        agent_id: target.agent.clone(),
        agent_type: target.agent_type.clone(),
        server: target.server.clone(),
        method: message::method(&msg).unwrap_or_default().to_string(),
        tool: target.tool.clone().or_else(|| message::target_name(&msg).map(str::to_string)),
        phase,
        timestamp_ms: now_ms,
    };
    let input = message::scan_input(context, &msg, raw);
    let policy_context = PolicyContext {
        agent: Agent {
            id: target.agent.clone(),
            type_: target.agent_type.clone(),
            permissions: target.permissions.clone(),
            labels: target.labels.clone(),
        },
        server_tags: target.server_tags.clone(),
        session_calls: 1,
        session_bytes: raw.len() as u64,
        client_ip: target.client_ip.clone(),
    };
    let inspection = pipeline.inspect(&input, &msg, &policy_context);
    Ok((input, inspection))
}

/// The JSON report of an inspection.
#[derive(Debug, Serialize)]
pub struct Report {
    pub phase: &'static str,
    pub findings: Vec<FindingReport>,
    pub failures: Vec<FailureReport>,
    pub decisions: Vec<DecisionReport>,
    pub decision: VerdictReport,
}

#[derive(Debug, Serialize)]
pub struct FindingReport {
    pub detector: String,
    pub category: String,
    pub rule_id: String,
    pub severity: &'static str,
    pub confidence: f32,
    pub message: String,
    pub spans: Vec<SpanReport>,
}

#[derive(Debug, Serialize)]
pub struct SpanReport {
    /// JSON Pointer of the string the span is in.
    pub pointer: String,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Serialize)]
pub struct FailureReport {
    pub plugin: String,
    pub kind: &'static str,
    pub error: String,
    pub on_error: crate::config::OnError,
}

#[derive(Debug, Serialize)]
pub struct DecisionReport {
    pub plugin: String,
    pub action: ActionKind,
    pub policy: String,
    pub policy_version: String,
    pub rule_id: String,
    pub reason: String,
    pub log_only_mode: bool,
}

#[derive(Debug, Serialize)]
pub struct VerdictReport {
    pub action: ActionKind,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub would: Option<ActionKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Value>,
}

/// Builds the report of an inspection of `input`.
pub fn report(input: &ScanInput, inspection: &Inspection) -> Report {
    let findings = inspection
        .scan
        .findings
        .iter()
        .map(|a| FindingReport {
            detector: a.detector.clone(),
            category: a.finding.category.clone(),
            rule_id: a.finding.rule_id.clone(),
            severity: severity_name(a.finding.severity),
            confidence: a.finding.confidence,
            message: a.finding.message.clone(),
            spans: a
                .finding
                .spans
                .iter()
                .map(|s| SpanReport {
                    pointer: input.texts.get(s.text_index as usize).map(|t| t.pointer.clone()).unwrap_or_default(),
                    start: s.start,
                    end: s.end,
                })
                .collect(),
        })
        .collect();
    let failures = inspection
        .scan
        .failures
        .iter()
        .chain(inspection.policy_failures.iter())
        .map(|f| FailureReport { plugin: f.plugin.clone(), kind: f.error.kind(), error: f.error.to_string(), on_error: f.on_error })
        .collect();
    let decisions = inspection
        .decisions
        .iter()
        .map(|d| DecisionReport {
            plugin: d.plugin.clone(),
            action: ActionKind::of(&d.action),
            policy: d.policy.clone(),
            policy_version: d.policy_version.clone(),
            rule_id: d.rule_id.clone(),
            reason: d.reason.clone(),
            log_only_mode: d.log_only_mode,
        })
        .collect();
    let verdict = &inspection.verdict;
    Report {
        phase: phase_name(input.context.phase),
        findings,
        failures,
        decisions,
        decision: VerdictReport {
            action: verdict.kind(),
            reason: verdict.reason.clone(),
            would: verdict.would,
            arguments: action_arguments(&verdict.action),
        },
    }
}

fn action_arguments(action: &Action) -> Option<Value> {
    match action {
        Action::RateLimit(spec) => Some(serde_json::json!({
            "key": spec.key, "capacity": spec.capacity, "refill_per_second": spec.refill_per_second
        })),
        Action::MaskResponse(spec) => Some(serde_json::json!({"categories": spec.categories, "pointers": spec.pointers})),
        _ => None,
    }
}

pub fn severity_name(severity: crate::pipeline::Severity) -> &'static str {
    use crate::pipeline::Severity;
    match severity {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

pub fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Request => "request",
        Phase::Response => "response",
        Phase::ToolListing => "tool-listing",
        Phase::ServerRequest => "server-request",
    }
}
