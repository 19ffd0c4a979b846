//! A policy's version: the SHA-256 of its canonical JSON (object keys sorted,
//! no insignificant whitespace), so the same document has the same version
//! whether it came as YAML from the policies directory or as JSON from the API.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Hex digits kept from the digest (64 bits).
const SHORT: usize = 16;

/// The short hex version of a policy document.
pub fn policy_version(document: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(document, &mut canonical);
    let digest = Sha256::digest(canonical.as_bytes());
    hex::encode(digest)[..SHORT].to_string()
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_whitespace_do_not_change_the_version() {
        let a: Value = serde_json::from_str(r#"{"name": "p", "rules": [{"action": "DENY", "conditions": []}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"rules":[{"conditions":[],"action":"DENY"}],"name":"p"}"#).unwrap();
        assert_eq!(policy_version(&a), policy_version(&b));
        assert_eq!(policy_version(&a).len(), 16);
        let c: Value = serde_json::from_str(r#"{"name": "p", "rules": [{"action": "ALLOW", "conditions": []}]}"#).unwrap();
        assert_ne!(policy_version(&a), policy_version(&c));
    }
}
