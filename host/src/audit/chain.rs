//! The hash chain: a canonical encoding of each event, hashed with the
//! previous event's hash. The format is specified in `docs/audit.md`; change
//! it only with a new domain tag.

use sha2::{Digest, Sha256};

use super::event::AuditEvent;

/// The `prev_hash` of the first event of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const EVENT_DOMAIN: &[u8] = b"warden.audit.event.v1\n";
const CHECKPOINT_DOMAIN: &[u8] = b"warden.audit.checkpoint.v1\n";

/// Length-prefixed fields: no two different events encode alike.
struct Canonical(Sha256);

impl Canonical {
    fn new(domain: &[u8]) -> Canonical {
        let mut h = Sha256::new();
        h.update(domain);
        Canonical(h)
    }

    fn str(&mut self, s: &str) -> &mut Self {
        self.0.update((s.len() as u64).to_be_bytes());
        self.0.update(s.as_bytes());
        self
    }

    fn i64(&mut self, v: i64) -> &mut Self {
        self.0.update(v.to_be_bytes());
        self
    }

    fn flag(&mut self, b: bool) -> &mut Self {
        self.0.update([u8::from(b)]);
        self
    }

    fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

/// SHA-256 over the event's canonical encoding, ending with `prev_hash`.
/// `event.hash` is not part of it; `event.prev_hash` is ignored in favour of
/// the argument so the writer can hash before filling it in.
pub fn event_hash(event: &AuditEvent, prev_hash: &str) -> String {
    let mut c = Canonical::new(EVENT_DOMAIN);
    c.i64(event.seq)
        .str(&event.id)
        .i64(event.timestamp_us)
        .str(&event.session)
        .str(&event.request_id)
        .str(&event.agent)
        .str(&event.server)
        .str(&event.tool)
        .str(&event.method)
        .str(&event.phase)
        .str(&event.parameters)
        .flag(event.parameters_truncated)
        .str(&event.response_summary)
        .i64(event.findings.len() as i64);
    for f in &event.findings {
        c.str(&f.category).str(&f.rule).str(&f.severity).str(&f.detector);
    }
    let d = &event.decision;
    c.str(&d.action).str(&d.policy).str(&d.rule).str(&d.reason).str(&d.policy_version).i64(event.latency_us);
    match event.upstream_latency_us {
        Some(us) => c.flag(true).i64(us),
        None => c.flag(false),
    };
    c.str(prev_hash);
    c.finish()
}

/// Fills in `seq`, `prev_hash` and `hash` for an event appended after `prev`.
pub fn link(event: &mut AuditEvent, seq: i64, prev_hash: &str) {
    event.seq = seq;
    event.prev_hash = prev_hash.to_string();
    event.hash = event_hash(event, prev_hash);
}

/// The bytes an Ed25519 checkpoint signature covers.
pub fn checkpoint_message(seq: i64, hash: &str, timestamp_us: i64, kind: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(CHECKPOINT_DOMAIN.len() + 100);
    out.extend_from_slice(CHECKPOINT_DOMAIN);
    out.extend_from_slice(&seq.to_be_bytes());
    for s in [hash, kind] {
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&timestamp_us.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::event::FindingRecord;

    fn event() -> AuditEvent {
        AuditEvent {
            id: "e1".into(),
            timestamp_us: 1,
            agent: "bot".into(),
            findings: vec![FindingRecord { category: "pii".into(), ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = event_hash(&event(), GENESIS);
        type Edit = Box<dyn Fn(&mut AuditEvent)>;
        let edits: Vec<Edit> = vec![
            Box::new(|e| e.seq = 2),
            Box::new(|e| e.timestamp_us = 2),
            Box::new(|e| e.agent = "bot2".into()),
            Box::new(|e| e.findings[0].category = "secrets".into()),
            Box::new(|e| e.findings.clear()),
            Box::new(|e| e.decision.action = "DENY".into()),
            Box::new(|e| e.parameters_truncated = true),
            Box::new(|e| e.upstream_latency_us = Some(0)),
        ];
        for edit in edits {
            let mut e = event();
            edit(&mut e);
            assert_ne!(event_hash(&e, GENESIS), base);
        }
        assert_ne!(event_hash(&event(), &"1".repeat(64)), base);
    }

    #[test]
    fn moving_bytes_between_fields_changes_the_hash() {
        let a = AuditEvent { agent: "ab".into(), server: "c".into(), ..Default::default() };
        let b = AuditEvent { agent: "a".into(), server: "bc".into(), ..Default::default() };
        assert_ne!(event_hash(&a, GENESIS), event_hash(&b, GENESIS));
    }
}
