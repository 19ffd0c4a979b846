//! Walking a chain and naming the first bad event.
//!
//! For each event, in seq order: its seq must follow the previous one (a gap
//! is a deletion), its hash must match its content (else it was edited), and
//! its `prev_hash` must be the previous event's hash (else an event before it
//! was replaced or the order changed). At the end, the last event must be
//! the head the store recorded (else events were cut from the end), and
//! every checkpoint must match the event at its seq (and, with a public key,
//! carry a valid signature).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::chain::{GENESIS, event_hash};
use super::checkpoint::{Checkpoint, CheckpointKind, CheckpointVerifier};
use super::event::AuditEvent;
use crate::store::audit::{AuditSnapshot, AuditVisitor, ChainHead};

/// What to check beyond the chain itself.
#[derive(Clone, Default)]
pub struct VerifyOptions {
    /// Check checkpoint signatures with this key.
    pub key: Option<CheckpointVerifier>,
    /// Every event must be covered by a signed checkpoint, and the retention
    /// anchor (if any) must be signed: what an exported log needs to be
    /// trusted by someone holding only the public key.
    pub require_signed: bool,
    /// Stop at this seq and skip the head check (retention checks the part it deletes).
    pub up_to: Option<i64>,
}

/// A verified chain.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub events: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub last_hash: String,
    /// The retention checkpoint the chain starts from, if any.
    pub anchored_at: Option<i64>,
    pub checkpoints: u64,
    pub signatures_checked: u64,
    /// The newest event covered by a signed checkpoint.
    pub signed_through: Option<i64>,
}

/// The first thing wrong with a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ChainBreak {
    /// The first bad event's seq (for a missing tail: the first missing seq).
    pub seq: i64,
    /// Its id, when the event exists.
    pub id: Option<String>,
    pub problem: Problem,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The content no longer matches the event's hash.
    Altered,
    /// `prev_hash` is not the previous event's hash.
    Unlinked,
    /// Events `from..=to` are missing before this one.
    Deleted { from: i64, to: i64 },
    /// The event comes before one it should follow.
    OutOfOrder,
    /// The chain ends at `last` but the head records `head`.
    TailDeleted { last: i64, head: i64 },
    /// The head records `head` but events go on after it.
    BeyondHead { head: i64 },
    /// The last event's hash differs from the one the head records.
    HeadMismatch,
    /// A checkpoint's hash differs from its event's.
    Checkpoint { kind: CheckpointKind },
    /// A checkpoint's signature is missing or wrong.
    Signature { kind: CheckpointKind, reason: String },
    /// Events after the last signed checkpoint (with `require_signed`).
    Unsigned { last_signed: Option<i64> },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let event = match &self.id {
            Some(id) => format!("event #{} (id {id})", self.seq),
            None => format!("event #{}", self.seq),
        };
        match &self.problem {
            Problem::Altered => write!(f, "{event} was altered: its content does not match its hash"),
            Problem::Unlinked => write!(
                f,
                "{event} does not chain from the event before it: that event was altered or replaced, or the order was changed"
            ),
            Problem::Deleted { from, to } if from == to => {
                write!(f, "{event} follows a deleted event: #{from} is missing")
            }
            Problem::Deleted { from, to } => write!(f, "{event} follows deleted events: #{from} to #{to} are missing"),
            Problem::OutOfOrder => write!(f, "{event} is out of order"),
            Problem::TailDeleted { last, head } => write!(
                f,
                "events #{} to #{head} were deleted from the end: the chain ends at #{last} but its head records #{head}",
                last + 1
            ),
            Problem::BeyondHead { head } => {
                write!(f, "{event} was added after the end of the chain (its head records #{head})")
            }
            Problem::HeadMismatch => {
                write!(f, "{event}, the last one, was replaced: its hash differs from the one the chain head records")
            }
            Problem::Checkpoint { kind } => {
                write!(f, "{event} differs from the {} checkpoint taken of it", kind.as_str())
            }
            Problem::Signature { kind, reason } => {
                write!(f, "the {} checkpoint of {event} cannot be trusted: {reason}", kind.as_str())
            }
            Problem::Unsigned { last_signed: Some(at) } => {
                write!(f, "{event} and those after it are not covered by a signed checkpoint (the last is at #{at})")
            }
            Problem::Unsigned { last_signed: None } => {
                write!(f, "no signed checkpoint covers {event} or any other event")
            }
        }
    }
}

/// Verifies a chain as an [`AuditVisitor`]; call [`ChainVerifier::finish`] after the walk.
pub struct ChainVerifier {
    options: VerifyOptions,
    head: ChainHead,
    checkpoints: BTreeMap<i64, Vec<Checkpoint>>,
    expected: i64,
    prev_hash: String,
    last_signed: Option<i64>,
    report: VerifyReport,
    error: Option<ChainBreak>,
}

impl ChainVerifier {
    pub fn new(options: VerifyOptions) -> ChainVerifier {
        ChainVerifier {
            options,
            head: ChainHead { seq: 0, hash: GENESIS.to_string() },
            checkpoints: BTreeMap::new(),
            expected: 1,
            prev_hash: GENESIS.to_string(),
            last_signed: None,
            report: VerifyReport::default(),
            error: None,
        }
    }

    fn fail(&mut self, seq: i64, id: Option<&str>, problem: Problem) -> bool {
        self.error = Some(ChainBreak { seq, id: id.map(str::to_string), problem });
        false
    }

    /// Checks a checkpoint's signature as the options ask.
    fn check_signature(&mut self, c: &Checkpoint) -> Result<(), Problem> {
        let signature = |reason: String| Problem::Signature { kind: c.kind, reason };
        match (&self.options.key, &c.signature) {
            (Some(key), Some(_)) => {
                key.check(c).map_err(signature)?;
                self.report.signatures_checked += 1;
                Ok(())
            }
            (_, None) if self.options.require_signed => Err(signature("it is not signed".into())),
            _ => Ok(()),
        }
    }

    /// The outcome of the walk.
    pub fn finish(mut self) -> Result<VerifyReport, ChainBreak> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let last = self.expected - 1;
        if self.options.up_to.is_none() {
            let head = self.head.clone();
            if head.seq > last {
                return Err(ChainBreak {
                    seq: last + 1,
                    id: None,
                    problem: Problem::TailDeleted { last, head: head.seq },
                });
            }
            if head.hash != self.prev_hash {
                return Err(ChainBreak { seq: last, id: None, problem: Problem::HeadMismatch });
            }
        }
        if let Some((&seq, _)) = self.checkpoints.range(last + 1..).next() {
            let kind = self.checkpoints[&seq].first().map(|c| c.kind).unwrap_or(CheckpointKind::Signed);
            if self.options.up_to.is_none_or(|up_to| seq <= up_to) {
                return Err(ChainBreak { seq, id: None, problem: Problem::Checkpoint { kind } });
            }
        }
        if self.options.require_signed && self.report.events > 0 && self.last_signed != Some(last) {
            let seq = self.last_signed.map_or(self.report.first_seq.unwrap_or(1), |s| s + 1);
            return Err(ChainBreak { seq, id: None, problem: Problem::Unsigned { last_signed: self.last_signed } });
        }
        self.report.last_hash = self.prev_hash;
        self.report.signed_through = self.last_signed;
        Ok(self.report)
    }
}

impl AuditVisitor for ChainVerifier {
    fn start(&mut self, snapshot: &AuditSnapshot) -> bool {
        self.head = snapshot.head.clone();
        if let Some(anchor) = snapshot.anchor().cloned() {
            if let Err(problem) = self.check_signature(&anchor) {
                return self.fail(anchor.seq, None, problem);
            }
            self.expected = anchor.seq + 1;
            self.prev_hash = anchor.hash.clone();
            self.report.anchored_at = Some(anchor.seq);
            if anchor.signature.is_some() && self.options.key.is_some() {
                self.last_signed = Some(anchor.seq);
            }
        }
        for c in &snapshot.checkpoints {
            self.report.checkpoints += 1;
            if c.kind == CheckpointKind::Retention {
                continue;
            }
            if let Err(problem) = self.check_signature(c) {
                return self.fail(c.seq, None, problem);
            }
            self.checkpoints.entry(c.seq).or_default().push(c.clone());
        }
        true
    }

    fn event(&mut self, event: AuditEvent) -> bool {
        if self.options.up_to.is_some_and(|up_to| event.seq > up_to) {
            return false;
        }
        let id = Some(event.id.as_str());
        if event.seq < self.expected {
            return self.fail(event.seq, id, Problem::OutOfOrder);
        }
        if event.seq > self.expected {
            let problem = Problem::Deleted { from: self.expected, to: event.seq - 1 };
            return self.fail(event.seq, id, problem);
        }
        if event_hash(&event, &event.prev_hash) != event.hash {
            return self.fail(event.seq, id, Problem::Altered);
        }
        if event.prev_hash != self.prev_hash {
            return self.fail(event.seq, id, Problem::Unlinked);
        }
        if self.options.up_to.is_none() && event.seq > self.head.seq {
            return self.fail(event.seq, id, Problem::BeyondHead { head: self.head.seq });
        }
        if let Some(checkpoints) = self.checkpoints.remove(&event.seq) {
            for c in checkpoints {
                if c.hash != event.hash {
                    return self.fail(event.seq, id, Problem::Checkpoint { kind: c.kind });
                }
                if c.signature.is_some() && self.options.key.is_some() {
                    self.last_signed = Some(event.seq);
                }
            }
        }
        self.report.events += 1;
        self.report.first_seq.get_or_insert(event.seq);
        self.report.last_seq = Some(event.seq);
        self.expected = event.seq + 1;
        self.prev_hash = event.hash;
        true
    }
}

/// Verifies the chain in a store, in one snapshot.
pub async fn verify_store(
    store: &crate::store::Store,
    options: VerifyOptions,
) -> Result<VerifyReport, super::AuditError> {
    let up_to = options.up_to;
    let mut verifier = ChainVerifier::new(options);
    store.audit_walk(up_to, &mut verifier).await?;
    Ok(verifier.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::chain::link;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEvent { id: format!("e{seq}"), agent: "bot".into(), ..Default::default() };
                link(&mut e, seq, &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(events: Vec<AuditEvent>, head: ChainHead) -> Result<VerifyReport, ChainBreak> {
        let mut v = ChainVerifier::new(VerifyOptions::default());
        let snapshot = AuditSnapshot { head, checkpoints: Vec::new() };
        if v.start(&snapshot) {
            for e in events {
                if !v.event(e) {
                    break;
                }
            }
        }
        v.finish()
    }

    fn head_of(events: &[AuditEvent]) -> ChainHead {
        events
            .last()
            .map_or(ChainHead { seq: 0, hash: GENESIS.into() }, |e| ChainHead { seq: e.seq, hash: e.hash.clone() })
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5);
        let head = head_of(&events);
        let report = verify(events, head).unwrap();
        assert_eq!((report.events, report.first_seq, report.last_seq), (5, Some(1), Some(5)));
        assert!(verify(Vec::new(), head_of(&[])).is_ok());
    }

    #[test]
    fn each_kind_of_tampering_names_the_first_bad_event() {
        let events = chain(5);
        let head = head_of(&events);

        let mut edited = events.clone();
        edited[2].agent = "mallory".into();
        let err = verify(edited, head.clone()).unwrap_err();
        assert_eq!((err.seq, err.problem.clone()), (3, Problem::Altered), "{err}");
        assert!(err.to_string().contains("event #3 (id e3) was altered"), "{err}");

        let mut deleted = events.clone();
        deleted.remove(1);
        let err = verify(deleted, head.clone()).unwrap_err();
        assert_eq!((err.seq, err.problem), (3, Problem::Deleted { from: 2, to: 2 }));

        let mut swapped = events.clone();
        swapped.swap(1, 2);
        let err = verify(swapped, head.clone()).unwrap_err();
        assert_eq!(err.seq, 3);

        let mut cut = events.clone();
        cut.truncate(3);
        let err = verify(cut, head.clone()).unwrap_err();
        assert_eq!((err.seq, err.problem), (4, Problem::TailDeleted { last: 3, head: 5 }));

        let mut rehashed = events.clone();
        rehashed[1].agent = "mallory".into();
        let prev = rehashed[0].hash.clone();
        link(&mut rehashed[1], 2, &prev);
        let err = verify(rehashed, head).unwrap_err();
        assert_eq!((err.seq, err.problem), (3, Problem::Unlinked));
    }
}
