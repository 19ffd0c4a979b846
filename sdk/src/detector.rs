//! The `Detector` trait and its export macro.

use std::cell::RefCell;

use serde::de::DeserializeOwned;

use crate::types::{Finding, PluginInfo, ScanInput};

/// A detector: inspects one message and reports findings.
///
/// The host creates several instances of a plugin and calls [`Detector::new`]
/// once in each with the plugin's `config:` from the pipeline YAML. Instances
/// share nothing but the host [`state`](crate::state).
pub trait Detector: Sized + 'static {
    /// The plugin's configuration, deserialized from the pipeline YAML's `config:`
    /// (use [`NoConfig`](crate::NoConfig) for none). Missing config gives `Default`.
    type Config: DeserializeOwned + Default;

    /// Name, version, categories, phases and rule count.
    fn info() -> PluginInfo;

    /// Builds the detector. Compile patterns here, not in `scan`. An error
    /// refuses the plugin; the message is shown to the operator.
    fn new(config: Self::Config) -> Result<Self, String>;

    /// Scans one message. Must not panic on any input.
    fn scan(&self, input: &ScanInput) -> Vec<Finding>;
}

/// Parses a plugin's JSON configuration; empty or `null` gives the default.
pub fn parse_config<C: DeserializeOwned + Default>(config_json: &str) -> Result<C, String> {
    let trimmed = config_json.trim();
    if trimmed.is_empty() || trimmed == "null" {
        return Ok(C::default());
    }
    serde_json::from_str(trimmed).map_err(|e| format!("invalid configuration: {e}"))
}

#[doc(hidden)]
pub fn __info<T: Detector>() -> PluginInfo {
    crate::log::install_panic_hook();
    T::info()
}

#[doc(hidden)]
pub fn __configure<T: Detector>(slot: &RefCell<Option<T>>, config_json: &str) -> Result<(), String> {
    crate::log::install_panic_hook();
    let plugin = T::new(parse_config(config_json)?)?;
    *slot.borrow_mut() = Some(plugin);
    Ok(())
}

#[doc(hidden)]
pub fn __scan<T: Detector>(slot: &RefCell<Option<T>>, input: &ScanInput) -> Vec<Finding> {
    if slot.borrow().is_none() {
        if let Err(e) = __configure(slot, "{}") {
            crate::log::error(&format!("scan called before configure, and the default configuration failed: {e}"));
            return Vec::new();
        }
    }
    match slot.borrow().as_ref() {
        Some(plugin) => plugin.scan(input),
        None => Vec::new(),
    }
}

/// Exports a [`Detector`] implementation as the plugin's `detector` world.
/// Use it once per crate, at the top level.
#[macro_export]
macro_rules! export_detector {
    ($plugin:ty) => {
        const _: () = {
            struct WardenDetectorExport;

            ::std::thread_local! {
                static PLUGIN: ::std::cell::RefCell<::std::option::Option<$plugin>> =
                    const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }

            impl $crate::__bindings::detector::exports::warden::plugin::scanner::Guest for WardenDetectorExport {
                fn info() -> $crate::PluginInfo {
                    $crate::detector::__info::<$plugin>()
                }
                fn configure(config_json: ::std::string::String) -> ::std::result::Result<(), ::std::string::String> {
                    PLUGIN.with(|slot| $crate::detector::__configure::<$plugin>(slot, &config_json))
                }
                fn scan(input: $crate::ScanInput) -> ::std::vec::Vec<$crate::Finding> {
                    PLUGIN.with(|slot| $crate::detector::__scan::<$plugin>(slot, &input))
                }
            }

            // Native builds (tests) export nothing: the symbol names are only valid in Wasm.
            #[cfg(target_arch = "wasm32")]
            $crate::__bindings::detector::__export_detector_world!(WardenDetectorExport with_types_in $crate::__bindings::detector);
        };
    };
}
