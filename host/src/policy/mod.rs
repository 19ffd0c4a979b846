//! Policy documents: read from the policies directory (YAML, one or more
//! documents per file), checked with line-precise errors, and handed to the
//! built-in rules engine (`policies/engine`, a Wasm plugin) as its
//! configuration. The language itself is documented in `docs/policies.md`.
//!
//! The engine is the plugin named [`ENGINE_PLUGIN`]: whichever component has
//! that name — the built-in or a replacement dropped into the plugins
//! directory — is configured with [`PolicySet::engine_config`].

mod load;
mod yaml;

use std::path::PathBuf;

use serde_json::{Value, json};

pub use load::{is_policy_file, load_dir};

/// The name of the rules engine plugin, configured from the policies directory.
pub const ENGINE_PLUGIN: &str = warden_policy_engine::NAME;

/// The time zone of `time` and `day_of_week` conditions when none is configured.
pub const DEFAULT_TIMEZONE: &str = "UTC";

/// One policy document and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    pub file: PathBuf,
    /// 1-based line where the document starts.
    pub line: u64,
    /// The document as JSON: the shape of `POST /api/v1/policies`.
    pub document: Value,
}

impl PolicyDocument {
    pub fn name(&self) -> &str {
        self.document.get("name").and_then(Value::as_str).unwrap_or_default()
    }
}

/// The policy documents in force, in file-name order, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySet {
    pub documents: Vec<PolicyDocument>,
    /// The configured time zone (`policy.timezone`).
    pub timezone: String,
}

impl PolicySet {
    /// The rules engine's `configure` JSON: `{timezone, policies}`.
    pub fn engine_config(&self) -> Value {
        let timezone = if self.timezone.is_empty() { DEFAULT_TIMEZONE } else { &self.timezone };
        json!({
            "timezone": timezone,
            "policies": self.documents.iter().map(|d| d.document.clone()).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests;
