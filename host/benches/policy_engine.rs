//! Policy evaluation per call: the built-in rules engine with 100 rules, as
//! Wasm through the host (instance pool, marshalling, decision validation and
//! combination), against the same engine called natively and against an
//! engine with no rules (the fixed cost of a Wasm policy call).
//!
//! `cargo bench -p warden --bench policy_engine`; results in docs/benchmarks.md.

use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use warden::config::Config;
use warden::pipeline::bindings::{Agent, AttributedFinding, CallContext, Finding, Phase, PolicyInput, Severity};
use warden::pipeline::{Pipeline, PipelineHandle};

/// 10 policies of 10 rules, mixing every kind of condition. Most rules pass
/// their first conditions and fail a later one, so each call evaluates far
/// more than one condition per rule; three rules match.
fn hundred_rules() -> serde_json::Value {
    let mut policies = Vec::new();
    for p in 0..10 {
        let mut rules = Vec::new();
        for r in 0..10 {
            let n = p * 10 + r;
            let conditions = match r {
                0 => json!([{"field": "mcp_server", "operator": "equals", "value": "crm"},
                            {"field": "tool", "operator": "equals", "value": format!("tool_{n}")}]),
                1 => json!([{"field": "tool", "operator": "contains", "value": "customer"},
                            {"field": "agent_permissions", "operator": "contains", "value": format!("scope:{n}")}]),
                2 => json!([{"field": "method", "operator": "equals", "value": "tools/call"},
                            {"field": "time", "operator": "not_in", "value": "09:00-18:00"},
                            {"field": "day_of_week", "operator": "in", "value": "mon-fri"}]),
                3 => json!([{"field": "params.query", "operator": "matches", "value": format!("(?i)drop\\s+table_{n}")}]),
                4 => json!([{"field": "finding_category", "operator": "in", "value": ["injection", "poisoning"]},
                            {"field": "finding_severity", "operator": "gte", "value": "critical"}]),
                5 => json!([{"field": "client_ip", "operator": "not_in", "value": ["10.0.0.0/8", "192.168.0.0/16"]},
                            {"field": "agent_type", "operator": "equals", "value": "batch"}]),
                6 => json!([{"field": "session_calls", "operator": "gt", "value": 1000 + n}]),
                7 => json!([{"field": "server_tags", "operator": "contains", "value": "production"},
                            {"field": "params/arguments/limit", "operator": "gt", "value": 10_000}]),
                8 => json!([{"field": "agent_labels.team", "operator": "equals", "value": "support"},
                            {"field": "tool", "operator": "starts_with", "value": format!("admin_{n}")}]),
                _ => json!([{"field": "agent_id", "operator": "in", "value": [format!("bot-{n}"), "nobody"]}]),
            };
            let action = if n == 9 || n == 45 || n == 81 { "ALLOW" } else { "DENY" };
            let conditions = if n == 9 || n == 45 || n == 81 {
                json!([{"field": "method", "operator": "equals", "value": "tools/call"}])
            } else {
                conditions
            };
            rules.push(json!({"id": format!("r{n}"), "conditions": conditions, "action": action}));
        }
        policies.push(json!({"name": format!("policy {p}"), "rules": rules}));
    }
    serde_json::Value::Array(policies)
}

fn pipeline_with(policies: &serde_json::Value) -> (tempfile::TempDir, Arc<PipelineHandle>) {
    let dir = tempfile::tempdir().expect("tmp");
    let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target").join("test-cache");
    let config = format!("policy:\n  timezone: Europe/Paris\nplugins:\n  watch: false\n  cache-dir: {}\n", cache.display());
    std::fs::write(dir.path().join("warden.yaml"), config).expect("config");
    std::fs::create_dir_all(dir.path().join("policies")).expect("policies");
    for (i, policy) in policies.as_array().expect("list").iter().enumerate() {
        std::fs::write(dir.path().join("policies").join(format!("{i:02}.json")), policy.to_string()).expect("policy");
    }
    let path = dir.path().join("warden.yaml");
    let config = Config::load(&path).expect("config loads");
    let handle = warden::cli::start_pipeline(config, Some(path)).expect("pipeline");
    (dir, handle)
}

fn input() -> PolicyInput {
    let finding = |category: &str, severity| AttributedFinding {
        detector: category.to_string(),
        finding: Finding {
            category: category.to_string(),
            rule_id: format!("{category}.rule"),
            severity,
            confidence: 0.9,
            message: String::new(),
            spans: Vec::new(),
        },
    };
    PolicyInput {
        context: CallContext {
            request_id: "7".into(),
            session_id: "s1".into(),
            agent_id: "support-bot".into(),
            agent_type: "support".into(),
            server: "crm".into(),
            method: "tools/call".into(),
            tool: Some("update_customer".into()),
            phase: Phase::Request,
            // Monday 10:00 in Paris: the after-hours rules evaluate their time condition and fail.
            timestamp_ms: 1_748_851_200_000,
        },
        agent: Agent {
            id: "support-bot".into(),
            type_: "support".into(),
            permissions: vec!["crm:read".into(), "tickets:read".into(), "tickets:write".into()],
            labels: vec![("team".into(), "support".into())],
        },
        server_tags: vec!["production".into(), "customer-data".into()],
        params_json: json!({"name": "update_customer", "arguments": {
            "id": 4711, "query": "UPDATE customers SET tier = 'gold' WHERE id = 4711", "limit": 50,
            "notes": "customer asked for an upgrade on the phone", "fields": ["tier", "updated_at"]}})
        .to_string(),
        findings: vec![finding("pii", Severity::Medium), finding("injection", Severity::Low)],
        session_calls: 42,
        session_bytes: 128_000,
        client_ip: "203.0.113.9".into(),
    }
}

fn native_input(input: &PolicyInput) -> warden_sdk::PolicyInput {
    // The same call in the sdk's types, through JSON-free field copies.
    let c = &input.context;
    warden_sdk::PolicyInput {
        context: warden_sdk::CallContext {
            request_id: c.request_id.clone(),
            session_id: c.session_id.clone(),
            agent_id: c.agent_id.clone(),
            agent_type: c.agent_type.clone(),
            server: c.server.clone(),
            method: c.method.clone(),
            tool: c.tool.clone(),
            phase: warden_sdk::Phase::Request,
            timestamp_ms: c.timestamp_ms,
        },
        agent: warden_sdk::Agent {
            id: input.agent.id.clone(),
            type_: input.agent.type_.clone(),
            permissions: input.agent.permissions.clone(),
            labels: input.agent.labels.clone(),
        },
        server_tags: input.server_tags.clone(),
        params_json: input.params_json.clone(),
        findings: input
            .findings
            .iter()
            .map(|f| warden_sdk::AttributedFinding {
                detector: f.detector.clone(),
                finding: warden_sdk::Finding::new(&f.finding.category, &f.finding.rule_id, match f.finding.severity {
                    Severity::Medium => warden_sdk::Severity::Medium,
                    _ => warden_sdk::Severity::Low,
                })
                .confidence(f.finding.confidence),
            })
            .collect(),
        session_calls: input.session_calls,
        session_bytes: input.session_bytes,
        client_ip: input.client_ip.clone(),
    }
}

fn evaluate(pipeline: &Pipeline, input: &PolicyInput) -> usize {
    let (decisions, failures, _verdict) = pipeline.evaluate(input, &[]);
    assert!(failures.is_empty(), "{failures:?}");
    decisions.len()
}

fn bench(c: &mut Criterion) {
    let policies = hundred_rules();
    let input = input();
    let (_dir, handle) = pipeline_with(&policies);
    let pipeline = handle.current();
    assert_eq!(evaluate(&pipeline, &input), 3, "three rules match the benchmark call");

    let engine = warden_policy_engine::Engine::compile(&json!({"timezone": "Europe/Paris", "policies": policies})).expect("compiles");
    assert_eq!(engine.rule_count(), 100);
    let native = native_input(&input);
    assert_eq!(engine.evaluate(&native).len(), 3);

    let (_empty_dir, empty) = pipeline_with(&json!([]));
    let empty = empty.current();

    // What a new instance costs (the pool recycles one every `recycle-after` calls).
    let pool = &pipeline.stages().find(|s| s.name() == "policy-engine").expect("engine stage").pool;
    let config = json!({"timezone": "Europe/Paris", "policies": hundred_rules()});
    let mut group = c.benchmark_group("policy_engine_configure");
    group.sample_size(10).measurement_time(std::time::Duration::from_secs(4));
    group.bench_function("wasm_instantiate_and_configure_100_rules", |b| b.iter(|| pool.fresh().is_ok()));
    group.bench_function("native_compile_100_rules", |b| {
        b.iter(|| warden_policy_engine::Engine::compile(&config).map(|e| e.rule_count()).unwrap_or(0))
    });
    group.finish();

    let mut group = c.benchmark_group("policy_engine");
    group.sample_size(50).measurement_time(std::time::Duration::from_secs(4));
    group.bench_function("wasm_100_rules", |b| b.iter(|| evaluate(&pipeline, &input)));
    group.bench_function("wasm_no_rules", |b| b.iter(|| evaluate(&empty, &input)));
    group.bench_function("native_100_rules", |b| b.iter(|| engine.evaluate(&native).len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
