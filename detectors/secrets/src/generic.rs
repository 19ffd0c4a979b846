//! Secrets without a format of their own, recognised by what they are
//! assigned to: `api_key = "…"`, `"client_secret": "…"`, `DB_PASSWORD=…`,
//! `--token …`, `?access_token=…`, `<password>…</password>`, a JSON member
//! named `password`, and `Authorization: Bearer/Basic …` headers.
//!
//! The key decides the category; the value must then look like a credential:
//! long enough, not a placeholder or a variable reference, not code, and (for
//! keys and tokens) random enough by Shannon entropy.

use crate::checks;
use crate::entropy::shannon;
use crate::placeholder;

/// What a key name says its value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category {
    ApiKey,
    Secret,
    Token,
    Password,
}

/// A generic finding: rule id and the value's byte range.
pub struct GenericHit {
    pub rule: &'static str,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
}

/// Key-name endings (lowercase, letters and digits only) and their category.
const SUFFIXES: &[(&str, Category)] = &[
    ("password", Category::Password),
    ("passwd", Category::Password),
    ("passwort", Category::Password),
    ("passphrase", Category::Password),
    ("pwd", Category::Password),
    ("pass", Category::Password),
    ("secret", Category::Secret),
    ("secretkey", Category::Secret),
    ("privatekey", Category::Secret),
    ("signingkey", Category::Secret),
    ("encryptionkey", Category::Secret),
    ("masterkey", Category::Secret),
    ("hmackey", Category::Secret),
    ("sharedkey", Category::Secret),
    ("secretkeybase", Category::Secret),
    ("sessionkey", Category::Secret),
    ("credential", Category::Secret),
    ("credentials", Category::Secret),
    ("creds", Category::Secret),
    ("apikey", Category::ApiKey),
    ("accesskey", Category::ApiKey),
    ("appkey", Category::ApiKey),
    ("authkey", Category::ApiKey),
    ("servicekey", Category::ApiKey),
    ("adminkey", Category::ApiKey),
    ("deploykey", Category::ApiKey),
    ("subscriptionkey", Category::ApiKey),
    ("accountkey", Category::ApiKey),
    ("restkey", Category::ApiKey),
    ("serverkey", Category::ApiKey),
    ("token", Category::Token),
    ("pat", Category::Token),
    ("authorization", Category::Token),
];

/// Key-name endings that look like a secret's but are not one (`addrBypass`, `nextPageToken`).
const NOT_SECRET: &[&str] = &[
    "bypass",
    "compass",
    "firstpass",
    "onepass",
    "multipass",
    "overpass",
    "underpass",
    "surpass",
    "encompass",
    "renderpass",
    "subpass",
    "nexttoken",
    "pagetoken",
    "nextpagetoken",
    "prevpagetoken",
    "previouspagetoken",
    "continuationtoken",
    "paginationtoken",
    "synctoken",
    "cursortoken",
    "cancellationtoken",
    "canceltoken",
    "resumetoken",
    "csrftoken",
    "xsrftoken",
    "csrfmiddlewaretoken",
    "idempotencytoken",
    "devicetoken",
    "pushtoken",
    "fcmtoken",
    "apnstoken",
    "registrationtoken",
    "notificationtoken",
    "maxtoken",
    "eostoken",
    "bostoken",
    "padtoken",
    "unktoken",
    "septoken",
    "clstoken",
    "masktoken",
    "starttoken",
    "endtoken",
    "stoptoken",
    "lasttoken",
    "firsttoken",
    "spat",
    "compat",
    "issecret",
    "hassecret",
    "nosecret",
    "usesecret",
    "showpassword",
    "haspassword",
    "nopassword",
    "requirepassword",
    "forgotpassword",
    "resetpassword",
    "changepassword",
    "confirmpassword",
    "newpassword",
    "verifypassword",
];

fn classify(norm: &[u8]) -> Option<Category> {
    let category = SUFFIXES.iter().find(|(s, _)| norm.ends_with(s.as_bytes())).map(|&(_, c)| c)?;
    (!NOT_SECRET.iter().any(|n| norm.ends_with(n.as_bytes()))).then_some(category)
}

/// Lowercase letters and digits of `ident`, at most 64 of them.
fn normalize(ident: &[u8], out: &mut [u8; 64]) -> Option<usize> {
    let mut n = 0;
    for &c in ident.iter().filter(|c| c.is_ascii_alphanumeric()) {
        *out.get_mut(n)? = c.to_ascii_lowercase();
        n += 1;
    }
    Some(n)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Plain,
    Query,
    Flag,
    Xml,
}

/// Where the keyword at `kw_start..kw_end` sits: its identifier's range.
pub fn ident_range(b: &[u8], kw_start: usize, kw_end: usize) -> (usize, usize) {
    let mut s = kw_start;
    while s > 0 && kw_start - s < 64 && is_ident(b[s - 1]) {
        s -= 1;
    }
    let mut e = kw_end;
    while e < b.len() && e - kw_end < 64 && is_ident(b[e]) {
        e += 1;
    }
    while e > kw_end && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    (s, e)
}

/// A keyword assignment around the identifier `ident` (from [`ident_range`]).
pub fn assignment(text: &str, ident: (usize, usize), min_entropy: f64) -> Option<GenericHit> {
    let b = text.as_bytes();
    let (s, e) = ident;
    let mut buf = [0u8; 64];
    let n = normalize(&b[s..e], &mut buf)?;
    let mut category = classify(&buf[..n]);
    // Prose: "API key: …", "access token = …".
    if category.is_none() && &buf[..n] == b"key" && s >= 2 && b[s - 1] == b' ' {
        let w_end = s - 1;
        let mut w = w_end;
        while w > 0 && w_end - w < 12 && b[w - 1].is_ascii_alphabetic() {
            w -= 1;
        }
        let mut joined = [0u8; 64];
        let m = normalize(&b[w..w_end], &mut joined)?;
        if m + n <= 64 {
            joined[m..m + n].copy_from_slice(&buf[..n]);
            category = classify(&joined[..m + n]).filter(|c| *c != Category::Token);
        }
    }
    let before = if s > 0 { b[s - 1] } else { b'\n' };
    let place = match before {
        b'?' | b'&' => Place::Query,
        b'<' => Place::Xml,
        _ if b[s..e].starts_with(b"--") => Place::Flag,
        _ => Place::Plain,
    };
    // In a query string a bare `key=` / `auth=` is an API key (`?key=…`).
    if category.is_none() && place == Place::Query && matches!(&buf[..n], b"key" | b"auth") {
        category = Some(Category::ApiKey);
    }
    let category = category?;
    let authorization = buf[..n].ends_with(b"authorization");
    let (value_start, value_end, quoted, is_word) =
        value_after(b, s, e, place, category == Category::Password, authorization).or_else(|| paired_value(b, s, e))?;
    let value = text.get(value_start..value_end)?;
    let conf = validate(category, value, quoted, is_word, &buf[..n], min_entropy)?;
    let rule = match (place, category) {
        (Place::Query, _) => "url-query-secret",
        (Place::Flag, _) => "cli-secret-flag",
        (_, Category::Password) if in_connection_string(b, s) => "connection-string-password",
        (_, Category::Password) => "generic-password",
        (_, Category::ApiKey) => "generic-api-key",
        (_, Category::Secret) => "generic-secret",
        (_, Category::Token) => "generic-token",
    };
    Some(GenericHit { rule, start: value_start, end: value_end, confidence: conf })
}

/// `Password=…` inside `Server=…;User Id=…;Password=…` style strings.
fn in_connection_string(b: &[u8], s: usize) -> bool {
    let from = s.saturating_sub(256);
    let line_start = b[from..s].iter().rposition(|&c| c == b'\n').map_or(from, |i| from + i + 1);
    let line = &b[line_start..s];
    (s > 0 && b[s - 1] == b';')
        || [&b"server="[..], b"data source=", b"host=", b"uid=", b"user id=", b"database="]
            .iter()
            .any(|k| line.windows(k.len()).any(|w| w.eq_ignore_ascii_case(k)))
}

/// The name at `s` follows `ENV ` at the start of a line (Dockerfile).
fn dockerfile_env(b: &[u8], s: usize) -> bool {
    s >= 4 && b[s - 4..s].eq_ignore_ascii_case(b"ENV ") && (s == 4 || b[s - 5] == b'\n')
}

/// `name: DB_PASSWORD` / `"key": "apiKey"` whose value is a separate member
/// that follows (`value: …`): Kubernetes env lists, Postman environments,
/// CloudFormation parameters. Returns what [`value_after`] returns for it.
fn paired_value(b: &[u8], s: usize, e: usize) -> Option<(usize, usize, bool, bool)> {
    // The name is itself a value: it ends the line or its quotes (not `Key<'a>`).
    if !matches!(b.get(e), None | Some(b'"' | b'\'' | b'\n' | b'\r' | b',')) {
        return None;
    }
    // The label before the name: `name:`, `"key": "`, `ParameterKey=`.
    let skip_back = |mut i: usize| {
        while i > 0 && matches!(b[i - 1], b'"' | b'\'' | b' ' | b'\t') {
            i -= 1;
        }
        i
    };
    let i = skip_back(s);
    if i == 0 || !matches!(b[i - 1], b':' | b'=') {
        return None;
    }
    let label_end = skip_back(i - 1);
    let label_start =
        (label_end.saturating_sub(16)..label_end).rev().take_while(|&k| b[k].is_ascii_alphabetic()).last()?;
    let label = &b[label_start..label_end];
    let ends = |w: &[u8]| label.len() >= w.len() && label[label.len() - w.len()..].eq_ignore_ascii_case(w);
    if !(ends(b"name") || ends(b"key")) {
        return None;
    }
    // The next member ending in `value`, unless another name comes first.
    let limit = b.len().min(e + 160);
    let mut j = e;
    while j + 5 <= limit {
        let word_end = |len: usize| !b.get(j + len).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if b[j..j + 5].eq_ignore_ascii_case(b"value") && word_end(5) {
            let (vs, ve) = ident_range(b, j, j + 5);
            return value_after(b, vs, ve, Place::Plain, false, false);
        }
        if (b[j..j + 4].eq_ignore_ascii_case(b"name") && word_end(4)) || matches!(b[j], b'{' | b'}') {
            return None;
        }
        j += 1;
    }
    None
}

/// The quoted key at `s` is a call's first argument: `define('DB_PASSWORD', …`.
fn call_argument(b: &[u8], s: usize) -> bool {
    let mut i = s.saturating_sub(1); // the opening quote
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    i > 0 && b[i - 1] == b'('
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    let stop = (i + 8).min(b.len());
    while i < stop && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Finds the separator and the value after the identifier `s..e`.
/// Returns (value start, value end, quoted, joined by the word `is`).
fn value_after(
    b: &[u8],
    s: usize,
    e: usize,
    place: Place,
    password: bool,
    authorization: bool,
) -> Option<(usize, usize, bool, bool)> {
    let mut i = e;
    // `password Xk29!aLq` (no operator) is accepted for these names only, not for `pass`.
    let tail = &b[e.saturating_sub(10)..e];
    let spaced_ok = [&b"password"[..], b"passwd", b"passphrase"]
        .iter()
        .any(|w| tail.len() >= w.len() && tail[tail.len() - w.len()..].eq_ignore_ascii_case(w));
    if place == Place::Xml {
        if b.get(i) != Some(&b'>') {
            return None;
        }
        let start = i + 1;
        let end = (start..b.len().min(start + 512)).find(|&j| b[j] == b'<')?;
        return Some((start, end, true, false));
    }
    // Close the key's own quotes: `"api_key":`, `\"api_key\":`, `['api_key']`.
    let mut key_quoted = false;
    if i < b.len() && b[i] == b'\\' && matches!(b.get(i + 1), Some(b'"' | b'\'')) {
        i += 2;
        key_quoted = true;
    } else if i < b.len() && matches!(b[i], b'"' | b'\'') && s > 0 && b[s - 1] == b[i] {
        i += 1;
        key_quoted = true;
    }
    if i < b.len() && b[i] == b']' {
        i += 1;
    }
    let gap = skip_blanks(b, i);
    let had_space = gap > i;
    i = gap;
    let mut is_word = false;
    let rest = &b[i.min(b.len())..];
    if rest.starts_with(b"==") || rest.starts_with(b"!=") || rest.starts_with(b"=~") || rest.starts_with(b"::") {
        return None;
    } else if rest.starts_with(b":=") || rest.starts_with(b"=>") || rest.starts_with(b"->") {
        i += 2;
    } else if rest.starts_with(b"=") || rest.starts_with(b":") {
        i += 1;
    } else if had_space && (rest.starts_with(b"is ") || rest.starts_with(b"is:")) && place == Place::Plain {
        i += 2;
        is_word = true;
        if b.get(i) == Some(&b':') {
            i += 1;
        }
    } else if key_quoted && rest.starts_with(b",") && call_argument(b, s) {
        // `define('DB_PASSWORD', '…')`, `setenv("API_KEY", "…")`: the value must be quoted too.
        i += 1;
        let j = skip_blanks(b, i);
        if !matches!(b.get(j), Some(b'"' | b'\'')) {
            return None;
        }
    } else if had_space
        && place == Place::Plain
        && !key_quoted
        && password
        && spaced_ok
        && b.get(i).is_some_and(u8::is_ascii_alphanumeric)
    {
        // `password hunter2-Xq`: only a strong-looking value will do (checked as for `is`).
        is_word = true;
    } else if had_space && place == Place::Plain && !key_quoted && dockerfile_env(b, s) {
        // Dockerfile `ENV API_KEY value`.
    } else if !(place == Place::Flag && had_space) {
        return None;
    }
    if place == Place::Query && b.get(i.wrapping_sub(1)) != Some(&b'=') {
        return None;
    }
    i = skip_blanks(b, i);
    // `api_key: str = "…"` (a type annotation before the value).
    if b.get(i.wrapping_sub(1)) == Some(&b' ') || b.get(i.wrapping_sub(1)) == Some(&b':') {
        let mut j = i;
        while j < b.len()
            && j - i < 40
            && (b[j].is_ascii_alphanumeric()
                || matches!(b[j], b'_' | b'[' | b']' | b'.' | b'|' | b' ' | b'<' | b'>' | b'&' | b'\'' | b':'))
        {
            j += 1;
        }
        // A type is one word (`str`, `Optional[str]`, `&'a str`), or a union (`str | None`).
        let ty = &b[i..j];
        let ty = ty.strip_suffix(b" ").unwrap_or(ty);
        let one_word = ty
            .iter()
            .enumerate()
            .all(|(k, &c)| c != b' ' || ty.get(k + 1) == Some(&b'|') || (k > 0 && ty[k - 1] == b'|'));
        if j > i
            && one_word
            && b.get(j) == Some(&b'=')
            && b.get(j + 1) != Some(&b'=')
            && (b[i].is_ascii_alphabetic() || b[i] == b'_')
        {
            i = skip_blanks(b, j + 1);
        }
    }
    // `Authorization: token ghp_…`, `Authorization: "Bearer …"`: skip the scheme.
    if authorization {
        let q = usize::from(matches!(b.get(i), Some(b'"' | b'\'')));
        let word = b[i + q..].iter().take_while(|c| c.is_ascii_alphabetic() || **c == b'-').count();
        if word > 0 && b.get(i + q + word) == Some(&b' ') {
            let scheme = &b[i + q..i + q + word];
            // Bearer and Basic have rules of their own.
            if scheme.eq_ignore_ascii_case(b"bearer") || scheme.eq_ignore_ascii_case(b"basic") {
                return None;
            }
            if [&b"token"[..], b"digest", b"ssws", b"bot", b"apikey", b"api-key", b"key"]
                .iter()
                .any(|k| scheme.eq_ignore_ascii_case(k))
            {
                let v = skip_blanks(b, i + q + word);
                let end = (v..b.len().min(v + 4096))
                    .find(|&j| b[j].is_ascii_whitespace() || matches!(b[j], b'"' | b'\'' | b',' | b';'))
                    .unwrap_or(b.len().min(v + 4096));
                return (end > v).then_some((v, end, true, false));
            }
        }
    }
    value_at(b, i, place).map(|(vs, ve, q)| (vs, ve, q, is_word))
}

/// The value starting at `i`: quoted (any of `"'\``, possibly `\"`-escaped) or bare.
fn value_at(b: &[u8], mut i: usize, place: Place) -> Option<(usize, usize, bool)> {
    let limit = b.len().min(i + 512);
    let escaped = b.get(i) == Some(&b'\\') && matches!(b.get(i + 1), Some(b'"' | b'\''));
    if escaped {
        i += 1;
    }
    let c = *b.get(i)?;
    if matches!(c, b'"' | b'\'' | b'`') {
        let start = i + 1;
        let end = (start..limit).find(|&j| b[j] == c || b[j] == b'\n')?;
        if b[end] != c {
            return None;
        }
        let end = if escaped && end > start && b[end - 1] == b'\\' { end - 1 } else { end };
        return Some((start, end, true));
    }
    let start = i;
    let mut end = start;
    while end < limit {
        let c = b[end];
        let stop = c.is_ascii_whitespace()
            || matches!(
                c,
                b'"' | b'\''
                    | b'`'
                    | b','
                    | b';'
                    | b'<'
                    | b'>'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'|'
                    | b'\\'
            )
            || (place == Place::Query && matches!(c, b'&' | b'#'));
        if stop {
            break;
        }
        end += 1;
    }
    // `f(x)`, `Vec<u8>`, `a[0]`, `T { .. }` right after a bare word: code, not a value.
    if end < b.len() && matches!(b[end], b'(' | b'<' | b'[' | b'{') {
        return None;
    }
    // A sentence's full stop is not part of the value.
    if end > start + 1 && matches!(b[end - 1], b'.' | b':') {
        end -= 1;
    }
    (end > start).then_some((start, end, false))
}

/// Decides whether `value` is a credential; returns the confidence.
fn validate(category: Category, value: &str, quoted: bool, is_word: bool, key: &[u8], min_entropy: f64) -> Option<f32> {
    let v = value.as_bytes();
    let password = category == Category::Password;
    let (min_len, max_len) = if password { (6, 128) } else { (12, 512) };
    if v.len() < min_len || v.len() > max_len || v.iter().any(|c| c.is_ascii_whitespace()) {
        return None;
    }
    // Code, not a value: calls, paths (`a::b`), numeric literals (`0x1F`, `4096u32`), pointers.
    if v.contains(&b'(') || v.contains(&b')') || value.contains("::") || v[0] == b':' || is_numeric_literal(v) {
        return None;
    }
    if !quoted && matches!(v[0], b'*' | b'&' | b'-' | b'`') {
        return None;
    }
    let has_digit = v.iter().any(u8::is_ascii_digit);
    let has_lower = v.iter().any(u8::is_ascii_lowercase);
    let has_upper = v.iter().any(u8::is_ascii_uppercase);
    let has_alpha = has_lower || has_upper;
    let has_symbol = v.iter().any(|c| !c.is_ascii_alphanumeric());
    let letters_only = v.iter().all(|c| c.is_ascii_alphabetic() || *c == b'_');
    // Identifiers and references: `config.api_key`, `API_KEY_NAME`, `someVariable`.
    if !quoted && (letters_only || is_dotted_identifier(v)) {
        return None;
    }
    if v.contains(&b'_') && !has_lower && v.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_') {
        return None;
    }
    let placeholder =
        if password { placeholder::password_is_placeholder(value) } else { placeholder::value_is_placeholder(value) };
    if placeholder {
        return None;
    }
    // The key's own name as its value (`token: TOKEN`, `password=password1`).
    let mut norm = [0u8; 64];
    let n = normalize(v, &mut norm).unwrap_or(0);
    if n > 0 && (key.ends_with(&norm[..n]) || norm[..n].starts_with(key)) {
        return None;
    }
    // Identifiers and prose: `x25519_generate_private_key`, `MI_UserCredentials_0`, `not-so-secret`.
    if looks_like_words(v) {
        // A password may be made of words (`Summer2024Party!`); an identifier
        // joins them with underscores only (`MI_UserCredentials_0`).
        let identifier = v.contains(&b'_') && v.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !password || (!quoted && identifier) {
            return None;
        }
    }
    // A value that names its own kind (`mysecretpassword`, `SuperSecretToken`).
    if !has_digit
        && [&b"password"[..], b"passwd", b"secret", b"token", b"apikey"]
            .iter()
            .any(|w| norm[..n].windows(w.len()).any(|x| x == *w))
    {
        return None;
    }
    // Mostly percent-encoded (`%F0%9F%92%A9`): URL test data.
    if v.iter().filter(|&&c| c == b'%').count() * 3 * 2 >= v.len() {
        return None;
    }
    let entropy = shannon(value);
    if password && is_email(v) {
        return None; // `passwd="anonymous@domain.org"`
    }
    if password {
        if letters_only && !(v.len() >= 12 || (v.len() >= 8 && has_lower && has_upper)) {
            return None;
        }
        if is_word && !(v.len() >= 8 && has_digit && has_alpha && (has_symbol || (has_lower && has_upper))) {
            return None;
        }
        if entropy < 2.0 {
            return None;
        }
        return Some(0.65);
    }
    if is_word && !has_digit {
        return None;
    }
    // E-mail addresses and host names assigned to `*_key` names are not keys.
    if v.contains(&b'@') || (v.iter().filter(|&&c| c == b'.').count() >= 2 && !has_digit) {
        return None;
    }
    let random = (has_digit && has_alpha) || (v.len() >= 20 && has_lower && has_upper && entropy >= 3.5);
    if !random || entropy < min_entropy {
        return None;
    }
    Some((0.6 + ((entropy - 3.0) * 0.15).clamp(0.0, 0.3)) as f32)
}

/// `config.api_key`, `req.headers.authorization`, `settings.SECRET_KEY`:
/// identifier parts joined by dots, with the few digits and case changes of
/// code (a random `Y.dILjCZO4uEHr` has many).
/// Word-shaped chunks (`generate`, `User`, `Credentials`: an optional capital
/// then at least three lowercase letters) that make up most of the letters:
/// an identifier or prose, not a random secret.
fn looks_like_words(v: &[u8]) -> bool {
    let letters = v.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let (mut chunks, mut covered, mut i) = (0, 0, 0);
    while i < v.len() {
        let start = i;
        if v[i].is_ascii_uppercase() {
            i += 1;
        }
        let lower = v[i..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        if lower >= 3 && i - start + lower >= 4 {
            chunks += 1;
            covered += i - start + lower;
            i += lower;
        } else {
            i = start + 1;
        }
    }
    chunks >= 2 && covered * 10 >= letters * 6
}

fn is_email(v: &[u8]) -> bool {
    match v.iter().position(|&c| c == b'@') {
        Some(at) => {
            at > 0
                && v[at + 1..].contains(&b'.')
                && v[at + 1..].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
        }
        None => false,
    }
}

/// `4096`, `0x52417077`, `0xC000006B_u32`, `2150859171u32`, `1.5f`, `-12`.
fn is_numeric_literal(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"-").unwrap_or(v);
    if let Some(hex) = v.strip_prefix(b"0x").or_else(|| v.strip_prefix(b"0X")) {
        let digits = hex.iter().take_while(|c| c.is_ascii_hexdigit() || **c == b'_').count();
        let suffix = &hex[digits..];
        return digits > 0
            && (suffix.is_empty()
                || matches!(
                    suffix,
                    b"u8" | b"u16" | b"u32" | b"u64" | b"i32" | b"i64" | b"usize" | b"UL" | b"ULL" | b"L" | b"U"
                ));
    }
    let digits = v.iter().take_while(|c| c.is_ascii_digit() || matches!(c, b'_' | b'.')).count();
    let suffix = &v[digits..];
    digits > 0
        && (suffix.len() <= 3
            && suffix.iter().all(|c| matches!(c.to_ascii_lowercase(), b'u' | b'l' | b'f' | b'd' | b'n'))
            || matches!(
                suffix,
                b"u8"
                    | b"u16"
                    | b"u32"
                    | b"u64"
                    | b"u128"
                    | b"usize"
                    | b"i8"
                    | b"i16"
                    | b"i32"
                    | b"i64"
                    | b"i128"
                    | b"isize"
                    | b"f32"
                    | b"f64"
            ))
}

fn is_dotted_identifier(v: &[u8]) -> bool {
    let parts_ok = v.contains(&b'.')
        && v.split(|&c| c == b'.').all(|part| {
            !part.is_empty()
                && (part[0].is_ascii_alphabetic() || part[0] == b'_')
                && part.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        });
    let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
    let case_changes = v
        .windows(2)
        .filter(|w| {
            w[0].is_ascii_alphabetic()
                && w[1].is_ascii_alphabetic()
                && w[0].is_ascii_lowercase() != w[1].is_ascii_lowercase()
        })
        .count();
    parts_ok
        && case_changes <= 4
        && (digits <= 2 || looks_like_words(v) || v.windows(4).any(|w| w.iter().all(u8::is_ascii_lowercase)))
}

/// A JSON member whose name says it is a secret: the last token of `pointer`
/// classifies the whole string `value`.
pub fn pointer_member(pointer: &str, value: &str, min_entropy: f64) -> Option<GenericHit> {
    let last = pointer.rsplit('/').next()?;
    if last.is_empty() || last.bytes().all(|c| c.is_ascii_digit()) || last.len() > 64 {
        return None;
    }
    let mut buf = [0u8; 64];
    let n = normalize(last.as_bytes(), &mut buf)?;
    let category = classify(&buf[..n])?;
    let trimmed = value.trim();
    let start = value.len() - value.trim_start().len();
    let conf = validate(category, trimmed, true, false, &buf[..n], min_entropy)?;
    let rule = match category {
        Category::Password => "generic-password",
        Category::ApiKey => "generic-api-key",
        Category::Secret => "generic-secret",
        Category::Token => "generic-token",
    };
    Some(GenericHit { rule, start, end: start + trimmed.len(), confidence: conf })
}

fn scheme_value(b: &[u8], kw_start: usize, kw_end: usize, chars: fn(u8) -> bool) -> Option<(usize, usize)> {
    if kw_start > 0 && b[kw_start - 1].is_ascii_alphanumeric() {
        return None;
    }
    let start = skip_blanks(b, kw_end);
    if start == kw_end {
        return None;
    }
    let mut end = start;
    while end < b.len() && end - start < 8192 && chars(b[end]) {
        end += 1;
    }
    while end < b.len() && b[end] == b'=' {
        end += 1;
    }
    if end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'$') {
        return None;
    }
    Some((start, end))
}

/// `Bearer <token>` (the keyword at `kw_start..kw_end`).
pub fn bearer(text: &str, kw_start: usize, kw_end: usize) -> Option<GenericHit> {
    let b = text.as_bytes();
    let (start, end) = scheme_value(b, kw_start, kw_end, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
    })?;
    let token = &text[start..end];
    if token.len() < 16 || placeholder::value_is_placeholder(token) {
        return None;
    }
    let t = token.as_bytes();
    let has_digit = t.iter().any(u8::is_ascii_digit);
    let entropy = shannon(token);
    if entropy < 3.0 || !(has_digit || token.len() >= 30) || is_dotted_identifier(t) {
        return None;
    }
    Some(GenericHit { rule: "http-bearer-token", start, end, confidence: 0.85 })
}

/// `Basic <base64 user:password>` (the keyword at `kw_start..kw_end`).
pub fn basic(text: &str, kw_start: usize, kw_end: usize) -> Option<GenericHit> {
    let b = text.as_bytes();
    let (start, end) = scheme_value(b, kw_start, kw_end, |c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/'))?;
    if end - start < 8 {
        return None;
    }
    checks::user_pass(&text[start..end])?;
    Some(GenericHit { rule: "http-basic-auth", start, end, confidence: 0.9 })
}
