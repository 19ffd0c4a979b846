//! Dates of birth: a valid calendar date with a birth keyword ("DOB",
//! "date of birth", "born on", "birthdate", "Geburtsdatum", "né le"...) before
//! it, after it, as its JSON key or as its table column header. Other dates
//! (timestamps, "created", "expires") are not personal data and are skipped;
//! a nearer non-birth date keyword ("joined", "issued") wins over a farther
//! birth keyword.
//!
//! Formats: `1985-03-12`, `03/12/1985`, `12.03.1985`, `12-03-1985`, `19850312`
//! (with a keyword), `03/12/85` (with a keyword), `12 March 1985`,
//! `12th of March, 1985`, `March 12, 1985`, `Mar 12 1985`.

use crate::checksum::{num, valid_date};
use crate::context::fam::*;
use crate::numeric::{DASH, DOT, SLASH, Seq};
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, before, digit, glued_right};

/// Month names and abbreviations (a macro so that `concat!` can use it).
macro_rules! months {
    () => {
        "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    };
}

pub const DAY_FIRST: &str = concat!(
    r"(?i-u)^(\d{1,2})(?:st|nd|rd|th)?(?:\x20of)?[\x20\-]+(",
    months!(),
    r")\.?,?[\x20\-]+(\d{4})\b"
);
pub const MONTH_FIRST: &str = concat!(
    r"(?i-u)^(",
    months!(),
    r")\.?\x20+(\d{1,2})(?:st|nd|rd|th)?,?\x20+(\d{4})\b"
);

fn month_index(word: &[u8]) -> Option<u32> {
    let w = word.get(..3)?;
    const NAMES: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(w))
        .map(|i| i as u32 + 1)
}

/// A plausible birth year.
fn birth_year(y: u32) -> bool {
    (1900..=2100).contains(&y)
}

impl Cx<'_> {
    fn dob_context(&self, start: usize, end: usize) -> bool {
        self.enabled(Kind::DateOfBirth)
            && self
                .ctx
                .decide(start, end, DOB | OTHER_DATE | NEGATIVE | PASSPORT | DL)
                & DOB
                != 0
    }

    /// Numeric dates: `Y-M-D`, `D/M/Y` or `M/D/Y` (same separator twice), and
    /// `DD/MM/YY` with a birth keyword. A valid date is consumed even without
    /// a keyword, so that it is not read as anything else.
    pub fn numeric_date(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if q.n - k < 3 {
            return None;
        }
        let sep = q.sep[k];
        if q.sep[k + 1] != sep || !(sep.is(DASH) || sep.is(SLASH) || sep.is(DOT)) {
            return None;
        }
        let m = k + 3;
        let b = self.b;
        let (start, end) = (q.g[k].0, q.end(m));
        if m < q.n && !q.sep[m - 1].weak() {
            return None;
        }
        // An ISO time may follow: 1985-03-12T00:00:00Z.
        if m == q.n && glued_right(b, end) && !(at(b, end) == b'T' && digit(at(b, end + 1))) {
            return None;
        }
        let v = |i: usize| num(&b[q.g[k + i].0..q.g[k + i].1]);
        let lens = [q.len(k), q.len(k + 1), q.len(k + 2)];
        let (valid, year) = match lens {
            [4, 1..=2, 1..=2] => (valid_date(v(0), v(1), v(2)), v(0)),
            [1..=2, 1..=2, 4] => (
                valid_date(v(2), v(1), v(0)) || valid_date(v(2), v(0), v(1)),
                v(2),
            ),
            [2, 2, 2] => {
                let y = v(2) + if v(2) > 30 { 1900 } else { 2000 };
                (valid_date(y, v(1), v(0)) || valid_date(y, v(0), v(1)), y)
            }
            _ => (false, 0),
        };
        if !valid {
            return None;
        }
        // A date with a time of day is a timestamp, not a birth date.
        let timed = at(b, end) == b'T'
            || (at(b, end) == b' ' && digit(at(b, end + 1)) && {
                let t = crate::text::run_end(b, end + 1, digit);
                at(b, t) == b':'
            });
        let dob = !timed && birth_year(year) && self.dob_context(start, end);
        if lens == [2, 2, 2] && !dob {
            return None;
        }
        if dob {
            self.emit(Kind::DateOfBirth, start, end, 0.85);
        }
        Some(m)
    }

    /// Dates with a month name around the day number at `s`
    /// (`12 March 1985`, `12th of March, 1985`, `March 12, 1985`).
    pub fn textual_date(&mut self, s: usize) -> Option<usize> {
        let b = self.b;
        let mut i = s;
        while digit(at(b, i)) {
            i += 1;
        }
        if matches!(b.get(i..i + 2), Some(b"st" | b"nd" | b"rd" | b"th")) {
            i += 2;
        }
        // Day first: "12 March 1985", "12th of March 1985".
        let mut m = i + 1;
        if b.get(m..m + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"of "))
        {
            m += 3;
        }
        if matches!(at(b, i), b' ' | b'-') && b.get(m..).and_then(month_index).is_some() {
            let window = &b[s..b.len().min(s + 40)];
            if let Some(c) = self.s.date_day_first.captures(window) {
                let (day, month, year) = (c.get(1)?, c.get(2)?, c.get(3)?);
                let end = s + c.get(0)?.end();
                return self.textual_dob(
                    s,
                    end,
                    num(day.as_bytes()),
                    month_index(month.as_bytes())?,
                    num(year.as_bytes()),
                );
            }
        }
        // Month first: "March 12, 1985".
        if before(b, s) == b' ' {
            let mut ms = s - 1;
            if before(b, ms) == b'.' {
                ms -= 1;
            }
            let month_end = ms;
            while ms > 0 && b[ms - 1].is_ascii_alphabetic() && month_end - ms < 9 {
                ms -= 1;
            }
            if month_end - ms >= 3
                && !alnum(before(b, ms))
                && month_index(&b[ms..month_end]).is_some()
            {
                let window = &b[ms..b.len().min(ms + 40)];
                if let Some(c) = self.s.date_month_first.captures(window) {
                    let (month, day, year) = (c.get(1)?, c.get(2)?, c.get(3)?);
                    if ms + day.start() == s {
                        let end = ms + c.get(0)?.end();
                        return self.textual_dob(
                            ms,
                            end,
                            num(day.as_bytes()),
                            month_index(month.as_bytes())?,
                            num(year.as_bytes()),
                        );
                    }
                }
            }
        }
        None
    }

    fn textual_dob(
        &mut self,
        start: usize,
        end: usize,
        day: u32,
        month: u32,
        year: u32,
    ) -> Option<usize> {
        if !valid_date(year, month, day) {
            return None;
        }
        if birth_year(year) && self.dob_context(start, end) {
            self.emit(Kind::DateOfBirth, start, end, 0.85);
        }
        Some(end)
    }
}
