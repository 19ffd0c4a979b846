//! The HTTP listener: health, readiness, metrics and the MCP proxy's
//! endpoints (`/mcp`, `/mcp/{server}`, `/sse`, `/sse/{server}`); the admin
//! API and dashboard mount here.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::audit::{AuditLog, AuditSettings};
use crate::config::Config;
use crate::pipeline::PipelineHandle;
use crate::proxy::Proxy;
use crate::session::SessionStore;
use crate::store::Store;

/// Shared state of the HTTP handlers.
#[derive(Clone)]
pub struct AppState {
    pub pipeline: Arc<PipelineHandle>,
    /// The MCP proxy; `None` serves health and metrics only.
    pub proxy: Option<Arc<Proxy>>,
    /// Active sessions and their counters.
    pub sessions: Arc<SessionStore>,
    /// The database (registry, policies, approvals, audit).
    pub store: Option<Store>,
    /// Where exchanges are recorded; `None` with `audit.enabled: false`.
    pub audit: Option<AuditLog>,
}

impl AppState {
    /// State with a pipeline only: no store, no audit.
    pub fn new(pipeline: Arc<PipelineHandle>) -> AppState {
        AppState { pipeline, proxy: None, sessions: Arc::new(SessionStore::new()), store: None, audit: None }
    }
}

/// The gateway's routes.
pub fn router(state: AppState) -> Router {
    let proxy = state.proxy.clone();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(prometheus))
        .route("/actuator/prometheus", get(prometheus))
        .with_state(state);
    match proxy {
        Some(proxy) => router.merge(crate::proxy::downstream::routes(proxy)),
        None => router,
    }
}

/// Prometheus text exposition (format 0.0.4).
async fn prometheus() -> Response {
    match crate::metrics::render() {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
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
        let metrics = crate::metrics::install()?;
        crate::metrics::spawn_upkeep(metrics);
        let listen = config.listen;
        let watch = config.plugins.watch;
        let store = Store::from_config(&config).await?;
        tracing::info!(backend = ?store.backend(), "store open");
        let audit = if config.audit.enabled {
            let settings = AuditSettings::from_config(&config.audit)?;
            if let Some(days) = config.audit.retention_days {
                crate::audit::retention::spawn_retention(store.clone(), days, settings.signer.clone());
            }
            Some(AuditLog::start(store.clone(), settings))
        } else {
            None
        };
        let proxy_config = config.clone();
        let handle = crate::cli::start_pipeline(config, config_path)?;
        let proxy = Proxy::new(Arc::clone(&handle), &proxy_config).context("preparing the MCP servers")?;
        proxy.spawn_reaper();
        let _watcher = if watch { Some(handle.watch().context("watching the plugins directory")?) } else { None };
        spawn_sighup_reload(Arc::clone(&handle))?;
        let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
        let local: SocketAddr = listener.local_addr()?;
        tracing::info!(address = %local, plugins = handle.current().stages().count(), servers = proxy.servers().len(), "warden listening");
        let state = AppState {
            pipeline: handle,
            proxy: Some(Arc::clone(&proxy)),
            sessions: Arc::new(SessionStore::new()),
            store: Some(store.clone()),
            audit,
        };
        serve_listener(listener, state.clone(), shutdown_signal()).await.context("serving")?;
        proxy.close_all().await;
        if let Some(audit) = &state.audit {
            audit.shutdown().await.context("writing the last audit events")?;
        }
        store.close().await;
        tracing::info!("warden stopped");
        Ok(())
    })
}

/// Serves the gateway's routes on a bound listener until `shutdown` completes
/// (in-flight requests finish first).
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Small JSON-RPC messages must not wait for Nagle's algorithm.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
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
