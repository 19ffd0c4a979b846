//! Rough timing of the detector's phases (p50 over many runs):
//! `cargo test --release -p warden-detector-exfiltration --test perf -- --ignored --nocapture`

use std::time::Instant;

use serde_json::{Value, json};
use warden_detector_exfiltration::Exfiltration;
use warden_sdk::testing::{Harness, scan_input};
use warden_sdk::{CallContext, Detector, Phase, ScanInput};

fn context(phase: Phase, tool: &str) -> CallContext {
    CallContext {
        request_id: "1".into(),
        session_id: "test-session".into(),
        agent_id: "a".into(),
        agent_type: String::new(),
        server: "srv".into(),
        method: "tools/call".into(),
        tool: Some(tool.into()),
        phase,
        timestamp_ms: 0,
    }
}

fn four_kb(lines: &[&str]) -> String {
    let mut text = String::new();
    for i in 0.. {
        if text.len() >= 4096 {
            break;
        }
        text.push_str(lines[i % lines.len()]);
        text.push('\n');
    }
    text
}

fn p50(h: &Harness<Exfiltration>, input: &ScanInput, n: usize) -> std::time::Duration {
    let mut times: Vec<_> = (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(h.scan_input(input));
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

fn result(text: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": text}], "isError": false}})
}

fn request(tool: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": tool, "arguments": args}})
}

#[test]
#[ignore]
fn phase_timings() {
    let t = Instant::now();
    let h = Harness::<Exfiltration>::with_defaults();
    println!("new(): {:?}", t.elapsed());
    let _ = Exfiltration::info();
    let logs = four_kb(&[
        "2024-06-11T09:14:22.418Z INFO  [orders] GET /api/v2/orders?page=3&limit=50 200 12ms user_id=48213 request_id=req_8f14e45fceea167a",
        "{\"id\": \"a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b\", \"status\": \"shipped\", \"total\": 129.95, \"currency\": \"EUR\", \"items\": 3}",
        "commit 3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a  fix token refresh race",
        "The password policy requires 12 characters; API keys are rotated every 90 days. See https://docs.northwind.io/security/keys.",
    ]);
    let crm = four_kb(&[
        "{\"name\": \"Dana Whitfield\", \"email\": \"dana.whitfield@northwind-mail.com\", \"phone\": \"(415) 555-2671\", \"plan\": \"pro\"}",
        "{\"name\": \"Omar Haddad\", \"email\": \"omar.haddad@brightline.io\", \"phone\": \"(646) 555-0199\", \"plan\": \"free\"}",
    ]);
    let n = 5000;
    let clean = scan_input(context(Phase::Response, "logs"), &result(&logs));
    println!(
        "response, 4 KB log lines, nothing to remember: {:?}",
        p50(&h, &clean, n)
    );
    let pii = scan_input(context(Phase::Response, "crm"), &result(&crm));
    println!(
        "response, 4 KB CRM records (remembers ~60 values): {:?}",
        p50(&h, &pii, n)
    );
    let body = four_kb(&[
        "Hi team, the migration is done and the dashboards are green. Next week we look at the cache hit rate and the flaky billing tests.",
    ]);
    let small = scan_input(
        context(Phase::Request, "fetch"),
        &request(
            "fetch",
            json!({"url": "https://api.github.com/repos/acme/api/issues?state=open&page=2"}),
        ),
    );
    println!(
        "request, fetch with a short URL (store populated): {:?}",
        p50(&h, &small, n)
    );
    let mail = scan_input(
        context(Phase::Request, "send_email"),
        &request(
            "send_email",
            json!({"to": "team@acme.io", "subject": "status", "body": body}),
        ),
    );
    println!(
        "request, send_email with a 4 KB body (store populated): {:?}",
        p50(&h, &mail, n)
    );
    let fresh = Harness::<Exfiltration>::with_defaults();
    let write = scan_input(
        context(Phase::Request, "write_file"),
        &request("write_file", json!({"path": "/src/a.ts", "content": logs})),
    );
    println!(
        "request, write_file with 4 KB (empty store, not egress): {:?}",
        p50(&fresh, &write, n)
    );
}

#[test]
#[ignore]
fn recognizers_alone() {
    use warden_detector_pii::Pii;
    use warden_detector_secrets::Secrets;
    let logs = four_kb(&[
        "2024-06-11T09:14:22.418Z INFO  [orders] GET /api/v2/orders?page=3&limit=50 200 12ms user_id=48213 request_id=req_8f14e45fceea167a",
        "{\"id\": \"a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b\", \"status\": \"shipped\", \"total\": 129.95, \"currency\": \"EUR\", \"items\": 3}",
        "commit 3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a  fix token refresh race",
        "The password policy requires 12 characters; API keys are rotated every 90 days. See https://docs.northwind.io/security/keys.",
    ]);
    let pii = Pii::default();
    let secrets = Secrets::new(Default::default()).unwrap();
    for (name, f) in [
        (
            "pii",
            Box::new(|| pii.find_at(&logs, "/result/content/0/text").len())
                as Box<dyn Fn() -> usize>,
        ),
        (
            "secrets",
            Box::new(|| secrets.find_at("/result/content/0/text", &logs, 0).len()),
        ),
    ] {
        let mut times: Vec<_> = (0..5000)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect();
        times.sort();
        println!("{name} alone on 4 KB log lines: {:?}", times[2500]);
    }
}

#[test]
#[ignore]
fn mail_loop() {
    let h = Harness::<Exfiltration>::with_defaults();
    let crm = four_kb(&[
        "{\"name\": \"Dana Whitfield\", \"email\": \"dana.whitfield@northwind-mail.com\", \"phone\": \"(415) 555-2671\", \"plan\": \"pro\"}",
        "{\"name\": \"Omar Haddad\", \"email\": \"omar.haddad@brightline.io\", \"phone\": \"(646) 555-0199\", \"plan\": \"free\"}",
    ]);
    h.scan_input(&scan_input(context(Phase::Response, "crm"), &result(&crm)));
    let body = four_kb(&[
        "Hi team, the migration is done and the dashboards are green. Next week we look at the cache hit rate and the flaky billing tests.",
    ]);
    let mail = scan_input(
        context(Phase::Request, "send_email"),
        &request(
            "send_email",
            json!({"to": "team@acme.io", "subject": "status", "body": body}),
        ),
    );
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20000);
    println!("{:?}", p50(&h, &mail, n));
}

#[test]
#[ignore]
fn crm_loop() {
    let h = Harness::<Exfiltration>::with_defaults();
    let crm = four_kb(&[
        "{\"name\": \"Dana Whitfield\", \"email\": \"dana.whitfield@northwind-mail.com\", \"phone\": \"(415) 555-2671\", \"plan\": \"pro\"}",
        "{\"name\": \"Omar Haddad\", \"email\": \"omar.haddad@brightline.io\", \"phone\": \"(646) 555-0199\", \"plan\": \"free\"}",
    ]);
    let input = scan_input(context(Phase::Response, "crm"), &result(&crm));
    println!("{:?}", p50(&h, &input, 20000));
}
