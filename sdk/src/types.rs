//! The plugin data types, re-exported from the WIT bindings, plus builders.

use std::ops::Range;

pub use crate::bindings::detector::warden::plugin::types::{
    Action, Agent, AttributedFinding, CallContext, Decision, Finding, MaskSpec, Phase, PluginInfo,
    PolicyInput, RateSpec, ScanInput, Severity, Span, Text,
};

/// Configuration type for plugins that take no configuration.
/// Any JSON object is accepted and ignored.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct NoConfig {}

impl Phase {
    /// All phases, in data-path order.
    pub const ALL: [Phase; 4] = [Phase::Request, Phase::Response, Phase::ToolListing, Phase::ServerRequest];

    /// The name used in configuration files (`tool-listing`).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Request => "request",
            Phase::Response => "response",
            Phase::ToolListing => "tool-listing",
            Phase::ServerRequest => "server-request",
        }
    }

    /// Parses a configuration name (`request`, `response`, `tool-listing`, `server-request`).
    pub fn parse(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// Severities are ordered `Info < Low < Medium < High < Critical` (declaration order in the WIT).
impl Severity {
    /// The name used in configuration and output (`critical`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name.
    pub fn parse(name: &str) -> Option<Severity> {
        [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// Maps a 0.0..=1.0 score to a severity (thresholds 0.2, 0.4, 0.6, 0.8).
    pub fn from_score(score: f32) -> Severity {
        match score {
            s if s >= 0.8 => Severity::Critical,
            s if s >= 0.6 => Severity::High,
            s if s >= 0.4 => Severity::Medium,
            s if s >= 0.2 => Severity::Low,
            _ => Severity::Info,
        }
    }
}

impl PluginInfo {
    /// Starts the description of a detector. Chain [`categories`](Self::categories),
    /// [`phases`](Self::phases) and [`rule_count`](Self::rule_count).
    /// By default a plugin sees every phase.
    pub fn detector(name: &str, version: &str, description: &str) -> PluginInfo {
        PluginInfo {
            name: name.to_string(),
            version: version.to_string(),
            description: description.to_string(),
            categories: Vec::new(),
            phases: Phase::ALL.to_vec(),
            rule_count: 0,
        }
    }

    /// Starts the description of a policy.
    pub fn policy(name: &str, version: &str, description: &str) -> PluginInfo {
        PluginInfo::detector(name, version, description)
    }

    pub fn categories<I: IntoIterator<Item = S>, S: Into<String>>(mut self, categories: I) -> Self {
        self.categories = categories.into_iter().map(Into::into).collect();
        self
    }

    pub fn phases<I: IntoIterator<Item = Phase>>(mut self, phases: I) -> Self {
        self.phases = phases.into_iter().collect();
        self
    }

    pub fn rule_count(mut self, count: usize) -> Self {
        self.rule_count = u32::try_from(count).unwrap_or(u32::MAX);
        self
    }
}

impl Finding {
    /// A finding with confidence 1.0, no message and no spans.
    pub fn new(category: &str, rule_id: &str, severity: Severity) -> Finding {
        Finding {
            category: category.to_string(),
            rule_id: rule_id.to_string(),
            severity,
            confidence: 1.0,
            message: String::new(),
            spans: Vec::new(),
        }
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn confidence(mut self, confidence: f32) -> Self {
        self.confidence = confidence.clamp(0.0, 1.0);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds the byte range `range` of `input.texts[text_index]`.
    pub fn span(mut self, text_index: usize, range: Range<usize>) -> Self {
        self.spans.push(Span::new(text_index, range));
        self
    }
}

impl Span {
    pub fn new(text_index: usize, range: Range<usize>) -> Span {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span { text_index: clamp(text_index), start: clamp(range.start), end: clamp(range.end) }
    }

    /// The byte range inside the text.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl ScanInput {
    /// The string at a JSON Pointer, if the message has a string leaf there.
    pub fn text_at(&self, pointer: &str) -> Option<&str> {
        self.texts.iter().find(|t| t.pointer == pointer).map(|t| t.value.as_str())
    }

    /// The texts whose pointer starts with `prefix` (e.g. `/params/arguments`),
    /// with their index in [`texts`](Self::texts) for spans.
    pub fn texts_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (usize, &'a Text)> + 'a {
        self.texts.iter().enumerate().filter(move |(_, t)| crate::json::pointer_is_under(&t.pointer, prefix))
    }

    /// The message parsed as JSON (`Value::Null` if the host sent invalid JSON, which it never does).
    pub fn message(&self) -> serde_json::Value {
        serde_json::from_str(&self.raw_json).unwrap_or(serde_json::Value::Null)
    }
}

impl Action {
    /// The name used in policy documents (`REQUIRE_APPROVAL`).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Allow => "ALLOW",
            Action::Deny => "DENY",
            Action::RequireApproval => "REQUIRE_APPROVAL",
            Action::LogOnly => "LOG_ONLY",
            Action::RateLimit(_) => "RATE_LIMIT",
            Action::MaskResponse(_) => "MASK_RESPONSE",
        }
    }
}

impl Decision {
    /// A decision by `policy` (version `policy_version`) from rule `rule_id`.
    pub fn new(action: Action, policy: &str, rule_id: &str, reason: impl Into<String>) -> Decision {
        Decision {
            action,
            policy: policy.to_string(),
            policy_version: String::new(),
            rule_id: rule_id.to_string(),
            reason: reason.into(),
            log_only_mode: false,
        }
    }
}
