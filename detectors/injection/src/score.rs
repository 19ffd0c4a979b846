//! Turns the hits of one text into a score and per-family evidence.
//!
//! Within a family, each rule counts once (its best hit), and a hit that
//! overlaps a stronger counted hit adds nothing: two rules matching the same
//! phrase are one piece of evidence. Rules combine by noisy-or
//! (`1 - Π(1 - w)`), then families combine the same way. On top of that:
//! - +0.08 per additional family with real evidence (≥ 0.25), at most +0.24:
//!   an override *and* a concealment phrase is worse than either;
//! - +0.07 when concealment comes with an override, directive, exfiltration or beacon;
//! - +0.08 when the text addresses an AI (AI, assistant, LLM, Claude, ...) and
//!   carries an instruction.

use std::ops::Range;

use crate::family::Family;
use crate::hit::{Hit, Rule};

/// Evidence of one family in one text.
#[derive(Debug, Clone)]
pub struct FamilyEvidence {
    pub family: Family,
    /// Noisy-or of the family's rules, before cross-family boosts.
    pub score: f32,
    /// The rules that fired, strongest first.
    pub rules: Vec<(Rule, f32)>,
    /// Byte ranges of the matched phrases, sorted and merged.
    pub spans: Vec<Range<usize>>,
}

/// The verdict on one text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// 0.0 ..= 1.0.
    pub score: f32,
    /// Families with evidence, strongest first.
    pub families: Vec<FamilyEvidence>,
}

impl Analysis {
    pub fn family(&self, family: Family) -> Option<&FamilyEvidence> {
        self.families.iter().find(|f| f.family == family)
    }
}

const REAL: f32 = 0.25;
const ADDRESS_RULES: [&str; 3] = [
    "directive-ai-reader",
    "directive-ai-imperative",
    "directive-ai-should",
];
const MAX_SPANS: usize = 16;

fn noisy_or(weights: impl Iterator<Item = f32>) -> f32 {
    1.0 - weights.fold(1.0, |acc, w| acc * (1.0 - w.clamp(0.0, 1.0)))
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

pub fn score(mut hits: Vec<Hit>, addresses_ai: bool) -> Analysis {
    if hits.is_empty() {
        return Analysis::default();
    }
    hits.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut families: Vec<FamilyEvidence> = Vec::new();
    for family in Family::ALL {
        let mut counted: Vec<&Hit> = Vec::new();
        let mut rules: Vec<(Rule, f32)> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        for hit in hits.iter().filter(|h| h.rule.family() == family) {
            spans.push(hit.span.clone());
            if rules.iter().any(|(r, _)| *r == hit.rule) {
                continue;
            }
            rules.push((hit.rule, hit.weight));
            if !counted.iter().any(|c| overlaps(&c.span, &hit.span)) {
                counted.push(hit);
            }
        }
        if rules.is_empty() {
            continue;
        }
        let score = noisy_or(counted.iter().map(|h| h.weight));
        families.push(FamilyEvidence {
            family,
            score,
            rules,
            spans: merge(spans),
        });
    }
    families.sort_by(|a, b| b.score.total_cmp(&a.score));

    let base = noisy_or(families.iter().map(|f| f.score));
    let real = |f: Family| families.iter().any(|e| e.family == f && e.score >= REAL);
    let n = families.iter().filter(|f| f.score >= REAL).count();
    let mut boost = 0.08 * n.saturating_sub(1).min(3) as f32;
    if real(Family::Concealment)
        && [
            Family::Override,
            Family::ToolDirective,
            Family::Exfiltration,
            Family::Beacon,
        ]
        .into_iter()
        .any(real)
    {
        boost += 0.07;
    }
    // Rules that are themselves about addressing an AI do not earn the boost twice.
    let instructed = hits.iter().any(|h| {
        h.rule.family().is_instruction()
            && h.weight >= 0.2
            && !h.rule.is_token()
            && !ADDRESS_RULES.contains(&h.rule.id())
    });
    if addresses_ai && instructed {
        boost += 0.08;
    }
    Analysis {
        score: (base + boost).min(1.0),
        families,
    }
}

fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in spans {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out.truncate(MAX_SPANS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Check;

    #[test]
    fn overlapping_rules_in_a_family_count_once() {
        let a = Hit::new(Rule::Phrase(0), 0.6, 0..10);
        let b = Hit::new(Rule::Phrase(1), 0.6, 5..12);
        let s = score(vec![a, b], false);
        assert!((s.score - 0.6).abs() < 1e-6);
        assert_eq!(s.families[0].spans, vec![0..12]);
    }

    #[test]
    fn families_boost_each_other() {
        let hidden = Hit::check(Check::HtmlComment, 0..5);
        let alone = score(vec![hidden.clone()], false).score;
        let with = score(vec![hidden, Hit::new(Rule::Phrase(0), 0.5, 0..5)], true).score;
        assert!(with > 1.0 - (1.0 - alone) * 0.5 + 0.1);
    }
}
