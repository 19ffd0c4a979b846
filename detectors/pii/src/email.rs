//! Email addresses: an RFC 5322 dot-atom local part (the characters people
//! actually use), `@`, and a domain of valid labels whose top-level domain is
//! a real one. File names (`logo@2x.png`), package specs (`react@18.2.0`),
//! image digests (`nginx@sha256:...`), URL credentials (`https://u:p@host`) and
//! SSH remotes (`git@github.com:org/repo`) are not mailboxes.
//!
//! Reserved example domains (RFC 2606/6761: example.com/.net/.org, `.test`,
//! `.example`, `.invalid`, `.localhost`) are fake by definition and are not
//! reported unless `example_domains` is set.

use crate::rules::Kind;
use crate::scan::Cx;
use crate::text::{alnum, at, before};

fn local_char(c: u8) -> bool {
    alnum(c) || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

impl Cx<'_> {
    pub fn emails(&mut self) {
        let b = self.b;
        let mut floor = 0usize;
        // `@`, or `%40` in URL-encoded text (`?email=jane%40acme.io`): (position, length).
        let mut ats: Vec<(usize, usize)> = memchr::memchr_iter(b'@', b).map(|i| (i, 1)).collect();
        if memchr::memchr(b'%', b).is_some() {
            ats.extend(memchr::memmem::find_iter(b, b"%40").map(|i| (i, 3)));
            ats.sort_unstable();
        }
        for (at_pos, at_len) in ats {
            if at_pos < floor {
                continue;
            }
            let mut s = at_pos;
            while s > floor && local_char(b[s - 1]) {
                s -= 1;
            }
            while s < at_pos && matches!(b[s], b'.' | b'-' | b'+') {
                s += 1;
            }
            let local = &b[s..at_pos];
            if local.is_empty()
                || local.len() > 64
                || local.ends_with(b".")
                || local.windows(2).any(|w| w == b"..")
            {
                continue;
            }
            if matches!(before(b, s), b':' | b'/') && url_before(b, s) {
                continue;
            }
            let Some(e) = domain_end(b, at_pos + at_len) else {
                continue;
            };
            let domain = &b[at_pos + at_len..e];
            if local == b"git" && at(b, e) == b':' {
                continue;
            }
            let tld = domain.rsplit(|&c| c == b'.').next().unwrap_or_default();
            let reserved = reserved_domain(domain);
            if reserved && !self.s.example_domains {
                floor = e;
                continue;
            }
            if !reserved && !known_tld(tld) {
                continue;
            }
            self.emit(Kind::Email, s, e, 0.95);
            floor = e;
        }
    }
}

/// True when the token before `s` is a URL (`https://user:pass@`, `ssh://git@`).
fn url_before(b: &[u8], s: usize) -> bool {
    let from = s.saturating_sub(256);
    let token_start = b[from..s]
        .iter()
        .rposition(|c| c.is_ascii_whitespace() || *c == b'"')
        .map_or(from, |i| from + i + 1);
    memchr::memmem::find(&b[token_start..s], b"://").is_some()
}

/// End of a domain of 2+ labels (`[A-Za-z0-9-]{1,63}`, no edge hyphens) starting at `i`.
fn domain_end(b: &[u8], i: usize) -> Option<usize> {
    let mut labels = 0;
    let mut p = i;
    let mut end = i;
    loop {
        let s = p;
        while p < b.len() && (alnum(b[p]) || b[p] == b'-') && p - s < 64 {
            p += 1;
        }
        let label = &b[s..p];
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            break;
        }
        labels += 1;
        end = p;
        if at(b, p) == b'.' && alnum(at(b, p + 1)) {
            p += 1;
        } else {
            break;
        }
    }
    // The last label must be alphabetic (a TLD), which rules out `pkg@1.2.3`.
    let tld_start = b[i..end]
        .iter()
        .rposition(|&c| c == b'.')
        .map_or(i, |d| i + d + 1);
    let tld = &b[tld_start..end];
    (labels >= 2
        && end - i <= 253
        && tld.len() >= 2
        && tld.iter().all(u8::is_ascii_alphabetic)
        && !alnum(at(b, end)))
    .then_some(end)
}

fn reserved_domain(domain: &[u8]) -> bool {
    let mut buf = [0u8; 253];
    let d = &mut buf[..domain.len()];
    d.copy_from_slice(domain);
    d.make_ascii_lowercase();
    let d: &[u8] = d;
    // RFC 2606 names, and the placeholder domains documentation uses like them.
    const SECOND: [&[u8]; 10] = [
        b"example.com",
        b"example.net",
        b"example.org",
        b"example.edu",
        b"test.com",
        b"domain.com",
        b"yourdomain.com",
        b"mydomain.com",
        b"yourcompany.com",
        b"company.com",
    ];
    const TOP: [&[u8]; 4] = [b"test", b"example", b"invalid", b"localhost"];
    SECOND
        .iter()
        .any(|r| d == *r || (d.ends_with(r) && d[d.len() - r.len() - 1] == b'.'))
        || TOP
            .iter()
            .any(|t| d.ends_with(t) && d.len() > t.len() && d[d.len() - t.len() - 1] == b'.')
}

/// Every two-letter country-code TLD (ISO 3166-1 plus ac, eu, su, uk).
const CC_TLDS: &str = "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz \
ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr \
ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp \
ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt \
mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru \
rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw \
tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw";

/// Generic TLDs seen in real mailboxes (the legacy ones and the common new gTLDs).
const G_TLDS: &str = "com org net edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs cat post \
app dev tech online site xyz cloud email company solutions store shop blog club live life world agency digital media \
news network systems global group law legal health care bank finance capital consulting services support team tools \
works studio design space website host page one top vip wiki fun icu art ltd llc inc academy school university \
family foundation church center city social software energy expert partners photography restaurant realty properties \
ventures marketing money science games guru ninja rocks today zone land link click love win work run chat events \
codes computer education institute international directory limited management gmbh berlin london nyc paris tokyo \
amsterdam swiss africa kiwi scot wales quebec google microsoft apple amazon aws youtube me us ai io co fm tv ly gg \
insure insurance associates attorney lawyer dental clinic doctor hospital healthcare pharmacy travel tours holiday \
house homes estate build builders construction engineering industries enterprises holdings investments fund financial \
accountant accountants tax cash credit creditcard loans mortgage exchange trade trading market markets auction sale \
shopping deals discount fashion clothing shoes jewelry watch beauty hair salon spa fitness yoga coach training courses \
college degree mba phd study press report review reviews community forum chat cafe bar pub pizza kitchen food farm \
garden green eco solar earth bio organic surf golf tennis football soccer hockey rugby racing bike auto car cars \
taxi transport delivery express cargo shipping logistics";

fn known_tld(tld: &[u8]) -> bool {
    if tld.len() > 24 {
        return false;
    }
    let mut buf = [0u8; 24];
    let t = &mut buf[..tld.len()];
    t.copy_from_slice(tld);
    t.make_ascii_lowercase();
    let t: &[u8] = t;
    let list = if t.len() == 2 { CC_TLDS } else { G_TLDS };
    list.split(' ').any(|x| x.as_bytes() == t)
}
