//! Combining policy decisions into one verdict. Pure; no I/O.
//!
//! Precedence (most restrictive wins):
//!
//! | rank | action            |
//! |------|-------------------|
//! | 5    | DENY              |
//! | 4    | REQUIRE_APPROVAL  |
//! | 3    | RATE_LIMIT        |
//! | 2    | MASK_RESPONSE     |
//! | 1    | LOG_ONLY          |
//! | 0    | ALLOW             |
//!
//! - A detector that failed with `on-error: closed` denies.
//! - Decisions made in a policy's log-only mode are recorded, never enforced.
//! - Deny-by-default: unless some enforced decision is ALLOW (or the default
//!   action is allow), a message that nobody denied is denied anyway.
//!   RATE_LIMIT, MASK_RESPONSE and LOG_ONLY modify an allowed call; they do not
//!   allow it on their own.
//! - In the global log-only mode the verdict is recorded as "would" and the
//!   message passes as LOG_ONLY.

use serde::Serialize;

use super::bindings::Action;
use crate::config::{DefaultAction, EnforcementMode};

/// Action names ordered by restrictiveness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActionKind {
    Allow,
    LogOnly,
    MaskResponse,
    RateLimit,
    RequireApproval,
    Deny,
}

impl ActionKind {
    pub fn of(action: &Action) -> ActionKind {
        match action {
            Action::Allow => ActionKind::Allow,
            Action::LogOnly => ActionKind::LogOnly,
            Action::MaskResponse(_) => ActionKind::MaskResponse,
            Action::RateLimit(_) => ActionKind::RateLimit,
            Action::RequireApproval => ActionKind::RequireApproval,
            Action::Deny => ActionKind::Deny,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Allow => "ALLOW",
            ActionKind::LogOnly => "LOG_ONLY",
            ActionKind::MaskResponse => "MASK_RESPONSE",
            ActionKind::RateLimit => "RATE_LIMIT",
            ActionKind::RequireApproval => "REQUIRE_APPROVAL",
            ActionKind::Deny => "DENY",
        }
    }
}

/// One decision of one policy, attributed to the plugin that made it.
#[derive(Debug, Clone)]
pub struct PolicyDecision {
    pub plugin: String,
    pub action: Action,
    pub policy: String,
    pub policy_version: String,
    pub rule_id: String,
    pub reason: String,
    pub log_only_mode: bool,
}

/// The combined outcome for one message.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// What the gateway does.
    pub action: Action,
    /// Why, in words an operator (and maybe the agent) can read.
    pub reason: String,
    /// The decision that determined the outcome, if one did (index into the decisions).
    pub decided_by: Option<usize>,
    /// In log-only mode: what would have happened.
    pub would: Option<ActionKind>,
}

impl Verdict {
    pub fn kind(&self) -> ActionKind {
        ActionKind::of(&self.action)
    }
}

/// Settings that shape the combination.
#[derive(Debug, Clone, Copy, Default)]
pub struct CombineSettings {
    pub default_action: DefaultAction,
    pub mode: EnforcementMode,
}

/// A detector or policy that failed under `on-error: closed`.
#[derive(Debug, Clone)]
pub struct ClosedFailure {
    pub plugin: String,
    pub error: String,
}

/// Combines every decision (in pipeline order) into the verdict.
pub fn combine(decisions: &[PolicyDecision], closed_failures: &[ClosedFailure], settings: CombineSettings) -> Verdict {
    let verdict = enforce(decisions, closed_failures, settings.default_action);
    match settings.mode {
        EnforcementMode::Enforce => verdict,
        EnforcementMode::LogOnly => {
            let would = verdict.kind();
            Verdict {
                action: Action::LogOnly,
                reason: format!("log-only mode: would {}: {}", would.as_str(), verdict.reason),
                decided_by: verdict.decided_by,
                would: Some(would),
            }
        }
    }
}

fn enforce(decisions: &[PolicyDecision], closed_failures: &[ClosedFailure], default: DefaultAction) -> Verdict {
    if let Some(failure) = closed_failures.first() {
        return Verdict {
            action: Action::Deny,
            reason: format!("plugin `{}` failed ({}) and is configured on-error: closed", failure.plugin, failure.error),
            decided_by: None,
            would: None,
        };
    }
    let enforced = || decisions.iter().enumerate().filter(|(_, d)| !d.log_only_mode);
    // Most restrictive wins; the first such decision in pipeline order names it.
    let winner = enforced().fold(None::<(usize, &PolicyDecision)>, |best, (i, d)| match best {
        Some((_, b)) if ActionKind::of(&b.action) >= ActionKind::of(&d.action) => best,
        _ => Some((i, d)),
    });
    let allowed = enforced().any(|(_, d)| matches!(d.action, Action::Allow));
    match winner {
        Some((i, d)) if matches!(ActionKind::of(&d.action), ActionKind::Deny | ActionKind::RequireApproval) => {
            decided(i, d)
        }
        _ if !allowed && default == DefaultAction::Deny => Verdict {
            action: Action::Deny,
            reason: "no policy allows this call (deny-by-default)".to_string(),
            decided_by: None,
            would: None,
        },
        Some((i, d)) => decided(i, d),
        None => Verdict {
            action: Action::Allow,
            reason: "no policy objects (allow-by-default)".to_string(),
            decided_by: None,
            would: None,
        },
    }
}

fn decided(index: usize, d: &PolicyDecision) -> Verdict {
    let reason = if d.reason.is_empty() {
        format!("policy `{}` rule `{}`", d.policy, d.rule_id)
    } else {
        format!("{} (policy `{}`)", d.reason, d.policy)
    };
    Verdict { action: d.action.clone(), reason, decided_by: Some(index), would: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::bindings::MaskSpec;

    fn decision(action: Action, log_only: bool) -> PolicyDecision {
        PolicyDecision {
            plugin: "engine".into(),
            action,
            policy: "p".into(),
            policy_version: "v1".into(),
            rule_id: "r".into(),
            reason: String::new(),
            log_only_mode: log_only,
        }
    }

    fn mask() -> Action {
        Action::MaskResponse(MaskSpec { categories: vec!["pii".into()], pointers: vec![] })
    }

    const DENY_BY_DEFAULT: CombineSettings =
        CombineSettings { default_action: DefaultAction::Deny, mode: EnforcementMode::Enforce };

    #[test]
    fn the_most_restrictive_action_wins() {
        let all = [
            decision(Action::Allow, false),
            decision(mask(), false),
            decision(Action::RequireApproval, false),
            decision(Action::LogOnly, false),
        ];
        let v = combine(&all, &[], DENY_BY_DEFAULT);
        assert_eq!(v.kind(), ActionKind::RequireApproval);
        assert_eq!(v.decided_by, Some(2));
        let with_deny = [decision(Action::RequireApproval, false), decision(Action::Deny, false)];
        assert_eq!(combine(&with_deny, &[], DENY_BY_DEFAULT).kind(), ActionKind::Deny);
    }

    #[test]
    fn without_an_allow_the_default_is_deny() {
        assert_eq!(combine(&[], &[], DENY_BY_DEFAULT).kind(), ActionKind::Deny);
        // A modifier alone does not allow a call.
        assert_eq!(combine(&[decision(mask(), false)], &[], DENY_BY_DEFAULT).kind(), ActionKind::Deny);
        let allowed_and_masked = [decision(Action::Allow, false), decision(mask(), false)];
        assert_eq!(combine(&allowed_and_masked, &[], DENY_BY_DEFAULT).kind(), ActionKind::MaskResponse);
        let allow_by_default = CombineSettings { default_action: DefaultAction::Allow, ..DENY_BY_DEFAULT };
        assert_eq!(combine(&[], &[], allow_by_default).kind(), ActionKind::Allow);
        assert_eq!(combine(&[decision(mask(), false)], &[], allow_by_default).kind(), ActionKind::MaskResponse);
    }

    #[test]
    fn log_only_policies_are_recorded_not_enforced() {
        let all = [decision(Action::Allow, false), decision(Action::Deny, true)];
        assert_eq!(combine(&all, &[], DENY_BY_DEFAULT).kind(), ActionKind::Allow);
    }

    #[test]
    fn global_log_only_mode_passes_and_says_what_would_happen() {
        let settings = CombineSettings { mode: EnforcementMode::LogOnly, ..DENY_BY_DEFAULT };
        let v = combine(&[decision(Action::Deny, false)], &[], settings);
        assert_eq!(v.kind(), ActionKind::LogOnly);
        assert_eq!(v.would, Some(ActionKind::Deny));
    }

    #[test]
    fn a_closed_plugin_failure_denies() {
        let failure = ClosedFailure { plugin: "injection".into(), error: "timeout".into() };
        let v = combine(&[decision(Action::Allow, false)], &[failure], DENY_BY_DEFAULT);
        assert_eq!(v.kind(), ActionKind::Deny);
        assert!(v.reason.contains("injection"));
    }
}
