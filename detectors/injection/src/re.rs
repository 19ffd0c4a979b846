//! Regex compilation tuned for this detector.
//!
//! Rules run anchored at (or in a small window around) the trigger words the
//! Aho-Corasick pass found, never over a whole text, so literal prefilters are
//! useless and only cost compile time: they are off. ASCII-only patterns are
//! compiled in byte mode (ASCII `\s`, `\w`, `\b` and case folding), which keeps
//! the automata small and compilation fast; matches are snapped to char
//! boundaries. Patterns with non-ASCII text are compiled in Unicode mode, with
//! `\b` made ASCII so that the lazy DFA never has to bail out.

use std::ops::Range;

use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, meta};

use crate::text::{ceil_boundary, floor_boundary};

pub struct Re {
    inner: meta::Regex,
}

fn config() -> meta::Config {
    meta::Config::new()
        .auto_prefilter(false)
        .which_captures(WhichCaptures::Implicit)
        .nfa_size_limit(Some(8 << 20))
        .hybrid_cache_capacity(256 << 10)
}

impl Re {
    pub fn new(pattern: &str) -> Result<Re, String> {
        let builder = |unicode: bool| {
            let mut b = meta::Regex::builder();
            b.configure(config());
            b.syntax(syntax::Config::new().unicode(unicode).utf8(unicode));
            b
        };
        let inner = if pattern.is_ascii() {
            builder(false).build(pattern)
        } else {
            builder(true).build(&pattern.replace(r"\b", r"(?-u:\b)"))
        };
        inner.map(|inner| Re { inner }).map_err(|e| e.to_string())
    }

    /// The match starting exactly at `at`, looking no further than `limit`.
    pub fn at(&self, text: &str, at: usize, limit: usize) -> Option<Range<usize>> {
        let end = limit.min(text.len());
        if at > end {
            return None;
        }
        let input = Input::new(text).span(at..end).anchored(Anchored::Yes);
        self.inner.search(&input).map(|m| snap(text, m.range()))
    }

    /// Matches inside `window` (with the surrounding text as context for `\b` and `^`).
    pub fn within<'a>(
        &'a self,
        text: &'a str,
        window: Range<usize>,
    ) -> impl Iterator<Item = Range<usize>> + 'a {
        let end = window.end.min(text.len());
        let start = window.start.min(end);
        self.inner
            .find_iter(Input::new(text).span(start..end))
            .map(move |m| snap(text, m.range()))
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.inner.is_match(text)
    }
}

/// A byte range widened to char boundaries.
fn snap(text: &str, r: Range<usize>) -> Range<usize> {
    floor_boundary(text, r.start)..ceil_boundary(text, r.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_and_windowed_search() {
        let re = Re::new(r"(?i)\bignore\s+previous").unwrap();
        let t = "please IGNORE previous, or ignore  previous";
        assert_eq!(re.at(t, 7, t.len()), Some(7..22));
        assert_eq!(re.at(t, 6, t.len()), None);
        // `\b` sees the text before the window.
        assert_eq!(re.at("xignore previous", 1, 16), None);
        assert_eq!(re.within(t, 20..t.len()).collect::<Vec<_>>(), vec![27..43]);
    }

    #[test]
    fn byte_mode_matches_snap_to_chars() {
        let re = Re::new(r"a[^.]{0,3}b").unwrap();
        let t = "xaéb";
        let r = re.within(t, 0..t.len()).next().unwrap();
        assert_eq!(&t[r], "aéb");
    }
}
