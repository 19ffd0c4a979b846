//! Evaluating compiled policies on one call.

use std::cell::{OnceCell, RefCell};
use std::cmp::Reverse;
use std::net::IpAddr;

use serde_json::Value;
use warden_sdk::{AttributedFinding, Decision, PolicyInput};

use crate::clock::{LocalTime, Zone, day_name};
use crate::compile::{CompiledPolicy, CompiledRule, compile};
use crate::condition::{Subject, normalize, severity_rank};
use crate::error::ConfigError;
use crate::field::{Field, param, walk};

/// Compiled policies, ready to evaluate calls.
pub struct Engine {
    /// By priority (highest first), then document order.
    policies: Vec<CompiledPolicy>,
    zones: Vec<Zone>,
}

impl Engine {
    /// Compiles the engine configuration `{timezone, policies}`; regexes,
    /// times, networks and severities are parsed here, once.
    pub fn compile(config: &Value) -> Result<Engine, ConfigError> {
        let mut compiled = compile(config)?;
        compiled.policies.sort_by_key(|p| Reverse(p.priority));
        Ok(Engine { policies: compiled.policies, zones: compiled.zones })
    }

    /// `(name, version)` of each enabled policy, in evaluation order.
    pub fn policies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.policies.iter().map(|p| (p.name.as_str(), p.version.as_str()))
    }

    /// Enabled rules across all policies.
    pub fn rule_count(&self) -> usize {
        self.policies.iter().map(|p| p.rules.len()).sum()
    }

    /// One decision per matching rule, highest-priority policy first.
    pub fn evaluate(&self, input: &PolicyInput) -> Vec<Decision> {
        let facts = Facts::new(input, &self.zones);
        let phase = input.context.phase;
        let mut decisions = Vec::new();
        for policy in &self.policies {
            for rule in policy.rules.iter().filter(|r| r.phases.contains(phase)) {
                if !rule.conditions.iter().all(|c| c.holds(&facts.subject(&c.field, policy.zone))) {
                    continue;
                }
                if !rule.finding_conditions.is_empty() && !input.findings.iter().any(|f| finding_matches(rule, f)) {
                    continue;
                }
                let action = rule.action.build(
                    |key| key.render(|field| facts.text(field, policy.zone)),
                    || matched_categories(rule, &input.findings),
                );
                decisions.push(Decision {
                    action,
                    policy: policy.name.clone(),
                    policy_version: policy.version.clone(),
                    rule_id: rule.id.clone(),
                    reason: rule.reason.clone(),
                    log_only_mode: policy.log_only,
                });
            }
        }
        decisions
    }
}

fn finding_matches(rule: &CompiledRule, finding: &AttributedFinding) -> bool {
    rule.finding_conditions.iter().all(|c| c.holds(&finding_subject(finding, &c.field)))
}

/// The categories of the findings the rule matched (all findings when it has
/// no finding conditions), each once.
fn matched_categories(rule: &CompiledRule, findings: &[AttributedFinding]) -> Vec<String> {
    let mut categories: Vec<String> = Vec::new();
    for f in findings.iter().filter(|f| finding_matches(rule, f)) {
        if !categories.contains(&f.finding.category) {
            categories.push(f.finding.category.clone());
        }
    }
    categories
}

fn finding_subject<'a>(finding: &'a AttributedFinding, field: &Field) -> Subject<'a> {
    match field {
        Field::FindingCategory => Subject::Text(&finding.finding.category),
        Field::FindingSeverity => Subject::Number(f64::from(severity_rank(finding.finding.severity))),
        Field::FindingDetector => Subject::Text(&finding.detector),
        Field::FindingRuleId => Subject::Text(&finding.finding.rule_id),
        Field::FindingConfidence => Subject::Number(f64::from(finding.finding.confidence)),
        _ => Subject::Missing,
    }
}

fn json(value: Option<&Value>) -> Subject<'_> {
    match value {
        None | Some(Value::Null) => Subject::Missing,
        Some(v) => Subject::Json(v),
    }
}

/// What one call holds, computed on first use (parameters parsed once, the
/// clock read once per time zone).
struct Facts<'a> {
    input: &'a PolicyInput,
    zones: &'a [Zone],
    params: OnceCell<Value>,
    /// `(zone, local time)` for the zones read so far (no allocation until then).
    clocks: RefCell<Vec<(usize, LocalTime)>>,
    ip: OnceCell<Option<IpAddr>>,
}

impl<'a> Facts<'a> {
    fn new(input: &'a PolicyInput, zones: &'a [Zone]) -> Facts<'a> {
        Facts { input, zones, params: OnceCell::new(), clocks: RefCell::new(Vec::new()), ip: OnceCell::new() }
    }

    fn params(&self) -> &Value {
        self.params.get_or_init(|| serde_json::from_str(&self.input.params_json).unwrap_or(Value::Null))
    }

    fn clock(&self, zone: usize) -> LocalTime {
        if let Some((_, local)) = self.clocks.borrow().iter().find(|(z, _)| *z == zone) {
            return *local;
        }
        let local = self.zones.get(zone).unwrap_or(&Zone::UTC).local(self.input.context.timestamp_ms);
        self.clocks.borrow_mut().push((zone, local));
        local
    }

    fn subject(&self, field: &Field, zone: usize) -> Subject<'_> {
        let input = self.input;
        let text = |s: &'a str| if s.is_empty() { Subject::Missing } else { Subject::Text(s) };
        let set = |items: &'a [String]| if items.is_empty() { Subject::Missing } else { Subject::Set(items) };
        match field {
            Field::AgentId => text(if input.agent.id.is_empty() { &input.context.agent_id } else { &input.agent.id }),
            Field::AgentType => text(if input.agent.type_.is_empty() { &input.context.agent_type } else { &input.agent.type_ }),
            Field::AgentPermissions => set(&input.agent.permissions),
            Field::AgentLabels if input.agent.labels.is_empty() => Subject::Missing,
            Field::AgentLabels => Subject::Labels(&input.agent.labels),
            Field::AgentLabel(key) => input.agent.labels.iter().find(|(k, _)| k == key).map_or(Subject::Missing, |(_, v)| Subject::Text(v)),
            Field::McpServer => text(&input.context.server),
            Field::ServerTags => set(&input.server_tags),
            Field::Tool => input.context.tool.as_deref().map_or(Subject::Missing, text),
            Field::Method => text(&input.context.method),
            Field::Phase => Subject::Text(input.context.phase.as_str()),
            Field::Time => Subject::Number(f64::from(self.clock(zone).seconds)),
            Field::DayOfWeek => Subject::Number(f64::from(self.clock(zone).weekday)),
            Field::Params => Subject::Leaves(self.params()),
            Field::Param(names) => json(param(self.params(), names)),
            Field::ParamPointer(_, tokens) => json(walk(self.params(), tokens)),
            Field::FindingCount => Subject::Number(input.findings.len() as f64),
            Field::SessionCalls => Subject::Number(input.session_calls as f64),
            Field::SessionBytes => Subject::Number(input.session_bytes as f64),
            Field::ClientIp if input.client_ip.is_empty() => Subject::Missing,
            Field::ClientIp => {
                let ip = *self.ip.get_or_init(|| input.client_ip.trim().parse::<IpAddr>().ok().map(normalize));
                Subject::Ip(ip, &input.client_ip)
            }
            Field::FindingCategory
            | Field::FindingSeverity
            | Field::FindingDetector
            | Field::FindingRuleId
            | Field::FindingConfidence => Subject::Missing,
        }
    }

    /// A field as text, for rate-limit keys (empty when missing).
    fn text(&self, field: &Field, zone: usize) -> String {
        match (field, self.subject(field, zone)) {
            (_, Subject::Missing) => String::new(),
            (Field::Time, Subject::Number(n)) => {
                let seconds = n as u32;
                format!("{:02}:{:02}", seconds / 3600, seconds / 60 % 60)
            }
            (Field::DayOfWeek, Subject::Number(n)) => day_name(n as u8).to_string(),
            (_, Subject::Number(n)) => n.to_string(),
            (_, Subject::Text(s)) => s.to_string(),
            (_, Subject::Ip(_, s)) => s.to_string(),
            (_, Subject::Json(Value::String(s))) => s.clone(),
            (_, Subject::Json(v)) => v.to_string(),
            (_, Subject::Set(_) | Subject::Labels(_) | Subject::Leaves(_)) => String::new(),
        }
    }
}
