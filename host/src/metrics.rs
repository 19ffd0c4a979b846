//! Prometheus metrics, served as text at `/actuator/prometheus` and `/metrics`.
//!
//! Every family the gateway emits is named and described here (and in
//! `docs/metrics.md`); the request path records through the helper
//! functions below, which cost an atomic update when no recorder is
//! installed. Latencies are histograms with fixed buckets, so p50/p95/p99
//! come from `histogram_quantile` across instances.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests (and notifications) received from agents. Labels: agent, server, method.
pub const REQUESTS: &str = "warden_requests_total";
/// Findings raised by detectors. Labels: category, detector, severity.
pub const DETECTIONS: &str = "warden_detections_total";
/// Verdicts applied. Labels: action, policy.
pub const POLICY_ACTIONS: &str = "warden_policy_actions_total";
/// Time the gateway adds to an exchange (inspection and policies, excluding the upstream). Label: server.
pub const GATEWAY_LATENCY: &str = "warden_gateway_latency_seconds";
/// Time waiting for the upstream server. Label: server.
pub const UPSTREAM_LATENCY: &str = "warden_upstream_latency_seconds";
/// Time per plugin call (emitted by the pipeline). Label: plugin.
pub const PLUGIN_CALL: &str = "warden_plugin_call_seconds";
/// Plugin failures: trap, timeout, memory, malformed output (emitted by the pipeline). Labels: plugin, kind.
pub const PLUGIN_ERRORS: &str = "warden_plugin_errors_total";
/// Sessions open now.
pub const ACTIVE_SESSIONS: &str = "warden_active_sessions";
/// Audit events queued and not yet written.
pub const AUDIT_QUEUE_DEPTH: &str = "warden_audit_queue_depth";
/// Audit events committed to the store.
pub const AUDIT_EVENTS: &str = "warden_audit_events_written_total";
/// Failed audit writes. Label: kind (`transient`: retried; `refused`: the store refused the batch).
pub const AUDIT_WRITE_ERRORS: &str = "warden_audit_write_errors_total";
/// Audit events the store refused on their own (logged with their id).
pub const AUDIT_REJECTED: &str = "warden_audit_events_rejected_total";

/// Upper bounds of the latency buckets, in seconds: 50 µs to 10 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// Why metrics cannot be served.
#[derive(Debug, Clone, thiserror::Error)]
#[error("metrics: {0}")]
pub struct MetricsError(String);

/// Installs the Prometheus recorder as the process's metrics recorder (once;
/// later calls return the same handle) and describes every family.
pub fn install() -> Result<PrometheusHandle, MetricsError> {
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .map_err(|e| e.to_string())?
                .install_recorder()
                .map_err(|e| e.to_string())?;
            describe();
            Ok(handle)
        })
        .clone()
        .map_err(MetricsError)
}

/// Keeps histogram storage bounded between scrapes; runs until the runtime stops.
pub fn spawn_upkeep(handle: PrometheusHandle) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    })
}

fn describe() {
    describe_counter!(REQUESTS, "Requests and notifications received from agents, by agent, server and method.");
    describe_counter!(DETECTIONS, "Findings raised by detectors, by category, detector and severity.");
    describe_counter!(POLICY_ACTIONS, "Verdicts applied to exchanges, by action and deciding policy.");
    describe_histogram!(GATEWAY_LATENCY, Unit::Seconds, "Time the gateway adds to an exchange, upstream excluded.");
    describe_histogram!(UPSTREAM_LATENCY, Unit::Seconds, "Time spent waiting for the upstream MCP server.");
    describe_histogram!(PLUGIN_CALL, Unit::Seconds, "Time per detector plugin call.");
    describe_counter!(PLUGIN_ERRORS, "Plugin failures (trap, timeout, memory, malformed output), by plugin and kind.");
    describe_gauge!(ACTIVE_SESSIONS, "MCP sessions open now.");
    describe_gauge!(AUDIT_QUEUE_DEPTH, "Audit events queued and not yet written.");
    describe_counter!(AUDIT_EVENTS, "Audit events committed to the store.");
    describe_counter!(AUDIT_WRITE_ERRORS, "Failed audit batch writes, by kind (transient: retried; refused).");
    describe_counter!(AUDIT_REJECTED, "Audit events the store refused; each is logged with its id.");
}

/// Counts a request from `agent` to `server`.
pub fn request(agent: &str, server: &str, method: &str) {
    counter!(REQUESTS, "agent" => agent.to_string(), "server" => server.to_string(), "method" => method.to_string())
        .increment(1);
}

/// Counts a finding.
pub fn detection(category: &str, detector: &str, severity: &str) {
    counter!(DETECTIONS, "category" => category.to_string(), "detector" => detector.to_string(),
        "severity" => severity.to_string())
    .increment(1);
}

/// Counts an applied verdict (`ALLOW`, `DENY`, …) and the policy that decided (empty: the default action).
pub fn policy_action(action: &str, policy: &str) {
    counter!(POLICY_ACTIONS, "action" => action.to_string(), "policy" => policy.to_string()).increment(1);
}

/// Records the time the gateway added to one exchange with `server`.
pub fn gateway_latency(server: &str, elapsed: Duration) {
    histogram!(GATEWAY_LATENCY, "server" => server.to_string()).record(elapsed.as_secs_f64());
}

/// Records the time `server` took to answer.
pub fn upstream_latency(server: &str, elapsed: Duration) {
    histogram!(UPSTREAM_LATENCY, "server" => server.to_string()).record(elapsed.as_secs_f64());
}

pub fn set_active_sessions(n: usize) {
    gauge!(ACTIVE_SESSIONS).set(n as f64);
}

pub fn set_audit_queue_depth(n: usize) {
    gauge!(AUDIT_QUEUE_DEPTH).set(n as f64);
}

pub fn audit_events_written(n: usize) {
    counter!(AUDIT_EVENTS).increment(n as u64);
}

pub fn audit_write_error(kind: &'static str) {
    counter!(AUDIT_WRITE_ERRORS, "kind" => kind).increment(1);
}

pub fn audit_event_rejected() {
    counter!(AUDIT_REJECTED).increment(1);
}

/// The exposition text, for the HTTP handlers.
pub fn render() -> Result<String, MetricsError> {
    install().map(|h| h.render())
}
