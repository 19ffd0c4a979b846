//! [`AuditLog`]: a bounded queue in front of one background writer task that
//! appends events to the chain in batches.
//!
//! - Back-pressure, never loss: when the queue is full, `record()` waits.
//! - `batched` durability: `record()` returns once the event is queued.
//!   `sync`: it returns once the transaction holding the event committed.
//! - A batch takes whatever is queued (up to `batch-size`), so batches grow
//!   with load and a lone event is written at once.
//! - A transient store failure (unreachable, busy) is retried with back-off
//!   for as long as it lasts, the batch kept in memory and the queue filling
//!   up behind it. A batch the store refuses is retried event by event; an
//!   event refused on its own is logged with its id, counted, and its `sync`
//!   caller gets the error.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::checkpoint::{Checkpoint, CheckpointKind};
use super::event::{AuditEvent, Mask, capture_parameters};
use super::{AuditError, AuditSettings};
use crate::config::Durability;
use crate::store::{Store, StoreError, now_us};

type Ack = oneshot::Sender<Result<i64, AuditError>>;

enum Job {
    Event(Box<AuditEvent>, Option<Ack>),
    /// Answered once everything queued before it is committed.
    Flush(oneshot::Sender<()>),
    /// Like `Flush`, then the writer stops taking jobs.
    Shutdown(oneshot::Sender<()>),
}

/// The handle the gateway records events through. Cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    inner: Arc<Inner>,
}

struct Inner {
    sender: mpsc::Sender<Job>,
    settings: AuditSettings,
    writer: Mutex<Option<JoinHandle<()>>>,
}

const MAX_BACKOFF: Duration = Duration::from_secs(5);

impl AuditLog {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(store: Store, settings: AuditSettings) -> AuditLog {
        let (sender, receiver) = mpsc::channel(settings.queue_capacity);
        let writer = tokio::spawn(run_writer(store, receiver, settings.clone()));
        crate::metrics::set_audit_queue_depth(0);
        AuditLog { inner: Arc::new(Inner { sender, settings, writer: Mutex::new(Some(writer)) }) }
    }

    pub fn durability(&self) -> Durability {
        self.inner.settings.durability
    }

    /// Call parameters as they will be recorded: string leaves passed through
    /// `mask`, the JSON cut to `audit.max-parameter-bytes`. Returns the text
    /// and whether it was cut; put them in `AuditEvent::parameters` and
    /// `parameters_truncated`.
    pub fn capture_parameters(&self, params: &serde_json::Value, mask: &dyn Mask) -> (String, bool) {
        capture_parameters(params, self.inner.settings.max_parameter_bytes, mask)
    }

    /// Events waiting to be written.
    pub fn queue_depth(&self) -> usize {
        self.inner.sender.max_capacity() - self.inner.sender.capacity()
    }

    /// Records an event and returns its id. Waits while the queue is full;
    /// in `sync` durability, also until the event is committed.
    pub async fn record(&self, mut event: AuditEvent) -> Result<String, AuditError> {
        if event.id.is_empty() {
            event.id = uuid::Uuid::now_v7().to_string();
        }
        if event.timestamp_us == 0 {
            event.timestamp_us = now_us();
        }
        let s = &self.inner.settings;
        event.normalize(s.max_parameter_bytes, s.max_response_bytes);
        let id = event.id.clone();
        match s.durability {
            Durability::Batched => {
                self.send(Job::Event(Box::new(event), None)).await?;
                Ok(id)
            }
            Durability::Sync => {
                let (ack, committed) = oneshot::channel();
                self.send(Job::Event(Box::new(event), Some(ack))).await?;
                committed.await.map_err(|_| AuditError::Closed)??;
                Ok(id)
            }
        }
    }

    /// Waits until every event recorded before this call is committed.
    pub async fn flush(&self) -> Result<(), AuditError> {
        let (done, wait) = oneshot::channel();
        self.send(Job::Flush(done)).await?;
        wait.await.map_err(|_| AuditError::Closed)
    }

    /// Writes everything queued, then stops the writer. Later `record()`s fail
    /// with [`AuditError::Closed`].
    pub async fn shutdown(&self) -> Result<(), AuditError> {
        let (done, wait) = oneshot::channel();
        if self.send(Job::Shutdown(done)).await.is_ok() {
            let _ = wait.await;
        }
        let writer = self.inner.writer.lock().take();
        if let Some(writer) = writer {
            writer.await.map_err(|e| AuditError::Export(format!("the audit writer failed: {e}")))?;
        }
        Ok(())
    }

    async fn send(&self, job: Job) -> Result<(), AuditError> {
        self.inner.sender.send(job).await.map_err(|_| AuditError::Closed)?;
        crate::metrics::set_audit_queue_depth(self.queue_depth());
        Ok(())
    }
}

async fn run_writer(store: Store, mut receiver: mpsc::Receiver<Job>, settings: AuditSettings) {
    let mut jobs = Vec::with_capacity(settings.batch_size);
    loop {
        if receiver.recv_many(&mut jobs, settings.batch_size).await == 0 {
            break;
        }
        crate::metrics::set_audit_queue_depth(receiver.len());
        let mut events = Vec::with_capacity(jobs.len());
        let mut acks = Vec::with_capacity(jobs.len());
        let mut waiting = Vec::new();
        let mut stop = false;
        for job in jobs.drain(..) {
            match job {
                Job::Event(event, ack) => {
                    events.push(*event);
                    acks.push(ack);
                }
                Job::Flush(done) => waiting.push(done),
                Job::Shutdown(done) => {
                    waiting.push(done);
                    stop = true;
                }
            }
        }
        write(&store, &settings, events, acks).await;
        for done in waiting {
            let _ = done.send(());
        }
        if stop {
            // Whatever was queued behind the shutdown is still written; new sends fail.
            receiver.close();
        }
    }
    crate::metrics::set_audit_queue_depth(0);
    tracing::debug!("audit writer stopped");
}

/// Appends a batch, or its events one by one if the store refuses the batch.
async fn write(store: &Store, settings: &AuditSettings, mut events: Vec<AuditEvent>, acks: Vec<Option<Ack>>) {
    if events.is_empty() {
        return;
    }
    match append_with_retry(store, settings, &mut events).await {
        Ok(()) => {
            crate::metrics::audit_events_written(events.len());
            for (event, ack) in events.iter().zip(acks) {
                if let Some(ack) = ack {
                    let _ = ack.send(Ok(event.seq));
                }
            }
        }
        Err(error) if events.len() == 1 => reject(events.remove(0), acks, &error),
        Err(_) => {
            for (event, ack) in events.into_iter().zip(acks) {
                let mut one = vec![event];
                match append_with_retry(store, settings, &mut one).await {
                    Ok(()) => {
                        crate::metrics::audit_events_written(1);
                        if let Some(ack) = ack {
                            let _ = ack.send(Ok(one[0].seq));
                        }
                    }
                    Err(error) => reject(one.remove(0), vec![ack], &error),
                }
            }
        }
    }
}

fn reject(event: AuditEvent, acks: Vec<Option<Ack>>, error: &StoreError) {
    tracing::error!(id = %event.id, agent = %event.agent, server = %event.server, tool = %event.tool, %error,
        "audit event refused by the store");
    crate::metrics::audit_event_rejected();
    for ack in acks.into_iter().flatten() {
        let _ = ack.send(Err(AuditError::Rejected { id: event.id.clone(), reason: error.to_string() }));
    }
}

/// Retries transient failures with back-off until the store is back.
async fn append_with_retry(
    store: &Store,
    settings: &AuditSettings,
    events: &mut [AuditEvent],
) -> Result<(), StoreError> {
    let every = settings.checkpoint_every.max(1);
    let signer = settings.signer.clone();
    let checkpoint = move |e: &AuditEvent| -> Option<Checkpoint> {
        let signer = signer.as_ref()?;
        (e.seq as u64).is_multiple_of(every).then(|| signer.sign(e.seq, CheckpointKind::Signed, &e.hash, now_us()))
    };
    let mut delay = Duration::from_millis(50);
    loop {
        match store.append_audit(events, &checkpoint).await {
            Ok(_) => return Ok(()),
            Err(error) if error.is_transient() => {
                crate::metrics::audit_write_error("transient");
                tracing::warn!(%error, events = events.len(), retry_in_ms = delay.as_millis() as u64,
                    "audit batch not written; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_BACKOFF);
            }
            Err(error) => {
                crate::metrics::audit_write_error("refused");
                return Err(error);
            }
        }
    }
}
