//! The session's memory of sensitive values seen in tool results: salted,
//! truncated SHA-256 fingerprints (never the values) with where each came
//! from, kept in the host's session state as one small text record.
//!
//! One record rather than one key per value: a request is checked against
//! every remembered value with a single host call.

use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use warden_sdk::CallContext;
use warden_sdk::state::{self, Scope};

use crate::sensitive::Class;

const KEY: &str = "fingerprints";
const VERSION: &str = "v1";

/// What a fingerprint stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Value(Class),
    /// A whole URL that appeared in a tool result (following it is not exfiltration).
    Link,
}

impl Kind {
    pub fn code(self) -> char {
        match self {
            Kind::Value(c) => c.code(),
            Kind::Link => 'l',
        }
    }

    fn from_code(c: char) -> Option<Kind> {
        if c == 'l' {
            Some(Kind::Link)
        } else {
            Class::from_code(c).map(Kind::Value)
        }
    }
}

/// One remembered value.
#[derive(Debug, Clone)]
pub struct Entry {
    pub fp: u64,
    pub expires_ms: u64,
    /// Length and [`shape`] of the normalized value: a request only hashes
    /// tokens of a length and shape some remembered value has.
    pub len: usize,
    pub shape: u8,
    pub source: usize,
    pub kind: Kind,
    /// What the value is ("AWS access key ID"), never the value.
    pub label: String,
}

/// Where a value was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub tool: String,
    pub server: String,
}

/// The fingerprints of one session.
pub struct Store {
    salt: [u8; 16],
    sources: Vec<Source>,
    entries: Vec<Entry>,
    /// `(fp, entry index)`, sorted.
    index: Vec<(u64, usize)>,
    /// For each length below 256, a bit per shape some entry's normalized value has.
    shapes: Box<[u32; 256]>,
    long_shapes: Vec<(usize, u8)>,
}

impl Store {
    /// The session's store, without expired entries; `None` when the session has none.
    pub fn load(now_ms: u64) -> Option<Store> {
        let text = state::get(Scope::Session, KEY)?;
        let mut store = parse(&text)?;
        store.entries.retain(|e| e.expires_ms > now_ms);
        store.reindex();
        Some(store)
    }

    /// The session's store, or a new empty one with a fresh salt.
    pub fn load_or_new(ctx: &CallContext) -> Store {
        Store::load(ctx.timestamp_ms).unwrap_or_else(|| Store::empty(new_salt(ctx)))
    }

    fn empty(salt: [u8; 16]) -> Store {
        Store {
            salt,
            sources: Vec::new(),
            entries: Vec::new(),
            index: Vec::new(),
            shapes: Box::new([0; 256]),
            long_shapes: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The salted fingerprint of a normalized value.
    pub fn fingerprint(&self, norm: &str) -> u64 {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(norm.as_bytes());
        let d = h.finalize();
        u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
    }

    /// True when some remembered value has the length and shape of `norm`.
    pub fn may_hold(&self, norm: &str) -> bool {
        let (len, shape) = (norm.len(), shape(norm));
        match self.shapes.get(len) {
            Some(mask) => mask >> shape & 1 == 1,
            None => self.long_shapes.contains(&(len, shape)),
        }
    }

    /// The entries with fingerprint `fp`.
    pub fn lookup(&self, fp: u64) -> impl Iterator<Item = &Entry> + '_ {
        let start = self.index.partition_point(|(f, _)| *f < fp);
        self.index[start..]
            .iter()
            .take_while(move |(f, _)| *f == fp)
            .filter_map(|(_, i)| self.entries.get(*i))
    }

    pub fn source(&self, entry: &Entry) -> Option<&Source> {
        self.sources.get(entry.source)
    }

    /// The index of `source`, added if new.
    pub fn source_index(&mut self, source: &Source) -> usize {
        match self.sources.iter().position(|s| s == source) {
            Some(i) => i,
            None => {
                self.sources.push(source.clone());
                self.sources.len() - 1
            }
        }
    }

    /// Remembers `norm` as seen at source `src` (see [`Store::source_index`]).
    pub fn add(&mut self, norm: &str, kind: Kind, label: &str, src: usize, expires_ms: u64) {
        let fp = self.fingerprint(norm);
        // A value seen again moves to the end (the newest survive the bound).
        if let Some(pos) = self
            .entries
            .iter()
            .position(|e| e.fp == fp && e.source == src)
        {
            let mut e = self.entries.remove(pos);
            e.expires_ms = expires_ms;
            self.entries.push(e);
        } else {
            let (len, shape) = (norm.len(), shape(norm));
            self.entries.push(Entry {
                fp,
                expires_ms,
                len,
                shape,
                source: src,
                kind,
                label: label.to_string(),
            });
        }
    }

    /// Keeps the newest `max` entries and writes the store back with `ttl_ms`.
    pub fn save(&mut self, max: usize, ttl_ms: u64) {
        let excess = self.entries.len().saturating_sub(max);
        self.entries.drain(..excess);
        state::set(Scope::Session, KEY, &self.serialize(), Some(ttl_ms));
    }

    fn reindex(&mut self) {
        self.index = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.fp, i))
            .collect();
        self.index.sort_unstable();
        self.shapes.fill(0);
        self.long_shapes.clear();
        for e in &self.entries {
            match self.shapes.get_mut(e.len) {
                Some(mask) => *mask |= 1 << e.shape,
                None => self.long_shapes.push((e.len, e.shape)),
            }
        }
    }

    fn serialize(&self) -> String {
        let mut used = vec![false; self.sources.len()];
        for e in &self.entries {
            if let Some(u) = used.get_mut(e.source) {
                *u = true;
            }
        }
        // Renumber the sources still referenced.
        let mut renumber = vec![usize::MAX; self.sources.len()];
        let mut out = format!("{VERSION} {}\n", hex(&self.salt));
        let mut n = 0;
        for (i, s) in self.sources.iter().enumerate() {
            if used[i] {
                renumber[i] = n;
                n += 1;
                out.push_str(&format!("S\t{}\t{}\n", clean(&s.tool), clean(&s.server)));
            }
        }
        for e in &self.entries {
            let src = renumber.get(e.source).copied().unwrap_or(usize::MAX);
            if src == usize::MAX {
                continue;
            }
            out.push_str(&format!(
                "F\t{:016x}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                e.fp,
                e.expires_ms,
                e.len,
                e.shape,
                src,
                e.kind.code(),
                clean(&e.label)
            ));
        }
        out
    }
}

fn parse(text: &str) -> Option<Store> {
    let mut lines = text.lines();
    let header = lines.next()?;
    let salt_hex = header.strip_prefix(VERSION)?.trim();
    let salt_bytes = crate::encoding::decode_hex(salt_hex)?;
    let salt: [u8; 16] = salt_bytes.try_into().ok()?;
    let mut store = Store::empty(salt);
    for line in lines {
        let mut f = line.split('\t');
        match f.next() {
            Some("S") => store.sources.push(Source {
                tool: f.next()?.to_string(),
                server: f.next()?.to_string(),
            }),
            Some("F") => {
                let fp = u64::from_str_radix(f.next()?, 16).ok()?;
                let expires_ms = f.next()?.parse().ok()?;
                let len = f.next()?.parse().ok()?;
                let shape: u8 = f.next()?.parse().ok()?;
                let source: usize = f.next()?.parse().ok()?;
                let kind = Kind::from_code(f.next()?.chars().next()?)?;
                let label = f.next().unwrap_or("").to_string();
                if source >= store.sources.len() || shape >= 32 {
                    return None;
                }
                store.entries.push(Entry {
                    fp,
                    expires_ms,
                    len,
                    shape,
                    source,
                    kind,
                    label,
                });
            }
            _ => return None,
        }
    }
    Some(store)
}

/// Which kinds of characters a string has (digits, upper, lower, `@`, other),
/// as five bits: a word of prose never has the shape of a key or an email.
pub fn shape(s: &str) -> u8 {
    let mut bits = 0u8;
    for b in s.bytes() {
        bits |= match b {
            b'0'..=b'9' => 1,
            b'A'..=b'Z' => 2,
            b'a'..=b'z' => 4,
            b'@' => 8,
            _ => 16,
        };
    }
    bits
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A per-session salt. Plugins have no clock or randomness beyond the
/// host's hash-map seed, so the seed is mixed with the session's identity
/// and a per-instance counter; the salt only has to differ between sessions
/// so that fingerprints cannot be compared across them.
fn new_salt(ctx: &CallContext) -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut seed = std::collections::hash_map::RandomState::new().build_hasher();
    seed.write(ctx.session_id.as_bytes());
    let mut h = Sha256::new();
    h.update(b"warden-exfiltration-salt\0");
    h.update(seed.finish().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    h.update(ctx.timestamp_ms.to_le_bytes());
    for part in [&ctx.session_id, &ctx.request_id, &ctx.agent_id, &ctx.server] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&d[..16]);
    salt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_bounds_entries() {
        let mut s = Store::empty([7; 16]);
        let src = Source {
            tool: "read_file".into(),
            server: "fs".into(),
        };
        let i_src = s.source_index(&src);
        for i in 0..10 {
            s.add(
                &format!("value-{i}"),
                Kind::Value(Class::Secret),
                "API key",
                i_src,
                1000,
            );
        }
        s.add(
            "value-0",
            Kind::Value(Class::Secret),
            "API key",
            i_src,
            2000,
        );
        let excess = s.entries.len() - 4;
        s.entries.drain(..excess);
        let mut back = parse(&s.serialize()).unwrap();
        back.reindex();
        assert_eq!(back.entries.len(), 4);
        let fp = back.fingerprint("value-0");
        let e = back.lookup(fp).next().expect("newest entry kept");
        assert_eq!(e.expires_ms, 2000);
        assert_eq!(back.source(e), Some(&src));
        assert!(back.lookup(back.fingerprint("value-1")).next().is_none());
        assert!(back.may_hold("other-9"));
        assert!(!back.may_hold("Other-9"));
        assert!(!back.may_hold("val"));
        assert!(!s.serialize().contains("value-0"));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("").is_none());
        assert!(parse("v1 zz").is_none());
        assert!(parse("v1 00000000000000000000000000000000\nF\t1\t2\t3\t4\t9\ts\tx").is_none());
    }
}
