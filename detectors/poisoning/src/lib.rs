//! The poisoning detector: inspects tool, prompt and resource definitions in
//! `tools/list`, `prompts/list` and `resources/list` results for hidden
//! instructions aimed at the model, and tools that shadow other servers' tools.
//!
//! Each definition is scored on its own: the weights of the distinct rules
//! that hit any of its strings (description, parameter descriptions, titles,
//! enum and default values) combine as `1 - Π(1 - w)`, and the definition is
//! reported, one finding per rule, when the score reaches `min_score`.

pub mod definition;
pub mod family;
pub mod hidden;
pub mod intent;
pub mod matcher;
pub mod params;
pub mod rules;
pub mod shadowing;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use regex_automata::meta::Regex;
use serde::Deserialize;
use warden_sdk::prelude::*;

use definition::{Kind, Location};
use family::Family;
use rules::{CODE_RULES, TEXT_RULES};

const CATEGORY: &str = "poisoning";
/// Texts longer than this are scanned only up to here (on a char boundary).
const MAX_SCAN_BYTES: usize = 256 * 1024;
/// Most spans attached to one finding.
const MAX_SPANS: usize = 16;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Score (0..1] a definition needs before it is reported.
    pub min_score: f32,
    /// Rule families to turn off or on, by name (`hidden-blocks: false`).
    pub families: BTreeMap<String, bool>,
    /// Rule ids to turn off (`poisoning.emphasis-marker`).
    pub disabled_rules: Vec<String>,
    /// `server/tool` pairs (or `server/*`) exempt from every rule.
    pub allow_tools: Vec<String>,
    /// Compare tool names across servers (keeps them in global state).
    pub shadowing: bool,
    /// Compile every pattern in `configure` (the host snapshots configured
    /// instances, so this is paid once). `false`: compile each rule the first
    /// time a text needs it, for hosts that configure every instance under a
    /// short deadline.
    pub precompile: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_score: 0.5,
            families: BTreeMap::new(),
            disabled_rules: Vec::new(),
            allow_tools: Vec::new(),
            shadowing: true,
            precompile: true,
        }
    }
}

pub struct Poisoning {
    min_score: f32,
    matcher: matcher::Matcher,
    params: params::ParamChecks,
    intent: intent::Intent,
    imperative: Regex,
    directive: Regex,
    /// Enabled code rules, by id.
    code_enabled: Vec<&'static str>,
    allow: Vec<(String, String)>,
    shadowing: bool,
}

impl Default for Poisoning {
    fn default() -> Self {
        match Poisoning::new(Config::default()) {
            Ok(p) => p,
            // The built-in patterns are tested to compile.
            Err(e) => panic!("poisoning: default configuration failed: {e}"),
        }
    }
}

/// A rule hit inside one definition.
struct Hit {
    /// Index into the combined rule list: text rules, then code rules.
    rule: usize,
    weight: f32,
    span: Option<(usize, Range<usize>)>,
    /// Extra words for the message (e.g. the other server's name).
    note: Option<String>,
}

/// One tool, prompt or resource of the listing.
struct Definition<'a> {
    kind: Kind,
    index: usize,
    name: Option<&'a str>,
    hits: Vec<Hit>,
}

impl Detector for Poisoning {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector(
            "poisoning",
            env!("CARGO_PKG_VERSION"),
            "Finds hidden instructions in tool, prompt and resource definitions, and tools shadowing other servers' tools",
        )
        .categories([CATEGORY])
        .phases([Phase::ToolListing])
        .rule_count(TEXT_RULES.len() + CODE_RULES.len())
    }

    fn new(config: Config) -> Result<Self, String> {
        if !(config.min_score > 0.0 && config.min_score <= 1.0) {
            return Err(format!(
                "min_score must be in (0, 1], got {}",
                config.min_score
            ));
        }
        let mut families: HashMap<Family, bool> = HashMap::new();
        for (name, on) in &config.families {
            let family = Family::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "families: unknown family '{name}' (known: {})",
                    known.join(", ")
                )
            })?;
            families.insert(family, *on);
        }
        for id in &config.disabled_rules {
            if !rules::all_ids().any(|known| known == id) {
                return Err(format!("disabled_rules: unknown rule '{id}'"));
            }
        }
        let shadowing_family = families.get(&Family::Shadowing).copied().unwrap_or(true);
        let enabled = |id: &str, family: Family| {
            families.get(&family).copied().unwrap_or(true)
                && !config.disabled_rules.iter().any(|d| d == id)
        };
        let matcher = matcher::Matcher::new(|r| enabled(r.id, r.family))?;
        let code_enabled = CODE_RULES
            .iter()
            .filter(|r| enabled(r.id, r.family))
            .map(|r| r.id)
            .collect();
        let mut allow = Vec::new();
        for entry in &config.allow_tools {
            match entry.split_once('/') {
                Some((server, tool)) if !server.is_empty() && !tool.is_empty() => {
                    allow.push((server.to_string(), tool.to_string()))
                }
                _ => {
                    return Err(format!(
                        "allow_tools: '{entry}' is not of the form server/tool or server/*"
                    ));
                }
            }
        }
        let imperative = matcher::compile(
            r"(?i)\b(?:you\s+(?:must|should|need\s+to|have\s+to|are\s+required\s+to|will\s+need\s+to)|always|never|do\s+not|don'?t|must|make\s+sure|ensure\s+(?:that|you)|remember\s+to|be\s+sure\s+to)\b",
        )?;
        let directive = matcher::compile(
            r"(?i)\b(?:always|never|must|should|instead|do\s+not|don'?t|whenever|when|before|after|replaces?|overrides?|bcc|cc|forward|redirect|also|first|only)\b",
        )?;
        let params = params::ParamChecks::default();
        if config.precompile {
            matcher.precompile();
            params.precompile();
        }
        Ok(Poisoning {
            min_score: config.min_score,
            matcher,
            params,
            intent: intent::Intent::new()?,
            imperative,
            directive,
            code_enabled,
            allow,
            shadowing: config.shadowing && shadowing_family,
        })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        if input.context.phase != Phase::ToolListing {
            return Vec::new();
        }
        let server = input.context.server.as_str();

        // Pass 1: the definitions, their names and the leaves belonging to each.
        let mut defs: Vec<Definition> = Vec::new();
        let mut leaves: Vec<(usize, usize, Location)> = Vec::new();
        let mut argument_names: HashMap<(usize, &str), &str> = HashMap::new();
        for (i, text) in input.texts.iter().enumerate() {
            let Some(loc) = definition::locate(&text.pointer) else {
                continue;
            };
            let d = match defs
                .iter()
                .position(|d| d.kind == loc.kind && d.index == loc.index)
            {
                Some(d) => d,
                None => {
                    defs.push(Definition {
                        kind: loc.kind,
                        index: loc.index,
                        name: None,
                        hits: Vec::new(),
                    });
                    defs.len() - 1
                }
            };
            if loc.field == "name" {
                defs[d].name = Some(&text.value);
            } else if loc.kind == Kind::Prompt
                && let Some(arg) = loc
                    .field
                    .strip_prefix("arguments/")
                    .and_then(|f| f.strip_suffix("/name"))
            {
                argument_names.insert((d, arg), &text.value);
            }
            leaves.push((i, d, loc));
        }
        if defs.is_empty() {
            return Vec::new();
        }
        let allowed: Vec<bool> = defs.iter().map(|d| self.is_allowed(server, d)).collect();

        // Shadowing: compare tool names with other servers', then record ours.
        let mut findings = Vec::new();
        let mut references = None;
        if self.shadowing && !server.is_empty() {
            let own: BTreeSet<String> = defs
                .iter()
                .filter(|d| d.kind == Kind::Tool)
                .filter_map(|d| d.name)
                .map(str::to_string)
                .collect();
            if !own.is_empty() {
                let owners = shadowing::read_owners();
                let others = shadowing::OtherTools::from_owners(server, &owners);
                if self.code_on(rules::SHADOWING) {
                    for (d, def) in defs.iter().enumerate() {
                        if def.kind != Kind::Tool || allowed[d] {
                            continue;
                        }
                        let Some(name) = def.name else { continue };
                        let servers = others.servers_with(name);
                        if !servers.is_empty() {
                            findings.push(
                                Finding::new(CATEGORY, rules::SHADOWING, Severity::High).confidence(0.9).message(
                                    format!(
                                        "tool '{}' of server '{}' shadows a tool of the same name on server(s) {}",
                                        shown(name),
                                        shown(server),
                                        servers.iter().map(|s| format!("'{}'", shown(s))).collect::<Vec<_>>().join(", ")
                                    ),
                                ),
                            );
                        }
                    }
                }
                if self.code_on(rules::CROSS_SERVER_REFERENCE) {
                    let own_normalized = own.iter().map(|n| definition::normalize(n)).collect();
                    references = others.references(&own_normalized);
                }
                let partial = input
                    .texts
                    .iter()
                    .any(|t| t.pointer == "/result/nextCursor" && !t.value.is_empty());
                shadowing::record(server, &own, partial, owners);
            }
        }

        // Pass 2: the rules, on every leaf of every definition not allowed.
        let mut char_hits = Vec::new();
        for (i, d, loc) in &leaves {
            if allowed[*d] {
                continue;
            }
            let text = scan_window(&input.texts[*i].value);
            let hits = &mut defs[*d].hits;
            char_hits.clear();
            hidden::scan(text, &mut char_hits);
            for h in char_hits.drain(..) {
                if let Some(rule) = self.code_index(h.rule) {
                    for r in h.ranges {
                        hits.push(Hit {
                            rule,
                            weight: h.weight,
                            span: Some((*i, r)),
                            note: None,
                        });
                    }
                }
            }
            for param in definition::params_in(loc.field) {
                self.check_param_name(&param, hits);
            }
            if !definition::is_prose(loc.field) {
                if (loc.field.ends_with("/name") && loc.kind == Kind::Prompt)
                    || definition::is_required_entry(loc.field)
                {
                    self.check_param_name(text, hits);
                }
                continue;
            }
            self.matcher.scan(text, |rule, range| {
                hits.push(Hit {
                    rule,
                    weight: TEXT_RULES[rule].weight,
                    span: Some((*i, range)),
                    note: None,
                })
            });
            if let Some(rule) = self.code_index(rules::DIRECTIVE_CONCERN)
                && let Some((weight, range)) = self.intent.check(text)
            {
                hits.push(Hit {
                    rule,
                    weight,
                    span: Some((*i, range)),
                    note: None,
                });
            }
            if text.len() >= 1000
                && let Some(rule) = self.code_index(rules::LONG_IMPERATIVE)
            {
                let orders = self.imperative.find_iter(text.as_bytes()).count();
                if orders >= 6 && orders * 1000 / text.len() >= 4 {
                    hits.push(Hit {
                        rule,
                        weight: 0.3,
                        span: None,
                        note: None,
                    });
                }
            }
            let param = definition::documented_param(loc.field).or_else(|| {
                let arg = loc
                    .field
                    .strip_prefix("arguments/")?
                    .strip_suffix("/description")?;
                argument_names.get(&(*d, arg)).map(|s| s.to_string())
            });
            if let Some(param) = param
                && self.params.is_bait(&param, text)
                && let Some(rule) = self.code_index(rules::SCHEMA_BAIT)
            {
                hits.push(Hit {
                    rule,
                    weight: 0.55,
                    span: Some((*i, 0..text.len())),
                    note: Some(format!("parameter '{}'", shown(&param))),
                });
            }
            if let Some(refs) = &references
                && let Some(rule) = self.code_index(rules::CROSS_SERVER_REFERENCE)
            {
                for (range, name, other) in refs.find(text, &self.directive) {
                    hits.push(Hit {
                        rule,
                        weight: 0.45,
                        span: Some((*i, range)),
                        note: Some(format!("'{}' of server '{}'", shown(name), shown(other))),
                    });
                }
            }
        }

        for def in &defs {
            self.report(input, server, def, &mut findings);
        }
        findings
    }
}

impl Poisoning {
    fn is_allowed(&self, server: &str, def: &Definition) -> bool {
        let Some(name) = def.name else { return false };
        self.allow
            .iter()
            .any(|(s, t)| s == server && (t == "*" || t == name))
    }

    fn code_on(&self, id: &str) -> bool {
        self.code_enabled.contains(&id)
    }

    /// The combined index of an enabled code rule.
    fn code_index(&self, id: &str) -> Option<usize> {
        if !self.code_on(id) {
            return None;
        }
        CODE_RULES
            .iter()
            .position(|r| r.id == id)
            .map(|p| TEXT_RULES.len() + p)
    }

    fn check_param_name(&self, param: &str, hits: &mut Vec<Hit>) {
        for (id, weight, applies) in [
            (
                rules::SUSPICIOUS_PARAM,
                0.35,
                params::is_suspicious_name(param),
            ),
            (
                rules::INSTRUCTION_PARAM,
                0.55,
                params::is_instruction_name(param),
            ),
        ] {
            if applies
                && let Some(rule) = self.code_index(id)
                && !hits.iter().any(|h| h.rule == rule)
            {
                hits.push(Hit {
                    rule,
                    weight,
                    span: None,
                    note: Some(format!("parameter '{}'", shown(param))),
                });
            }
        }
    }

    /// Scores one definition and, when it reaches `min_score`, adds one finding per rule that hit.
    fn report(
        &self,
        input: &ScanInput,
        server: &str,
        def: &Definition,
        findings: &mut Vec<Finding>,
    ) {
        if def.hits.is_empty() {
            return;
        }
        // Strongest weight per rule, then independent-evidence combination.
        let mut per_rule: BTreeMap<usize, f32> = BTreeMap::new();
        for h in &def.hits {
            let w = per_rule.entry(h.rule).or_insert(0.0);
            *w = w.max(h.weight);
        }
        let score = 1.0 - per_rule.values().fold(1.0f32, |acc, w| acc * (1.0 - w));
        if score < self.min_score {
            return;
        }
        let severity = Severity::from_score(score);
        let label = match def.name {
            Some(name) => format!("{} '{}'", def.kind.as_str(), shown(name)),
            None => format!("{} #{}", def.kind.as_str(), def.index),
        };
        let server_note = if server.is_empty() {
            String::new()
        } else {
            format!(" of server '{}'", shown(server))
        };
        for &rule in per_rule.keys() {
            let hits: Vec<&Hit> = def.hits.iter().filter(|h| h.rule == rule).collect();
            let (id, what) = rule_text(rule);
            let field = hits
                .iter()
                .find_map(|h| h.span.as_ref())
                .and_then(|(i, _)| input.texts.get(*i))
                .and_then(|t| definition::locate(&t.pointer))
                .map(|l| {
                    if l.field.is_empty() {
                        String::new()
                    } else {
                        format!(" in {}", l.field)
                    }
                })
                .unwrap_or_default();
            let note = hits
                .iter()
                .find_map(|h| h.note.as_deref())
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let mut finding = Finding::new(CATEGORY, id, severity)
                .confidence(score)
                .message(format!(
                    "{label}{server_note}: {what}{note}{field}; definition score {score:.2}"
                ));
            let mut spans: Vec<(usize, Range<usize>)> =
                hits.iter().filter_map(|h| h.span.clone()).collect();
            spans.sort_by_key(|(i, r)| (*i, r.start));
            spans.dedup();
            for (i, r) in spans.into_iter().take(MAX_SPANS) {
                finding = finding.span(i, r);
            }
            findings.push(finding);
        }
    }
}

/// Rule id and description of a combined rule index.
fn rule_text(rule: usize) -> (&'static str, &'static str) {
    match TEXT_RULES.get(rule) {
        Some(r) => (r.id, r.what),
        None => CODE_RULES
            .get(rule - TEXT_RULES.len())
            .map_or(("poisoning.unknown", "unknown"), |r| (r.id, r.what)),
    }
}

/// The part of a text that is scanned: at most [`MAX_SCAN_BYTES`], cut on a char boundary.
fn scan_window(text: &str) -> &str {
    if text.len() <= MAX_SCAN_BYTES {
        return text;
    }
    let mut end = MAX_SCAN_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A name as shown in a message: at most 80 visible characters.
fn shown(name: &str) -> String {
    let mut out: String = name
        .chars()
        .filter(|c| !c.is_control() && !is_format_char(*c))
        .take(80)
        .collect();
    if name.chars().count() > 80 {
        out.push('…');
    }
    out
}

fn is_format_char(c: char) -> bool {
    matches!(u32::from(c), 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2069 | 0xfeff | 0xe0000..=0xe007f)
}

#[cfg(feature = "export")]
warden_sdk::export_detector!(Poisoning);

#[cfg(test)]
mod tests;
