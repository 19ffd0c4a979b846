//! The matching engine: one Aho-Corasick pass over a text finds every
//! literal (token prefixes, vendor keywords, `-----BEGIN `, `eyJ`, `://`,
//! `password`, …); only the rules whose literal occurred run, and only on a
//! small window around it. Texts without any literal cost one automaton pass
//! and no allocation.
//!
//! The automaton is a DFA walked by hand: a DFA walk is bound by the latency
//! of one table lookup per byte, so long texts are walked as two interleaved
//! halves, which roughly doubles throughput.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use regex::RegexSet;
use regex::bytes::{Regex, RegexBuilder};
use warden_sdk::Severity;

use crate::checks;
use crate::entropy::shannon;
use crate::generic;
use crate::jwt;
use crate::pem;
use crate::placeholder;
use crate::rules::{Check, Edge, Family, Kind, Quick, RULES, Rule};
use crate::uri;

/// What a literal found by the automaton sets off.
#[derive(Clone, Copy, Debug)]
enum Trigger {
    Rule(usize),
    Pem,
    Ssh2,
    Putty,
    Jwk,
    Jwt,
    Uri,
    Keyword,
    Bearer,
    Basic,
}

/// Literals of the code-matched families: (literal, trigger, case-insensitive, family).
const BUILTIN: &[(&str, Trigger, bool, Family)] = &[
    ("-----BEGIN ", Trigger::Pem, false, Family::PrivateKey),
    ("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", Trigger::Ssh2, false, Family::PrivateKey),
    ("PuTTY-User-Key-File-", Trigger::Putty, false, Family::PrivateKey),
    ("\"kty\"", Trigger::Jwk, false, Family::PrivateKey),
    ("eyJ", Trigger::Jwt, false, Family::Jwt),
    ("://", Trigger::Uri, false, Family::Uri),
    ("key", Trigger::Keyword, true, Family::Generic),
    ("secret", Trigger::Keyword, true, Family::Generic),
    ("token", Trigger::Keyword, true, Family::Generic),
    ("pass", Trigger::Keyword, true, Family::Generic),
    ("pwd", Trigger::Keyword, true, Family::Generic),
    ("credential", Trigger::Keyword, true, Family::Generic),
    ("creds", Trigger::Keyword, true, Family::Generic),
    ("authorization", Trigger::Keyword, true, Family::Generic),
    ("bearer", Trigger::Bearer, true, Family::Http),
    ("basic", Trigger::Basic, true, Family::Http),
];

/// One secret found in one text.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Index into [`RULES`].
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    pub confidence: f32,
    /// Appended to the rule's description in messages.
    pub note: &'static str,
}

/// Settings the engine needs from the configuration.
pub struct Settings<'a> {
    pub disabled: &'a [usize],
    pub allow_patterns: &'a [String],
    pub min_entropy: f64,
    pub report_examples: bool,
}

pub struct Scanner {
    dfa: DFA,
    /// Per automaton literal: what it triggers, and the exact text it must
    /// have when the trigger is case-sensitive (the automaton ignores case).
    triggers: Vec<Vec<(Trigger, Option<&'static str>)>>,
    /// Each rule's regex, compiled the first time one of its literals occurs.
    /// Compiling all ~230 up front would cost more than the host's deadline
    /// for `configure` on a busy machine; most rules never fire.
    regexes: Vec<OnceLock<Option<Regex>>>,
    enabled: Vec<bool>,
    ids: HashMap<&'static str, usize>,
    allow: Option<RegexSet>,
    min_entropy: f64,
    report_examples: bool,
}

/// Per-text bookkeeping so that a rule does not re-examine what it matched.
#[derive(Default)]
struct State {
    covered: Vec<(usize, usize)>,
    last_ident: (usize, usize),
}

impl State {
    fn covered(&self, rule: usize, at: usize) -> bool {
        self.covered.iter().any(|&(r, end)| r == rule && at < end)
    }

    /// Records how far `rule` has matched (one entry per rule: literals come
    /// in text order, so the latest end is the one that matters).
    fn cover(&mut self, rule: usize, end: usize) {
        match self.covered.iter_mut().find(|(r, _)| *r == rule) {
            Some(entry) => entry.1 = entry.1.max(end),
            None => self.covered.push((rule, end)),
        }
    }
}

fn context_pattern(kw: &str, value: &str) -> String {
    format!(
        r#"(?i:{kw})[A-Za-z0-9_.\-]{{0,12}}?(?:\\?["'])?\]?[ \t]{{0,4}}(?:=>|:=|[:=]|[ \t\r\n])[ \t\r\n]{{0,12}}(?:\\?["'`])?{value}"#
    )
}

fn in_class(edge: Edge, c: u8) -> bool {
    match edge {
        Edge::Dash | Edge::None => c.is_ascii_alphanumeric() || c == b'_' || c == b'-',
        Edge::B64 => c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='),
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    n.len() <= hay.len() && hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

impl Scanner {
    pub fn new(settings: &Settings) -> Result<Scanner, String> {
        let mut enabled = vec![true; RULES.len()];
        for &i in settings.disabled {
            enabled[i] = false;
        }
        let mut literals: Vec<String> = Vec::new();
        let mut triggers: Vec<Vec<(Trigger, Option<&'static str>)>> = Vec::new();
        let mut add = |lit: &'static str, trigger: Trigger, ci: bool| {
            let key = lit.to_ascii_lowercase();
            let entry = (trigger, (!ci).then_some(lit));
            match literals.iter().position(|l| *l == key) {
                Some(i) => triggers[i].push(entry),
                None => {
                    literals.push(key);
                    triggers.push(vec![entry]);
                }
            }
        };
        for (i, rule) in RULES.iter().enumerate() {
            if enabled[i] && !matches!(rule.kind, Kind::Builtin(_)) {
                for lit in rule.lits {
                    add(lit, Trigger::Rule(i), rule.ci);
                }
            }
        }
        for &(lit, trigger, ci, family) in BUILTIN {
            let family_on =
                RULES.iter().zip(&enabled).any(|(r, &on)| on && matches!(r.kind, Kind::Builtin(f) if f == family));
            if family_on {
                add(lit, trigger, ci);
            }
        }
        // Standard semantics: every literal ending at a position is reported,
        // overlapping ones included.
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&literals)
            .map_err(|e| format!("building the literal automaton: {e}"))?;
        let allow = if settings.allow_patterns.is_empty() {
            None
        } else {
            Some(RegexSet::new(settings.allow_patterns).map_err(|e| format!("allow_patterns: {e}"))?)
        };
        let ids = RULES.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        Ok(Scanner {
            dfa,
            triggers,
            regexes: (0..RULES.len()).map(|_| OnceLock::new()).collect(),
            enabled,
            ids,
            allow,
            min_entropy: settings.min_entropy,
            report_examples: settings.report_examples,
        })
    }

    /// Every literal occurrence in `text` as (start, literal index), by start.
    fn literals(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let dfa = &self.dfa;
        let mut found = Vec::new();
        let Ok(start) = dfa.start_state(Anchored::No) else { return found };
        let report = |found: &mut Vec<(usize, usize)>, sid, end: usize, below: usize| {
            if dfa.is_match(sid) {
                for k in 0..dfa.match_len(sid) {
                    let pid = dfa.match_pattern(sid, k);
                    let begin = end + 1 - dfa.pattern_len(pid);
                    if begin < below {
                        found.push((begin, pid.as_usize()));
                    }
                }
            }
        };
        let n = text.len();
        if n < 512 {
            let mut sid = start;
            for (i, &b) in text.iter().enumerate() {
                sid = dfa.next_state(Anchored::No, sid, b);
                if dfa.is_special(sid) {
                    report(&mut found, sid, i, n);
                }
            }
            return found;
        }
        // Two interleaved walks: the first over [0, mid + longest literal),
        // keeping literals that start before `mid`; the second over [mid, n).
        let mid = n / 2;
        let (first, second) = (&text[..n.min(mid + dfa.max_pattern_len())], &text[mid..]);
        let (mut sa, mut sb) = (start, start);
        for (i, (&a, &b)) in first.iter().zip(second).enumerate() {
            sa = dfa.next_state(Anchored::No, sa, a);
            sb = dfa.next_state(Anchored::No, sb, b);
            if dfa.is_special(sa) {
                report(&mut found, sa, i, mid);
            }
            if dfa.is_special(sb) {
                report(&mut found, sb, mid + i, n);
            }
        }
        let common = first.len().min(second.len());
        for (i, &a) in first.iter().enumerate().skip(common) {
            sa = dfa.next_state(Anchored::No, sa, a);
            if dfa.is_special(sa) {
                report(&mut found, sa, i, mid);
            }
        }
        for (i, &b) in second.iter().enumerate().skip(common) {
            sb = dfa.next_state(Anchored::No, sb, b);
            if dfa.is_special(sb) {
                report(&mut found, sb, mid + i, n);
            }
        }
        found.sort_unstable();
        found
    }

    /// All secrets in `text`. `pointer` (the text's JSON Pointer) lets a
    /// member named like a secret (`/params/arguments/password`) classify the
    /// whole value; `now_ms` (0 if unknown) marks expired JWTs.
    pub fn scan_text(&self, text: &str, pointer: Option<&str>, now_ms: u64) -> Vec<Hit> {
        let mut hits = Vec::new();
        if text.len() >= 8 {
            let mut state = State::default();
            for (start, pid) in self.literals(text.as_bytes()) {
                let end = start + self.dfa.pattern_len(aho_corasick::PatternID::new_unchecked(pid));
                for &(trigger, exact) in &self.triggers[pid] {
                    if exact.is_none_or(|lit| text.as_bytes()[start..end] == *lit.as_bytes()) {
                        self.dispatch(trigger, text, start, end, now_ms, &mut state, &mut hits);
                    }
                }
            }
        }
        if let Some(pointer) = pointer
            && let Some(g) = generic::pointer_member(pointer, text, self.min_entropy)
        {
            self.push_builtin(&mut hits, g.rule, g.start, g.end, None, g.confidence, "");
        }
        if hits.is_empty() {
            return hits;
        }
        self.finish(text, hits)
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &self,
        trigger: Trigger,
        text: &str,
        ms: usize,
        me: usize,
        now_ms: u64,
        state: &mut State,
        hits: &mut Vec<Hit>,
    ) {
        match trigger {
            Trigger::Rule(rule) => self.run_rule(rule, text, ms, state, hits),
            Trigger::Pem => {
                if let Some(k) = pem::pem_block(text, ms) {
                    self.push_builtin(hits, k.rule, k.start, k.end, None, 0.95, "");
                }
            }
            Trigger::Ssh2 => {
                if let Some(k) = pem::ssh2(text, ms) {
                    self.push_builtin(hits, k.rule, k.start, k.end, None, 0.95, "");
                }
            }
            Trigger::Putty => {
                if let Some(k) = pem::putty(text, ms) {
                    self.push_builtin(hits, k.rule, k.start, k.end, None, 0.95, "");
                }
            }
            Trigger::Jwk => {
                if let Some(k) = pem::jwk(text, ms) {
                    self.push_builtin(hits, k.rule, k.start, k.end, None, 0.9, "");
                }
            }
            Trigger::Jwt => {
                if let Some(j) = jwt::check(text, ms, now_ms) {
                    self.push_builtin(hits, "jwt", j.start, j.end, Some(j.severity), 0.9, j.note);
                }
            }
            Trigger::Uri => {
                if let Some(u) = uri::check(text, ms) {
                    self.push_builtin(hits, u.rule, u.start, u.end, Some(u.severity), 0.85, "");
                }
            }
            Trigger::Keyword => {
                let ident = generic::ident_range(text.as_bytes(), ms, me);
                if ident == state.last_ident {
                    return;
                }
                state.last_ident = ident;
                if let Some(g) = generic::assignment(text, ident, self.min_entropy) {
                    self.push_builtin(hits, g.rule, g.start, g.end, None, g.confidence, "");
                }
            }
            Trigger::Bearer => {
                if let Some(g) = generic::bearer(text, ms, me) {
                    self.push_builtin(hits, g.rule, g.start, g.end, None, g.confidence, "");
                }
            }
            Trigger::Basic => {
                if let Some(g) = generic::basic(text, ms, me) {
                    self.push_builtin(hits, g.rule, g.start, g.end, None, g.confidence, "");
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_builtin(
        &self,
        hits: &mut Vec<Hit>,
        id: &str,
        start: usize,
        end: usize,
        severity: Option<Severity>,
        confidence: f32,
        note: &'static str,
    ) {
        let Some(&rule) = self.ids.get(id) else { return };
        if !self.enabled[rule] || start >= end {
            return;
        }
        hits.push(Hit { rule, start, end, severity: severity.unwrap_or(RULES[rule].severity), confidence, note });
    }

    /// The regex of rule `r` (a pattern or a keyword + value rule).
    fn regex(&self, r: usize) -> Option<&Regex> {
        self.regexes[r]
            .get_or_init(|| {
                let pattern = match RULES[r].kind {
                    Kind::Pattern(re) => re.to_string(),
                    Kind::Context { kw, value } => context_pattern(kw, value),
                    Kind::Builtin(_) => return None,
                };
                // Byte regexes without Unicode: every pattern is ASCII, and
                // negated classes then compile to a few states instead of a
                // UTF-8 automaton. Built-in patterns are all compiled by the
                // tests; a failure here would only disable the rule.
                RegexBuilder::new(&pattern).unicode(false).build().ok()
            })
            .as_ref()
    }

    /// Compiles every rule's regex now (tests; warming an instance).
    pub fn compile_all(&self) -> Result<(), String> {
        for (r, rule) in RULES.iter().enumerate() {
            if !matches!(rule.kind, Kind::Builtin(_)) && self.regex(r).is_none() {
                return Err(format!("rule {}: invalid pattern", rule.id));
            }
        }
        Ok(())
    }

    fn quick_ok(rule: &Rule, b: &[u8], ms: usize) -> bool {
        match rule.quick {
            Quick::None => true,
            Quick::ByteAt(n, byte) => b.get(ms + n as usize) == Some(&byte),
            Quick::HexBefore => ms > 0 && matches!(b[ms - 1], b'0'..=b'9' | b'a'..=b'f'),
            Quick::DigitBefore => ms > 0 && b[ms - 1].is_ascii_digit(),
            Quick::NotAlnumBefore => ms == 0 || !b[ms - 1].is_ascii_alphanumeric(),
        }
    }

    fn run_rule(&self, r: usize, text: &str, ms: usize, state: &mut State, hits: &mut Vec<Hit>) {
        let rule = &RULES[r];
        let b = text.as_bytes();
        if state.covered(r, ms) || !Self::quick_ok(rule, b, ms) {
            return;
        }
        let Some(re) = self.regex(r) else { return };
        let lo = floor_boundary(text, ms.saturating_sub(rule.back as usize));
        let hi = ceil_boundary(text, text.len().min(ms + rule.ahead as usize));
        let context = matches!(rule.kind, Kind::Context { .. });
        for caps in re.captures_iter(&b[lo..hi]) {
            let Some(whole) = caps.get(0) else { continue };
            let secret = caps.get(1).unwrap_or(whole);
            let (ws, we) = (whole.start() + lo, whole.end() + lo);
            let (ss, mut se) = (secret.start() + lo, secret.end() + lo);
            if !rule.ci && we <= ms {
                continue;
            }
            // A token cut by the window's end continues to its real end.
            if se == we && we == hi && hi < b.len() {
                while se < b.len() && in_class(rule.edge, b[se]) {
                    se += 1;
                }
            }
            if rule.edge != Edge::None {
                // `=` before a value is an assignment, not base64 padding.
                let before_bad = !context && ss == ws && ss > 0 && b[ss - 1] != b'=' && in_class(rule.edge, b[ss - 1]);
                let after_bad = se < b.len() && in_class(rule.edge, b[se]);
                if before_bad || after_bad {
                    continue;
                }
            }
            let Some(value) = text.get(ss..se) else { continue };
            // Documentation examples go on to `finish`, which drops or downgrades them.
            let example = placeholder::is_known_example(value);
            if !example && (placeholder::token_is_placeholder(value) || shannon(value) < f64::from(rule.min_entropy)) {
                continue;
            }
            if !rule.near.is_empty() {
                let (nlo, nhi) = (ss.saturating_sub(512), b.len().min(se + 512));
                if !rule.near.iter().any(|w| contains_ci(&b[nlo..nhi], w)) {
                    continue;
                }
            }
            let Some(bonus) = checks::run(rule.check, value) else { continue };
            let note = if rule.check == Check::Crc32Base62 && bonus > 0.0 { " (checksum verified)" } else { "" };
            hits.push(Hit {
                rule: r,
                start: ss,
                end: se,
                severity: rule.severity,
                confidence: (rule.confidence + bonus).min(1.0),
                note,
            });
            state.cover(r, we.max(se));
            break;
        }
    }

    /// Drops allowlisted and example values, then overlapping weaker hits.
    fn finish(&self, text: &str, hits: Vec<Hit>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = hits
            .into_iter()
            .filter_map(|mut h| {
                let value = text.get(h.start..h.end)?;
                if self.allow.as_ref().is_some_and(|a| a.is_match(value)) {
                    return None;
                }
                if placeholder::is_known_example(value) {
                    if !self.report_examples {
                        return None;
                    }
                    h.severity = Severity::Low;
                    h.note = " (published documentation example)";
                }
                Some(h)
            })
            .collect();
        if hits.len() > 1 {
            hits.sort_by(|a, b| {
                let key = |h: &Hit| (RULES[h.rule].rank, h.severity, (h.confidence * 1000.0) as u32, h.end - h.start);
                key(b).cmp(&key(a)).then(a.start.cmp(&b.start))
            });
            // Kept hits are disjoint, keyed by start: only the last one that
            // starts before a candidate's end can overlap it.
            let mut kept: BTreeMap<usize, Hit> = BTreeMap::new();
            for h in hits {
                let overlaps = kept.range(..h.end).next_back().is_some_and(|(_, k)| k.end > h.start);
                if !overlaps {
                    kept.insert(h.start, h);
                }
            }
            hits = kept.into_values().collect();
        }
        hits
    }
}
