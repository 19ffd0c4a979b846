//! Turning what the checks claimed into findings: one finding per rule,
//! each byte reported once (by the most specific rule).

use std::ops::Range;

use warden_sdk::prelude::*;

use crate::CATEGORY;
use crate::config::Settings;
use crate::rules::Rule;

/// One thing a check found: a rule, and the bytes of one text it covers
/// (no text for call-level checks such as volume).
#[derive(Debug, Clone)]
pub struct Claim {
    pub rule: Rule,
    pub severity: Severity,
    pub confidence: f32,
    pub text: Option<usize>,
    pub range: Range<usize>,
    /// What and where from, never the value.
    pub detail: String,
}

/// Groups accepted claims into findings, in rule order.
pub fn findings(settings: &Settings, input: &ScanInput, mut claims: Vec<Claim>) -> Vec<Finding> {
    claims.retain(|c| settings.enabled(c.rule));
    // Most specific rule first, then most severe, then narrowest span.
    claims.sort_by(|a, b| {
        (a.rule, std::cmp::Reverse(a.severity), a.range.len()).cmp(&(
            b.rule,
            std::cmp::Reverse(b.severity),
            b.range.len(),
        ))
    });
    let mut accepted: Vec<Claim> = Vec::new();
    for c in claims {
        let overlaps = c.text.is_some()
            && accepted.iter().any(|a| {
                a.text == c.text && a.range.start < c.range.end && c.range.start < a.range.end
            });
        let valid = c.text.is_none_or(|t| {
            input.texts.get(t).is_some_and(|x| {
                x.value.is_char_boundary(c.range.start) && x.value.is_char_boundary(c.range.end)
            })
        });
        if !overlaps && valid {
            accepted.push(c);
        }
    }
    let mut out = Vec::new();
    for rule in Rule::ALL {
        let group: Vec<&Claim> = accepted.iter().filter(|c| c.rule == rule).collect();
        let Some(first) = group.first() else { continue };
        let severity = group
            .iter()
            .map(|c| c.severity)
            .max()
            .unwrap_or(first.severity);
        let confidence = group.iter().map(|c| c.confidence).fold(0.0f32, f32::max);
        let mut message = first.detail.clone();
        if let Some(t) = first.text.and_then(|t| input.texts.get(t)) {
            message.push_str(&format!(" (at {})", safe_pointer(&t.pointer)));
        }
        if group.len() > 1 {
            message.push_str(&format!("; {} more", group.len() - 1));
        }
        let mut f = Finding::new(CATEGORY, rule.id(), severity)
            .confidence(confidence)
            .message(message);
        for c in &group {
            if let Some(t) = c.text {
                f = f.span(t, c.range.clone());
            }
        }
        out.push(f);
    }
    out
}

/// The pointer, with any segment that could itself be data (object keys can
/// be emails or IDs) replaced by `*`.
pub fn safe_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        return "(root)".to_string();
    }
    pointer
        .split('/')
        .map(|seg| {
            let plain = seg.len() <= 40
                && ((seg.bytes().all(|c| c.is_ascii_digit()) && seg.len() <= 4)
                    || seg
                        .bytes()
                        .all(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-')));
            if plain { seg } else { "*" }
        })
        .collect::<Vec<_>>()
        .join("/")
}
