//! What an egress-capable tool is handed: secrets, ID numbers, contact
//! lists, encoded text, compressed and binary blobs.

use warden_sdk::Severity;

use super::{Arg, RequestScan, addressing};
use crate::encoding::{self, Encoding, Layer};
use crate::rules::Rule;
use crate::sensitive::{Class, Hit};
use crate::tools::{is_auth_key, is_crypto_key, is_file_key};

impl RequestScan<'_> {
    /// Secrets and personal data handed straight to an egress-capable tool.
    pub(super) fn egress_values(&mut self, arg: &Arg, hits: &[Hit]) {
        for h in hits {
            if Self::in_url(arg, &h.range).is_some() {
                continue; // judged with the URL
            }
            match h.class {
                Class::Secret => {
                    if is_auth_key(&arg.key) || arg.key == "headers" || arg.key == "header" {
                        continue; // authenticates the call
                    }
                    let sev = if h.severity == Severity::Critical {
                        Severity::Critical
                    } else {
                        Severity::High
                    };
                    let detail = format!("{} sent to egress-capable tool `{}`", h.label, self.tool);
                    self.claim(
                        Rule::EgressSecret,
                        sev,
                        h.confidence * 0.9,
                        arg.index,
                        h.range.clone(),
                        detail,
                    );
                }
                Class::Identity => {
                    let detail = format!("{} sent to egress-capable tool `{}`", h.label, self.tool);
                    self.claim(
                        Rule::EgressPii,
                        Severity::High,
                        h.confidence * 0.9,
                        arg.index,
                        h.range.clone(),
                        detail,
                    );
                }
                Class::Contact => {
                    if !addressing(arg, &h.range) {
                        self.contacts
                            .push((arg.index, h.range.clone(), h.norm.clone()));
                    }
                }
            }
        }
    }

    /// Encoded text, compressed data and long binary blobs handed to an
    /// egress-capable tool (outside URLs, which are judged on their own).
    pub(super) fn egress_blobs(&mut self, arg: &Arg) {
        if is_crypto_key(&arg.key) || is_auth_key(&arg.key) {
            return;
        }
        let file = is_file_key(&arg.key);
        for r in arg.words.iter().filter(|w| w.len() >= 16).cloned() {
            let tok = &arg.value[r.clone()];
            if Self::in_url(arg, &r).is_some() || encoding::is_jwt(tok) {
                continue;
            }
            let Some((enc, bytes)) = encoding::decode_token(tok, 16) else {
                continue;
            };
            if let Some(layer) = encoding::text_layer(&bytes, 8) {
                let (Layer::Text(text) | Layer::Token(text)) = &layer;
                if encoding::is_benign_text(text) {
                    continue;
                }
                if let Some(h) = self.det.recognizers.has_serious(text) {
                    let detail = format!(
                        "{}-encoded {} sent to egress-capable tool `{}`",
                        enc.name(),
                        h.label,
                        self.tool
                    );
                    self.claim(
                        Rule::EgressEncodedData,
                        Severity::Critical,
                        0.95,
                        arg.index,
                        r,
                        detail,
                    );
                } else if matches!(layer, Layer::Text(_)) && !file && text.len() >= 24 {
                    let detail = format!(
                        "{}-encoded text ({} bytes) sent to egress-capable tool `{}`",
                        enc.name(),
                        text.len(),
                        self.tool
                    );
                    self.claim(
                        Rule::EgressEncodedData,
                        Severity::High,
                        0.8,
                        arg.index,
                        r,
                        detail,
                    );
                }
                continue;
            }
            if file || encoding::is_media(&bytes) || encoding::is_ssh_public_key(&bytes) {
                continue;
            }
            if let Some(kind) = encoding::archive_kind(&bytes).filter(|_| bytes.len() >= 24) {
                let detail = format!(
                    "{}-encoded {kind} data sent to egress-capable tool `{}`",
                    enc.name(),
                    self.tool
                );
                self.claim(
                    Rule::EgressBinaryBlob,
                    Severity::High,
                    0.8,
                    arg.index,
                    r,
                    detail,
                );
            } else if tok.len() >= if enc == Encoding::Hex { 192 } else { 128 } {
                let detail = format!(
                    "{} bytes of {}-encoded binary data sent to egress-capable tool `{}`",
                    bytes.len(),
                    enc.name(),
                    self.tool
                );
                self.claim(
                    Rule::EgressBinaryBlob,
                    Severity::Medium,
                    0.6,
                    arg.index,
                    r,
                    detail,
                );
            }
        }
    }
}
