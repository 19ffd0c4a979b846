//! A small, lenient base64 decoder (standard and URL-safe alphabets, padding
//! optional), used to look inside JWTs, Basic credentials and encoded keys.

fn value(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes `s`; `None` when it holds a byte outside both alphabets or has an
/// impossible length. Trailing `=` padding is ignored.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let data = s.trim_end_matches('=').as_bytes();
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &b in data {
        acc = (acc << 6) | value(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Decodes at most the first `max_chars` characters of `s` (rounded down to a
/// whole 4-character group), for peeking at the start of a long blob.
pub fn decode_prefix(s: &str, max_chars: usize) -> Option<Vec<u8>> {
    let n = s.len().min(max_chars) / 4 * 4;
    decode(s.get(..n)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both_alphabets() {
        assert_eq!(decode("dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(decode("dXNlcjpwYXNzMQ==").unwrap(), b"user:pass1");
        assert_eq!(decode("dXNlcjpwYXNzMQ").unwrap(), b"user:pass1");
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(decode("abc$").is_none());
        assert!(decode("a").is_none());
    }
}
