//! A regex-heavy detector (secret-like token formats through a RegexSet, then
//! the matching rules): the shape of the built-in secrets/pii detectors.
use regex::{Regex, RegexSet};
use warden_sdk::prelude::*;

const RULES: &[(&str, &str)] = &[
    ("aws-access-key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("github-pat", r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    ("github-fine-grained", r"\bgithub_pat_[A-Za-z0-9_]{82}\b"),
    ("gitlab-pat", r"\bglpat-[A-Za-z0-9_-]{20}\b"),
    ("slack-token", r"\bxox[abposr]-[A-Za-z0-9-]{10,72}\b"),
    ("stripe-live", r"\b[rs]k_live_[A-Za-z0-9]{24,99}\b"),
    ("openai", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b"),
    ("anthropic", r"\bsk-ant-api03-[A-Za-z0-9_-]{93}AA\b"),
    ("google-api", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("npm", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b"),
    ("private-key", r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    ("email", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),
    ("us-ssn", r"\b\d{3}-\d{2}-\d{4}\b"),
    ("credit-card", r"\b(?:\d[ -]?){13,19}\b"),
    ("ipv4", r"\b(?:\d{1,3}\.){3}\d{1,3}\b"),
];

pub struct RegexScan {
    set: RegexSet,
    rules: Vec<(&'static str, Regex)>,
}

impl Detector for RegexScan {
    type Config = NoConfig;

    fn info() -> PluginInfo {
        PluginInfo::detector("bench-regex", "0.1.0", "Regex-heavy scan (benchmark)").categories(["bench"]).rule_count(RULES.len())
    }

    fn new(_: NoConfig) -> Result<Self, String> {
        let set = RegexSet::new(RULES.iter().map(|(_, p)| *p)).map_err(|e| e.to_string())?;
        let rules = RULES
            .iter()
            .map(|(id, p)| Regex::new(p).map(|r| (*id, r)).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        Ok(RegexScan { set, rules })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        let mut findings = Vec::new();
        for (i, text) in input.texts.iter().enumerate() {
            for rule in self.set.matches(&text.value).iter() {
                let (id, re) = &self.rules[rule];
                for m in re.find_iter(&text.value) {
                    findings.push(Finding::new("bench", id, Severity::Medium).span(i, m.range()));
                }
            }
        }
        findings
    }
}

#[cfg(feature = "export")]
export_detector!(RegexScan);
