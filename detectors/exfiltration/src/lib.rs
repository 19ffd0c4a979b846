//! The `exfiltration` detector: data leaving through tool calls.
//!
//! It follows a session across calls through the host's session state:
//!
//! - in the **response** phase it remembers, as salted fingerprints, the
//!   secrets and personal data tool results contain (found with the `pii` and
//!   `secrets` detectors' recognizers), with the tool and server they came from;
//! - in the **request** phase it looks for those values (verbatim, written
//!   differently, or base64/hex/URL-encoded) in the arguments of a call to
//!   another tool or server, and checks what egress-capable tools (mail,
//!   chat, HTTP, upload, browser...) are handed: secrets, ID numbers,
//!   encoded or compressed blobs; what URLs carry in their query, path and
//!   host labels (DNS exfiltration); and how much a call sends compared with
//!   the session's running mean.
//!
//! Other crates can reuse it natively: [`Exfiltration::default`], or
//! `Exfiltration::new(config)` through the [`Detector`] trait, and
//! [`Exfiltration::is_egress_tool`].

pub mod config;
mod encoding;
mod report;
mod request;
mod response;
pub mod rules;
mod sensitive;
mod store;
mod tokens;
mod tools;
mod urls;
mod volume;

use warden_sdk::prelude::*;

pub use config::Config;
pub use rules::Rule;

use config::Settings;
use sensitive::Recognizers;

/// Finding category.
pub const CATEGORY: &str = "exfiltration";

/// The detector.
pub struct Exfiltration {
    settings: Settings,
    recognizers: Recognizers,
}

impl Default for Exfiltration {
    fn default() -> Self {
        match Exfiltration::new(Config::default()) {
            Ok(d) => d,
            // The default configuration only compiles built-in patterns.
            Err(e) => panic!("exfiltration default configuration: {e}"),
        }
    }
}

impl Exfiltration {
    /// True when the configuration counts `tool` as able to send data out
    /// (mail, chat, HTTP, upload, browser navigation...).
    pub fn is_egress_tool(&self, tool: &str) -> bool {
        self.settings.egress.is_egress(tool)
    }
}

impl Detector for Exfiltration {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector(
            "exfiltration",
            env!("CARGO_PKG_VERSION"),
            "Data leaving through tool calls: values read from one tool sent to another, secrets and encoded data handed to egress tools, data in URLs and DNS names, volume spikes",
        )
        .categories([CATEGORY])
        .phases([Phase::Request, Phase::Response])
        .rule_count(Rule::ALL.len())
    }

    fn new(config: Config) -> Result<Self, String> {
        Ok(Exfiltration {
            settings: config.compile()?,
            recognizers: Recognizers::new()?,
        })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        match input.context.phase {
            Phase::Request => request::scan(self, input),
            Phase::Response => {
                response::record(self, input);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(feature = "export")]
warden_sdk::export_detector!(Exfiltration);

#[cfg(test)]
mod tests;
