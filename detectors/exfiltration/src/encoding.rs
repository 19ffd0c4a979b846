//! Decoding of the encodings data is smuggled in (base64, hex, base32,
//! percent-encoding) and tests of what the decoded bytes are.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);

/// How a value was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Base64,
    Hex,
    Percent,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Hex => "hex",
            Encoding::Percent => "URL",
        }
    }
}

pub fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Decodes hex (an odd trailing digit is ignored).
pub fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !is_hex(s) {
        return None;
    }
    Some(
        s.as_bytes()
            .chunks_exact(2)
            .map(|p| hex_value(p[0]) << 4 | hex_value(p[1]))
            .collect(),
    )
}

/// The value of an ASCII hex digit (0 for anything else).
fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// True when `s` only has characters of one base64 alphabet, with padding
/// only at the end.
pub fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    if body.is_empty() || s.len() - body.len() > 2 {
        return false;
    }
    let (mut std, mut url) = (false, false);
    for b in body.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => {}
            b'+' | b'/' => std = true,
            b'-' | b'_' => url = true,
            _ => return false,
        }
    }
    !(std && url)
}

/// Decodes standard or URL-safe base64, padded or not.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    if !is_base64(s) {
        return None;
    }
    let body = s.trim_end_matches('=');
    if body.len() % 4 == 1 {
        return None;
    }
    if body.bytes().any(|b| b == b'-' || b == b'_') {
        URL_SAFE.decode(body).ok()
    } else {
        STANDARD.decode(body).ok()
    }
}

/// Decodes `token` as hex, else base64, when it has at least `min_len` characters.
pub fn decode_token(token: &str, min_len: usize) -> Option<(Encoding, Vec<u8>)> {
    if token.len() < min_len {
        return None;
    }
    if is_hex(token) {
        return decode_hex(token).map(|b| (Encoding::Hex, b));
    }
    decode_base64(token).map(|b| (Encoding::Base64, b))
}

/// Decodes RFC 4648 base32 (case-insensitive, unpadded; trailing bits ignored).
pub fn decode_base32(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in s.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a',
            b'2'..=b'7' => b - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5 | u32::from(v)) & 0xfff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Percent-decodes `s` when it has at least one `%XX` escape.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if !b
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
    {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            out.push(hex_value(b[i + 1]) << 4 | hex_value(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The decoded bytes as text when they read as text: valid UTF-8, no control
/// characters but whitespace, at least half letters, digits and spaces.
/// Random bytes almost never pass, so this separates encoded text from
/// encoded keys, hashes and ids.
pub fn as_text(bytes: &[u8], min_len: usize) -> Option<&str> {
    if bytes.len() < min_len {
        return None;
    }
    let s = std::str::from_utf8(bytes).ok()?;
    let (mut total, mut plain) = (0usize, 0usize);
    for c in s.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            return None;
        }
        total += 1;
        if c.is_alphanumeric() || c == ' ' {
            plain += 1;
        }
    }
    (plain * 2 >= total && s.chars().any(char::is_alphanumeric)).then_some(s)
}

/// What decoded bytes read as.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    /// Text with some structure: words, lines, `key=value` pairs.
    Text(String),
    /// A bare token (base64 or hex characters only, no spaces): a random id
    /// or key encoded once more, as meeting-link passwords are.
    Token(String),
}

/// The text `bytes` decode to, looking through one more encoding when the
/// text is itself a bare token; `None` for binary.
pub fn text_layer(bytes: &[u8], min_len: usize) -> Option<Layer> {
    let text = as_text(bytes, min_len)?;
    if !is_bare_token(text) {
        return Some(Layer::Text(text.to_string()));
    }
    let inner = decode_token(text, 16).and_then(|(_, b)| as_text(&b, min_len).map(str::to_string));
    match inner {
        Some(t) if !is_bare_token(&t) => Some(Layer::Text(t)),
        _ => Some(Layer::Token(text.to_string())),
    }
}

fn is_bare_token(t: &str) -> bool {
    t.len() >= 16 && (is_base64(t) || is_hex(t))
}

/// Shannon entropy in bits per symbol.
pub fn entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| f64::from(c) / n)
        .map(|p| -p * p.log2())
        .sum()
}

/// Images, documents and media: what attachments legitimately are.
pub fn is_media(bytes: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"%PDF",
        b"ID3",
        b"OggS",
        b"BM",
        b"\x00\x00\x01\x00",
        b"II*\x00",
        b"MM\x00*",
        b"wOFF",
        b"wOF2",
        b"fLaC",
        b"\x1aE\xdf\xa3",
        b"<svg",
        b"<?xml",
    ];
    MAGIC.iter().any(|m| bytes.starts_with(m))
        || (bytes.len() >= 12
            && &bytes[..4] == b"RIFF"
            && matches!(&bytes[8..12], b"WEBP" | b"WAVE" | b"AVI "))
        || (bytes.len() >= 8 && &bytes[4..8] == b"ftyp")
}

/// Office documents are zip files; so are archives. `None` when not an archive.
pub fn archive_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "gzip"),
        (b"BZh", "bzip2"),
        (b"\xfd7zXZ\x00", "xz"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"PK\x03\x04", "zip"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"Rar!", "rar"),
        (b"\x04\x22\x4d\x18", "lz4"),
    ];
    if let Some((_, k)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(k);
    }
    // zlib: CMF 0x78 with a valid FCHECK.
    if bytes.len() >= 2
        && bytes[0] == 0x78
        && (u16::from(bytes[0]) << 8 | u16::from(bytes[1])) % 31 == 0
    {
        return Some("zlib");
    }
    None
}

/// An SSH public key blob (`ssh-rsa AAAAB3Nza…`): public by design.
pub fn is_ssh_public_key(bytes: &[u8]) -> bool {
    bytes.len() > 8
        && bytes[..3] == [0, 0, 0]
        && [&b"ssh-"[..], b"ecdsa-", b"sk-"]
            .iter()
            .any(|p| bytes[4..].starts_with(p))
}

/// A JSON Web Token (a credential, reported by the secrets recognizers).
pub fn is_jwt(s: &str) -> bool {
    s.starts_with("eyJ") && s.bytes().filter(|&b| b == b'.').count() >= 2
}

/// Decoded text that is public key material or a link, not data.
pub fn is_benign_text(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("-----BEGIN CERTIFICATE")
        || t.starts_with("-----BEGIN PUBLIC KEY")
        || t.starts_with("-----BEGIN RSA PUBLIC KEY")
        || t.starts_with("-----BEGIN PGP PUBLIC")
        || t.starts_with("-----BEGIN PGP SIGNATURE")
        || t.starts_with("ssh-")
        || ((t.starts_with("http://") || t.starts_with("https://"))
            && !t.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_common_encodings() {
        assert_eq!(
            decode_base64("aGVsbG8gd29ybGQ=").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(
            decode_base64("aGVsbG8gd29ybGQ").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(decode_base64("_-8").as_deref(), Some(&[0xff, 0xef][..]));
        assert!(decode_base64("a+b_").is_none());
        assert_eq!(decode_hex("68656c6c6f").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base32("NBSWY3DP").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base32("nbswy3dp").as_deref(), Some(&b"hello"[..]));
        assert_eq!(percent_decode("a%20b%3D").as_deref(), Some("a b="));
        assert_eq!(percent_decode("100%"), None);
        assert_eq!(percent_decode("%4"), None);
    }

    #[test]
    fn tells_text_from_random_bytes() {
        assert!(as_text(b"AWS_SECRET_ACCESS_KEY=abc", 8).is_some());
        let random =
            decode_hex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08").unwrap();
        assert!(as_text(&random, 8).is_none());
        let id = decode_base64("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms").unwrap();
        assert!(as_text(&id, 8).is_none());
        assert!(as_text(b"!!!!@@@@####$$$$a", 8).is_none());
    }

    #[test]
    fn looks_through_double_encoding() {
        // A meeting-link password: base64 of a base64 random key.
        let pwd = decode_base64("Q2x4WHBqK0dLRnJ1bGtOY0VJQ3Qwdz09").unwrap();
        assert!(matches!(text_layer(&pwd, 8), Some(Layer::Token(_))));
        let twice = decode_base64("YzJWamNtVjBJSEJzWVc0Z1ptOXlJRkV6SUd4aGVXOW1abk09").unwrap();
        assert_eq!(
            text_layer(&twice, 8),
            Some(Layer::Text("secret plan for Q3 layoffs".into()))
        );
    }

    #[test]
    fn recognizes_magic_numbers() {
        assert!(is_media(b"\x89PNG\r\n\x1a\n...."));
        assert_eq!(archive_kind(b"\x1f\x8b\x08\x00"), Some("gzip"));
        assert_eq!(archive_kind(&[0x78, 0x9c, 1]), Some("zlib"));
        assert_eq!(archive_kind(b"hello"), None);
        assert!(is_ssh_public_key(b"\x00\x00\x00\x0bssh-ed25519\x00\x00"));
    }
}
