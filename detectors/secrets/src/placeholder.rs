//! Recognising documentation placeholders and example values, so that
//! `sk_live_xxxxxxxx`, `<your-token>`, `${API_KEY}` and AWS's `...EXAMPLE`
//! keys are not reported as leaked secrets.

/// Substrings (compared ASCII-case-insensitively) that mark a value as a
/// placeholder rather than a credential.
const MARKERS: &[&str] = &[
    "xxxx",
    "example",
    "placeholder",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpass",
    "yourapi",
    "redacted",
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replaceme",
    "replace-with",
    "replace_with",
    "insert_",
    "insert-",
    "dummy",
    "notreal",
    "not_real",
    "not-real",
    "not-a-real",
    "notarealtoken",
    "fake_",
    "fake-",
    "foobar",
    "lorem",
    "***",
    "...",
    "\u{2026}",
    "\u{2022}\u{2022}",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "%s",
    "todo",
    "token_here",
    "key_here",
    "secret_here",
    "keyhere",
    "tokenhere",
    "not-so-secret",
    "not_so_secret",
    "notsosecret",
];

/// Whole values (lowercased) that are never secrets.
const WORDS: &[&str] = &[
    "true",
    "false",
    "null",
    "nil",
    "none",
    "undefined",
    "empty",
    "string",
    "str",
    "required",
    "optional",
    "object",
    "number",
    "boolean",
    "bool",
    "integer",
    "int",
    "hidden",
    "masked",
    "unset",
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "key",
    "value",
    "default",
    "test",
    "testing",
    "pass",
    "admin",
    "root",
    "guest",
    "user",
    "username",
    "changeit",
    "example",
    "sample",
    "demo",
    "n/a",
    "na",
    "tbd",
    "xxx",
    "abc123",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "letmein",
    "hunter2",
    "foo",
    "bar",
    "baz",
    "secretkey",
    "secret_key",
    "mysecret",
    "my-secret",
    "mypassword",
    "mytoken",
    "supersecret",
    "s3cr3t",
    "p@ssw0rd",
    "p@ssword",
    "passw0rd",
    "postgres",
    "mysql",
    "redis",
    "rabbitmq",
    "mongo",
    "mongodb",
    "sa",
    "dev",
    "development",
    "local",
    "localhost",
    "secret123",
    "bearer",
    "basic",
    "token123",
    "env",
    "environment",
    "config",
    "todo",
    "fixme",
    "opensesame",
    "open sesame",
    "correct horse battery staple",
    "correcthorsebatterystaple",
];

/// Documentation values published by vendors; reported only when the operator
/// asks for them (`report_examples`).
const KNOWN_EXAMPLES: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    // pyjwt's README token.
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg",
    // RFC 6749's example access token, refresh token and client credentials.
    "2YotnFZFEjr1zCsicMWpAA",
    "tGzv3JOkF0XG5Qx2TlKWIA",
    "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
    // RFC 7617's `Aladdin:open sesame`.
    "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    "QWxhZGRpbjpvcGVuc2VzYW1l",
];

fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// True for a vendor's published example value (or anything carrying AWS's
/// `EXAMPLE` marker).
pub fn is_known_example(secret: &str) -> bool {
    KNOWN_EXAMPLES.contains(&secret) || secret.contains("EXAMPLE")
}

/// Length of the longest run of one repeated byte.
fn longest_run(b: &[u8]) -> usize {
    let (mut best, mut run) = (0, 0);
    for (i, &c) in b.iter().enumerate() {
        run = if i > 0 && b[i - 1] == c { run + 1 } else { 1 };
        best = best.max(run);
    }
    best
}

/// How many bytes lie in runs of at least four consecutive ascending
/// characters (`abcd`, `1234`).
fn sequence_coverage(b: &[u8]) -> usize {
    let (mut covered, mut run) = (0, 1);
    for i in 1..=b.len() {
        if i < b.len() && b[i - 1].wrapping_add(1) == b[i] {
            run += 1;
        } else {
            if run >= 4 {
                covered += run;
            }
            run = 1;
        }
    }
    covered
}

fn distinct(b: &[u8]) -> usize {
    let mut seen = [false; 256];
    b.iter().filter(|&&c| !std::mem::replace(&mut seen[c as usize], true)).count()
}

/// True when the random part of a token is obviously filler: `XXXX`, a long
/// run of one character, mostly `abcdef…`/`123456…` sequences, or very few
/// distinct characters.
pub fn is_filler(body: &str) -> bool {
    let b = body.as_bytes();
    if b.len() < 8 {
        return false;
    }
    let run = longest_run(b);
    run >= 6 && run * 4 >= b.len() || sequence_coverage(b) * 2 >= b.len() || (b.len() >= 16 && distinct(b) <= 5)
}

/// True when a format-specific token (its whole text) is a placeholder.
pub fn token_is_placeholder(secret: &str) -> bool {
    MARKERS.iter().any(|m| contains_ci(secret, m)) || is_filler(secret)
}

/// True when a value assigned to a secret-looking key is not a credential:
/// a placeholder, a template or variable reference, a word, a path or URL.
pub fn value_is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) || token_is_placeholder(value) {
        return true;
    }
    let bytes = value.as_bytes();
    let first = bytes.first().copied().unwrap_or(b' ');
    // `%` starts a template (`%PASSWORD%`, `%s`) unless it is URL encoding (`%21`).
    let url_escape = bytes.len() > 2 && bytes[1].is_ascii_hexdigit() && bytes[2].is_ascii_hexdigit();
    // A YAML tag (`!vault |`, `!Ref DbPassword`) introduces a reference, not a value.
    let yaml_tag = first == b'!' && bytes.len() > 1 && bytes[1..].iter().all(u8::is_ascii_alphabetic);
    yaml_tag
        || (first == b'%' && !url_escape)
        || matches!(first, b'$' | b'{' | b'[' | b'(' | b'<' | b'?' | b'&')
        || value.contains("://")
        || value.starts_with("./")
        || value.starts_with("~/")
        || (value.starts_with('/') && value[1..].contains('/') && !value.contains(['+', '=']))
        || lower.starts_with("process.env")
        || lower.starts_with("os.environ")
        || lower.starts_with("os.getenv")
        || lower.starts_with("env.")
        || lower.starts_with("secrets.")
        || lower.starts_with("vault:")
        || lower.starts_with("arn:aws:")
        || [".pem", ".key", ".json", ".txt", ".crt", ".p12", ".pfx", ".env", ".yaml", ".yml", ".jks"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// True when a password is a placeholder: a generic value placeholder, or a
/// stock word (`password`, `changeme`, `secret`, ...) with at most four
/// trailing digits or symbols (`Password123!`), leetspeak included.
pub fn password_is_placeholder(value: &str) -> bool {
    if value_is_placeholder(value) {
        return true;
    }
    let norm: String = value
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            '0' => 'o',
            '@' | '4' => 'a',
            '1' | '!' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            c => c,
        })
        .collect();
    const STEMS: &[&str] = &[
        "password", "passwort", "passwd", "changeme", "secret", "example", "sample", "dummy", "letmein", "welcome",
        "qwerty", "admin", "default", "mypass", "yourpass", "testpass", "test",
    ];
    STEMS.iter().any(|stem| {
        norm.starts_with(stem) && value.len() <= stem.len() + 4 && {
            let tail = &value.as_bytes()[stem.len().min(value.len())..];
            tail.iter().all(|c| !c.is_ascii_alphabetic())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for v in [
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "<your-token>",
            "${API_KEY}",
            "{{ secrets.TOKEN }}",
            "ghp_1234567890abcdefghijklmnopqrstuvwxyz",
            "your_api_key_here",
            "********",
            "AAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(token_is_placeholder(v) || value_is_placeholder(v), "{v}");
        }
        for v in ["password", "Password123!", "P@ssw0rd", "changeme", "secret", "test1234"] {
            assert!(password_is_placeholder(v), "{v}");
        }
        for v in ["Xk29!aLq", "hunter22-Vq", "c0rrect-h0rse-battery"] {
            assert!(!password_is_placeholder(v), "{v}");
        }
        assert!(!token_is_placeholder("ghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1a2b3c"));
        assert!(is_known_example("AKIAIOSFODNN7EXAMPLE"));
    }
}
