//! The SQL store: SQLite (embedded default) or PostgreSQL (shared by a
//! cluster), through sqlx, with embedded migrations per backend.
//!
//! Queries are written once, with `$N` placeholders (both backends accept
//! them), and run on either pool through [`on_backend!`], which expands the
//! same code for each concrete database. Every write that touches more than
//! one row runs in one transaction.
//!
//! - [`audit`]: the audit chain's tables.

pub mod audit;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::config::{StoreConfig, StoreLocation};

/// A store problem.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {location}: {source}")]
    Connect { location: String, source: sqlx::Error },
    #[error("cannot migrate the store: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("store: {0}")]
    Query(#[from] sqlx::Error),
    #[error("store: {0}")]
    Invalid(String),
}

impl StoreError {
    /// Whether retrying the same operation later may succeed (the database
    /// was unreachable, busy or restarting), as opposed to a refused write.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Connect { .. } => true,
            StoreError::Query(e) => match e {
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::Protocol(_)
                | sqlx::Error::WorkerCrashed => true,
                sqlx::Error::Database(db) => {
                    let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                    // SQLite BUSY/LOCKED (and their extended codes); PostgreSQL
                    // serialization failure, deadlock, connection and shutdown classes.
                    matches!(code.as_str(), "5" | "6" | "40001" | "40P01" | "57P01" | "57P02" | "57P03")
                        || code.starts_with("08")
                        || code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
                }
                _ => false,
            },
            StoreError::Migrate(_) | StoreError::Invalid(_) => false,
        }
    }

    /// Whether the database refused a duplicate key.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Query(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool of either backend. Public so that operators' tools
/// (and tests) can run their own SQL.
#[derive(Clone, Debug)]
pub enum StorePool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Connection settings besides where the database is.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    pub max_connections: u32,
    pub connect_timeout: Duration,
    /// SQLite only: fsync the WAL at every commit (`synchronous=FULL`) so a
    /// commit survives power loss, not only a crash. Used for `audit.durability: sync`.
    pub sqlite_full_sync: bool,
}

impl StoreOptions {
    pub fn from_config(store: &StoreConfig, sqlite_full_sync: bool) -> StoreOptions {
        StoreOptions {
            max_connections: store.max_connections,
            connect_timeout: Duration::from_millis(store.connect_timeout_ms),
            sqlite_full_sync,
        }
    }
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { max_connections: 8, connect_timeout: Duration::from_secs(5), sqlite_full_sync: false }
    }
}

/// The gateway's database. Cheap to clone (a pool handle).
#[derive(Clone, Debug)]
pub struct Store {
    pool: StorePool,
}

/// Runs `$body` with `$pool` bound to the concrete pool and `$db` to its
/// database type, once per backend.
macro_rules! on_backend {
    ($store:expr, $pool:ident, $db:ident => $body:expr) => {
        match &$store.pool {
            $crate::store::StorePool::Sqlite($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                $body
            }
            $crate::store::StorePool::Postgres($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

/// Statements whose text differs between the backends.
pub(crate) trait Dialect {
    /// Starts a transaction that will write: SQLite takes the write lock up
    /// front (no deadlock on upgrade); PostgreSQL locks rows as it goes.
    const BEGIN_WRITE: &'static str;
    /// Starts a read-only transaction that sees one snapshot throughout.
    const BEGIN_SNAPSHOT: &'static str;
    /// Reads the chain head and keeps other writers out until commit.
    const LOCK_HEAD: &'static str;
}

impl Dialect for sqlx::Sqlite {
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    const BEGIN_SNAPSHOT: &'static str = "BEGIN";
    const LOCK_HEAD: &'static str = "SELECT seq, hash FROM audit_head WHERE id = 1";
}

impl Dialect for sqlx::Postgres {
    const BEGIN_WRITE: &'static str = "BEGIN";
    const BEGIN_SNAPSHOT: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    const LOCK_HEAD: &'static str = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens (creating if needed) the store and brings its schema up to date.
    pub async fn open(location: &StoreLocation, options: StoreOptions) -> Result<Store, StoreError> {
        let store = match location {
            StoreLocation::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| StoreError::Connect {
                        location: path.display().to_string(),
                        source: sqlx::Error::Io(e),
                    })?;
                }
                let connect = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(if options.sqlite_full_sync {
                        SqliteSynchronous::Full
                    } else {
                        SqliteSynchronous::Normal
                    })
                    .foreign_keys(true)
                    .busy_timeout(options.connect_timeout.max(Duration::from_secs(5)));
                let pool = SqlitePoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.connect_timeout)
                    .connect_with(connect)
                    .await
                    .map_err(|source| StoreError::Connect { location: path.display().to_string(), source })?;
                SQLITE_MIGRATIONS.run(&pool).await?;
                Store { pool: StorePool::Sqlite(pool) }
            }
            StoreLocation::Postgres { url, schema } => {
                let shown = redact(url);
                let connect_err = |source| StoreError::Connect { location: shown.clone(), source };
                let mut connect = PgConnectOptions::from_str(url).map_err(connect_err)?;
                if let Some(schema) = schema {
                    if !crate::config::is_schema_name(schema) {
                        return Err(StoreError::Invalid(format!("schema `{schema}` is not a plain identifier")));
                    }
                    connect = connect.options([("search_path", schema.as_str())]);
                }
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.connect_timeout)
                    .connect_with(connect)
                    .await
                    .map_err(connect_err)?;
                if let Some(schema) = schema {
                    // Checked above to be a plain identifier.
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS {schema}")))
                        .execute(&pool)
                        .await?;
                }
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Store { pool: StorePool::Postgres(pool) }
            }
        };
        Ok(store)
    }

    /// Opens the store a configuration names.
    pub async fn from_config(config: &crate::config::Config) -> Result<Store, StoreError> {
        let full_sync = config.audit.durability == crate::config::Durability::Sync;
        Store::open(&config.store_location(), StoreOptions::from_config(&config.store, full_sync)).await
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            StorePool::Sqlite(_) => Backend::Sqlite,
            StorePool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The underlying pool, for SQL of one's own.
    pub fn pool(&self) -> &StorePool {
        &self.pool
    }

    /// Closes every connection (waits for those in use).
    pub async fn close(&self) {
        on_backend!(self, pool, _Db => pool.close().await)
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Microseconds since the Unix epoch, now.
pub fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_not_shown_in_messages() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
