//! The live pipeline: read lock-free on every message, rebuilt on a change to
//! the plugins directory, the policies directory or the config file (or on
//! SIGHUP) and swapped whole.
//! A rebuild that fails leaves the previous pipeline in force.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use arc_swap::ArcSwap;
use notify::{EventKind, RecursiveMode, Watcher};
use parking_lot::Mutex;

use super::catalog::is_plugin_file;
use crate::policy::is_policy_file;
use super::{BuildError, Pipeline, PipelineBuilder};
use crate::config::{Config, ConfigError};

/// Events closer together than this are one change (editors and copies write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(100);

/// Why a reload did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Build(#[from] BuildError),
}

/// The pipeline in force plus what is needed to rebuild it.
pub struct PipelineHandle {
    current: ArcSwap<Pipeline>,
    config: ArcSwap<Config>,
    config_path: Option<PathBuf>,
    builder: PipelineBuilder,
    reloading: Mutex<()>,
}

impl PipelineHandle {
    /// Builds the first pipeline; fails if any plugin fails.
    pub fn start(builder: PipelineBuilder, config: Config, config_path: Option<PathBuf>) -> Result<Arc<PipelineHandle>, BuildError> {
        let pipeline = builder.build(&config, None)?;
        Ok(Arc::new(PipelineHandle {
            current: ArcSwap::from_pointee(pipeline),
            config: ArcSwap::from_pointee(config),
            config_path,
            builder,
            reloading: Mutex::new(()),
        }))
    }

    /// The pipeline in force. Cheap; call it once per message.
    pub fn current(&self) -> Arc<Pipeline> {
        self.current.load_full()
    }

    /// The configuration the current pipeline was built from.
    pub fn config(&self) -> Arc<Config> {
        self.config.load_full()
    }

    pub fn builder(&self) -> &PipelineBuilder {
        &self.builder
    }

    /// Re-reads the config file (if any), the policies directory and the plugins directory, rebuilds,
    /// and swaps. On error the previous pipeline stays and the error is returned.
    pub fn reload(&self) -> Result<u64, ReloadError> {
        let _one_at_a_time = self.reloading.lock();
        let config = match &self.config_path {
            Some(path) => Arc::new(Config::load(path)?),
            None => {
                let mut config = (*self.config.load_full()).clone();
                config.load_policies(None)?;
                Arc::new(config)
            }
        };
        let previous = self.current.load_full();
        let pipeline = self.builder.build(&config, Some(&previous))?;
        let generation = pipeline.generation();
        let names: Vec<String> = pipeline.stages().map(|s| s.name().to_string()).collect();
        self.current.store(Arc::new(pipeline));
        self.config.store(config);
        tracing::info!(generation, plugins = ?names, "pipeline reloaded");
        Ok(generation)
    }

    /// Reloads and logs the outcome (for watchers and signals).
    pub fn reload_and_log(&self, why: &str) {
        match self.reload() {
            Ok(_) => {}
            Err(ReloadError::Build(errors)) => {
                for e in &errors.0 {
                    tracing::error!(plugin = %e.plugin, source = %e.source_desc, reason = %e.reason, trigger = why,
                        "plugin failed to load; the previous pipeline stays in force");
                }
            }
            Err(e) => tracing::error!(error = %e, trigger = why, "reload failed; the previous pipeline stays in force"),
        }
    }

    /// Watches the plugins directory, the policies directory and the config
    /// file; reloads on change. The returned watcher must be kept alive.
    pub fn watch(self: &Arc<Self>) -> notify::Result<notify::RecommendedWatcher> {
        let config = self.config();
        // inotify reports paths under the watched path as given: watch canonical paths.
        let canonical_dir = |dir: &Path| -> notify::Result<PathBuf> {
            std::fs::create_dir_all(dir).map_err(notify::Error::io)?;
            dir.canonicalize().map_err(notify::Error::io)
        };
        let plugins_dir = canonical_dir(&config.plugins.dir)?;
        let policies_dir = canonical_dir(&config.policy.dir)?;
        let config_file = match &self.config_path {
            Some(path) => Some(path.canonicalize().map_err(notify::Error::io)?),
            None => None,
        };
        let (tx, rx) = mpsc::channel::<()>();
        let dir_for_filter = plugins_dir.clone();
        let policies_for_filter = policies_dir.clone();
        let config_for_filter = config_file.clone();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if !matters(&event.kind) {
                return;
            }
            let relevant = event.paths.iter().any(|p| {
                (p.parent() == Some(dir_for_filter.as_path()) && (is_plugin_file(p) || !p.exists()))
                    || (p.parent() == Some(policies_for_filter.as_path()) && (is_policy_file(p) || !p.exists()))
                    || config_for_filter.as_deref() == Some(p.as_path())
            });
            if relevant {
                let _ = tx.send(());
            }
        })?;
        let mut watched: Vec<&Path> = vec![&plugins_dir, &policies_dir];
        watched.extend(config_file.as_deref().and_then(Path::parent));
        // One watch per directory (a config file may sit in the policies directory's parent, or share it).
        for (i, dir) in watched.iter().enumerate() {
            if !watched[..i].contains(dir) {
                watcher.watch(dir, RecursiveMode::NonRecursive)?;
            }
        }
        let handle = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("warden-reload".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    // Debounce: wait until the burst of events is over.
                    while rx.recv_timeout(DEBOUNCE).is_ok() {}
                    let Some(handle) = handle.upgrade() else { break };
                    handle.reload_and_log("file change");
                }
            })
            .map_err(notify::Error::io)?;
        Ok(watcher)
    }
}

/// Creations, data writes, renames and removals; not the reloader's own reads.
fn matters(kind: &EventKind) -> bool {
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any) => true,
        _ => false,
    }
}
