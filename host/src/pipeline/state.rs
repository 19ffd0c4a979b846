//! The host side of the plugins' `state` interface: per-plugin key/value
//! storage scoped to a client session or global, with TTLs and atomic counters.
//!
//! This is the in-process store; a cluster backs it with the shared store
//! (PostgreSQL/Redis) behind the same [`PluginStateStore`] API.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

/// Limits that keep a hostile plugin from exhausting host memory through state.
pub const MAX_KEY_BYTES: usize = 1024;
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
pub const MAX_ENTRIES_PER_PLUGIN: usize = 100_000;

/// Where a key lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StateScope {
    Session(String),
    Global,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Slot {
    plugin: String,
    scope: StateScope,
    key: String,
}

struct Entry {
    value: String,
    expires: Option<Instant>,
}

impl Entry {
    fn live(&self, now: Instant) -> bool {
        self.expires.is_none_or(|e| e > now)
    }
}

/// Why a state write was refused (the plugin call traps with this message).
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state key is {0} bytes, the limit is {MAX_KEY_BYTES}")]
    KeyTooLong(usize),
    #[error("state value is {0} bytes, the limit is {MAX_VALUE_BYTES}")]
    ValueTooLong(usize),
    #[error("plugin holds {MAX_ENTRIES_PER_PLUGIN} state entries, the limit")]
    TooManyEntries,
}

/// Thread-safe in-memory state for every plugin.
#[derive(Default)]
pub struct PluginStateStore {
    entries: Mutex<HashMap<Slot, Entry>>,
    counts: Mutex<HashMap<String, usize>>,
}

impl PluginStateStore {
    pub fn new() -> PluginStateStore {
        PluginStateStore::default()
    }

    pub fn get(&self, plugin: &str, scope: StateScope, key: &str) -> Option<String> {
        let slot = Slot { plugin: plugin.to_string(), scope, key: key.to_string() };
        let now = Instant::now();
        let mut entries = self.entries.lock();
        match entries.get(&slot) {
            Some(entry) if entry.live(now) => Some(entry.value.clone()),
            Some(_) => {
                entries.remove(&slot);
                self.decrement_count(plugin);
                None
            }
            None => None,
        }
    }

    pub fn set(&self, plugin: &str, scope: StateScope, key: &str, value: &str, ttl_ms: Option<u64>) -> Result<(), StateError> {
        check_sizes(key, value)?;
        let slot = Slot { plugin: plugin.to_string(), scope, key: key.to_string() };
        let expires = ttl_ms.map(|ms| Instant::now() + Duration::from_millis(ms));
        let mut entries = self.entries.lock();
        if !entries.contains_key(&slot) {
            self.reserve(plugin)?;
        }
        entries.insert(slot, Entry { value: value.to_string(), expires });
        Ok(())
    }

    pub fn delete(&self, plugin: &str, scope: StateScope, key: &str) {
        let slot = Slot { plugin: plugin.to_string(), scope, key: key.to_string() };
        if self.entries.lock().remove(&slot).is_some() {
            self.decrement_count(plugin);
        }
    }

    pub fn increment(&self, plugin: &str, scope: StateScope, key: &str, delta: i64, ttl_ms: Option<u64>) -> Result<i64, StateError> {
        check_sizes(key, "")?;
        let slot = Slot { plugin: plugin.to_string(), scope, key: key.to_string() };
        let now = Instant::now();
        let mut entries = self.entries.lock();
        let existing = entries.get(&slot).filter(|e| e.live(now));
        let (current, expires) = match existing {
            Some(e) => (e.value.parse::<i64>().unwrap_or(0), e.expires),
            None => (0, ttl_ms.map(|ms| now + Duration::from_millis(ms))),
        };
        if !entries.contains_key(&slot) {
            self.reserve(plugin)?;
        }
        let value = current.saturating_add(delta);
        entries.insert(slot, Entry { value: value.to_string(), expires });
        Ok(value)
    }

    /// Drops every session-scoped entry of `session` (called when a session ends).
    pub fn end_session(&self, session: &str) {
        let mut entries = self.entries.lock();
        let mut counts = self.counts.lock();
        entries.retain(|slot, _| {
            let keep = slot.scope != StateScope::Session(session.to_string());
            if !keep {
                if let Some(c) = counts.get_mut(&slot.plugin) {
                    *c = c.saturating_sub(1);
                }
            }
            keep
        });
    }

    /// Every live global entry of `plugin` whose key starts with `prefix` (for the admin API).
    pub fn global_entries(&self, plugin: &str, prefix: &str) -> Vec<(String, String)> {
        let now = Instant::now();
        let entries = self.entries.lock();
        let mut out: Vec<(String, String)> = entries
            .iter()
            .filter(|(slot, entry)| {
                slot.plugin == plugin && slot.scope == StateScope::Global && slot.key.starts_with(prefix) && entry.live(now)
            })
            .map(|(slot, entry)| (slot.key.clone(), entry.value.clone()))
            .collect();
        out.sort();
        out
    }

    fn reserve(&self, plugin: &str) -> Result<(), StateError> {
        let mut counts = self.counts.lock();
        let count = counts.entry(plugin.to_string()).or_insert(0);
        if *count >= MAX_ENTRIES_PER_PLUGIN {
            return Err(StateError::TooManyEntries);
        }
        *count += 1;
        Ok(())
    }

    fn decrement_count(&self, plugin: &str) {
        if let Some(c) = self.counts.lock().get_mut(plugin) {
            *c = c.saturating_sub(1);
        }
    }
}

fn check_sizes(key: &str, value: &str) -> Result<(), StateError> {
    if key.len() > MAX_KEY_BYTES {
        return Err(StateError::KeyTooLong(key.len()));
    }
    if value.len() > MAX_VALUE_BYTES {
        return Err(StateError::ValueTooLong(value.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_private_to_a_plugin_and_a_session() {
        let s = PluginStateStore::new();
        s.set("a", StateScope::Session("s1".into()), "k", "v", None).unwrap();
        assert_eq!(s.get("a", StateScope::Session("s1".into()), "k").as_deref(), Some("v"));
        assert_eq!(s.get("a", StateScope::Session("s2".into()), "k"), None);
        assert_eq!(s.get("b", StateScope::Session("s1".into()), "k"), None);
        assert_eq!(s.get("a", StateScope::Global, "k"), None);
        s.end_session("s1");
        assert_eq!(s.get("a", StateScope::Session("s1".into()), "k"), None);
    }

    #[test]
    fn increments_are_atomic_counters_and_ttls_expire() {
        let s = PluginStateStore::new();
        assert_eq!(s.increment("a", StateScope::Global, "n", 2, None).unwrap(), 2);
        assert_eq!(s.increment("a", StateScope::Global, "n", 3, None).unwrap(), 5);
        s.set("a", StateScope::Global, "t", "x", Some(0)).unwrap();
        assert_eq!(s.get("a", StateScope::Global, "t"), None);
    }

    #[test]
    fn oversized_writes_are_refused() {
        let s = PluginStateStore::new();
        let big = "x".repeat(MAX_VALUE_BYTES + 1);
        assert!(matches!(s.set("a", StateScope::Global, "k", &big, None), Err(StateError::ValueTooLong(_))));
    }
}
