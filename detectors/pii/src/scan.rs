//! The text scanner: one pass that finds candidate values cheaply and hands
//! them to the recognizers.
//!
//! Almost every kind of personal data contains a digit, so the main loop jumps
//! from digit to digit: an all-digit word starts a *number sequence* (digit
//! groups joined by single separators: `+1 (415) 555-2671`, `4111 1111 1111
//! 1111`, `1985-03-12`, `192.0.2.7`) read by [`crate::numeric`]; a word mixing
//! letters and digits (`DE89...`, `AB123456C`, `bc1q...`) goes to
//! [`crate::words`]. Emails (`@`), colon forms (IPv6, MAC) and passport MRZ
//! lines (`<<`) have their own passes. Overlapping candidates are resolved at
//! the end, the more severe and then the longer one winning.

use regex::bytes::Regex;

use crate::context::{Keywords, TextCtx};
use crate::rules::{Kind, RULES};
use crate::text::{alnum, digit};

/// One value found in one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
}

/// Compiled patterns and settings shared by every scan.
pub struct Scanner {
    pub(crate) keywords: Keywords,
    pub(crate) address: Regex,
    pub(crate) date_day_first: Regex,
    pub(crate) date_month_first: Regex,
    pub(crate) enabled: [bool; RULES.len()],
    /// Report emails at reserved example domains (example.com, *.test...).
    pub(crate) example_domains: bool,
}

impl Scanner {
    pub fn new(enabled: [bool; RULES.len()], example_domains: bool) -> Result<Scanner, String> {
        let re = |p: &str| Regex::new(p).map_err(|e| format!("pattern: {e}"));
        Ok(Scanner {
            keywords: Keywords::new()?,
            address: re(crate::address::STREET_PATTERN)?,
            date_day_first: re(crate::dates::DAY_FIRST)?,
            date_month_first: re(crate::dates::MONTH_FIRST)?,
            enabled,
            example_domains,
        })
    }

    /// Finds the personal data in one text. `pointer` is the text's JSON
    /// Pointer (its key gives context), empty when unknown.
    pub fn scan_text(&self, text: &str, pointer: &str) -> Vec<Candidate> {
        let b = text.as_bytes();
        let mut cx = Cx {
            s: self,
            ctx: TextCtx::new(text, pointer, &self.keywords),
            b,
            out: Vec::new(),
        };
        let at_sign = || {
            memchr::memchr(b'@', b).is_some()
                || (memchr::memchr(b'%', b).is_some() && memchr::memmem::find(b, b"%40").is_some())
        };
        if self.any(&[Kind::Email]) && at_sign() {
            cx.emails();
        }
        if self.any(&[Kind::Ipv6, Kind::Ipv6Private, Kind::MacAddress])
            && memchr::memchr(b':', b).is_some()
        {
            cx.colon_forms();
        }
        if self.any(&[Kind::PassportMrz])
            && memchr::memchr_iter(b'<', b).any(|i| b.get(i + 1) == Some(&b'<'))
        {
            cx.mrz();
        }
        cx.digit_pass();
        resolve_overlaps(cx.out)
    }

    fn any(&self, kinds: &[Kind]) -> bool {
        kinds.iter().any(|k| self.enabled[k.index()])
    }
}

/// The state of one text's scan.
pub(crate) struct Cx<'a> {
    pub s: &'a Scanner,
    pub ctx: TextCtx<'a>,
    pub b: &'a [u8],
    pub out: Vec<Candidate>,
}

impl Cx<'_> {
    pub fn emit(&mut self, kind: Kind, start: usize, end: usize, confidence: f32) {
        if self.s.enabled[kind.index()] && start < end && end <= self.b.len() {
            self.out.push(Candidate {
                kind,
                start,
                end,
                confidence,
            });
        }
    }

    pub fn enabled(&self, kind: Kind) -> bool {
        self.s.enabled[kind.index()]
    }

    /// Jumps from digit to digit; each word is examined once.
    fn digit_pass(&mut self) {
        let b = self.b;
        let mut pos = 0usize;
        while pos < b.len() {
            let Some(d) = find_digit(b, pos) else { break };
            let mut ws = d;
            while ws > pos && alnum(b[ws - 1]) {
                ws -= 1;
            }
            let we = crate::text::run_end(b, d, alnum);
            // Separator-joined hex pairs/quads: 00-1A-2B-3C-4D-5E, 001a.2b3c.4d5e.
            if let Some(end) = self.mac_dashed(ws, we) {
                pos = end;
                continue;
            }
            let all_digits = ws == d && b[ws..we].iter().all(|&c| digit(c));
            pos = if all_digits {
                self.numeric(ws).max(we)
            } else {
                self.word(ws, we).unwrap_or(we)
            };
        }
    }
}

/// The first ASCII digit at or after `from`, eight bytes at a time.
fn find_digit(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= b.len() {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&b[i..i + 8]);
        // Bytes '0'..='9' become 0..=9; test "some byte < 10" (exact for existence).
        let x = u64::from_le_bytes(chunk) ^ (ONES * u64::from(b'0'));
        if x.wrapping_sub(ONES * 10) & !x & HIGHS != 0 {
            break;
        }
        i += 8;
    }
    b[i..].iter().position(u8::is_ascii_digit).map(|p| i + p)
}

/// Keeps, among overlapping candidates, the most severe, then the longest, then the first.
fn resolve_overlaps(mut found: Vec<Candidate>) -> Vec<Candidate> {
    if found.len() < 2 {
        return found;
    }
    found.sort_by(|a, b| {
        let rank = |c: &Candidate| (c.kind.rule().severity as u8, c.end - c.start);
        rank(b).cmp(&rank(a)).then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for c in found {
        if kept.iter().all(|k| c.end <= k.start || c.start >= k.end) {
            kept.push(c);
        }
    }
    kept.sort_by_key(|c| c.start);
    kept
}
