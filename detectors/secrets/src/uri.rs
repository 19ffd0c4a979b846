//! Credentials inside URIs: `scheme://user:password@host`. The span is the
//! password alone. Placeholders (`password`, `***`, `<password>`, `${VAR}`,
//! the user name repeated, stock defaults such as `postgres:postgres`) and
//! documentation hosts (`example.com`, `host`) are skipped.

use warden_sdk::Severity;

use crate::placeholder;

pub struct UriHit {
    pub rule: &'static str,
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
}

const DOC_HOSTS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "host",
    "hostname",
    "server",
    "your-host",
    "yourhost",
    "domain.com",
    "myhost",
];

fn rule_for(scheme: &str) -> &'static str {
    let s = scheme;
    if s.contains("postgres") || s.contains("pgsql") || s.contains("cockroach") || s.contains("timescale") {
        "postgres-uri-password"
    } else if s.contains("mysql") || s.contains("mariadb") {
        "mysql-uri-password"
    } else if s.starts_with("mongodb") {
        "mongodb-uri-password"
    } else if s.starts_with("redis") || s.starts_with("valkey") || s.starts_with("rediss") {
        "redis-uri-password"
    } else if s.starts_with("amqp") {
        "amqp-uri-password"
    } else if s.contains("mssql") || s.contains("sqlserver") {
        "mssql-uri-password"
    } else if s.starts_with("ldap") {
        "ldap-uri-password"
    } else if s.starts_with("smtp") || s.starts_with("imap") || s.starts_with("pop3") {
        "smtp-uri-password"
    } else if s.ends_with("ftp") || s.ends_with("ftps") {
        "ftp-uri-password"
    } else {
        "url-userinfo-password"
    }
}

fn ends_url(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

/// Credentials in the URI whose `://` is at `at`.
pub fn check(text: &str, at: usize) -> Option<UriHit> {
    let b = text.as_bytes();
    // The scheme: letters, digits, `+`, `-`, `.` before `://`.
    let mut s = at;
    while s > 0 && at - s < 32 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'+' | b'-' | b'.')) {
        s -= 1;
    }
    if at - s < 2 || !b[s].is_ascii_alphabetic() {
        return None;
    }
    // `user:password@`: the user part (which may hold `@`) ends at the first
    // `:` and may not hold `/`; the password ends at an `@`.
    let user_start = at + 3;
    let limit = b.len().min(user_start + 512);
    let mut colon = None;
    let mut at_sign = None;
    for (i, &c) in b.iter().enumerate().take(limit).skip(user_start) {
        if ends_url(c) {
            break;
        }
        if c == b':' && colon.is_none() {
            colon = Some(i);
        } else if c == b'/' && colon.is_none() {
            return None;
        } else if c == b'@' && colon.is_some() {
            at_sign = Some(i);
            break;
        }
    }
    let (colon, mut at_sign) = (colon?, at_sign?);
    // A password may hold an unencoded `@`: the authority ends at the last `@`.
    for (i, &c) in b.iter().enumerate().take(limit).skip(at_sign + 1) {
        if c == b'@' {
            at_sign = i;
        } else if matches!(c, b'/' | b'?' | b'#') || ends_url(c) {
            break;
        }
    }
    let (user, pw_start, pw_end) = (&text[user_start..colon], colon + 1, at_sign);
    let password = &text[pw_start..pw_end];
    if password.len() < 4 || password.len() > 256 || password == user || placeholder::password_is_placeholder(password)
    {
        return None;
    }
    if password.contains([':', '(', ')', '[', ']', '{', '}']) {
        return None;
    }
    // `host:443/@scope/pkg` is a port and a path, not credentials.
    if let Some(slash) = password.find('/')
        && (password[..slash].bytes().all(|c| c.is_ascii_digit()) || user.contains('.'))
    {
        return None;
    }
    // Environment references inside the password (`$PW`, `${PW}`, `%PW%`).
    if password.contains("${") || password.contains("$(") || (password.starts_with('%') && password.ends_with('%')) {
        return None;
    }
    // The host: at least one host character after `@`.
    let host_end = (at_sign + 1..b.len())
        .find(|&i| !(b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'-' | b'_' | b'[' | b']' | b'%')))
        .unwrap_or(b.len());
    let host = text[at_sign + 1..host_end].to_ascii_lowercase();
    if host.is_empty()
        || DOC_HOSTS.contains(&host.as_str())
        || host.ends_with(".example.com")
        || host.starts_with("your")
    {
        return None;
    }
    let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "0.0.0.0" | "host.docker.internal");
    let severity = if local { Severity::Medium } else { Severity::High };
    let scheme = text[s..at].to_ascii_lowercase();
    Some(UriHit { rule: rule_for(&scheme), start: pw_start, end: pw_end, severity })
}
