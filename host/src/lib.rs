//! Warden: an MCP security gateway whose detectors and policies are sandboxed
//! WebAssembly components.
//!
//! The modules follow the data path of `ARCHITECTURE.md` §3:
//! [`pipeline`] (Wasm engine, plugin loading, detector and policy runs,
//! decisions), [`config`] (`warden.yaml`), [`server`] (the HTTP listener and
//! health endpoints) and [`cli`] (the `warden` command).

pub mod cli;
pub mod config;
pub mod pipeline;
pub mod proxy;
pub mod scan;
pub mod server;
