//! The rule table: every check the detector evaluates, with its id.

/// One rule (rule id `exfiltration.<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// A secret read from one tool's result is sent to another tool or server.
    SecretReuse,
    /// Personal data read from one tool's result is sent to another tool or server.
    PiiReuse,
    /// A value read from a tool result is sent base64-, hex- or URL-encoded.
    EncodedReuse,
    /// A URL in the arguments carries a secret or personal data.
    UrlSensitiveData,
    /// An egress-capable tool receives a secret.
    EgressSecret,
    /// An egress-capable tool receives government-ID or financial personal data.
    EgressPii,
    /// An egress-capable tool receives many contact details at once.
    EgressPiiBulk,
    /// An egress-capable tool receives base64/hex/base32 that decodes to text.
    EgressEncodedData,
    /// A URL query parameter carries encoded or bulk data.
    UrlQueryData,
    /// A URL path segment carries encoded data.
    UrlPathData,
    /// A host name has data-like labels (DNS exfiltration).
    DnsLabelData,
    /// An egress-capable tool receives a long compressed, encrypted or binary blob.
    EgressBinaryBlob,
    /// A call sends far more argument bytes than the session's running mean.
    VolumeSpike,
}

impl Rule {
    /// Every rule, in priority order: when two rules claim the same bytes,
    /// the earlier one reports them.
    pub const ALL: [Rule; 13] = [
        Rule::SecretReuse,
        Rule::PiiReuse,
        Rule::EncodedReuse,
        Rule::UrlSensitiveData,
        Rule::EgressSecret,
        Rule::EgressPii,
        Rule::EgressPiiBulk,
        Rule::EgressEncodedData,
        Rule::UrlQueryData,
        Rule::UrlPathData,
        Rule::DnsLabelData,
        Rule::EgressBinaryBlob,
        Rule::VolumeSpike,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The config name (`rules:` key) and rule id suffix.
    pub fn name(self) -> &'static str {
        match self {
            Rule::SecretReuse => "secret-reuse",
            Rule::PiiReuse => "pii-reuse",
            Rule::EncodedReuse => "encoded-reuse",
            Rule::UrlSensitiveData => "url-sensitive-data",
            Rule::EgressSecret => "egress-secret",
            Rule::EgressPii => "egress-pii",
            Rule::EgressPiiBulk => "egress-pii-bulk",
            Rule::EgressEncodedData => "egress-encoded-data",
            Rule::UrlQueryData => "url-query-data",
            Rule::UrlPathData => "url-path-data",
            Rule::DnsLabelData => "dns-label-data",
            Rule::EgressBinaryBlob => "egress-binary-blob",
            Rule::VolumeSpike => "volume-spike",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Rule::SecretReuse => "exfiltration.secret-reuse",
            Rule::PiiReuse => "exfiltration.pii-reuse",
            Rule::EncodedReuse => "exfiltration.encoded-reuse",
            Rule::UrlSensitiveData => "exfiltration.url-sensitive-data",
            Rule::EgressSecret => "exfiltration.egress-secret",
            Rule::EgressPii => "exfiltration.egress-pii",
            Rule::EgressPiiBulk => "exfiltration.egress-pii-bulk",
            Rule::EgressEncodedData => "exfiltration.egress-encoded-data",
            Rule::UrlQueryData => "exfiltration.url-query-data",
            Rule::UrlPathData => "exfiltration.url-path-data",
            Rule::DnsLabelData => "exfiltration.dns-label-data",
            Rule::EgressBinaryBlob => "exfiltration.egress-binary-blob",
            Rule::VolumeSpike => "exfiltration.volume-spike",
        }
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        let name = name.strip_prefix("exfiltration.").unwrap_or(name);
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order_and_ids_match_names() {
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(r.index(), i);
            assert_eq!(r.id(), format!("exfiltration.{}", r.name()));
            assert_eq!(Rule::from_name(r.name()), Some(*r));
        }
    }
}
