//! Exported logs: JSON Lines, verifiable without the store.
//!
//! Line 1 is a header (format, version, the chain head the export ends at,
//! and every checkpoint); each following line is one event, in seq order.
//! When the gateway has a checkpoint key, export first signs the current
//! head, so every exported event is covered by a signature.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use super::AuditError;
use super::checkpoint::{Checkpoint, CheckpointKind, CheckpointSigner};
use super::event::AuditEvent;
use super::verify::{ChainVerifier, VerifyOptions, VerifyReport};
use crate::store::audit::{AuditSnapshot, AuditVisitor, ChainHead};
use crate::store::{Store, now_us};

pub const FORMAT: &str = "warden-audit-export";
pub const VERSION: u32 = 1;

/// The first line of an export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportHeader {
    pub format: String,
    pub version: u32,
    pub exported_us: i64,
    /// The last exported event.
    pub head_seq: i64,
    pub head_hash: String,
    pub checkpoints: Vec<Checkpoint>,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub events: u64,
    pub head_seq: i64,
    /// Whether the head was signed for this export.
    pub sealed: bool,
}

struct ExportWriter<'w> {
    out: &'w mut (dyn Write + Send),
    up_to: Option<ChainHead>,
    events: u64,
    error: Option<std::io::Error>,
}

impl ExportWriter<'_> {
    fn write_line<T: Serialize>(&mut self, value: &T) -> bool {
        let result = serde_json::to_writer(&mut *self.out, value)
            .map_err(std::io::Error::other)
            .and_then(|()| self.out.write_all(b"\n"));
        match result {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }
}

impl AuditVisitor for ExportWriter<'_> {
    fn start(&mut self, snapshot: &AuditSnapshot) -> bool {
        let head = self.up_to.clone().unwrap_or_else(|| snapshot.head.clone());
        let checkpoints = snapshot.checkpoints.iter().filter(|c| c.seq <= head.seq).cloned().collect();
        let header = ExportHeader {
            format: FORMAT.into(),
            version: VERSION,
            exported_us: now_us(),
            head_seq: head.seq,
            head_hash: head.hash,
            checkpoints,
        };
        self.write_line(&header)
    }

    fn event(&mut self, event: AuditEvent) -> bool {
        self.events += 1;
        self.write_line(&event)
    }
}

/// Writes the chain to `out`. With `signer`, the current head is signed
/// first and the export stops there.
pub async fn export(
    store: &Store,
    out: &mut (dyn Write + Send),
    signer: Option<&CheckpointSigner>,
) -> Result<ExportSummary, AuditError> {
    let mut up_to = None;
    if let Some(signer) = signer {
        let head = store.audit_head().await?;
        if head.seq > 0 {
            store.insert_audit_checkpoint(&signer.sign(head.seq, CheckpointKind::Signed, &head.hash, now_us())).await?;
            up_to = Some(head);
        }
    }
    let sealed = up_to.is_some();
    let mut writer = ExportWriter { out, up_to: up_to.clone(), events: 0, error: None };
    let snapshot = store.audit_walk(up_to.as_ref().map(|h| h.seq), &mut writer).await?;
    if let Some(error) = writer.error {
        return Err(error.into());
    }
    writer.out.flush()?;
    let head_seq = up_to.map_or(snapshot.head.seq, |h| h.seq);
    Ok(ExportSummary { events: writer.events, head_seq, sealed })
}

/// Verifies an exported log read from `input`.
pub fn verify_export(input: &mut dyn BufRead, options: VerifyOptions) -> Result<VerifyReport, AuditError> {
    let mut lines = input.lines();
    let bad = |n: usize, why: String| AuditError::Export(format!("line {n}: {why}"));
    let header = lines.next().ok_or_else(|| AuditError::Export("the file is empty".into()))??;
    let header: ExportHeader =
        serde_json::from_str(&header).map_err(|e| bad(1, format!("not a {FORMAT} header ({e})")))?;
    if header.format != FORMAT || header.version != VERSION {
        return Err(bad(
            1,
            format!("format {} version {} is not {FORMAT} version {VERSION}", header.format, header.version),
        ));
    }
    let snapshot = AuditSnapshot {
        head: ChainHead { seq: header.head_seq, hash: header.head_hash },
        checkpoints: header.checkpoints,
    };
    let mut verifier = ChainVerifier::new(options);
    if verifier.start(&snapshot) {
        for (i, line) in lines.enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let event: AuditEvent =
                serde_json::from_str(&line).map_err(|e| bad(i + 2, format!("not an audit event ({e})")))?;
            if !verifier.event(event) {
                break;
            }
        }
    }
    Ok(verifier.finish()?)
}
