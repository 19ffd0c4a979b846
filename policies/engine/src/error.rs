//! Configuration errors that say where they are: the policy, then the rule,
//! the condition and the key inside it.

use std::fmt;

/// One step of the path from a policy document to the part in error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// The value of a key.
    Key(String),
    /// An element of a list.
    Index(usize),
    /// A key itself: unknown keys are reported at their name.
    KeyName(String),
}

/// A policy document or engine setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Index of the policy in the configuration's `policies`; `None` for an
    /// engine-level setting (`timezone`, an unknown top-level key).
    pub policy: Option<usize>,
    /// The policy's name, when it has a usable one.
    pub policy_name: Option<String>,
    /// Where inside the policy document (or the engine configuration).
    pub path: Vec<PathStep>,
    pub message: String,
}

impl ConfigError {
    /// The error without its policy prefix: `rule 1: condition 3: unknown field `tol``.
    pub fn detail(&self) -> String {
        let mut out = String::new();
        let mut steps = self.path.iter().peekable();
        while let Some(step) = steps.next() {
            let PathStep::Key(key) = step else { continue };
            let noun = match key.as_str() {
                "rules" => "rule",
                "conditions" => "condition",
                _ => continue,
            };
            if let Some(PathStep::Index(i)) = steps.peek() {
                out.push_str(&format!("{noun} {}: ", i + 1));
                steps.next();
            }
        }
        out.push_str(&self.message);
        out
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.policy_name, self.policy) {
            (Some(name), _) => write!(f, "policy `{name}`: {}", self.detail()),
            (None, Some(i)) => write!(f, "policy {}: {}", i + 1, self.detail()),
            (None, None) => write!(f, "{}", self.detail()),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where compilation is: the policy and the path below it. Cheap to extend.
#[derive(Debug, Clone, Default)]
pub(crate) struct At {
    policy: Option<usize>,
    policy_name: Option<String>,
    path: Vec<PathStep>,
}

impl At {
    pub fn root() -> At {
        At::default()
    }

    pub fn policy(index: usize) -> At {
        At { policy: Some(index), ..At::default() }
    }

    pub fn named(mut self, name: &str) -> At {
        self.policy_name = Some(name.to_string());
        self
    }

    pub fn key(&self, key: &str) -> At {
        let mut at = self.clone();
        at.path.push(PathStep::Key(key.to_string()));
        at
    }

    pub fn index(&self, index: usize) -> At {
        let mut at = self.clone();
        at.path.push(PathStep::Index(index));
        at
    }

    pub fn key_name(&self, key: &str) -> At {
        let mut at = self.clone();
        at.path.push(PathStep::KeyName(key.to_string()));
        at
    }

    pub fn err(&self, message: impl Into<String>) -> ConfigError {
        ConfigError {
            policy: self.policy,
            policy_name: self.policy_name.clone(),
            path: self.path.clone(),
            message: message.into(),
        }
    }
}

/// The closest of `known` to `word`, if it is close enough to be a typo.
pub(crate) fn suggestion<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(word, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb { previous } else { 1 + previous.min(row[j]).min(current) };
            previous = current;
        }
    }
    row[b.len()]
}

/// ` (did you mean `x`?)` or nothing.
pub(crate) fn did_you_mean(suggested: Option<&str>) -> String {
    suggested.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(suggestion("tol", ["tool", "time", "method"]), Some("tool"));
        assert_eq!(suggestion("agent_permission", ["agent_permissions", "agent_id"]), Some("agent_permissions"));
        assert_eq!(suggestion("xyz", ["tool", "time"]), None);
    }

    #[test]
    fn the_detail_names_rule_and_condition_one_based() {
        let e = At::policy(0).named("P").key("rules").index(0).key("conditions").index(2).key("field").err("unknown field `tol`");
        assert_eq!(e.to_string(), "policy `P`: rule 1: condition 3: unknown field `tol`");
    }
}
