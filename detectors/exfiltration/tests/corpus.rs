//! Measures precision and recall on the labeled session corpus, replayed as
//! `warden eval` does: per call, the request with its arguments, then the
//! response with its result text; one session per sample.

use serde_json::Value;
use warden_detector_exfiltration::Exfiltration;
use warden_sdk::testing::Harness;

#[test]
fn corpus_precision_and_recall() {
    let mut h = Harness::<Exfiltration>::with_defaults();
    let (mut tp, mut fp, mut fn_, mut tn) = (0u32, 0u32, 0u32, 0u32);
    let mut report = Vec::new();
    for (n, line) in include_str!("../corpus/exfiltration.jsonl")
        .lines()
        .enumerate()
    {
        if line.trim().is_empty() {
            continue;
        }
        let sample: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let id = sample["id"].as_str().unwrap_or_default().to_string();
        let label = sample["label"].as_bool().expect("label");
        h.session(&format!("corpus-{n}"));
        let mut rules = Vec::new();
        for call in sample["session"].as_array().expect("session") {
            let tool = call["tool"].as_str().expect("tool");
            h.server(
                call.get("server")
                    .and_then(Value::as_str)
                    .unwrap_or("eval-server"),
            );
            for f in h.scan_tool_call(tool, call["arguments"].clone()) {
                assert_eq!(f.category, "exfiltration");
                rules.push(format!("{}@{tool}", f.rule_id));
            }
            if let Some(result) = call.get("result").and_then(Value::as_str) {
                assert!(
                    h.scan_tool_result(tool, result).is_empty(),
                    "the response phase raises nothing"
                );
            }
        }
        match (label, !rules.is_empty()) {
            (true, true) => tp += 1,
            (false, false) => tn += 1,
            (true, false) => {
                fn_ += 1;
                report.push(format!("MISSED {id}"));
            }
            (false, true) => {
                fp += 1;
                report.push(format!("FALSE POSITIVE {id}: {rules:?}"));
            }
        }
        if label && std::env::var_os("CORPUS_VERBOSE").is_some() {
            report.push(format!("hit {id}: {rules:?}"));
        }
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!(
        "exfiltration corpus: tp={tp} fp={fp} fn={fn_} tn={tn} precision={precision:.3} recall={recall:.3}"
    );
    for r in &report {
        println!("{r}");
    }
    assert!(tp + fn_ >= 60 && fp + tn >= 60, "corpus too small");
    assert!(precision >= 0.95, "precision {precision:.3} < 0.95");
    assert!(recall >= 0.95, "recall {recall:.3} < 0.95");
}
