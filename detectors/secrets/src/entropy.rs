//! Shannon entropy of a candidate value, in bits per byte.

/// Shannon entropy of `s` over its bytes (0.0 for an empty string).
pub fn shannon(s: &str) -> f64 {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::shannon;

    #[test]
    fn entropy_orders_strings_by_randomness() {
        assert_eq!(shannon(""), 0.0);
        assert_eq!(shannon("aaaaaaaa"), 0.0);
        assert!((shannon("abcd") - 2.0).abs() < 1e-9);
        assert!(shannon("q8Vz3LkP0wR7xN2m") > 3.5);
        assert!(shannon("password") < 3.0);
    }
}
