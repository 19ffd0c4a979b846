//! Phone numbers.
//!
//! Four ways in, from strongest to weakest evidence:
//! - international: `+` (or `00`) and a country code whose national number
//!   length fits that country's numbering plan (`+44 20 7946 0958`);
//! - North American formatting: `(415) 555-2671`, `415-555-2671`,
//!   `415.555.2671`, `1-415-555-2671` (space-separated only when the area code
//!   and exchange are valid NANP, or with a keyword);
//! - national formatting with a trunk `0` or an area code in parentheses,
//!   10-11 digits in 2+ groups: `020 7946 0958`, `01 23 45 67 89`, `(11) 91234-5678`;
//! - any 7-15 digits (in groups, or 8-15 bare) after a phone keyword.
//!
//! A bare run of digits without a keyword is never a phone number: that is
//! what IDs, timestamps and amounts look like.

use crate::context::fam::*;
use crate::numeric::{CLOSE, DASH, DOT, OPEN, SLASH, SPACE, Sep, Seq};
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{at, digit};

/// Separators that may appear inside a phone number.
fn phone_sep(s: Sep) -> bool {
    !(s.has(SLASH) || (s.has(DOT) && s.has(SPACE)))
}

impl Cx<'_> {
    pub fn phone(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if !self.enabled(Kind::Phone) {
            return None;
        }
        let b = self.b;
        let s0 = q.g[k].0;
        if k == 0 && q.plus {
            return self.international(q, k, 0);
        }
        if b[s0] == b'0' && at(b, s0 + 1) == b'0' && (3..=5).contains(&q.len(k)) && k + 1 < q.n {
            return self.international(q, k, 2);
        }
        self.nanp(q, k)
            .or_else(|| self.national(q, k))
            .or_else(|| self.phone_by_keyword(q, k))
    }

    /// The value made of groups `..m` ends there, or is followed by an extension (`x123`).
    fn phone_end_ok(&self, q: &Seq, m: usize) -> bool {
        let e = q.end(m);
        self.end_ok(q, m)
            || (m == q.n && matches!(at(self.b, e), b'x' | b'X') && digit(at(self.b, e + 1)))
    }

    /// `+CC ...` or `00CC ...`; `skip` is the number of `0`s of the `00` prefix.
    fn international(&mut self, q: &Seq, k: usize, skip: usize) -> Option<usize> {
        let b = self.b;
        let mut buf = [0u8; 20];
        let mut n = 0usize;
        let mut best = None;
        for m in k + 1..=q.n {
            let i = m - 1;
            if i > k && !phone_sep(q.sep[i - 1]) {
                break;
            }
            let (s, e) = q.g[i];
            // "+44 (0)20 ...": the trunk 0 in parentheses is not dialled.
            let trunk = i > k
                && e - s == 1
                && b[s] == b'0'
                && q.sep[i - 1].has(OPEN)
                && q.sep.get(i).is_some_and(|x| x.has(CLOSE));
            if !trunk {
                for &c in &b[s..e] {
                    if n == buf.len() {
                        return self.emit_phone(q, k, best, 0.9);
                    }
                    buf[n] = c - b'0';
                    n += 1;
                }
            }
            let digits = &buf[skip.min(n)..n];
            if digits.len() > 15 {
                break;
            }
            if e164(digits) && self.phone_end_ok(q, m) {
                best = Some(m);
            }
        }
        self.emit_phone(q, k, best, 0.9)
    }

    fn emit_phone(
        &mut self,
        q: &Seq,
        k: usize,
        m: Option<usize>,
        confidence: f32,
    ) -> Option<usize> {
        let m = m?;
        self.emit(Kind::Phone, q.start(k), q.end(m), confidence);
        Some(m)
    }

    /// North American numbers: `(NPA) NXX-XXXX`, `NPA-NXX-XXXX`, `NPA.NXX.XXXX`, with an optional leading `1`.
    fn nanp(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let b = self.b;
        let lead1 = q.len(k) == 1 && b[q.g[k].0] == b'1' && q.n - k >= 4;
        let i = if lead1 { k + 1 } else { k };
        if !q.lens(i, &[3, 3, 4]) {
            return None;
        }
        if lead1
            && !(q.sep[k].is(DASH)
                || q.sep[k].is(SPACE)
                || q.sep[k].is(DOT)
                || q.sep[k].is(SPACE | OPEN))
        {
            return None;
        }
        let (s1, s2) = (q.sep[i], q.sep[i + 1]);
        let opened = if i == 0 {
            q.open
        } else {
            q.sep[i - 1].has(OPEN)
        };
        let shape = if opened {
            (s1.is(CLOSE) || s1.is(CLOSE | SPACE) || s1.is(CLOSE | DASH))
                && (s2.is(DASH) || s2.is(SPACE) || s2.is(DOT))
        } else {
            (s1.is(DASH) && s2.is(DASH))
                || (s1.is(DOT) && s2.is(DOT))
                || (s1.is(SPACE) && (s2.is(SPACE) || s2.is(DASH)))
        };
        let m = i + 3;
        if !shape || !self.phone_end_ok(q, m) {
            return None;
        }
        let (start, end) = (q.start(k), q.end(m));
        let area = crate::checksum::num(&b[q.g[i].0..q.g[i].1]);
        let exchange = crate::checksum::num(&b[q.g[i + 1].0..q.g[i + 1].1]);
        let valid = area >= 200 && exchange >= 200 && area % 100 != 11 && exchange % 100 != 11;
        let ctx = self.id_context(start, end);
        if ctx != 0 && ctx & PHONE == 0 {
            return None;
        }
        // Space-separated digits are weaker evidence: valid NANP numbers only,
        // at the start of a number sequence, unless a keyword says "phone".
        if s1.is(SPACE) && (!valid || k > 0 || m < q.n) && ctx & PHONE == 0 {
            return None;
        }
        let confidence = if ctx & PHONE != 0 {
            0.95
        } else if valid {
            0.85
        } else {
            0.7
        };
        self.emit(Kind::Phone, start, end, confidence);
        Some(m)
    }

    /// National formats outside North America: a trunk `0` (not `00`) or an
    /// area code in parentheses, then groups, 10-11 digits in all.
    fn national(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let b = self.b;
        let s0 = q.g[k].0;
        let l0 = q.len(k);
        let opened = if k == 0 {
            q.open
        } else {
            q.sep[k - 1].has(OPEN)
        };
        let trunk = b[s0] == b'0' && at(b, s0 + 1) != b'0';
        if !(trunk || opened)
            || !(2..=5).contains(&l0)
            || k + 1 >= q.n
            || (opened && !q.sep[k].has(CLOSE))
        {
            return None;
        }
        let mut total = l0;
        let mut best = None;
        for m in k + 2..=q.n {
            let sep = q.sep[m - 2];
            // German style "030/1234567" puts a slash after the area code.
            let slash_ok = m == k + 2 && trunk && sep.is(SLASH);
            if !(phone_sep(sep) || slash_ok) || q.len(m - 1) < 2 {
                break;
            }
            total += q.len(m - 1);
            if total > 11 {
                break;
            }
            // The number must end the run: "04 11 23 35 42 49" is not a phone number.
            if total >= 10 && (m == q.n && self.phone_end_ok(q, m)) {
                best = Some(m);
            }
        }
        let m = best?;
        let ctx = self.id_context(q.start(k), q.end(m));
        // Inside a longer run of spaced digits ("1 85 05 78 006 084 36") only with a keyword.
        if ctx & PHONE == 0 && (ctx != 0 || k > 0) {
            return None;
        }
        self.emit_phone(q, k, Some(m), if ctx != 0 { 0.9 } else { 0.75 })
    }

    /// Anything phone-shaped after a phone keyword.
    fn phone_by_keyword(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let mut total = 0;
        let mut best = None;
        for m in k + 1..=q.n {
            if m > k + 1 && !phone_sep(q.sep[m - 2]) {
                break;
            }
            total += q.len(m - 1);
            if total > 15 {
                break;
            }
            let min = if m == k + 1 { 8 } else { 7 };
            if total >= min && self.phone_end_ok(q, m) && (best.is_none() || total <= 12) {
                best = Some(m);
            }
        }
        let m = best?;
        // Two groups read as a phone number only when the last has 4+ digits
        // ("555-2671", "98765 43210"), not "10003 200" in an access log.
        if m == k + 2 && q.len(k + 1) < 4 {
            return None;
        }
        // Year ranges ("2016-2020") are not phone numbers.
        let years = (k..m).all(|i| {
            q.len(i) == 4 && matches!(self.b[q.g[i].0..q.g[i].0 + 2], [b'1', b'9'] | [b'2', b'0'])
        });
        if years || self.id_context(q.start(k), q.end(m)) & PHONE == 0 {
            return None;
        }
        self.emit_phone(q, k, Some(m), 0.8)
    }
}

/// A country code followed by a national number whose length fits that
/// country's plan (ITU-T E.164 assignments; a generic 6-12 for 3-digit codes).
pub fn e164(d: &[u8]) -> bool {
    if d.len() < 8 || d[0] == 0 {
        return false;
    }
    let two = u32::from(d[0]) * 10 + u32::from(d.get(1).copied().unwrap_or(0));
    let (cc_len, min, max) = match d[0] {
        1 | 7 => (1, 10, 10),
        _ => match two {
            20 => (2, 8, 10),
            27 => (2, 9, 9),
            30 => (2, 10, 10),
            31 | 33 | 34 | 40 | 41 | 48 | 56 | 61 | 93 | 94 => (2, 9, 9),
            32 | 36 | 66 => (2, 8, 9),
            39 => (2, 6, 11),
            43 => (2, 4, 13),
            44 => (2, 7, 10),
            45 | 47 | 53 | 65 => (2, 8, 8),
            46 => (2, 7, 10),
            49 => (2, 6, 13),
            51 => (2, 8, 9),
            52 | 58 | 90 | 91 | 98 => (2, 10, 10),
            54 | 55 => (2, 10, 11),
            57 | 63 | 64 | 82 => (2, 8, 10),
            60 | 95 => (2, 7, 10),
            62 => (2, 8, 12),
            81 | 84 | 92 => (2, 9, 10),
            86 => (2, 10, 11),
            21..=26
            | 29
            | 35
            | 37
            | 38
            | 42
            | 50
            | 59
            | 67..=69
            | 80
            | 85
            | 87
            | 88
            | 96
            | 97
            | 99 => (3, 6, 12),
            _ => return false,
        },
    };
    let nsn = d.len() - cc_len;
    (min..=max).contains(&nsn)
}

#[cfg(test)]
mod tests {
    use super::e164;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().map(|c| c - b'0').collect()
    }

    #[test]
    fn country_plans() {
        assert!(e164(&d("14155552671")));
        assert!(e164(&d("442079460958")));
        assert!(e164(&d("4930123456")));
        assert!(e164(&d("33123456789")));
        assert!(e164(&d("919876543210")));
        assert!(e164(&d("8613800138000")));
        assert!(!e164(&d("1415555267")));
        assert!(!e164(&d("331234567")));
        assert!(!e164(&d("2812345678")));
    }
}
