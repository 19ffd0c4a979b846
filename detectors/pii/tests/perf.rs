//! Rough timing of a scan of a 4 KB tool result:
//! `cargo test --release -p warden-detector-pii --test perf -- --ignored --nocapture`
//! (`PII_PERF_KIND=0|1|2` picks JSON, prose or log lines; `PII_PERF_N` the iterations).

use std::time::Instant;
use warden_detector_pii::Pii;
use warden_sdk::Detector;
use warden_sdk::testing::scan_input;
use warden_sdk::{CallContext, Phase};

fn context() -> CallContext {
    CallContext {
        request_id: "1".into(),
        session_id: "s".into(),
        agent_id: "a".into(),
        agent_type: String::new(),
        server: "srv".into(),
        method: "tools/call".into(),
        tool: Some("t".into()),
        phase: Phase::Response,
        timestamp_ms: 0,
    }
}

fn sample(kind: usize) -> String {
    let mut s = String::new();
    let mut i = 0u64;
    while s.len() < 4096 {
        i += 1;
        match kind {
            0 => s.push_str(&format!(
                "{{\"id\": {i}, \"number\": {}, \"title\": \"Fix crash in parser when input is empty\", \"state\": \"open\", \"created_at\": \"2024-0{}-1{}T10:3{}:00Z\", \"comments\": {}, \"user\": {{\"login\": \"dev{i}\", \"id\": {}}}}},\n",
                1300 + i, 1 + i % 9, i % 10, i % 6, i % 17, 583231 + i * 7
            )),
            1 => s.push_str("The quick brown fox jumps over the lazy dog. Warden inspects every MCP message and decides what may pass; detectors run as WebAssembly components. "),
            _ => s.push_str(&format!(
                "2024-06-10 12:01:{:02},882 INFO [worker-{}] GET /api/v2/items/{} 200 {}ms ip=10.0.{}.{} ua=Mozilla/5.0\n",
                i % 60, i % 8, 10000 + i, i % 300, i % 255, i % 200
            )),
        }
    }
    s.truncate(4096);
    s
}

#[test]
#[ignore]
fn scan_4kb_timing() {
    let pii = Pii::default();
    let only: Option<usize> = std::env::var("PII_PERF_KIND")
        .ok()
        .and_then(|k| k.parse().ok());
    let n: usize = std::env::var("PII_PERF_N")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(2000);
    for kind in (0..3).filter(|k| only.is_none_or(|o| o == *k)) {
        let text = sample(kind);
        let msg = serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": text}]}});
        let input = scan_input(context(), &msg);
        for _ in 0..n.min(200) {
            pii.scan(&input);
        }
        let mut times: Vec<u128> = (0..n)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(pii.scan(&input));
                t.elapsed().as_nanos()
            })
            .collect();
        times.sort();
        println!(
            "kind {kind}: p50 {:.1} µs, p90 {:.1} µs, findings {}",
            times[n / 2] as f64 / 1000.0,
            times[n * 9 / 10] as f64 / 1000.0,
            pii.scan(&input).len()
        );
    }
}
