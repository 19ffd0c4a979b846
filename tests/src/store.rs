//! Real stores for tests: a SQLite file in a temporary directory, or a fresh
//! schema in the PostgreSQL at 127.0.0.1:5432 (trust auth, database `test`),
//! dropped when the test ends.

use std::sync::atomic::{AtomicU64, Ordering};

use warden::config::StoreLocation;
use warden::store::{Store, StoreOptions, StorePool};

/// The PostgreSQL every test run uses (`WARDEN_TEST_POSTGRES` overrides it).
pub fn postgres_url() -> String {
    std::env::var("WARDEN_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// A store of its own for one test.
pub struct TestStore {
    pub store: Store,
    pub backend: TestBackend,
    pub location: StoreLocation,
    pub dir: tempfile::TempDir,
    schema: Option<String>,
}

/// A schema name no other test (or test run) uses.
fn unique_schema() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("t_{}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed), nanos % 1_000_000_000)
}

impl TestStore {
    pub async fn new(backend: TestBackend) -> TestStore {
        TestStore::with_options(backend, StoreOptions::default()).await
    }

    pub async fn with_options(backend: TestBackend, options: StoreOptions) -> TestStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let (location, schema) = match backend {
            TestBackend::Sqlite => (StoreLocation::Sqlite(dir.path().join("warden.db")), None),
            TestBackend::Postgres => {
                let schema = unique_schema();
                (StoreLocation::Postgres { url: postgres_url(), schema: Some(schema.clone()) }, Some(schema))
            }
        };
        let store = Store::open(&location, options).await.expect("the test store opens");
        TestStore { store, backend, location, dir, schema }
    }

    /// Opens another handle on the same database (as a restarted gateway would).
    pub async fn reopen(&self) -> Store {
        Store::open(&self.location, StoreOptions::default()).await.expect("the test store reopens")
    }

    /// The `store:` block of a `warden.yaml` pointing at this store.
    pub fn config_yaml(&self) -> String {
        match &self.location {
            StoreLocation::Sqlite(path) => format!("store:\n  url: sqlite://{}\n", path.display()),
            StoreLocation::Postgres { url, schema } => {
                format!("store:\n  url: {url}\n  schema: {}\n", schema.as_deref().unwrap_or("public"))
            }
        }
    }

    /// Runs SQL directly on the database, bypassing Warden (as an intruder would).
    pub async fn exec(&self, sql: &str) -> u64 {
        let query = sqlx::AssertSqlSafe(sql.to_string());
        let result = match self.store.pool() {
            StorePool::Sqlite(pool) => sqlx::query(query).execute(pool).await.map(|r| r.rows_affected()),
            StorePool::Postgres(pool) => sqlx::query(query).execute(pool).await.map(|r| r.rows_affected()),
        };
        result.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else { return };
        // Drop runs outside async; use a runtime of our own on another thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(pool) = sqlx::PgPool::connect(&postgres_url()).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
                        .execute(&pool)
                        .await;
                    pool.close().await;
                }
            });
        })
        .join();
    }
}

/// Defines each test twice, as `sqlite::name` and `postgres::name`, each
/// given a fresh [`TestStore`] of its backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($(#[$meta:meta])* async fn $name:ident($store:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $store = $crate::store::TestStore::new($crate::store::TestBackend::Sqlite).await;
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $store = $crate::store::TestStore::new($crate::store::TestBackend::Postgres).await;
                    $body
                }
            )*
        }
    };
}
