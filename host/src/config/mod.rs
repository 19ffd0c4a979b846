//! `warden.yaml`: the gateway's one configuration file.
//!
//! Every key is documented here and in `docs/configuration.md`. Relative paths
//! are resolved against the directory of the configuration file. Unknown keys
//! are errors, reported with their line and column.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::policy::{ENGINE_PLUGIN, PolicySet};

mod error;
mod store;

pub use error::ConfigError;
pub use store::{AuditConfig, CheckpointConfig, Durability, StoreConfig, StoreLocation, is_schema_name};
mod servers;

pub use servers::{INHERITED_ENV, ProxyConfig, ServerConfig, TransportKind, UpstreamTls};

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Address the gateway listens on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Directory for the gateway's own files: the compiled-plugin cache and
    /// the embedded SQLite store (default `.warden`).
    pub data_dir: PathBuf,
    /// Plugin loading settings.
    pub plugins: PluginsConfig,
    /// The detector and policy plugins, in the order they run. Plugins not
    /// listed (built-ins or files in the plugins directory) run after the
    /// listed ones, in their default order.
    pub pipeline: Vec<Spanned<PipelineEntry>>,
    /// Policy documents and how decisions combine.
    pub policy: PolicyConfig,
    /// Where the gateway keeps its state (registry, policies, audit).
    pub store: StoreConfig,
    /// The audit trail.
    pub audit: AuditConfig,
    /// The documents of `policy.dir`, loaded and checked by [`Config::load`]
    /// (not a key of the file).
    #[serde(skip)]
    pub policies: PolicySet,
    /// The MCP proxy's own settings.
    pub proxy: ProxyConfig,
    /// The MCP servers Warden fronts, each at `/mcp/{name}` and merged on `/mcp`.
    pub servers: Vec<Spanned<ServerConfig>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from(".warden"),
            plugins: PluginsConfig::default(),
            pipeline: Vec::new(),
            policy: PolicyConfig::default(),
            store: StoreConfig::default(),
            audit: AuditConfig::default(),
            policies: PolicySet::default(),
            proxy: ProxyConfig::default(),
            servers: Vec::new(),
        }
    }
}

/// `plugins:` — where plugins come from and how instances are kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PluginsConfig {
    /// Directory scanned at start and watched for `.wasm` plugins
    /// (default `plugins`; created if missing). A file whose plugin has a
    /// built-in's name replaces that built-in.
    pub dir: PathBuf,
    /// Where compiled components are cached (default `<data-dir>/cache`).
    pub cache_dir: Option<PathBuf>,
    /// Load the plugins compiled into the binary (default true).
    pub builtins: bool,
    /// Configured instances kept warm per plugin (default 2).
    pub prewarm: usize,
    /// Calls after which a warm instance is replaced by a fresh one (default 10000).
    pub recycle_after: u32,
    /// Stop running later detectors once one raises a critical finding (default false).
    pub stop_on_critical: bool,
    /// Watch the plugins directory and the config file for changes (default true).
    pub watch: bool,
}

impl Default for PluginsConfig {
    fn default() -> Self {
        PluginsConfig {
            dir: PathBuf::from("plugins"),
            cache_dir: None,
            builtins: true,
            prewarm: 2,
            recycle_after: 10_000,
            stop_on_critical: false,
            watch: true,
        }
    }
}

/// What happens to a message when a plugin traps, times out, runs out of
/// memory or returns garbage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OnError {
    /// The failure is logged and counted; the message goes on as if the plugin found nothing.
    #[default]
    Open,
    /// The failure is logged and counted; the message is denied.
    Closed,
}

/// Phases a plugin can run at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseName {
    Request,
    Response,
    ToolListing,
    ServerRequest,
}

/// One `pipeline:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PipelineEntry {
    /// The plugin's name as given by its `info()`.
    pub name: String,
    /// Whether it runs (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Phases it runs at (default: those its `info()` asks for).
    #[serde(default)]
    pub phases: Option<Vec<PhaseName>>,
    /// Passed to the plugin's `configure` as JSON (default `{}`).
    #[serde(default)]
    pub config: Option<serde_json::Value>,
    /// Deadline per call in milliseconds (default 100).
    #[serde(default = "default_deadline_ms")]
    pub deadline_ms: u64,
    /// Memory cap per instance in MiB (default 64).
    #[serde(default = "default_memory_mb")]
    pub memory_mb: u64,
    /// `open` (default) or `closed`.
    #[serde(default)]
    pub on_error: OnError,
    /// Expected SHA-256 (hex) of the plugin's `.wasm`; a mismatch refuses to load it.
    #[serde(default)]
    pub sha256: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_deadline_ms() -> u64 {
    100
}

fn default_memory_mb() -> u64 {
    64
}

/// The action when no policy allows a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DefaultAction {
    /// Deny-by-default: a message passes only if a policy allows it.
    #[default]
    Deny,
    /// Allow-by-default: a message passes unless a policy says otherwise.
    Allow,
}

/// Whether decisions are enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EnforcementMode {
    #[default]
    Enforce,
    /// Record what would have happened and let everything pass.
    LogOnly,
}

/// `policy:` — policy documents and how decisions combine.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyConfig {
    /// `deny` (default) or `allow`: what happens to a message no policy allows.
    pub default_action: DefaultAction,
    /// `enforce` (default) or `log-only`: record what would happen and let everything pass.
    pub mode: EnforcementMode,
    /// Directory of policy documents: every `*.yaml`, `*.yml` and `*.json`
    /// file in it (not its subdirectories), one or more documents per file
    /// (default `policies`). Watched and hot-reloaded like the plugins directory.
    pub dir: PathBuf,
    /// Time zone of the `time` and `day_of_week` conditions: an IANA name
    /// (`Europe/Paris`), `UTC` (default) or a fixed offset (`+02:00`).
    pub timezone: Option<Spanned<String>>,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            default_action: DefaultAction::default(),
            mode: EnforcementMode::default(),
            dir: PathBuf::from("policies"),
            timezone: None,
        }
    }
}

impl Config {
    /// Reads and validates a configuration file. Relative paths in it are
    /// resolved against its directory.
    /// The policy documents of `policy.dir` are loaded and checked too.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, &e))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut config = Config::parse(&text, path, &base)?;
        config.load_policies(Some(path))?;
        Ok(config)
    }

    /// (Re)reads the policy documents of `policy.dir` into [`Config::policies`].
    /// `config_file` names the configuration in errors about `policy:` keys.
    pub fn load_policies(&mut self, config_file: Option<&Path>) -> Result<(), ConfigError> {
        self.policies = crate::policy::load_dir(&self.policy.dir, self.policy.timezone.as_ref(), config_file)?;
        if self.policies.documents.is_empty() && self.policy.default_action == DefaultAction::Deny {
            tracing::warn!(dir = %self.policy.dir.display(),
                "no policy documents: no policy allows anything, and policy.default-action is deny");
        }
        Ok(())
    }

    /// Parses configuration text; `file` names it in errors.
    pub fn parse(text: &str, file: &Path, base: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = if text.trim().is_empty() {
            Config::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| ConfigError::from_yaml(file, &e))?
        };
        config.validate(file)?;
        config.resolve_paths(base);
        Ok(config)
    }

    /// The embedded defaults (`warden serve` without `--config`), paths relative to `base`.
    pub fn embedded(base: &Path) -> Config {
        let mut config = Config::default();
        config.resolve_paths(base);
        config
    }

    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        resolve(&mut self.data_dir);
        resolve(&mut self.plugins.dir);
        resolve(&mut self.policy.dir);
        if let Some(cache) = &mut self.plugins.cache_dir {
            resolve(cache);
        }
        if let Some(key) = &mut self.audit.checkpoint.key_file {
            resolve(key);
        }
        self.store.resolve_paths(base);
        for server in &mut self.servers {
            server.value.resolve_paths(base);
        }
    }

    /// Where the store lives: the `store.url` database, or the SQLite file
    /// `<data-dir>/warden.db`.
    pub fn store_location(&self) -> StoreLocation {
        self.store.location(&self.data_dir)
    }

    /// The server named `name`.
    pub fn server(&self, name: &str) -> Option<&ServerConfig> {
        self.servers.iter().map(|s| &s.value).find(|s| s.name == name)
    }

    /// Directory for compiled components.
    pub fn cache_dir(&self) -> PathBuf {
        self.plugins.cache_dir.clone().unwrap_or_else(|| self.data_dir.join("cache"))
    }

    fn validate(&self, file: &Path) -> Result<(), ConfigError> {
        let mut seen = std::collections::HashSet::new();
        for entry in &self.pipeline {
            let at = |message: String| ConfigError::at(file, &entry.referenced, message);
            let e = &entry.value;
            if !seen.insert(e.name.as_str()) {
                return Err(at(format!("pipeline: plugin `{}` is listed twice", e.name)));
            }
            if e.deadline_ms == 0 || e.deadline_ms > 60_000 {
                return Err(at(format!("pipeline: `{}`: deadline-ms must be between 1 and 60000", e.name)));
            }
            if e.memory_mb == 0 || e.memory_mb > 4096 {
                return Err(at(format!("pipeline: `{}`: memory-mb must be between 1 and 4096", e.name)));
            }
            if let Some(sha) = &e.sha256 {
                if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(at(format!("pipeline: `{}`: sha256 must be 64 hexadecimal characters", e.name)));
                }
            }
            if e.name == ENGINE_PLUGIN && e.config.is_some() {
                return Err(at(format!(
                    "pipeline: `{ENGINE_PLUGIN}` takes its configuration from `policy:` and the policies directory; remove `config:`"
                )));
            }
            if let Some(phases) = &e.phases {
                if phases.is_empty() {
                    return Err(at(format!("pipeline: `{}`: phases is empty; use `enabled: false` to turn a plugin off", e.name)));
                }
            }
        }
        let mut names = std::collections::HashSet::new();
        for server in &self.servers {
            let at = |message: String| ConfigError::at(file, &server.referenced, message);
            server.value.check(&self.proxy.separator).map_err(at)?;
            if !names.insert(server.value.name.as_str()) {
                return Err(at(format!("servers: `{}` is listed twice", server.value.name)));
            }
        }
        if self.proxy.separator.is_empty() {
            return Err(ConfigError::plain(file, "proxy.separator must not be empty".into()));
        }
        if self.proxy.max_sessions == 0 {
            return Err(ConfigError::plain(file, "proxy.max-sessions must be at least 1".into()));
        }
        if self.proxy.max_body_bytes < 1024 {
            return Err(ConfigError::plain(file, "proxy.max-body-bytes must be at least 1024".into()));
        }
        if self.plugins.recycle_after == 0 {
            return Err(ConfigError::plain(file, "plugins.recycle-after must be at least 1".into()));
        }
        self.store.validate().map_err(|m| ConfigError::plain(file, m))?;
        self.audit.validate().map_err(|m| ConfigError::plain(file, m))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
