//! Raw JSON-RPC messages. A message is parsed once into a [`Value`] for
//! inspection and routing; what is forwarded is the original bytes, unless the
//! proxy had to change the message (an id, an aggregated tool name), in which
//! case the changed `Value` is written out with every other field intact.

use bytes::Bytes;
use serde_json::{Value, json};

/// JSON-RPC and MCP error codes Warden answers with.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    /// Session-era "no such session" (as the TypeScript SDK answers).
    pub const SESSION_NOT_FOUND: i64 = -32001;
    /// A message denied by Warden's policies.
    pub const DENIED: i64 = -32001;
    /// The upstream server is down, slow or answered garbage.
    pub const UPSTREAM: i64 = -32000;
    /// 2026-07-28: HTTP headers disagree with the body.
    pub const HEADER_MISMATCH: i64 = -32020;
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Notification,
    /// A result or an error answering a request.
    Response,
}

/// One JSON-RPC message: its bytes as received and its parsed form.
#[derive(Debug, Clone)]
pub struct Message {
    raw: Bytes,
    value: Value,
    kind: Kind,
}

/// Why bytes are not a JSON-RPC message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("parse error: {0}")]
    Parse(String),
    #[error("invalid request: {0}")]
    Request(&'static str),
}

impl Invalid {
    pub fn code(&self) -> i64 {
        match self {
            Invalid::Parse(_) => code::PARSE_ERROR,
            Invalid::Request(_) => code::INVALID_REQUEST,
        }
    }

    /// The JSON-RPC error answering the bad input (id null: it could not be read).
    pub fn to_error(&self) -> Message {
        Message::error(&Value::Null, self.code(), &self.to_string(), None)
    }
}

/// A POST body: one message or (before 2025-06-18) a batch.
#[derive(Debug)]
pub enum Body {
    One(Message),
    Batch(Vec<Result<Message, Invalid>>),
}

/// Parses a body that may be a single message or a batch.
pub fn parse_body(raw: Bytes) -> Result<Body, Invalid> {
    let value: Value = serde_json::from_slice(&raw).map_err(|e| Invalid::Parse(e.to_string()))?;
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err(Invalid::Request("empty batch"));
            }
            Ok(Body::Batch(items.into_iter().map(Message::from_value).collect()))
        }
        value => Ok(Body::One(Message::classify(raw, value)?)),
    }
}

impl Message {
    /// Parses one message (a line of stdio, an SSE `data:`).
    pub fn parse(raw: Bytes) -> Result<Message, Invalid> {
        let value: Value = serde_json::from_slice(&raw).map_err(|e| Invalid::Parse(e.to_string()))?;
        Message::classify(raw, value)
    }

    /// A message built or changed by the proxy.
    pub fn from_value(value: Value) -> Result<Message, Invalid> {
        let raw = Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
        Message::classify(raw, value)
    }

    fn classify(raw: Bytes, value: Value) -> Result<Message, Invalid> {
        let kind = kind_of(&value)?;
        Ok(Message { raw, value, kind })
    }

    /// A JSON-RPC error response.
    pub fn error(id: &Value, code: i64, message: &str, data: Option<Value>) -> Message {
        let mut error = json!({"code": code, "message": message});
        if let Some(data) = data {
            error["data"] = data;
        }
        let value = json!({"jsonrpc": "2.0", "id": id, "error": error});
        let raw = Bytes::from(value.to_string());
        Message { raw, value, kind: Kind::Response }
    }

    /// A JSON-RPC result response.
    pub fn result(id: &Value, result: Value) -> Message {
        let value = json!({"jsonrpc": "2.0", "id": id, "result": result});
        let raw = Bytes::from(value.to_string());
        Message { raw, value, kind: Kind::Response }
    }

    /// A notification built by the proxy.
    pub fn notification(method: &str, params: Value) -> Message {
        let value = json!({"jsonrpc": "2.0", "method": method, "params": params});
        let raw = Bytes::from(value.to_string());
        Message { raw, value, kind: Kind::Notification }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The bytes to forward (as received unless the message was changed).
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// The bytes as UTF-8 (they parsed as JSON, so they are).
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.raw).unwrap_or_default()
    }

    /// The bytes on one line: JSON whitespace newlines become spaces (a raw
    /// newline cannot occur inside a JSON string), for stdio and SSE framing.
    pub fn line(&self) -> Bytes {
        if self.raw.iter().any(|b| *b == b'\n' || *b == b'\r') {
            Bytes::from(self.raw.iter().map(|b| if *b == b'\n' || *b == b'\r' { b' ' } else { *b }).collect::<Vec<u8>>())
        } else {
            self.raw.clone()
        }
    }

    pub fn method(&self) -> Option<&str> {
        self.value.get("method").and_then(Value::as_str)
    }

    pub fn id(&self) -> Option<&Value> {
        self.value.get("id")
    }

    /// The id as a map key (`7` and `"7"` differ).
    pub fn id_key(&self) -> Option<String> {
        self.id().map(Value::to_string)
    }

    pub fn params(&self) -> Option<&Value> {
        self.value.get("params")
    }

    pub fn result_value(&self) -> Option<&Value> {
        self.value.get("result")
    }

    pub fn is_error(&self) -> bool {
        self.value.get("error").is_some()
    }

    /// `params.name` (tools/call, prompts/get) or `params.uri` (resources/read).
    pub fn target_name(&self) -> Option<&str> {
        crate::pipeline::message::target_name(&self.value)
    }

    /// `params._meta.progressToken` as a key.
    pub fn progress_token(&self) -> Option<String> {
        self.params()?.get("_meta")?.get("progressToken").map(Value::to_string)
    }

    /// Changes the message; the bytes are rewritten from the changed value.
    pub fn edit(self, f: impl FnOnce(&mut Value)) -> Message {
        let mut value = self.value;
        f(&mut value);
        let raw = Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
        Message { raw, value, kind: self.kind }
    }

    /// The same message with another id.
    pub fn with_id(self, id: Value) -> Message {
        self.edit(|v| v["id"] = id)
    }
}

fn kind_of(value: &Value) -> Result<Kind, Invalid> {
    let Some(object) = value.as_object() else {
        return Err(Invalid::Request("a message must be a JSON object"));
    };
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(Invalid::Request("`jsonrpc` must be \"2.0\""));
    }
    let id_ok = |id: &Value| id.is_string() || id.is_i64() || id.is_u64();
    match (object.get("method"), object.get("id")) {
        (Some(Value::String(_)), None) => Ok(Kind::Notification),
        (Some(Value::String(_)), Some(id)) if id_ok(id) => Ok(Kind::Request),
        (Some(Value::String(_)), Some(_)) => Err(Invalid::Request("`id` must be a string or an integer")),
        (Some(_), _) => Err(Invalid::Request("`method` must be a string")),
        (None, Some(id)) if (id_ok(id) || id.is_null()) && (object.contains_key("result") ^ object.contains_key("error")) => {
            Ok(Kind::Response)
        }
        (None, _) => Err(Invalid::Request("a message needs a `method`, or an `id` with one of `result` or `error`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Message, Invalid> {
        Message::parse(Bytes::from(text.to_string()))
    }

    #[test]
    fn unknown_fields_and_key_order_survive_untouched() {
        let text = r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x","z":1,"a":{"future":true}},"extra":[1.50]}"#;
        let m = parse(text).unwrap();
        assert_eq!(m.kind(), Kind::Request);
        assert_eq!(m.text(), text);
        let edited = m.with_id(json!("w-1"));
        assert_eq!(
            edited.text(),
            r#"{"jsonrpc":"2.0","id":"w-1","method":"tools/call","params":{"name":"x","z":1,"a":{"future":true}},"extra":[1.5]}"#
        );
    }

    #[test]
    fn bad_input_gets_the_right_code() {
        assert_eq!(parse("{nope").unwrap_err().code(), code::PARSE_ERROR);
        assert_eq!(parse("[]").unwrap_err().code(), code::INVALID_REQUEST);
        assert_eq!(parse(r#"{"id":1,"method":"x"}"#).unwrap_err().code(), code::INVALID_REQUEST);
        assert_eq!(parse(r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#).unwrap_err().code(), code::INVALID_REQUEST);
        assert_eq!(parse(r#"{"jsonrpc":"2.0","id":1}"#).unwrap_err().code(), code::INVALID_REQUEST);
        assert_eq!(parse(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap().kind(), Kind::Notification);
        assert_eq!(parse(r#"{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}}"#).unwrap().kind(), Kind::Response);
    }

    #[test]
    fn batches_are_split_and_each_item_checked() {
        let Body::Batch(items) = parse_body(Bytes::from_static(br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},5]"#)).unwrap() else {
            panic!("a batch")
        };
        assert!(items[0].is_ok());
        assert_eq!(items[1].as_ref().unwrap_err().code(), code::INVALID_REQUEST);
    }

    #[test]
    fn a_pretty_printed_message_fits_one_line() {
        let m = parse("{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"ping\",\n  \"id\": 1\n}").unwrap();
        assert!(!m.line().contains(&b'\n'));
        assert_eq!(serde_json::from_slice::<Value>(&m.line()).unwrap(), *m.value());
    }
}
