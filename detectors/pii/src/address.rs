//! Postal addresses: US/UK-style street lines and UK postcodes.
//!
//! A street line is a house number, one to four capitalized name words and a
//! street suffix (`1600 Pennsylvania Avenue NW`, `221B Baker Street`), with an
//! optional unit and `, City, ST 12345` tail. Strong suffixes (Street, Avenue,
//! Road, Boulevard, Lane, Drive, Court...) are enough on their own; the weak
//! ones that also occur in prose (Way, Place, Square, Circle, Trail...) need a
//! unit, a city/state tail or an address keyword. The weak list is the USPS
//! street-suffix list (Mountains, Ridge, Springs...) plus British ones (Close, Mews, Rise).

use crate::context::fam::*;
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, digit, glued_left, upper};

pub const STREET_PATTERN: &str = r"(?x-u)
^\d{1,6}[A-Z]?(?:-\d{1,5})?
\x20(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\x20)?
(?:(?:[A-Z][a-z]+|[A-Z]{2,}|\d{1,3}(?:st|nd|rd|th)|[A-Z]\.?)\x20){1,4}
(?P<suffix>Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Parkway|Pkwy|Highway|Hwy|STREET
 |ST|AVENUE|AVE|ROAD|RD|BOULEVARD|BLVD|LANE|LN|DRIVE|DR|COURT|CT|PARKWAY|PKWY|HIGHWAY|HWY|Alley|Annex
 |Arcade|Bayou|Beach|Bend|Bluffs?|Bottom|Branch|Bridge|Brooks?|Burgs?|Bypass|Camp|Canyon|Cape|Causeway
 |Centers?|Circles?|Cir|Cliffs?|Close|Club|Commons?|Corners?|Course|Courts?|Coves?|Creek|Crescent|Cres
 |Crest|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drives|Estates?|Expressway|Expy|Extensions?|Falls
 |Ferry|Fields?|Flats?|Fords?|Forest|Forges?|Forks?|Fort|Freeway|Fwy|Gardens?|Gate|Gateway|Glens?
 |Greens?|Groves?|Harbors?|Haven|Heights|Hills?|Hollow|Inlet|Islands?|Isle|Junctions?|Keys?|Knolls?
 |Lakes?|Landing|Lights?|Locks?|Lodge|Loop|Mall|Manors?|Meadows?|Mews|Mills?|Mission|Motorway|Mount
 |Mountains?|Neck|Orchard|Oval|Overpass|Parks?|Parkways|Pass|Passage|Path|Pike|Pines?|Place|Pl|Plains?
 |Plaza|Plz|Points?|Ports?|Prairie|Quay|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|Rise|River|Roads|Route
 |Row|Rue|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares?|Sq|Station|Stravenue|Streams?|Streets
 |Summit|Terrace|Ter|Throughway|Trace|Track|Trafficway|Trail|Trl|Tunnel|Turnpike|Underpass|Unions?
 |Valleys?|Via|Viaduct|Views?|Villages?|Ville|Vista|Walks?|Wall|Ways?|Wells?|Wharf|WAY|PLACE|PL)\b\.?
(?:\x20(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?
(?P<unit>,?\x20(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|Flat|\#)\.?\x20?\#?[A-Za-z0-9-]{1,6}\b)?
(?P<tail>(?:,\x20?|\n)[A-Z][A-Za-z]+(?:\x20[A-Z][A-Za-z]+){0,2},?\x20
 (?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND
 |OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR)\b(?:\x20\d{5}(?:-\d{4})?\b)?)?";

const STRONG_SUFFIXES: &[&[u8]] = &[
    b"street",
    b"st",
    b"avenue",
    b"ave",
    b"road",
    b"rd",
    b"boulevard",
    b"blvd",
    b"lane",
    b"ln",
    b"drive",
    b"dr",
    b"court",
    b"ct",
    b"parkway",
    b"pkwy",
    b"highway",
    b"hwy",
];

impl Cx<'_> {
    /// A street line starting with the house number at `s`.
    pub fn street_address(&mut self, s: usize) -> Option<usize> {
        if !self.enabled(Kind::StreetAddress) || glued_left(self.b, s) {
            return None;
        }
        let b = self.b;
        // Cheap gate: digits (and a letter), a space, then a capitalized word or an ordinal (5th).
        let mut i = s;
        while digit(at(b, i)) {
            i += 1;
        }
        if upper(at(b, i)) {
            i += 1;
        }
        let next = at(b, i + 1);
        let ordinal = digit(next) && {
            let j = crate::text::run_end(b, i + 1, digit);
            matches!(b.get(j..j + 2), Some(b"st" | b"nd" | b"rd" | b"th"))
        };
        // A street name word is Capitalized, or ALL CAPS followed by another capital word.
        let word_end = crate::text::run_end(b, i + 1, |c| c.is_ascii_alphabetic());
        let capitalized = upper(next)
            && (at(b, i + 2).is_ascii_lowercase()
                || (at(b, word_end) == b' ' && upper(at(b, word_end + 1))));
        if at(b, i) != b' ' || !(capitalized || ordinal) {
            return None;
        }
        let window = &b[s..b.len().min(s + 200)];
        if !self.s.address.is_match(window) {
            return None;
        }
        let caps = self.s.address.captures(window)?;
        let end = s + caps.get(0)?.end();
        // "Drąg": the suffix must end the word, also before a non-ASCII letter.
        if at(b, end) >= 0x80 {
            return None;
        }
        let suffix = caps.name("suffix")?.as_bytes();
        let located = caps.name("unit").is_some() || caps.name("tail").is_some();
        // "2021 Iain Lane" in a copyright list: a year is a house number only in a full address.
        let year = (1900..=2099).contains(&crate::checksum::num(&b[s..i])) && i - s == 4;
        let strong = located
            || (!year
                && STRONG_SUFFIXES
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(suffix)));
        let ctx = self.ctx.decide(s, end, ADDRESS | NEGATIVE);
        if ctx & NEGATIVE != 0 || (!strong && ctx & ADDRESS == 0) {
            return None;
        }
        self.emit(Kind::StreetAddress, s, end, if strong { 0.85 } else { 0.7 });
        Some(end)
    }

    /// A UK postcode whose outward code is the word `ws..we` (`SW1A 1AA`, `M1 1AE`).
    pub fn uk_postcode(&mut self, ws: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let out = &b[ws..we];
        if !outward(out) || at(b, we) != b' ' {
            return None;
        }
        let inward = b.get(we + 1..we + 4)?;
        let letter_ok = |c: u8| upper(c) && !b"CIKMOV".contains(&c);
        if !(digit(inward[0]) && letter_ok(inward[1]) && letter_ok(inward[2]))
            || alnum(at(b, we + 4))
        {
            return None;
        }
        let end = we + 4;
        if self.ctx.decide(ws, end, NEGATIVE | ADDRESS) & NEGATIVE != 0 {
            return None;
        }
        self.emit(Kind::UkPostcode, ws, end, 0.7);
        Some(end)
    }
}

/// Outward codes: A9, A99, AA9, AA99, A9A, AA9A (first letter not Q/V/X; second not I/J/Z).
fn outward(o: &[u8]) -> bool {
    let shape = |p: &[u8]| crate::text::shape(o, p);
    let ok = shape(b"A9")
        || shape(b"A99")
        || shape(b"AA9")
        || shape(b"AA99")
        || shape(b"A9A")
        || shape(b"AA9A");
    ok && !b"QVX".contains(&o[0]) && !(upper(o[1]) && b"IJZ".contains(&o[1]))
}
