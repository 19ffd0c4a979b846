//! The injection detector: instruction-like content in tool arguments, tool
//! results, resources, prompts and server-initiated sampling/elicitation.
//!
//! Every text is scored on its own: rule hits in ten families (override, role,
//! fake-turn, tool-directive, concealment, exfiltration, jailbreak, hidden,
//! encoded, beacon) are weighed in context, combined by noisy-or with boosts
//! when families co-occur or the text addresses an AI, and the text is flagged
//! when its score reaches `min_score`. One finding is reported per text and
//! family, with the matched phrases as spans. See README.md.
//!
//! Other crates can use [`InjectionDetector::analyze`] to score a string.

mod beacon;
mod checks;
mod context;
mod encoded;
mod engine;
mod family;
mod hidden;
mod hit;
mod markup;
mod matcher;
mod re;
mod rules;
mod score;
mod text;

use std::collections::BTreeMap;

use regex::Regex;
use serde::Deserialize;
use warden_sdk::prelude::*;

pub use checks::Check;
pub use family::Family;
pub use hit::Rule;
pub use score::{Analysis, FamilyEvidence};

use engine::{Enabled, Engine};

pub const NAME: &str = "injection";
pub const CATEGORY: &str = "injection";

/// Configuration (the pipeline YAML's `config:` for this detector).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// A text is flagged when its score reaches this (0.0 ..= 1.0).
    pub min_score: f32,
    /// Family name → enabled. Families not listed are enabled.
    pub families: BTreeMap<String, bool>,
    /// Rule ids (with or without the `injection.` prefix) that do not run.
    pub disabled_rules: Vec<String>,
    /// Regexes; a hit lying entirely inside a match of one of them is ignored.
    pub allow_patterns: Vec<String>,
    /// Only the first this-many bytes of each text are scanned.
    pub max_text_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_score: 0.5,
            families: BTreeMap::new(),
            disabled_rules: Vec::new(),
            allow_patterns: Vec::new(),
            max_text_bytes: 1 << 20,
        }
    }
}

/// The detector. `InjectionDetector::default()` has the default configuration.
pub struct InjectionDetector {
    engine: Engine,
    min_score: f32,
    max_text_bytes: usize,
}

impl Default for InjectionDetector {
    fn default() -> Self {
        match InjectionDetector::with_config(Config::default()) {
            Ok(d) => d,
            // The built-in rules are covered by tests; this cannot fail.
            Err(e) => panic!("default injection configuration failed: {e}"),
        }
    }
}

/// Every rule id, in a stable order (phrase rules, then checks).
pub fn rule_ids() -> Vec<String> {
    rules::PHRASES
        .iter()
        .map(|p| p.id)
        .chain(Check::ALL.iter().map(|c| c.id()))
        .map(|id| format!("{NAME}.{id}"))
        .collect()
}

impl InjectionDetector {
    pub fn with_config(config: Config) -> Result<Self, String> {
        if !(0.0..=1.0).contains(&config.min_score) {
            return Err(format!(
                "min_score must be between 0 and 1, got {}",
                config.min_score
            ));
        }
        if config.max_text_bytes < 1024 {
            return Err("max_text_bytes must be at least 1024".into());
        }
        let mut family_on = [true; Family::ALL.len()];
        for (name, on) in &config.families {
            let family = Family::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown family `{name}` (known: {})", known.join(", "))
            })?;
            family_on[family.index()] = *on;
        }
        let mut disabled = Vec::new();
        for id in &config.disabled_rules {
            let short = id.strip_prefix("injection.").unwrap_or(id);
            let known = rules::PHRASES.iter().any(|p| p.id == short)
                || Check::ALL.iter().any(|c| c.id() == short);
            if !known {
                return Err(format!("unknown rule `{id}`"));
            }
            disabled.push(short.to_string());
        }
        let on = |id: &str, family: Family| {
            family_on[family.index()] && !disabled.iter().any(|d| d == id)
        };
        let enabled = Enabled {
            phrases: rules::PHRASES.iter().map(|p| on(p.id, p.family)).collect(),
            checks: Check::ALL.iter().map(|c| on(c.id(), c.family())).collect(),
        };
        let allow = if config.allow_patterns.is_empty() {
            None
        } else {
            for p in &config.allow_patterns {
                Regex::new(p).map_err(|e| format!("invalid allow pattern `{p}`: {e}"))?;
            }
            let joined = config
                .allow_patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            Some(Regex::new(&joined).map_err(|e| format!("invalid allow patterns: {e}"))?)
        };
        Ok(InjectionDetector {
            engine: Engine::new(enabled, allow)?,
            min_score: config.min_score,
            max_text_bytes: config.max_text_bytes,
        })
    }

    /// Scores one string (spans are byte ranges into it).
    pub fn analyze(&self, text: &str) -> Analysis {
        self.engine
            .analyze(text::truncate(text, self.max_text_bytes))
    }

    /// The score of one string, 0.0 ..= 1.0.
    pub fn score(&self, text: &str) -> f32 {
        self.analyze(text).score
    }

    /// True when the string would be flagged.
    pub fn is_injection(&self, text: &str) -> bool {
        self.score(text) >= self.min_score
    }

    pub fn min_score(&self) -> f32 {
        self.min_score
    }

    fn findings(&self, index: usize, pointer: &str, analysis: &Analysis) -> Vec<Finding> {
        let severity = Severity::from_score(analysis.score);
        let strongest = analysis.families.first().map(|f| f.family);
        analysis
            .families
            .iter()
            .filter(|f| f.score >= 0.2 || Some(f.family) == strongest)
            .map(|f| {
                let rule = f.rules.first().map_or("unknown", |(r, _)| r.id());
                let ids: Vec<&str> = f.rules.iter().map(|(r, _)| r.id()).take(6).collect();
                let mut finding = Finding::new(CATEGORY, &format!("{NAME}.{rule}"), severity)
                    .confidence(analysis.score)
                    .message(format!(
                        "prompt injection: {} at {} (score {:.2}; rules: {})",
                        f.family.describe(),
                        if pointer.is_empty() { "/" } else { pointer },
                        analysis.score,
                        ids.join(", ")
                    ));
                for span in &f.spans {
                    finding = finding.span(index, span.clone());
                }
                finding
            })
            .collect()
    }
}

/// JSON-RPC envelope fields that never carry content.
fn skipped(pointer: &str) -> bool {
    matches!(
        pointer,
        "/jsonrpc" | "/method" | "/id" | "/params/name" | "/params/_meta/progressToken"
    ) || pointer.ends_with("/mimeType")
        || pointer.ends_with("/type")
}

impl Detector for InjectionDetector {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector(
            NAME,
            env!("CARGO_PKG_VERSION"),
            "Flags prompt-injection content in requests, results and server requests",
        )
        .categories([CATEGORY])
        .phases([Phase::Request, Phase::Response, Phase::ServerRequest])
        .rule_count(rules::PHRASES.len() + Check::ALL.len())
    }

    fn new(config: Config) -> Result<Self, String> {
        InjectionDetector::with_config(config)
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        let mut findings = Vec::new();
        for (i, t) in input.texts.iter().enumerate() {
            if t.value.len() < 8 || skipped(&t.pointer) {
                continue;
            }
            let analysis = self.analyze(&t.value);
            if analysis.score >= self.min_score {
                findings.extend(self.findings(i, &t.pointer, &analysis));
            }
        }
        findings
    }
}

#[cfg(feature = "export")]
warden_sdk::export_detector!(InjectionDetector);

#[cfg(test)]
mod tests;
