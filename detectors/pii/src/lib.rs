//! The `pii` detector: personal data in tool arguments, tool results and
//! server-initiated requests.
//!
//! It recognizes 36 kinds of personal data (see [`rules::RULES`]), validating
//! each format's structure and check digits where it has them (Luhn, mod-97,
//! Verhoeff, MOD 11-2, Base58Check, bech32, EIP-55...), and requiring a context
//! keyword for formats that have none. Every finding's spans cover exactly the
//! values, so that the host can mask them as `[REDACTED:pii]`.
//!
//! Other crates can reuse it natively: [`Pii::default`] and [`Pii::find`].

mod address;
pub mod checksum;
pub mod config;
mod context;
pub mod crypto;
mod dates;
mod documents;
mod email;
mod network;
mod numeric;
mod phone;
pub mod rules;
mod scan;
mod text;
mod words;

/// Validators other crates may reuse (e.g. to check a number before acting on it).
pub mod validate {
    pub use crate::network::{v4_public, v6_public};
    pub use crate::numeric::{card_number, cn_resident_id, itin, ssn};
    pub use crate::phone::e164;
}

use std::ops::Range;

use warden_sdk::prelude::*;

pub use config::Config;
pub use rules::{Kind, RULES};

use config::Settings;
use scan::Scanner;

/// Finding category.
pub const CATEGORY: &str = "pii";

/// The detector.
pub struct Pii {
    scanner: Scanner,
    settings: Settings,
}

/// One value found by [`Pii::find`].
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub kind: Kind,
    /// `pii.<type>`.
    pub rule_id: &'static str,
    pub severity: Severity,
    pub confidence: f32,
    /// Byte range of the value in the text.
    pub range: Range<usize>,
}

impl Default for Pii {
    fn default() -> Self {
        match Pii::new(Config::default()) {
            Ok(p) => p,
            // The default configuration only compiles built-in patterns.
            Err(e) => panic!("pii default configuration: {e}"),
        }
    }
}

impl Pii {
    /// The personal data in `text`, after the allowlist and severity threshold.
    pub fn find(&self, text: &str) -> Vec<Match> {
        self.find_at(text, "")
    }

    /// Like [`find`](Self::find), with the text's JSON Pointer (its key is context: `/params/arguments/ssn`).
    pub fn find_at(&self, text: &str, pointer: &str) -> Vec<Match> {
        let mut out = Vec::new();
        for c in self.scanner.scan_text(text, pointer) {
            let severity = self.settings.severity[c.kind.index()];
            if severity < self.settings.min_severity {
                continue;
            }
            let Some(value) = text.get(c.start..c.end) else {
                continue;
            };
            if self.settings.allowed(c.kind, value) {
                continue;
            }
            out.push(Match {
                kind: c.kind,
                rule_id: c.kind.rule().id,
                severity,
                confidence: c.confidence,
                range: c.start..c.end,
            });
        }
        out
    }
}

impl Detector for Pii {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector(
            "pii",
            env!("CARGO_PKG_VERSION"),
            "Personal data (contact details, government IDs, payment and bank numbers, network and crypto addresses)",
        )
        .categories([CATEGORY])
        .phases([Phase::Request, Phase::Response, Phase::ServerRequest])
        .rule_count(RULES.len())
    }

    fn new(config: Config) -> Result<Self, String> {
        let settings = config.compile()?;
        let scanner = Scanner::new(settings.enabled, settings.example_domains)?;
        Ok(Pii { scanner, settings })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        // One finding per rule, with every span of that kind in the message.
        let mut groups: Vec<Option<Group>> = (0..RULES.len()).map(|_| None).collect();
        for (i, t) in input.texts.iter().enumerate() {
            for m in self.find_at(&t.value, &t.pointer) {
                let g = groups[m.kind.index()].get_or_insert_with(|| Group {
                    severity: m.severity,
                    confidence: 0.0,
                    spans: Vec::new(),
                    first_pointer: i,
                    texts: 0,
                    last_text: usize::MAX,
                });
                g.confidence = g.confidence.max(m.confidence);
                if g.last_text != i {
                    g.texts += 1;
                    g.last_text = i;
                }
                g.spans.push(Span::new(i, m.range));
            }
        }
        groups
            .into_iter()
            .enumerate()
            .filter_map(|(k, g)| Some((&RULES[k], g?)))
            .map(|(rule, g)| {
                let count = g.spans.len();
                let place = input
                    .texts
                    .get(g.first_pointer)
                    .map_or(String::new(), |t| safe_pointer(&t.pointer));
                let what = if count == 1 {
                    rule.label.to_string()
                } else {
                    format!("{count} × {}", rule.label)
                };
                let where_ = if g.texts > 1 {
                    format!("{} strings, first at {place}", g.texts)
                } else {
                    place
                };
                let mut f = Finding::new(CATEGORY, rule.id, g.severity)
                    .confidence(g.confidence)
                    .message(format!("{what} found in {where_}"));
                f.spans = g.spans;
                f
            })
            .collect()
    }
}

struct Group {
    severity: Severity,
    confidence: f32,
    spans: Vec<Span>,
    first_pointer: usize,
    texts: usize,
    last_text: usize,
}

/// The pointer, with any segment that could itself be personal data (object
/// keys can be emails or IDs) replaced by `*`.
fn safe_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        return "(root)".to_string();
    }
    pointer
        .split('/')
        .map(|seg| {
            let plain = seg.len() <= 40
                && (seg.bytes().all(|c| c.is_ascii_digit()) && seg.len() <= 4
                    || seg
                        .bytes()
                        .all(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-')));
            if plain { seg } else { "*" }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(feature = "export")]
warden_sdk::export_detector!(Pii);
