//! `warden audit` with the real binary, on SQLite and PostgreSQL: `verify`
//! passes on an untouched store and names the first bad event after direct
//! SQL tampering (exit 1); `keygen`, a signed `export` and `verify --file
//! --public-key` let someone else check the log.

use std::path::Path;
use std::process::{Command, Output};

use warden::audit::{AuditEvent, AuditLog, AuditSettings, CheckpointSigner};
use warden::config::Config;
use warden::store::{Store, StorePool};

const WARDEN: &str = env!("CARGO_BIN_EXE_warden");

fn postgres_url() -> String {
    std::env::var("WARDEN_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn warden(args: &[&str]) -> Output {
    Command::new(WARDEN).args(args).env("WARDEN_LOG", "warn").output().expect("warden runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A gateway home whose `warden.yaml` points at SQLite or at a fresh PostgreSQL schema.
struct Home {
    dir: tempfile::TempDir,
    schema: Option<String>,
}

impl Home {
    fn new(postgres: bool, extra: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        let (store, schema) = if postgres {
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let schema = format!("cli_{}_{n}", std::process::id());
            (format!("store:\n  url: {}\n  schema: {schema}\n", postgres_url()), Some(schema))
        } else {
            (String::new(), None)
        };
        std::fs::write(dir.path().join("warden.yaml"), format!("{store}{extra}")).unwrap();
        let home = Home { dir, schema };
        home.drop_schema();
        home
    }

    fn config(&self) -> String {
        self.dir.path().join("warden.yaml").display().to_string()
    }

    /// Drops the PostgreSQL schema (from a thread of its own: Drop is not async).
    fn drop_schema(&self) {
        let Some(schema) = self.schema.clone() else { return };
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let pool = sqlx::PgPool::connect(&postgres_url()).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
                    .execute(&pool)
                    .await?;
                pool.close().await;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        assert!(matches!(dropped, Ok(Ok(()))), "the test database is reachable");
    }

    async fn store(&self) -> Store {
        Store::from_config(&Config::load(Path::new(&self.config())).unwrap()).await.unwrap()
    }

    async fn record(&self, n: usize) {
        let config = Config::load(Path::new(&self.config())).unwrap();
        let log = AuditLog::start(self.store().await, AuditSettings::from_config(&config.audit).unwrap());
        for i in 0..n {
            let event = AuditEvent { agent: "bot".into(), tool: format!("tool_{i}"), ..Default::default() };
            log.record(event).await.unwrap();
        }
        log.shutdown().await.unwrap();
    }

    async fn exec(&self, sql: &'static str) {
        match self.store().await.pool() {
            StorePool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(drop),
            StorePool::Postgres(p) => sqlx::query(sql).execute(p).await.map(drop),
        }
        .unwrap();
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        self.drop_schema();
    }
}

async fn verify_names_the_first_bad_event(postgres: bool) {
    let home = Home::new(postgres, "");
    home.record(6).await;
    let ok = warden(&["audit", "verify", "--config", &home.config()]);
    assert!(ok.status.success(), "{}{}", stdout(&ok), String::from_utf8_lossy(&ok.stderr));
    assert!(stdout(&ok).starts_with("audit chain ok: 6 events (#1 to #6)"), "{}", stdout(&ok));

    home.exec("UPDATE audit_events SET tool = 'rm_rf' WHERE seq = 3").await;
    let bad = warden(&["audit", "verify", "--config", &home.config()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("BROKEN") && stdout(&bad).contains("event #3 (id "), "{}", stdout(&bad));
    assert!(stdout(&bad).contains("was altered"), "{}", stdout(&bad));

    let json = warden(&["audit", "verify", "--json", "--config", &home.config()]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((report["ok"].as_bool(), report["seq"].as_i64()), (Some(false), Some(3)));
}

async fn a_signed_export_verifies_elsewhere(postgres: bool) {
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("audit.pem");
    let keygen = warden(&["audit", "keygen", &key.display().to_string()]);
    assert!(keygen.status.success(), "{}", String::from_utf8_lossy(&keygen.stderr));
    let public_hex = stdout(&keygen).trim().to_string();
    assert_eq!(public_hex.len(), 64);
    assert_eq!(CheckpointSigner::from_file(&key).unwrap().verifier().key_id(), public_hex);

    let home = Home::new(postgres, &format!("audit:\n  checkpoint:\n    key-file: {}\n    every: 2\n", key.display()));
    home.record(5).await;
    let file = home.dir.path().join("audit.jsonl").display().to_string();
    let export = warden(&["audit", "export", "--config", &home.config(), &file]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    assert!(String::from_utf8_lossy(&export.stderr).contains("exported 5 events (through #5), head signed"));

    let public_pem = format!("{}.pub", key.display());
    for public in [public_hex.as_str(), public_pem.as_str()] {
        let ok = warden(&["audit", "verify", "--file", &file, "--public-key", public]);
        assert!(ok.status.success(), "{}", stdout(&ok));
        assert!(stdout(&ok).contains("signed through #5"), "{}", stdout(&ok));
    }

    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("tool_1", "tool_X", 1)).unwrap();
    let bad = warden(&["audit", "verify", "--file", &file, "--public-key", &public_hex]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("event #2 (id "), "{}", stdout(&bad));
}

#[tokio::test]
async fn verify_names_the_first_bad_event_on_sqlite() {
    verify_names_the_first_bad_event(false).await;
}

#[tokio::test]
async fn verify_names_the_first_bad_event_on_postgres() {
    verify_names_the_first_bad_event(true).await;
}

#[tokio::test]
async fn a_signed_export_verifies_elsewhere_on_sqlite() {
    a_signed_export_verifies_elsewhere(false).await;
}

#[tokio::test]
async fn a_signed_export_verifies_elsewhere_on_postgres() {
    a_signed_export_verifies_elsewhere(true).await;
}
