//! # warden-policy-engine
//!
//! Warden's built-in rules engine, compiled to a Wasm policy plugin. It is
//! configured with the policy documents of the policies directory (the host
//! turns the YAML into JSON) and decides, for each message, what each matching
//! rule says:
//!
//! ```json
//! {"timezone": "Europe/Paris",
//!  "policies": [{"name": "Restrict production writes after hours",
//!                "rules": [{"conditions": [{"field": "tool", "operator": "contains", "value": "write"},
//!                                          {"field": "time", "operator": "not_in", "value": "09:00-18:00"}],
//!                           "action": "REQUIRE_APPROVAL"}]}]}
//! ```
//!
//! The language — fields, operators, actions — is documented in
//! `docs/policies.md`. The host also links this crate natively to check
//! policy documents and point at the line of a mistake.

mod action;
mod clock;
mod compile;
mod condition;
mod engine;
mod error;
mod field;
mod operator;
mod version;

use serde_json::Value;
use warden_sdk::prelude::*;

pub use engine::Engine;
pub use error::{ConfigError, PathStep};
pub use version::policy_version;

/// The plugin's name (`info().name`); the host feeds it the policies directory.
pub const NAME: &str = "policy-engine";

/// The policy plugin.
pub struct PolicyEngine {
    engine: Engine,
}

impl Policy for PolicyEngine {
    type Config = Value;

    fn info() -> PluginInfo {
        PluginInfo::policy(NAME, env!("CARGO_PKG_VERSION"), "Evaluates the policy documents of the policies directory")
    }

    fn new(config: Value) -> Result<Self, String> {
        Engine::compile(&config).map(|engine| PolicyEngine { engine }).map_err(|e| e.to_string())
    }

    fn evaluate(&self, input: &PolicyInput) -> Vec<Decision> {
        self.engine.evaluate(input)
    }
}

#[cfg(feature = "export")]
export_policy!(PolicyEngine);
