//! The request phase: what a tool call's arguments would carry out.
//!
//! Each argument string is checked for remembered values ([`reuse`]), for
//! what an egress-capable tool is handed ([`egress`]) and for data in URLs
//! and host names ([`url_data`]); the call as a whole for its volume.

mod egress;
mod reuse;
mod url_data;

use std::ops::Range;

use warden_sdk::prelude::*;

use crate::report::Claim;
use crate::rules::Rule;
use crate::store::{Kind, Store};
use crate::tools::{is_addressing_key, key_of};
use crate::urls::{self, Url};
use crate::{Exfiltration, tokens, volume};

/// Longest prefix of one argument string that is examined.
const MAX_TEXT: usize = 512 * 1024;
/// Distinct contact details in one egress call that make a bulk transfer.
const BULK_CONTACTS: usize = 5;
/// Distinct contact details read from other tools that make a transfer.
const REUSED_CONTACTS: usize = 2;

/// One argument string being examined.
struct Arg<'a> {
    index: usize,
    value: &'a str,
    key: String,
    urls: Vec<Url>,
    /// Its words of 8+ bytes (see [`tokens::coarse`]).
    words: Vec<Range<usize>>,
}

struct RequestScan<'a> {
    det: &'a Exfiltration,
    tool: &'a str,
    server: &'a str,
    egress: bool,
    now: u64,
    store: Option<Store>,
    claims: Vec<Claim>,
    /// Contact details sent as content to an egress tool: `(text, range, normalized)`.
    contacts: Vec<(usize, Range<usize>, String)>,
    /// Contact details read from another tool: `(text, range, fingerprint, detail)`.
    reused_contacts: Vec<(usize, Range<usize>, u64, String)>,
    /// Fingerprints of the contact details the call is addressed to.
    recipients: Vec<u64>,
    /// URLs that appeared whole in a tool result (the agent follows a link).
    followed: Vec<(usize, Range<usize>)>,
    /// Every URL host of the call, and whether it is allowed.
    hosts_allowed: Vec<bool>,
}

pub fn scan(det: &Exfiltration, input: &ScanInput) -> Vec<Finding> {
    let ctx = &input.context;
    let tool = ctx
        .tool
        .as_deref()
        .or_else(|| input.text_at("/params/name"))
        .unwrap_or(ctx.method.as_str());
    let args: Vec<(usize, &Text)> = input
        .texts
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            warden_sdk::json::pointer_is_under(&t.pointer, "/params/arguments")
                || t.pointer == "/params/uri"
        })
        .collect();
    let egress = det.settings.egress.is_egress(tool);
    let mut claims = Vec::new();
    if ctx.method == "tools/call" {
        let bytes: usize = args.iter().map(|(_, t)| t.value.len()).sum();
        if let Some(c) = volume::observe(&det.settings, bytes as u64, egress) {
            claims.push(c);
        }
    }
    if det.settings.tool_allowed(tool) || args.is_empty() {
        return Vec::new();
    }
    let mut scan = RequestScan {
        det,
        tool,
        server: &ctx.server,
        egress,
        now: ctx.timestamp_ms,
        store: Store::load(ctx.timestamp_ms).filter(|s| !s.is_empty()),
        claims,
        contacts: Vec::new(),
        reused_contacts: Vec::new(),
        recipients: Vec::new(),
        followed: Vec::new(),
        hosts_allowed: Vec::new(),
    };
    for (index, text) in args {
        scan.arg(index, &text.pointer, &text.value);
    }
    scan.finish(input)
}

impl RequestScan<'_> {
    fn arg(&mut self, index: usize, pointer: &str, value: &str) {
        let end = if value.len() > MAX_TEXT {
            value.floor_char_boundary(MAX_TEXT)
        } else {
            value.len()
        };
        let value = &value[..end];
        let mut arg = Arg {
            index,
            value,
            key: key_of(pointer),
            urls: urls::find(value),
            words: tokens::coarse(value, 8),
        };
        arg.urls.retain(|u| {
            let host = value.get(u.host.clone()).unwrap_or("");
            let allowed = self.det.settings.domain_allowed(host);
            self.hosts_allowed.push(allowed);
            !allowed
        });
        if let Some(store) = &self.store {
            for u in &arg.urls {
                let link = crate::response::link_form(&value[u.range.clone()]);
                if store
                    .lookup(store.fingerprint(&link))
                    .any(|e| e.kind == Kind::Link)
                {
                    self.followed.push((index, u.range.clone()));
                }
            }
        }
        let hits = if self.egress || self.store.is_some() || arg.urls.len() > 16 {
            self.det.recognizers.find(value, pointer, self.now)
        } else {
            // Only what the URLs carry matters: scan just them.
            let mut hits = Vec::new();
            for u in &arg.urls {
                for mut h in self
                    .det
                    .recognizers
                    .find(&value[u.range.clone()], "", self.now)
                {
                    h.range = h.range.start + u.range.start..h.range.end + u.range.start;
                    hits.push(h);
                }
            }
            hits
        };
        if self.store.is_some() {
            self.reuse(&arg, &hits);
        }
        if self.egress {
            self.egress_values(&arg, &hits);
            self.egress_blobs(&arg);
        }
        for u in &arg.urls {
            self.url(&arg, u, &hits);
        }
        // Host names never contain word delimiters: look inside long dotted words only.
        let url_ranges: Vec<Range<usize>> = arg.urls.iter().map(|u| u.range.clone()).collect();
        let hosts = arg.words.iter().filter(|w| {
            w.len() >= 20 && value[(*w).clone()].bytes().filter(|&b| b == b'.').count() >= 2
        });
        let hosts: Vec<Range<usize>> = hosts
            .flat_map(|w| {
                urls::find_hosts(&value[w.clone()], &[])
                    .into_iter()
                    .map(move |h| w.start + h.start..w.start + h.end)
            })
            .filter(|h| {
                !url_ranges
                    .iter()
                    .any(|u| u.start <= h.start && h.end <= u.end)
            })
            .collect();
        for h in hosts {
            let host = &value[h.clone()];
            if self.det.settings.domain_allowed(host) {
                continue;
            }
            if let Some((r, what, sure)) = urls::host_payload(host) {
                let sev = if sure {
                    Severity::High
                } else {
                    Severity::Medium
                };
                self.claim(
                    Rule::DnsLabelData,
                    sev,
                    if sure { 0.85 } else { 0.6 },
                    index,
                    h.start + r.start..h.start + r.end,
                    format!("host name with {what} in its labels (DNS exfiltration)"),
                );
            }
        }
    }

    fn claim(
        &mut self,
        rule: Rule,
        severity: Severity,
        confidence: f32,
        text: usize,
        range: Range<usize>,
        detail: String,
    ) {
        self.claims.push(Claim {
            rule,
            severity,
            confidence,
            text: Some(text),
            range,
            detail,
        });
    }

    fn in_url<'u>(arg: &'u Arg, range: &Range<usize>) -> Option<&'u Url> {
        arg.urls
            .iter()
            .find(|u| u.range.start <= range.start && range.end <= u.range.end)
    }

    fn finish(mut self, input: &ScanInput) -> Vec<Finding> {
        let distinct = |items: &mut Vec<String>| {
            items.sort();
            items.dedup();
            items.len()
        };
        let mut norms: Vec<String> = self.contacts.iter().map(|c| c.2.clone()).collect();
        if distinct(&mut norms) >= BULK_CONTACTS {
            for (text, range, _) in std::mem::take(&mut self.contacts) {
                let detail = format!(
                    "{} contact details (emails, phone numbers, addresses) sent to egress-capable tool `{}`",
                    norms.len(),
                    self.tool
                );
                self.claim(
                    Rule::EgressPiiBulk,
                    Severity::Medium,
                    0.7,
                    text,
                    range,
                    detail,
                );
            }
        }
        // The recipient's own details (a quoted signature in a reply) are not cargo.
        let recipients = std::mem::take(&mut self.recipients);
        self.reused_contacts.retain(|c| !recipients.contains(&c.2));
        let mut fps: Vec<String> = self
            .reused_contacts
            .iter()
            .map(|c| c.2.to_string())
            .collect();
        if distinct(&mut fps) >= REUSED_CONTACTS {
            for (text, range, _, detail) in std::mem::take(&mut self.reused_contacts) {
                self.claim(
                    Rule::PiiReuse,
                    Severity::Critical,
                    0.85,
                    text,
                    range,
                    detail,
                );
            }
        }
        // A trusted destination: every URL of the call is on an allowed domain.
        let trusted = !self.hosts_allowed.is_empty() && self.hosts_allowed.iter().all(|a| *a);
        let followed = self.followed;
        let claims = self.claims.into_iter().filter(|c| {
            let in_followed = c.text.is_some_and(|t| {
                followed
                    .iter()
                    .any(|(i, r)| *i == t && r.start <= c.range.start && c.range.end <= r.end)
            });
            let carried = !matches!(
                c.rule,
                Rule::VolumeSpike
                    | Rule::DnsLabelData
                    | Rule::UrlQueryData
                    | Rule::UrlPathData
                    | Rule::UrlSensitiveData
            );
            !(in_followed || (trusted && carried))
        });
        crate::report::findings(&self.det.settings, input, claims.collect())
    }
}

/// True when a contact detail is an address rather than cargo: the argument
/// is an addressing field, or holds little besides the value
/// (`"Jane Doe <jane@acme.io>"`: a short rest without digits or another address).
fn addressing(arg: &Arg, range: &Range<usize>) -> bool {
    if is_addressing_key(&arg.key) {
        return true;
    }
    let before = arg.value.get(..range.start).unwrap_or("");
    let after = arg.value.get(range.end..).unwrap_or("");
    let rest = || before.chars().chain(after.chars());
    before.trim().len() + after.trim().len() <= 40
        && !rest().any(|c| c.is_ascii_digit() || c == '@' || c == '\n')
}

/// A parameter name fit for a message (names are not data, but bound them).
fn safe_name(name: &str) -> String {
    if name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
    {
        name.to_string()
    } else {
        "…".to_string()
    }
}
