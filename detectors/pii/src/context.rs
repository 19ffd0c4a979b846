//! Context keywords: the words near a value that say what it is ("SSN:",
//! "date of birth", "routing number") or what it is not ("order #", "version").
//!
//! Formats without a check digit (or with a weak one) are only reported when
//! such a keyword is close by. Keywords are looked up lazily, once per text, and
//! only when a candidate needs them. A value's context comes from, in order:
//! the JSON key of the string (`/params/arguments/ssn`), the column header of
//! a CSV/Markdown table, the nearest keyword before it (within [`LOOKBACK`]
//! bytes, on its line), and a keyword right after it on the same line
//! ("123-45-6789 (SSN)").

use std::cell::OnceCell;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keyword families, as bits.
pub mod fam {
    pub const PHONE: u32 = 1 << 0;
    pub const SSN: u32 = 1 << 1;
    pub const ITIN: u32 = 1 << 2;
    pub const EIN: u32 = 1 << 3;
    pub const SIN: u32 = 1 << 4;
    pub const AADHAAR: u32 = 1 << 5;
    pub const TFN: u32 = 1 << 6;
    pub const BSN: u32 = 1 << 7;
    pub const CPF: u32 = 1 << 8;
    pub const STEUER: u32 = 1 << 9;
    pub const ABA: u32 = 1 << 10;
    pub const PASSPORT: u32 = 1 << 11;
    pub const DL: u32 = 1 << 12;
    pub const DOB: u32 = 1 << 13;
    pub const NINO: u32 = 1 << 14;
    pub const PAN: u32 = 1 << 15;
    pub const ADDRESS: u32 = 1 << 16;
    pub const IP: u32 = 1 << 17;
    pub const VERSION: u32 = 1 << 18;
    pub const ETH: u32 = 1 << 19;
    /// Identifiers that are not personal: order, invoice, SKU, ticket...
    pub const NEGATIVE: u32 = 1 << 20;
    /// Dates that are not birth dates: created, expires, joined...
    pub const OTHER_DATE: u32 = 1 << 21;
    /// Payment card words: a card number after them is not vetoed by a farther
    /// "order". Not in [`IDS`]: "Aadhaar card 2345..." is still an Aadhaar.
    pub const CARD: u32 = 1 << 22;

    /// Families that name a kind of personal identifier: a nearer one of these
    /// decides what a bare number is, even when it is not the one wanted.
    pub const IDS: u32 = PHONE
        | SSN
        | ITIN
        | EIN
        | SIN
        | AADHAAR
        | TFN
        | BSN
        | CPF
        | STEUER
        | ABA
        | PASSPORT
        | DL
        | DOB
        | NINO
        | PAN;
}

use fam::*;

/// How far before a value a keyword may end (bytes).
pub const LOOKBACK: usize = 48;
/// How far after a value a keyword may start (bytes, same line).
pub const LOOKAHEAD: usize = 20;

const KEYWORDS: &[(&str, u32)] = &[
    // phone
    ("phone", PHONE),
    ("telephone", PHONE),
    ("tel", PHONE),
    ("mobile", PHONE),
    ("cell", PHONE),
    ("cellphone", PHONE),
    ("fax", PHONE),
    ("whatsapp", PHONE),
    ("sms", PHONE),
    ("msisdn", PHONE),
    ("landline", PHONE),
    ("contact number", PHONE),
    ("call me", PHONE),
    ("call us", PHONE),
    ("text me", PHONE),
    ("reach me", PHONE),
    ("telefon", PHONE),
    ("telefono", PHONE),
    ("teléfono", PHONE),
    ("téléphone", PHONE),
    ("portable", PHONE),
    ("móvil", PHONE),
    ("celular", PHONE),
    ("电话", PHONE),
    ("手机", PHONE),
    ("電話", PHONE),
    ("携帯", PHONE),
    // payment cards
    ("card", CARD),
    ("credit card", CARD),
    ("debit card", CARD),
    ("cc", CARD),
    ("visa", CARD),
    ("mastercard", CARD),
    ("amex", CARD),
    ("american express", CARD),
    ("discover", CARD),
    ("jcb", CARD),
    ("diners", CARD),
    ("unionpay", CARD),
    ("maestro", CARD),
    ("payment", CARD),
    ("pan", PAN | CARD),
    ("cardholder", CARD),
    // US SSN / ITIN / EIN
    ("ssn", SSN),
    ("social security", SSN),
    ("soc sec", SSN),
    ("ss number", SSN),
    ("ss no", SSN),
    ("itin", ITIN),
    ("individual taxpayer", ITIN),
    ("ein", EIN),
    ("fein", EIN),
    ("employer identification", EIN),
    ("employer id", EIN),
    ("tax id", EIN | STEUER | ITIN),
    ("taxpayer id", EIN | ITIN | SSN),
    ("tin", EIN | ITIN),
    ("tax identification number", EIN | STEUER | ITIN),
    // other national identifiers
    ("sin", SIN),
    ("social insurance", SIN),
    ("assurance sociale", SIN),
    ("aadhaar", AADHAAR),
    ("aadhar", AADHAAR),
    ("uidai", AADHAAR),
    ("tfn", TFN),
    ("tax file", TFN),
    ("bsn", BSN),
    ("burgerservicenummer", BSN),
    ("sofinummer", BSN),
    ("citizen service number", BSN),
    ("cpf", CPF),
    ("cadastro de pessoa", CPF),
    ("steuer-id", STEUER),
    ("steuerid", STEUER),
    ("steuer id", STEUER),
    ("steuer-idnr", STEUER),
    ("steueridentifikationsnummer", STEUER),
    ("identifikationsnummer", STEUER),
    ("idnr", STEUER),
    ("steuernummer", STEUER),
    ("national insurance", NINO),
    ("nino", NINO),
    ("ni number", NINO),
    ("ni no", NINO),
    ("permanent account number", PAN),
    ("pan card", PAN),
    ("income tax", PAN),
    // bank
    ("routing", ABA),
    ("aba", ABA),
    ("rtn", ABA),
    ("ach", ABA),
    ("transit number", ABA),
    // travel and driving documents
    ("passport", PASSPORT),
    ("passeport", PASSPORT),
    ("reisepass", PASSPORT),
    ("pasaporte", PASSPORT),
    ("passaporto", PASSPORT),
    ("paspoort", PASSPORT),
    ("travel document", PASSPORT),
    ("driver", DL),
    ("driving", DL),
    ("dl", DL),
    ("dln", DL),
    ("license number", DL),
    ("licence number", DL),
    ("license no", DL),
    ("licence no", DL),
    ("lic no", DL),
    ("lic", DL),
    ("führerschein", DL),
    ("fuhrerschein", DL),
    ("permis de conduire", DL),
    ("dmv", DL),
    // birth dates
    ("dob", DOB),
    ("d.o.b", DOB),
    ("birth", DOB),
    ("date of birth", DOB),
    ("born", DOB),
    ("birthday", DOB),
    ("birthdate", DOB),
    ("geburtsdatum", DOB),
    ("geboren", DOB),
    ("naissance", DOB),
    ("né le", DOB),
    ("née le", DOB),
    ("nacimiento", DOB),
    ("nascita", DOB),
    ("nato il", DOB),
    ("nata il", DOB),
    // addresses
    ("address", ADDRESS | IP | ETH),
    ("addr", ADDRESS | IP),
    ("ship to", ADDRESS),
    ("shipping", ADDRESS),
    ("billing", ADDRESS),
    ("mailing", ADDRESS),
    ("lives at", ADDRESS),
    ("living at", ADDRESS),
    ("resides", ADDRESS),
    ("residing", ADDRESS),
    ("residence", ADDRESS),
    ("located at", ADDRESS),
    ("home", ADDRESS),
    ("street", ADDRESS),
    ("deliver to", ADDRESS),
    ("delivery", ADDRESS),
    // IP addresses
    ("ip", IP),
    ("ipv", IP),
    ("host", IP),
    ("server", IP),
    ("client", IP),
    ("remote", IP),
    ("src", IP),
    ("dst", IP),
    ("source", IP),
    ("destination", IP),
    ("from", IP),
    ("gateway", IP),
    ("dns", IP),
    ("nameserver", IP),
    ("proxy", IP),
    ("peer", IP),
    ("login", IP),
    ("connected", IP),
    ("connection", IP),
    ("inet", IP),
    ("origin", IP),
    ("forwarded", IP),
    // versions (an IPv4-shaped string after these is a version)
    ("version", VERSION | NEGATIVE),
    ("ver", VERSION),
    ("build", VERSION | NEGATIVE),
    ("release", VERSION),
    ("firmware", VERSION),
    ("revision", VERSION),
    ("rev", VERSION),
    ("patch", VERSION),
    ("oid", VERSION),
    ("snmp", VERSION),
    ("sdk", VERSION),
    ("v", VERSION),
    // Ethereum
    ("eth", ETH),
    ("ethereum", ETH),
    ("wallet", ETH),
    ("erc", ETH),
    ("metamask", ETH),
    ("usdt", ETH),
    ("usdc", ETH),
    ("recipient", ETH),
    ("payout", ETH),
    ("crypto", ETH),
    ("deposit", ETH),
    ("withdraw", ETH),
    ("transfer", ETH),
    ("send to", ETH),
    ("pay to", ETH),
    ("ens", ETH),
    // identifiers that are not personal data
    ("order", NEGATIVE),
    ("invoice", NEGATIVE),
    ("inv", NEGATIVE),
    ("sku", NEGATIVE),
    ("ticket", NEGATIVE),
    ("tracking", NEGATIVE),
    ("isbn", NEGATIVE),
    ("issn", NEGATIVE),
    ("serial", NEGATIVE),
    ("part", NEGATIVE),
    ("model", NEGATIVE),
    ("item", NEGATIVE),
    ("confirmation", NEGATIVE),
    ("booking", NEGATIVE),
    ("reservation", NEGATIVE),
    ("transaction", NEGATIVE),
    ("txn", NEGATIVE),
    ("tx", NEGATIVE),
    ("ref", NEGATIVE),
    ("reference", NEGATIVE),
    ("case", NEGATIVE),
    ("claim", NEGATIVE),
    ("policy", NEGATIVE),
    ("batch", NEGATIVE),
    ("lot", NEGATIVE),
    ("pid", NEGATIVE),
    ("port", NEGATIVE),
    ("account id", NEGATIVE),
    ("customer id", NEGATIVE),
    ("user id", NEGATIVE),
    ("request id", NEGATIVE),
    ("trace", NEGATIVE),
    ("hash", NEGATIVE),
    ("checksum", NEGATIVE),
    ("uuid", NEGATIVE),
    ("guid", NEGATIVE),
    ("product", NEGATIVE),
    ("barcode", NEGATIVE),
    ("upc", NEGATIVE),
    ("ean", NEGATIVE),
    ("gtin", NEGATIVE),
    ("asin", NEGATIVE),
    ("amount", NEGATIVE),
    ("total", NEGATIVE),
    ("price", NEGATIVE),
    ("balance", NEGATIVE),
    ("quantity", NEGATIVE),
    ("qty", NEGATIVE),
    ("bytes", NEGATIVE),
    ("timestamp", NEGATIVE | OTHER_DATE),
    ("epoch", NEGATIVE),
    ("sequence", NEGATIVE),
    ("nonce", NEGATIVE),
    ("block", NEGATIVE),
    ("height", NEGATIVE),
    ("build number", NEGATIVE),
    ("job", NEGATIVE),
    ("run", NEGATIVE),
    ("pr", NEGATIVE),
    ("issue", NEGATIVE),
    ("commit", NEGATIVE),
    // dates that are not birth dates
    ("created", OTHER_DATE),
    ("updated", OTHER_DATE),
    ("modified", OTHER_DATE),
    ("joined", OTHER_DATE),
    ("issued", OTHER_DATE),
    ("issue date", OTHER_DATE),
    ("date of issue", OTHER_DATE),
    ("expires", OTHER_DATE),
    ("expiry", OTHER_DATE),
    ("expiration", OTHER_DATE),
    ("date of expiry", OTHER_DATE),
    ("valid until", OTHER_DATE),
    ("valid from", OTHER_DATE),
    ("due", OTHER_DATE),
    ("deadline", OTHER_DATE),
    ("last login", OTHER_DATE),
    ("registered", OTHER_DATE),
    ("signed up", OTHER_DATE),
    ("hired", OTHER_DATE),
    ("hire date", OTHER_DATE),
    ("ordered", OTHER_DATE),
    ("shipped", OTHER_DATE),
    ("delivered", OTHER_DATE),
    ("paid", OTHER_DATE),
    ("appointment", OTHER_DATE),
    ("admitted", OTHER_DATE),
    ("discharged", OTHER_DATE),
    ("effective", OTHER_DATE),
    ("renewal", OTHER_DATE),
    ("since", OTHER_DATE),
    ("scheduled", OTHER_DATE),
    ("published", OTHER_DATE),
    ("released", OTHER_DATE),
    ("posted", OTHER_DATE),
    ("received", OTHER_DATE),
    ("closed", OTHER_DATE),
];

/// The keyword table, keyed by the last word of each keyword.
pub struct Keywords {
    map: HashMap<Box<[u8]>, Vec<Entry>, BuildHasherDefault<Fnv>>,
    /// Bit `len` of `first[c]` / `last[c]` is set when some keyword word of that
    /// length starts / ends with letter `c`: most words are rejected by these.
    first: [u32; 26],
    last: [u32; 26],
    /// Keywords in scripts written without spaces (电话), matched inside words.
    unspaced: Vec<(&'static [u8], u32)>,
}

struct Entry {
    /// The keyword's other words, nearest first.
    before: Vec<Box<[u8]>>,
    fams: u32,
}

/// FNV-1a: keys are short words, SipHash would dominate the lookup.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Longest word looked up.
const MAX_WORD: usize = 32;

impl Keywords {
    pub fn new() -> Result<Keywords, String> {
        let mut map: HashMap<Box<[u8]>, Vec<Entry>, BuildHasherDefault<Fnv>> = HashMap::default();
        let mut unspaced = Vec::new();
        let mut add = |words: Vec<Vec<u8>>, fams: u32| {
            let Some((last, rest)) = words.split_last() else {
                return;
            };
            let before = rest
                .iter()
                .rev()
                .map(|w| w.clone().into_boxed_slice())
                .collect();
            map.entry(last.clone().into_boxed_slice())
                .or_default()
                .push(Entry { before, fams });
        };
        for &(k, fams) in KEYWORDS {
            if !k.is_ascii() && !k.contains(|c: char| c.is_ascii_alphabetic()) {
                unspaced.push((k.as_bytes(), fams));
                continue;
            }
            let mut words: Vec<Vec<u8>> = Vec::new();
            split_words(k, 0, k.len(), |(s, e)| {
                words.push(k.as_bytes()[s..e].to_vec());
                true
            });
            if words.len() > 1 {
                // Also written as one word: `dateofbirth`, `licensenumber`.
                add(vec![words.concat()], fams);
            }
            add(words, fams);
        }
        if map.is_empty() {
            return Err("empty keyword table".into());
        }
        let mut first = [0u32; 26];
        let mut last = [0u32; 26];
        for w in map.keys() {
            if let (Some(f), Some(l)) = (w.first(), w.last())
                && f.is_ascii_lowercase()
                && l.is_ascii_lowercase()
                && w.len() < 32
            {
                first[usize::from(f - b'a')] |= 1 << w.len();
                last[usize::from(l - b'a')] |= 1 << w.len();
            }
        }
        Ok(Keywords {
            map,
            first,
            last,
            unspaced,
        })
    }

    /// The families of the keyword whose last word is `last`, if any (the
    /// longest wins). `prev` holds the words before it, nearest first.
    fn lookup(&self, b: &[u8], last: (usize, usize), prev: &[(usize, usize)]) -> u32 {
        let w = &b[last.0..last.1];
        if w.is_empty() || w.len() > MAX_WORD {
            return 0;
        }
        let (f, l) = (w[0], w[w.len() - 1]);
        if f.is_ascii_alphabetic() && l.is_ascii_alphabetic() {
            let bit = 1u32 << w.len().min(31);
            let (f, l) = (
                usize::from(f.to_ascii_lowercase() - b'a'),
                usize::from(l.to_ascii_lowercase() - b'a'),
            );
            if self.first[f] & bit == 0 || self.last[l] & bit == 0 {
                return 0;
            }
        }
        let mut buf = [0u8; MAX_WORD];
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w);
        lower.make_ascii_lowercase();
        let mut best = (0usize, 0u32);
        if let Some(entries) = self.map.get(&*lower) {
            for e in entries {
                let n = e.before.len() + 1;
                if n > best.0
                    && e.before.len() <= prev.len()
                    && e.before
                        .iter()
                        .zip(prev)
                        .all(|(p, &(s, t))| b[s..t].eq_ignore_ascii_case(p))
                {
                    best = (n, e.fams);
                }
            }
        }
        if best.0 == 0 && !w.is_ascii() {
            return self
                .unspaced
                .iter()
                .filter(|(k, _)| memchr::memmem::find(w, k).is_some())
                .fold(0, |a, (_, f)| a | f);
        }
        best.1
    }

    /// The families of the keyword ending at word `j` of `words` (in text order).
    fn lookup_at(&self, b: &[u8], words: &[(usize, usize)], j: usize) -> u32 {
        let mut prev = [(0usize, 0usize); 4];
        let n = j.min(prev.len());
        for (k, p) in prev.iter_mut().enumerate().take(n) {
            *p = words[j - 1 - k];
        }
        self.lookup(b, words[j], &prev[..n])
    }

    /// The families of the nearest keyword ending in `text[from..to]` (walking
    /// back from `to`) that has one of the `decisive` families.
    fn nearest_before(&self, b: &[u8], from: usize, to: usize, decisive: u32) -> u32 {
        let mut words = [(0usize, 0usize); 10];
        let mut n = 0;
        let mut pos = to;
        while n < words.len() {
            let Some(w) = prev_word(b, pos, from) else {
                break;
            };
            words[n] = w;
            n += 1;
            pos = w.0;
        }
        (0..n)
            .map(|i| self.lookup(b, words[i], &words[i + 1..n]) & decisive)
            .find(|&f| f != 0)
            .unwrap_or(0)
    }

    /// The families of the first keyword in `text[from..to]` with one of the `decisive` families.
    fn nearest_after(&self, text: &str, from: usize, to: usize, decisive: u32) -> u32 {
        let mut words = [(0usize, 0usize); 8];
        let mut n = 0;
        split_words(text, from, to, |w| {
            words[n] = w;
            n += 1;
            n < words.len()
        });
        let b = text.as_bytes();
        (0..n)
            .map(|j| self.lookup_at(b, &words[..n], j) & decisive)
            .find(|&f| f != 0)
            .unwrap_or(0)
    }

    /// The union of the families of the keywords in `text`.
    pub fn families(&self, text: &str) -> u32 {
        let mut words = Vec::new();
        split_words(text, 0, text.len(), |w| {
            words.push(w);
            true
        });
        let b = text.as_bytes();
        (0..words.len()).fold(0, |acc, j| acc | self.lookup_at(b, &words, j))
    }
}

/// Calls `push` with each word of `text[from..to]`: runs of letters (ASCII
/// or not), split at camelCase boundaries (`dateOfBirth`, `DLNumber`); digits
/// and punctuation separate them. Stops when `push` returns false.
fn split_words(
    text: &str,
    mut from: usize,
    to: usize,
    mut push: impl FnMut((usize, usize)) -> bool,
) {
    let to = to.min(text.len());
    while from < to && !text.is_char_boundary(from) {
        from += 1;
    }
    let b = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = from;
    while i < to {
        let c = b[i];
        let (letter, width) = if c < 0x80 {
            (c.is_ascii_alphabetic(), 1)
        } else {
            let ch = text.get(i..).and_then(|t| t.chars().next());
            (
                ch.is_some_and(char::is_alphabetic),
                ch.map_or(1, char::len_utf8),
            )
        };
        let camel = start.is_some()
            && c.is_ascii_uppercase()
            && (b[i - 1].is_ascii_lowercase()
                || (b[i - 1].is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(u8::is_ascii_lowercase)));
        if let Some(s) = start
            && (!letter || camel)
        {
            start = None;
            if !push((s, i)) {
                return;
            }
        }
        if letter && start.is_none() {
            start = Some(i);
        }
        i += width;
    }
    if let Some(s) = start {
        push((s, to));
    }
}

/// The word ending at or before `pos` and starting at or after `floor`,
/// with the same camelCase splitting as [`split_words`]. Bytes of non-ASCII
/// characters count as letters.
fn prev_word(b: &[u8], pos: usize, floor: usize) -> Option<(usize, usize)> {
    let letter = |c: u8| c.is_ascii_alphabetic() || c >= 0x80;
    let mut e = pos.min(b.len());
    while e > floor && !letter(b[e - 1]) {
        e -= 1;
    }
    if e <= floor {
        return None;
    }
    let mut s = e;
    while s > floor && letter(b[s - 1]) {
        let c = b[s - 1];
        if c.is_ascii_uppercase() && s >= 2 && s - 1 > floor {
            let p = b[s - 2];
            // dateOfBirth: a capital after a small letter starts a word; DLNumber:
            // so does the last capital of a run when a small letter follows.
            if p.is_ascii_lowercase()
                || (p.is_ascii_uppercase() && s < e && b[s].is_ascii_lowercase())
            {
                s -= 1;
                break;
            }
        }
        s -= 1;
    }
    Some((s, e))
}

/// Where the keyword window before `start` begins: at most [`LOOKBACK`]
/// bytes back, and not past the start of the value's field: a line break
/// (unless the value starts its line and the line above is a label ending
/// with `:`, "Date of birth:\n1985-03-12"), a bracket, `|`, `;`, or a JSON
/// member separator (`, "`).
fn window_start(b: &[u8], start: usize) -> usize {
    let floor = start.saturating_sub(LOOKBACK);
    let mut seen_alnum = false;
    let mut i = start;
    while i > floor {
        let c = b[i - 1];
        match c {
            b'\n' if seen_alnum => return i,
            b'\n' => {
                let label = b[floor..i - 1]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace())
                    == Some(&b':');
                if !label {
                    return i;
                }
                seen_alnum = true;
            }
            b'{' | b'}' | b'[' | b']' | b'|' | b';' => return i,
            b',' if matches!(b.get(i..i + 2), Some([b'"', _] | [b' ', b'"'])) => return i,
            _ => seen_alnum |= c.is_ascii_alphanumeric(),
        }
        i -= 1;
    }
    floor
}

/// Where the keyword window after `end` ends: at most [`LOOKAHEAD`] bytes,
/// on the same line and inside the same field.
fn window_end(b: &[u8], end: usize) -> usize {
    let ceil = b.len().min(end + LOOKAHEAD);
    b.get(end..ceil)
        .and_then(|w| {
            w.iter().position(|c| {
                matches!(
                    c,
                    b'\n' | b'{' | b'}' | b'[' | b']' | b'|' | b';' | b'"' | b','
                )
            })
        })
        .map_or(ceil, |i| end + i)
}

/// Table header cells (CSV, TSV, Markdown) with their keyword families.
struct Header {
    delim: u8,
    line_start: usize,
    cells: Vec<u32>,
}

/// Per-text context, computed lazily.
pub struct TextCtx<'a> {
    pub text: &'a str,
    keywords: &'a Keywords,
    pointer: &'a str,
    pointer_fams: OnceCell<u32>,
    header: OnceCell<Option<Header>>,
}

impl<'a> TextCtx<'a> {
    pub fn new(text: &'a str, pointer: &'a str, keywords: &'a Keywords) -> TextCtx<'a> {
        TextCtx {
            text,
            keywords,
            pointer,
            pointer_fams: OnceCell::new(),
            header: OnceCell::new(),
        }
    }

    /// Families named by the JSON key of this string (the last non-index pointer segment).
    fn pointer_fams(&self) -> u32 {
        *self.pointer_fams.get_or_init(|| {
            let key = self
                .pointer
                .rsplit('/')
                .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()));
            key.map_or(0, |k| self.keywords.families(k))
        })
    }

    /// The context that decides what the value at `start..end` is: the families
    /// of the nearest keyword among `decisive` families (pointer key first, then
    /// the table column header, then before on the same line, then after).
    /// Callers test the result against the families they want; a nearer
    /// unrelated or negative keyword therefore vetoes a farther wanted one.
    pub fn decide(&self, start: usize, end: usize, decisive: u32) -> u32 {
        let p = self.pointer_fams() & decisive;
        if p != 0 {
            return p;
        }
        let h = self.header_fams(start) & decisive;
        if h != 0 {
            return h;
        }
        let b = self.text.as_bytes();
        let from = window_start(b, start);
        // Just after it on the same line: "123-45-6789 (SSN)".
        let to = window_end(b, end);
        match self.keywords.nearest_before(b, from, start, decisive) {
            0 if end < to => self.keywords.nearest_after(self.text, end, to, decisive),
            f => f,
        }
    }

    /// Families of the table column header above `pos`, if the text is a table.
    fn header_fams(&self, pos: usize) -> u32 {
        let Some(header) = self
            .header
            .get_or_init(|| find_header(self.text, self.keywords))
        else {
            return 0;
        };
        let bytes = self.text.as_bytes();
        let line_start = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
        if line_start <= header.line_start {
            return 0;
        }
        let mut col = 0usize;
        let mut quoted = false;
        for &b in &bytes[line_start..pos] {
            match b {
                b'"' => quoted = !quoted,
                d if d == header.delim && !quoted => col += 1,
                _ => {}
            }
        }
        header.cells.get(col).copied().unwrap_or(0)
    }
}

/// A table header among the first four lines (a title may come first): it has a delimiter, no standalone
/// numbers, and the line after it has the same number of delimiters.
fn find_header(text: &str, keywords: &Keywords) -> Option<Header> {
    let mut offset = 0usize;
    let mut lines = text.split('\n').take(4).peekable();
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len() + 1;
        let delim = [b',', b'\t', b'|', b';']
            .into_iter()
            .find(|d| line.as_bytes().contains(d));
        let (Some(delim), Some(next)) = (delim, lines.peek()) else {
            continue;
        };
        let count = |l: &str| l.bytes().filter(|&b| b == delim).count();
        // Digits are fine inside names (`address_line1`), not as values.
        let b = line.as_bytes();
        let numeric = (0..b.len()).any(|i| {
            b[i].is_ascii_digit()
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        });
        if numeric || count(next) != count(line) {
            continue;
        }
        let cells = line
            .split(delim as char)
            .map(|cell| keywords.families(cell))
            .collect();
        return Some(Header {
            delim,
            line_start: start,
            cells,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_respect_word_boundaries() {
        let k = Keywords::new().unwrap();
        assert_eq!(k.families("DOB:"), DOB);
        assert_eq!(k.families("adobe"), 0);
        assert_eq!(k.families("userSsn"), SSN);
        assert_eq!(k.families("since"), OTHER_DATE);
        assert_eq!(k.families("using"), 0);
        assert_eq!(k.families("passportNumber"), PASSPORT);
        assert_eq!(k.families("date_of_birth"), DOB);
    }

    #[test]
    fn nearest_keyword_decides() {
        let k = Keywords::new().unwrap();
        let text = "SSN 078-05-1120 and order 123-45-6789";
        let ctx = TextCtx::new(text, "/result/content/0/text", &k);
        assert_eq!(ctx.decide(4, 15, IDS | NEGATIVE), SSN);
        assert_eq!(ctx.decide(26, 37, IDS | NEGATIVE), NEGATIVE);
        let csv = "name,email,dob\nJane,j@x.io,1985-03-12\n";
        let ctx = TextCtx::new(csv, "", &k);
        let pos = csv.find("1985").unwrap();
        assert_eq!(ctx.decide(pos, pos + 10, DOB), DOB);
    }
}
