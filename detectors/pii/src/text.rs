//! Byte-level helpers shared by the recognizers.

/// `[A-Za-z0-9]`
pub fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

pub fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// The byte before `i` (0 at the start).
pub fn before(b: &[u8], i: usize) -> u8 {
    if i == 0 { 0 } else { at(b, i - 1) }
}

/// Punctuation that joins the parts of one identifier (`ORD-123`, `a/123`, `v.1`).
fn joiner(c: u8) -> bool {
    matches!(c, b'-' | b'.' | b'/' | b'_' | b'\\' | b'+' | b'%')
}

/// True when the token starting at `s` continues something before it: a
/// letter or digit, or a joiner preceded by one (`ORD-415...`, `/users/415...`).
pub fn glued_left(b: &[u8], s: usize) -> bool {
    let c = before(b, s);
    alnum(c) || (joiner(c) && s >= 2 && alnum(b[s - 2]))
}

/// True when the token ending at `e` goes on after it (`...2671-99`, `1.2.3.4.5`, `123abc`).
pub fn glued_right(b: &[u8], e: usize) -> bool {
    let c = at(b, e);
    alnum(c) || (joiner(c) && alnum(at(b, e + 1)))
}

/// End of the run of bytes from `i` that satisfy `f`.
pub fn run_end(b: &[u8], mut i: usize, f: impl Fn(u8) -> bool) -> usize {
    while i < b.len() && f(b[i]) {
        i += 1;
    }
    i
}

/// Uppercase A-Z.
pub fn upper(c: u8) -> bool {
    c.is_ascii_uppercase()
}

pub fn digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// Whether every byte of `s` satisfies the pattern, where in `pat` `A` is an
/// uppercase letter, `9` a digit and any other byte itself.
pub fn shape(s: &[u8], pat: &[u8]) -> bool {
    s.len() == pat.len()
        && s.iter().zip(pat).all(|(&c, &p)| match p {
            b'A' => upper(c),
            b'9' => digit(c),
            p => c == p,
        })
}
