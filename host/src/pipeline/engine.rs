//! The Wasm engine shared by every plugin: compilation (with an on-disk cache
//! of compiled components) and the epoch ticker that enforces call deadlines.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use super::PluginError;

/// Live plugin instances an engine can hold at once (warm pools of every
/// plugin, plus those of the previous pipeline during a reload). Instances are
/// called synchronously, so in-use ones never exceed the runtime's worker threads.
pub const MAX_INSTANCES: u32 = 256;

/// One epoch tick. Deadlines are rounded up to whole ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(1);

/// The engine plus its deadline ticker. Cheap to clone.
#[derive(Clone)]
pub struct PluginEngine {
    engine: Engine,
    cache_dir: Option<PathBuf>,
    _ticker: Arc<EpochTicker>,
}

impl PluginEngine {
    /// Creates the engine. `cache_dir`, when given, holds compiled components
    /// keyed by content hash and engine compatibility hash.
    pub fn new(cache_dir: Option<PathBuf>) -> Result<PluginEngine, PluginError> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        // Deadlines: the ticker bumps the epoch; a call past its deadline traps.
        config.epoch_interruption(true);
        config.parallel_compilation(true);
        // Plugins use no component-model async; turning it off makes each call cheaper.
        config.concurrency_support(false);
        // Pre-reserved instance slots: instantiating from a slot costs microseconds
        // instead of mapping fresh memory. The total bounds live instances; the
        // per-plugin memory cap is enforced by the store's limiter, not the slot size.
        let mut pool = PoolingAllocationConfig::default();
        pool.total_component_instances(MAX_INSTANCES)
            .total_core_instances(MAX_INSTANCES * 4)
            .total_memories(MAX_INSTANCES * 2)
            .total_tables(MAX_INSTANCES * 4);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = Engine::new(&config).map_err(|e| PluginError::Engine(e.to_string()))?;
        let ticker = Arc::new(EpochTicker::start(engine.clone())?);
        if let Some(dir) = &cache_dir {
            std::fs::create_dir_all(dir).map_err(|e| PluginError::Cache { path: dir.clone(), reason: e.to_string() })?;
        }
        Ok(PluginEngine { engine, cache_dir, _ticker: ticker })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Compiles a component, or loads it from the cache. `sha256` is the hex
    /// digest of `bytes`.
    pub fn compile(&self, bytes: &[u8], sha256: &str) -> Result<Component, PluginError> {
        let cached = self.cache_path(sha256);
        if let Some(path) = &cached {
            if path.exists() {
                // SAFETY: only files this host wrote (below) live in its cache
                // directory, named by the content hash and engine compatibility
                // hash, so they are artifacts of this very engine configuration.
                match unsafe { Component::deserialize_file(&self.engine, path) } {
                    Ok(component) => return Ok(component),
                    Err(e) => tracing::warn!(path = %path.display(), error = %e, "discarding unusable cached component"),
                }
            }
        }
        let component = Component::new(&self.engine, bytes).map_err(|e| PluginError::Invalid(format!("{e:#}")))?;
        if let Some(path) = &cached {
            if let Err(e) = write_atomically(path, &component) {
                tracing::warn!(path = %path.display(), error = %e, "cannot cache compiled component");
            }
        }
        Ok(component)
    }

    /// A component compiled earlier under `key`, if the disk cache has it.
    pub fn cached(&self, key: &str) -> Option<Component> {
        let path = self.cache_path(key)?;
        if !path.exists() {
            return None;
        }
        // SAFETY: as in `compile`: only this host's own artifacts live in its cache.
        unsafe { Component::deserialize_file(&self.engine, &path) }.ok()
    }

    fn cache_path(&self, sha256: &str) -> Option<PathBuf> {
        let dir = self.cache_dir.as_ref()?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut hasher);
        let compat = hasher.finish();
        Some(dir.join(format!("{sha256}-{compat:016x}.cwasm")))
    }
}

fn write_atomically(path: &Path, component: &Component) -> Result<(), String> {
    let bytes = component.serialize().map_err(|e| e.to_string())?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| e.to_string())
}

/// Hex SHA-256 of a plugin file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A thread that advances the engine's epoch every [`EPOCH_TICK`].
struct EpochTicker {
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: Engine) -> Result<EpochTicker, PluginError> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        // Without the ticker deadlines never fire: failing to start it is fatal.
        std::thread::Builder::new()
            .name("warden-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    engine.increment_epoch();
                }
            })
            .map_err(|e| PluginError::Engine(format!("cannot start the epoch ticker thread: {e}")))?;
        Ok(EpochTicker { stop })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
