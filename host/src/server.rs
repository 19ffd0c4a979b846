//! The HTTP listener: health and readiness now; the MCP proxy, admin API,
//! metrics and dashboard mount here.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::config::Config;
use crate::pipeline::PipelineHandle;

/// Shared state of the HTTP handlers.
#[derive(Clone)]
pub struct AppState {
    pub pipeline: Arc<PipelineHandle>,
}

/// The gateway's routes.
pub fn router(state: AppState) -> Router {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).with_state(state)
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Ready once a pipeline is in force; lists it so operators can see reloads.
async fn readyz(State(state): State<AppState>) -> Json<serde_json::Value> {
    let pipeline = state.pipeline.current();
    let plugins: Vec<serde_json::Value> = pipeline
        .stages()
        .map(|s| json!({"name": s.name(), "sha256": s.pool.plugin().sha256(), "enabled": s.enabled}))
        .collect();
    Json(json!({"status": "ready", "pipeline": {"generation": pipeline.generation(), "plugins": plugins}}))
}

/// Runs the gateway until SIGINT/SIGTERM. SIGHUP reloads the pipeline.
pub fn serve(config: Config, config_path: Option<PathBuf>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(async move {
        let listen = config.listen;
        let watch = config.plugins.watch;
        let handle = crate::cli::start_pipeline(config, config_path)?;
        let _watcher = if watch { Some(handle.watch().context("watching the plugins directory")?) } else { None };
        spawn_sighup_reload(Arc::clone(&handle))?;
        let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
        let local: SocketAddr = listener.local_addr()?;
        tracing::info!(address = %local, plugins = handle.current().stages().count(), "warden listening");
        axum::serve(listener, router(AppState { pipeline: handle }).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")?;
        tracing::info!("warden stopped");
        Ok(())
    })
}

fn spawn_sighup_reload(handle: Arc<PipelineHandle>) -> Result<()> {
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).context("installing SIGHUP handler")?;
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            let handle = Arc::clone(&handle);
            let _ = tokio::task::spawn_blocking(move || handle.reload_and_log("SIGHUP")).await;
        }
    });
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
