//! A YAML document as a tree that remembers where each key and value was
//! written, so that a mistake found later (by the engine, in the JSON it is
//! given) can be reported at its line and column.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::{Location, Spanned};
use warden_policy_engine::PathStep;

/// A YAML node with the location of every key and value.
#[derive(Debug, Clone)]
pub enum Node {
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    Seq(Vec<Spanned<Node>>),
    Scalar(Value),
}

impl Node {
    /// The same document as JSON (mapping order kept).
    pub fn to_json(&self) -> Value {
        match self {
            Node::Scalar(v) => v.clone(),
            Node::Seq(items) => Value::Array(items.iter().map(|i| i.value.to_json()).collect()),
            Node::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.value.clone(), v.value.to_json())).collect()),
        }
    }
}

/// Where `path` points inside `root`: the deepest node the path reaches.
pub fn locate(root: &Spanned<Node>, path: &[PathStep]) -> Location {
    let mut node = root;
    for step in path {
        let next = match (&node.value, step) {
            (Node::Map(entries), PathStep::Key(key)) => entries.iter().find(|(k, _)| k.value == *key).map(|(_, v)| v),
            (Node::Map(entries), PathStep::KeyName(key)) => {
                return entries.iter().find(|(k, _)| k.value == *key).map_or(node.referenced, |(k, _)| k.referenced);
            }
            (Node::Seq(items), PathStep::Index(i)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node.referenced
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Node>>()? {
            let name = match key.value {
                Node::Scalar(Value::String(s)) => s,
                Node::Scalar(other) => other.to_string(),
                _ => return Err(de::Error::custom("a mapping key must be a plain value")),
            };
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((Spanned::new(name, key.referenced, key.defined), value));
        }
        Ok(Node::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_lines_and_columns() {
        let text = "name: p\nrules:\n  - action: DENY\n    conditions:\n      - field: tol\n        value: 09:00-18:00\n";
        let docs: Vec<Spanned<Node>> = serde_saphyr::from_multiple(text).unwrap();
        let root = &docs[0];
        let field = [PathStep::Key("rules".into()), PathStep::Index(0), PathStep::Key("conditions".into()), PathStep::Index(0)];
        let at = locate(root, &[&field[..], &[PathStep::Key("field".into())]].concat());
        assert_eq!((at.line(), at.column()), (5, 16));
        let at = locate(root, &[&field[..], &[PathStep::KeyName("value".into())]].concat());
        assert_eq!((at.line(), at.column()), (6, 9));
        let json = root.value.to_json();
        assert_eq!(json["rules"][0]["conditions"][0]["value"], "09:00-18:00");
        assert_eq!(json["name"], "p");
    }

    #[test]
    fn scalars_keep_their_types() {
        let docs: Vec<Spanned<Node>> =
            serde_saphyr::from_multiple("a: 10\nb: 0.5\nc: true\nd: ~\ne: '10'\nf: [x, 2]\ng: 09:00\n").unwrap();
        let json = docs[0].value.to_json();
        assert_eq!(json, serde_json::json!({"a": 10, "b": 0.5, "c": true, "d": null, "e": "10", "f": ["x", 2], "g": "09:00"}));
    }
}
