//! The session store: every active MCP session with its counters (calls,
//! bytes in and out, findings by category).
//!
//! In-process and on the request path: a sharded concurrent map (`dashmap`)
//! from session id to a [`Session`] whose counters are atomics, so counting
//! a call takes no lock shared with other sessions. The proxy keeps the
//! `Arc<Session>` it got from [`SessionStore::open`] for the life of the
//! connection and counts through it; policies read the counters through
//! [`Session::counters`] (`session_calls` / `session_bytes` of the policy
//! input); the admin API lists snapshots.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use dashmap::DashMap;
use parking_lot::Mutex;
use serde::Serialize;

use crate::store::now_us;

/// One active session.
#[derive(Debug)]
pub struct Session {
    id: String,
    agent: String,
    server: String,
    opened_us: i64,
    last_seen_us: AtomicI64,
    calls: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    /// Findings by category; few categories, so a short list beats a map.
    findings: Mutex<Vec<(Box<str>, u64)>>,
}

/// The counters policies read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCounters {
    pub calls: u64,
    /// Bytes in plus bytes out.
    pub bytes: u64,
}

impl SessionCounters {
    /// Puts the counters where policies read them (`session-calls`,
    /// `session-bytes` of the policy input).
    pub fn fill(self, context: &mut crate::pipeline::PolicyContext) {
        context.session_calls = self.calls;
        context.session_bytes = self.bytes;
    }
}

/// A session's state at one moment, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSnapshot {
    pub id: String,
    pub agent: String,
    pub server: String,
    pub opened_us: i64,
    pub last_seen_us: i64,
    pub calls: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub findings: BTreeMap<String, u64>,
}

impl Session {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Counts one call: its request and response sizes and the categories of
    /// its findings (a category may repeat). Returns the counters after it.
    pub fn record_call(&self, bytes_in: u64, bytes_out: u64, categories: &[&str]) -> SessionCounters {
        let calls = self.calls.fetch_add(1, Ordering::Relaxed) + 1;
        let total_in = self.bytes_in.fetch_add(bytes_in, Ordering::Relaxed) + bytes_in;
        let total_out = self.bytes_out.fetch_add(bytes_out, Ordering::Relaxed) + bytes_out;
        self.last_seen_us.store(now_us(), Ordering::Relaxed);
        if !categories.is_empty() {
            let mut findings = self.findings.lock();
            for category in categories {
                match findings.iter_mut().find(|(c, _)| &**c == *category) {
                    Some((_, n)) => *n += 1,
                    None => findings.push((Box::from(*category), 1)),
                }
            }
        }
        SessionCounters { calls, bytes: total_in + total_out }
    }

    /// Calls and bytes so far.
    pub fn counters(&self) -> SessionCounters {
        SessionCounters {
            calls: self.calls.load(Ordering::Relaxed),
            bytes: self.bytes_in.load(Ordering::Relaxed) + self.bytes_out.load(Ordering::Relaxed),
        }
    }

    /// Findings of one category so far.
    pub fn findings_of(&self, category: &str) -> u64 {
        self.findings.lock().iter().find(|(c, _)| &**c == category).map_or(0, |(_, n)| *n)
    }

    pub fn snapshot(&self) -> SessionSnapshot {
        SessionSnapshot {
            id: self.id.clone(),
            agent: self.agent.clone(),
            server: self.server.clone(),
            opened_us: self.opened_us,
            last_seen_us: self.last_seen_us.load(Ordering::Relaxed),
            calls: self.calls.load(Ordering::Relaxed),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            findings: self.findings.lock().iter().map(|(c, n)| (c.to_string(), *n)).collect(),
        }
    }
}

/// Every active session of this gateway.
#[derive(Debug, Default)]
pub struct SessionStore {
    sessions: DashMap<String, Arc<Session>>,
}

impl SessionStore {
    pub fn new() -> SessionStore {
        SessionStore::default()
    }

    /// The session `id`, created for `agent` on `server` if it is new.
    pub fn open(&self, id: &str, agent: &str, server: &str) -> Arc<Session> {
        if let Some(session) = self.sessions.get(id) {
            return Arc::clone(&session);
        }
        let now = now_us();
        let session = Arc::clone(
            self.sessions
                .entry(id.to_string())
                .or_insert_with(|| {
                    Arc::new(Session {
                        id: id.to_string(),
                        agent: agent.to_string(),
                        server: server.to_string(),
                        opened_us: now,
                        last_seen_us: AtomicI64::new(now),
                        calls: AtomicU64::new(0),
                        bytes_in: AtomicU64::new(0),
                        bytes_out: AtomicU64::new(0),
                        findings: Mutex::new(Vec::new()),
                    })
                })
                .value(),
        );
        crate::metrics::set_active_sessions(self.sessions.len());
        session
    }

    /// Counts a call in session `id`; `None` if no such session is open.
    pub fn record_call(&self, id: &str, bytes_in: u64, bytes_out: u64, categories: &[&str]) -> Option<SessionCounters> {
        self.sessions.get(id).map(|s| s.record_call(bytes_in, bytes_out, categories))
    }

    /// The live session, to count through or read counters from.
    pub fn session(&self, id: &str) -> Option<Arc<Session>> {
        self.sessions.get(id).map(|s| Arc::clone(&s))
    }

    pub fn get(&self, id: &str) -> Option<SessionSnapshot> {
        self.sessions.get(id).map(|s| s.snapshot())
    }

    /// Ends a session; returns its final state.
    pub fn close(&self, id: &str) -> Option<SessionSnapshot> {
        let closed = self.sessions.remove(id).map(|(_, s)| s.snapshot());
        crate::metrics::set_active_sessions(self.sessions.len());
        closed
    }

    /// Every active session, oldest first.
    pub fn list(&self) -> Vec<SessionSnapshot> {
        let mut all: Vec<SessionSnapshot> = self.sessions.iter().map(|s| s.snapshot()).collect();
        all.sort_by(|a, b| (a.opened_us, &a.id).cmp(&(b.opened_us, &b.id)));
        all
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Closes the sessions idle for longer than `idle`; returns how many.
    pub fn close_idle(&self, idle: Duration) -> usize {
        let cutoff = now_us().saturating_sub(i64::try_from(idle.as_micros()).unwrap_or(i64::MAX));
        let before = self.sessions.len();
        self.sessions.retain(|_, s| s.last_seen_us.load(Ordering::Relaxed) >= cutoff);
        crate::metrics::set_active_sessions(self.sessions.len());
        before - self.sessions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_bytes_and_findings_are_counted_per_session() {
        let store = SessionStore::new();
        let a = store.open("s1", "bot", "crm");
        store.open("s2", "bot", "crm");
        assert!(Arc::ptr_eq(&a, &store.open("s1", "other", "other")), "opening twice returns the same session");
        a.record_call(100, 2_000, &["pii", "pii"]);
        let after = store.record_call("s1", 50, 0, &["secrets"]).unwrap();
        assert_eq!(after, SessionCounters { calls: 2, bytes: 2_150 });
        let snap = store.get("s1").unwrap();
        assert_eq!((snap.agent.as_str(), snap.calls, snap.bytes_in, snap.bytes_out), ("bot", 2, 150, 2_000));
        assert_eq!(snap.findings, BTreeMap::from([("pii".into(), 2), ("secrets".into(), 1)]));
        assert_eq!(store.get("s2").unwrap().calls, 0);
        assert_eq!(store.record_call("nope", 1, 1, &[]), None);
        let mut context = crate::pipeline::PolicyContext::default();
        a.counters().fill(&mut context);
        assert_eq!((context.session_calls, context.session_bytes), (2, 2_150));
    }

    #[test]
    fn closed_and_idle_sessions_leave_the_list() {
        let store = SessionStore::new();
        store.open("a", "bot", "crm");
        store.open("b", "bot", "crm");
        assert_eq!(store.list().len(), 2);
        assert_eq!(store.close("a").map(|s| s.id), Some("a".into()));
        assert_eq!(store.list().iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["b"]);
        assert_eq!(store.close_idle(Duration::from_secs(3_600)), 0);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(store.close_idle(Duration::from_millis(1)), 1);
        assert!(store.is_empty());
    }

    #[test]
    fn concurrent_calls_are_all_counted() {
        let store = Arc::new(SessionStore::new());
        store.open("s", "bot", "crm");
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let store = Arc::clone(&store);
                std::thread::spawn(move || {
                    for _ in 0..1_000 {
                        store.record_call("s", 1, 2, &["pii"]);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let snap = store.get("s").unwrap();
        assert_eq!((snap.calls, snap.bytes_in, snap.bytes_out, snap.findings["pii"]), (4_000, 4_000, 8_000, 4_000));
    }
}
