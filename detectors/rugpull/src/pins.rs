//! The state this detector keeps, and its key format (documented in the README
//! so the host can show, delete or overwrite pins).
//!
//! - global `pin:<server>:<tool>`: a [`Pin`] as JSON (a bare 64-hex SHA-256 string is accepted too);
//! - global `tools:<server>`: JSON array of the tool names of the first complete listing;
//! - session `pages:<server>`: tool names seen on the earlier pages of a paginated listing.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Most bytes of a description kept in a pin (for diffs).
pub const DESCRIPTION_CAP: usize = 2048;

pub fn pin_key(server: &str, tool: &str) -> String {
    format!("pin:{server}:{tool}")
}

pub fn tools_key(server: &str) -> String {
    format!("tools:{server}")
}

pub fn pages_key(server: &str) -> String {
    format!("pages:{server}")
}

/// What is stored for one pinned tool. Only `sha256` is required: a pin
/// written by an operator or the host may leave out the rest.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Pin {
    /// SHA-256 of the canonical `{name, description, inputSchema, annotations}`.
    pub sha256: String,
    /// The description at pin time, cut to [`DESCRIPTION_CAP`] bytes; for diffs.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_schema_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations_sha256: Option<String>,
}

impl Pin {
    /// Parses a stored pin: the JSON object, or a bare hex digest.
    pub fn parse(stored: &str) -> Option<Pin> {
        let trimmed = stored.trim();
        if let Ok(pin) = serde_json::from_str::<Pin>(trimmed) {
            return is_sha256(&pin.sha256).then(|| Pin {
                sha256: pin.sha256.to_ascii_lowercase(),
                ..pin
            });
        }
        let bare = trimmed.trim_matches('"');
        is_sha256(bare).then(|| Pin {
            sha256: bare.to_ascii_lowercase(),
            ..Pin::default()
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `text` cut to at most `max` bytes on a character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Parses a stored JSON array of names; anything else is `None`.
pub fn parse_names(stored: &str) -> Option<BTreeSet<String>> {
    serde_json::from_str::<Vec<String>>(stored)
        .ok()
        .map(|v| v.into_iter().collect())
}

pub fn names_json(names: &BTreeSet<String>) -> String {
    serde_json::to_string(names).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_minimal_and_bare_pins() {
        let hex = "ab".repeat(32);
        let full = Pin {
            sha256: hex.clone(),
            description: Some("d".into()),
            ..Pin::default()
        };
        assert_eq!(Pin::parse(&full.to_json()), Some(full));
        let minimal = Pin::parse(&format!(
            r#"{{"sha256":"{}","pinned_by":"ops"}}"#,
            hex.to_uppercase()
        ))
        .unwrap();
        assert_eq!(minimal.sha256, hex);
        assert_eq!(minimal.description, None);
        assert_eq!(Pin::parse(&hex).map(|p| p.sha256), Some(hex.clone()));
        assert_eq!(
            Pin::parse(&format!("\"{hex}\"")).map(|p| p.sha256),
            Some(hex)
        );
        assert_eq!(Pin::parse("garbage"), None);
        assert_eq!(Pin::parse(r#"{"sha256":"short"}"#), None);
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("héllo", 3), "hé");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
