//! Private keys: PEM blocks (`-----BEGIN … PRIVATE KEY-----`), PuTTY key
//! files, SSH2 (SECSH) keys and private JSON Web Keys.
//!
//! A block counts only when its body holds at least [`MIN_BODY`] base64
//! characters, so `-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END…`
//! in documentation does not. Bodies may be split by real newlines, by
//! JSON-escaped `\n` (a key inside a JSON string), or not at all.

use crate::b64;

/// Base64 characters a key body must have (the smallest real keys have ~200).
const MIN_BODY: usize = 64;
/// How far a PEM body may extend.
const MAX_BLOCK: usize = 16 * 1024;

/// A private key found in a text.
pub struct KeyHit {
    pub rule: &'static str,
    pub start: usize,
    pub end: usize,
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// Counts base64 characters in a PEM body, skipping line breaks (real or
/// escaped) and RFC 1421 header lines (`Proc-Type: …`). Stops at the first
/// byte that cannot be part of a body. Returns (count, end, encrypted header seen).
fn body(b: &[u8], mut i: usize, limit: usize) -> (usize, usize, bool) {
    let (mut count, mut end, mut encrypted) = (0, i, false);
    let mut line_start = true;
    while i < limit {
        let c = b[i];
        if c == b'\\' && matches!(b.get(i + 1), Some(b'n' | b'r')) {
            i += 2;
            line_start = true;
            continue;
        }
        if matches!(c, b'\n' | b'\r' | b' ' | b'\t') {
            line_start |= c == b'\n' || c == b'\r';
            i += 1;
            continue;
        }
        if line_start && c.is_ascii_alphabetic() {
            // A header line such as `Proc-Type: 4,ENCRYPTED` or PGP's `Version: …`.
            let line_end =
                (i..limit).find(|&j| b[j] == b'\n' || (b[j] == b'\\' && b.get(j + 1) == Some(&b'n'))).unwrap_or(limit);
            let line = &b[i..line_end];
            if let Some(colon) = line.iter().position(|&c| c == b':')
                && line[..colon].iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
            {
                encrypted |= find(line, b"ENCRYPTED", 0).is_some();
                i = line_end;
                continue;
            }
        }
        if !is_b64(c) {
            break;
        }
        line_start = false;
        count += 1;
        i += 1;
        end = i;
    }
    (count, end, encrypted)
}

/// A `-----BEGIN <label>-----` block at `at`.
pub fn pem_block(text: &str, at: usize) -> Option<KeyHit> {
    let b = text.as_bytes();
    let label_start = at + "-----BEGIN ".len();
    let label_end = find(b, b"-----", label_start).filter(|&e| e - label_start <= 48)?;
    let label = text.get(label_start..label_end)?;
    if !label.ends_with("PRIVATE KEY") && label != "PGP PRIVATE KEY BLOCK" {
        return None;
    }
    let body_start = label_end + 5;
    let limit = b.len().min(body_start + MAX_BLOCK);
    let (count, body_end, encrypted_header) = body(b, body_start, limit);
    if count < MIN_BODY {
        return None;
    }
    let body_text = text.get(body_start..body_end)?;
    if crate::placeholder::token_is_placeholder(&body_text.replace("\\n", "\n")) && count < 400 {
        return None;
    }
    // Include the END line when it follows.
    let mut end = body_end;
    let rest = &b[body_end..limit];
    let skip = rest.iter().take_while(|&&c| matches!(c, b'\n' | b'\r' | b' ' | b'\\' | b'n')).count();
    if rest.get(skip..).is_some_and(|r| r.starts_with(b"-----END "))
        && let Some(close) = find(b, b"-----", body_end + skip + 9)
    {
        end = close + 5;
    }
    let rule = match label {
        _ if encrypted_header => "private-key-encrypted",
        "RSA PRIVATE KEY" => "private-key-rsa",
        "EC PRIVATE KEY" => "private-key-ec",
        "DSA PRIVATE KEY" => "private-key-dsa",
        "OPENSSH PRIVATE KEY" if openssh_encrypted(body_text) => "private-key-encrypted",
        "OPENSSH PRIVATE KEY" => "private-key-openssh",
        "ENCRYPTED PRIVATE KEY" => "private-key-encrypted",
        "PGP PRIVATE KEY BLOCK" => "private-key-pgp",
        "PRIVATE KEY" if is_gcp_service_account(text) => "gcp-service-account-key",
        "PRIVATE KEY" => "private-key-pkcs8",
        _ => "private-key-other",
    };
    Some(KeyHit { rule, start: at, end })
}

/// An OpenSSH key names its cipher right after the `openssh-key-v1` magic:
/// `none` for a plain key, e.g. `aes256-ctr` for a passphrase-protected one.
fn openssh_encrypted(body: &str) -> bool {
    let compact: String = body.replace("\\n", "").chars().filter(|c| !c.is_whitespace()).take(64).collect();
    match b64::decode_prefix(&compact, 64) {
        Some(head) => head.get(15..).is_some_and(|h| find(h, b"none", 0).is_none() && find(h, b"aes", 0).is_some()),
        None => false,
    }
}

fn is_gcp_service_account(text: &str) -> bool {
    text.contains("\"private_key_id\"") || text.contains("service_account") || text.contains(".iam.gserviceaccount.com")
}

/// A PuTTY `.ppk` file: the secret is the `Private-Lines` block.
pub fn putty(text: &str, at: usize) -> Option<KeyHit> {
    let b = text.as_bytes();
    let limit = b.len().min(at + MAX_BLOCK);
    let lines = find(&b[..limit], b"Private-Lines:", at)?;
    // Skip the line count to the start of the next line.
    let mut i = lines + "Private-Lines:".len();
    while i < limit && b[i] != b'\n' && !(b[i] == b'\\' && b.get(i + 1) == Some(&b'n')) {
        i += 1;
    }
    while i < limit && matches!(b[i], b'\n' | b'\r' | b'\\' | b'n') {
        i += 1;
    }
    let start = i;
    let (count, end, _) = body(b, start, limit);
    (count >= 40).then_some(KeyHit { rule: "private-key-putty", start, end })
}

/// An SSH2 (RFC 4716 / SECSH) private key block at `at`.
pub fn ssh2(text: &str, at: usize) -> Option<KeyHit> {
    let b = text.as_bytes();
    let header_end = find(b, b"----", at + 10)? + 4;
    let limit = b.len().min(header_end + MAX_BLOCK);
    let (count, end, _) = body(b, header_end, limit);
    (count >= MIN_BODY).then_some(KeyHit { rule: "private-key-ssh2", start: at, end })
}

/// A JSON Web Key object (`"kty"` at `at`) that carries the private member `"d"`.
pub fn jwk(text: &str, at: usize) -> Option<KeyHit> {
    let b = text.as_bytes();
    // The enclosing object: nearest `{` before, its matching `}` after.
    let open = (at.saturating_sub(2048)..at).rev().find(|&i| b[i] == b'{')?;
    let mut depth = 0usize;
    let mut close = None;
    for (i, &c) in b.iter().enumerate().skip(open).take(8192) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let mut from = open;
    while let Some(d) = find(&b[..close], b"\"d\"", from) {
        from = d + 3;
        let mut i = d + 3;
        while i < close && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if b.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        while i < close && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if b.get(i) != Some(&b'"') {
            continue;
        }
        let start = i + 1;
        let end = (start..close).find(|&j| !(b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_'))?;
        if end - start >= 20 && b[end] == b'"' {
            return Some(KeyHit { rule: "jwk-private-key", start, end });
        }
    }
    None
}
