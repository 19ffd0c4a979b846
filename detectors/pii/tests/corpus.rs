//! Measures precision and recall on the labeled corpus.

use serde_json::{Value, json};
use warden_detector_pii::Pii;
use warden_sdk::testing::Harness;

#[test]
fn corpus_precision_and_recall() {
    let h = Harness::<Pii>::with_defaults();
    let (mut tp, mut fp, mut fn_, mut tn) = (0u32, 0u32, 0u32, 0u32);
    let mut misses = Vec::new();
    for line in include_str!("../corpus/pii.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let sample: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let text = sample["text"].as_str().expect("text");
        let label = sample["label"].as_bool().expect("label");
        let findings = match sample.get("phase").and_then(Value::as_str) {
            Some("request") => h.scan_tool_call("assistant_action", json!({"input": text})),
            _ => h.scan_tool_result("lookup", text),
        };
        let flagged = !findings.is_empty();
        match (label, flagged) {
            (true, true) => tp += 1,
            (false, false) => tn += 1,
            (true, false) => {
                fn_ += 1;
                misses.push(format!("MISSED {}: {text}", sample["id"]));
            }
            (false, true) => {
                fp += 1;
                let rules: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
                misses.push(format!("FALSE POSITIVE {} {rules:?}: {text}", sample["id"]));
            }
        }
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!(
        "pii corpus: tp={tp} fp={fp} fn={fn_} tn={tn} precision={precision:.3} recall={recall:.3}"
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(tp + fn_ >= 150 && fp + tn >= 150, "corpus too small");
    assert!(precision >= 0.95, "precision {precision:.3} < 0.95");
    assert!(recall >= 0.95, "recall {recall:.3} < 0.95");
}
