//! The audit trail on SQLite and PostgreSQL: events are stored whole and in
//! order; `sync` commits before `record()` returns; a full queue makes
//! senders wait and loses nothing; tampering done with direct SQL — an
//! edit, a deletion, a reordering, a cut tail, a rewritten suffix — is
//! detected and the first bad event named; exports verify elsewhere with the
//! public key; retention keeps the rest verifiable.

use std::sync::Arc;
use std::time::Duration;

use warden::audit::export::{export, verify_export};
use warden::audit::retention::apply_retention;
use warden::audit::verify::{Problem, verify_store};
use warden::audit::{
    AuditError, AuditEvent, AuditLog, AuditSettings, ChainBreak, CheckpointKind, CheckpointSigner, CheckpointVerifier,
    DecisionRecord, FindingRecord, VerifyOptions,
};
use warden::config::Durability;
use warden::store::{StorePool, now_us};
use warden_tests::on_both_backends;
use warden_tests::store::{TestBackend, TestStore};

fn event(n: u64) -> AuditEvent {
    AuditEvent {
        session: "s-1".into(),
        request_id: n.to_string(),
        agent: "support-bot".into(),
        server: "crm".into(),
        tool: "lookup_customer".into(),
        method: "tools/call".into(),
        phase: "request".into(),
        parameters: format!(r#"{{"name":"lookup_customer","arguments":{{"id":{n}}}}}"#),
        response_summary: "1 text block, 120 bytes".into(),
        // Every third event has findings (seq 3, 6, 9, …).
        findings: if n % 3 == 0 {
            vec![
                FindingRecord {
                    category: "pii".into(),
                    rule: "email".into(),
                    severity: "medium".into(),
                    detector: "pii".into(),
                },
                FindingRecord {
                    category: "secrets".into(),
                    rule: "aws-key".into(),
                    severity: "critical".into(),
                    detector: "secrets".into(),
                },
            ]
        } else {
            Vec::new()
        },
        decision: DecisionRecord {
            action: if n % 3 == 0 { "DENY" } else { "ALLOW" }.into(),
            policy: "default".into(),
            rule: "r1".into(),
            reason: "test".into(),
            policy_version: "3".into(),
        },
        latency_us: 100 + n as i64,
        upstream_latency_us: (n % 2 == 0).then_some(2_000),
        ..Default::default()
    }
}

fn settings(durability: Durability) -> AuditSettings {
    AuditSettings { durability, ..AuditSettings::default() }
}

/// Records events 1..=n through a running audit log and waits until they are written.
async fn record(t: &TestStore, n: u64, settings: AuditSettings) -> Vec<String> {
    let log = AuditLog::start(t.store.clone(), settings);
    let mut ids = Vec::new();
    for i in 1..=n {
        ids.push(log.record(event(i)).await.expect("recorded"));
    }
    log.shutdown().await.expect("flushed");
    ids
}

async fn verify(t: &TestStore) -> Result<warden::audit::VerifyReport, ChainBreak> {
    match verify_store(&t.store, VerifyOptions::default()).await {
        Ok(report) => Ok(report),
        Err(AuditError::Broken(b)) => Err(b),
        Err(other) => panic!("verify failed to run: {other}"),
    }
}

on_both_backends! {
    async fn recorded_events_are_stored_whole_in_order_and_verify(t) {
        let ids = record(&t, 7, settings(Durability::Batched)).await;
        let report = verify(&t).await.expect("an untouched chain verifies");
        assert_eq!((report.events, report.first_seq, report.last_seq), (7, Some(1), Some(7)));
        let stored = t.store.audit_event(&ids[5]).await.unwrap().expect("event 6 stored");
        let mut expected = event(6);
        expected.id = ids[5].clone();
        expected.timestamp_us = stored.timestamp_us;
        expected.seq = 6;
        expected.prev_hash = stored.prev_hash.clone();
        expected.hash = stored.hash.clone();
        assert_eq!(stored, expected);
        assert_eq!(stored.findings.len(), 2);
        let all = t.store.audit_events_after(0, 100).await.unwrap();
        assert_eq!(all.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), ids, "stored in the order recorded");
        assert!(all.windows(2).all(|w| w[1].prev_hash == w[0].hash));
        assert_eq!(t.store.audit_head().await.unwrap().hash, all[6].hash);
    }

    async fn sync_durability_commits_before_record_returns(t) {
        let log = AuditLog::start(t.store.clone(), settings(Durability::Sync));
        for i in 1..=5 {
            let id = log.record(event(i)).await.unwrap();
            let stored = t.reopen().await.audit_event(&id).await.unwrap();
            assert_eq!(stored.map(|e| e.seq), Some(i as i64), "event {i} is committed when record() returns");
        }
        log.shutdown().await.unwrap();
        assert!(matches!(log.record(event(6)).await, Err(AuditError::Closed)), "a closed log refuses, it does not drop");
    }

    async fn a_full_queue_makes_senders_wait_and_loses_nothing(t) {
        let log = AuditLog::start(t.store.clone(), AuditSettings { queue_capacity: 4, batch_size: 2, ..AuditSettings::default() });
        // Another connection holds the chain head, as a long transaction would: the writer is stuck.
        let blocker = block_writers(&t).await;
        let recorder = {
            let log = log.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 1..=20 {
                    ids.push(log.record(event(i)).await.expect("recorded"));
                }
                ids
            })
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(!recorder.is_finished(), "the 20 records wait for room in the queue");
        assert_eq!(log.queue_depth(), 4, "the queue is full");
        drop(blocker);
        let ids = tokio::time::timeout(Duration::from_secs(30), recorder).await.expect("unblocked").unwrap();
        log.shutdown().await.unwrap();
        let stored: Vec<String> = t.store.audit_events_after(0, 100).await.unwrap().into_iter().map(|e| e.id).collect();
        assert_eq!(stored, ids);
        verify(&t).await.unwrap();
    }

    async fn an_edited_event_is_named(t) {
        let ids = record(&t, 10, settings(Durability::Batched)).await;
        t.exec("UPDATE audit_events SET agent = 'mallory' WHERE seq = 5").await;
        let err = verify(&t).await.unwrap_err();
        assert_eq!((err.seq, err.id.as_deref(), &err.problem), (5, Some(ids[4].as_str()), &Problem::Altered), "{err}");
        assert!(err.to_string().starts_with(&format!("event #5 (id {}) was altered", ids[4])), "{err}");
    }

    async fn an_edited_finding_is_named(t) {
        record(&t, 10, settings(Durability::Batched)).await;
        t.exec("UPDATE audit_findings SET severity = 'low' WHERE event_seq = 6 AND idx = 1").await;
        let err = verify(&t).await.unwrap_err();
        assert_eq!((err.seq, &err.problem), (6, &Problem::Altered), "{err}");
    }

    async fn a_deleted_event_is_named(t) {
        let ids = record(&t, 10, settings(Durability::Batched)).await;
        assert_eq!(t.exec("DELETE FROM audit_events WHERE seq = 4").await, 1);
        let err = verify(&t).await.unwrap_err();
        assert_eq!((err.seq, err.id.as_deref()), (5, Some(ids[4].as_str())), "{err}");
        assert_eq!(err.problem, Problem::Deleted { from: 4, to: 4 });
        assert!(err.to_string().contains("#4 is missing"), "{err}");
    }

    async fn reordered_events_are_detected(t) {
        record(&t, 10, settings(Durability::Batched)).await;
        // Swap events 7 and 8 (neither has findings).
        t.exec("UPDATE audit_events SET seq = -7 WHERE seq = 7").await;
        t.exec("UPDATE audit_events SET seq = 7 WHERE seq = 8").await;
        t.exec("UPDATE audit_events SET seq = 8 WHERE seq = -7").await;
        let err = verify(&t).await.unwrap_err();
        assert_eq!(err.seq, 7, "{err}");
    }

    async fn events_cut_from_the_end_are_detected(t) {
        record(&t, 10, settings(Durability::Batched)).await;
        t.exec("DELETE FROM audit_events WHERE seq > 8").await;
        let err = verify(&t).await.unwrap_err();
        assert_eq!((err.seq, &err.problem), (9, &Problem::TailDeleted { last: 8, head: 10 }), "{err}");
    }

    async fn a_rewritten_suffix_is_caught_by_signed_checkpoints(t) {
        let signer = Arc::new(CheckpointSigner::generate().unwrap());
        let key = signer.verifier();
        record(&t, 10, AuditSettings { checkpoint_every: 4, signer: Some(signer), ..AuditSettings::default() }).await;
        let checkpoints = t.store.audit_checkpoints().await.unwrap();
        assert_eq!(checkpoints.iter().map(|c| c.seq).collect::<Vec<_>>(), [4, 8]);
        // An intruder edits event 6 and recomputes every hash after it, head included.
        let mut events = t.store.audit_events_after(0, 100).await.unwrap();
        events[5].agent = "mallory".into();
        for i in 5..events.len() {
            let prev = events[i - 1].hash.clone();
            let seq = events[i].seq;
            warden::audit::chain::link(&mut events[i], seq, &prev);
            t.exec(&format!(
                "UPDATE audit_events SET agent = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {seq}",
                events[i].agent, events[i].prev_hash, events[i].hash
            ))
            .await;
        }
        t.exec(&format!("UPDATE audit_head SET hash = '{}'", events[9].hash)).await;
        let err = verify_store(&t.store, VerifyOptions { key: Some(key), ..VerifyOptions::default() }).await.unwrap_err();
        let AuditError::Broken(err) = err else { panic!("{err}") };
        assert_eq!((err.seq, &err.problem), (8, &Problem::Checkpoint { kind: CheckpointKind::Signed }), "{err}");
    }

    async fn a_failed_batch_leaves_nothing_written(t) {
        let ids = record(&t, 3, settings(Durability::Batched)).await;
        let head = t.store.audit_head().await.unwrap();
        let mut fresh = event(4);
        fresh.id = "fresh-event".into();
        let mut duplicate = event(5);
        duplicate.id = ids[0].clone();
        let mut batch = vec![fresh, duplicate];
        let err = t.store.append_audit(&mut batch, &|_| None).await.unwrap_err();
        assert!(err.is_unique_violation(), "{err}");
        assert_eq!(t.store.audit_head().await.unwrap(), head, "the head did not move");
        assert!(t.store.audit_event("fresh-event").await.unwrap().is_none(), "the first event of the batch was rolled back");
        verify(&t).await.unwrap();
    }

    async fn an_export_verifies_elsewhere_with_the_public_key(t) {
        let signer = Arc::new(CheckpointSigner::generate().unwrap());
        let public = CheckpointVerifier::parse(&signer.verifier().key_id()).unwrap();
        record(&t, 9, AuditSettings { checkpoint_every: 4, signer: Some(Arc::clone(&signer)), ..AuditSettings::default() }).await;
        let mut file = Vec::new();
        let summary = export(&t.store, &mut file, Some(&signer)).await.unwrap();
        assert_eq!((summary.events, summary.head_seq, summary.sealed), (9, 9, true));
        let strict = || VerifyOptions { key: Some(public.clone()), require_signed: true, up_to: None };
        let report = verify_export(&mut file.as_slice(), strict()).unwrap();
        assert_eq!((report.events, report.signed_through, report.signatures_checked), (9, Some(9), 3));

        let text = String::from_utf8(file).unwrap();
        let edited = text.replacen("\"agent\":\"support-bot\"", "\"agent\":\"mallory\"", 1);
        let err = verify_export(&mut edited.as_bytes(), strict()).unwrap_err();
        assert!(matches!(&err, AuditError::Broken(b) if b.seq == 1 && b.problem == Problem::Altered), "{err}");

        let without_last: String = text.lines().take(9).map(|l| format!("{l}\n")).collect();
        let err = verify_export(&mut without_last.as_bytes(), strict()).unwrap_err();
        assert!(matches!(&err, AuditError::Broken(b) if b.seq == 9), "{err}");

        let stranger = CheckpointSigner::generate().unwrap().verifier();
        let err = verify_export(&mut text.as_bytes(), VerifyOptions { key: Some(stranger), require_signed: true, up_to: None })
            .unwrap_err();
        assert!(err.to_string().contains("signature does not verify"), "{err}");
    }

    async fn an_unsigned_export_is_refused_when_a_key_is_required(t) {
        record(&t, 3, settings(Durability::Batched)).await;
        let mut file = Vec::new();
        export(&t.store, &mut file, None).await.unwrap();
        verify_export(&mut file.as_slice(), VerifyOptions::default()).expect("the chain itself verifies");
        let key = CheckpointSigner::generate().unwrap().verifier();
        let err = verify_export(&mut file.as_slice(), VerifyOptions { key: Some(key), require_signed: true, up_to: None })
            .unwrap_err();
        assert!(matches!(&err, AuditError::Broken(b) if b.problem == Problem::Unsigned { last_signed: None }), "{err}");
    }

    async fn retention_deletes_old_events_and_the_rest_still_verifies(t) {
        let signer = Arc::new(CheckpointSigner::generate().unwrap());
        let log = AuditLog::start(t.store.clone(), AuditSettings { signer: Some(Arc::clone(&signer)), ..AuditSettings::default() });
        let day = 86_400_000_000i64;
        let now = now_us();
        for i in 1..=10 {
            let mut e = event(i);
            e.timestamp_us = if i <= 6 { now - 40 * day } else { now - day };
            log.record(e).await.unwrap();
        }
        log.flush().await.unwrap();
        let outcome = apply_retention(&t.store, 30, Some(&signer), now).await.unwrap();
        assert_eq!((outcome.deleted, outcome.anchored_at), (6, Some(6)));
        let strict = VerifyOptions { key: Some(signer.verifier()), ..VerifyOptions::default() };
        let report = verify_store(&t.store, strict.clone()).await.unwrap();
        assert_eq!((report.events, report.first_seq, report.anchored_at), (4, Some(7), Some(6)));
        // The chain goes on after retention.
        log.record(event(11)).await.unwrap();
        log.shutdown().await.unwrap();
        assert_eq!(verify_store(&t.store, strict).await.unwrap().last_seq, Some(11));
        // Deleting the first retained event is still detected.
        t.exec("DELETE FROM audit_events WHERE seq = 7").await;
        let err = verify(&t).await.unwrap_err();
        assert_eq!((err.seq, &err.problem), (8, &Problem::Deleted { from: 7, to: 7 }), "{err}");
    }

    async fn retention_refuses_to_delete_a_tampered_part(t) {
        let log = AuditLog::start(t.store.clone(), AuditSettings::default());
        let old = now_us() - 40 * 86_400_000_000;
        for i in 1..=5 {
            log.record(AuditEvent { timestamp_us: old, ..event(i) }).await.unwrap();
        }
        log.shutdown().await.unwrap();
        t.exec("UPDATE audit_events SET tool = 'rm_rf' WHERE seq = 2").await;
        let err = apply_retention(&t.store, 30, None, now_us()).await.unwrap_err();
        assert!(matches!(&err, AuditError::Broken(b) if b.seq == 2), "{err}");
        assert_eq!(t.store.audit_events_after(0, 100).await.unwrap().len(), 5, "the evidence is kept");
    }

    async fn parameters_are_masked_and_cut_before_they_are_stored(t) {
        let log = AuditLog::start(t.store.clone(), AuditSettings { max_parameter_bytes: 80, ..AuditSettings::default() });
        let params = serde_json::json!({"name": "send", "arguments": {"to": "alice@example.com", "body": "x".repeat(500)}});
        let mask = |pointer: &str, _: &str| (pointer == "/arguments/to").then(|| "[REDACTED:email]".to_string());
        let (parameters, parameters_truncated) = log.capture_parameters(&params, &mask);
        let id = log.record(AuditEvent { parameters, parameters_truncated, ..event(1) }).await.unwrap();
        log.shutdown().await.unwrap();
        let stored = t.store.audit_event(&id).await.unwrap().unwrap();
        assert!(stored.parameters_truncated);
        assert!(stored.parameters.len() <= 80);
        assert!(stored.parameters.contains("[REDACTED:email]") && !stored.parameters.contains("alice"), "{}", stored.parameters);
        verify(&t).await.unwrap();
    }
}

/// Holds the chain head in another transaction until dropped, so the audit
/// writer cannot commit (SQLite: the write lock; PostgreSQL: the head row).
async fn block_writers(t: &TestStore) -> tokio::sync::oneshot::Sender<()> {
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let (held, is_held) = tokio::sync::oneshot::channel::<()>();
    let pool = t.store.pool().clone();
    tokio::spawn(async move {
        match pool {
            StorePool::Sqlite(pool) => {
                let mut conn = pool.acquire().await.unwrap();
                sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.unwrap();
                let _ = held.send(());
                let _ = released.await;
                sqlx::query("ROLLBACK").execute(&mut *conn).await.unwrap();
            }
            StorePool::Postgres(pool) => {
                let mut tx = pool.begin().await.unwrap();
                sqlx::query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").execute(&mut *tx).await.unwrap();
                let _ = held.send(());
                let _ = released.await;
                tx.rollback().await.unwrap();
            }
        }
    });
    is_held.await.unwrap();
    release
}

#[tokio::test]
async fn the_sqlite_store_is_a_wal_file_in_the_data_dir() {
    let t = TestStore::new(TestBackend::Sqlite).await;
    let StorePool::Sqlite(pool) = t.store.pool() else { unreachable!() };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(pool).await.unwrap();
    assert_eq!(mode, "wal");
    assert!(t.dir.path().join("warden.db").exists());
}
