//! # warden-sdk
//!
//! Write [Warden](https://github.com/warden-mcp/warden) detector and policy plugins in Rust.
//! A plugin is a WebAssembly component built for `wasm32-wasip2`; Warden loads it
//! into a sandbox with no files, network, environment or clock.
//!
//! ```ignore
//! use warden_sdk::prelude::*;
//!
//! #[derive(Default)]
//! struct Shouting;
//!
//! impl Detector for Shouting {
//!     type Config = NoConfig;
//!     fn info() -> PluginInfo {
//!         PluginInfo::detector("shouting", "0.1.0", "Flags all-caps text").categories(["style"])
//!     }
//!     fn new(_: NoConfig) -> Result<Self, String> { Ok(Shouting) }
//!     fn scan(&self, input: &ScanInput) -> Vec<Finding> {
//!         input.texts.iter().enumerate()
//!             .filter(|(_, t)| t.value.len() > 8 && t.value == t.value.to_uppercase())
//!             .map(|(i, t)| Finding::new("style", "shouting.all-caps", Severity::Low)
//!                 .message("text is all caps").span(i, 0..t.value.len()))
//!             .collect()
//!     }
//! }
//! export_detector!(Shouting);
//! ```
//!
//! The same code runs natively in tests through [`testing::Harness`].

// The README's example is compiled as a doctest, so it cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

// The generated export macros refer to `::warden_sdk`, also from inside this crate.
extern crate self as warden_sdk;

#[doc(hidden)]
pub mod bindings;
pub mod detector;
pub mod json;
pub mod log;
pub mod policy;
pub mod state;
pub mod testing;
mod types;

#[doc(hidden)]
pub use bindings as __bindings;
#[doc(hidden)]
pub use wit_bindgen::rt as __rt;

pub use detector::Detector;
pub use policy::Policy;
pub use types::*;

/// The WIT package version this sdk implements.
pub const CONTRACT_VERSION: &str = "warden:plugin@0.1.0";

/// Everything a plugin usually needs.
pub mod prelude {
    pub use crate::detector::Detector;
    pub use crate::policy::Policy;
    pub use crate::state::{self, Scope};
    pub use crate::types::*;
    pub use crate::{export_detector, export_policy};
}
