//! A well-behaved detector: flags the word "canary" and counts, in session
//! state, how many messages of the session it has seen. It uses a std
//! `HashSet`, whose seeding is the one WASI call the host grants.
use warden_sdk::prelude::*;

pub struct Canary;

impl Detector for Canary {
    type Config = NoConfig;

    fn info() -> PluginInfo {
        PluginInfo::detector("canary", "1.0.0", "Flags the word canary (test plugin)").categories(["test"]).rule_count(1)
    }

    fn new(_: NoConfig) -> Result<Self, String> {
        Ok(Canary)
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        let seen = state::increment(Scope::Session, "seen", 1, None);
        let mut found = Vec::new();
        let mut pointers = std::collections::HashSet::new();
        for (i, text) in input.texts.iter().enumerate() {
            if !pointers.insert(text.pointer.as_str()) {
                continue;
            }
            for (at, word) in text.value.match_indices("canary") {
                found.push(
                    Finding::new("test", "canary.word", Severity::High)
                        .message(format!("canary seen (message {seen} of this session)"))
                        .span(i, at..at + word.len()),
                );
            }
        }
        found
    }
}

export_detector!(Canary);
