//! Plugin call costs: Wasm vs the same logic native, for a no-op and a
//! regex-heavy detector on 1 KB and 64 KB messages; and the instance strategy
//! (warm reuse vs a fresh instance per call).
//!
//! `cargo bench -p warden --bench plugin_call`


use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use warden::pipeline::bindings::{CallContext, Phase, ScanInput};
use warden::pipeline::catalog::PluginFile;
use warden::pipeline::engine::PluginEngine;
use warden::pipeline::state::PluginStateStore;
use warden::pipeline::{CallLimits, InstancePool, PipelineBuilder, PluginSource, message};
use warden_sdk::Detector;

use std::path::Path;

include!("../build/wasm.rs");

/// A tool result of about `size` bytes: log lines with an email, an IP and a token-like string.
fn message(size: usize) -> serde_json::Value {
    let line = "2026-11-24T10:00:00Z INFO request served user=jane.doe@example.org ip=10.1.2.3 \
                path=/api/v1/orders/8c1f2a status=200 latency_ms=12 note=\"nothing unusual here\"\n";
    let text: String = line.repeat(size / line.len() + 1).chars().take(size).collect();
    json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": text}]}})
}

fn host_input(msg: &serde_json::Value) -> ScanInput {
    let context = CallContext {
        request_id: "1".into(),
        session_id: "bench".into(),
        agent_id: "bench".into(),
        agent_type: String::new(),
        server: "bench".into(),
        method: "tools/call".into(),
        tool: Some("logs".into()),
        phase: Phase::Response,
        timestamp_ms: 0,
    };
    message::scan_input(context, msg, &msg.to_string())
}

fn sdk_input(msg: &serde_json::Value) -> warden_sdk::ScanInput {
    let context = warden_sdk::CallContext {
        request_id: "1".into(),
        session_id: "bench".into(),
        agent_id: "bench".into(),
        agent_type: String::new(),
        server: "bench".into(),
        method: "tools/call".into(),
        tool: Some("logs".into()),
        phase: warden_sdk::Phase::Response,
        timestamp_ms: 0,
    };
    warden_sdk::testing::scan_input(context, msg)
}

fn pool(builder: &PipelineBuilder, state: &Arc<PluginStateStore>, package: &str) -> InstancePool {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace");
    let wasm = build_wasm_plugin(workspace, package, &workspace.join("target").join("bench-plugins"), &[]);
    let bytes = std::fs::read(&wasm).expect("read plugin");
    let plugin = builder
        .load(&PluginFile { source: PluginSource::File(wasm), bytes: Arc::from(bytes) })
        .expect("plugin loads");
    InstancePool::new(builder.engine(), plugin, "{}".into(), CallLimits::default(), Arc::clone(state), 1, u32::MAX).expect("pool")
}

fn plugin_calls(c: &mut Criterion) {
    let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-cache");
    let engine = PluginEngine::new(Some(cache)).expect("engine");
    let state = Arc::new(PluginStateStore::new());
    let builder = PipelineBuilder::new(engine, Arc::clone(&state));
    let noop = pool(&builder, &state, "bench_noop");
    let regex = pool(&builder, &state, "bench_regex_scan");
    assert!(regex.is_preinitialized(), "the regex plugin is pre-initialized");
    let native_noop = bench_noop::Noop::new(Default::default()).expect("noop");
    let native_regex = bench_regex_scan::RegexScan::new(Default::default()).expect("regex");

    let mut group = c.benchmark_group("plugin-call");
    for (label, size) in [("1KB", 1024), ("64KB", 64 * 1024)] {
        let msg = message(size);
        let host = host_input(&msg);
        let sdk = sdk_input(&msg);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("noop/wasm", label), &host, |b, i| b.iter(|| noop.scan(i).expect("scan")));
        group.bench_with_input(BenchmarkId::new("noop/native", label), &sdk, |b, i| b.iter(|| native_noop.scan(i)));
        group.bench_with_input(BenchmarkId::new("regex/wasm", label), &host, |b, i| b.iter(|| regex.scan(i).expect("scan")));
        group.bench_with_input(BenchmarkId::new("regex/native", label), &sdk, |b, i| b.iter(|| native_regex.scan(i)));
    }
    group.finish();

    let msg = host_input(&message(1024));
    let mut group = c.benchmark_group("instance");
    group.bench_function("regex/warm-reuse", |b| b.iter(|| regex.scan(&msg).expect("scan")));
    group.bench_function("regex/fresh-ready", |b| b.iter(|| regex.fresh().expect("fresh")));
    group.bench_function("regex/fresh-per-call", |b| {
        b.iter(|| regex.fresh().expect("fresh").scan_once(&msg, CallLimits::default()).expect("scan"))
    });
    group.bench_function("noop/fresh-ready", |b| b.iter(|| noop.fresh().expect("fresh")));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = plugin_calls
}
criterion_main!(benches);
