//! Sandboxed plugin instances and their warm pool.
//!
//! Life of an instance: instantiated from the plugin's pre-linked component
//! (no WASI: unknown imports trap), configured once, then reused for many
//! calls. Each call runs under an epoch deadline and a memory cap. An instance
//! that traps is dead and is discarded; a healthy one is recycled after
//! `recycle_after` calls so long-lived guest heaps cannot grow without bound.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use wasmtime::{ResourceLimiter, Store, Trap};

use super::bindings::{self, Decision, Finding, PolicyInput, ScanInput, log, state};
use super::engine::{EPOCH_TICK, PluginEngine};
use super::preinit::preinitialize;
use super::plugin::{PluginComponent, PluginPre};
use super::state::{PluginStateStore, StateScope};

/// Per-call limits of one plugin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallLimits {
    pub deadline: Duration,
    pub memory_bytes: usize,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits { deadline: Duration::from_millis(100), memory_bytes: 64 << 20 }
    }
}

/// Log lines a plugin may write per call; the rest are counted and dropped.
const MAX_LOG_LINES_PER_CALL: u32 = 32;
const MAX_LOG_LINE_BYTES: usize = 2048;

/// How a plugin call failed. Every variant is contained: the gateway goes on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PluginCallError {
    #[error("exceeded its deadline of {0:?}")]
    Timeout(Duration),
    #[error("exceeded its memory cap of {} MiB", .0 >> 20)]
    MemoryExhausted(usize),
    #[error("trapped: {0}")]
    Trap(String),
    #[error("returned a malformed result: {0}")]
    Malformed(String),
    #[error("could not be instantiated: {0}")]
    Instantiate(String),
    #[error("rejected its configuration: {0}")]
    Configure(String),
}

impl PluginCallError {
    /// A short machine-readable kind, used as a metric label.
    pub fn kind(&self) -> &'static str {
        match self {
            PluginCallError::Timeout(_) => "timeout",
            PluginCallError::MemoryExhausted(_) => "memory",
            PluginCallError::Trap(_) => "trap",
            PluginCallError::Malformed(_) => "malformed",
            PluginCallError::Instantiate(_) => "instantiate",
            PluginCallError::Configure(_) => "configure",
        }
    }
}

/// What the host gives an instance: its name, the state store and its limits.
pub struct HostState {
    plugin: Arc<str>,
    session: String,
    store: Arc<PluginStateStore>,
    memory_cap: usize,
    memory_exhausted: bool,
    log_lines: u32,
}

impl HostState {
    pub(crate) fn new(plugin: &str, store: &Arc<PluginStateStore>, memory_cap: usize) -> HostState {
        HostState {
            plugin: Arc::from(plugin),
            session: String::new(),
            store: Arc::clone(store),
            memory_cap,
            memory_exhausted: false,
            log_lines: 0,
        }
    }

    fn scope(&self, scope: state::Scope) -> StateScope {
        match scope {
            state::Scope::Session => StateScope::Session(self.session.clone()),
            state::Scope::Global => StateScope::Global,
        }
    }
}

impl ResourceLimiter for HostState {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_cap {
            self.memory_exhausted = true;
            wasmtime::bail!("memory cap of {} bytes exceeded (wanted {desired})", self.memory_cap);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

impl bindings::detector::warden::plugin::types::Host for HostState {}

impl state::Host for HostState {
    fn get(&mut self, scope: state::Scope, key: String) -> wasmtime::Result<Option<String>> {
        Ok(self.store.get(&self.plugin, self.scope(scope), &key))
    }

    fn set(&mut self, scope: state::Scope, key: String, value: String, ttl_ms: Option<u64>) -> wasmtime::Result<()> {
        let scope = self.scope(scope);
        self.store.set(&self.plugin, scope, &key, &value, ttl_ms).map_err(wasmtime::Error::msg)
    }

    fn delete(&mut self, scope: state::Scope, key: String) -> wasmtime::Result<()> {
        self.store.delete(&self.plugin, self.scope(scope), &key);
        Ok(())
    }

    fn increment(&mut self, scope: state::Scope, key: String, delta: i64, ttl_ms: Option<u64>) -> wasmtime::Result<i64> {
        let scope = self.scope(scope);
        self.store.increment(&self.plugin, scope, &key, delta, ttl_ms).map_err(wasmtime::Error::msg)
    }
}

impl log::Host for HostState {
    fn log(&mut self, level: log::Level, message: String) -> wasmtime::Result<()> {
        self.log_lines += 1;
        if self.log_lines > MAX_LOG_LINES_PER_CALL {
            return Ok(());
        }
        let mut message = message;
        if message.len() > MAX_LOG_LINE_BYTES {
            let mut cut = MAX_LOG_LINE_BYTES;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
            message.push_str("…");
        }
        let plugin = &*self.plugin;
        match level {
            log::Level::Trace => tracing::trace!(plugin, "{message}"),
            log::Level::Debug => tracing::debug!(plugin, "{message}"),
            log::Level::Info => tracing::info!(plugin, "{message}"),
            log::Level::Warn => tracing::warn!(plugin, "{message}"),
            log::Level::Error => tracing::error!(plugin, "{message}"),
        }
        Ok(())
    }
}

enum Exports {
    Detector(bindings::detector::Detector),
    Policy(bindings::policy::Policy),
}

/// One live, configured instance of a plugin.
pub struct PluginInstance {
    store: Store<HostState>,
    exports: Exports,
    calls: u32,
}

/// Instantiates and configures a fresh instance. With `preinitialized`, the
/// instance comes from the configured snapshot and `configure` is skipped.
pub fn instantiate(
    plugin: &PluginComponent,
    preinitialized: Option<&PluginPre>,
    config_json: &str,
    limits: CallLimits,
    state: &Arc<PluginStateStore>,
) -> Result<PluginInstance, PluginCallError> {
    let host = HostState {
        plugin: Arc::from(plugin.name()),
        session: String::new(),
        store: Arc::clone(state),
        memory_cap: limits.memory_bytes,
        memory_exhausted: false,
        log_lines: 0,
    };
    let mut store = Store::new(plugin.engine(), host);
    store.limiter(|host| host);
    store.epoch_deadline_trap();
    store.set_epoch_deadline(deadline_ticks(limits.deadline));
    let exports = match preinitialized.unwrap_or(plugin.pre()) {
        PluginPre::Detector(pre) => pre.instantiate(&mut store).map(Exports::Detector),
        PluginPre::Policy(pre) => pre.instantiate(&mut store).map(Exports::Policy),
    }
    .map_err(|e| classify(&e, &store, limits, PluginCallError::Instantiate(format!("{e:#}"))))?;
    let mut instance = PluginInstance { store, exports, calls: 0 };
    if preinitialized.is_some() {
        return Ok(instance);
    }
    let configured = match &instance.exports {
        Exports::Detector(d) => d.warden_plugin_scanner().call_configure(&mut instance.store, config_json),
        Exports::Policy(p) => p.warden_plugin_evaluator().call_configure(&mut instance.store, config_json),
    };
    match configured {
        Ok(Ok(())) => Ok(instance),
        Ok(Err(message)) => Err(PluginCallError::Configure(message)),
        Err(e) => Err(classify(&e, &instance.store, limits, PluginCallError::Configure(format!("{e:#}")))),
    }
}

/// Calls `info()` on a fresh, unconfigured instance.
pub fn read_info(plugin: &PluginComponent, state: &Arc<PluginStateStore>) -> Result<bindings::PluginInfo, PluginCallError> {
    let limits = CallLimits::default();
    let host = HostState {
        plugin: Arc::from("(loading)"),
        session: String::new(),
        store: Arc::clone(state),
        memory_cap: limits.memory_bytes,
        memory_exhausted: false,
        log_lines: 0,
    };
    let mut store = Store::new(plugin.engine(), host);
    store.limiter(|host| host);
    store.epoch_deadline_trap();
    store.set_epoch_deadline(deadline_ticks(limits.deadline));
    let info = match plugin.pre() {
        PluginPre::Detector(pre) => pre
            .instantiate(&mut store)
            .and_then(|d| d.warden_plugin_scanner().call_info(&mut store)),
        PluginPre::Policy(pre) => pre
            .instantiate(&mut store)
            .and_then(|p| p.warden_plugin_evaluator().call_info(&mut store)),
    };
    info.map_err(|e| classify(&e, &store, limits, PluginCallError::Trap(format!("{e:#}"))))
}

fn deadline_ticks(deadline: Duration) -> u64 {
    let tick = EPOCH_TICK.as_micros().max(1);
    (deadline.as_micros().div_ceil(tick) as u64).max(1)
}

/// Turns a wasmtime error into the failure it represents.
fn classify(error: &wasmtime::Error, store: &Store<HostState>, limits: CallLimits, otherwise: PluginCallError) -> PluginCallError {
    if store.data().memory_exhausted {
        return PluginCallError::MemoryExhausted(limits.memory_bytes);
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => PluginCallError::Timeout(limits.deadline),
        Some(_) => PluginCallError::Trap(format!("{error:#}")),
        None => otherwise,
    }
}

impl PluginInstance {
    fn prepare(&mut self, session: &str, limits: CallLimits) {
        let host = self.store.data_mut();
        host.session.clear();
        host.session.push_str(session);
        host.log_lines = 0;
        self.store.set_epoch_deadline(deadline_ticks(limits.deadline));
        self.calls += 1;
    }

    fn finish(&mut self) {
        let host = self.store.data();
        if host.log_lines > MAX_LOG_LINES_PER_CALL {
            tracing::warn!(plugin = %host.plugin, dropped = host.log_lines - MAX_LOG_LINES_PER_CALL, "plugin log lines dropped");
        }
    }

    fn scan(&mut self, input: &ScanInput, limits: CallLimits) -> Result<Vec<Finding>, PluginCallError> {
        self.prepare(&input.context.session_id, limits);
        let result = match &self.exports {
            Exports::Detector(d) => d.warden_plugin_scanner().call_scan(&mut self.store, input),
            Exports::Policy(_) => return Err(PluginCallError::Malformed("a policy plugin cannot scan".into())),
        };
        self.finish();
        result.map_err(|e| classify(&e, &self.store, limits, PluginCallError::Trap(format!("{e:#}"))))
    }

    fn evaluate(&mut self, input: &PolicyInput, limits: CallLimits) -> Result<Vec<Decision>, PluginCallError> {
        self.prepare(&input.context.session_id, limits);
        let result = match &self.exports {
            Exports::Policy(p) => p.warden_plugin_evaluator().call_evaluate(&mut self.store, input),
            Exports::Detector(_) => return Err(PluginCallError::Malformed("a detector plugin cannot evaluate".into())),
        };
        self.finish();
        result.map_err(|e| classify(&e, &self.store, limits, PluginCallError::Trap(format!("{e:#}"))))
    }
}

/// Warm, configured instances of one plugin with one configuration.
pub struct InstancePool {
    plugin: Arc<PluginComponent>,
    preinitialized: Option<PluginPre>,
    config_json: String,
    limits: CallLimits,
    state: Arc<PluginStateStore>,
    idle: Mutex<Vec<PluginInstance>>,
    max_idle: usize,
    recycle_after: u32,
}

impl InstancePool {
    /// Creates a pool: pre-initializes the plugin with its configuration when
    /// it can (see [`super::preinit`]), then proves the configuration by
    /// building `prewarm` instances (at least one).
    pub fn new(
        engine: &PluginEngine,
        plugin: Arc<PluginComponent>,
        config_json: String,
        limits: CallLimits,
        state: Arc<PluginStateStore>,
        prewarm: usize,
        recycle_after: u32,
    ) -> Result<InstancePool, PluginCallError> {
        let preinitialized = match preinitialize(engine, &plugin, &config_json, limits.memory_bytes, &state) {
            Ok(pre) => Some(pre),
            Err(e) => {
                tracing::warn!(plugin = plugin.name(), reason = %e, "cannot pre-initialize; each new instance will be configured");
                None
            }
        };
        let pool = InstancePool {
            plugin,
            preinitialized,
            config_json,
            limits,
            state,
            idle: Mutex::new(Vec::new()),
            max_idle: prewarm.max(1) * 2,
            recycle_after: recycle_after.max(1),
        };
        let mut warm = Vec::with_capacity(prewarm.max(1));
        for _ in 0..prewarm.max(1) {
            warm.push(pool.fresh()?);
        }
        *pool.idle.lock() = warm;
        Ok(pool)
    }

    pub fn plugin(&self) -> &Arc<PluginComponent> {
        &self.plugin
    }

    pub fn config_json(&self) -> &str {
        &self.config_json
    }

    pub fn limits(&self) -> CallLimits {
        self.limits
    }

    /// Whether fresh instances come from a configured snapshot.
    pub fn is_preinitialized(&self) -> bool {
        self.preinitialized.is_some()
    }

    /// Number of idle instances (for tests and metrics).
    pub fn idle_count(&self) -> usize {
        self.idle.lock().len()
    }

    /// A fresh configured instance, bypassing the pool (benchmarks).
    pub fn fresh(&self) -> Result<PluginInstance, PluginCallError> {
        instantiate(&self.plugin, self.preinitialized.as_ref(), &self.config_json, self.limits, &self.state)
    }

    fn acquire(&self) -> Result<PluginInstance, PluginCallError> {
        let idle = self.idle.lock().pop();
        match idle {
            Some(instance) => Ok(instance),
            None => self.fresh(),
        }
    }

    fn release(&self, instance: PluginInstance) {
        if instance.calls >= self.recycle_after {
            return;
        }
        let mut idle = self.idle.lock();
        if idle.len() < self.max_idle {
            idle.push(instance);
        }
    }

    /// Scans with a pooled instance. A failed instance is discarded.
    pub fn scan(&self, input: &ScanInput) -> Result<Vec<Finding>, PluginCallError> {
        let mut instance = self.acquire()?;
        let result = instance.scan(input, self.limits);
        if result.is_ok() {
            self.release(instance);
        }
        result
    }

    /// Evaluates with a pooled instance. A failed instance is discarded.
    pub fn evaluate(&self, input: &PolicyInput) -> Result<Vec<Decision>, PluginCallError> {
        let mut instance = self.acquire()?;
        let result = instance.evaluate(input, self.limits);
        if result.is_ok() {
            self.release(instance);
        }
        result
    }
}

impl PluginInstance {
    /// Runs one scan on this instance (benchmarks of the instance strategy).
    pub fn scan_once(&mut self, input: &ScanInput, limits: CallLimits) -> Result<Vec<Finding>, PluginCallError> {
        self.scan(input, limits)
    }
}
