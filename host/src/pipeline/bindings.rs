//! Host-side bindings for the two plugin worlds of `wit/plugin.wit`.

/// The `detector` world; also defines the shared `types`, `state` and `log` interfaces.
pub mod detector {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "detector",
        // Host functions may trap the guest (e.g. a state quota exceeded).
        imports: { default: trappable },
    });
}

/// The `policy` world, reusing the detector world's shared interfaces.
pub mod policy {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "policy",
        with: {
            "warden:plugin/types": super::detector::warden::plugin::types,
            "warden:plugin/state": super::detector::warden::plugin::state,
            "warden:plugin/log": super::detector::warden::plugin::log,
        },
    });
}

pub use detector::warden::plugin::types::{
    Action, Agent, AttributedFinding, CallContext, Decision, Finding, MaskSpec, Phase, PluginInfo, PolicyInput,
    RateSpec, ScanInput, Severity, Span, Text,
};
pub use detector::warden::plugin::{log, state};

/// Export names that identify a component's world (and contract version).
pub const DETECTOR_EXPORT: &str = "warden:plugin/scanner@0.1.0";
pub const POLICY_EXPORT: &str = "warden:plugin/evaluator@0.1.0";
