//! Values remembered from tool results, found again in a call's arguments:
//! verbatim, written differently, or encoded.

use std::ops::Range;

use warden_sdk::Severity;

use super::{Arg, RequestScan, addressing};
use crate::encoding::{self, Encoding};
use crate::rules::Rule;
use crate::sensitive::{Class, Form, Hit, normalize_into};
use crate::store::{Kind, Source, Store};
use crate::tokens;
use crate::tools::{is_addressing_key, is_auth_key};

impl RequestScan<'_> {
    /// Values remembered from other tools' results, found verbatim, in
    /// another normal form, or encoded.
    pub(super) fn reuse(&mut self, arg: &Arg, hits: &[Hit]) {
        let Some(store) = self.store.take() else {
            return;
        };
        let mut found: Vec<(Range<usize>, u64, Option<Encoding>)> = Vec::new();
        for h in hits {
            let fp = store.fingerprint(&h.norm);
            if h.class == Class::Contact && addressing(arg, &h.range) {
                self.recipients.push(fp);
            }
            found.push((h.range.clone(), fp, None));
        }
        let mut buf = String::new();
        let toks = tokens::expand(arg.value, &arg.words, 8);
        candidates(&store, arg.value, &toks, &mut buf, &mut |r, fp| {
            found.push((r, fp, None))
        });
        // Encoded forms: a decoded token is searched like an argument.
        for r in toks {
            let tok = &arg.value[r.clone()];
            for (enc, text) in decodings(tok) {
                let mut inner = Vec::new();
                for h in self.det.recognizers.find(&text, "", self.now) {
                    inner.push(store.fingerprint(&h.norm));
                }
                let inner_toks = tokens::candidates(&text, 8);
                candidates(&store, &text, &inner_toks, &mut buf, &mut |_, fp| {
                    inner.push(fp)
                });
                for t in inner_toks {
                    for (_, deeper) in decodings(&text[t]) {
                        let deeper_toks = tokens::candidates(&deeper, 8);
                        candidates(&store, &deeper, &deeper_toks, &mut buf, &mut |_, fp| {
                            inner.push(fp)
                        });
                    }
                }
                found.extend(inner.into_iter().map(|fp| (r.clone(), fp, Some(enc))));
            }
        }
        found.sort_by_key(|(r, fp, _)| (r.start, *fp));
        found.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        for (range, fp, enc) in found {
            self.reused(&store, arg, range, fp, enc);
        }
        self.store = Some(store);
    }

    fn reused(
        &mut self,
        store: &Store,
        arg: &Arg,
        range: Range<usize>,
        fp: u64,
        enc: Option<Encoding>,
    ) {
        let entries: Vec<_> = store
            .lookup(fp)
            .filter(|e| matches!(e.kind, Kind::Value(_)))
            .collect();
        let here = Source {
            tool: self.tool.to_string(),
            server: self.server.to_string(),
        };
        if entries.is_empty() || entries.iter().any(|e| store.source(e) == Some(&here)) {
            return; // not remembered, or a round trip to the tool that returned it
        }
        let entry = entries[0];
        let Kind::Value(class) = entry.kind else {
            return;
        };
        let Some(src) = store.source(entry) else {
            return;
        };
        let same_server = entries
            .iter()
            .all(|e| store.source(e).is_some_and(|s| s.server == self.server));
        let how = match enc {
            Some(e) => format!(" {}-encoded", e.name()),
            None => String::new(),
        };
        let detail = format!(
            "{} read from `{}` (server `{}`) sent{how} to {} `{}` (server `{}`)",
            entry.label,
            src.tool,
            src.server,
            if self.egress {
                "egress-capable tool"
            } else {
                "tool"
            },
            self.tool,
            self.server
        );
        let rule = |plain| {
            if enc.is_some_and(|e| e != Encoding::Percent) {
                Rule::EncodedReuse
            } else {
                plain
            }
        };
        let top = if self.egress {
            Severity::Critical
        } else {
            Severity::High
        };
        match class {
            Class::Secret => {
                let auth = is_auth_key(&arg.key) || arg.key == "headers";
                if same_server && !self.egress && auth {
                    return; // the server's own credential presented back to it
                }
                let sev = if same_server && !self.egress {
                    Severity::Medium
                } else {
                    top
                };
                self.claim(rule(Rule::SecretReuse), sev, 0.95, arg.index, range, detail);
            }
            Class::Identity => self.claim(rule(Rule::PiiReuse), top, 0.9, arg.index, range, detail),
            Class::Contact => {
                if enc.is_some_and(|e| e != Encoding::Percent) {
                    self.claim(Rule::EncodedReuse, top, 0.9, arg.index, range, detail);
                    return;
                }
                if let Some(u) = Self::in_url(arg, &range) {
                    let param = u
                        .params(arg.value)
                        .into_iter()
                        .find(|p| p.value.start <= range.start && range.end <= p.value.end);
                    let addressing = param.as_ref().is_some_and(|p| is_addressing_key(&p.name));
                    if range.start >= u.path.start && !addressing {
                        self.claim(
                            Rule::PiiReuse,
                            top,
                            0.85,
                            arg.index,
                            range,
                            format!("{detail} in a URL"),
                        );
                    }
                    return;
                }
                if self.egress && !addressing(arg, &range) {
                    self.reused_contacts.push((arg.index, range, fp, detail));
                }
            }
        }
    }
}

/// Every normal form of every candidate token of `text` that could be a
/// remembered value (same length and shape), fingerprinted.
fn candidates(
    store: &Store,
    text: &str,
    toks: &[Range<usize>],
    buf: &mut String,
    found: &mut dyn FnMut(Range<usize>, u64),
) {
    for r in toks {
        let Some(tok) = text.get(r.clone()) else {
            continue;
        };
        if tok.len() < 8 {
            continue;
        }
        if store.may_hold(tok) {
            found(r.clone(), store.fingerprint(tok));
        }
        let b = tok.as_bytes();
        if b.iter().any(u8::is_ascii_uppercase) {
            normalize_into(Form::Lower, tok, buf);
            if store.may_hold(buf) {
                found(r.clone(), store.fingerprint(buf));
            }
        }
        if b.iter().any(u8::is_ascii_digit) && !b.iter().all(u8::is_ascii_alphanumeric) {
            normalize_into(Form::AlnumUpper, tok, buf);
            if buf.len() >= 8 && store.may_hold(buf) {
                found(r.clone(), store.fingerprint(buf));
            }
        }
    }
    for r in tokens::digit_runs(text) {
        for form in [Form::PhoneDigits, Form::AlnumUpper] {
            normalize_into(form, &text[r.clone()], buf);
            if store.may_hold(buf) {
                found(r.clone(), store.fingerprint(buf));
            }
        }
    }
}

/// The texts a token decodes to: percent-decoding, then base64 or hex.
fn decodings(tok: &str) -> Vec<(Encoding, String)> {
    let mut out = Vec::new();
    if tok.len() < 12 {
        return out;
    }
    if let Some(p) = encoding::percent_decode(tok) {
        out.push((Encoding::Percent, p));
    }
    if looks_encoded(tok)
        && let Some((enc, bytes)) = encoding::decode_token(tok, 12)
        && let Some(text) = encoding::as_text(&bytes, 6)
    {
        out.push((enc, text.to_string()));
    }
    out
}

/// Encoded data has digits, symbols or inner capitals; a long word has none of them.
fn looks_encoded(tok: &str) -> bool {
    let b = tok.as_bytes();
    b.iter()
        .any(|c| c.is_ascii_digit() || matches!(c, b'+' | b'/' | b'=' | b'%' | b'-' | b'_'))
        || (b.iter().skip(1).any(u8::is_ascii_uppercase) && b.iter().any(u8::is_ascii_lowercase))
}
