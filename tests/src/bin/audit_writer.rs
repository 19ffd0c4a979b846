//! Test program for the kill -9 test: records audit events in `sync`
//! durability from several tasks, forever, and prints each event's id on its
//! own line as soon as `record()` returns (that is, once it is acknowledged).
//!
//! Usage: `audit-writer CONFIG.yaml` (its `store:` and `audit:` sections are used).

use std::io::Write;

use warden::audit::{AuditEvent, AuditLog, AuditSettings, DecisionRecord, FindingRecord};
use warden::config::{Config, Durability};
use warden::store::Store;

const WRITERS: usize = 4;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: audit-writer CONFIG.yaml"))?;
    let config = Config::load(std::path::Path::new(&path))?;
    let store = Store::from_config(&config).await?;
    let mut settings = AuditSettings::from_config(&config.audit)?;
    settings.durability = Durability::Sync;
    let log = AuditLog::start(store, settings);
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0u64.. {
                let event = AuditEvent {
                    session: format!("session-{writer}"),
                    request_id: n.to_string(),
                    agent: "kill-test".into(),
                    server: "everything".into(),
                    tool: "echo".into(),
                    method: "tools/call".into(),
                    phase: "request".into(),
                    parameters: format!(r#"{{"name":"echo","arguments":{{"n":{n}}}}}"#),
                    findings: (n % 3 == 0)
                        .then(|| FindingRecord {
                            category: "pii".into(),
                            rule: "email".into(),
                            severity: "medium".into(),
                            detector: "pii".into(),
                        })
                        .into_iter()
                        .collect(),
                    decision: DecisionRecord { action: "ALLOW".into(), ..Default::default() },
                    latency_us: 42,
                    ..Default::default()
                };
                let id = log.record(event).await?;
                let mut out = std::io::stdout().lock();
                writeln!(out, "{id}")?;
                out.flush()?;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}
