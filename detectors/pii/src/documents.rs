//! Identity documents: passport and driver's license numbers (after a
//! keyword: their formats have no check digit), UK DVLA licence numbers (a
//! structured 16-character format), and passport machine-readable zones
//! (ICAO 9303 TD3/TD2, with their check digits).

use crate::checksum::mrz_check;
use crate::context::fam::*;
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, digit, glued_right, run_end, upper};

impl Cx<'_> {
    /// A passport or driver's license number after its keyword:
    /// 5-16 uppercase letters and digits, at least 3 digits; licenses may be
    /// dash-grouped (`S123-456-78-901-0`).
    pub fn document_word(&mut self, ws: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let w = &b[ws..we];
        let dashed = at(b, we) == b'-';
        if w.len() > 16 || (w.len() < 5 && !dashed) || !w.iter().all(|&c| upper(c) || digit(c)) {
            return None;
        }
        let ctx = self.id_context(ws, we);
        if ctx & (PASSPORT | DL) == 0 || ctx & NEGATIVE != 0 {
            return None;
        }
        let digits = w.iter().filter(|&&c| digit(c)).count();
        if ctx & PASSPORT != 0
            && (6..=9).contains(&w.len())
            && digits >= 4
            && w.len() - digits <= 3
            && !glued_right(b, we)
        {
            self.emit(Kind::Passport, ws, we, 0.8);
            return Some(we);
        }
        if ctx & DL != 0 {
            let mut end = we;
            let mut chars = w.len();
            let mut digits = digits;
            while at(b, end) == b'-' && alnum(at(b, end + 1)) {
                let ge = run_end(b, end + 1, alnum);
                let g = &b[end + 1..ge];
                if !g.iter().all(|&c| upper(c) || digit(c)) || chars + g.len() > 16 {
                    break;
                }
                chars += g.len();
                digits += g.iter().filter(|&&c| digit(c)).count();
                end = ge;
            }
            if chars >= 5 && digits >= 4 && !glued_right(b, end) {
                self.emit(Kind::DriversLicense, ws, end, 0.8);
                return Some(end);
            }
        }
        None
    }

    /// UK DVLA driving licence number: surname (5, padded with 9), decade,
    /// month (+50 for women), day, year digit, initials, a digit and two check letters.
    pub fn dvla(&mut self, ws: usize, we: usize) -> Option<usize> {
        let w = &self.b[ws..we];
        let name = |c: u8| upper(c) || c == b'9';
        let d = |i: usize| digit(w[i]);
        let month = u32::from(w[6].wrapping_sub(b'0')) * 10 + u32::from(w[7].wrapping_sub(b'0'));
        let day = u32::from(w[8].wrapping_sub(b'0')) * 10 + u32::from(w[9].wrapping_sub(b'0'));
        let ok = upper(w[0])
            && w[1..5].iter().all(|&c| name(c))
            && (5..11).all(d)
            && matches!(month, 1..=12 | 51..=62)
            && (1..=31).contains(&day)
            && name(w[11])
            && name(w[12])
            && d(13)
            && upper(w[14])
            && upper(w[15]);
        if !ok {
            return None;
        }
        self.emit(Kind::UkDrivingLicence, ws, we, 0.85);
        Some(we)
    }

    /// Passport MRZ: the second line of a TD3 (44 characters) or TD2 (36)
    /// zone whose check digits verify; the name line above it is included.
    pub fn mrz(&mut self) {
        let b = self.b;
        let mut offset = 0usize;
        let mut prev: Option<(usize, usize)> = None;
        for line in b.split(|&c| c == b'\n') {
            let start = offset;
            offset += line.len() + 1;
            let trimmed_start = start + line.iter().take_while(|c| c.is_ascii_whitespace()).count();
            let mut end = start + line.len();
            while end > trimmed_start && b[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            let t = &b[trimmed_start..end];
            let is_mrz = !t.is_empty() && t.iter().all(|&c| upper(c) || digit(c) || c == b'<');
            if is_mrz && mrz_line2(t) {
                let first = match prev {
                    Some((ps, pe))
                        if pe - ps == t.len() && matches!(b[ps], b'P' | b'I' | b'A' | b'C') =>
                    {
                        ps
                    }
                    _ => trimmed_start,
                };
                self.emit(Kind::PassportMrz, first, end, 0.95);
            }
            prev = is_mrz.then_some((trimmed_start, end));
        }
    }
}

/// TD3 (44) / TD2 (36) second line: document number, birth date, expiry date,
/// optional data and composite check digits.
fn mrz_line2(t: &[u8]) -> bool {
    let (opt_end, composite) = match t.len() {
        44 => (42, 43),
        36 => (35, 35),
        _ => return false,
    };
    let nationality_ok = t[10..13].iter().all(|&c| upper(c) || c == b'<');
    let sex_ok = matches!(t[20], b'M' | b'F' | b'X' | b'<');
    let basic = nationality_ok
        && sex_ok
        && mrz_check(&t[0..9], t[9])
        && mrz_check(&t[13..19], t[19])
        && mrz_check(&t[21..27], t[27]);
    if !basic {
        return false;
    }
    // TD3 has a check digit over the optional data (or `<` when it is empty).
    let optional_ok = t.len() != 44
        || mrz_check(&t[28..42], t[42])
        || (t[42] == b'<' && t[28..42].iter().all(|&c| c == b'<'));
    let mut data = Vec::with_capacity(40);
    data.extend_from_slice(&t[0..10]);
    data.extend_from_slice(&t[13..20]);
    data.extend_from_slice(&t[21..opt_end + usize::from(t.len() == 44)]);
    optional_ok && mrz_check(&data, t[composite])
}
