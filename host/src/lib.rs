//! Warden: an MCP security gateway whose detectors and policies are sandboxed
//! WebAssembly components.
//!
//! The modules follow the data path of `ARCHITECTURE.md` §3:
//! [`pipeline`] (Wasm engine, plugin loading, detector and policy runs,
//! decisions), [`policy`] (policy documents for the rules engine),
//! [`session`] (active sessions and their counters), [`audit`] (the
//! hash-chained audit trail), [`store`] (SQLite or PostgreSQL), [`metrics`]
//! (Prometheus), [`config`] (`warden.yaml`), [`server`] (the HTTP listener,
//! health and metrics endpoints) and [`cli`] (the `warden` command).

pub mod audit;
pub mod cli;
pub mod config;
pub mod eval;
pub mod metrics;
pub mod pipeline;
pub mod policy;
pub mod proxy;
pub mod scan;
pub mod server;
pub mod session;
pub mod store;
