//! Check-digit algorithms of the identifiers the detector validates.
//!
//! Every function takes the identifier's characters already stripped of
//! separators (ASCII digits, or uppercase alphanumerics where the format has
//! letters) and returns `false` for anything malformed instead of panicking.

/// Digit values of an ASCII digit string, or `None` if any byte is not a digit.
pub fn digits(s: &[u8]) -> Option<Vec<u8>> {
    s.iter()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

/// Luhn (mod 10): payment cards, Canadian SIN.
pub fn luhn(d: &[u8]) -> bool {
    if d.is_empty() {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// IBAN: ISO 13616 mod-97 over the rearranged string (country+check moved to the end).
pub fn iban_mod97(s: &[u8]) -> bool {
    if s.len() < 5 {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in s[4..].iter().chain(&s[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff (dihedral group D5): Indian Aadhaar.
pub fn verhoeff(d: &[u8]) -> bool {
    let mut c = 0usize;
    for (i, &x) in d.iter().rev().enumerate() {
        if x > 9 {
            return false;
        }
        c = usize::from(VERHOEFF_D[c][usize::from(VERHOEFF_P[i % 8][usize::from(x)])]);
    }
    !d.is_empty() && c == 0
}

/// Spanish DNI / NIE control letter for the 8-digit number `n`.
pub fn dni_letter(n: u32) -> u8 {
    b"TRWAGMYFPDXBNJZSQVHLCKE"[(n % 23) as usize]
}

/// Brazilian CPF: two mod-11 check digits; repeated-digit numbers are invalid.
pub fn cpf(d: &[u8]) -> bool {
    if d.len() != 11 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |len: usize| -> u8 {
        let sum: u32 = d[..len]
            .iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (len as u32 + 1 - i as u32))
            .sum();
        ((sum * 10 % 11) % 10) as u8
    };
    check(9) == d[9] && check(10) == d[10]
}

/// Dutch BSN "elfproef": weights 9..2 and -1 on the last digit.
pub fn bsn(d: &[u8]) -> bool {
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 = d[..8]
        .iter()
        .enumerate()
        .map(|(i, &x)| i32::from(x) * (9 - i as i32))
        .sum::<i32>()
        - i32::from(d[8]);
    sum % 11 == 0
}

/// Australian tax file number: weighted sum mod 11 (8- and 9-digit forms).
pub fn tfn(d: &[u8]) -> bool {
    let weights: &[u32] = match d.len() {
        9 => &[1, 4, 3, 7, 5, 8, 6, 9, 10],
        8 => &[10, 7, 8, 4, 6, 3, 5, 1],
        _ => return false,
    };
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = d.iter().zip(weights).map(|(&x, w)| u32::from(x) * w).sum();
    sum.is_multiple_of(11)
}

/// US ABA routing number: 3-7-1 weights and a Federal Reserve prefix.
pub fn aba(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let prefix = d[0] * 10 + d[1];
    if !matches!(prefix, 1..=12 | 21..=32 | 61..=72 | 80) {
        return false;
    }
    let w = [3u32, 7, 1];
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * w[i % 3])
        .sum();
    sum.is_multiple_of(10)
}

/// Chinese resident identity card: ISO 7064 MOD 11-2 over 17 digits, check `0-9` or `X`.
pub fn cn_resident_id(s: &[u8]) -> bool {
    if s.len() != 18 {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0u32;
    for (i, &c) in s[..17].iter().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        sum += u32::from(c - b'0') * W[i];
    }
    b"10X98765432"[(sum % 11) as usize] == s[17].to_ascii_uppercase()
}

/// German tax identification number (Steuer-IdNr): digit-frequency rule and
/// ISO 7064 MOD 11,10 check digit.
pub fn steuer_id(d: &[u8]) -> bool {
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[usize::from(x)] += 1;
    }
    // Exactly one digit repeats (twice or three times); every other digit appears at most once.
    let repeated = counts.iter().filter(|&&c| c >= 2).count();
    if repeated != 1 || counts.iter().any(|&c| c > 3) {
        return false;
    }
    let mut product = 10u32;
    for &x in &d[..10] {
        let mut sum = (u32::from(x) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = (11 - product) % 10;
    check == u32::from(d[10])
}

/// French NIR (INSEE number): key = 97 - (first 13 digits mod 97).
/// `body` is the 13-character body, where Corsican departments `2A`/`2B` are allowed.
pub fn nir_key(body: &[u8]) -> Option<u32> {
    if body.len() != 13 {
        return None;
    }
    let mut n: u64 = 0;
    for (i, &c) in body.iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            // Corsica: 2A counts as 19, 2B as 18 (the department digits become 19/18).
            b'A' | b'B' if i == 6 && body[5] == b'2' => 0,
            _ => return None,
        };
        n = n * 10 + v;
    }
    match (body[5], body[6]) {
        (b'2', b'A') => n -= 1_000_000,
        (b'2', b'B') => n -= 2_000_000,
        _ => {}
    }
    Some(97 - (n % 97) as u32)
}

/// Italian codice fiscale control character (position 16) over the first 15 characters.
pub fn codice_fiscale(s: &[u8]) -> bool {
    if s.len() != 16 {
        return false;
    }
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let mut sum = 0u32;
    for (i, &c) in s[..15].iter().enumerate() {
        let idx = match c {
            b'0'..=b'9' => usize::from(c - b'0'),
            b'A'..=b'Z' => usize::from(c - b'A'),
            _ => return false,
        };
        // Positions are 1-based in the specification: 1st, 3rd, ... use the "odd" table.
        sum += if i % 2 == 0 { ODD[idx] } else { idx as u32 };
    }
    s[15] == b'A' + (sum % 26) as u8
}

/// Singapore NRIC / FIN check letter (S, T, F, G series; M series from 2022).
pub fn nric(s: &[u8]) -> bool {
    if s.len() != 9 {
        return false;
    }
    const W: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let mut sum = 0u32;
    for (i, &c) in s[1..8].iter().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        sum += u32::from(c - b'0') * W[i];
    }
    let table: &[u8; 11] = match s[0] {
        b'S' => b"JZIHGFEDCBA",
        b'T' => {
            sum += 4;
            b"JZIHGFEDCBA"
        }
        b'F' => b"XWUTRQPNMLK",
        b'G' => {
            sum += 4;
            b"XWUTRQPNMLK"
        }
        b'M' => {
            sum += 3;
            b"XWUTRQPNJLK"
        }
        _ => return false,
    };
    table[(sum % 11) as usize] == s[8]
}

/// ICAO 9303 MRZ check digit (weights 7, 3, 1; `<` counts as 0).
pub fn mrz_check(field: &[u8], check: u8) -> bool {
    let mut sum = 0u32;
    for (i, &c) in field.iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return false,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    check.is_ascii_digit() && u32::from(check - b'0') == sum % 10
}

/// A calendar date check (proleptic Gregorian).
pub fn valid_date(year: u32, month: u32, day: u32) -> bool {
    if !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

/// The number formed by ASCII digits (at most 9 of them, so it cannot overflow).
pub fn num(s: &[u8]) -> u32 {
    s.iter()
        .take(9)
        .fold(0, |n, &c| n * 10 + u32::from(c.wrapping_sub(b'0') % 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        digits(s.as_bytes()).unwrap()
    }

    #[test]
    fn known_values() {
        assert!(luhn(&d("4111111111111111")));
        assert!(!luhn(&d("4111111111111112")));
        assert!(iban_mod97(b"DE89370400440532013000"));
        assert!(iban_mod97(b"GB29NWBK60161331926819"));
        assert!(!iban_mod97(b"GB29NWBK60161331926818"));
        assert!(verhoeff(&d("2363")));
        assert!(!verhoeff(&d("2364")));
        assert_eq!(dni_letter(12345678), b'Z');
        assert!(cpf(&d("52998224725")));
        assert!(!cpf(&d("11111111111")));
        assert!(bsn(&d("111222333")));
        assert!(tfn(&d("123456782")));
        assert!(aba(&d("021000021")));
        assert!(aba(&d("011000015")));
        assert!(cn_resident_id(b"11010519491231002X"));
        assert!(steuer_id(&d("86095742719")));
        assert!(codice_fiscale(b"RSSMRA85T10A562S"));
        assert!(nric(b"S1234567D"));
        assert!(mrz_check(b"L898902C3", b'6'));
        assert!(mrz_check(b"740812", b'2'));
        assert_eq!(
            nir_key(b"1850578006084"),
            Some(97 - (1850578006084u64 % 97) as u32)
        );
        assert!(valid_date(2024, 2, 29) && !valid_date(2023, 2, 29));
    }
}
