//! An example custom policy plugin: once a session has seen a secret — a
//! `secrets` finding in any message, in either direction — every write-like
//! tool call of that session is denied.
//!
//! This is a decision the rules engine cannot make: it needs memory across
//! calls. The plugin keeps it in the host's session-scoped state, so it is
//! private to the session, shared by every instance of the plugin, and
//! dropped when the session ends.
//!
//! ```yaml
//! # warden.yaml
//! pipeline:
//!   - name: deny-writes-after-secret
//!     config:
//!       writes: "(?i)(write|update|delete|insert|send|upload)"   # tool names that write
//!       categories: [secrets]                                    # what taints a session
//! ```

use regex::Regex;
use warden_sdk::prelude::*;

/// The plugin's name.
pub const NAME: &str = "deny-writes-after-secret";

/// Session state key holding what taints the session (`detector/rule`).
const SAW_SECRET: &str = "saw-secret";

/// Tool names treated as writes when the configuration names none.
const DEFAULT_WRITES: &str = r"(?i)(write|update|delete|remove|insert|create|put|post|send|upload|exec|drop)";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A regular expression matched against the tool name.
    #[serde(default)]
    writes: Option<String>,
    /// Finding categories that taint the session (default `[secrets]`).
    #[serde(default)]
    categories: Option<Vec<String>>,
}

pub struct DenyWritesAfterSecret {
    writes: Regex,
    categories: Vec<String>,
}

impl Policy for DenyWritesAfterSecret {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::policy(NAME, env!("CARGO_PKG_VERSION"), "Denies write tool calls once the session has seen a secret").rule_count(1)
    }

    fn new(config: Config) -> Result<Self, String> {
        let writes = Regex::new(config.writes.as_deref().unwrap_or(DEFAULT_WRITES)).map_err(|e| format!("writes: {e}"))?;
        let categories = config.categories.unwrap_or_else(|| vec!["secrets".to_string()]);
        Ok(DenyWritesAfterSecret { writes, categories })
    }

    fn evaluate(&self, input: &PolicyInput) -> Vec<Decision> {
        if let Some(f) = input.findings.iter().find(|f| self.categories.contains(&f.finding.category)) {
            state::set(Scope::Session, SAW_SECRET, &format!("{}/{}", f.detector, f.finding.rule_id), None);
        }
        let is_call = input.context.phase == Phase::Request && input.context.method == "tools/call";
        let Some(tool) = input.context.tool.as_deref().filter(|t| is_call && self.writes.is_match(t)) else {
            return Vec::new();
        };
        match state::get(Scope::Session, SAW_SECRET) {
            Some(seen) => {
                let mut decision = Decision::new(
                    Action::Deny,
                    NAME,
                    "write-after-secret",
                    format!("`{tool}` writes, and this session has seen a secret ({seen})"),
                );
                decision.policy_version = env!("CARGO_PKG_VERSION").to_string();
                vec![decision]
            }
            None => Vec::new(),
        }
    }
}

export_policy!(DenyWritesAfterSecret);
