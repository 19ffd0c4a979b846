//! Sensitive values, found with the `pii` and `secrets` detectors' recognizers
//! and normalized so that the same value written differently fingerprints the same.

use std::ops::Range;

use warden_detector_pii::{Kind, Pii};
use warden_detector_secrets::Secrets;
use warden_sdk::{Detector, Severity};

/// What a sensitive value is, as far as flows go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A credential.
    Secret,
    /// Government IDs, payment and bank numbers, birth dates: never moved casually.
    Identity,
    /// Emails, phone numbers, street and wallet addresses: also used as addresses.
    Contact,
}

impl Class {
    pub fn code(self) -> char {
        match self {
            Class::Secret => 's',
            Class::Identity => 'i',
            Class::Contact => 'c',
        }
    }

    pub fn from_code(c: char) -> Option<Class> {
        match c {
            's' => Some(Class::Secret),
            'i' => Some(Class::Identity),
            'c' => Some(Class::Contact),
            _ => None,
        }
    }
}

/// How a value is normalized before fingerprinting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Whitespace removed, case kept (credentials, Base58 addresses).
    Compact,
    /// Lowercased (emails, hex and bech32 addresses).
    Lower,
    /// Letters and digits only, uppercased (IDs and numbers written with separators).
    AlnumUpper,
    /// The last ten digits (phone numbers with or without country code).
    PhoneDigits,
}

/// Writes `value` in normal form `form` into `out` (cleared first).
pub fn normalize_into(form: Form, value: &str, out: &mut String) {
    out.clear();
    out.reserve(value.len());
    let ascii = value.is_ascii();
    match form {
        Form::Compact => out.extend(value.chars().filter(|c| !c.is_whitespace())),
        Form::Lower if ascii => {
            out.push_str(value.trim());
            out.make_ascii_lowercase();
        }
        Form::Lower => out.extend(value.trim().chars().flat_map(char::to_lowercase)),
        Form::AlnumUpper if ascii => out.extend(
            value
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_uppercase())),
        ),
        Form::AlnumUpper => out.extend(
            value
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase),
        ),
        Form::PhoneDigits => {
            let digits = value.bytes().filter(u8::is_ascii_digit).count();
            let skip = digits.saturating_sub(10);
            out.extend(
                value
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .skip(skip)
                    .map(char::from),
            );
        }
    }
}

pub fn normalize(form: Form, value: &str) -> String {
    let mut s = String::new();
    normalize_into(form, value, &mut s);
    s
}

/// One sensitive value in a text.
#[derive(Debug, Clone)]
pub struct Hit {
    pub range: Range<usize>,
    pub class: Class,
    /// What it is, e.g. "AWS access key ID" (never the value).
    pub label: &'static str,
    pub severity: Severity,
    pub confidence: f32,
    /// The value in normal form.
    pub norm: String,
}

/// The `pii` and `secrets` recognizers.
pub struct Recognizers {
    pii: Pii,
    secrets: Secrets,
}

impl Recognizers {
    pub fn new() -> Result<Recognizers, String> {
        // Kinds that never take part in a flow (see `pii_class`) are not looked for.
        let mut config = warden_detector_pii::Config::default();
        for kind in [
            "ipv4",
            "ipv6",
            "mac-address",
            "uk-postcode",
            "us-ein",
            "us-routing-number",
        ] {
            config.types.insert(kind.to_string(), false);
        }
        Ok(Recognizers {
            pii: Pii::new(config)?,
            secrets: Secrets::new(Default::default())?,
        })
    }

    /// The sensitive values of `text` (the string at JSON Pointer `pointer`),
    /// secrets first; personal data overlapping a secret is dropped.
    pub fn find(&self, text: &str, pointer: &str, now_ms: u64) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for m in self.secrets.find_at(pointer, text, now_ms) {
            if m.severity < Severity::Medium {
                continue;
            }
            let Some(value) = text.get(m.range.clone()) else {
                continue;
            };
            let norm = normalize(
                Form::Compact,
                value.trim_matches(|c| matches!(c, '"' | '\'')),
            );
            if norm.len() < 6 {
                continue;
            }
            hits.push(Hit {
                range: m.range,
                class: Class::Secret,
                label: m.description,
                severity: m.severity,
                confidence: m.confidence,
                norm,
            });
        }
        let secrets = hits.len();
        for m in self.pii.find_at(text, pointer) {
            let Some((class, form)) = pii_class(m.kind) else {
                continue;
            };
            if hits[..secrets]
                .iter()
                .any(|h| h.range.start < m.range.end && m.range.start < h.range.end)
            {
                continue;
            }
            let Some(value) = text.get(m.range.clone()) else {
                continue;
            };
            let norm = normalize(form, value);
            if norm.len() < 5 {
                continue;
            }
            let rule = m.kind.rule();
            hits.push(Hit {
                range: m.range,
                class,
                label: rule.label,
                severity: m.severity,
                confidence: m.confidence,
                norm,
            });
        }
        hits
    }

    /// True when `text` holds a secret or identity data (used on decoded blobs).
    pub fn has_serious(&self, text: &str) -> Option<Hit> {
        self.find(text, "", 0)
            .into_iter()
            .find(|h| h.class != Class::Contact)
    }
}

/// The class and normal form of a kind of personal data; `None` for kinds
/// that identify networks, businesses or banks rather than people.
pub fn pii_class(kind: Kind) -> Option<(Class, Form)> {
    use Kind::*;
    Some(match kind {
        Email | EthereumAddress => (Class::Contact, Form::Lower),
        Phone => (Class::Contact, Form::PhoneDigits),
        StreetAddress => (Class::Contact, Form::AlnumUpper),
        BitcoinAddress => (Class::Contact, Form::Compact),
        UkPostcode | UsEin | UsRoutingNumber | Ipv4 | Ipv4Private | Ipv6 | Ipv6Private
        | MacAddress => return None,
        _ => (Class::Identity, Form::AlnumUpper),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_forms_match_differently_written_values() {
        assert_eq!(
            normalize(Form::PhoneDigits, "+1 (415) 555-2671"),
            normalize(Form::PhoneDigits, "415.555.2671")
        );
        assert_eq!(normalize(Form::AlnumUpper, "536-22-1234"), "536221234");
        assert_eq!(
            normalize(Form::Lower, "Jane.Doe@Acme.io"),
            "jane.doe@acme.io"
        );
        assert_eq!(
            normalize(Form::Compact, "-----BEGIN\nKEY-----"),
            "-----BEGINKEY-----"
        );
    }

    #[test]
    fn finds_secrets_and_personal_data() {
        let r = Recognizers::new().unwrap();
        let text = "key AKIAZ4QX7N2LRT5PYW3M for jane.doe@acme.io, SSN 536-22-1234";
        let hits = r.find(text, "", 0);
        let classes: Vec<Class> = hits.iter().map(|h| h.class).collect();
        assert!(classes.contains(&Class::Secret), "{hits:?}");
        assert!(classes.contains(&Class::Contact), "{hits:?}");
        assert!(classes.contains(&Class::Identity), "{hits:?}");
    }
}
