//! Canonical JSON and the SHA-256 fingerprint of a tool definition.
//!
//! Canonical form: object keys sorted by their UTF-8 bytes, no whitespace
//! outside strings, strings escaped the way serde_json escapes them, numbers
//! written as serde_json writes them. Two listings that differ only in key
//! order or formatting therefore hash the same.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Writes `value` as canonical JSON.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    // Serializing a &str cannot fail; fall back to an empty string literal anyway.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// The part of a tool definition that is pinned:
/// `{name, description, inputSchema, annotations}`, absent fields as `null`.
/// With `ignore_annotations`, `annotations` is always `null`.
pub fn pinned_definition(tool: &Value, ignore_annotations: bool) -> Value {
    let field = |key: &str| tool.get(key).cloned().unwrap_or(Value::Null);
    let annotations = if ignore_annotations {
        Value::Null
    } else {
        field("annotations")
    };
    serde_json::json!({
        "name": field("name"),
        "description": field("description"),
        "inputSchema": field("inputSchema"),
        "annotations": annotations,
    })
}

/// Lower-case hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The pin of a tool definition: SHA-256 of the canonical JSON of its pinned part.
pub fn tool_sha256(tool: &Value, ignore_annotations: bool) -> String {
    sha256_hex(&canonical_json(&pinned_definition(
        tool,
        ignore_annotations,
    )))
}

/// SHA-256 of one field of a tool (`null` when absent), to tell which part changed.
pub fn field_sha256(tool: &Value, key: &str) -> String {
    sha256_hex(&canonical_json(tool.get(key).unwrap_or(&Value::Null)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_keys_and_drops_whitespace() {
        let v: Value =
            serde_json::from_str(r#"{ "b": [1, 2.5, {"z": null, "a": true}], "a": "x\ny\u00e9" }"#)
                .unwrap();
        assert_eq!(
            canonical_json(&v),
            r#"{"a":"x\nyé","b":[1,2.5,{"a":true,"z":null}]}"#
        );
    }

    #[test]
    fn key_order_does_not_change_the_hash() {
        let a: Value =
            serde_json::from_str(r#"{"name":"t","inputSchema":{"type":"object","properties":{}}}"#)
                .unwrap();
        let b: Value =
            serde_json::from_str(r#"{"inputSchema":{"properties":{},"type":"object"},"name":"t"}"#)
                .unwrap();
        assert_eq!(tool_sha256(&a, false), tool_sha256(&b, false));
    }

    #[test]
    fn absent_fields_are_null_and_annotations_can_be_ignored() {
        let t = json!({"name": "t", "annotations": {"readOnlyHint": true}});
        assert_eq!(
            canonical_json(&pinned_definition(&t, false)),
            r#"{"annotations":{"readOnlyHint":true},"description":null,"inputSchema":null,"name":"t"}"#
        );
        assert_eq!(
            tool_sha256(&t, true),
            tool_sha256(&json!({"name": "t"}), false)
        );
        assert_eq!(sha256_hex("").len(), 64);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
