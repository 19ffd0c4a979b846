//! Checksums embedded in some token formats.
//!
//! GitHub's classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's
//! `npm_` tokens end with a 6-character checksum: the CRC32 of the 30 random
//! characters after the prefix, written in base62 (`0-9A-Za-z`) and left-padded
//! with `0`. A valid checksum raises confidence; an invalid one does not
//! discard the match (fake-but-plausible tokens are still worth masking).

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62, left-padded with `0` to 6 characters.
pub fn base62_6(mut n: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// True when `token` is `<prefix><30 random chars><6-char base62 CRC32>`.
pub fn crc32_base62_valid(token: &str, prefix_len: usize) -> bool {
    let Some(body) = token.get(prefix_len..) else { return false };
    if body.len() != 36 {
        return false;
    }
    let (random, check) = body.as_bytes().split_at(30);
    base62_6(crc32fast::hash(random)) == check
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a token with a valid checksum, as the issuer would.
    pub fn with_checksum(prefix: &str, random30: &str) -> String {
        let check = base62_6(crc32fast::hash(random30.as_bytes()));
        format!("{prefix}{random30}{}", std::str::from_utf8(&check).unwrap())
    }

    #[test]
    fn checksum_round_trips() {
        let t = with_checksum("ghp_", "R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE");
        assert!(crc32_base62_valid(&t, 4));
        let mut bad = t.clone();
        bad.replace_range(10..11, if &t[10..11] == "A" { "B" } else { "A" });
        assert!(!crc32_base62_valid(&bad, 4));
        assert!(!crc32_base62_valid("ghp_short", 4));
    }

    #[test]
    fn base62_pads_to_six() {
        assert_eq!(&base62_6(0), b"000000");
        assert_eq!(&base62_6(61), b"00000z");
        assert_eq!(&base62_6(62), b"000010");
    }
}
