//! Pre-initialized components: a plugin configured once, then snapshotted.
//!
//! Configuring a plugin can be expensive — a regex-heavy detector compiles its
//! patterns in `configure`, which takes milliseconds in Wasm. Instead of paying
//! that for every fresh instance, the host configures one instance of an
//! instrumented copy of the component and snapshots its memory and globals
//! with wizer (`wasmtime-wizer`); instances of the snapshot start out
//! configured. The snapshot is compiled like any component and cached on disk,
//! keyed by the plugin's hash and the configuration.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasmtime::Store;
use wasmtime::component::{Component, Instance, WasmList};
use wasmtime_wizer::{ComponentInstanceState, Wizer};

use super::bindings;
use super::engine::{EPOCH_TICK, PluginEngine, sha256_hex};
use super::instance::HostState;
use super::plugin::{PluginComponent, PluginKind, PluginPre, link, linker_for};
use super::state::PluginStateStore;

/// How long `configure` may take while pre-initializing.
const CONFIGURE_DEADLINE: Duration = Duration::from_secs(10);

/// Why a plugin could not be pre-initialized (it then configures each instance).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PreinitError(String);

/// Configures `plugin` with `config_json` once and returns a pre-linked
/// component whose instances are already configured.
pub fn preinitialize(
    engine: &PluginEngine,
    plugin: &PluginComponent,
    config_json: &str,
    memory_cap: usize,
    state: &Arc<PluginStateStore>,
) -> Result<PluginPre, PreinitError> {
    let err = |what: &str, e: &dyn std::fmt::Display| PreinitError(format!("{what}: {e}"));
    let key = sha256_hex(format!("wizer\0{}\0{config_json}", plugin.sha256()).as_bytes());
    let snapshot = match engine.cached(&key) {
        Some(component) => component,
        None => {
            let bytes = snapshot(engine, plugin, config_json, memory_cap, state)?;
            engine.compile(&bytes, &key).map_err(|e| err("compiling the snapshot", &e))?
        }
    };
    link(engine.engine(), &snapshot, plugin.kind()).map_err(|e| err("linking the snapshot", &e))
}

fn snapshot(
    engine: &PluginEngine,
    plugin: &PluginComponent,
    config_json: &str,
    memory_cap: usize,
    state: &Arc<PluginStateStore>,
) -> Result<Vec<u8>, PreinitError> {
    let err = |what: &str, e: &dyn std::fmt::Display| PreinitError(format!("{what}: {e:#}"));
    let wizer = Wizer::new();
    let (cx, instrumented) = wizer.instrument_component(plugin.bytes()).map_err(|e| err("instrumenting", &e))?;
    let component = Component::new(engine.engine(), &instrumented).map_err(|e| err("compiling", &e))?;
    let linker = linker_for(engine.engine(), &component).map_err(|e| err("linking", &e))?;
    let mut store = Store::new(engine.engine(), HostState::new(plugin.name(), state, memory_cap));
    store.limiter(|host| host);
    store.epoch_deadline_trap();
    store.set_epoch_deadline((CONFIGURE_DEADLINE.as_millis() / EPOCH_TICK.as_millis().max(1)) as u64);
    let instance = linker.instantiate(&mut store, &component).map_err(|e| err("instantiating", &e))?;
    let configured = match plugin.kind() {
        PluginKind::Detector => bindings::detector::Detector::new(&mut store, &instance)
            .and_then(|d| d.warden_plugin_scanner().call_configure(&mut store, config_json)),
        PluginKind::Policy => bindings::policy::Policy::new(&mut store, &instance)
            .and_then(|p| p.warden_plugin_evaluator().call_configure(&mut store, config_json)),
    };
    match configured {
        Ok(Ok(())) => {}
        Ok(Err(message)) => return Err(PreinitError(format!("configure refused: {message}"))),
        Err(e) => return Err(err("configure trapped", &e)),
    }
    let mut access = SnapshotAccess { store: &mut store, instance };
    block_on(wizer.snapshot_component(&cx, &mut access)).map_err(|e| err("snapshotting", &e))
}

/// Reads the instrumented instance's state for wizer, with plain sync calls.
struct SnapshotAccess<'a> {
    store: &'a mut Store<HostState>,
    instance: Instance,
}

impl SnapshotAccess<'_> {
    fn call<R: wasmtime::component::ComponentType + wasmtime::component::Lift + Send + Sync + 'static>(
        &mut self,
        instance: &str,
        func: &str,
    ) -> Option<R> {
        let (_, outer) = self.instance.get_export(&mut *self.store, None, instance)?;
        let (_, index) = self.instance.get_export(&mut *self.store, Some(&outer), func)?;
        let typed = self.instance.get_typed_func::<(), (R,)>(&mut *self.store, index).ok()?;
        let (value,) = typed.call(&mut *self.store, ()).ok()?;
        Some(value)
    }
}

// Wizer calls these for every memory and global it snapshots; a failure here
// means the instrumented component is not the one we instrumented, which cannot
// happen, so a missing value snapshots as zero rather than panicking.
impl ComponentInstanceState for SnapshotAccess<'_> {
    fn call_func_ret_list_u8(
        &mut self,
        instance: &str,
        func: &str,
        contents: impl FnOnce(&[u8]) + Send,
    ) -> impl Future<Output = ()> + Send {
        if let Some(list) = self.call::<WasmList<u8>>(instance, func) {
            contents(list.as_le_slice(&*self.store));
        } else {
            contents(&[]);
        }
        std::future::ready(())
    }

    fn call_func_ret_s32(&mut self, instance: &str, func: &str) -> impl Future<Output = i32> + Send {
        std::future::ready(self.call::<i32>(instance, func).unwrap_or(0))
    }

    fn call_func_ret_s64(&mut self, instance: &str, func: &str) -> impl Future<Output = i64> + Send {
        std::future::ready(self.call::<i64>(instance, func).unwrap_or(0))
    }

    fn call_func_ret_f32(&mut self, instance: &str, func: &str) -> impl Future<Output = u32> + Send {
        std::future::ready(self.call::<f32>(instance, func).map(f32::to_bits).unwrap_or(0))
    }

    fn call_func_ret_f64(&mut self, instance: &str, func: &str) -> impl Future<Output = u64> + Send {
        std::future::ready(self.call::<f64>(instance, func).map(f64::to_bits).unwrap_or(0))
    }
}

/// Drives a future whose every await point is already ready (ours are).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}
