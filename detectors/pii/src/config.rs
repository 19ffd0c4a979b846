//! Configuration: which types are reported, at what severity, and what is
//! never reported.

use std::collections::BTreeMap;

use regex::Regex;
use serde::Deserialize;
use warden_sdk::Severity;

use crate::rules::{Kind, RULES};

/// The detector's `config:` block.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Per-type switch, by rule name (`email`, `phone`, `ipv4-private`...).
    /// Every type is on by default except `ipv4-private` and `ipv6-private`.
    pub types: BTreeMap<String, bool>,
    /// Values that are never reported: a literal (compared ignoring ASCII
    /// case, and again ignoring everything but letters and digits, so
    /// `+1 415-555-0100` matches `+1 (415) 555 0100`), or `/regex/` that must
    /// match the whole value.
    pub allow: Vec<String>,
    /// Email domains that are never reported (their subdomains included).
    pub allow_domains: Vec<String>,
    /// Drop findings below this severity (`info`, `low`, `medium`, `high`, `critical`). Default `info`.
    pub min_severity: Option<String>,
    /// Severity per type, overriding the built-in one (e.g. `ipv4: medium`).
    pub severity: BTreeMap<String, String>,
    /// Report emails at reserved example domains (example.com/.net/.org/.edu,
    /// `.test`, `.example`, `.invalid`, `.localhost`). Default false: they are fake by definition.
    pub example_domains: bool,
}

/// The configuration, checked and compiled.
pub struct Settings {
    pub enabled: [bool; RULES.len()],
    pub severity: [Severity; RULES.len()],
    pub min_severity: Severity,
    pub example_domains: bool,
    allow_literals: Vec<(String, String)>,
    allow_patterns: Vec<Regex>,
    allow_domains: Vec<String>,
}

fn kind(name: &str) -> Result<Kind, String> {
    Kind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        format!("unknown pii type `{name}` (known: {})", names.join(", "))
    })
}

fn severity(name: &str) -> Result<Severity, String> {
    Severity::parse(name).ok_or_else(|| {
        format!("unknown severity `{name}` (use info, low, medium, high or critical)")
    })
}

/// Letters and digits only, lowercased.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Config {
    pub fn compile(&self) -> Result<Settings, String> {
        let mut enabled = [false; RULES.len()];
        let mut sev = [Severity::Info; RULES.len()];
        for r in RULES {
            enabled[r.kind.index()] = r.enabled_by_default;
            sev[r.kind.index()] = r.severity;
        }
        for (name, on) in &self.types {
            enabled[kind(name)?.index()] = *on;
        }
        for (name, s) in &self.severity {
            sev[kind(name)?.index()] = severity(s)?;
        }
        let min_severity = match &self.min_severity {
            Some(s) => severity(s)?,
            None => Severity::Info,
        };
        let mut allow_literals = Vec::new();
        let mut allow_patterns = Vec::new();
        for entry in &self.allow {
            match entry.strip_prefix('/').and_then(|e| e.strip_suffix('/')) {
                Some(p) if entry.len() >= 2 => allow_patterns.push(
                    Regex::new(&format!("^(?:{p})$"))
                        .map_err(|e| format!("invalid allow pattern `{entry}`: {e}"))?,
                ),
                _ => allow_literals.push((entry.to_lowercase(), normalize(entry))),
            }
        }
        let allow_domains = self
            .allow_domains
            .iter()
            .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
            .collect();
        Ok(Settings {
            enabled,
            severity: sev,
            min_severity,
            example_domains: self.example_domains,
            allow_literals,
            allow_patterns,
            allow_domains,
        })
    }
}

impl Settings {
    /// True if `value`, found as `kind`, is allowlisted.
    pub fn allowed(&self, kind: Kind, value: &str) -> bool {
        if !self.allow_literals.is_empty() {
            let lower = value.to_lowercase();
            let norm = normalize(value);
            if self
                .allow_literals
                .iter()
                .any(|(l, n)| *l == lower || (!n.is_empty() && *n == norm))
            {
                return true;
            }
        }
        if self.allow_patterns.iter().any(|r| r.is_match(value)) {
            return true;
        }
        if kind == Kind::Email && !self.allow_domains.is_empty() {
            let domain = value
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            return self.allow_domains.iter().any(|d| {
                domain == *d
                    || (domain.ends_with(d.as_str())
                        && domain[..domain.len() - d.len()].ends_with('.'))
            });
        }
        false
    }
}
