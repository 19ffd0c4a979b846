//! Cryptocurrency address validation: Bitcoin Base58Check (P2PKH/P2SH),
//! Bitcoin bech32/bech32m (BIP 173/350) and Ethereum EIP-55 checksums.

use sha2::{Digest, Sha256};
use sha3::Keccak256;

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// A mainnet P2PKH (`1...`) or P2SH (`3...`) address whose Base58Check
/// checksum (first 4 bytes of double SHA-256) is correct.
pub fn bitcoin_base58(s: &[u8]) -> bool {
    if !(26..=35).contains(&s.len()) || !matches!(s.first(), Some(b'1' | b'3')) {
        return false;
    }
    let Some(bytes) = base58_decode::<25>(s) else {
        return false;
    };
    if !matches!(bytes[0], 0x00 | 0x05) {
        return false;
    }
    let hash = Sha256::digest(Sha256::digest(&bytes[..21]));
    hash[..4] == bytes[21..]
}

/// Decodes Base58 into exactly `N` bytes (leading `1`s are leading zero bytes).
fn base58_decode<const N: usize>(s: &[u8]) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    for &c in s {
        let mut carry = BASE58.iter().position(|&a| a == c)? as u32;
        for byte in out.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return None;
        }
    }
    // The number of leading '1's must equal the number of leading zero bytes.
    let ones = s.iter().take_while(|&&c| c == b'1').count();
    let zeros = out.iter().take_while(|&&b| b == 0).count();
    (ones == zeros).then_some(out)
}

const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_CONST: u32 = 1;
const BECH32M_CONST: u32 = 0x2bc8_30a3;

fn polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// A mainnet segwit address (`bc1...`): bech32 for witness v0, bech32m for v1+,
/// with a valid witness program length.
pub fn bitcoin_bech32(s: &[u8]) -> bool {
    if !(14..=74).contains(&s.len()) {
        return false;
    }
    let lower = s.iter().any(u8::is_ascii_lowercase);
    let upper = s.iter().any(u8::is_ascii_uppercase);
    if lower && upper {
        return false;
    }
    let s: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    if !s.starts_with(b"bc1") {
        return false;
    }
    let mut data = Vec::with_capacity(s.len() - 3);
    for &c in &s[3..] {
        match BECH32_CHARSET.iter().position(|&a| a == c) {
            Some(v) => data.push(v as u8),
            None => return false,
        }
    }
    if data.len() < 7 {
        return false;
    }
    let hrp = b"bc";
    let expanded = hrp
        .iter()
        .map(|c| c >> 5)
        .chain([0])
        .chain(hrp.iter().map(|c| c & 31));
    let checksum = polymod(expanded.chain(data.iter().copied()));
    let version = data[0];
    let expected = if version == 0 {
        BECH32_CONST
    } else {
        BECH32M_CONST
    };
    if checksum != expected || version > 16 {
        return false;
    }
    // Regroup the 5-bit program into bytes; padding must be zero and under 5 bits.
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut len = 0usize;
    for &v in &data[1..data.len() - 6] {
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            len += 1;
        }
        acc &= (1 << bits) - 1;
    }
    if bits >= 5 || acc != 0 {
        return false;
    }
    (2..=40).contains(&len) && (version != 0 || len == 20 || len == 32)
}

/// An Ethereum address with a mixed-case EIP-55 checksum that verifies.
/// `hex` is the 40 characters after `0x`.
pub fn eip55(hex: &[u8]) -> bool {
    if hex.len() != 40 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let lower: Vec<u8> = hex.iter().map(u8::to_ascii_lowercase).collect();
    let hash = Keccak256::digest(&lower);
    hex.iter().enumerate().all(|(i, &c)| {
        let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0xf;
        match c {
            b'a'..=b'f' => nibble < 8,
            b'A'..=b'F' => nibble >= 8,
            _ => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_addresses() {
        assert!(bitcoin_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
        assert!(bitcoin_base58(b"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        assert!(!bitcoin_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assert!(bitcoin_bech32(
            b"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
        ));
        assert!(bitcoin_bech32(
            b"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"
        ));
        assert!(!bitcoin_bech32(
            b"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"
        ));
        assert!(bitcoin_bech32(
            b"bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"
        ));
        assert!(eip55(b"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        assert!(!eip55(b"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
    }
}
