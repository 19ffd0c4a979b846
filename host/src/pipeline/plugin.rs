//! A loaded plugin: its bytes' hash, compiled component, world and `info()`.

use std::path::PathBuf;
use std::sync::Arc;

use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, Linker};
use wasmtime::Engine;

use super::bindings::{self, DETECTOR_EXPORT, POLICY_EXPORT, Phase, PluginInfo};
use super::engine::{PluginEngine, sha256_hex};
use super::instance::{HostState, read_info};
use super::state::PluginStateStore;
use super::PluginError;

/// Which world a plugin implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PluginKind {
    Detector,
    Policy,
}

/// Where a plugin came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSource {
    /// Compiled into the binary.
    BuiltIn,
    /// A `.wasm` file in the plugins directory.
    File(PathBuf),
}

impl std::fmt::Display for PluginSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginSource::BuiltIn => f.write_str("built-in"),
            PluginSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Pre-linked component of either world, ready to instantiate cheaply.
pub enum PluginPre {
    Detector(bindings::detector::DetectorPre<HostState>),
    Policy(bindings::policy::PolicyPre<HostState>),
}

/// A compiled, validated plugin. Shared by every pipeline that uses it.
pub struct PluginComponent {
    info: PluginInfo,
    kind: PluginKind,
    sha256: String,
    source: PluginSource,
    engine: Engine,
    pre: PluginPre,
    bytes: std::sync::Arc<[u8]>,
}

impl PluginComponent {
    /// Compiles (or loads from cache), identifies the world, links it with no
    /// WASI capability and reads its `info()`.
    pub fn load(
        engine: &PluginEngine,
        bytes: std::sync::Arc<[u8]>,
        source: PluginSource,
        state: &Arc<PluginStateStore>,
    ) -> Result<PluginComponent, PluginError> {
        if !looks_like_wasm(&bytes) {
            return Err(PluginError::Invalid("not a WebAssembly file (bad magic number)".into()));
        }
        let sha256 = sha256_hex(&bytes);
        let component = engine.compile(&bytes, &sha256)?;
        let kind = world_of(engine.engine(), &component)?;
        let pre = link(engine.engine(), &component, kind)?;
        let mut plugin = PluginComponent {
            info: PluginInfo {
                name: String::new(),
                version: String::new(),
                description: String::new(),
                categories: Vec::new(),
                phases: Vec::new(),
                rule_count: 0,
            },
            kind,
            sha256,
            source,
            engine: engine.engine().clone(),
            pre,
            bytes,
        };
        let info = read_info(&plugin, state).map_err(|e| PluginError::Invalid(format!("info() failed: {e}")))?;
        validate_info(&info)?;
        plugin.info = info;
        Ok(plugin)
    }

    pub fn name(&self) -> &str {
        &self.info.name
    }

    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    pub fn kind(&self) -> PluginKind {
        self.kind
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn source(&self) -> &PluginSource {
        &self.source
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn pre(&self) -> &PluginPre {
        &self.pre
    }

    /// The component's bytes as loaded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Phases the plugin asked for in `info()`.
    pub fn phases(&self) -> &[Phase] {
        &self.info.phases
    }
}

fn looks_like_wasm(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\0asm")
}

/// Finds which Warden world the component exports, with a clear error otherwise.
fn world_of(engine: &Engine, component: &Component) -> Result<PluginKind, PluginError> {
    let ty = component.component_type();
    let exports: Vec<String> = ty.exports(engine).map(|(name, _)| name.to_string()).collect();
    let has = |name: &str| exports.iter().any(|e| e == name);
    match (has(DETECTOR_EXPORT), has(POLICY_EXPORT)) {
        (true, false) => return Ok(PluginKind::Detector),
        (false, true) => return Ok(PluginKind::Policy),
        (true, true) => {
            return Err(PluginError::Invalid("exports both the detector and the policy interface; a plugin is one or the other".into()));
        }
        (false, false) => {}
    }
    if let Some(other) = exports.iter().find(|e| e.starts_with("warden:plugin/")) {
        return Err(PluginError::Invalid(format!(
            "built for another contract version ({other}); this host supports warden:plugin@0.1.0"
        )));
    }
    let listed = if exports.is_empty() { "nothing".to_string() } else { exports.join(", ") };
    Err(PluginError::Invalid(format!(
        "not a Warden plugin: it exports {listed}, expected {DETECTOR_EXPORT} (detector world) or {POLICY_EXPORT} (policy world)"
    )))
}

/// Links the Warden imports. Every other import — all of WASI — traps when
/// called, except the insecure random seed that Rust's std needs for HashMap
/// (harmless: it grants no capability).
pub(crate) fn link(engine: &Engine, component: &Component, kind: PluginKind) -> Result<PluginPre, PluginError> {
    let linker = linker_for(engine, component)?;
    let err = |e: wasmtime::Error| PluginError::Invalid(format!("cannot link: {e:#}"));
    let instance_pre = linker.instantiate_pre(component).map_err(err)?;
    match kind {
        PluginKind::Detector => bindings::detector::DetectorPre::new(instance_pre).map(PluginPre::Detector),
        PluginKind::Policy => bindings::policy::PolicyPre::new(instance_pre).map(PluginPre::Policy),
    }
    .map_err(|e| PluginError::Invalid(format!("does not match its world: {e:#}")))
}

/// The linker of one component: Warden's imports, the insecure seed, and a trap
/// for every other import.
pub(crate) fn linker_for(engine: &Engine, component: &Component) -> Result<Linker<HostState>, PluginError> {
    let mut linker: Linker<HostState> = Linker::new(engine);
    let err = |e: wasmtime::Error| PluginError::Invalid(format!("cannot link: {e:#}"));
    bindings::detector::Detector::add_to_linker::<_, wasmtime::component::HasSelf<HostState>>(&mut linker, |s| s)
        .map_err(err)?;
    for (name, item) in component.component_type().imports(engine) {
        if name.starts_with("wasi:random/insecure-seed@") {
            if let ComponentItem::ComponentInstance(_) = item.ty {
                let mut instance = linker.instance(name).map_err(err)?;
                instance
                    // One result, a tuple<u64, u64>: a 1-tuple holding the pair.
                    .func_wrap("insecure-seed", |_store, (): ()| Ok((insecure_seed(),)))
                    .map_err(err)?;
            }
        }
    }
    linker.define_unknown_imports_as_traps(component).map_err(err)?;
    Ok(linker)
}

fn insecure_seed() -> (u64, u64) {
    // Seeds guest hash maps; not a secret and not a capability.
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let mut a = state.build_hasher();
    a.write_u8(1);
    let mut b = state.build_hasher();
    b.write_u8(2);
    (a.finish(), b.finish())
}

fn validate_info(info: &PluginInfo) -> Result<(), PluginError> {
    let valid = !info.name.is_empty()
        && info.name.len() <= 64
        && info.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !info.name.starts_with('-');
    if !valid {
        return Err(PluginError::Invalid(format!(
            "info().name {:?} is not a valid plugin name ([a-z0-9-], 1 to 64 characters)",
            info.name
        )));
    }
    if info.version.len() > 64 || info.description.len() > 1024 || info.categories.len() > 64 {
        return Err(PluginError::Invalid("info() fields are too long".into()));
    }
    Ok(())
}
