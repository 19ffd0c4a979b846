//! The `Policy` trait and its export macro.

use std::cell::RefCell;

use serde::de::DeserializeOwned;

use crate::detector::parse_config;
use crate::types::{Decision, PluginInfo, PolicyInput};

/// A policy: turns a message's context and findings into decisions.
pub trait Policy: Sized + 'static {
    /// The plugin's configuration (see [`Detector::Config`](crate::Detector::Config)).
    type Config: DeserializeOwned + Default;

    /// Name, version and rule count.
    fn info() -> PluginInfo;

    /// Builds the policy from its configuration.
    fn new(config: Self::Config) -> Result<Self, String>;

    /// One decision per policy that has an opinion on this message; an empty
    /// list means no opinion. The host combines every policy's decisions; the
    /// most restrictive action wins.
    fn evaluate(&self, input: &PolicyInput) -> Vec<Decision>;
}

#[doc(hidden)]
pub fn __info<T: Policy>() -> PluginInfo {
    crate::log::install_panic_hook();
    T::info()
}

#[doc(hidden)]
pub fn __configure<T: Policy>(slot: &RefCell<Option<T>>, config_json: &str) -> Result<(), String> {
    crate::log::install_panic_hook();
    let plugin = T::new(parse_config(config_json)?)?;
    *slot.borrow_mut() = Some(plugin);
    Ok(())
}

#[doc(hidden)]
pub fn __evaluate<T: Policy>(slot: &RefCell<Option<T>>, input: &PolicyInput) -> Vec<Decision> {
    if slot.borrow().is_none() {
        if let Err(e) = __configure(slot, "{}") {
            crate::log::error(&format!("evaluate called before configure, and the default configuration failed: {e}"));
            return Vec::new();
        }
    }
    match slot.borrow().as_ref() {
        Some(plugin) => plugin.evaluate(input),
        None => Vec::new(),
    }
}

/// Exports a [`Policy`] implementation as the plugin's `policy` world.
#[macro_export]
macro_rules! export_policy {
    ($plugin:ty) => {
        const _: () = {
            struct WardenPolicyExport;

            ::std::thread_local! {
                static PLUGIN: ::std::cell::RefCell<::std::option::Option<$plugin>> =
                    const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }

            impl $crate::__bindings::policy::exports::warden::plugin::evaluator::Guest for WardenPolicyExport {
                fn info() -> $crate::PluginInfo {
                    $crate::policy::__info::<$plugin>()
                }
                fn configure(config_json: ::std::string::String) -> ::std::result::Result<(), ::std::string::String> {
                    PLUGIN.with(|slot| $crate::policy::__configure::<$plugin>(slot, &config_json))
                }
                fn evaluate(input: $crate::PolicyInput) -> ::std::vec::Vec<$crate::Decision> {
                    PLUGIN.with(|slot| $crate::policy::__evaluate::<$plugin>(slot, &input))
                }
            }

            #[cfg(target_arch = "wasm32")]
            $crate::__bindings::policy::__export_policy_world!(WardenPolicyExport with_types_in $crate::__bindings::policy);
        };
    };
}
