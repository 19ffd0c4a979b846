//! The detector's `config:` block, checked and compiled into [`Settings`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::rules::Rule;
use crate::tools::EgressTools;

/// Configuration of [`Exfiltration`](crate::Exfiltration). Every key is
/// optional; unknown keys are an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// How long a value seen in a tool result is remembered (ms). Default 1 h.
    pub ttl_ms: u64,
    /// Tool names, or words of tool names (`post`, `upload`), that count as
    /// egress-capable, added to the built-in words.
    pub egress_tools: Vec<String>,
    /// Use only `egress_tools`, not the built-in words. Default false.
    pub replace_egress_tools: bool,
    /// Tools whose calls are never flagged (their results are still remembered).
    pub allow_tools: Vec<String>,
    /// Destination domains (and their subdomains) that are trusted: URLs and
    /// host names there are not checked, and an egress call whose URLs all
    /// point there is not flagged.
    pub allow_domains: Vec<String>,
    /// A call is a volume spike when its argument bytes exceed this many times
    /// the session's running mean. Default 10.
    pub volume_factor: f64,
    /// Calls the session must have made before volume is judged. Default 5.
    pub min_calls: u64,
    /// Argument bytes below which a call is never a volume spike. Default 4096.
    pub min_bytes: u64,
    /// Judge volume on every tool, not only egress-capable ones. Default false.
    pub volume_all_tools: bool,
    /// Most values remembered per session (oldest dropped first). Default 512.
    pub max_fingerprints: usize,
    /// Per-rule switch by rule name (`volume-spike: false`); all on by default.
    pub rules: BTreeMap<String, bool>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ttl_ms: 3_600_000,
            egress_tools: Vec::new(),
            replace_egress_tools: false,
            allow_tools: Vec::new(),
            allow_domains: Vec::new(),
            volume_factor: 10.0,
            min_calls: 5,
            min_bytes: 4096,
            volume_all_tools: false,
            max_fingerprints: 512,
            rules: BTreeMap::new(),
        }
    }
}

/// The configuration, checked.
pub struct Settings {
    pub ttl_ms: u64,
    pub egress: EgressTools,
    pub allow_tools: Vec<String>,
    pub allow_domains: Vec<String>,
    pub volume_factor: f64,
    pub min_calls: u64,
    pub min_bytes: u64,
    pub volume_all_tools: bool,
    pub max_fingerprints: usize,
    enabled: [bool; Rule::ALL.len()],
}

impl Settings {
    pub fn enabled(&self, rule: Rule) -> bool {
        self.enabled[rule.index()]
    }

    pub fn tool_allowed(&self, tool: &str) -> bool {
        self.allow_tools
            .iter()
            .any(|t| t.eq_ignore_ascii_case(tool))
    }

    /// True when `host` is an allowed domain or below one.
    pub fn domain_allowed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').as_bytes();
        self.allow_domains.iter().any(|d| {
            let d = d.as_bytes();
            host.len() >= d.len()
                && host[host.len() - d.len()..].eq_ignore_ascii_case(d)
                && (host.len() == d.len() || host[host.len() - d.len() - 1] == b'.')
        })
    }
}

impl Config {
    pub fn compile(self) -> Result<Settings, String> {
        if self.ttl_ms == 0 {
            return Err("ttl_ms must be greater than 0".into());
        }
        if !self.volume_factor.is_finite() || self.volume_factor < 1.0 {
            return Err(format!(
                "volume_factor must be a number ≥ 1, got {}",
                self.volume_factor
            ));
        }
        if !(1..=10_000).contains(&self.max_fingerprints) {
            return Err(format!(
                "max_fingerprints must be between 1 and 10000, got {}",
                self.max_fingerprints
            ));
        }
        let mut enabled = [true; Rule::ALL.len()];
        for (name, on) in &self.rules {
            let rule = Rule::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
                format!("rules: unknown rule `{name}` (known: {})", names.join(", "))
            })?;
            enabled[rule.index()] = *on;
        }
        if let Some(empty) = self
            .egress_tools
            .iter()
            .chain(&self.allow_tools)
            .find(|t| t.trim().is_empty())
        {
            return Err(format!(
                "egress_tools and allow_tools entries must not be empty (got {empty:?})"
            ));
        }
        let mut allow_domains = Vec::new();
        for d in &self.allow_domains {
            let d = d
                .trim()
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .trim_end_matches('.');
            if d.is_empty() || d.contains(['/', ':', ' ']) {
                return Err(format!("allow_domains: `{d}` is not a domain name"));
            }
            allow_domains.push(d.to_ascii_lowercase());
        }
        Ok(Settings {
            ttl_ms: self.ttl_ms,
            egress: EgressTools::new(&self.egress_tools, self.replace_egress_tools),
            allow_tools: self.allow_tools,
            allow_domains,
            volume_factor: self.volume_factor,
            min_calls: self.min_calls,
            min_bytes: self.min_bytes,
            volume_all_tools: self.volume_all_tools,
            max_fingerprints: self.max_fingerprints,
            enabled,
        })
    }
}
