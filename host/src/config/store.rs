//! `store:` and `audit:` — where state lives and how the audit trail is kept.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// `store:` — the SQL database holding the registry, policies, approvals and
/// the audit trail.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct StoreConfig {
    /// Database URL. `postgres://user@host:5432/db` (or `postgresql://`) for
    /// the shared store of a cluster; `sqlite:path/to/file.db` for a SQLite
    /// file elsewhere than the default (relative paths are resolved against
    /// the configuration file's directory). Default: the SQLite file
    /// `<data-dir>/warden.db`, created on first start.
    pub url: Option<String>,
    /// PostgreSQL only: the schema Warden's tables live in, created if
    /// missing (default: the connection's `search_path`, usually `public`).
    pub schema: Option<String>,
    /// Connections kept in the pool (default 8).
    pub max_connections: u32,
    /// How long to wait for a connection, in milliseconds (default 5000).
    pub connect_timeout_ms: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { url: None, schema: None, max_connections: 8, connect_timeout_ms: 5_000 }
    }
}

/// Which database a configuration points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// An embedded SQLite file (created with WAL journaling).
    Sqlite(PathBuf),
    /// A PostgreSQL server, optionally confined to one schema.
    Postgres { url: String, schema: Option<String> },
}

impl StoreConfig {
    pub(super) fn location(&self, data_dir: &Path) -> StoreLocation {
        match self.url.as_deref() {
            Some(url) if is_postgres(url) => {
                StoreLocation::Postgres { url: url.to_string(), schema: self.schema.clone() }
            }
            Some(url) => StoreLocation::Sqlite(PathBuf::from(sqlite_path(url).unwrap_or(url))),
            None => StoreLocation::Sqlite(data_dir.join("warden.db")),
        }
    }

    pub(super) fn resolve_paths(&mut self, base: &Path) {
        if let Some(path) = self.url.as_deref().and_then(sqlite_path) {
            let path = Path::new(path);
            if path.is_relative() {
                self.url = Some(format!("sqlite://{}", base.join(path).display()));
            }
        }
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        if let Some(url) = &self.url {
            if !is_postgres(url) && sqlite_path(url).is_none() {
                return Err(format!("store.url `{url}` is neither postgres://… nor sqlite:…"));
            }
            if sqlite_path(url).is_some_and(str::is_empty) {
                return Err("store.url: the sqlite URL names no file".into());
            }
        }
        if let Some(schema) = &self.schema {
            if !self.url.as_deref().is_some_and(is_postgres) {
                return Err("store.schema applies to a postgres:// store.url only".into());
            }
            if !is_schema_name(schema) {
                return Err(format!(
                    "store.schema `{schema}` must be 1 to 63 lowercase letters, digits or underscores, not starting with a digit"
                ));
            }
        }
        if self.max_connections == 0 {
            return Err("store.max-connections must be at least 1".into());
        }
        if self.connect_timeout_ms == 0 {
            return Err("store.connect-timeout-ms must be at least 1".into());
        }
        Ok(())
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The file of a `sqlite:` URL (`sqlite:x.db`, `sqlite://x.db`, `sqlite:///abs/x.db`).
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    Some(rest.split('?').next().unwrap_or(rest))
}

/// A PostgreSQL identifier that needs no quoting.
pub fn is_schema_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'_'))
        && name.len() <= 63
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// When `record()` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Durability {
    /// Once the event is queued; it is committed with the next batch (default).
    #[default]
    Batched,
    /// Once the transaction holding the event has committed.
    Sync,
}

/// `audit:` — the tamper-evident record of every exchange.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuditConfig {
    /// Record events (default true).
    pub enabled: bool,
    /// `batched` (default) or `sync`: whether a call waits for its event to be committed.
    pub durability: Durability,
    /// Events waiting to be written before senders wait (default 8192).
    pub queue_capacity: usize,
    /// Most events written in one transaction (default 256).
    pub batch_size: usize,
    /// Recorded call parameters are cut to this many bytes of JSON (default 4096).
    pub max_parameter_bytes: usize,
    /// Recorded response summaries are cut to this many bytes (default 1024).
    pub max_response_bytes: usize,
    /// Delete events older than this many days (default: keep everything).
    /// The remaining chain stays verifiable from a retention checkpoint.
    pub retention_days: Option<u32>,
    /// Signed checkpoints.
    pub checkpoint: CheckpointConfig,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            enabled: true,
            durability: Durability::Batched,
            queue_capacity: 8_192,
            batch_size: 256,
            max_parameter_bytes: 4_096,
            max_response_bytes: 1_024,
            retention_days: None,
            checkpoint: CheckpointConfig::default(),
        }
    }
}

/// `audit.checkpoint:` — Ed25519-signed chain heads, so that an exported log
/// can be verified by someone holding only the public key.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckpointConfig {
    /// Ed25519 private key, PKCS#8 PEM (`openssl genpkey -algorithm ed25519`
    /// or `warden audit keygen`). Without it no checkpoint is signed.
    pub key_file: Option<PathBuf>,
    /// Sign the chain head every this many events (default 1000).
    pub every: u64,
}

impl Default for CheckpointConfig {
    fn default() -> Self {
        CheckpointConfig { key_file: None, every: 1_000 }
    }
}

impl AuditConfig {
    pub(super) fn validate(&self) -> Result<(), String> {
        if self.queue_capacity == 0 || self.queue_capacity > 1 << 24 {
            return Err("audit.queue-capacity must be between 1 and 16777216".into());
        }
        if self.batch_size == 0 || self.batch_size > 10_000 {
            return Err("audit.batch-size must be between 1 and 10000".into());
        }
        if self.max_parameter_bytes < 64 || self.max_response_bytes < 64 {
            return Err("audit.max-parameter-bytes and audit.max-response-bytes must be at least 64".into());
        }
        if self.retention_days == Some(0) {
            return Err("audit.retention-days must be at least 1 (leave it out to keep everything)".into());
        }
        if self.checkpoint.every == 0 {
            return Err("audit.checkpoint.every must be at least 1".into());
        }
        Ok(())
    }
}
