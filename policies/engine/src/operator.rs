//! Condition operators.

use crate::error::{At, ConfigError, did_you_mean, suggestion};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equals,
    NotEquals,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    Matches,
    NotMatches,
    In,
    NotIn,
    Gt,
    Gte,
    Lt,
    Lte,
    Exists,
}

const OPERATORS: &[(&str, Operator)] = &[
    ("equals", Operator::Equals),
    ("not_equals", Operator::NotEquals),
    ("contains", Operator::Contains),
    ("not_contains", Operator::NotContains),
    ("starts_with", Operator::StartsWith),
    ("ends_with", Operator::EndsWith),
    ("matches", Operator::Matches),
    ("not_matches", Operator::NotMatches),
    ("in", Operator::In),
    ("not_in", Operator::NotIn),
    ("gt", Operator::Gt),
    ("gte", Operator::Gte),
    ("lt", Operator::Lt),
    ("lte", Operator::Lte),
    ("exists", Operator::Exists),
];

impl Operator {
    pub fn parse(name: &str, at: &At) -> Result<Operator, ConfigError> {
        OPERATORS.iter().find(|(n, _)| *n == name).map(|(_, op)| *op).ok_or_else(|| {
            at.err(match suggestion(name, OPERATORS.iter().map(|(n, _)| *n)) {
                Some(close) => format!("unknown operator `{name}`{}", did_you_mean(Some(close))),
                None => format!(
                    "unknown operator `{name}`; operators are {}",
                    OPERATORS.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
            })
        })
    }

    pub fn name(self) -> &'static str {
        OPERATORS.iter().find(|(_, op)| *op == self).map(|(n, _)| *n).unwrap_or("")
    }

    /// The positive operator and whether this one negates it: a negated
    /// operator holds exactly when its positive does not (so it holds for a
    /// missing value, and for a list none of whose elements match).
    pub fn split(self) -> (Operator, bool) {
        match self {
            Operator::NotEquals => (Operator::Equals, true),
            Operator::NotContains => (Operator::Contains, true),
            Operator::NotMatches => (Operator::Matches, true),
            Operator::NotIn => (Operator::In, true),
            other => (other, false),
        }
    }
}

/// An ordering comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Compare {
    pub fn of(op: Operator) -> Option<Compare> {
        match op {
            Operator::Gt => Some(Compare::Gt),
            Operator::Gte => Some(Compare::Gte),
            Operator::Lt => Some(Compare::Lt),
            Operator::Lte => Some(Compare::Lte),
            _ => None,
        }
    }

    pub fn holds(self, subject: f64, value: f64) -> bool {
        match self {
            Compare::Gt => subject > value,
            Compare::Gte => subject >= value,
            Compare::Lt => subject < value,
            Compare::Lte => subject <= value,
        }
    }
}
