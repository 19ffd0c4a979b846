//! The session's baseline of argument bytes per call, kept in two host
//! counters, and the check of one call against it.

use warden_sdk::Severity;
use warden_sdk::state::{self, Scope};

use crate::config::Settings;
use crate::report::Claim;
use crate::rules::Rule;

const CALLS: &str = "volume.calls";
const BYTES: &str = "volume.bytes";

/// Counts this call (`bytes` of argument text) and judges it against the
/// mean of the session's earlier calls.
pub fn observe(settings: &Settings, bytes: u64, egress: bool) -> Option<Claim> {
    let size = i64::try_from(bytes).unwrap_or(i64::MAX);
    let calls = state::increment(Scope::Session, CALLS, 1, None);
    let total = state::increment(Scope::Session, BYTES, size, None);
    if !settings.enabled(Rule::VolumeSpike) || !(egress || settings.volume_all_tools) {
        return None;
    }
    let earlier_calls = u64::try_from(calls.saturating_sub(1)).unwrap_or(0);
    let earlier_bytes = u64::try_from(total.saturating_sub(size)).unwrap_or(0);
    if earlier_calls < settings.min_calls.max(1) || bytes < settings.min_bytes {
        return None;
    }
    let mean = earlier_bytes as f64 / earlier_calls as f64;
    let ratio = bytes as f64 / mean.max(1.0);
    if ratio <= settings.volume_factor {
        return None;
    }
    Some(Claim {
        rule: Rule::VolumeSpike,
        severity: Severity::Medium,
        confidence: if ratio > settings.volume_factor * 4.0 {
            0.7
        } else {
            0.5
        },
        text: None,
        range: 0..0,
        detail: format!(
            "call sends {bytes} bytes of arguments, {ratio:.0}× the session's mean of {mean:.0} bytes over {earlier_calls} earlier calls"
        ),
    })
}
