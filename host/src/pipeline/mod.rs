//! The plugin pipeline: loads, sandboxes, orders and runs detector and policy
//! components, and combines their decisions.
//!
//! - [`engine`]: the wasmtime engine, compile cache and deadline ticker.
//! - [`plugin`]: one loaded component (world, `info()`, sha256, source).
//! - [`instance`]: sandboxed instances and their warm pool.
//! - [`catalog`]: where plugins come from (built-ins, the plugins directory).
//! - [`builder`]: config + catalog → a [`Pipeline`].
//! - [`reload`]: the live pipeline, swapped atomically on change or SIGHUP.
//! - [`decision`]: combining policy decisions (pure).

pub mod bindings;
pub mod builder;
pub mod builtin;
pub mod catalog;
pub mod decision;
pub mod engine;
pub mod instance;
pub mod message;
pub mod plugin;
pub mod preinit;
pub mod reload;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use bindings::{AttributedFinding, CallContext, Finding, Phase, PolicyInput, ScanInput, Severity};
pub use builder::PipelineBuilder;
pub use decision::{ActionKind, PolicyDecision, Verdict};
pub use instance::{CallLimits, InstancePool, PluginCallError};
pub use plugin::{PluginComponent, PluginKind, PluginSource};
pub use reload::PipelineHandle;

use crate::config::OnError;
use decision::{ClosedFailure, CombineSettings};

/// Why a plugin could not be loaded or a pipeline built.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PluginError {
    #[error("wasm engine: {0}")]
    Engine(String),
    #[error("compile cache {}: {reason}", path.display())]
    Cache { path: PathBuf, reason: String },
    #[error("{0}")]
    Invalid(String),
}

/// A plugin that failed to load, configure or fit the configuration.
#[derive(Debug, Clone, thiserror::Error)]
#[error("plugin `{plugin}` ({source_desc}): {reason}")]
pub struct LoadError {
    /// The plugin's name, or its file name when the name is unknown.
    pub plugin: String,
    pub source_desc: String,
    pub reason: String,
}

/// Every problem found while building a pipeline; the previous pipeline stays.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct BuildError(pub Vec<LoadError>);

/// One plugin in a pipeline, with how it runs.
pub struct Stage {
    pub pool: Arc<InstancePool>,
    pub phases: Vec<Phase>,
    pub on_error: OnError,
    pub enabled: bool,
}

impl Stage {
    pub fn name(&self) -> &str {
        self.pool.plugin().name()
    }

    fn runs_at(&self, phase: Phase) -> bool {
        self.enabled && self.phases.contains(&phase)
    }
}

/// A plugin failure during one message, contained and reported.
#[derive(Debug, Clone)]
pub struct PluginFailure {
    pub plugin: String,
    pub error: PluginCallError,
    pub on_error: OnError,
}

/// What the detectors found in one message.
#[derive(Debug, Clone, Default)]
pub struct ScanOutcome {
    pub findings: Vec<AttributedFinding>,
    pub failures: Vec<PluginFailure>,
    /// Time spent in each detector, in pipeline order.
    pub timings: Vec<(String, Duration)>,
}

/// Detector findings plus the policies' verdict.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub scan: ScanOutcome,
    pub decisions: Vec<PolicyDecision>,
    pub policy_failures: Vec<PluginFailure>,
    pub verdict: Verdict,
}

/// Everything about the call that policies see besides the findings.
#[derive(Debug, Clone)]
pub struct PolicyContext {
    pub agent: bindings::Agent,
    pub server_tags: Vec<String>,
    pub session_calls: u64,
    pub session_bytes: u64,
    pub client_ip: String,
}

impl Default for PolicyContext {
    fn default() -> Self {
        PolicyContext {
            agent: bindings::Agent { id: String::new(), type_: String::new(), permissions: Vec::new(), labels: Vec::new() },
            server_tags: Vec::new(),
            session_calls: 0,
            session_bytes: 0,
            client_ip: String::new(),
        }
    }
}

/// Limits on what a detector may return; beyond them the result is malformed.
const MAX_FINDINGS_PER_CALL: usize = 1_000;
const MAX_FINDING_TEXT: usize = 4_096;
const MAX_SPANS_PER_FINDING: usize = 1_000;
const MAX_DECISIONS_PER_CALL: usize = 1_000;

/// An immutable, ready-to-run pipeline. Swapped whole on reload.
pub struct Pipeline {
    pub(crate) detectors: Vec<Stage>,
    pub(crate) policies: Vec<Stage>,
    pub(crate) settings: PipelineSettings,
    pub(crate) generation: u64,
}

/// Pipeline-wide settings from the configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct PipelineSettings {
    pub stop_on_critical: bool,
    pub combine: CombineSettings,
}

impl Pipeline {
    /// Every stage, detectors first, in run order.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.detectors.iter().chain(self.policies.iter())
    }

    /// Increases with every successful reload.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn settings(&self) -> PipelineSettings {
        self.settings
    }

    /// Runs the detectors for `input.context.phase`, in order.
    pub fn scan(&self, input: &ScanInput) -> ScanOutcome {
        let mut outcome = ScanOutcome::default();
        let phase = input.context.phase;
        for stage in self.detectors.iter().filter(|s| s.runs_at(phase)) {
            let started = Instant::now();
            let result = stage.pool.scan(input).and_then(|findings| validate_findings(input, findings));
            let elapsed = started.elapsed();
            outcome.timings.push((stage.name().to_string(), elapsed));
            metrics::histogram!("warden_plugin_call_seconds", "plugin" => stage.name().to_string())
                .record(elapsed.as_secs_f64());
            match result {
                Ok(findings) => {
                    let critical = findings.iter().any(|f| f.severity == Severity::Critical);
                    outcome.findings.extend(
                        findings.into_iter().map(|finding| AttributedFinding { detector: stage.name().to_string(), finding }),
                    );
                    if critical && self.settings.stop_on_critical {
                        break;
                    }
                }
                Err(error) => outcome.failures.push(report_failure(stage, error)),
            }
        }
        outcome
    }

    /// Runs every policy on the findings and combines their decisions.
    pub fn evaluate(&self, input: &PolicyInput, detector_failures: &[PluginFailure]) -> (Vec<PolicyDecision>, Vec<PluginFailure>, Verdict) {
        let mut decisions = Vec::new();
        let mut failures = Vec::new();
        let phase = input.context.phase;
        for stage in self.policies.iter().filter(|s| s.runs_at(phase)) {
            let result = stage.pool.evaluate(input).and_then(validate_decisions);
            match result {
                Ok(made) => decisions.extend(made.into_iter().map(|d| PolicyDecision {
                    plugin: stage.name().to_string(),
                    action: d.action,
                    policy: if d.policy.is_empty() { stage.name().to_string() } else { d.policy },
                    policy_version: d.policy_version,
                    rule_id: d.rule_id,
                    reason: d.reason,
                    log_only_mode: d.log_only_mode,
                })),
                Err(error) => failures.push(report_failure(stage, error)),
            }
        }
        let closed: Vec<ClosedFailure> = detector_failures
            .iter()
            .chain(failures.iter())
            .filter(|f| f.on_error == OnError::Closed)
            .map(|f| ClosedFailure { plugin: f.plugin.clone(), error: f.error.to_string() })
            .collect();
        let verdict = decision::combine(&decisions, &closed, self.settings.combine);
        (decisions, failures, verdict)
    }

    /// Scans a message and evaluates the policies on what was found.
    /// `message` is the already-parsed JSON of `input.raw_json` (parsed once by the caller).
    pub fn inspect(&self, input: &ScanInput, message: &serde_json::Value, context: &PolicyContext) -> Inspection {
        let scan = self.scan(input);
        let policy_input = PolicyInput {
            context: input.context.clone(),
            agent: context.agent.clone(),
            server_tags: context.server_tags.clone(),
            params_json: message.get("params").map(ToString::to_string).unwrap_or_else(|| "{}".to_string()),
            findings: scan.findings.clone(),
            session_calls: context.session_calls,
            session_bytes: context.session_bytes,
            client_ip: context.client_ip.clone(),
        };
        let (decisions, policy_failures, verdict) = self.evaluate(&policy_input, &scan.failures);
        Inspection { scan, decisions, policy_failures, verdict }
    }
}

fn report_failure(stage: &Stage, error: PluginCallError) -> PluginFailure {
    tracing::warn!(plugin = stage.name(), kind = error.kind(), on_error = ?stage.on_error, "plugin {}", error);
    metrics::counter!("warden_plugin_errors_total", "plugin" => stage.name().to_string(), "kind" => error.kind())
        .increment(1);
    PluginFailure { plugin: stage.name().to_string(), error, on_error: stage.on_error }
}

/// Checks a detector's output against the input it was given.
fn validate_findings(input: &ScanInput, findings: Vec<Finding>) -> Result<Vec<Finding>, PluginCallError> {
    let bad = |why: String| Err(PluginCallError::Malformed(why));
    if findings.len() > MAX_FINDINGS_PER_CALL {
        return bad(format!("{} findings (at most {MAX_FINDINGS_PER_CALL})", findings.len()));
    }
    for f in &findings {
        if f.category.is_empty() || f.category.len() > 64 || f.rule_id.len() > 256 {
            return bad("a finding's category must be 1 to 64 bytes and its rule id at most 256".into());
        }
        if f.message.len() > MAX_FINDING_TEXT {
            return bad(format!("a finding message of {} bytes (at most {MAX_FINDING_TEXT})", f.message.len()));
        }
        if !(0.0..=1.0).contains(&f.confidence) {
            return bad(format!("confidence {} outside 0..=1", f.confidence));
        }
        if f.spans.len() > MAX_SPANS_PER_FINDING {
            return bad(format!("{} spans in one finding", f.spans.len()));
        }
        for span in &f.spans {
            let Some(text) = input.texts.get(span.text_index as usize) else {
                return bad(format!("span points at text {} of {}", span.text_index, input.texts.len()));
            };
            let (start, end) = (span.start as usize, span.end as usize);
            if start > end || end > text.value.len() || !text.value.is_char_boundary(start) || !text.value.is_char_boundary(end) {
                return bad(format!("span {start}..{end} is not a character range of a {}-byte text", text.value.len()));
            }
        }
    }
    Ok(findings)
}

fn validate_decisions(decisions: Vec<bindings::Decision>) -> Result<Vec<bindings::Decision>, PluginCallError> {
    if decisions.len() > MAX_DECISIONS_PER_CALL {
        return Err(PluginCallError::Malformed(format!("{} decisions", decisions.len())));
    }
    if let Some(d) = decisions.iter().find(|d| d.reason.len() > MAX_FINDING_TEXT || d.policy.len() > 256) {
        return Err(PluginCallError::Malformed(format!("decision of policy with {}-byte reason", d.reason.len())));
    }
    Ok(decisions)
}
