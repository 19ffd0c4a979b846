//! The rugpull detector: pins each tool definition's SHA-256 the first time a
//! server lists it, and reports any later change, addition or removal.
//!
//! Pins live in the host's global state (see [`pins`] for the key format) and
//! are never replaced automatically: a changed tool is reported on every
//! listing until an operator re-pins it by deleting or overwriting its key.

pub mod canonical;
pub mod diff;
pub mod pins;

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::Value;
use warden_sdk::prelude::*;

pub use canonical::{canonical_json, pinned_definition, tool_sha256};
pub use pins::{Pin, pin_key, tools_key};

const CATEGORY: &str = "rugpull";
/// How long the names of earlier pages of a paginated listing are kept.
const PAGES_TTL_MS: u64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Leave `annotations` out of the pinned definition.
    pub ignore_annotations: bool,
    /// Severity of `rugpull.definition-changed`.
    pub severity_on_change: String,
    /// Raise one info finding `rugpull.pinned` when a listing pins new tools.
    pub report_pins: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ignore_annotations: false,
            severity_on_change: "critical".into(),
            report_pins: false,
        }
    }
}

pub struct Rugpull {
    ignore_annotations: bool,
    severity_on_change: Severity,
    report_pins: bool,
}

impl Default for Rugpull {
    fn default() -> Self {
        Rugpull {
            ignore_annotations: false,
            severity_on_change: Severity::Critical,
            report_pins: false,
        }
    }
}

impl Detector for Rugpull {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector(
            "rugpull",
            env!("CARGO_PKG_VERSION"),
            "Pins tool definitions by SHA-256 and reports changes",
        )
        .categories([CATEGORY])
        .phases([Phase::ToolListing])
        .rule_count(4)
    }

    fn new(config: Config) -> Result<Self, String> {
        let severity_on_change = Severity::parse(&config.severity_on_change).ok_or_else(|| {
            format!(
                "severity_on_change: unknown severity '{}' (info, low, medium, high, critical)",
                config.severity_on_change
            )
        })?;
        Ok(Rugpull {
            ignore_annotations: config.ignore_annotations,
            severity_on_change,
            report_pins: config.report_pins,
        })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        if input.context.phase != Phase::ToolListing || !input.raw_json.contains("\"tools\"") {
            return Vec::new();
        }
        let Ok(message) = serde_json::from_str::<Value>(&input.raw_json) else {
            return Vec::new();
        };
        let Some(tools) = message.pointer("/result/tools").and_then(Value::as_array) else {
            return Vec::new();
        };
        let partial = message
            .pointer("/result/nextCursor")
            .and_then(Value::as_str)
            .is_some_and(|cursor| !cursor.is_empty());
        self.check_listing(input, tools, partial)
    }
}

impl Rugpull {
    fn check_listing(&self, input: &ScanInput, tools: &[Value], partial: bool) -> Vec<Finding> {
        let server = input.context.server.as_str();
        let mut findings = Vec::new();
        let mut names = BTreeSet::new();
        let mut pinned = 0usize;
        for (index, tool) in tools.iter().enumerate() {
            let Some(name) = tool.get("name").and_then(Value::as_str) else {
                continue;
            };
            // A name listed twice is judged by its first definition.
            if !names.insert(name.to_string()) {
                continue;
            }
            match self.check_tool(input, server, index, name, tool) {
                Check::Pinned => pinned += 1,
                Check::Unchanged => {}
                Check::Changed(finding) => findings.push(finding),
            }
        }
        if self.report_pins && pinned > 0 {
            findings.push(
                Finding::new(CATEGORY, "rugpull.pinned", Severity::Info).message(format!(
                    "pinned {pinned} new tool definition(s) of server '{}'",
                    shown(server)
                )),
            );
        }
        findings.extend(check_tool_set(server, &names, partial));
        findings
    }

    fn check_tool(
        &self,
        input: &ScanInput,
        server: &str,
        index: usize,
        name: &str,
        tool: &Value,
    ) -> Check {
        let key = pin_key(server, name);
        let sha256 = tool_sha256(tool, self.ignore_annotations);
        let description = tool.get("description").and_then(Value::as_str);
        let stored = state::get(Scope::Global, &key);
        let Some(pin) = stored.as_deref().and_then(Pin::parse) else {
            if stored.is_some() {
                warden_sdk::log::warn(&format!(
                    "rugpull: unreadable pin under '{key}' replaced by the current definition"
                ));
            }
            let pin = Pin {
                sha256,
                description: description
                    .map(|d| pins::truncate(d, pins::DESCRIPTION_CAP).to_string()),
                description_sha256: Some(canonical::field_sha256(tool, "description")),
                input_schema_sha256: Some(canonical::field_sha256(tool, "inputSchema")),
                annotations_sha256: Some(canonical::field_sha256(tool, "annotations")),
            };
            state::set(Scope::Global, &key, &pin.to_json(), None);
            return Check::Pinned;
        };
        if pin.sha256 == sha256 {
            return Check::Unchanged;
        }
        let what = self.what_changed(&pin, tool, description);
        let mut finding = Finding::new(
            CATEGORY,
            "rugpull.definition-changed",
            self.severity_on_change,
        )
        .message(format!(
            "tool '{}' of server '{}' changed since it was pinned (pinned {}, now {}): {what}",
            shown(name),
            shown(server),
            &pin.sha256[..12],
            &sha256[..12],
        ));
        let pointer = format!("/result/tools/{index}/description");
        if let Some(i) = input.texts.iter().position(|t| t.pointer == pointer)
            && let Some(text) = input.texts.get(i)
            && !text.value.is_empty()
        {
            finding = finding.span(i, 0..text.value.len());
        }
        Check::Changed(finding)
    }

    /// Says which part of the definition changed, with a description diff.
    fn what_changed(&self, pin: &Pin, tool: &Value, description: Option<&str>) -> String {
        let old = pin.description.as_deref().unwrap_or("");
        let new = description.unwrap_or("");
        let description_changed = match &pin.description_sha256 {
            Some(h) => *h != canonical::field_sha256(tool, "description"),
            // A pin without part hashes: compare the kept text (it may be cut).
            None => {
                pin.description.is_some()
                    && old != pins::truncate(new, old.len().max(pins::DESCRIPTION_CAP))
            }
        };
        if description_changed {
            return match diff::first_difference(old, pins::truncate(new, pins::DESCRIPTION_CAP)) {
                Some(d) => format!("description changed {d}"),
                None => "description changed after its first 2 KB".to_string(),
            };
        }
        let mut parts = Vec::new();
        if pin
            .input_schema_sha256
            .as_ref()
            .is_some_and(|h| *h != canonical::field_sha256(tool, "inputSchema"))
        {
            parts.push("input schema");
        }
        if !self.ignore_annotations
            && pin
                .annotations_sha256
                .as_ref()
                .is_some_and(|h| *h != canonical::field_sha256(tool, "annotations"))
        {
            parts.push("annotations");
        }
        match parts.as_slice() {
            [] if pin.description_sha256.is_some() => {
                "definition changed (description unchanged)".to_string()
            }
            [] => "definition changed (description unchanged or not kept in the pin)".to_string(),
            parts => format!("{} changed, description unchanged", parts.join(" and ")),
        }
    }
}

enum Check {
    Pinned,
    Unchanged,
    Changed(Finding),
}

/// Compares the names of this listing with the server's first complete listing.
fn check_tool_set(server: &str, names: &BTreeSet<String>, partial: bool) -> Vec<Finding> {
    let pages_key = pins::pages_key(server);
    let earlier_pages = state::get(Scope::Session, &pages_key).and_then(|s| pins::parse_names(&s));
    // The whole listing when it is known: a single page, or the last page of a paginated one.
    let complete = if partial {
        let mut seen = earlier_pages.unwrap_or_default();
        seen.extend(names.iter().cloned());
        state::set(
            Scope::Session,
            &pages_key,
            &pins::names_json(&seen),
            Some(PAGES_TTL_MS),
        );
        None
    } else {
        if earlier_pages.is_some() {
            state::delete(Scope::Session, &pages_key);
        }
        let mut all = earlier_pages.unwrap_or_default();
        all.extend(names.iter().cloned());
        Some(all)
    };

    let key = tools_key(server);
    let Some(baseline) = state::get(Scope::Global, &key).and_then(|s| pins::parse_names(&s)) else {
        if let Some(all) = complete {
            state::set(Scope::Global, &key, &pins::names_json(&all), None);
        }
        return Vec::new();
    };
    let mut findings: Vec<Finding> = names
        .difference(&baseline)
        .map(|name| {
            Finding::new(CATEGORY, "rugpull.tool-added", Severity::Low).message(format!(
                "tool '{}' of server '{}' was not in the pinned tool set (added since the first listing)",
                shown(name),
                shown(server)
            ))
        })
        .collect();
    if let Some(all) = complete {
        findings.extend(baseline.difference(&all).map(|name| {
            Finding::new(CATEGORY, "rugpull.tool-removed", Severity::Medium).message(format!(
                "tool '{}' of server '{}' is no longer listed (removed since the tool set was pinned)",
                shown(name),
                shown(server)
            ))
        }));
    }
    findings
}

/// A name as shown in a message: at most 100 characters, no control characters.
fn shown(name: &str) -> String {
    let mut out: String = name.chars().filter(|c| !c.is_control()).take(100).collect();
    if name.chars().count() > 100 {
        out.push('…');
    }
    out
}

#[cfg(feature = "export")]
warden_sdk::export_detector!(Rugpull);

#[cfg(test)]
mod tests;
