//! The HTTP listener: health and readiness, and the MCP proxy's endpoints
//! (`/mcp`, `/mcp/{server}`, `/sse`, `/sse/{server}`); the admin API,
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
use crate::proxy::Proxy;

/// Shared state of the HTTP handlers.
#[derive(Clone)]
pub struct AppState {
    pub pipeline: Arc<PipelineHandle>,
    pub proxy: Arc<Proxy>,
}

/// The gateway's routes.
pub fn router(state: AppState) -> Router {
    let proxy = Arc::clone(&state.proxy);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(crate::proxy::downstream::routes(proxy))
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
        let proxy_config = config.clone();
        let handle = crate::cli::start_pipeline(config, config_path)?;
        let proxy = Proxy::new(Arc::clone(&handle), &proxy_config).context("preparing the MCP servers")?;
        proxy.spawn_reaper();
        let _watcher = if watch { Some(handle.watch().context("watching the plugins directory")?) } else { None };
        spawn_sighup_reload(Arc::clone(&handle))?;
        let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
        let local: SocketAddr = listener.local_addr()?;
        // Small JSON-RPC messages must not wait for Nagle's algorithm.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
            let _ = tcp.set_nodelay(true);
        });
        tracing::info!(address = %local, plugins = handle.current().stages().count(), servers = proxy.servers().len(), "warden listening");
        let app = router(AppState { pipeline: handle, proxy: Arc::clone(&proxy) });
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")?;
        proxy.close_all().await;
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
