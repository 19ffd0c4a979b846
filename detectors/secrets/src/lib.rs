//! # warden-detector-secrets
//!
//! Finds credentials in MCP traffic: tool arguments, tool results, tool
//! listings and server-initiated requests. Over 200 rules cover vendor token
//! formats (AWS, GCP, Azure, GitHub, GitLab, Slack, Stripe, OpenAI,
//! Anthropic, …), private keys, JWTs, passwords in connection strings and
//! URLs, HTTP authorization headers and high-entropy values assigned to
//! secret-looking keys. Findings have category `secrets` and ids
//! `secrets.<rule>`; their spans cover exactly the secret value.
//!
//! Other crates can use the detector natively:
//!
//! ```
//! use warden_detector_secrets::Secrets;
//! use warden_sdk::Detector;
//!
//! let secrets = Secrets::new(Default::default()).unwrap();
//! let text = "export GITHUB_TOKEN=ghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1kY2Tq";
//! let found = secrets.find(text);
//! assert_eq!(found[0].rule, "github-pat");
//! assert_eq!(&text[found[0].range.clone()], "ghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1kY2Tq");
//! ```

mod b64;
mod checks;
mod checksum;
mod config;
mod entropy;
mod generic;
mod jwt;
mod pem;
mod placeholder;
mod rules;
mod scanner;
mod uri;

use std::ops::Range;

use warden_sdk::json::pointer_is_under;
use warden_sdk::prelude::*;

pub use config::Config;

use crate::rules::RULES;
use crate::scanner::{Hit, Scanner, Settings};

/// The finding category.
pub const CATEGORY: &str = "secrets";

/// The secrets detector. Build it with `Secrets::new(Config::default())`
/// (through the [`Detector`] trait) and call [`Detector::scan`], or
/// [`Secrets::find`] on any string.
pub struct Secrets {
    scanner: Scanner,
    allow_pointers: Vec<String>,
    allow_tools: Vec<String>,
}

/// A secret found by [`Secrets::find`].
#[derive(Debug, Clone, PartialEq)]
pub struct SecretMatch {
    /// Rule id without the `secrets.` prefix (findings carry `secrets.<rule>`).
    pub rule: &'static str,
    /// What was found, e.g. "GitHub personal access token".
    pub description: &'static str,
    /// Byte range of the secret value in the text.
    pub range: Range<usize>,
    pub severity: Severity,
    pub confidence: f32,
}

impl Secrets {
    /// Every rule id (without the `secrets.` prefix), in evaluation order.
    pub fn rule_ids() -> impl Iterator<Item = &'static str> {
        RULES.iter().map(|r| r.id)
    }

    /// Compiles every rule's regex now instead of on first use (regexes are
    /// otherwise compiled lazily, once per instance, so that `new` stays fast).
    pub fn compile_all(&self) -> Result<(), String> {
        self.scanner.compile_all()
    }

    /// Secrets in an arbitrary string (no JSON Pointer context, no clock).
    pub fn find(&self, text: &str) -> Vec<SecretMatch> {
        self.find_at("", text, 0)
    }

    /// Secrets in `text`, the string leaf at JSON Pointer `pointer` (a member
    /// named like a secret, e.g. `/params/arguments/password`, classifies its
    /// whole value). `now_ms` (0 if unknown) marks expired JWTs.
    pub fn find_at(&self, pointer: &str, text: &str, now_ms: u64) -> Vec<SecretMatch> {
        let pointer = (!pointer.is_empty()).then_some(pointer);
        self.scanner
            .scan_text(text, pointer, now_ms)
            .into_iter()
            .map(|h| SecretMatch {
                rule: RULES[h.rule].id,
                description: RULES[h.rule].what,
                range: h.start..h.end,
                severity: h.severity,
                confidence: h.confidence,
            })
            .collect()
    }

    /// JSON Pointer prefixes of tools/list entries whose tool is allowlisted.
    fn allowed_listing_entries(&self, input: &ScanInput) -> Vec<String> {
        if self.allow_tools.is_empty() || input.context.phase != Phase::ToolListing {
            return Vec::new();
        }
        input
            .texts
            .iter()
            .filter(|t| t.pointer.ends_with("/name") && self.allow_tools.contains(&t.value))
            .map(|t| t.pointer[..t.pointer.len() - "/name".len()].to_string())
            .collect()
    }
}

fn finding(hit: &Hit, index: usize, pointer: &str) -> Finding {
    let rule = &RULES[hit.rule];
    let location = if pointer.is_empty() { "the message" } else { pointer };
    Finding::new(CATEGORY, &format!("{CATEGORY}.{}", rule.id), hit.severity)
        .confidence(hit.confidence)
        .message(format!("{}{} in {location}", rule.what, hit.note))
        .span(index, hit.start..hit.end)
}

impl Detector for Secrets {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector(
            "secrets",
            env!("CARGO_PKG_VERSION"),
            "Finds credentials, API keys, tokens and private keys",
        )
        .categories([CATEGORY])
        .phases([Phase::Request, Phase::Response, Phase::ServerRequest, Phase::ToolListing])
        .rule_count(RULES.len())
    }

    fn new(config: Config) -> Result<Self, String> {
        let mut disabled = Vec::new();
        for id in &config.disabled_rules {
            let short = id.strip_prefix("secrets.").unwrap_or(id);
            match rules::index_of(short) {
                Some(i) => disabled.push(i),
                None => return Err(format!("disabled_rules: unknown rule id `{id}`")),
            }
        }
        if !(0.0..=8.0).contains(&config.min_entropy) {
            return Err(format!("min_entropy must be between 0 and 8 bits per character, got {}", config.min_entropy));
        }
        let scanner = Scanner::new(&Settings {
            disabled: &disabled,
            allow_patterns: &config.allow_patterns,
            min_entropy: config.min_entropy,
            report_examples: config.report_examples,
        })?;
        Ok(Secrets { scanner, allow_pointers: config.allow_pointers, allow_tools: config.allow_tools })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        let ctx = &input.context;
        if ctx.tool.as_ref().is_some_and(|t| self.allow_tools.contains(t)) {
            return Vec::new();
        }
        let skipped = self.allowed_listing_entries(input);
        let mut findings = Vec::new();
        for (i, text) in input.texts.iter().enumerate() {
            let skip = |prefix: &String| pointer_is_under(&text.pointer, prefix);
            if self.allow_pointers.iter().any(skip) || skipped.iter().any(skip) {
                continue;
            }
            for hit in self.scanner.scan_text(&text.value, Some(&text.pointer), ctx.timestamp_ms) {
                findings.push(finding(&hit, i, &text.pointer));
            }
        }
        findings
    }
}

#[cfg(feature = "export")]
warden_sdk::export_detector!(Secrets);

#[cfg(test)]
mod tests;
