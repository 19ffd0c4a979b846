//! Identifiers written as one word of letters and digits: IBANs, crypto
//! addresses and the national numbers with letters (UK NINO, Singapore NRIC,
//! Spanish DNI/NIE, Italian codice fiscale, Indian PAN, Chinese ID ending in
//! `X`), plus UK postcodes, ordinal dates and house numbers like `221B`.

use crate::checksum as ck;
use crate::context::fam::*;
use crate::crypto;
use crate::numeric::{SPACE, Seq, cn_resident_id};
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, before, digit, glued_left, glued_right, run_end, shape, upper};

fn upper_or_digit(c: u8) -> bool {
    upper(c) || digit(c)
}

impl Cx<'_> {
    /// Examines the word `ws..we` (letters and digits); returns where scanning
    /// resumes if it consumed the word (and maybe more, for grouped IBANs).
    pub fn word(&mut self, ws: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let w = &b[ws..we];
        let len = w.len();
        if len > 100 || glued_left(b, ws) {
            return None;
        }
        if len == 42 && (w.starts_with(b"0x") || w.starts_with(b"0X")) {
            return self.ethereum(ws, we);
        }
        if matches!(w[0], b'1' | b'3')
            && (26..=35).contains(&len)
            && !glued_right(b, we)
            && crypto::bitcoin_base58(w)
        {
            self.emit(Kind::BitcoinAddress, ws, we, 0.95);
            return Some(we);
        }
        if len >= 14
            && w[..3].eq_ignore_ascii_case(b"bc1")
            && !glued_right(b, we)
            && crypto::bitcoin_bech32(w)
        {
            self.emit(Kind::BitcoinAddress, ws, we, 0.95);
            return Some(we);
        }
        if len >= 4
            && upper(w[0])
            && upper(w[1])
            && digit(w[2])
            && digit(w[3])
            && let Some(e) = self.iban(ws, we)
        {
            return Some(e);
        }
        if (2..=4).contains(&len)
            && let Some(e) = self.uk_postcode(ws, we)
        {
            return Some(e);
        }
        if digit(w[0])
            && len <= 4
            && w.iter()
                .skip_while(|c| digit(**c))
                .all(u8::is_ascii_lowercase)
        {
            // Ordinal day: "12th March 1985".
            if let Some(e) = self.textual_date(ws) {
                return Some(e);
            }
        }
        if digit(w[0])
            && upper(w[len - 1])
            && len <= 6
            && w[..len - 1].iter().all(|&c| digit(c))
            && at(b, we) == b' '
        {
            // House number with a letter: "221B Baker Street".
            if let Some(e) = self.street_address(ws) {
                return Some(e);
            }
        }
        if at(b, we) == b'-' {
            // Dash-grouped license numbers: "S123-456-78-901-0".
            return self.document_word(ws, we);
        }
        if glued_right(b, we) || !w.iter().all(|&c| upper_or_digit(c) || c == b'x') {
            return None;
        }
        let found = match len {
            9 => self.nine_char_id(ws, we),
            10 => self.pan(ws, we),
            16 => self.codice_fiscale(ws, we).or_else(|| self.dvla(ws, we)),
            18 if cn_resident_id(w) => {
                self.emit(Kind::CnResidentId, ws, we, 0.95);
                Some(we)
            }
            _ => None,
        };
        found.or_else(|| self.document_word(ws, we))
    }

    /// Ethereum `0x` + 40 hex: a mixed-case address that passes its EIP-55
    /// checksum, or any one after a wallet/Ethereum keyword.
    fn ethereum(&mut self, ws: usize, we: usize) -> Option<usize> {
        let hex = &self.b[ws + 2..we];
        if !hex.iter().all(u8::is_ascii_hexdigit)
            || glued_right(self.b, we)
            || hex.iter().all(|&c| c == b'0')
        {
            return None;
        }
        let lower = hex.iter().any(|c| matches!(c, b'a'..=b'f'));
        let upper = hex.iter().any(|c| matches!(c, b'A'..=b'F'));
        if lower && upper && crypto::eip55(hex) {
            self.emit(Kind::EthereumAddress, ws, we, 0.95);
        } else if self.ctx.decide(ws, we, ETH | NEGATIVE) & ETH != 0 {
            // Single case, or a mixed case that is not a checksum (retyped by hand).
            self.emit(
                Kind::EthereumAddress,
                ws,
                we,
                if lower && upper { 0.6 } else { 0.8 },
            );
        }
        Some(we)
    }

    /// IBAN, compact (`DE89370400440532013000`) or in groups of four
    /// (`GB29 NWBK 6016 1331 9268 19`, `GB29-NWBK-...`): the country's length and mod-97.
    fn iban(&mut self, ws: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let expected = iban_length(&b[ws..ws + 2])?;
        let w = &b[ws..we];
        if w.len() > expected || !w.iter().all(|&c| upper_or_digit(c)) {
            return None;
        }
        let mut buf = [0u8; 34];
        buf[..w.len()].copy_from_slice(w);
        let mut n = w.len();
        let mut end = we;
        if n == 4 {
            // Groups of four joined by spaces (or dashes, all the same).
            let sep = at(b, end);
            while n < expected && matches!(sep, b' ' | b'-') && at(b, end) == sep {
                let gs = end + 1;
                let ge = run_end(b, gs, alnum);
                let g = &b[gs..ge];
                if g.is_empty()
                    || g.len() > 4
                    || n + g.len() > expected
                    || !g.iter().all(|&c| upper_or_digit(c))
                {
                    break;
                }
                buf[n..n + g.len()].copy_from_slice(g);
                n += g.len();
                end = ge;
                if g.len() < 4 {
                    break;
                }
            }
        }
        if n != expected || glued_right(b, end) || !ck::iban_mod97(&buf[..n]) {
            return None;
        }
        self.emit(Kind::Iban, ws, end, 0.95);
        Some(end)
    }

    /// Nine-character identifiers: UK NINO `AB123456C`, Singapore NRIC
    /// `S1234567D`, Spanish DNI `12345678Z` and NIE `X1234567L`.
    fn nine_char_id(&mut self, ws: usize, we: usize) -> Option<usize> {
        let w = &self.b[ws..we];
        let (kind, confidence) =
            if shape(w, b"AA999999A") && nino_prefix(w[0], w[1]) && (b'A'..=b'D').contains(&w[8]) {
                let ctx = self.id_context(ws, we);
                if ctx != 0 && ctx & NINO == 0 {
                    return None;
                }
                (Kind::UkNino, if ctx != 0 { 0.95 } else { 0.8 })
            } else if shape(w, b"A9999999A") && b"STFGM".contains(&w[0]) && ck::nric(w) {
                (Kind::SgNric, 0.9)
            } else if shape(w, b"99999999A") && ck::dni_letter(ck::num(&w[..8])) == w[8] {
                (Kind::EsDni, 0.9)
            } else if shape(w, b"A9999999A") && b"XYZ".contains(&w[0]) {
                let n = u32::from(w[0] - b'X') * 10_000_000 + ck::num(&w[1..8]);
                if ck::dni_letter(n) != w[8] {
                    return None;
                }
                (Kind::EsNie, 0.9)
            } else {
                return None;
            };
        self.emit(kind, ws, we, confidence);
        Some(we)
    }

    /// Indian PAN `AAAPA1234A`: the fourth letter is the holder type; only
    /// individual holders (`P`) are reported without a PAN keyword.
    fn pan(&mut self, ws: usize, we: usize) -> Option<usize> {
        let w = &self.b[ws..we];
        if !shape(w, b"AAAAA9999A") || !b"ABCFGHLJPT".contains(&w[3]) {
            return None;
        }
        let ctx = self.id_context(ws, we);
        if ctx & PAN == 0 && !(ctx == 0 && w[3] == b'P') {
            return None;
        }
        self.emit(Kind::InPan, ws, we, if ctx & PAN != 0 { 0.9 } else { 0.7 });
        Some(we)
    }

    /// Italian codice fiscale: 6 letters, birth year/month/day (digits may be
    /// replaced by letters, "omocodia"), municipality code and check letter.
    fn codice_fiscale(&mut self, ws: usize, we: usize) -> Option<usize> {
        let w = &self.b[ws..we];
        let digitish = |c: u8| digit(c) || b"LMNPQRSTUV".contains(&c);
        let value = |c: u8| {
            if digit(c) {
                u32::from(c - b'0')
            } else {
                b"LMNPQRSTUV".iter().position(|&x| x == c).unwrap_or(0) as u32
            }
        };
        let letters = |r: std::ops::Range<usize>| w[r].iter().all(|&c| upper(c));
        let ok = letters(0..6)
            && digitish(w[6])
            && digitish(w[7])
            && b"ABCDEHLMPRST".contains(&w[8])
            && digitish(w[9])
            && digitish(w[10])
            && upper(w[11])
            && w[12..15].iter().all(|&c| digitish(c))
            && upper(w[15]);
        let day = value(w[9]) * 10 + value(w[10]);
        if !ok || !matches!(day, 1..=31 | 41..=71) || !ck::codice_fiscale(w) {
            return None;
        }
        self.emit(Kind::ItCodiceFiscale, ws, we, 0.95);
        Some(we)
    }
}

impl Cx<'_> {
    /// A spaced UK NINO (`AB 12 34 56 C`) whose digit groups start the sequence `q`.
    pub fn nino_spaced(&mut self, q: &Seq) -> Option<usize> {
        let b = self.b;
        let s = q.g[0].0;
        if s < 3
            || b[s - 1] != b' '
            || !upper(b[s - 3])
            || !upper(b[s - 2])
            || alnum(before(b, s - 3))
        {
            return None;
        }
        if !q.lens(0, &[2, 2, 2])
            || !q.sep[0].is(SPACE)
            || !q.sep[1].is(SPACE)
            || !nino_prefix(b[s - 3], b[s - 2])
        {
            return None;
        }
        let e = q.g[2].1;
        let suffix =
            at(b, e) == b' ' && (b'A'..=b'D').contains(&at(b, e + 1)) && !alnum(at(b, e + 2));
        let (start, end) = (s - 3, if suffix { e + 2 } else { e });
        let ctx = self.id_context(start, end);
        if (ctx != 0 && ctx & NINO == 0) || (!suffix && (ctx & NINO == 0 || !self.end_ok(q, 3))) {
            return None;
        }
        self.emit(Kind::UkNino, start, end, 0.9);
        Some(end)
    }
}

/// UK NINO prefix rules (HMRC): first letter not D F I Q U V, second not
/// D F I O Q U V, and not BG GB KN NK NT TN ZZ.
fn nino_prefix(a: u8, b: u8) -> bool {
    !b"DFIQUV".contains(&a)
        && !b"DFIOQUV".contains(&b)
        && ![b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"].contains(&&[a, b])
}

/// IBAN length per country (ISO 13616 registry).
fn iban_length(cc: &[u8]) -> Option<usize> {
    let len = match cc {
        b"NO" => 15,
        b"BE" => 16,
        b"DK" | b"FI" | b"FO" | b"GL" | b"NL" | b"SD" | b"FK" => 18,
        b"MK" | b"SI" => 19,
        b"AT" | b"BA" | b"EE" | b"KZ" | b"LT" | b"LU" | b"XK" | b"MN" => 20,
        b"CH" | b"CR" | b"HR" | b"LI" | b"LV" => 21,
        b"BG" | b"BH" | b"DE" | b"GB" | b"GE" | b"IE" | b"ME" | b"RS" | b"VA" => 22,
        b"AE" | b"GI" | b"IL" | b"IQ" | b"TL" | b"SO" | b"OM" => 23,
        b"AD" | b"CZ" | b"ES" | b"MD" | b"PK" | b"RO" | b"SA" | b"SE" | b"SK" | b"TN" | b"VG" => 24,
        b"PT" | b"ST" | b"LY" => 25,
        b"IS" | b"TR" => 26,
        b"FR" | b"GR" | b"IT" | b"MC" | b"MR" | b"SM" | b"BI" | b"DJ" => 27,
        b"AL" | b"AZ" | b"BY" | b"CY" | b"DO" | b"GT" | b"HU" | b"LB" | b"PL" | b"SV" | b"NI" => 28,
        b"BR" | b"EG" | b"PS" | b"QA" | b"UA" => 29,
        b"JO" | b"KW" | b"MU" | b"YE" => 30,
        b"MT" | b"SC" => 31,
        b"LC" => 32,
        b"RU" => 33,
        _ => return None,
    };
    Some(len)
}
