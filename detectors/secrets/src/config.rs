//! The detector's configuration (the pipeline YAML's `config:`).

use serde::Deserialize;

/// Configuration of [`Secrets`](crate::Secrets). Every key is optional;
/// unknown keys are an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Rule ids not to evaluate, with or without the `secrets.` prefix
    /// (`github-pat`, `secrets.generic-password`). An unknown id is an error.
    pub disabled_rules: Vec<String>,
    /// Regexes tested against each matched secret value; a value that
    /// matches any of them is not reported (e.g. a known test key).
    pub allow_patterns: Vec<String>,
    /// JSON Pointer prefixes whose texts are not scanned
    /// (e.g. `/params/arguments/public_key`).
    pub allow_pointers: Vec<String>,
    /// Tool names whose calls, results and tools/list entries are not scanned.
    pub allow_tools: Vec<String>,
    /// Minimum Shannon entropy (bits per character) of a value assigned to a
    /// secret-looking key (`api_key = "…"`) for the generic rules. Default 3.0.
    pub min_entropy: f64,
    /// Report vendors' published example credentials (`AKIAIOSFODNN7EXAMPLE`,
    /// the jwt.io token, …) as low-severity findings instead of ignoring them.
    pub report_examples: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            disabled_rules: Vec::new(),
            allow_patterns: Vec::new(),
            allow_pointers: Vec::new(),
            allow_tools: Vec::new(),
            min_entropy: 3.0,
            report_examples: false,
        }
    }
}
