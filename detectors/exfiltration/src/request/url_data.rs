//! Data carried by the URLs of a call: parameters, path segments, host labels.

use std::ops::Range;

use warden_sdk::Severity;

use super::{Arg, RequestScan, safe_name};
use crate::encoding;
use crate::rules::Rule;
use crate::sensitive::{Class, Hit};
use crate::tools::is_auth_key;
use crate::urls::{self, Payload, Url};

impl RequestScan<'_> {
    /// Data in a URL's host labels, path segments and parameters.
    pub(super) fn url(&mut self, arg: &Arg, u: &Url, hits: &[Hit]) {
        let v = arg.value;
        let host = v.get(u.host.clone()).unwrap_or("");
        if let Some((r, what, sure)) = urls::host_payload(host) {
            let sev = if sure {
                Severity::High
            } else {
                Severity::Medium
            };
            let detail = format!("URL host with {what} in its labels (DNS exfiltration)");
            self.claim(
                Rule::DnsLabelData,
                sev,
                if sure { 0.85 } else { 0.6 },
                arg.index,
                u.host.start + r.start..u.host.start + r.end,
                detail,
            );
        }
        for seg in u.segments(v) {
            let raw = &v[seg.clone()];
            for h in hits
                .iter()
                .filter(|h| seg.start <= h.range.start && h.range.end <= seg.end)
            {
                // A credential in the path names the destination (webhook and bot URLs).
                if h.class == Class::Identity {
                    let detail = format!("{} in a URL path", h.label);
                    self.claim(
                        Rule::UrlSensitiveData,
                        Severity::Critical,
                        h.confidence,
                        arg.index,
                        h.range.clone(),
                        detail,
                    );
                }
            }
            let decoded = encoding::percent_decode(raw);
            self.payload(
                arg,
                seg,
                decoded.as_deref().unwrap_or(raw),
                Rule::UrlPathData,
                "URL path segment",
            );
        }
        for p in u.params(v) {
            if urls::is_safe_param(&p.name) {
                continue;
            }
            let auth = is_auth_key(&p.name);
            let raw = &v[p.value.clone()];
            let decoded = encoding::percent_decode(raw);
            // Form-encoded spaces matter to the recognizers (`the+password+is+…`).
            let spaced = raw.contains('+').then(|| {
                let s = raw.replace('+', " ");
                encoding::percent_decode(&s).unwrap_or(s)
            });
            let mut inner: Vec<(Range<usize>, Class, &'static str, f32)> = hits
                .iter()
                .filter(|h| p.value.start <= h.range.start && h.range.end <= p.value.end)
                .map(|h| (h.range.clone(), h.class, h.label, h.confidence))
                .collect();
            if let Some(d) = spaced.as_ref().or(decoded.as_ref()) {
                let found = self.det.recognizers.find(d, "", self.now);
                inner.extend(
                    found
                        .into_iter()
                        .map(|h| (p.value.clone(), h.class, h.label, h.confidence)),
                );
            }
            for (range, class, label, confidence) in inner {
                if class == Class::Identity || (class == Class::Secret && !auth) {
                    let detail = format!("{label} in URL parameter `{}`", safe_name(&p.name));
                    self.claim(
                        Rule::UrlSensitiveData,
                        Severity::Critical,
                        confidence,
                        arg.index,
                        range,
                        detail,
                    );
                }
            }
            if !auth {
                let what = format!("URL parameter `{}`", safe_name(&p.name));
                self.payload(
                    arg,
                    p.value.clone(),
                    decoded.as_deref().unwrap_or(raw),
                    Rule::UrlQueryData,
                    &what,
                );
            }
        }
    }

    fn payload(&mut self, arg: &Arg, range: Range<usize>, value: &str, rule: Rule, what: &str) {
        let Some(payload) = urls::value_payload(value) else {
            return;
        };
        let (rule, sev, conf, detail) = match payload {
            Payload::Text { encoding, text } => match self.det.recognizers.has_serious(&text) {
                Some(h) => (
                    Rule::UrlSensitiveData,
                    Severity::Critical,
                    0.95,
                    format!("{}-encoded {} in {what}", encoding.name(), h.label),
                ),
                None => (
                    rule,
                    Severity::High,
                    0.8,
                    format!("{}-encoded text in {what}", encoding.name()),
                ),
            },
            Payload::Token { encoding, text } => match self.det.recognizers.has_serious(&text) {
                Some(h) => (
                    Rule::UrlSensitiveData,
                    Severity::Critical,
                    0.95,
                    format!("{}-encoded {} in {what}", encoding.name(), h.label),
                ),
                None => return,
            },
            Payload::Archive { encoding, kind } => (
                rule,
                Severity::High,
                0.8,
                format!("{}-encoded {kind} data in {what}", encoding.name()),
            ),
            Payload::Opaque => (
                rule,
                Severity::Medium,
                0.55,
                format!("long high-entropy value in {what}"),
            ),
            Payload::MultiLine => (
                rule,
                Severity::Medium,
                0.6,
                format!("multi-line text (file contents) in {what}"),
            ),
        };
        self.claim(rule, sev, conf, arg.index, range, detail);
    }
}
