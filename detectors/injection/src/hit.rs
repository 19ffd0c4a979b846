//! A rule match before scoring.

use std::ops::Range;

use crate::checks::Check;
use crate::family::Family;
use crate::rules::PHRASES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Index into [`PHRASES`].
    Phrase(u16),
    Check(Check),
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::Phrase(i) => PHRASES.get(i as usize).map_or("unknown", |p| p.id),
            Rule::Check(c) => c.id(),
        }
    }

    /// A structural token rule (chat-template markers, role tags): evidence of
    /// format, not an instruction by itself.
    pub fn is_token(self) -> bool {
        matches!(self, Rule::Phrase(i) if PHRASES.get(i as usize).is_some_and(|p| p.ctx & crate::rules::TOKEN != 0))
    }

    pub fn family(self) -> Family {
        match self {
            Rule::Phrase(i) => PHRASES
                .get(i as usize)
                .map_or(Family::Override, |p| p.family),
            Rule::Check(c) => c.family(),
        }
    }
}

/// One piece of evidence: a rule, its weight in context, and where it is
/// (byte range in the coordinates of the text being scanned).
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: Rule,
    pub weight: f32,
    pub span: Range<usize>,
}

impl Hit {
    pub fn new(rule: Rule, weight: f32, span: Range<usize>) -> Hit {
        Hit { rule, weight, span }
    }

    pub fn check(check: Check, span: Range<usize>) -> Hit {
        Hit {
            rule: Rule::Check(check),
            weight: check.weight(),
            span,
        }
    }
}
