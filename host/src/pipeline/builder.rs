//! Builds a [`Pipeline`] from the configuration and the available plugins.
//!
//! Compiled components are kept by content hash across rebuilds, and warm
//! instance pools are reused when a plugin's bytes, configuration and limits
//! are unchanged, so a reload only pays for what changed.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;

use super::bindings::Phase;
use super::catalog::{self, PluginFile};
use super::decision::CombineSettings;
use super::engine::PluginEngine;
use super::instance::{CallLimits, InstancePool};
use super::plugin::{PluginComponent, PluginKind, PluginSource};
use super::state::PluginStateStore;
use super::{BuildError, LoadError, Pipeline, PipelineSettings, Stage};
use crate::config::{Config, OnError, PhaseName, PipelineEntry};

/// Builds pipelines; owns the engine, the plugin state and the component cache.
pub struct PipelineBuilder {
    engine: PluginEngine,
    state: Arc<PluginStateStore>,
    components: Mutex<HashMap<String, Arc<PluginComponent>>>,
    generation: AtomicU64,
}

/// A plugin available to the pipeline, before ordering.
struct Available {
    plugin: Arc<PluginComponent>,
}

impl PipelineBuilder {
    pub fn new(engine: PluginEngine, state: Arc<PluginStateStore>) -> PipelineBuilder {
        PipelineBuilder { engine, state, components: Mutex::new(HashMap::new()), generation: AtomicU64::new(0) }
    }

    pub fn engine(&self) -> &PluginEngine {
        &self.engine
    }

    pub fn state(&self) -> &Arc<PluginStateStore> {
        &self.state
    }

    /// Loads one plugin file (compiling it, or reusing the component with the same hash).
    pub fn load(&self, file: &PluginFile) -> Result<Arc<PluginComponent>, LoadError> {
        let sha = super::engine::sha256_hex(&file.bytes);
        if let Some(found) = self.components.lock().get(&sha) {
            if found.source() == &file.source {
                return Ok(Arc::clone(found));
            }
        }
        let plugin = PluginComponent::load(&self.engine, Arc::clone(&file.bytes), file.source.clone(), &self.state)
            .map_err(|e| LoadError { plugin: file.label(), source_desc: file.describe(), reason: e.to_string() })?;
        let plugin = Arc::new(plugin);
        self.components.lock().insert(sha, Arc::clone(&plugin));
        Ok(plugin)
    }

    /// Builds the pipeline for `config`, reusing what `previous` already has warm.
    /// Every problem is collected; any problem fails the whole build.
    pub fn build(&self, config: &Config, previous: Option<&Pipeline>) -> Result<Pipeline, BuildError> {
        let mut errors = Vec::new();
        let available = self.available(config, &mut errors);
        let ordered = order(config, &available, &mut errors);
        let mut detectors = Vec::new();
        let mut policies = Vec::new();
        for (plugin, entry) in ordered {
            match self.stage(config, plugin, entry.as_ref(), previous) {
                Ok(stage) => match stage.pool.plugin().kind() {
                    PluginKind::Detector => detectors.push(stage),
                    PluginKind::Policy => policies.push(stage),
                },
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(BuildError(errors));
        }
        self.forget_unused(&detectors, &policies);
        Ok(Pipeline {
            detectors,
            policies,
            settings: PipelineSettings {
                stop_on_critical: config.plugins.stop_on_critical,
                combine: CombineSettings { default_action: config.policy.default_action, mode: config.policy.mode },
            },
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
        })
    }

    /// Built-ins, then directory files; a file named like a built-in replaces it.
    fn available(&self, config: &Config, errors: &mut Vec<LoadError>) -> Vec<Available> {
        let mut files = if config.plugins.builtins { catalog::builtin_files() } else { Vec::new() };
        match catalog::read_dir(&config.plugins.dir) {
            Ok(found) => files.extend(found),
            Err(e) => errors.extend(e),
        }
        let mut available: Vec<Available> = Vec::new();
        for file in &files {
            let plugin = match self.load(file) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match available.iter().position(|a| a.plugin.name() == plugin.name()) {
                Some(i) if available[i].plugin.source() == &PluginSource::BuiltIn => {
                    tracing::info!(plugin = plugin.name(), file = %plugin.source(), "plugin file replaces the built-in");
                    available[i] = Available { plugin };
                }
                Some(i) => errors.push(LoadError {
                    plugin: plugin.name().to_string(),
                    source_desc: plugin.source().to_string(),
                    reason: format!("another file, {}, already provides a plugin with this name", available[i].plugin.source()),
                }),
                None => available.push(Available { plugin }),
            }
        }
        available
    }

    fn stage(
        &self,
        config: &Config,
        plugin: Arc<PluginComponent>,
        entry: Option<&PipelineEntry>,
        previous: Option<&Pipeline>,
    ) -> Result<Stage, LoadError> {
        let fail = |reason: String| LoadError {
            plugin: plugin.name().to_string(),
            source_desc: plugin.source().to_string(),
            reason,
        };
        // The rules engine is configured from the policies directory, whatever its source.
        let config_json = if plugin.name() == crate::policy::ENGINE_PLUGIN {
            config.policies.engine_config().to_string()
        } else {
            entry.and_then(|e| e.config.as_ref()).map(ToString::to_string).unwrap_or_else(|| "{}".into())
        };
        let limits = match entry {
            Some(e) => CallLimits {
                deadline: Duration::from_millis(e.deadline_ms),
                memory_bytes: usize::try_from(e.memory_mb << 20).unwrap_or(usize::MAX),
            },
            None => CallLimits::default(),
        };
        let phases = match entry.and_then(|e| e.phases.as_ref()) {
            Some(names) => names.iter().map(|p| phase(*p)).collect(),
            None => plugin.phases().to_vec(),
        };
        let reusable = previous.and_then(|p| {
            p.stages().find(|s| {
                Arc::ptr_eq(s.pool.plugin(), &plugin) && s.pool.config_json() == config_json && s.pool.limits() == limits
            })
        });
        let pool = match reusable {
            Some(stage) => Arc::clone(&stage.pool),
            None => Arc::new(
                InstancePool::new(
                    &self.engine,
                    Arc::clone(&plugin),
                    config_json,
                    limits,
                    Arc::clone(&self.state),
                    config.plugins.prewarm,
                    config.plugins.recycle_after,
                )
                .map_err(|e| fail(e.to_string()))?,
            ),
        };
        Ok(Stage {
            pool,
            phases,
            on_error: entry.map(|e| e.on_error).unwrap_or(OnError::Open),
            enabled: entry.is_none_or(|e| e.enabled),
        })
    }

    /// Drops cached components that the new pipeline no longer uses.
    fn forget_unused(&self, detectors: &[Stage], policies: &[Stage]) {
        let used: Vec<&str> = detectors.iter().chain(policies).map(|s| s.pool.plugin().sha256()).collect();
        self.components.lock().retain(|sha, _| used.contains(&sha.as_str()));
    }
}

/// Orders the available plugins: configured entries first, in their order,
/// then the rest in default order. Checks names and sha256 pins.
fn order(config: &Config, available: &[Available], errors: &mut Vec<LoadError>) -> Vec<(Arc<PluginComponent>, Option<PipelineEntry>)> {
    let mut ordered = Vec::new();
    for spanned in &config.pipeline {
        let entry = &spanned.value;
        let line = spanned.referenced.line();
        let Some(found) = available.iter().find(|a| a.plugin.name() == entry.name) else {
            let names: Vec<&str> = available.iter().map(|a| a.plugin.name()).collect();
            errors.push(LoadError {
                plugin: entry.name.clone(),
                source_desc: format!("pipeline entry at line {line}"),
                reason: format!("no such plugin; available: {}", if names.is_empty() { "none".into() } else { names.join(", ") }),
            });
            continue;
        };
        if let Some(pin) = &entry.sha256 {
            if !pin.eq_ignore_ascii_case(found.plugin.sha256()) {
                errors.push(LoadError {
                    plugin: entry.name.clone(),
                    source_desc: found.plugin.source().to_string(),
                    reason: format!(
                        "sha256 mismatch: the pipeline pins {pin} (line {line}) but the plugin is {}; refusing to load it",
                        found.plugin.sha256()
                    ),
                });
                continue;
            }
        }
        ordered.push((Arc::clone(&found.plugin), Some(entry.clone())));
    }
    for a in available {
        if !config.pipeline.iter().any(|e| e.value.name == a.plugin.name()) {
            ordered.push((Arc::clone(&a.plugin), None));
        }
    }
    ordered
}

fn phase(name: PhaseName) -> Phase {
    match name {
        PhaseName::Request => Phase::Request,
        PhaseName::Response => Phase::Response,
        PhaseName::ToolListing => Phase::ToolListing,
        PhaseName::ServerRequest => Phase::ServerRequest,
    }
}
