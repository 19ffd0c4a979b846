//! The audit trail: one event per exchange, hash-chained, written off the
//! request path in batches, verifiable, exportable and pruned by retention.
//!
//! - [`event`]: what an event holds; parameter masking and truncation.
//! - [`chain`]: the canonical encoding and hash chain (pure).
//! - [`checkpoint`]: Ed25519-signed chain heads.
//! - [`writer`]: [`AuditLog`], the bounded queue and its background writer.
//! - [`verify`]: walking a chain and naming the first bad event.
//! - [`export`]: writing a chain to a file and verifying such a file.
//! - [`retention`]: deleting old events while keeping the rest verifiable.
//!
//! The format and the guarantees are described in `docs/audit.md`.

pub mod chain;
pub mod checkpoint;
pub mod event;
pub mod export;
pub mod retention;
pub mod verify;
pub mod writer;

use std::sync::Arc;

pub use checkpoint::{Checkpoint, CheckpointKind, CheckpointSigner, CheckpointVerifier, KeyError};
pub use event::{AuditEvent, DecisionRecord, FindingRecord, Mask, NoMask};
pub use verify::{ChainBreak, VerifyOptions, VerifyReport};
pub use writer::AuditLog;

use crate::config::{AuditConfig, Durability};
use crate::store::StoreError;

/// An audit problem.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The audit log was shut down; nothing more is accepted.
    #[error("the audit log is closed")]
    Closed,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store refused this event for good (not a transient failure).
    #[error("audit event {id} was refused by the store: {reason}")]
    Rejected { id: String, reason: String },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("the audit chain is broken: {0}")]
    Broken(#[from] ChainBreak),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Export(String),
}

/// How the audit log runs, from `audit:` in the configuration.
#[derive(Clone)]
pub struct AuditSettings {
    pub durability: Durability,
    pub queue_capacity: usize,
    pub batch_size: usize,
    pub max_parameter_bytes: usize,
    pub max_response_bytes: usize,
    /// Sign a checkpoint every this many events (when `signer` is set).
    pub checkpoint_every: u64,
    pub signer: Option<Arc<CheckpointSigner>>,
}

impl AuditSettings {
    /// Settings from the configuration; reads the checkpoint key file.
    pub fn from_config(config: &AuditConfig) -> Result<AuditSettings, AuditError> {
        let signer = match &config.checkpoint.key_file {
            Some(path) => Some(Arc::new(CheckpointSigner::from_file(path)?)),
            None => None,
        };
        Ok(AuditSettings {
            durability: config.durability,
            queue_capacity: config.queue_capacity,
            batch_size: config.batch_size,
            max_parameter_bytes: config.max_parameter_bytes,
            max_response_bytes: config.max_response_bytes,
            checkpoint_every: config.checkpoint.every,
            signer,
        })
    }
}

impl Default for AuditSettings {
    fn default() -> Self {
        // The defaults of `audit:`; no key file to read.
        let config = AuditConfig::default();
        AuditSettings {
            durability: config.durability,
            queue_capacity: config.queue_capacity,
            batch_size: config.batch_size,
            max_parameter_bytes: config.max_parameter_bytes,
            max_response_bytes: config.max_response_bytes,
            checkpoint_every: config.checkpoint.every,
            signer: None,
        }
    }
}
