//! Turning a JSON-RPC message into what detectors scan.

use serde_json::Value;

use super::bindings::{CallContext, ScanInput, Text};

/// Walks the message once and collects every string leaf with its JSON Pointer.
pub fn scan_input(context: CallContext, message: &Value, raw_json: &str) -> ScanInput {
    let mut texts = Vec::new();
    warden_sdk::json::walk_strings(message, |pointer, value| {
        texts.push(Text { pointer: pointer.to_string(), value: value.to_string() });
    });
    ScanInput { context, texts, raw_json: raw_json.to_string() }
}

/// The JSON-RPC method of a request or notification, if any.
pub fn method(message: &Value) -> Option<&str> {
    message.get("method").and_then(Value::as_str)
}

/// The tool, prompt or resource a request is about (`params.name`, or `params.uri`).
pub fn target_name(message: &Value) -> Option<&str> {
    let params = message.get("params")?;
    params.get("name").or_else(|| params.get("uri")).and_then(Value::as_str)
}

/// The request id as JSON text (`7`, `"abc"`), empty when absent.
pub fn id_text(message: &Value) -> String {
    message.get("id").map(Value::to_string).unwrap_or_default()
}
