//! IPv4, IPv6 and MAC addresses.
//!
//! Private, loopback, link-local, documentation and other reserved ranges are
//! reported under their own rules (`ipv4-private`, `ipv6-private`), off by
//! default: they identify no one outside the network. An IPv4-shaped string
//! is taken for a version when a version keyword precedes it ("version
//! 1.2.3.4", "build 10.0.19041.1"); quads whose parts are all single digits
//! ("1.2.3.4", "2.0.1.7") are versions and placeholders, never reported.
//! Longer dotted runs (OIDs, 5-part versions) are never addresses.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::context::fam::*;
use crate::numeric::{DOT, Seq};
use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, before, digit, glued_left, glued_right};

fn hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

impl Cx<'_> {
    pub fn ipv4(&mut self, q: &Seq, k: usize) -> Option<usize> {
        if q.n - k < 4 || !(k..k + 3).all(|i| q.sep[i].is(DOT)) {
            return None;
        }
        let mut m = k + 4;
        if m < q.n && q.sep[m - 1].is(DOT) {
            while m < q.n && q.sep[m - 1].is(DOT) {
                m += 1;
            }
            return Some(m);
        }
        let b = self.b;
        let mut oct = [0u8; 4];
        for (i, o) in oct.iter_mut().enumerate() {
            let (s, e) = q.g[k + i];
            if e - s > 3 || (e - s > 1 && b[s] == b'0') {
                return None;
            }
            *o = u8::try_from(crate::checksum::num(&b[s..e])).ok()?;
        }
        let (start, end) = (q.g[k].0, q.end(m));
        // A port (":8080") or a CIDR prefix ("/24") may follow; anything else glued is not an address.
        let cidr = at(b, end) == b'/'
            && digit(at(b, end + 1))
            && !alnum(at(b, end + 2 + usize::from(digit(at(b, end + 2)))));
        let glued = if m < q.n {
            !q.sep[m - 1].weak()
        } else {
            glued_right(b, end) && !cidr
        };
        if glued {
            return Some(m);
        }
        let addr = Ipv4Addr::from(oct);
        let kind = if v4_public(addr) {
            Kind::Ipv4
        } else {
            Kind::Ipv4Private
        };
        if !self.enabled(kind) {
            return Some(m);
        }
        // All-single-digit quads (1.2.3.4) are versions and placeholders.
        if oct.iter().all(|&o| o < 10) {
            return Some(m);
        }
        let ctx = self.ctx.decide(start, end, IP | VERSION | NEGATIVE);
        if ctx & (VERSION | NEGATIVE) != 0 && ctx & IP == 0 {
            return Some(m);
        }
        self.emit(kind, start, end, if ctx & IP != 0 { 0.9 } else { 0.8 });
        Some(m)
    }

    /// IPv6 and colon-separated MAC addresses, found from their colons.
    pub fn colon_forms(&mut self) {
        let b = self.b;
        let mut resume = 0usize;
        for c in memchr::memchr_iter(b':', b) {
            if c < resume {
                continue;
            }
            let (l, r) = (before(b, c), at(b, c + 1));
            if !(hex(l) || l == b':') || !(hex(r) || r == b':') {
                continue;
            }
            let part = |x: u8| hex(x) || x == b':' || x == b'.';
            let mut s = c;
            while s > 0 && part(b[s - 1]) {
                s -= 1;
            }
            let mut e = c + 1;
            while e < b.len() && part(b[e]) {
                e += 1;
            }
            resume = e;
            // Sentence punctuation is not part of the address.
            while e > s && b[e - 1] == b'.' {
                e -= 1;
            }
            while s < e && b[s] == b'.' {
                s += 1;
            }
            if e > s + 1 && b[e - 1] == b':' && b[e - 2] != b':' {
                e -= 1;
            }
            // Part of a larger token: `Foo::Bar`, `12:30pm`, `T10:30:00`.
            let edge = |x: u8| alnum(x) || x == b'_';
            if edge(before(b, s)) || edge(at(b, e)) {
                continue;
            }
            let tok = &b[s..e];
            if self.mac_colon(s, tok) {
                continue;
            }
            self.ipv6(s, tok);
        }
    }

    fn mac_colon(&mut self, s: usize, tok: &[u8]) -> bool {
        if !mac_shape(tok, b':') {
            return false;
        }
        if mac_reportable(tok) {
            self.emit(Kind::MacAddress, s, s + tok.len(), 0.9);
        }
        true
    }

    fn ipv6(&mut self, s: usize, tok: &[u8]) {
        let colons = tok.iter().filter(|&&c| c == b':').count();
        let compressed = tok.windows(2).any(|w| w == b"::");
        // Full form has 7 colons (6 before an embedded IPv4); times have 1-2.
        if !(compressed || colons >= 6) || !tok.iter().any(|&c| digit(c)) {
            return;
        }
        let Some(addr) = std::str::from_utf8(tok)
            .ok()
            .and_then(|t| t.parse::<Ipv6Addr>().ok())
        else {
            return;
        };
        let groups = tok.split(|&c| c == b':').filter(|g| !g.is_empty()).count();
        // "a::1"-style fragments with fewer than three groups are more often code than addresses.
        if groups < 3 && !tok.starts_with(b"::") {
            return;
        }
        let kind = if v6_public(addr) {
            Kind::Ipv6
        } else {
            Kind::Ipv6Private
        };
        self.emit(kind, s, s + tok.len(), 0.9);
    }

    /// `00-1A-2B-3C-4D-5E` and Cisco `001a.2b3c.4d5e`, starting at the word `ws..we`.
    pub fn mac_dashed(&mut self, ws: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let (len, total) = match (we - ws, at(b, we)) {
            (2, b'-') => (2, 17),
            (4, b'.') => (4, 14),
            _ => return None,
        };
        let tok = b.get(ws..ws + total)?;
        let ok = if len == 2 {
            mac_shape(tok, b'-')
        } else {
            cisco_shape(tok)
        };
        if !ok || glued_left(b, ws) || glued_right(b, ws + total) {
            return None;
        }
        if mac_reportable(tok) {
            self.emit(Kind::MacAddress, ws, ws + total, 0.85);
        }
        Some(ws + total)
    }
}

/// Six hex pairs joined by `sep`, with at least one hex letter (all-digit
/// runs are times, dates and counters far more often than MACs).
fn mac_shape(tok: &[u8], sep: u8) -> bool {
    tok.len() == 17
        && tok
            .iter()
            .enumerate()
            .all(|(i, &c)| if i % 3 == 2 { c == sep } else { hex(c) })
        && tok.iter().any(u8::is_ascii_alphabetic)
}

fn cisco_shape(tok: &[u8]) -> bool {
    tok.len() == 14
        && tok
            .iter()
            .enumerate()
            .all(|(i, &c)| if i % 5 == 4 { c == b'.' } else { hex(c) })
        && tok.iter().any(u8::is_ascii_alphabetic)
}

/// Broadcast and all-zero addresses identify no device.
fn mac_reportable(tok: &[u8]) -> bool {
    let hexes = || tok.iter().filter(|c| c.is_ascii_hexdigit());
    !hexes().all(|&c| c == b'0') && !hexes().all(|&c| c == b'f' || c == b'F')
}

/// Globally routable unicast IPv4 (not private, loopback, link-local, CGNAT,
/// documentation, benchmarking, multicast or reserved).
pub fn v4_public(a: Ipv4Addr) -> bool {
    let [o1, o2, o3, _] = a.octets();
    !(a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_documentation()
        || a.is_multicast()
        || o1 == 0
        || o1 >= 240
        || (o1 == 100 && (64..=127).contains(&o2))
        || (o1 == 198 && (o2 == 18 || o2 == 19))
        || (o1 == 192 && o2 == 0 && o3 == 0))
}

/// Global unicast IPv6 (2000::/3) outside the documentation prefix, or an
/// IPv4-mapped public address.
pub fn v6_public(a: Ipv6Addr) -> bool {
    let s = a.segments();
    if let Some(v4) = a.to_ipv4_mapped() {
        return v4_public(v4);
    }
    (s[0] & 0xe000) == 0x2000 && !(s[0] == 0x2001 && s[1] == 0x0db8)
}
