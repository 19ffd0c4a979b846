//! Scans one text: hidden-character analysis, phrase rules on the cleaned
//! view, hidden regions, beacons, and the decoded forms of encoded payloads.

use std::ops::Range;

use regex::Regex;

use crate::beacon::Beacons;
use crate::checks::Check;
use crate::context::{Context, NEAR, imperative_after, in_code, quoted};
use crate::encoded;
use crate::hidden;
use crate::hit::{Hit, Rule};
use crate::markup::Markup;
use crate::matcher::{Mark, Matcher, Scan, feature};
use crate::rules::{AI, CLAUSE, SECOND, Search, TOKEN};
use crate::score::{Analysis, score};
use crate::text::{ceil_boundary, floor_boundary};

/// Hits below this weight are dropped (a rule whose context says "not here").
const FLOOR: f32 = 0.05;
/// Hits at or above this weight count as an instruction inside a carrier
/// (hidden region, decoded payload).
const INSTRUCTION: f32 = 0.3;
/// Matches of one rule kept per text.
const MATCHES_PER_RULE: usize = 8;
/// Decoding depth: a base64 blob inside a base64 blob is followed once.
const MAX_DEPTH: u8 = 2;
/// Longest match an anchored rule may produce, in bytes.
const MAX_MATCH: usize = 1024;

/// Which rules run.
pub struct Enabled {
    pub phrases: Vec<bool>,
    pub checks: Vec<bool>,
}

impl Enabled {
    fn rule(&self, rule: Rule) -> bool {
        match rule {
            Rule::Phrase(i) => self.phrases.get(i as usize).copied().unwrap_or(false),
            Rule::Check(c) => self.check(c),
        }
    }

    fn check(&self, c: Check) -> bool {
        Check::ALL
            .iter()
            .position(|x| *x == c)
            .and_then(|i| self.checks.get(i))
            .copied()
            .unwrap_or(false)
    }
}

pub struct Engine {
    matcher: Matcher,
    context: Context,
    beacons: Beacons,
    markup: Markup,
    allow: Option<Regex>,
    enabled: Enabled,
}

impl Engine {
    pub fn new(enabled: Enabled, allow: Option<Regex>) -> Result<Engine, String> {
        Ok(Engine {
            matcher: Matcher::new()?,
            context: Context::new()?,
            beacons: Beacons::new()?,
            markup: Markup::new()?,
            allow,
            enabled,
        })
    }

    /// Scores one text.
    pub fn analyze(&self, text: &str) -> Analysis {
        let (mut hits, addresses_ai) = self.hits(text);
        hits.retain(|h| self.enabled.rule(h.rule) && h.weight >= FLOOR);
        if let (Some(allow), false) = (&self.allow, hits.is_empty()) {
            let allowed: Vec<_> = allow.find_iter(text).map(|m| m.range()).take(256).collect();
            hits.retain(|h| {
                !allowed
                    .iter()
                    .any(|a| a.start <= h.span.start && h.span.end <= a.end)
            });
        }
        if hits.is_empty() {
            return Analysis::default();
        }
        score(hits, addresses_ai)
    }

    /// Every hit in `text`, in its byte offsets, and whether the text addresses an AI.
    pub fn hits(&self, text: &str) -> (Vec<Hit>, bool) {
        let mut out = Vec::new();
        let Some(h) = hidden::analyze(text) else {
            let address = self.scan_view(text, 0, &mut out);
            return (out, address);
        };
        out.extend(h.hits);
        let address = match &h.view {
            Some(view) => {
                let mut inner = Vec::new();
                let address = self.scan_view(&view.text, 0, &mut inner);
                for mut hit in inner {
                    hit.span = view.map_range(hit.span, text);
                    let original = text.get(hit.span.clone()).unwrap_or("");
                    if is_instruction(&hit) {
                        if hidden::has_removed(original) {
                            out.push(Hit::check(Check::SplitKeywords, hit.span.clone()));
                        }
                        if hidden::has_folded(original) {
                            out.push(Hit::check(Check::Homoglyph, hit.span.clone()));
                        }
                    }
                    out.push(hit);
                }
                address
            }
            None => self.scan_view(text, 0, &mut out),
        };
        for payload in &h.payloads {
            let mut inner = Vec::new();
            self.scan_view(&payload.text, 1, &mut inner);
            carry(payload.check, payload.span.clone(), inner, &mut out);
        }
        (out, address)
    }

    /// Scans a text as read (already cleaned of invisible characters); returns
    /// whether it addresses an AI.
    fn scan_view(&self, text: &str, depth: u8, out: &mut Vec<Hit>) -> bool {
        let start = out.len();
        let scan = self.phrase_hits(text, out);
        let found_instruction = out[start..].iter().any(is_instruction);
        if found_instruction
            && scan.features & (feature::HTML_COMMENT | feature::MD_COMMENT | feature::CSS) != 0
        {
            let regions = self.markup.regions(
                text,
                scan.has(feature::HTML_COMMENT),
                scan.has(feature::MD_COMMENT),
                scan.has(feature::CSS),
            );
            let mut found = Vec::new();
            for (check, region) in regions {
                for hit in out[start..].iter().filter(|h| is_instruction(h)) {
                    if region.start <= hit.span.start && hit.span.end <= region.end {
                        found.push(Hit::check(check, hit.span.clone()));
                    }
                }
            }
            out.extend(found);
        }
        self.beacons.scan(text, &scan, out);
        if depth < MAX_DEPTH {
            for blob in encoded::blobs(text) {
                let mut inner = Vec::new();
                self.scan_view(&blob.decoded, depth + 1, &mut inner);
                carry(blob.check, blob.span, inner, out);
            }
        }
        if depth == 0 {
            self.transforms(text, scan.features, out);
        }
        out.len() > start && self.context.addresses_ai(text, &scan)
    }

    /// ROT13, reversed and leetspeak readings, when their trigger words occur.
    fn transforms(&self, text: &str, features: u32, out: &mut Vec<Hit>) {
        if features & feature::ROT13 != 0 {
            let mut inner = Vec::new();
            self.phrase_hits(&encoded::rot13(text), &mut inner);
            mark(Check::Rot13, inner, out, |r| r);
        }
        if let Some(rev) = encoded::reversed(text).filter(|_| features & feature::REVERSED != 0) {
            let mut inner = Vec::new();
            self.phrase_hits(&rev, &mut inner);
            let len = text.len();
            mark(Check::Reversed, inner, out, |r| {
                len.saturating_sub(r.end)..len.saturating_sub(r.start)
            });
        }
        if features & feature::LEET != 0 {
            let plain = encoded::unleet(text);
            let mut inner = Vec::new();
            self.phrase_hits(&plain, &mut inner);
            // Only phrases that read differently once un-leeted.
            inner.retain(|h| text.get(h.span.clone()) != plain.get(h.span.clone()));
            mark(Check::Leetspeak, inner, out, |r| r);
        }
    }

    /// Runs the triggered phrase rules and weighs their matches; returns the
    /// scan for the other checks.
    fn phrase_hits(&self, text: &str, out: &mut Vec<Hit>) -> Scan {
        let scan = self.matcher.scan(text);
        let mut address: Option<bool> = None;
        for (rule, m) in self.rule_matches(text, &scan) {
            let Some(phrase) = self.matcher.phrases.get(rule as usize) else {
                continue;
            };
            let span = trim(text, m);
            let weight = self.weigh(
                phrase.spec.weight,
                phrase.spec.ctx,
                text,
                span.clone(),
                &scan,
                &mut address,
            );
            if weight >= FLOOR {
                out.push(Hit::new(Rule::Phrase(rule), weight, span));
            }
        }
        scan
    }

    /// The matches of the enabled phrase rules, each searched anchored at its
    /// trigger (or in a window around it for windowed rules).
    pub(crate) fn rule_matches(&self, text: &str, scan: &Scan) -> Vec<(u16, Range<usize>)> {
        self.rule_matches_only(text, scan, None)
    }

    pub(crate) fn rule_matches_only(
        &self,
        text: &str,
        scan: &Scan,
        only: Option<u16>,
    ) -> Vec<(u16, Range<usize>)> {
        let mut found = Vec::new();
        if scan.rule_hits.is_empty() {
            return found;
        }
        let n = self.matcher.phrases.len();
        // Per rule: where its last match (or window) ended, and how many matched.
        let mut done = vec![0usize; n];
        let mut searched = vec![0usize; n];
        let mut count = vec![0usize; n];
        for &(rule, pos) in &scan.rule_hits {
            if only.is_some_and(|o| o != rule) {
                continue;
            }
            let i = rule as usize;
            let (Some(phrase), true) = (
                self.matcher.phrases.get(i),
                self.enabled.phrases.get(i).copied().unwrap_or(false),
            ) else {
                continue;
            };
            if count[i] >= MATCHES_PER_RULE || (pos < done[i] && phrase.search == Search::Anchored)
            {
                continue;
            }
            match phrase.search {
                Search::Anchored => {
                    if let Some(m) = phrase
                        .re
                        .at(text, pos, pos.saturating_add(MAX_MATCH))
                        .filter(|m| m.end > m.start)
                    {
                        done[i] = m.end;
                        count[i] += 1;
                        found.push((rule, m));
                    }
                }
                Search::Line => {
                    let line = text[..pos].rfind('\n').map_or(0, |n| n + 1);
                    let lead = &text[line..pos];
                    if lead.len() > 24 || !lead.bytes().all(|b| b" \t*#>=-[<(".contains(&b)) {
                        continue;
                    }
                    if let Some(m) = phrase
                        .re
                        .at(text, line, pos.saturating_add(MAX_MATCH))
                        .filter(|m| m.end > m.start)
                    {
                        done[i] = m.end;
                        count[i] += 1;
                        found.push((rule, m));
                    }
                }
                Search::Window { back, ahead } => {
                    // Windows of nearby triggers overlap; `searched[i]` skips a window
                    // already covered and `done[i]` drops matches already reported.
                    let to = ceil_boundary(text, pos.saturating_add(ahead));
                    if to <= searched[i] {
                        continue;
                    }
                    let from = floor_boundary(text, pos.saturating_sub(back));
                    for m in phrase.re.within(text, from..to) {
                        if m.end > m.start && m.start >= done[i] && count[i] < MATCHES_PER_RULE {
                            count[i] += 1;
                            done[i] = m.end;
                            found.push((rule, m));
                        }
                    }
                    searched[i] = to;
                }
            }
        }
        found
    }

    /// A rule's weight in the context of this match.
    fn weigh(
        &self,
        weight: f32,
        ctx: u8,
        text: &str,
        span: Range<usize>,
        scan: &Scan,
        address: &mut Option<bool>,
    ) -> f32 {
        let mut w = weight;
        let c = &self.context;
        let meta = scan.has(feature::META);
        if ctx & TOKEN != 0 {
            // Chat-template tokens are the subject of tokenizer docs; in code or quoted they are examples.
            if scan.has(feature::TEMPLATE) {
                w *= 0.25;
            } else if in_code(text, span.start) || (meta && quoted(text, span.start)) {
                w *= 0.5;
            }
        } else {
            let clause = c.at_clause_start(text, span.start);
            if ctx & CLAUSE != 0 && !clause {
                w *= 0.6;
            }
            if c.negated(text, span.start) {
                w *= 0.25;
            }
            // Text about prompt injection quotes its examples; it does not issue them.
            if meta && (!clause || quoted(text, span.start) || in_code(text, span.start)) {
                w *= 0.35;
            }
        }
        if ctx & SECOND != 0
            && !scan.mark_near(Mark::Ai, span.start, span.end, NEAR)
            && !imperative_after(text, span.end)
            && !c.second_person_near(text, span.start, span.end)
        {
            w *= 0.5;
        }
        if ctx & AI != 0
            && !scan.mark_near(Mark::Ai, span.start, span.end, NEAR)
            && !*address.get_or_insert_with(|| c.addresses_ai(text, scan))
        {
            w *= 0.4;
        }
        w
    }
}

fn is_instruction(hit: &Hit) -> bool {
    hit.rule.family().is_instruction() && hit.weight >= INSTRUCTION
}

/// Hits found inside a decoded carrier: if they hold an instruction, the carrier
/// check fires (strongly) and the inner hits are reported at the carrier's span.
fn carry(check: Check, span: Range<usize>, inner: Vec<Hit>, out: &mut Vec<Hit>) {
    let strongest = inner
        .iter()
        .filter(|h| is_instruction(h))
        .map(|h| h.weight)
        .fold(0.0f32, f32::max);
    if strongest == 0.0 {
        return;
    }
    let weight = match check {
        // Invisible text that decodes to an instruction is about as bad as it gets.
        Check::UnicodeTags | Check::VariationSelectors | Check::ZeroWidthBinary => 0.95,
        _ => check.weight().max(strongest),
    };
    out.push(Hit::new(Rule::Check(check), weight, span.clone()));
    out.extend(inner.into_iter().map(|h| Hit {
        span: span.clone(),
        ..h
    }));
}

/// Instruction hits from a transformed reading, marked with the transform's check.
fn mark(
    check: Check,
    inner: Vec<Hit>,
    out: &mut Vec<Hit>,
    map: impl Fn(Range<usize>) -> Range<usize>,
) {
    let inner: Vec<Hit> = inner.into_iter().filter(is_instruction).collect();
    if let Some(strongest) = inner.iter().map(|h| h.weight).reduce(f32::max) {
        for h in inner {
            let span = map(h.span.clone());
            out.push(Hit::new(
                Rule::Check(check),
                check.weight().max(strongest),
                span.clone(),
            ));
            out.push(Hit { span, ..h });
        }
    }
}

/// A match without surrounding whitespace.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    if start < end { start..end } else { r }
}
