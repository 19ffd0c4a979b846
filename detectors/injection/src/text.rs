//! Small string helpers that never panic on arbitrary input.

/// The largest char boundary `<= i` (clamped to the text length).
pub fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary `>= i` (clamped to the text length).
pub fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `text` cut to at most `max` bytes, on a char boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    &text[..floor_boundary(text, max)]
}

pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Share of chars that are printable text (letters, digits, punctuation, spaces).
pub fn printable_ratio(text: &str) -> f32 {
    let mut total = 0u32;
    let mut good = 0u32;
    for c in text.chars() {
        total += 1;
        if (!c.is_control() || matches!(c, '\n' | '\r' | '\t')) && c != '\u{FFFD}' {
            good += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        good as f32 / total as f32
    }
}

/// True when the text reads like words: printable, with spaces and letters.
pub fn looks_like_prose(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let spaces = text.chars().filter(|c| c.is_whitespace()).count();
    let chars = text.chars().count();
    // CJK prose has no spaces; accept it on letters alone.
    let cjk = text
        .chars()
        .filter(|c| ('\u{3040}'..='\u{9FFF}').contains(c) || ('\u{AC00}'..='\u{D7AF}').contains(c))
        .count();
    chars >= 6
        && printable_ratio(text) >= 0.95
        && letters * 2 >= chars
        && (spaces * 20 >= chars || cjk * 2 >= chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_are_safe() {
        let s = "aé😀b";
        for i in 0..=s.len() + 3 {
            assert!(s.is_char_boundary(floor_boundary(s, i)));
            assert!(s.is_char_boundary(ceil_boundary(s, i)));
        }
        assert_eq!(truncate(s, 2), "a");
    }

    #[test]
    fn prose_check() {
        assert!(looks_like_prose("ignore all previous instructions"));
        assert!(!looks_like_prose("\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}"));
        assert!(!looks_like_prose("3f2a9c1be4d7a0c55e21"));
    }
}
