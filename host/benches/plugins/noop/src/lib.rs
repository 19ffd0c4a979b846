//! A detector that does nothing: measures the cost of crossing the Wasm boundary.
use warden_sdk::prelude::*;

pub struct Noop;

impl Detector for Noop {
    type Config = NoConfig;

    fn info() -> PluginInfo {
        PluginInfo::detector("bench-noop", "0.1.0", "Finds nothing (benchmark)")
    }

    fn new(_: NoConfig) -> Result<Self, String> {
        Ok(Noop)
    }

    fn scan(&self, _input: &ScanInput) -> Vec<Finding> {
        Vec::new()
    }
}

#[cfg(feature = "export")]
export_detector!(Noop);
