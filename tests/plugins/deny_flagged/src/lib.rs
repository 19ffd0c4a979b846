//! A policy: deny when any finding is at least `min_severity`, else allow.
use warden_sdk::prelude::*;

#[derive(Default, serde::Deserialize)]
pub struct Config {
    #[serde(default)]
    min_severity: Option<String>,
}

pub struct DenyFlagged {
    min: Severity,
}

impl Policy for DenyFlagged {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::policy("deny-flagged", "0.1.0", "Denies flagged messages (test plugin)").rule_count(2)
    }

    fn new(config: Config) -> Result<Self, String> {
        let min = match config.min_severity.as_deref() {
            None => Severity::High,
            Some(name) => Severity::parse(name).ok_or_else(|| format!("unknown severity {name:?}"))?,
        };
        Ok(DenyFlagged { min })
    }

    fn evaluate(&self, input: &PolicyInput) -> Vec<Decision> {
        match input.findings.iter().find(|f| f.finding.severity >= self.min) {
            Some(f) => vec![Decision::new(Action::Deny, "deny-flagged", "flagged", format!("{} finding from {}", f.finding.category, f.detector))],
            None => vec![Decision::new(Action::Allow, "deny-flagged", "clean", "no finding at or above the threshold")],
        }
    }
}

export_policy!(DenyFlagged);
