//! Cross-server shadowing. Tool names are kept in the host's global state so
//! a listing can be compared with every other server's:
//!
//! - global `tool-owners`: JSON object, tool name → servers listing it (one
//!   read per listing, however many servers there are);
//! - global `tools:<server>`: JSON array of the server's tool names;
//! - session `paging:<server>`: set while a paginated listing is being read.
//!
//! Updates are read-modify-write: two gateways recording different servers at
//! the same instant may lose one update, which the next listing repairs.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta::Regex;
use warden_sdk::state::{self, Scope};

use crate::definition::normalize;

const OWNERS_KEY: &str = "tool-owners";
/// Most tool names remembered across all servers; past this, new names are not added.
const MAX_NAMES: usize = 20_000;
const PAGING_TTL_MS: u64 = 10 * 60 * 1000;

pub fn tools_key(server: &str) -> String {
    format!("tools:{server}")
}

fn paging_key(server: &str) -> String {
    format!("paging:{server}")
}

fn read_list(scope: Scope, key: &str) -> Vec<String> {
    state::get(scope, key)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

fn write_json<T: serde::Serialize>(key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        state::set(Scope::Global, key, &json, None);
    }
}

/// The tool-name index of all servers.
pub fn read_owners() -> BTreeMap<String, Vec<String>> {
    state::get(Scope::Global, OWNERS_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// The tools other servers expose, by normalized name.
pub struct OtherTools {
    /// normalized name → (server, name as listed)
    by_name: BTreeMap<String, Vec<(String, String)>>,
}

impl OtherTools {
    /// Every other server's tool names, from the index.
    pub fn from_owners(server: &str, owners: &BTreeMap<String, Vec<String>>) -> OtherTools {
        let mut by_name: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (name, servers) in owners {
            for other in servers.iter().filter(|s| *s != server).cloned() {
                by_name
                    .entry(normalize(name))
                    .or_default()
                    .push((other, name.clone()));
            }
        }
        OtherTools { by_name }
    }

    /// The servers that already expose `name` (or a name equal but for case and separators).
    pub fn servers_with(&self, name: &str) -> Vec<&str> {
        let mut servers: Vec<&str> = self
            .by_name
            .get(&normalize(name))
            .map(|v| v.iter().map(|(s, _)| s.as_str()).collect())
            .unwrap_or_default();
        servers.dedup();
        servers
    }

    /// A matcher for other servers' distinctive tool names that this server does not list itself.
    pub fn references(&self, own: &BTreeSet<String>) -> Option<References> {
        let mut names: Vec<(String, String)> = Vec::new();
        for (normalized, owners) in &self.by_name {
            if own.contains(normalized) {
                continue;
            }
            for (server, name) in owners {
                if distinctive(name) && !names.iter().any(|(n, _)| n == name) {
                    names.push((name.clone(), server.clone()));
                }
            }
        }
        if names.is_empty() {
            return None;
        }
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(names.iter().map(|(n, _)| n.as_str()))
            .ok()?;
        Some(References { matcher, names })
    }
}

/// Names unlikely to be ordinary words: `send_email`, `get-weather`, `sendEmail`.
fn distinctive(name: &str) -> bool {
    let camel = name
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    name.len() >= 5 && (name.contains('_') || name.contains('-') || camel)
}

pub struct References {
    matcher: AhoCorasick,
    /// (tool name, server) per pattern.
    names: Vec<(String, String)>,
}

impl References {
    /// Occurrences of another server's tool name in a sentence that gives orders.
    pub fn find(&self, text: &str, directive: &Regex) -> Vec<(Range<usize>, &str, &str)> {
        let bytes = text.as_bytes();
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        let mut out = Vec::new();
        for m in self.matcher.find_iter(text) {
            let before = m.start().checked_sub(1).and_then(|i| bytes.get(i)).copied();
            let after = bytes.get(m.end()).copied();
            if before.is_some_and(ident) || after.is_some_and(ident) {
                continue;
            }
            let sentence = sentence_around(text, m.range());
            if directive.is_match(&text.as_bytes()[sentence]) {
                let (name, server) = &self.names[m.pattern().as_usize()];
                out.push((m.range(), name.as_str(), server.as_str()));
            }
        }
        out
    }
}

/// The sentence containing `range`.
fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let is_end = |w: &[u8]| matches!(w[0], b'.' | b'!' | b'?') && w[1].is_ascii_whitespace();
    let bytes = text.as_bytes();
    let start = bytes[..range.start]
        .windows(2)
        .rposition(|w| is_end(w) || w[1] == b'\n')
        .map_or(0, |i| i + 2);
    let end = bytes[range.end..]
        .windows(2)
        .position(|w| is_end(w) || w[0] == b'\n')
        .map_or(text.len(), |i| range.end + i + 1);
    // Both ends sit next to ASCII bytes, so they are char boundaries.
    start.min(range.start)..end.max(range.end)
}

/// Records this server's tool names. A page with `nextCursor` starts or
/// extends a paginated listing; the page after the last cursor completes it.
/// `owners` is the index as read at the start of this scan.
pub fn record(
    server: &str,
    names: &BTreeSet<String>,
    partial: bool,
    before: BTreeMap<String, Vec<String>>,
) {
    let key = tools_key(server);
    let paging = state::get(Scope::Session, &paging_key(server)).is_some();
    let previous: BTreeSet<String> = read_list(Scope::Global, &key).into_iter().collect();
    let mut all: BTreeSet<String> = if paging {
        previous.clone()
    } else {
        BTreeSet::new()
    };
    all.extend(names.iter().cloned());
    if partial {
        state::set(
            Scope::Session,
            &paging_key(server),
            "1",
            Some(PAGING_TTL_MS),
        );
    } else if paging {
        state::delete(Scope::Session, &paging_key(server));
    }
    if all != previous {
        write_json(&key, &all);
    }
    let mut owners = before.clone();
    for name in previous.difference(&all) {
        if let Some(servers) = owners.get_mut(name) {
            servers.retain(|s| s != server);
        }
    }
    owners.retain(|_, servers| !servers.is_empty());
    for name in &all {
        if owners.len() >= MAX_NAMES && !owners.contains_key(name) {
            warden_sdk::log::warn(
                "poisoning: tool-owners is full; new tool names are not compared across servers",
            );
            break;
        }
        let servers = owners.entry(name.clone()).or_default();
        if !servers.iter().any(|s| s == server) {
            servers.push(server.to_string());
        }
    }
    if owners != before {
        write_json(OWNERS_KEY, &owners);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences() {
        let t = "First one. Use send_email always. Last";
        let at = t.find("send_email").unwrap();
        assert_eq!(
            &t[sentence_around(t, at..at + 10)],
            "Use send_email always."
        );
        assert_eq!(sentence_around("send_email", 0..10), 0..10);
    }

    #[test]
    fn distinctive_names() {
        assert!(distinctive("send_email"));
        assert!(distinctive("sendEmail"));
        assert!(!distinctive("search"));
        assert!(!distinctive("a_b"));
    }
}
