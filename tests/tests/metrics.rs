//! Operators scrape Prometheus text at `/actuator/prometheus` and `/metrics`
//! of a running gateway: every family of `docs/metrics.md` is there, with
//! its labels, and latencies are histograms.

use std::sync::Arc;
use std::time::Duration;

use warden::audit::{AuditLog, AuditSettings};
use warden::scan::{ScanTarget, scan_message};
use warden::server::{AppState, serve_listener};
use warden::session::SessionStore;
use warden_tests::store::{TestBackend, TestStore};
use warden_tests::{GatewayDir, PLUGINS_BLOCK, http_get, tool_result};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_gateway_serves_every_metric_family_at_both_paths() {
    warden::metrics::install().expect("the recorder installs");
    let gw = GatewayDir::new(&format!("policy:\n  default-action: allow\n{PLUGINS_BLOCK}"), &["canary"]);
    let pipeline = gw.start().expect("pipeline");
    let t = TestStore::new(TestBackend::Sqlite).await;
    let audit = AuditLog::start(t.store.clone(), AuditSettings::default());
    let sessions = Arc::new(SessionStore::new());
    let state = AppState {
        pipeline: Arc::clone(&pipeline),
        proxy: None,
        sessions: Arc::clone(&sessions),
        store: Some(t.store.clone()),
        audit: Some(audit),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_listener(listener, state, async {
        let _ = stopped.await;
    }));

    // What the proxy does for one exchange.
    let target =
        ScanTarget { server: "crm".into(), agent: "support-bot".into(), session: "s1".into(), ..Default::default() };
    let (_, inspection) = scan_message(&pipeline.current(), &tool_result("a canary"), &target, 0).unwrap();
    assert!(!inspection.scan.findings.is_empty());
    warden::metrics::request("support-bot", "crm", "tools/call");
    for f in &inspection.scan.findings {
        warden::metrics::detection(&f.finding.category, &f.detector, "high");
    }
    warden::metrics::policy_action("DENY", "no-secrets");
    warden::metrics::gateway_latency("crm", Duration::from_micros(700));
    warden::metrics::upstream_latency("crm", Duration::from_millis(30));
    sessions.open("s1", "support-bot", "crm");
    sessions.open("s2", "support-bot", "crm");

    for path in ["/metrics", "/actuator/prometheus"] {
        let (status, content_type, body) = http_get(addr, path).await.unwrap();
        assert_eq!(status, 200, "{path}");
        assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
        let has = |needle: &str| assert!(body.contains(needle), "{path} lacks `{needle}`:\n{body}");
        for family in [
            "warden_requests_total",
            "warden_detections_total",
            "warden_policy_actions_total",
            "warden_gateway_latency_seconds",
            "warden_upstream_latency_seconds",
            "warden_plugin_call_seconds",
            "warden_active_sessions",
            "warden_audit_queue_depth",
        ] {
            has(&format!("# HELP {family} "));
        }
        has("# TYPE warden_gateway_latency_seconds histogram");
        has("# TYPE warden_plugin_call_seconds histogram");
        has("warden_gateway_latency_seconds_bucket{server=\"crm\",le=\"0.001\"} 1");
        has("warden_upstream_latency_seconds_bucket{server=\"crm\",le=\"0.025\"} 0");
        has("warden_upstream_latency_seconds_bucket{server=\"crm\",le=\"0.05\"} 1");
        has("warden_plugin_call_seconds_bucket{plugin=\"canary\"");
        has("warden_requests_total{agent=\"support-bot\",server=\"crm\",method=\"tools/call\"} 1");
        has("warden_detections_total{category=\"test\",detector=\"canary\",severity=\"high\"} 1");
        has("warden_policy_actions_total{action=\"DENY\",policy=\"no-secrets\"} 1");
        has("warden_active_sessions 2");
        has("warden_audit_queue_depth 0");
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
