//! The response phase: remember the sensitive values a tool returned (as
//! fingerprints), and the data-bearing links it returned (following one is
//! not exfiltration). Raises no findings.

use warden_sdk::prelude::*;

use crate::Exfiltration;
use crate::rules::Rule;
use crate::sensitive::{Form, normalize};
use crate::store::{Kind, Source, Store};
use crate::urls;

/// Longest prefix of one result string that is examined.
const MAX_TEXT: usize = 1024 * 1024;

const REUSE_RULES: [Rule; 4] = [
    Rule::SecretReuse,
    Rule::PiiReuse,
    Rule::EncodedReuse,
    Rule::UrlSensitiveData,
];

pub fn record(det: &Exfiltration, input: &ScanInput) {
    if !REUSE_RULES.iter().any(|r| det.settings.enabled(*r)) {
        return;
    }
    let ctx = &input.context;
    let mut seen: Vec<(String, Kind, &'static str)> = Vec::new();
    for text in input
        .texts
        .iter()
        .filter(|t| warden_sdk::json::pointer_is_under(&t.pointer, "/result"))
    {
        let value = &text.value;
        let end = if value.len() > MAX_TEXT {
            value.floor_char_boundary(MAX_TEXT)
        } else {
            value.len()
        };
        let value = &value[..end];
        let hits = det.recognizers.find(value, &text.pointer, ctx.timestamp_ms);
        for u in urls::find(value) {
            let carries = hits
                .iter()
                .any(|h| u.range.start <= h.range.start && h.range.end <= u.range.end)
                || urls::url_carries_data(value, &u);
            if carries {
                seen.push((link_form(&value[u.range.clone()]), Kind::Link, "link"));
            }
        }
        seen.extend(
            hits.into_iter()
                .map(|h| (h.norm, Kind::Value(h.class), h.label)),
        );
    }
    if seen.is_empty() {
        return;
    }
    // Records repeat the same values (a list of orders by one customer).
    seen.sort_by(|a, b| (&a.0, a.1.code()).cmp(&(&b.0, b.1.code())));
    seen.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let tool = ctx.tool.as_deref().unwrap_or(ctx.method.as_str());
    let source = Source {
        tool: tool.to_string(),
        server: ctx.server.clone(),
    };
    let expires = ctx.timestamp_ms.saturating_add(det.settings.ttl_ms);
    let mut store = Store::load_or_new(ctx);
    let src = store.source_index(&source);
    for (norm, kind, label) in seen {
        store.add(&norm, kind, label, src, expires);
    }
    store.save(det.settings.max_fingerprints, det.settings.ttl_ms);
}

/// A link in normal form; HTML-escaped ampersands are unescaped as a
/// browser would.
pub fn link_form(url: &str) -> String {
    normalize(Form::Compact, &url.replace("&amp;", "&"))
}
