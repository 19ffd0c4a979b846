//! kill -9 in `sync` durability loses no acknowledged event: a writer
//! process records events from several tasks and prints each id once
//! `record()` has returned; it is killed with SIGKILL mid-stream; every id it
//! printed is in the store, the chain verifies, and a restarted writer
//! carries the chain on.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use warden::audit::verify::verify_store;
use warden::audit::{AuditEvent, AuditLog, AuditSettings, VerifyOptions};
use warden_tests::on_both_backends;
use warden_tests::store::TestStore;

/// Acknowledged ids to wait for before killing the writer.
const BEFORE_KILL: usize = 300;

async fn kill_mid_stream_then_check(t: &TestStore) {
    let config = t.dir.path().join("warden.yaml");
    std::fs::write(&config, format!("{}audit:\n  durability: sync\n  batch-size: 64\n", t.config_yaml())).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_audit-writer"))
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the writer starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut output = Vec::new();
    let mut buf = [0u8; 8192];
    let started = std::time::Instant::now();
    while output.iter().filter(|&&b| b == b'\n').count() < BEFORE_KILL {
        assert!(started.elapsed() < Duration::from_secs(120), "the writer acknowledged too few events");
        let n = tokio::time::timeout(Duration::from_secs(60), stdout.read(&mut buf)).await.expect("output").unwrap();
        assert!(n > 0, "the writer exited early");
        output.extend_from_slice(&buf[..n]);
    }
    child.start_kill().expect("SIGKILL"); // Child::start_kill sends SIGKILL on Unix.
    // Whatever it printed before dying was acknowledged too.
    stdout.read_to_end(&mut output).await.unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9), "killed by SIGKILL: {status:?}");

    let text = String::from_utf8(output).unwrap();
    // A line cut by the kill has no newline; its event was acknowledged but the id is incomplete.
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    let acknowledged: Vec<&str> = complete.lines().collect();
    assert!(acknowledged.len() >= BEFORE_KILL);

    let store = t.reopen().await;
    let stored: HashSet<String> =
        store.audit_events_after(0, i64::MAX).await.unwrap().into_iter().map(|e| e.id).collect();
    let lost: Vec<&&str> = acknowledged.iter().filter(|id| !stored.contains(**id)).collect();
    assert!(lost.is_empty(), "{} acknowledged events lost, e.g. {:?}", lost.len(), lost.first());
    let report = verify_store(&store, VerifyOptions::default()).await.expect("the chain verifies after kill -9");
    assert_eq!(report.events as usize, stored.len());

    // A restarted gateway appends after the last committed event.
    let log = AuditLog::start(store.clone(), AuditSettings::default());
    log.record(AuditEvent { agent: "after-restart".into(), ..Default::default() }).await.unwrap();
    log.shutdown().await.unwrap();
    let report = verify_store(&store, VerifyOptions::default()).await.expect("still verifies");
    assert_eq!(report.events as usize, stored.len() + 1);
}

on_both_backends! {
    async fn kill_9_in_sync_mode_loses_no_acknowledged_event(t) {
        kill_mid_stream_then_check(&t).await;
    }
}
