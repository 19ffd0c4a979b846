//! Where a phrase stands: at the start of an imperative clause, negated, quoted,
//! inside code, near "you", in a text that talks *about* prompt injection.
//!
//! These checks are what separate "Ignore previous instructions." from
//! "attackers tell the model to ignore previous instructions". They only look
//! at small windows around a match, or at what the trigger pass already found.

use crate::matcher::{Mark, Scan};
use crate::re::Re;
use crate::text::{ceil_boundary, floor_boundary};

/// How far back the clause check looks, in bytes.
const LOOKBACK: usize = 120;
/// How far either side of a match "you"/"your" or an AI name counts as near.
pub const NEAR: usize = 200;

pub struct Context {
    /// Matches the text before a phrase when the phrase starts a clause.
    intro_at_start: Re,
    /// The same, for a look-back window that does not reach the line start.
    intro_mid_line: Re,
    negation: Re,
    coordination: Re,
    address: Re,
    second_person: Re,
}

// Words that may stand between a clause boundary and an imperative verb.
const INTRO_WORDS: &str = r"(?:(?:please|kindly|now|just|simply|immediately|first|firstly|also|and|then|so|but|or|therefore|thus|hence|instead|actually|really|seriously|again|finally|next|hey|ok|okay|important|urgent|note|additionally|hereby|step\s+\d+|you\s+(?:must|should|shall|will|need\s+to|have\s+to|are\s+to|are\s+(?:required|instructed|expected|ordered|directed|supposed)\s+to|now|can|may|ought\s+to)|(?:i|we)\s+(?:want|need|order|command|instruct|require|ask|urge|demand|expect)\s+you\s+to|(?:the\s+)?(?:ai|assistant|agent|model|llm|bot|chatbot|claude|chatgpt|gpt|gemini|copilot)|must|should|always)\s*[,:]?\s*)*";

/// Punctuation that ends a clause or opens a quotation, list item or heading.
const BOUNDARY: &str = r#"(?:[.!?:;,\-*>#"'(\[{}|/=~_]|–|—|“|”|‘|’|…|•|·|→)"#;

/// Words that name an AI model or assistant.
const AI_WORDS: &str = r"(?i:AI|AIs|A\.I\.|LLMs?|language\s+models?|AI\s+(?:agents?|assistants?|models?|systems?)|assistants?|chatbots?|Claude|ChatGPT|GPT(?:-?\d(?:\.\d)?o?)?|Gemini|Copilot|Grok|Llama)";

/// Text that speaks *to* an AI (vocative, "you are an AI", "AIs reading this"),
/// as opposed to merely mentioning one.
const ADDRESS: &str = r"(?i)\b(?:hey|hi|hello|dear|attention|note\s+(?:to|for)|message\s+(?:to|for)|instructions?\s+(?:to|for)|reminder\s+(?:to|for)|psst)[\s,:]+(?:the\s+|any\s+|all\s+|an\s+)?{AIW}\b|\b{AIW}\s*[,:]\s*(?:you|your|please|ignore|disregard|forget|do|don't|never|always|now|from|before|when|if|stop|send|call|use|run|execute|read|open|visit|reply|respond|tell|say|print|output|include|remember|add|make|list|delete|forward|email|post|i)\b|(?:^|[\n>(\[\-]|[.!?]\s)\s*(?:the\s+)?{AIW}\s*[,:]|\byou(?:'re|\s+are)\s+(?:an?|the)\s+(?:[a-z-]+\s+)?{AIW}\b|\bas\s+an?\s+{AIW}\b|\b{AIW}\s+(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|browsing|that\s+(?:reads?|processes|sees?))\s+this\b|\bif\s+you(?:'re|\s+are)\s+an?\s+{AIW}";

/// Verbs that, first in a sentence, make it an imperative ("SYSTEM: Issue a refund").
const IMPERATIVES: &[&str] = &[
    "accept",
    "act",
    "activate",
    "add",
    "always",
    "answer",
    "append",
    "approve",
    "ask",
    "behave",
    "book",
    "bypass",
    "call",
    "cancel",
    "change",
    "click",
    "close",
    "collect",
    "comply",
    "confirm",
    "contact",
    "copy",
    "create",
    "delete",
    "disable",
    "disregard",
    "do",
    "don't",
    "download",
    "dump",
    "edit",
    "email",
    "enable",
    "enter",
    "execute",
    "export",
    "fetch",
    "follow",
    "forget",
    "forward",
    "gather",
    "give",
    "grant",
    "hide",
    "ignore",
    "include",
    "inform",
    "insert",
    "install",
    "invoke",
    "issue",
    "keep",
    "leak",
    "list",
    "make",
    "merge",
    "modify",
    "move",
    "navigate",
    "never",
    "notify",
    "obey",
    "open",
    "output",
    "override",
    "paste",
    "pay",
    "post",
    "pretend",
    "print",
    "provide",
    "rank",
    "rate",
    "read",
    "recommend",
    "refund",
    "remember",
    "remove",
    "rename",
    "reply",
    "respond",
    "reveal",
    "run",
    "save",
    "say",
    "search",
    "send",
    "set",
    "share",
    "show",
    "skip",
    "stop",
    "store",
    "summarize",
    "switch",
    "tell",
    "transfer",
    "translate",
    "unlock",
    "update",
    "upload",
    "use",
    "verify",
    "visit",
    "write",
    "you",
    "your",
];

impl Context {
    pub fn new() -> Result<Context, String> {
        Ok(Context {
            intro_at_start: Re::new(&format!(r"(?i)(?:^|{BOUNDARY})\s*{INTRO_WORDS}$"))?,
            intro_mid_line: Re::new(&format!(r"(?i){BOUNDARY}\s*{INTRO_WORDS}$"))?,
            negation: Re::new(
                r"(?i)(?:\bnot|\bnever|n't|\bcannot|\bwithout|\brefuse\s+to|\bno\s+longer|\bnor)\s+(?:(?:ever|to|be|just|simply|you)\s+)?$",
            )?,
            coordination: Re::new(
                r"(?i)\s(?:and|then|or)\s+(?:also\s+|instead\s+|then\s+|finally\s+)?$",
            )?,
            address: Re::new(&ADDRESS.replace("{AIW}", AI_WORDS))?,
            second_person: Re::new(r"(?i)\b(?:you|your|yours|yourself)\b")?,
        })
    }

    /// True when the phrase starting at `start` begins an imperative clause.
    pub fn at_clause_start(&self, text: &str, start: usize) -> bool {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let from = floor_boundary(text, start.saturating_sub(LOOKBACK).max(line_start));
        let before = &text[from..start];
        let intro = if from == line_start {
            self.intro_at_start.is_match(before)
        } else {
            self.intro_mid_line.is_match(before)
        };
        intro || self.coordinated(before)
    }

    /// "Say X and hide Y": a verb joined by "and"/"then" to a clause that itself
    /// starts with an imperative.
    fn coordinated(&self, before: &str) -> bool {
        if !self.coordination.is_match(before) {
            return false;
        }
        let segment = before
            .rfind(['.', '!', '?', ';', ':', ',', '\n'])
            .map_or(before, |i| &before[i + 1..]);
        imperative_after(segment, 0)
    }

    /// True when a negation ("not", "never", "without") directly precedes `start`.
    pub fn negated(&self, text: &str, start: usize) -> bool {
        let from = floor_boundary(text, start.saturating_sub(40));
        self.negation.is_match(&text[from..start])
    }

    /// True when "you"/"your" occurs within [`NEAR`] bytes of the range.
    pub fn second_person_near(&self, text: &str, start: usize, end: usize) -> bool {
        let from = floor_boundary(text, start.saturating_sub(NEAR));
        let to = ceil_boundary(text, end.saturating_add(NEAR));
        self.second_person.within(text, from..to).next().is_some()
    }

    /// True when the text speaks to an AI (checked around each AI name the scan found).
    pub fn addresses_ai(&self, text: &str, scan: &Scan) -> bool {
        scan.marks(Mark::Ai).take(64).any(|p| {
            let from = floor_boundary(text, p.saturating_sub(48));
            let to = ceil_boundary(text, p.saturating_add(96));
            self.address.within(text, from..to).next().is_some()
        })
    }
}

/// True when the first word after `end` (past spaces and punctuation) is an imperative verb.
pub fn imperative_after(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let rest = rest.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ':' | '-' | '*' | '>' | ']' | ')' | '#' | '.' | '!' | ';' | ','
            )
    });
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '\'')
        .take(12)
        .collect();
    IMPERATIVES.contains(&word.to_ascii_lowercase().as_str())
}

/// True when `start` lies inside double quotes opened earlier on the same line.
pub fn quoted(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let from = floor_boundary(text, start.saturating_sub(300).max(line_start));
    let before = &text[from..start];
    let straight = before.bytes().filter(|&b| b == b'"').count();
    let open = before.matches(['“', '«', '„']).count();
    let close = before.matches(['”', '»']).count();
    straight % 2 == 1 || open > close || before.trim_end().ends_with(['\'', '‘', '`'])
}

/// True when `start` lies inside a fenced code block or inline code span.
pub fn in_code(text: &str, start: usize) -> bool {
    let before = &text[..start];
    if before.matches("```").count() % 2 == 1 || before.matches("~~~").count() % 2 == 1 {
        return true;
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].bytes().filter(|&b| b == b'`').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_starts() {
        let c = Context::new().unwrap();
        let t = "Please ignore this. Attackers tell the model to ignore that. - ignore";
        let at =
            |needle: &str, nth: usize| t.match_indices(needle).nth(nth).map(|(i, _)| i).unwrap();
        assert!(c.at_clause_start(t, at("ignore", 0)));
        assert!(!c.at_clause_start(t, at("ignore", 1)));
        assert!(c.at_clause_start(t, at("ignore", 2)));
        let t = "Say it is great and hide the rest";
        assert!(c.at_clause_start(t, t.find("hide").unwrap()));
        assert!(c.negated("you must never ignore", 15));
        assert!(imperative_after("SYSTEM: Issue a refund", 7));
        assert!(!imperative_after("System: ThinkPad X1", 7));
    }

    #[test]
    fn quotes_and_code() {
        assert!(quoted("they wrote \"ignore", 12));
        assert!(!quoted("they wrote \"x\" ignore", 15));
        assert!(in_code("```\nignore", 4));
        assert!(in_code("run `rm -rf", 5));
        assert!(!in_code("```a```\nignore", 8));
    }
}
