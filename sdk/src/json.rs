//! JSON helpers shared by plugins and the host: string-leaf extraction with
//! JSON Pointers (RFC 6901).

use serde_json::Value;

/// Calls `visit(pointer, value)` for every string leaf of `root`, in document order.
/// Object keys are not visited.
pub fn walk_strings(root: &Value, mut visit: impl FnMut(&str, &str)) {
    let mut pointer = String::new();
    walk(root, &mut pointer, &mut visit);
}

fn walk(value: &Value, pointer: &mut String, visit: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(s) => visit(pointer, s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(item, pointer, visit);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = pointer.len();
                pointer.push('/');
                push_escaped(pointer, key);
                walk(item, pointer, visit);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}


/// Appends `token` to a pointer, escaping `~` as `~0` and `/` as `~1`.
pub fn push_escaped(pointer: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// True when `pointer` is `prefix` or lies below it (`/a/b` is under `/a`, `/ab` is not).
pub fn pointer_is_under(pointer: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_every_string_leaf_with_its_pointer() {
        let msg = json!({"a": ["x", {"b/c": "y", "n": 1}], "t~": "z"});
        let mut seen = Vec::new();
        walk_strings(&msg, |p, v| seen.push((p.to_string(), v.to_string())));
        assert_eq!(
            seen,
            vec![
                ("/a/0".to_string(), "x".to_string()),
                ("/a/1/b~1c".to_string(), "y".to_string()),
                ("/t~0".to_string(), "z".to_string()),
            ]
        );
        assert_eq!(msg.pointer("/a/1/b~1c"), Some(&json!("y")));
    }

    #[test]
    fn pointer_prefixes_respect_token_boundaries() {
        assert!(pointer_is_under("/params/arguments/q", "/params/arguments"));
        assert!(pointer_is_under("/params", "/params"));
        assert!(!pointer_is_under("/paramsx", "/params"));
        assert!(pointer_is_under("/x", ""));
    }
}
