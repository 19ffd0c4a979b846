//! Key/value state kept by the host for this plugin.
//!
//! Inside Warden these calls go to the host's store (in memory, or the shared
//! store of a cluster). In native tests they go to an in-memory store owned by
//! [`crate::testing::Harness`], so plugin logic runs unchanged in both.

pub use crate::bindings::detector::warden::plugin::state::Scope;

/// The stored value, or `None` if absent or expired.
pub fn get(scope: Scope, key: &str) -> Option<String> {
    imp::get(scope, key)
}

/// Stores `value` under `key`; `ttl_ms` bounds its life.
pub fn set(scope: Scope, key: &str, value: &str, ttl_ms: Option<u64>) {
    imp::set(scope, key, value, ttl_ms)
}

/// Removes `key`.
pub fn delete(scope: Scope, key: &str) {
    imp::delete(scope, key)
}

/// Atomically adds `delta` to a counter and returns the new value.
pub fn increment(scope: Scope, key: &str, delta: i64, ttl_ms: Option<u64>) -> i64 {
    imp::increment(scope, key, delta, ttl_ms)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Scope;
    use crate::bindings::detector::warden::plugin::state as host;

    pub fn get(scope: Scope, key: &str) -> Option<String> {
        host::get(scope, key)
    }
    pub fn set(scope: Scope, key: &str, value: &str, ttl_ms: Option<u64>) {
        host::set(scope, key, value, ttl_ms)
    }
    pub fn delete(scope: Scope, key: &str) {
        host::delete(scope, key)
    }
    pub fn increment(scope: Scope, key: &str, delta: i64, ttl_ms: Option<u64>) -> i64 {
        host::increment(scope, key, delta, ttl_ms)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Scope;
    use crate::testing::with_memory_state;

    pub fn get(scope: Scope, key: &str) -> Option<String> {
        with_memory_state(|s| s.get(scope, key))
    }
    pub fn set(scope: Scope, key: &str, value: &str, ttl_ms: Option<u64>) {
        with_memory_state(|s| s.set(scope, key, value, ttl_ms))
    }
    pub fn delete(scope: Scope, key: &str) {
        with_memory_state(|s| s.delete(scope, key))
    }
    pub fn increment(scope: Scope, key: &str, delta: i64, ttl_ms: Option<u64>) -> i64 {
        with_memory_state(|s| s.increment(scope, key, delta, ttl_ms))
    }
}
