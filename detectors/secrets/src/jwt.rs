//! JSON Web Tokens: `header.payload.signature` in base64url where the header
//! decodes to a JSON object with an `alg` member. Strings that merely look
//! like JWTs (three dotted base64 parts) do not count.

use serde_json::Value;
use warden_sdk::Severity;

use crate::b64;

pub struct JwtHit {
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    pub note: &'static str,
}

fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn json_object(segment: &str) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice(&b64::decode(segment)?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A JWT starting at `at` (where `eyJ` was found). `now_ms` (0 when unknown)
/// lowers the severity of expired tokens.
pub fn check(text: &str, at: usize, now_ms: u64) -> Option<JwtHit> {
    let b = text.as_bytes();
    if at > 0 && (is_b64url(b[at - 1]) || b[at - 1] == b'.') {
        return None;
    }
    // Split into up to five dot-separated base64url segments.
    let mut bounds = [(0usize, 0usize); 5];
    let mut n = 0;
    let mut i = at;
    loop {
        let start = i;
        while i < b.len() && is_b64url(b[i]) {
            i += 1;
        }
        bounds[n] = (start, i);
        n += 1;
        if n == 5 || i >= b.len() || b[i] != b'.' || !b.get(i + 1).copied().is_some_and(is_b64url) {
            break;
        }
        i += 1;
    }
    if n != 3 && n != 5 {
        return None;
    }
    let seg = |k: usize| &text[bounds[k].0..bounds[k].1];
    let header = json_object(seg(0))?;
    if !header.get("alg").is_some_and(Value::is_string) {
        return None;
    }
    let end = bounds[n - 1].1;
    if n == 5 {
        // JWE: encrypted; the header names the content encryption.
        return header.contains_key("enc").then_some(JwtHit {
            start: at,
            end,
            severity: Severity::High,
            note: " (encrypted JWE)",
        });
    }
    if seg(1).len() < 8 || seg(2).len() < 16 {
        return None;
    }
    let payload = json_object(seg(1))?;
    let (mut severity, mut note) = (Severity::High, "");
    if payload.get("role").and_then(Value::as_str) == Some("anon") {
        // Supabase's anon key: a publishable JWT.
        (severity, note) = (Severity::Low, " (publishable anon key)");
    } else if let Some(exp) = payload.get("exp").and_then(Value::as_u64)
        && now_ms > 0
        && exp.saturating_mul(1000) < now_ms
    {
        (severity, note) = (Severity::Medium, " (expired)");
    }
    if payload.get("role").and_then(Value::as_str) == Some("service_role") {
        (severity, note) = (Severity::Critical, " (service role)");
    }
    Some(JwtHit { start: at, end, severity, note })
}
