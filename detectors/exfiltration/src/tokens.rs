//! Splitting argument text into the candidate values a copied secret or ID
//! could be: whole words, the parts of `key=value` and URLs, digit groups.

use std::ops::Range;

/// Bytes that end a word: ASCII whitespace, quotes, brackets, list punctuation.
const DELIMITER: [bool; 256] = {
    let mut t = [false; 256];
    let delimiters = b" \t\n\r\x0b\x0c\"'`<>()[]{},;|\\*";
    let mut i = 0;
    while i < delimiters.len() {
        t[delimiters[i] as usize] = true;
        i += 1;
    }
    t
};

/// Words of at least `min_len` bytes, split on whitespace, quotes, brackets
/// and list punctuation, with sentence punctuation trimmed.
pub fn coarse(text: &str, min_len: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if DELIMITER[b[i] as usize] {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !DELIMITER[b[i] as usize] {
            i += 1;
        }
        if i - start >= min_len {
            push_trimmed(b, start..i, min_len, &mut out);
        }
    }
    out
}

fn push_trimmed(b: &[u8], r: Range<usize>, min_len: usize, out: &mut Vec<Range<usize>>) {
    let w = &b[r.clone()];
    let lead = w
        .iter()
        .take_while(|c| matches!(c, b':' | b'.' | b'!' | b'?' | b'='))
        .count();
    let trail = w[lead..]
        .iter()
        .rev()
        .take_while(|c| matches!(c, b':' | b'.' | b'!' | b'?'))
        .count();
    if lead + trail + min_len.max(1) <= w.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Pushes the parts (of at least `min_len` bytes) of `word` split at the
/// bytes `is_sep` accepts; an `=` only splits when a value follows it
/// (base64 padding stays attached). Returns whether it split at all.
fn split_into(
    b: &[u8],
    word: Range<usize>,
    is_sep: fn(u8) -> bool,
    min_len: usize,
    out: &mut Vec<Range<usize>>,
) -> bool {
    let w = &b[word.clone()];
    let mut start = 0;
    let mut split = false;
    for i in 0..w.len() {
        if !is_sep(w[i])
            || (w[i] == b'='
                && (i + 1 >= w.len() || w[i + 1] == b'=' || (i > 0 && w[i - 1] == b'=')))
        {
            continue;
        }
        if i >= start + min_len.max(1) {
            out.push(word.start + start..word.start + i);
        }
        start = i + 1;
        split = true;
    }
    if split && w.len() >= start + min_len.max(1) {
        out.push(word.start + start..word.end);
    }
    split
}

fn query_sep(c: u8) -> bool {
    matches!(c, b'&' | b'?' | b'#' | b'=')
}

fn path_sep(c: u8) -> bool {
    matches!(c, b'/' | b':' | b'@')
}

/// Every candidate value of at least `min_len` bytes in `text`: words, then
/// their `key=value`/query parts, then their path parts.
pub fn candidates(text: &str, min_len: usize) -> Vec<Range<usize>> {
    expand(text, &coarse(text, min_len), min_len)
}

/// [`candidates`] from the words [`coarse`] found.
pub fn expand(text: &str, words: &[Range<usize>], min_len: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for w in words.iter().cloned() {
        out.push(w.clone());
        parts.clear();
        if split_into(b, w.clone(), query_sep, min_len, &mut parts) {
            for m in &parts {
                out.push(m.clone());
                split_into(b, m.clone(), path_sep, min_len, &mut out);
            }
        } else {
            split_into(b, w, path_sep, min_len, &mut out);
        }
    }
    out
}

/// Groups of digits that read as one number (`+1 (415) 555-2671`,
/// `4111 1111 1111 1111`, `536-22-1234`): 7 to 19 digits with single
/// separators between groups.
pub fn digit_runs(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = if i > 0 && matches!(b[i - 1], b'+' | b'(') {
            i - 1
        } else {
            i
        };
        let (mut j, mut digits, mut end) = (i, 0, i);
        while j < b.len() {
            if b[j].is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else {
                // One or two separators between digit groups: `555-2671`, `(415) 555`.
                let is_sep = |c: &u8| matches!(c, b' ' | b'-' | b'.' | b'(' | b')' | b'/');
                let seps = b[j..].iter().take(2).take_while(|c| is_sep(c)).count();
                if seps > 0 && b.get(j + seps).is_some_and(u8::is_ascii_digit) {
                    j += seps;
                } else {
                    break;
                }
            }
        }
        let alnum_after = b.get(end).is_some_and(|n| n.is_ascii_alphabetic());
        if (7..=19).contains(&digits) && !alnum_after {
            out.push(start..end);
        }
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs<'a>(text: &'a str, rs: &[Range<usize>]) -> Vec<&'a str> {
        rs.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn splits_words_and_parts() {
        let t = "key: AKIAZ4QX7N2LRT5PYW3M. See https://x.io/a?k=wJal/rXU+t==&b=1";
        let words = coarse(t, 1);
        assert_eq!(
            strs(t, &words),
            [
                "key",
                "AKIAZ4QX7N2LRT5PYW3M",
                "See",
                "https://x.io/a?k=wJal/rXU+t==&b=1"
            ]
        );
        assert_eq!(
            strs(t, &coarse(t, 4)),
            ["AKIAZ4QX7N2LRT5PYW3M", "https://x.io/a?k=wJal/rXU+t==&b=1"]
        );
        let all = candidates(t, 1);
        let all = strs(t, &all);
        assert!(all.contains(&"wJal/rXU+t=="));
        assert!(all.contains(&"x.io"));
        assert!(all.contains(&"rXU+t=="));
    }

    #[test]
    fn finds_digit_groups() {
        let t = "call +1 (415) 555-2671 or card 4111 1111 1111 1111, order ORD-12345678X, ssn 536-22-1234";
        assert_eq!(
            strs(t, &digit_runs(t)),
            ["+1 (415) 555-2671", "4111 1111 1111 1111", "536-22-1234"]
        );
    }
}
