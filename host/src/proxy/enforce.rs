//! From a message to what the proxy does with it: run the pipeline at the
//! message's phase, then turn the verdict into pass or deny. The one place
//! where actions are applied; approvals, rate limits and masking plug in here.

use serde_json::{Value, json};

use super::jsonrpc::{Message, code};
use crate::pipeline::bindings::Action;
use crate::pipeline::decision::combine;
use crate::pipeline::{CallContext, Inspection, Phase, Pipeline, PolicyContext, ScanOutcome, message};

/// Who and where a message belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub session: &'a str,
    pub agent: &'a str,
    pub server: &'a str,
    /// The method of the request the message is about (for a response: the request's).
    pub method: &'a str,
    pub tool: Option<&'a str>,
    pub server_tags: &'a [String],
}

/// Agent id used until authentication exists.
pub const ANONYMOUS: &str = "anonymous";

/// What happens to an inspected message.
#[derive(Debug, Clone)]
pub enum Enforcement {
    Pass,
    Deny(Denial),
}

/// Why a message was stopped.
#[derive(Debug, Clone)]
pub struct Denial {
    pub reason: String,
    /// Finding categories, in detector order, without repeats.
    pub findings: Vec<String>,
    pub policy: Option<String>,
}

impl Denial {
    /// The JSON-RPC error the client (or server) receives instead.
    pub fn to_error(&self, id: &Value) -> Message {
        let data = json!({"findings": self.findings, "policy": self.policy});
        Message::error(id, code::DENIED, &format!("Denied by Warden: {}", self.reason), Some(data))
    }
}

/// Runs the pipeline on `msg` at `phase`. A pipeline with nothing to run at
/// that phase costs no scan: the verdict comes from the defaults alone.
pub fn inspect(pipeline: &Pipeline, phase: Phase, call: Call<'_>, msg: &Message) -> Inspection {
    let busy = pipeline.stages().any(|s| s.enabled && s.phases.contains(&phase));
    if !busy {
        let verdict = combine(&[], &[], pipeline.settings().combine);
        return Inspection { scan: ScanOutcome::default(), decisions: Vec::new(), policy_failures: Vec::new(), verdict };
    }
    let context = CallContext {
        request_id: message::id_text(msg.value()),
        session_id: call.session.to_string(),
        agent_id: call.agent.to_string(),
        agent_type: String::new(),
        server: call.server.to_string(),
        method: call.method.to_string(),
        tool: call.tool.map(str::to_string),
        phase,
        timestamp_ms: now_ms(),
    };
    let input = message::scan_input(context, msg.value(), msg.text());
    let policy_context = PolicyContext {
        agent: crate::pipeline::bindings::Agent {
            id: call.agent.to_string(),
            type_: String::new(),
            permissions: Vec::new(),
            labels: Vec::new(),
        },
        server_tags: call.server_tags.to_vec(),
        ..PolicyContext::default()
    };
    pipeline.inspect(&input, msg.value(), &policy_context)
}

/// The decision point: the verdict's action, applied.
///
/// | verdict           | now                                   |
/// |-------------------|---------------------------------------|
/// | ALLOW, LOG_ONLY   | pass                                  |
/// | DENY              | deny with the verdict's reason        |
/// | REQUIRE_APPROVAL  | deny: approvals are not available yet |
/// | RATE_LIMIT        | pass (rate limits are not built yet)  |
/// | MASK_RESPONSE     | pass (masking is not built yet)       |
pub fn enforcement(inspection: &Inspection) -> Enforcement {
    let verdict = &inspection.verdict;
    let reason = match &verdict.action {
        Action::Allow | Action::LogOnly | Action::RateLimit(_) | Action::MaskResponse(_) => return Enforcement::Pass,
        Action::Deny => verdict.reason.clone(),
        Action::RequireApproval => format!("approval required; approvals are not available yet ({})", verdict.reason),
    };
    let mut findings: Vec<String> = Vec::new();
    for f in &inspection.scan.findings {
        if !findings.contains(&f.finding.category) {
            findings.push(f.finding.category.clone());
        }
    }
    let policy = verdict.decided_by.and_then(|i| inspection.decisions.get(i)).map(|d| d.policy.clone());
    Enforcement::Deny(Denial { reason, findings, policy })
}

/// Inspects and decides in one step, logging denials.
pub fn check(pipeline: &Pipeline, phase: Phase, call: Call<'_>, msg: &Message) -> Enforcement {
    let inspection = inspect(pipeline, phase, call, msg);
    let outcome = enforcement(&inspection);
    if let Enforcement::Deny(denial) = &outcome {
        tracing::warn!(
            server = call.server, method = call.method, tool = call.tool.unwrap_or(""), session = call.session,
            phase = crate::scan::phase_name(phase), reason = %denial.reason, "message denied"
        );
    }
    outcome
}

/// The phase of a server's answer to a request with `method`.
pub fn answer_phase(method: &str, answer: &Message) -> Phase {
    let input_required = answer.result_value().and_then(|r| r.get("resultType")).and_then(Value::as_str) == Some("input_required");
    if input_required {
        return Phase::ServerRequest;
    }
    match method {
        "tools/list" | "prompts/list" | "resources/list" | "resources/templates/list" => Phase::ToolListing,
        _ => Phase::Response,
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::decision::{ActionKind, Verdict};
    use crate::pipeline::{AttributedFinding, Finding, Severity};

    fn inspection(action: Action) -> Inspection {
        let finding = |category: &str| AttributedFinding {
            detector: "d".into(),
            finding: Finding {
                category: category.into(),
                rule_id: "r".into(),
                severity: Severity::High,
                confidence: 1.0,
                message: String::new(),
                spans: vec![],
            },
        };
        Inspection {
            scan: ScanOutcome { findings: vec![finding("pii"), finding("secrets"), finding("pii")], ..Default::default() },
            decisions: vec![],
            policy_failures: vec![],
            verdict: Verdict { action, reason: "because".into(), decided_by: None, would: None },
        }
    }

    #[test]
    fn a_deny_carries_the_reason_and_each_category_once() {
        let Enforcement::Deny(denial) = enforcement(&inspection(Action::Deny)) else { panic!("denied") };
        assert_eq!(denial.findings, ["pii", "secrets"]);
        let error = denial.to_error(&json!(7));
        assert_eq!(error.id(), Some(&json!(7)));
        assert_eq!(error.value()["error"]["code"], code::DENIED);
        assert_eq!(error.value()["error"]["message"], "Denied by Warden: because");
    }

    #[test]
    fn approval_is_a_deny_until_approvals_exist_and_modifiers_pass() {
        let Enforcement::Deny(denial) = enforcement(&inspection(Action::RequireApproval)) else { panic!("denied") };
        assert!(denial.reason.starts_with("approval required; approvals are not available yet"));
        assert!(matches!(enforcement(&inspection(Action::LogOnly)), Enforcement::Pass));
        assert!(matches!(enforcement(&inspection(Action::Allow)), Enforcement::Pass));
        assert_eq!(ActionKind::of(&Action::Deny), ActionKind::Deny);
    }

    #[test]
    fn input_required_results_are_server_requests() {
        let m = Message::parse(bytes::Bytes::from_static(br#"{"jsonrpc":"2.0","id":1,"result":{"resultType":"input_required","inputRequests":{}}}"#)).unwrap();
        assert_eq!(answer_phase("tools/call", &m), Phase::ServerRequest);
        let m = Message::parse(bytes::Bytes::from_static(br#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#)).unwrap();
        assert_eq!(answer_phase("tools/list", &m), Phase::ToolListing);
    }
}
