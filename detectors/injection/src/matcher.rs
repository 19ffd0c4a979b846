//! The single pass over a text: one Aho-Corasick search over every trigger
//! word (ASCII case-insensitive, starting at a word boundary; a trigger ending
//! in `!` must also end at one). It yields where each phrase rule may match,
//! the positions of a few marker words (AI names, link and image syntax) and
//! cheap text-level features. Non-ASCII triggers live in a second
//! automaton that only runs on non-ASCII text.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::re::Re;
use crate::rules::{FRAGMENTS, PHRASES, PhraseSpec, Search, search_mode};
use crate::text::is_word_byte;

/// Text-level features (bits of [`Scan::features`]).
pub mod feature {
    pub const ROT13: u32 = 1;
    pub const REVERSED: u32 = 1 << 1;
    pub const LEET: u32 = 1 << 2;
    pub const HTML_COMMENT: u32 = 1 << 3;
    pub const MD_COMMENT: u32 = 1 << 4;
    pub const CSS: u32 = 1 << 5;
    pub const IMAGE: u32 = 1 << 6;
    /// The text talks about prompt injection, jailbreaks, detection, examples.
    pub const META: u32 = 1 << 7;
    /// The text documents chat templates or tokenizers.
    pub const TEMPLATE: u32 = 1 << 8;
}

/// Marker words whose positions are kept.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mark {
    Ai,
    Link,
    HtmlImage,
    RefDef,
}

const FEATURE_TRIGGERS: &[(u32, &[&str])] = &[
    (
        feature::ROT13,
        &[
            "vtaber",
            "qvfertneq",
            "vafgehpgvbaf",
            "flfgrz cebzcg",
            "sbetrg nyy",
            "sbetrg rirelguvat",
            "cerivbhf",
            "lbh ner abj",
            "sebz abj ba",
        ],
    ),
    (
        feature::REVERSED,
        &[
            "snoitcurtsni",
            "erongi",
            "dragersid",
            "tpmorp metsys",
            "suoiverp",
            "no won morf",
            "won era uoy",
        ],
    ),
    (
        feature::LEET,
        &[
            "1gn0r",
            "1gnor",
            "ign0r",
            "!gnor",
            "pr3v",
            "prev10",
            "previ0u",
            "1nstruct",
            "instruct10n",
            "instructi0n",
            "d1sregard",
            "disr3gard",
            "d1sr3g",
            "f0rget",
            "forg3t",
            "syst3m",
            "sy5tem",
            "pr0mpt",
            "j41lbr",
            "ja1lbr",
            "jailbr3",
            "1n5truct",
            "in5truct",
            "1nstruc",
            "4ll pr",
        ],
    ),
    (feature::HTML_COMMENT, &["<!--"]),
    (
        feature::MD_COMMENT,
        &["[//]:", "[comment]:", "[_]:", "[#]:"],
    ),
    (feature::CSS, &["style", "hidden"]),
    (feature::IMAGE, &["!["]),
    (
        feature::META,
        &[
            "prompt injection",
            "prompt-injection",
            "jailbreak",
            "injection attack",
            "adversarial",
            "attacker",
            "malicious",
            "red team",
            "red-team",
            "redteam",
            "payload",
            "threat model",
            "owasp",
            "llm01",
            "guardrail",
            "classifier",
            "for example",
            "e.g.",
            "such as",
            "example of",
            "examples include",
            "examples of",
            "phrases like",
            "strings like",
            "detect",
        ],
    ),
    (
        feature::TEMPLATE,
        &[
            "chat template",
            "chat_template",
            "chat-template",
            "special token",
            "tokenizer",
            "tokeniser",
            "prompt format",
            "jinja",
            "fine-tun",
            "finetun",
        ],
    ),
];

const MARK_TRIGGERS: &[(Mark, &[&str])] = &[
    (
        Mark::Ai,
        &[
            "ai!",
            "ais!",
            "a.i.",
            "llm",
            "language model",
            "assistant",
            "chatbot",
            "claude",
            "chatgpt",
            "gpt",
            "gemini",
            "copilot",
            "grok!",
            "llama",
        ],
    ),
    (Mark::Link, &["]("]),
    (Mark::HtmlImage, &["<img"]),
    (Mark::RefDef, &["]:"]),
];

#[derive(Clone, Copy)]
enum Target {
    Phrase(u16),
    Feature(u32),
    Mark(Mark),
}

struct Trigger {
    end_boundary: bool,
    start_boundary: bool,
    targets: Vec<Target>,
}

pub struct Phrase {
    pub spec: &'static PhraseSpec,
    pub re: Re,
    pub search: Search,
}

/// What one pass over a text found.
#[derive(Default, Debug)]
pub struct Scan {
    /// `(rule, trigger start)`, in text order.
    pub rule_hits: Vec<(u16, usize)>,
    pub features: u32,
    pub marks: Vec<(Mark, usize)>,
}

impl Scan {
    pub fn has(&self, feature: u32) -> bool {
        self.features & feature != 0
    }

    pub fn marks(&self, mark: Mark) -> impl Iterator<Item = usize> + '_ {
        self.marks
            .iter()
            .filter(move |(m, _)| *m == mark)
            .map(|(_, p)| *p)
    }

    /// True when a `mark` lies within `distance` bytes of `range`.
    pub fn mark_near(&self, mark: Mark, start: usize, end: usize, distance: usize) -> bool {
        self.marks(mark)
            .any(|p| p + distance >= start && p <= end + distance)
    }
}

struct Automaton {
    ac: AhoCorasick,
    triggers: Vec<Trigger>,
}

pub struct Matcher {
    ascii: Automaton,
    unicode: Option<Automaton>,
    pub phrases: Vec<Phrase>,
}

/// Expands the `{NAME}` fragments of a rule pattern.
pub fn expand(pattern: &str) -> String {
    let mut p = pattern.to_string();
    for (name, fragment) in FRAGMENTS {
        p = p.replace(name, fragment);
    }
    p
}

#[derive(Default)]
struct TriggerSet {
    index: HashMap<String, usize>,
    words: Vec<String>,
    triggers: Vec<Trigger>,
}

impl TriggerSet {
    fn add(&mut self, word: &str, target: Target) {
        let (word, end_boundary) = match word.strip_suffix('!') {
            Some(w) if !w.is_empty() => (w, true),
            _ => (word, false),
        };
        let key = format!(
            "{}{}",
            word.to_ascii_lowercase(),
            if end_boundary { "!" } else { "" }
        );
        let slot = match self.index.get(&key) {
            Some(&slot) => slot,
            None => {
                self.words.push(word.to_string());
                self.triggers.push(Trigger {
                    end_boundary,
                    start_boundary: word.as_bytes().first().is_some_and(|&b| is_word_byte(b)),
                    targets: Vec::new(),
                });
                self.index.insert(key, self.triggers.len() - 1);
                self.triggers.len() - 1
            }
        };
        self.triggers[slot].targets.push(target);
    }

    fn build(self) -> Result<Option<Automaton>, String> {
        if self.words.is_empty() {
            return Ok(None);
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.words)
            .map_err(|e| e.to_string())?;
        Ok(Some(Automaton {
            ac,
            triggers: self.triggers,
        }))
    }
}

impl Matcher {
    pub fn new() -> Result<Matcher, String> {
        let mut ascii = TriggerSet::default();
        let mut unicode = TriggerSet::default();
        let mut add = |word: &str, target: Target| {
            if word.is_ascii() {
                ascii.add(word, target);
                return;
            }
            unicode.add(word, target);
            // ASCII case folding does not cover "Игнорируй" or "Übergehe": add the capitalized form.
            let mut chars = word.chars();
            if let Some(first) = chars.next().filter(|c| !c.is_ascii()) {
                let capital: String = first.to_uppercase().chain(chars).collect();
                if capital != word {
                    unicode.add(&capital, target);
                }
            }
        };
        let mut phrases = Vec::with_capacity(PHRASES.len());
        for (i, spec) in PHRASES.iter().enumerate() {
            let re =
                Re::new(&expand(spec.pattern)).map_err(|e| format!("rule {}: {e}", spec.id))?;
            phrases.push(Phrase {
                spec,
                re,
                search: search_mode(spec.id),
            });
            for word in spec.triggers {
                add(word, Target::Phrase(i as u16));
            }
        }
        for (bit, words) in FEATURE_TRIGGERS {
            for word in *words {
                add(word, Target::Feature(*bit));
            }
        }
        for (mark, words) in MARK_TRIGGERS {
            for word in *words {
                add(word, Target::Mark(*mark));
            }
        }
        let ascii = ascii.build()?.ok_or("no triggers")?;
        Ok(Matcher {
            ascii,
            unicode: unicode.build()?,
            phrases,
        })
    }

    /// One pass over `text`.
    pub fn scan(&self, text: &str) -> Scan {
        let mut out = Scan::default();
        scan_with(&self.ascii, text, &mut out);
        if let Some(unicode) = self.unicode.as_ref().filter(|_| !text.is_ascii()) {
            scan_with(unicode, text, &mut out);
            out.rule_hits.sort_unstable_by_key(|&(_, p)| p);
            out.marks.sort_unstable_by_key(|&(_, p)| p);
        }
        out
    }
}

fn scan_with(automaton: &Automaton, text: &str, out: &mut Scan) {
    let bytes = text.as_bytes();
    for m in automaton.ac.find_overlapping_iter(text) {
        let Some(trigger) = automaton.triggers.get(m.pattern().as_usize()) else {
            continue;
        };
        if trigger.start_boundary
            && m.start() > 0
            && bytes.get(m.start() - 1).is_some_and(|&b| is_word_byte(b))
        {
            continue;
        }
        if trigger.end_boundary && bytes.get(m.end()).is_some_and(|&b| is_word_byte(b)) {
            continue;
        }
        for target in &trigger.targets {
            match *target {
                Target::Phrase(i) => {
                    if out.rule_hits.last() != Some(&(i, m.start())) {
                        out.rule_hits.push((i, m.start()));
                    }
                }
                Target::Feature(bit) => out.features |= bit,
                Target::Mark(mark) => {
                    if out.marks.len() < 4096 {
                        out.marks.push((mark, m.start()));
                    }
                }
            }
        }
    }
}
