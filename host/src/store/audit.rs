//! The audit chain's tables: `audit_events`, `audit_findings`, `audit_head`
//! and `audit_checkpoints`.

use sqlx::{QueryBuilder, Row};

use super::{Dialect, Store, StoreError, on_backend};
use crate::audit::chain;
use crate::audit::checkpoint::{Checkpoint, CheckpointKind};
use crate::audit::event::{AuditEvent, DecisionRecord, FindingRecord};

/// The end of the chain as the store records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The last event's seq (0 before the first event).
    pub seq: i64,
    pub hash: String,
}

/// What a walk over the chain sees before the events, from the same snapshot.
#[derive(Debug, Clone)]
pub struct AuditSnapshot {
    pub head: ChainHead,
    /// Every checkpoint, in seq order (retention anchor included).
    pub checkpoints: Vec<Checkpoint>,
}

impl AuditSnapshot {
    /// Where retention cut the chain, if it did.
    pub fn anchor(&self) -> Option<&Checkpoint> {
        self.checkpoints.iter().filter(|c| c.kind == CheckpointKind::Retention).max_by_key(|c| c.seq)
    }
}

/// Receives a chain walk: the snapshot first, then each event in seq order.
/// Returning `false` stops the walk.
pub trait AuditVisitor {
    fn start(&mut self, snapshot: &AuditSnapshot) -> bool;
    fn event(&mut self, event: AuditEvent) -> bool;
}

const EVENT_COLUMNS: &str = "seq, id, ts_us, session_id, request_id, agent, server, tool, method, phase, parameters, \
     parameters_truncated, response_summary, action, policy, rule, reason, policy_version, latency_us, \
     upstream_latency_us, prev_hash, hash";
/// Keeps a multi-row INSERT under both backends' bind-parameter limits.
const EVENTS_PER_INSERT: usize = 400;
const FINDINGS_PER_INSERT: usize = 2_000;
/// Events read per query while walking.
const WALK_PAGE: i64 = 1_000;

/// Decodes an `audit_events` row (findings are attached separately).
macro_rules! event_from_row {
    ($row:expr) => {{
        let row = $row;
        AuditEvent {
            seq: row.try_get("seq")?,
            id: row.try_get("id")?,
            timestamp_us: row.try_get("ts_us")?,
            session: row.try_get("session_id")?,
            request_id: row.try_get("request_id")?,
            agent: row.try_get("agent")?,
            server: row.try_get("server")?,
            tool: row.try_get("tool")?,
            method: row.try_get("method")?,
            phase: row.try_get("phase")?,
            parameters: row.try_get("parameters")?,
            parameters_truncated: row.try_get("parameters_truncated")?,
            response_summary: row.try_get("response_summary")?,
            findings: Vec::new(),
            decision: DecisionRecord {
                action: row.try_get("action")?,
                policy: row.try_get("policy")?,
                rule: row.try_get("rule")?,
                reason: row.try_get("reason")?,
                policy_version: row.try_get("policy_version")?,
            },
            latency_us: row.try_get("latency_us")?,
            upstream_latency_us: row.try_get("upstream_latency_us")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        }
    }};
}

macro_rules! checkpoint_from_row {
    ($row:expr) => {{
        let row = $row;
        let kind: String = row.try_get("kind")?;
        Checkpoint {
            seq: row.try_get("seq")?,
            kind: CheckpointKind::parse(&kind)
                .ok_or_else(|| StoreError::Invalid(format!("unknown checkpoint kind `{kind}`")))?,
            hash: row.try_get("hash")?,
            timestamp_us: row.try_get("ts_us")?,
            key_id: row.try_get("key_id")?,
            signature: row.try_get("signature")?,
        }
    }};
}

/// Loads the events with `lo < seq <= hi` (at most `limit`) and their findings.
macro_rules! load_events {
    ($conn:expr, $lo:expr, $hi:expr, $limit:expr) => {{
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
        ));
        let rows = sqlx::query(sql).bind($lo).bind($hi).bind($limit).fetch_all(&mut *$conn).await?;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            events.push(event_from_row!(row));
        }
        if let (Some(first), Some(last)) = (events.first().map(|e| e.seq), events.last().map(|e| e.seq)) {
            let findings = sqlx::query(
                "SELECT event_seq, category, rule, severity, detector FROM audit_findings \
                 WHERE event_seq >= $1 AND event_seq <= $2 ORDER BY event_seq, idx",
            )
            .bind(first)
            .bind(last)
            .fetch_all(&mut *$conn)
            .await?;
            let mut at = 0;
            for row in &findings {
                let seq: i64 = row.try_get("event_seq")?;
                while at < events.len() && events[at].seq < seq {
                    at += 1;
                }
                if let Some(event) = events.get_mut(at).filter(|e| e.seq == seq) {
                    event.findings.push(FindingRecord {
                        category: row.try_get("category")?,
                        rule: row.try_get("rule")?,
                        severity: row.try_get("severity")?,
                        detector: row.try_get("detector")?,
                    });
                }
            }
        }
        events
    }};
}

/// Upserts a checkpoint row through `$conn`.
macro_rules! insert_checkpoint {
    ($conn:expr, $c:expr) => {{
        let c: &Checkpoint = $c;
        sqlx::query(
            "INSERT INTO audit_checkpoints (seq, kind, hash, ts_us, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (seq, kind) DO UPDATE SET hash = excluded.hash, ts_us = excluded.ts_us, \
             key_id = excluded.key_id, signature = excluded.signature",
        )
        .bind(c.seq)
        .bind(c.kind.as_str())
        .bind(&c.hash)
        .bind(c.timestamp_us)
        .bind(&c.key_id)
        .bind(&c.signature)
        .execute($conn)
        .await?;
    }};
}

impl Store {
    /// Appends `events` to the chain in one transaction: assigns each its
    /// seq, prev_hash and hash after the current head, stores the
    /// checkpoints `checkpoint` asks for, and moves the head. Nothing is
    /// written if any part fails. Concurrent writers (other gateways sharing
    /// PostgreSQL) serialize on the head row.
    pub async fn append_audit(
        &self,
        events: &mut [AuditEvent],
        checkpoint: &(dyn Fn(&AuditEvent) -> Option<Checkpoint> + Sync),
    ) -> Result<ChainHead, StoreError> {
        if events.is_empty() {
            return self.audit_head().await;
        }
        on_backend!(self, pool, Db => {
            let mut tx = pool.begin_with(<Db as Dialect>::BEGIN_WRITE).await?;
            let head = sqlx::query(<Db as Dialect>::LOCK_HEAD).fetch_one(&mut *tx).await?;
            let (mut seq, mut hash): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
            let mut checkpoints = Vec::new();
            for event in events.iter_mut() {
                seq += 1;
                chain::link(event, seq, &hash);
                hash.clone_from(&event.hash);
                checkpoints.extend(checkpoint(event));
            }
            for chunk in events.chunks(EVENTS_PER_INSERT) {
                let mut q = QueryBuilder::<Db>::new(format!("INSERT INTO audit_events ({EVENT_COLUMNS}) "));
                q.push_values(chunk, |mut b, e| {
                    let d = &e.decision;
                    b.push_bind(e.seq).push_bind(&e.id).push_bind(e.timestamp_us).push_bind(&e.session)
                        .push_bind(&e.request_id).push_bind(&e.agent).push_bind(&e.server).push_bind(&e.tool)
                        .push_bind(&e.method).push_bind(&e.phase).push_bind(&e.parameters)
                        .push_bind(e.parameters_truncated).push_bind(&e.response_summary).push_bind(&d.action)
                        .push_bind(&d.policy).push_bind(&d.rule).push_bind(&d.reason).push_bind(&d.policy_version)
                        .push_bind(e.latency_us).push_bind(e.upstream_latency_us).push_bind(&e.prev_hash)
                        .push_bind(&e.hash);
                });
                q.build().execute(&mut *tx).await?;
            }
            let findings: Vec<(i64, i64, &FindingRecord)> = events
                .iter()
                .flat_map(|e| e.findings.iter().enumerate().map(move |(i, f)| (e.seq, i as i64, f)))
                .collect();
            for chunk in findings.chunks(FINDINGS_PER_INSERT) {
                let mut q = QueryBuilder::<Db>::new(
                    "INSERT INTO audit_findings (event_seq, idx, category, rule, severity, detector) ",
                );
                q.push_values(chunk, |mut b, (seq, idx, f)| {
                    b.push_bind(*seq).push_bind(*idx).push_bind(&f.category).push_bind(&f.rule)
                        .push_bind(&f.severity).push_bind(&f.detector);
                });
                q.build().execute(&mut *tx).await?;
            }
            for c in &checkpoints {
                insert_checkpoint!(&mut *tx, c);
            }
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(ChainHead { seq, hash })
        })
    }

    /// The chain head.
    pub async fn audit_head(&self) -> Result<ChainHead, StoreError> {
        on_backend!(self, pool, _Db => {
            let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
            Ok(ChainHead { seq: row.try_get("seq")?, hash: row.try_get("hash")? })
        })
    }

    /// One event by id, with its findings.
    pub async fn audit_event(&self, id: &str) -> Result<Option<AuditEvent>, StoreError> {
        let seq: Option<i64> = on_backend!(self, pool, _Db => {
            sqlx::query_scalar("SELECT seq FROM audit_events WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        let Some(seq) = seq else { return Ok(None) };
        Ok(self.audit_events_after(seq - 1, 1).await?.into_iter().next())
    }

    /// Up to `limit` events with seq greater than `after`, in order, with findings.
    pub async fn audit_events_after(&self, after: i64, limit: i64) -> Result<Vec<AuditEvent>, StoreError> {
        on_backend!(self, pool, _Db => {
            let mut conn = pool.acquire().await?;
            Ok(load_events!(conn, after, i64::MAX, limit))
        })
    }

    /// Every checkpoint, in seq order.
    pub async fn audit_checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        on_backend!(self, pool, _Db => {
            let rows = sqlx::query("SELECT seq, kind, hash, ts_us, key_id, signature FROM audit_checkpoints ORDER BY seq, kind")
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(checkpoint_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Stores a checkpoint (replacing one of the same seq and kind).
    pub async fn insert_audit_checkpoint(&self, c: &Checkpoint) -> Result<(), StoreError> {
        on_backend!(self, pool, _Db => {
            let mut conn = pool.acquire().await?;
            insert_checkpoint!(&mut *conn, c);
            Ok(())
        })
    }

    /// Walks the chain (up to `up_to`, inclusive, if given) in one consistent
    /// snapshot: concurrent appends and retention do not disturb it.
    pub async fn audit_walk(
        &self,
        up_to: Option<i64>,
        visitor: &mut (dyn AuditVisitor + Send),
    ) -> Result<AuditSnapshot, StoreError> {
        on_backend!(self, pool, Db => {
            let mut tx = pool.begin_with(<Db as Dialect>::BEGIN_SNAPSHOT).await?;
            let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut *tx).await?;
            let head = ChainHead { seq: head.try_get("seq")?, hash: head.try_get("hash")? };
            let rows = sqlx::query("SELECT seq, kind, hash, ts_us, key_id, signature FROM audit_checkpoints ORDER BY seq, kind")
                .fetch_all(&mut *tx)
                .await?;
            let mut checkpoints = Vec::with_capacity(rows.len());
            for row in &rows {
                checkpoints.push(checkpoint_from_row!(row));
            }
            let snapshot = AuditSnapshot { head, checkpoints };
            if visitor.start(&snapshot) {
                let hi = up_to.unwrap_or(i64::MAX);
                let mut after = i64::MIN;
                'pages: loop {
                    let events = load_events!(tx, after, hi, WALK_PAGE);
                    let Some(last) = events.last().map(|e| e.seq) else { break };
                    for event in events {
                        if !visitor.event(event) {
                            break 'pages;
                        }
                    }
                    after = last;
                }
            }
            tx.commit().await?;
            Ok(snapshot)
        })
    }

    /// The newest seq retention may delete: every event up to it is older
    /// than `cutoff_us`. `None` when there is nothing to delete.
    pub async fn audit_retention_boundary(&self, cutoff_us: i64) -> Result<Option<i64>, StoreError> {
        on_backend!(self, pool, _Db => {
            let first: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM audit_events").fetch_one(pool).await?;
            let Some(first) = first else { return Ok(None) };
            let young: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM audit_events WHERE ts_us >= $1")
                .bind(cutoff_us)
                .fetch_one(pool)
                .await?;
            let last = match young {
                Some(seq) => seq - 1,
                None => sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM audit_events").fetch_one(pool).await?.unwrap_or(0),
            };
            Ok((last >= first).then_some(last))
        })
    }

    /// Deletes the events up to `through` (inclusive) and the checkpoints
    /// they made obsolete, and records `anchor` — the hash the next event
    /// chains from — in the same transaction.
    pub async fn audit_truncate(&self, through: i64, anchor: &Checkpoint) -> Result<u64, StoreError> {
        if anchor.seq != through || anchor.kind != CheckpointKind::Retention {
            return Err(StoreError::Invalid("a retention anchor must be a retention checkpoint at the cut".into()));
        }
        on_backend!(self, pool, Db => {
            let mut tx = pool.begin_with(<Db as Dialect>::BEGIN_WRITE).await?;
            let stored: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = $1")
                .bind(through)
                .fetch_optional(&mut *tx)
                .await?;
            if stored.as_deref() != Some(anchor.hash.as_str()) {
                return Err(StoreError::Invalid(format!("event {through} is missing or its hash differs from the anchor")));
            }
            sqlx::query("DELETE FROM audit_findings WHERE event_seq <= $1").bind(through).execute(&mut *tx).await?;
            let deleted = sqlx::query("DELETE FROM audit_events WHERE seq <= $1").bind(through).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM audit_checkpoints WHERE seq < $1 OR (seq = $1 AND kind = 'retention')")
                .bind(through)
                .execute(&mut *tx)
                .await?;
            insert_checkpoint!(&mut *tx, anchor);
            tx.commit().await?;
            Ok(deleted.rows_affected())
        })
    }
}
