//! Number sequences: digit groups joined by single separators, and the
//! identifiers written that way (cards, SSNs, national numbers).
//!
//! A sequence is read once; then, from each group that can start a value, the
//! recognizers are tried from the most specific (IP address, date, CPF, card,
//! SSN...) to the least (phone, bare number with a context keyword). A value
//! must stand alone: not continue an identifier before it (`ORD-123...`,
//! `/users/123...`) nor go on after it (`...-99`).

use crate::checksum as ck;
use crate::context::fam::*;
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, before, digit, glued_left, glued_right, run_end, upper};

pub const MAX_GROUPS: usize = 10;

/// Separator flags.
pub const SPACE: u8 = 1;
pub const DASH: u8 = 2;
pub const DOT: u8 = 4;
pub const SLASH: u8 = 8;
pub const OPEN: u8 = 16;
pub const CLOSE: u8 = 32;

/// What joins two digit groups: at most one space, one of `-./`, one `(` and one `)`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sep(pub u8);

impl Sep {
    pub fn is(self, flags: u8) -> bool {
        self.0 == flags
    }
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
    /// A separator with a space ends a value (`... 2671 12 ...`); the others bind.
    pub fn weak(self) -> bool {
        self.has(SPACE)
    }
}

/// Reads the separator after a digit group ending at `p`; `None` unless a digit follows it.
fn parse_sep(b: &[u8], p: usize) -> Option<(Sep, usize)> {
    let mut i = p;
    let mut f = 0u8;
    while i < b.len() && i - p < 4 {
        let c = b[i];
        let flag = match c {
            b' ' => SPACE,
            // NO-BREAK SPACE, common in French and German number formatting.
            0xC2 if at(b, i + 1) == 0xA0 => SPACE,
            b'-' => DASH,
            b'.' => DOT,
            b'/' => SLASH,
            b'(' => OPEN,
            b')' => CLOSE,
            _ => break,
        };
        let punct = DASH | DOT | SLASH;
        if f & flag != 0 || (flag & punct != 0 && f & punct != 0) {
            return None;
        }
        f |= flag;
        i += if c == 0xC2 { 2 } else { 1 };
    }
    (f != 0 && digit(at(b, i))).then_some((Sep(f), i))
}

/// A number sequence.
pub struct Seq {
    /// Byte ranges of the digit groups.
    pub g: [(usize, usize); MAX_GROUPS],
    /// `sep[i]` joins `g[i]` and `g[i + 1]`.
    pub sep: [Sep; MAX_GROUPS],
    pub n: usize,
    /// `+` right before the first group.
    pub plus: bool,
    /// `(` right before the first group.
    pub open: bool,
}

impl Seq {
    pub fn build(b: &[u8], s: usize) -> Seq {
        let mut q = Seq {
            g: [(0, 0); MAX_GROUPS],
            sep: [Sep::default(); MAX_GROUPS],
            n: 0,
            plus: before(b, s) == b'+',
            open: before(b, s) == b'(',
        };
        let mut i = s;
        loop {
            let e = run_end(b, i, digit);
            q.g[q.n] = (i, e);
            q.n += 1;
            if q.n == MAX_GROUPS {
                break;
            }
            match parse_sep(b, e) {
                Some((sep, next)) => {
                    q.sep[q.n - 1] = sep;
                    i = next;
                }
                None => break,
            }
        }
        q
    }

    pub fn len(&self, i: usize) -> usize {
        self.g[i].1 - self.g[i].0
    }

    /// Group lengths from `k` compare equal to `lens`.
    pub fn lens(&self, k: usize, lens: &[usize]) -> bool {
        k + lens.len() <= self.n && lens.iter().enumerate().all(|(i, &l)| self.len(k + i) == l)
    }

    /// Where a value starting at group `k` starts (with a leading `+` or `(`).
    pub fn start(&self, k: usize) -> usize {
        let s = self.g[k].0;
        let prefixed = if k == 0 {
            self.plus || self.open
        } else {
            self.sep[k - 1].has(OPEN)
        };
        if prefixed { s - 1 } else { s }
    }

    /// End of a value made of groups `..m`.
    pub fn end(&self, m: usize) -> usize {
        self.g[m - 1].1
    }

    /// The digits of groups `k..m` (at most 24).
    pub fn digits(&self, b: &[u8], k: usize, m: usize) -> Digits {
        let mut d = Digits {
            buf: [0; 24],
            len: 0,
        };
        for i in k..m {
            for &c in &b[self.g[i].0..self.g[i].1] {
                if d.len < 24 {
                    d.buf[d.len] = c - b'0';
                    d.len += 1;
                }
            }
        }
        d
    }

    /// Separators joining groups `k..m` all satisfy `f`.
    pub fn seps(&self, k: usize, m: usize, f: impl Fn(Sep) -> bool) -> bool {
        (k..m.saturating_sub(1)).all(|i| f(self.sep[i]))
    }
}

/// Digit values (0-9).
pub struct Digits {
    buf: [u8; 24],
    len: usize,
}

impl std::ops::Deref for Digits {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The number formed by digit values.
pub fn value(d: &[u8]) -> u64 {
    d.iter().take(18).fold(0, |n, &x| n * 10 + u64::from(x))
}

impl Cx<'_> {
    /// Reads the number sequence starting at `s` and reports what it holds.
    /// Returns where scanning resumes.
    pub fn numeric(&mut self, s: usize) -> usize {
        let b = self.b;
        let e = run_end(b, s, digit);
        // A time of day (12:01:33,882) is skipped whole.
        if e - s <= 2 && at(b, e) == b':' && digit(at(b, e + 1)) {
            let mut t = run_end(b, e, |c| digit(c) || c == b':');
            if matches!(at(b, t), b'.' | b',') && digit(at(b, t + 1)) {
                t = run_end(b, t + 1, digit);
            }
            return t;
        }
        // Most numbers in text stand alone and are short (counts, years, ports,
        // times): only a day before a month name or a house number can start there.
        if e - s < 6 && parse_sep(b, e).is_none() && !matches!(before(b, s), b'+' | b'(') {
            let next = at(b, e);
            let month_after = matches!(next, b' ' | b'-' | b's' | b'n' | b'r' | b't');
            let month_before = before(b, s) == b' '
                && (before(b, s - 1).is_ascii_alphabetic() || before(b, s - 1) == b'.');
            if e - s <= 2
                && (month_after || month_before)
                && let Some(end) = self.textual_date(s)
            {
                return end;
            }
            if at(b, e) == b' '
                && let Some(end) = self.street_address(s)
            {
                return end;
            }
            return e;
        }
        let q = Seq::build(b, s);
        let end = q.end(q.n);
        if let Some(e) = self.structured(&q) {
            return e;
        }
        let mut k = 0;
        while k < q.n {
            let can_start = if k == 0 {
                !glued_left(self.b, q.start(0))
            } else {
                q.sep[k - 1].weak()
            };
            if can_start && let Some(m) = self.classify(&q, k) {
                k = m;
                continue;
            }
            k += 1;
        }
        end
    }

    /// Values that mix the sequence with words around it: street addresses,
    /// spaced NI numbers, dates with month names.
    fn structured(&mut self, q: &Seq) -> Option<usize> {
        if q.plus || q.open {
            return None;
        }
        let s = q.g[0].0;
        if let Some(e) = self.nino_spaced(q) {
            return Some(e);
        }
        if q.len(0) <= 2
            && let Some(e) = self.textual_date(s)
        {
            return Some(e);
        }
        if q.len(0) <= 6
            && at(self.b, q.g[0].1) == b' '
            && let Some(e) = self.street_address(s)
        {
            return Some(e);
        }
        None
    }

    /// Tries every recognizer on the value starting at group `k`; returns the
    /// index after the groups consumed.
    fn classify(&mut self, q: &Seq, k: usize) -> Option<usize> {
        // Cheap guards on the group shape pick the recognizers worth calling.
        let l0 = q.len(k);
        let rest = q.n - k;
        let sep = q.sep[k];
        macro_rules! try_rec {
            ($cond:expr, $rec:ident) => {
                if $cond {
                    if let Some(m) = self.$rec(q, k) {
                        return Some(m);
                    }
                }
            };
        }
        try_rec!(rest >= 4 && sep.is(DOT) && l0 <= 3, ipv4);
        try_rec!(
            rest >= 3 && (sep.is(DASH) || sep.is(SLASH) || sep.is(DOT)) && l0 <= 4,
            numeric_date
        );
        try_rec!(rest >= 4 && l0 == 3 && sep.is(DOT), cpf);
        try_rec!(l0 >= 13 || (l0 == 4 && rest >= 3), card);
        try_rec!(rest >= 3 && l0 == 3, ssn);
        try_rec!(
            l0 == 15 || (l0 == 1 && rest >= 7) || (l0 == 13 && rest >= 2),
            nir
        );
        try_rec!(rest >= 3 && l0 == 4, aadhaar);
        try_rec!(rest >= 3 && l0 == 3, three_three_three);
        try_rec!(rest >= 2 || l0 >= 7 || q.plus, phone);
        try_rec!(rest >= 2 && l0 == 2 && sep.is(DASH), ein);
        try_rec!(l0 == 18, cn_resident_id);
        try_rec!((6..=14).contains(&l0), single);
        None
    }

    /// The value made of groups `..m` ends there: the sequence stops, or
    /// continues only after a space.
    pub fn end_ok(&self, q: &Seq, m: usize) -> bool {
        if m < q.n {
            q.sep[m - 1].weak()
        } else {
            !glued_right(self.b, q.end(m))
        }
    }

    /// The context families deciding what `start..end` is, among identifier
    /// keywords and negative ones ("order", "invoice").
    pub fn id_context(&self, start: usize, end: usize) -> u32 {
        self.ctx.decide(start, end, IDS | NEGATIVE)
    }

    /// Payment cards: Luhn and an issuer range with its lengths; written as one
    /// group of 13-19 digits or as 4-4-4-4, 4-6-5, 4-6-4... groups joined by
    /// spaces or dashes.
    fn card(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if !self.enabled(Kind::CreditCard) {
            return None;
        }
        let l0 = q.len(k);
        if (13..=19).contains(&l0) {
            let ok = self.end_ok(q, k + 1) && card_number(&q.digits(self.b, k, k + 1));
            if ok && !self.card_vetoed(q.g[k].0, q.g[k].1) {
                self.emit(Kind::CreditCard, q.g[k].0, q.g[k].1, 0.9);
                return Some(k + 1);
            }
            return None;
        }
        if l0 != 4 || k + 1 >= q.n {
            return None;
        }
        let sep = q.sep[k];
        if !(sep.is(SPACE) || sep.is(DASH)) {
            return None;
        }
        let mut best = None;
        let mut total = 4;
        for m in k + 2..=q.n {
            if q.sep[m - 2] != sep {
                break;
            }
            let l = q.len(m - 1);
            total += l;
            if total > 19 || l > 6 {
                break;
            }
            let middle_fours = (k + 1..m - 1).all(|i| q.len(i) == 4) && (1..=4).contains(&l);
            let amex_diners = m == k + 3 && q.len(k + 1) == 6 && (l == 5 || l == 4);
            if total >= 13
                && (middle_fours || amex_diners)
                && self.end_ok(q, m)
                && card_number(&q.digits(self.b, k, m))
            {
                best = Some(m);
            }
        }
        let m = best?;
        if self.card_vetoed(q.g[k].0, q.end(m)) {
            return Some(m);
        }
        self.emit(Kind::CreditCard, q.g[k].0, q.end(m), 0.95);
        Some(m)
    }

    /// A Luhn-valid number labelled as something else ("Transaction 4532...",
    /// "tracking number"): a random 16-digit ID passes Luhn one time in ten.
    fn card_vetoed(&self, start: usize, end: usize) -> bool {
        self.ctx.decide(start, end, NEGATIVE | CARD) == NEGATIVE
    }

    /// US SSN `AAA-GG-SSSS` (or spaced, with a keyword) and ITIN `9XX-GG-SSSS`.
    fn ssn(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if !q.lens(k, &[3, 2, 4])
            || q.sep[k] != q.sep[k + 1]
            || !(q.sep[k].is(DASH) || q.sep[k].is(SPACE))
        {
            return None;
        }
        let m = k + 3;
        if !self.end_ok(q, m) {
            return None;
        }
        let (start, end) = (q.g[k].0, q.end(m));
        let d = q.digits(self.b, k, m);
        let ctx = self.id_context(start, end);
        let wanted = ctx & (SSN | ITIN | EIN) != 0;
        if ctx != 0 && !wanted {
            // "Order 123-45-6789": another kind of identifier.
            return Some(m);
        }
        if !wanted && q.sep[k].is(SPACE) {
            return None;
        }
        if itin(&d) {
            self.emit(Kind::UsItin, start, end, if wanted { 0.95 } else { 0.85 });
        } else if ssn(&d) {
            self.emit(Kind::UsSsn, start, end, if wanted { 0.95 } else { 0.85 });
        }
        Some(m)
    }

    /// US EIN `NN-NNNNNNN` after an EIN / tax id keyword.
    fn ein(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if !q.lens(k, &[2, 7]) || !q.sep[k].is(DASH) || !self.end_ok(q, k + 2) {
            return None;
        }
        let (start, end) = (q.g[k].0, q.end(k + 2));
        if self.id_context(start, end) & EIN == 0 {
            return None;
        }
        let d = q.digits(self.b, k, k + 2);
        if ein_prefix(&d) {
            self.emit(Kind::UsEin, start, end, 0.9);
        }
        Some(k + 2)
    }

    /// Brazilian CPF `NNN.NNN.NNN-NN` with its two check digits.
    fn cpf(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if !(q.lens(k, &[3, 3, 3, 2])
            && q.sep[k].is(DOT)
            && q.sep[k + 1].is(DOT)
            && q.sep[k + 2].is(DASH))
        {
            return None;
        }
        let m = k + 4;
        if !self.end_ok(q, m) || !ck::cpf(&q.digits(self.b, k, m)) {
            return None;
        }
        self.emit(Kind::BrCpf, q.g[k].0, q.end(m), 0.95);
        Some(m)
    }

    /// French NIR: 15 digits (`1 85 05 78 006 084 36`) with structure and mod-97 key.
    fn nir(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let m = if q.len(k) == 15 {
            k + 1
        } else if q.lens(k, &[1, 2, 2, 2, 3, 3, 2])
            && q.seps(k, k + 7, |s| s == q.sep[k])
            && q.sep[k].weak()
        {
            k + 7
        } else if q.lens(k, &[13, 2]) && q.sep[k].is(SPACE) {
            k + 2
        } else {
            return None;
        };
        if !self.end_ok(q, m) {
            return None;
        }
        let d = q.digits(self.b, k, m);
        if !nir(&d) {
            return None;
        }
        self.emit(Kind::FrNir, q.g[k].0, q.end(m), 0.9);
        Some(m)
    }

    /// Aadhaar `NNNN NNNN NNNN`: Verhoeff check, first digit 2-9.
    fn aadhaar(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let sep = q.sep[k];
        if !q.lens(k, &[4, 4, 4]) || q.sep[k + 1] != sep || !(sep.is(SPACE) || sep.is(DASH)) {
            return None;
        }
        let m = k + 3;
        // A fourth group of the same kind makes it card-like (a failed card number).
        if m < q.n && q.sep[m - 1] == sep || !self.end_ok(q, m) {
            return None;
        }
        let d = q.digits(self.b, k, m);
        if d[0] < 2 || !ck::verhoeff(&d) {
            return None;
        }
        let (start, end) = (q.g[k].0, q.end(m));
        let ctx = self.id_context(start, end);
        if ctx != 0 && ctx & AADHAAR == 0 {
            return None;
        }
        self.emit(
            Kind::InAadhaar,
            start,
            end,
            if ctx != 0 { 0.95 } else { 0.8 },
        );
        Some(m)
    }

    /// `NNN-NNN-NNN` / `NNN NNN NNN`: Canadian SIN, Australian TFN or Dutch
    /// BSN by keyword; a dashed Luhn-valid SIN also without one.
    fn three_three_three(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let sep = q.sep[k];
        if !q.lens(k, &[3, 3, 3]) || q.sep[k + 1] != sep || !(sep.is(SPACE) || sep.is(DASH)) {
            return None;
        }
        let m = k + 3;
        if m < q.n && q.sep[m - 1] == sep || !self.end_ok(q, m) {
            return None;
        }
        let d = q.digits(self.b, k, m);
        let (start, end) = (q.g[k].0, q.end(m));
        let ctx = self.id_context(start, end);
        // SINs are issued with a first digit 1-7 or 9 (0 appears in examples only).
        let sin_ok = ck::luhn(&d) && matches!(d[0], 1..=7 | 9);
        let kind = if ctx & SIN != 0 && ck::luhn(&d) && d[0] != 8 {
            Kind::CaSin
        } else if ctx & TFN != 0 && ck::tfn(&d) {
            Kind::AuTfn
        } else if ctx & BSN != 0 && ck::bsn(&d) {
            Kind::NlBsn
        } else if ctx == 0 && sep.is(DASH) && sin_ok {
            self.emit(Kind::CaSin, start, end, 0.6);
            return Some(m);
        } else {
            return None;
        };
        self.emit(kind, start, end, 0.95);
        Some(m)
    }

    /// Chinese resident ID as 18 digits (the `X` check form is a word).
    fn cn_resident_id(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if q.len(k) != 18 || !self.end_ok(q, k + 1) {
            return None;
        }
        let (s, e) = q.g[k];
        if !cn_resident_id(&self.b[s..e]) {
            return None;
        }
        self.emit(Kind::CnResidentId, s, e, 0.95);
        Some(k + 1)
    }

    /// One bare group of digits, recognized by its keyword: SSN, SIN, BSN,
    /// TFN, ABA routing, CPF, Steuer-ID, Aadhaar, passport, driver's license;
    /// and a Spanish DNI written with a separate letter (`12345678-Z`).
    fn single(&mut self, q: &Seq, k: usize) -> Option<usize> {
        let (s, e) = q.g[k];
        let len = e - s;
        let b = self.b;
        if len == 8
            && k + 1 == q.n
            && matches!(at(b, e), b'-' | b' ')
            && upper(at(b, e + 1))
            && !alnum(at(b, e + 2))
        {
            let n = ck::num(&b[s..e]);
            if ck::dni_letter(n) == b[e + 1] {
                self.emit(Kind::EsDni, s, e + 2, 0.9);
                return Some(k + 1);
            }
        }
        if !(6..=14).contains(&len) || !self.end_ok(q, k + 1) {
            return None;
        }
        let ctx = self.id_context(s, e);
        if ctx == 0 || ctx & NEGATIVE != 0 {
            return None;
        }
        let d = q.digits(b, k, k + 1);
        let kind = if ctx & (SSN | ITIN) != 0 && len == 9 && itin(&d) {
            Kind::UsItin
        } else if ctx & SSN != 0 && len == 9 && ssn(&d) {
            Kind::UsSsn
        } else if ctx & EIN != 0 && len == 9 && ein_prefix(&d) {
            Kind::UsEin
        } else if ctx & SIN != 0 && len == 9 && ck::luhn(&d) && d[0] != 8 {
            Kind::CaSin
        } else if ctx & BSN != 0 && (len == 9 && ck::bsn(&d) || len == 8 && bsn8(&d)) {
            Kind::NlBsn
        } else if ctx & TFN != 0 && ck::tfn(&d) {
            Kind::AuTfn
        } else if ctx & ABA != 0 && ck::aba(&d) {
            Kind::UsRoutingNumber
        } else if ctx & CPF != 0 && ck::cpf(&d) {
            Kind::BrCpf
        } else if ctx & STEUER != 0 && ck::steuer_id(&d) {
            Kind::DeSteuerId
        } else if ctx & AADHAAR != 0 && len == 12 && d[0] >= 2 && ck::verhoeff(&d) {
            Kind::InAadhaar
        } else if ctx & DOB != 0 && len == 8 && compact_date(&d) {
            Kind::DateOfBirth
        } else if ctx & PASSPORT != 0 && (6..=9).contains(&len) {
            Kind::Passport
        } else if ctx & DL != 0 {
            Kind::DriversLicense
        } else {
            return None;
        };
        let confidence = match kind {
            Kind::Passport | Kind::DriversLicense => 0.75,
            _ => 0.9,
        };
        self.emit(kind, s, e, confidence);
        Some(k + 1)
    }
}

/// Issuer ranges and lengths (Visa, Mastercard incl. 2-series, Amex, Discover,
/// JCB, Diners, UnionPay, Maestro, Mir), then Luhn.
pub fn card_number(d: &[u8]) -> bool {
    let len = d.len();
    if !(12..=19).contains(&len) {
        return false;
    }
    let p = |n: usize| value(&d[..n]);
    let issuer = match d[0] {
        4 => matches!(len, 13 | 16 | 19),
        5 => {
            ((51..=55).contains(&p(2)) && len == 16) || (matches!(p(2), 50 | 56..=58) && len >= 12)
        }
        2 => ((2221..=2720).contains(&p(4)) || (2200..=2204).contains(&p(4))) && len == 16,
        3 => {
            (matches!(p(2), 34 | 37) && len == 15)
                || ((3528..=3589).contains(&p(4)) && len >= 16)
                || (((300..=305).contains(&p(3)) || p(4) == 3095 || p(2) == 36) && len >= 14)
                || (matches!(p(2), 38 | 39) && len >= 16)
        }
        6 => {
            ((p(4) == 6011 || (644..=649).contains(&p(3)) || p(2) == 65 || p(2) == 62) && len >= 16)
                || (matches!(p(2), 60 | 63 | 67) && len >= 12)
        }
        _ => false,
    };
    issuer && ck::luhn(d)
}

/// SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000; and
/// not a number known to be invalid or used in advertising.
pub fn ssn(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let (area, group, serial) = (value(&d[..3]), value(&d[3..5]), value(&d[5..]));
    let n = value(d);
    const KNOWN_INVALID: [u64; 3] = [78_051_120, 219_099_999, 123_456_789];
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !KNOWN_INVALID.contains(&n)
        && !d.iter().all(|&x| x == d[0])
}

/// ITIN: `9XX` area and a group in 50-65, 70-88, 90-92 or 94-99.
pub fn itin(d: &[u8]) -> bool {
    d.len() == 9 && d[0] == 9 && matches!(value(&d[3..5]), 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// EIN campus prefixes assigned by the IRS.
fn ein_prefix(d: &[u8]) -> bool {
    d.len() == 9
        && matches!(value(&d[..2]), 1..=6 | 10..=16 | 20..=27 | 30..=48 | 50..=68 | 71..=77 | 80..=88 | 90..=95 | 98 | 99)
}

/// An 8-digit BSN (written without its leading zero).
fn bsn8(d: &[u8]) -> bool {
    let mut nine = [0u8; 9];
    nine[1..].copy_from_slice(d);
    ck::bsn(&nine)
}

/// `YYYYMMDD` with a plausible birth year.
fn compact_date(d: &[u8]) -> bool {
    let (y, m, day) = (
        value(&d[..4]) as u32,
        value(&d[4..6]) as u32,
        value(&d[6..8]) as u32,
    );
    (1900..=2100).contains(&y) && ck::valid_date(y, m, day)
}

/// French NIR structure and key: sex, birth month, department, key = 97 - n mod 97.
fn nir(d: &[u8]) -> bool {
    if d.len() != 15 || !matches!(d[0], 1 | 2 | 3 | 4 | 7 | 8) {
        return false;
    }
    let month = value(&d[3..5]);
    if !matches!(month, 1..=12 | 20 | 30..=42 | 50..=99) || value(&d[5..7]) == 0 {
        return false;
    }
    let mut body = [0u8; 13];
    for (o, &x) in body.iter_mut().zip(&d[..13]) {
        *o = x + b'0';
    }
    let key = value(&d[13..]) as u32;
    (1..=97).contains(&key) && ck::nir_key(&body) == Some(key)
}

/// Chinese resident ID: province code, birth date and MOD 11-2 check.
pub fn cn_resident_id(s: &[u8]) -> bool {
    if s.len() != 18 || !s[..17].iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let province = ck::num(&s[..2]);
    let known = matches!(province, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82);
    let (y, m, d) = (ck::num(&s[6..10]), ck::num(&s[10..12]), ck::num(&s[12..14]));
    known && (1900..=2100).contains(&y) && ck::valid_date(y, m, d) && ck::cn_resident_id(s)
}
