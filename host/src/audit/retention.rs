//! Retention: deleting events older than `audit.retention-days` while the
//! rest of the chain stays verifiable.
//!
//! Events are deleted from the start of the chain up to the last event
//! older than the cut-off (never past a younger one, whatever the clocks of
//! several gateways did). Before deleting, the part to delete is verified:
//! evidence of tampering is never destroyed — a broken part is kept and
//! reported. Each deletion records a `retention` checkpoint (signed when a
//! key is configured) holding the hash the first retained event chains from.

use std::sync::Arc;
use std::time::Duration;

use super::AuditError;
use super::checkpoint::{Checkpoint, CheckpointKind, CheckpointSigner};
use super::verify::{VerifyOptions, verify_store};
use crate::store::{Store, now_us};

/// Events deleted per transaction.
const CHUNK: i64 = 10_000;
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// What one retention pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionOutcome {
    pub deleted: u64,
    /// The retention anchor after the pass.
    pub anchored_at: Option<i64>,
}

/// Deletes the events older than `days` days before `now_us`.
pub async fn apply_retention(
    store: &Store,
    days: u32,
    signer: Option<&CheckpointSigner>,
    now_us: i64,
) -> Result<RetentionOutcome, AuditError> {
    let cutoff = now_us.saturating_sub(i64::from(days).saturating_mul(MICROS_PER_DAY));
    let Some(through) = store.audit_retention_boundary(cutoff).await? else {
        return Ok(RetentionOutcome::default());
    };
    verify_store(store, VerifyOptions { up_to: Some(through), ..VerifyOptions::default() }).await?;
    let mut outcome = RetentionOutcome::default();
    let mut next = store.audit_events_after(i64::MIN, 1).await?.first().map_or(through, |e| e.seq);
    while next <= through {
        let cut = (next + CHUNK - 1).min(through);
        let Some(event) = store.audit_events_after(cut - 1, 1).await?.into_iter().next().filter(|e| e.seq == cut)
        else {
            return Err(AuditError::Export(format!("retention: event #{cut} vanished during the pass")));
        };
        let anchor = match signer {
            Some(signer) => signer.sign(cut, CheckpointKind::Retention, &event.hash, now_us),
            None => Checkpoint {
                seq: cut,
                kind: CheckpointKind::Retention,
                hash: event.hash,
                timestamp_us: now_us,
                key_id: None,
                signature: None,
            },
        };
        outcome.deleted += store.audit_truncate(cut, &anchor).await?;
        outcome.anchored_at = Some(cut);
        next = cut + 1;
    }
    Ok(outcome)
}

/// Applies retention now and then every hour, until the runtime stops.
pub fn spawn_retention(store: Store, days: u32, signer: Option<Arc<CheckpointSigner>>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3_600));
        loop {
            tick.tick().await;
            match apply_retention(&store, days, signer.as_deref(), now_us()).await {
                Ok(outcome) if outcome.deleted > 0 => {
                    tracing::info!(deleted = outcome.deleted, anchored_at = ?outcome.anchored_at, days, "audit retention applied");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "audit retention not applied"),
            }
        }
    })
}
