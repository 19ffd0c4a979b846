//! Server-initiated messages waiting for a client: numbered, kept for a
//! while so a reconnecting GET stream can resume after `Last-Event-ID`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use parking_lot::Mutex;
use tokio::sync::Notify;

use super::jsonrpc::Message;

pub struct Outbox {
    events: Mutex<VecDeque<(u64, Message)>>,
    capacity: usize,
    next: AtomicU64,
    /// The last event a stream has taken (new streams start after it).
    taken: AtomicU64,
    notify: Notify,
    closed: AtomicBool,
}

impl Outbox {
    pub fn new(capacity: usize) -> Outbox {
        Outbox {
            events: Mutex::new(VecDeque::new()),
            capacity: capacity.max(1),
            next: AtomicU64::new(1),
            taken: AtomicU64::new(0),
            notify: Notify::new(),
            closed: AtomicBool::new(false),
        }
    }

    pub fn push(&self, message: Message) {
        let mut events = self.events.lock();
        let seq = self.next.fetch_add(1, Ordering::Relaxed);
        if events.len() == self.capacity {
            events.pop_front();
        }
        events.push_back((seq, message));
        drop(events);
        self.notify.notify_waiters();
    }

    /// Where a new stream starts: after what earlier streams took.
    pub fn cursor(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
    }

    /// The next event after `after`, waiting for one; `None` once closed.
    pub async fn next_after(&self, after: u64) -> Option<(u64, Message)> {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.closed.load(Ordering::Relaxed) {
                return None;
            }
            if let Some(event) = self.events.lock().iter().find(|(seq, _)| *seq > after).cloned() {
                self.taken.fetch_max(event.0, Ordering::Relaxed);
                return Some(event);
            }
            notified.await;
        }
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.notify.notify_waiters();
    }
}
