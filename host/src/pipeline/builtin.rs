//! The built-in plugins, compiled to Wasm by `build.rs` and embedded.

include!(concat!(env!("OUT_DIR"), "/builtin_plugins.rs"));
