//! The aggregated endpoint's routing: which server a client request goes
//! to, and how the answers of several servers become one. Tools and prompts
//! are renamed `server{separator}name`; resources keep their URIs and are
//! routed by the server that listed them. Pure functions on JSON values.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

/// The list methods whose results are merged, and the field holding the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Tools,
    Prompts,
    Resources,
    ResourceTemplates,
}

impl Listing {
    pub fn of(method: &str) -> Option<Listing> {
        match method {
            "tools/list" => Some(Listing::Tools),
            "prompts/list" => Some(Listing::Prompts),
            "resources/list" => Some(Listing::Resources),
            "resources/templates/list" => Some(Listing::ResourceTemplates),
            _ => None,
        }
    }

    pub fn field(self) -> &'static str {
        match self {
            Listing::Tools => "tools",
            Listing::Prompts => "prompts",
            Listing::Resources => "resources",
            Listing::ResourceTemplates => "resourceTemplates",
        }
    }

    /// The server capability that says a server has such items.
    pub fn capability(self) -> &'static str {
        match self {
            Listing::Tools => "tools",
            Listing::Prompts => "prompts",
            Listing::Resources | Listing::ResourceTemplates => "resources",
        }
    }

    /// Whether items are renamed with the server prefix (URIs are not).
    fn renamed(self) -> bool {
        matches!(self, Listing::Tools | Listing::Prompts)
    }
}

/// Where a client request goes on the aggregated endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// `initialize` or `server/discover`: every server, answers merged.
    Handshake,
    /// A list method: every server, items merged.
    FanOut(Listing),
    /// Sent to every server; answered with an empty result.
    Broadcast,
    /// One server; `params` rewritten to the server's own names.
    Forward { server: usize, params: Option<Value>, tool: Option<String> },
    /// A resource whose server is unknown (a templated URI never listed):
    /// each server in turn until one has it.
    TryEach,
    /// Answered by Warden with this result.
    Local(Value),
    /// Answered by Warden with this error.
    Fail { code: i64, message: String },
}

/// What the router knows about the servers of a session.
pub struct Table<'a> {
    pub names: &'a [&'a str],
    pub separator: &'a str,
    /// URI → server, from the resource listings seen so far.
    pub resources: &'a HashMap<String, usize>,
}

impl Table<'_> {
    /// Splits `server{sep}name` into the server's index and its own name.
    pub fn split<'n>(&self, name: &'n str) -> Option<(usize, &'n str)> {
        let (server, rest) = name.split_once(self.separator)?;
        let index = self.names.iter().position(|n| *n == server)?;
        (!rest.is_empty()).then_some((index, rest))
    }

    fn resource_server(&self, uri: &str) -> Option<usize> {
        self.resources.get(uri).copied().or_else(|| (self.names.len() == 1).then_some(0))
    }
}

/// Plans a client request.
pub fn plan(method: &str, params: Option<&Value>, table: &Table<'_>) -> Plan {
    let unknown = |what: &str, name: &str| Plan::Fail { code: -32602, message: format!("unknown {what} `{name}`") };
    match method {
        "initialize" | "server/discover" => Plan::Handshake,
        "ping" => Plan::Local(json!({})),
        "logging/setLevel" => Plan::Broadcast,
        "tools/call" | "prompts/get" => {
            let what = if method == "tools/call" { "tool" } else { "prompt" };
            let name = params.and_then(|p| p.get("name")).and_then(Value::as_str).unwrap_or_default();
            match table.split(name) {
                Some((server, own)) => {
                    let mut params = params.cloned().unwrap_or_else(|| json!({}));
                    params["name"] = Value::String(own.to_string());
                    Plan::Forward { server, params: Some(params), tool: Some(own.to_string()) }
                }
                None => unknown(what, name),
            }
        }
        "resources/read" | "resources/subscribe" | "resources/unsubscribe" => {
            let uri = params.and_then(|p| p.get("uri")).and_then(Value::as_str).unwrap_or_default();
            match table.resource_server(uri) {
                Some(server) => Plan::Forward { server, params: None, tool: Some(uri.to_string()) },
                None if method == "resources/read" => Plan::TryEach,
                None => Plan::Fail { code: -32002, message: format!("unknown resource `{uri}`; list resources first") },
            }
        }
        "completion/complete" => {
            let reference = params.and_then(|p| p.get("ref"));
            let kind = reference.and_then(|r| r.get("type")).and_then(Value::as_str).unwrap_or_default();
            if kind == "ref/prompt" {
                let name = reference.and_then(|r| r.get("name")).and_then(Value::as_str).unwrap_or_default();
                return match table.split(name) {
                    Some((server, own)) => {
                        let mut params = params.cloned().unwrap_or_else(|| json!({}));
                        params["ref"]["name"] = Value::String(own.to_string());
                        Plan::Forward { server, params: Some(params), tool: Some(own.to_string()) }
                    }
                    None => unknown("prompt", name),
                };
            }
            let uri = reference.and_then(|r| r.get("uri")).and_then(Value::as_str).unwrap_or_default();
            match table.resource_server(uri) {
                Some(server) => Plan::Forward { server, params: None, tool: None },
                None => unknown("resource", uri),
            }
        }
        _ => match Listing::of(method) {
            Some(listing) => Plan::FanOut(listing),
            None => Plan::Fail { code: -32601, message: format!("method `{method}` is not available on the aggregated endpoint") },
        },
    }
}

/// Merges one page of items of `server` into `into`, renaming tools and
/// prompts, and recording resource URIs in `resources`.
pub fn merge_items(listing: Listing, server: usize, name: &str, separator: &str, result: &Value, into: &mut Vec<Value>, resources: &mut HashMap<String, usize>) {
    let Some(items) = result.get(listing.field()).and_then(Value::as_array) else { return };
    for item in items {
        let mut item = item.clone();
        if listing.renamed() {
            if let Some(own) = item.get("name").and_then(Value::as_str) {
                item["name"] = Value::String(format!("{name}{separator}{own}"));
            }
        } else if let Some(uri) = item.get("uri").or_else(|| item.get("uriTemplate")).and_then(Value::as_str) {
            resources.entry(uri.to_string()).or_insert(server);
        }
        into.push(item);
    }
}

/// 2026-07-28 result fields of a merged answer: `resultType`, and the
/// caching hints made as strict as the strictest server's (shortest
/// `ttlMs`; `public` only if every server said so).
pub fn merge_result_fields(answers: &[&Value], into: &mut Map<String, Value>) {
    if answers.iter().any(|a| a.get("resultType").is_some()) {
        into.insert("resultType".into(), json!("complete"));
    }
    let ttl = answers.iter().filter_map(|a| a.get("ttlMs").and_then(Value::as_u64)).min();
    if let Some(ttl) = ttl {
        into.insert("ttlMs".into(), json!(ttl));
    }
    let scopes: Vec<&str> = answers.iter().filter_map(|a| a.get("cacheScope").and_then(Value::as_str)).collect();
    if !scopes.is_empty() {
        let scope = if scopes.iter().all(|s| *s == "public") && scopes.len() == answers.len() { "public" } else { "private" };
        into.insert("cacheScope".into(), json!(scope));
    }
}

/// Merges the servers' `initialize` (or `server/discover`) results into the
/// gateway's own: capabilities united, versions agreed, instructions joined.
pub fn merge_handshake(method: &str, requested_version: Option<&str>, answers: &[(&str, &Value)]) -> Value {
    let mut capabilities = Map::new();
    let mut instructions = Vec::new();
    for (name, result) in answers {
        if let Some(caps) = result.get("capabilities").and_then(Value::as_object) {
            for (key, value) in caps {
                let merged = capabilities.entry(key.clone()).or_insert_with(|| json!({}));
                if let (Some(into), Some(from)) = (merged.as_object_mut(), value.as_object()) {
                    for (k, v) in from {
                        into.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
        }
        if let Some(text) = result.get("instructions").and_then(Value::as_str) {
            instructions.push(format!("{name}: {text}"));
        }
    }
    // Lists change whenever any server's list changes.
    for key in ["tools", "prompts"] {
        if let Some(cap) = capabilities.get_mut(key).and_then(Value::as_object_mut) {
            cap.insert("listChanged".into(), Value::Bool(true));
        }
    }
    let mut result = json!({"capabilities": capabilities});
    if !instructions.is_empty() {
        result["instructions"] = Value::String(instructions.join("\n\n"));
    }
    let info = json!({"name": "warden", "version": env!("CARGO_PKG_VERSION")});
    if method == "server/discover" {
        let mut common: Option<Vec<Value>> = None;
        for (_, r) in answers {
            let versions = r.get("supportedVersions").and_then(Value::as_array).cloned().unwrap_or_default();
            common = Some(match common {
                None => versions,
                Some(c) => c.into_iter().filter(|v| versions.contains(v)).collect(),
            });
        }
        result["supportedVersions"] = Value::Array(common.unwrap_or_default());
        result["serverInfo"] = info;
        let all: Vec<&Value> = answers.iter().map(|(_, r)| *r).collect();
        if let Some(object) = result.as_object_mut() {
            merge_result_fields(&all, object);
            object.insert("resultType".into(), json!("complete"));
        }
    } else {
        // The oldest version any server chose: every server can speak it.
        let chosen = answers.iter().filter_map(|(_, r)| r.get("protocolVersion").and_then(Value::as_str)).min();
        result["protocolVersion"] = Value::String(chosen.or(requested_version).unwrap_or("2025-06-18").to_string());
        result["serverInfo"] = info;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table<'a>(names: &'a [&'a str], resources: &'a HashMap<String, usize>) -> Table<'a> {
        Table { names, separator: "__", resources }
    }

    #[test]
    fn a_prefixed_tool_call_goes_to_its_server_under_its_own_name() {
        let none = HashMap::new();
        let names = ["time", "every__thing"];
        let t = table(&names, &none);
        let plan = plan("tools/call", Some(&json!({"name": "time__get_current_time", "arguments": {"tz": "UTC"}, "x": 1})), &t);
        let Plan::Forward { server: 0, params: Some(params), tool } = plan else { panic!("{plan:?}") };
        assert_eq!(params, json!({"name": "get_current_time", "arguments": {"tz": "UTC"}, "x": 1}));
        assert_eq!(tool.as_deref(), Some("get_current_time"));
        assert!(matches!(super::plan("tools/call", Some(&json!({"name": "nope__x"})), &t), Plan::Fail { code: -32602, .. }));
        assert!(matches!(super::plan("tools/call", Some(&json!({"name": "time__"})), &t), Plan::Fail { .. }));
    }

    #[test]
    fn listings_are_renamed_and_resources_remembered() {
        let mut items = Vec::new();
        let mut resources = HashMap::new();
        let tools = json!({"tools": [{"name": "echo", "description": "d", "inputSchema": {"x-unknown": 1}}]});
        merge_items(Listing::Tools, 1, "everything", "__", &tools, &mut items, &mut resources);
        assert_eq!(items[0], json!({"name": "everything__echo", "description": "d", "inputSchema": {"x-unknown": 1}}));
        let listed = json!({"resources": [{"uri": "demo://1", "name": "one"}]});
        merge_items(Listing::Resources, 1, "everything", "__", &listed, &mut items, &mut resources);
        assert_eq!(resources.get("demo://1"), Some(&1));
        assert_eq!(items[1]["name"], "one");
    }

    #[test]
    fn handshakes_merge_capabilities_and_agree_on_a_version() {
        let a = json!({"protocolVersion": "2025-11-25", "capabilities": {"tools": {}, "logging": {}}, "instructions": "A"});
        let b = json!({"protocolVersion": "2025-06-18", "capabilities": {"prompts": {"listChanged": false}}});
        let merged = merge_handshake("initialize", Some("2025-11-25"), &[("a", &a), ("b", &b)]);
        assert_eq!(merged["protocolVersion"], "2025-06-18");
        assert_eq!(merged["capabilities"]["tools"]["listChanged"], true);
        assert_eq!(merged["capabilities"]["prompts"]["listChanged"], true);
        assert!(merged["capabilities"]["logging"].is_object());
        assert_eq!(merged["instructions"], "a: A");
        let d1 = json!({"supportedVersions": ["2026-07-28", "2025-11-25"], "capabilities": {}});
        let d2 = json!({"supportedVersions": ["2026-07-28"], "capabilities": {}});
        let merged = merge_handshake("server/discover", None, &[("a", &d1), ("b", &d2)]);
        assert_eq!(merged["supportedVersions"], json!(["2026-07-28"]));
    }

    #[test]
    fn merged_caching_hints_are_the_strictest() {
        let a = json!({"tools": [], "resultType": "complete", "ttlMs": 5000, "cacheScope": "public"});
        let b = json!({"tools": [], "resultType": "complete", "ttlMs": 100, "cacheScope": "private"});
        let mut into = Map::new();
        merge_result_fields(&[&a, &b], &mut into);
        assert_eq!(Value::Object(into), json!({"resultType": "complete", "ttlMs": 100, "cacheScope": "private"}));
        let mut into = Map::new();
        merge_result_fields(&[&a, &a], &mut into);
        assert_eq!(into["cacheScope"], "public");
    }
}
