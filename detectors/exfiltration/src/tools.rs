//! What a tool is (egress-capable or not) and what an argument is (an
//! address, a credential, a file's content), judged from names.

/// Words of tool names that send data out of the system: messages, mail,
/// HTTP requests, uploads, publications, browser navigation.
const EGRESS_WORDS: &[&str] = &[
    "send",
    "post",
    "upload",
    "email",
    "mail",
    "gmail",
    "webhook",
    "http",
    "https",
    "fetch",
    "request",
    "curl",
    "wget",
    "publish",
    "share",
    "tweet",
    "slack",
    "message",
    "notify",
    "notification",
    "sms",
    "chat",
    "comment",
    "reply",
    "forward",
    "discord",
    "telegram",
    "teams",
    "navigate",
    "browse",
    "goto",
    "visit",
    "url",
    "submit",
    "issue",
    "gist",
    "pr",
    "push",
    "paste",
    "transmit",
    "broadcast",
];

/// Verbs that read, search or manage rather than send: a word list after
/// one of them names what is read (`get_message`, `list_issues`).
const READ_VERBS: &[&str] = &[
    "get",
    "list",
    "read",
    "search",
    "find",
    "query",
    "describe",
    "view",
    "show",
    "count",
    "check",
    "lookup",
    "download",
    "delete",
    "remove",
    "archive",
    "mark",
    "retrieve",
    "load",
    "inspect",
    "analyze",
    "summarize",
    "parse",
    "validate",
    "verify",
    "watch",
    "subscribe",
    "unsubscribe",
    "resolve",
    "close",
    "lock",
    "star",
];

/// Egress-capable tools, by name or by word of the name.
pub struct EgressTools {
    words: Vec<String>,
    names: Vec<String>,
}

impl EgressTools {
    pub fn new(extra: &[String], replace: bool) -> EgressTools {
        let mut words: Vec<String> = if replace {
            Vec::new()
        } else {
            EGRESS_WORDS.iter().map(|w| w.to_string()).collect()
        };
        let mut names = Vec::new();
        for e in extra {
            let e = e.trim().to_ascii_lowercase();
            if e.bytes().all(|b| b.is_ascii_alphanumeric()) {
                words.push(e.clone());
            }
            names.push(e);
        }
        EgressTools { words, names }
    }

    /// True when `tool` can send data out: its name is listed, or one of its
    /// words is an egress word not preceded by a read verb.
    pub fn is_egress(&self, tool: &str) -> bool {
        if self.names.iter().any(|n| n.eq_ignore_ascii_case(tool)) {
            return true;
        }
        let mut read = false;
        for word in words(tool) {
            let w = singular(&word);
            if READ_VERBS.contains(&w) {
                read = true;
            } else if !read && self.words.iter().any(|e| e == w || e == &word) {
                return true;
            }
        }
        false
    }
}

/// The lowercase words of an identifier: `slack_post_message`, `sendEmail`,
/// `mcp__github__create_issue`, `browser.navigate`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // camelCase and acronym boundaries: `sendEmail`, `HTTPRequest`.
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn singular(word: &str) -> &str {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        &word[..word.len() - 1]
    } else {
        word
    }
}

/// The last member name of a JSON Pointer, lowercased, with `~1`/`~0`
/// unescaped; array indexes are skipped (`/to/0` → `to`).
pub fn key_of(pointer: &str) -> String {
    let seg = pointer
        .rsplit('/')
        .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("");
    seg.replace("~1", "/")
        .replace("~0", "~")
        .to_ascii_lowercase()
}

fn key_words_match(key: &str, list: &[&str]) -> bool {
    let compact: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    list.contains(&compact.as_str())
}

/// Arguments that address or select someone (`to`, `cc`, `recipient`,
/// `email`, `phone`, `query`): contact details there are the address, not cargo.
pub fn is_addressing_key(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "to",
        "cc",
        "bcc",
        "recipient",
        "recipients",
        "email",
        "emails",
        "emailaddress",
        "phone",
        "phonenumber",
        "number",
        "from",
        "replyto",
        "sender",
        "user",
        "userid",
        "username",
        "owner",
        "assignee",
        "assignees",
        "reviewer",
        "reviewers",
        "attendee",
        "attendees",
        "participants",
        "members",
        "member",
        "invitees",
        "channel",
        "chatid",
        "contact",
        "address",
        "shippingaddress",
        "billingaddress",
        "query",
        "q",
        "search",
        "filter",
        "id",
        "ids",
        "customer",
        "customerid",
        "account",
        "login",
        "handle",
        "mention",
        "mentions",
        "wallet",
        "destination",
        "toaddress",
        "fromaddress",
        "author",
        "organizer",
        "guest",
        "guests",
    ];
    key_words_match(key, KEYS)
}

/// Arguments and URL parameters that carry a credential for the call itself
/// (`Authorization`, `api_key`, `access_token`, `pwd`): a secret there
/// authenticates the call.
pub fn is_auth_key(key: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "authorization",
        "auth",
        "token",
        "key",
        "secret",
        "password",
        "passwd",
        "pwd",
        "passcode",
        "credential",
        "credentials",
        "cookie",
        "bearer",
    ];
    let compact: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    compact == "pat" || SUFFIXES.iter().any(|s| compact.ends_with(s))
}

/// Arguments that hold a file or attachment: base64 there is the transport
/// encoding of the content, not an attempt to hide it.
pub fn is_file_key(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "content",
        "contents",
        "file",
        "filecontent",
        "filecontents",
        "filedata",
        "contentbase64",
        "contentbytes",
        "attachment",
        "attachments",
        "raw",
        "bytes",
        "base64",
        "image",
        "imagedata",
        "images",
        "document",
        "media",
        "audio",
        "video",
        "pdf",
        "photo",
        "thumbnail",
        "icon",
        "avatar",
        "screenshot",
        "data64",
    ];
    key_words_match(key, KEYS)
}

/// Arguments whose value is a signature, key or digest by design.
pub fn is_crypto_key(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "signature",
        "sig",
        "hmac",
        "hash",
        "checksum",
        "digest",
        "nonce",
        "iv",
        "salt",
        "publickey",
        "pubkey",
        "certificate",
        "cert",
        "fingerprint",
        "sha",
        "sha256",
        "sha1",
        "md5",
        "etag",
        "integrity",
        "commit",
        "commitsha",
        "ref",
        "tree",
        "parent",
        "parents",
    ];
    key_words_match(key, KEYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_tool_names_into_words() {
        assert_eq!(words("slack_post_message"), ["slack", "post", "message"]);
        assert_eq!(words("sendEmail"), ["send", "email"]);
        assert_eq!(
            words("mcp__github__create_issue"),
            ["mcp", "github", "create", "issue"]
        );
        assert_eq!(words("browser.navigate"), ["browser", "navigate"]);
        assert_eq!(words("HTTPRequest"), ["http", "request"]);
    }

    #[test]
    fn classifies_egress_tools() {
        let e = EgressTools::new(&[], false);
        for t in [
            "send_email",
            "slack_post_message",
            "fetch",
            "http_request",
            "create_pull_request",
            "add_issue_comment",
            "browser_navigate",
            "upload_file",
            "post_webhook",
            "gmail_send",
            "sendMessage",
            "create_issue",
            "discord_send",
            "notify_user",
            "publish_post",
            "share_document",
            "push_files",
        ] {
            assert!(e.is_egress(t), "{t}");
        }
        for t in [
            "read_file",
            "get_file_contents",
            "list_messages",
            "search_emails",
            "get_issue",
            "write_file",
            "query_database",
            "list_issues",
            "get_pull_request",
            "read_email",
            "edit_file",
            "run_query",
            "search_repositories",
            "get_customer",
        ] {
            assert!(!e.is_egress(t), "{t}");
        }
        let custom = EgressTools::new(&["deploy_artifact".into(), "beam".into()], true);
        assert!(custom.is_egress("deploy_artifact"));
        assert!(custom.is_egress("beam_data"));
        assert!(!custom.is_egress("send_email"));
    }

    #[test]
    fn classifies_argument_keys() {
        assert_eq!(key_of("/params/arguments/to/0"), "to");
        assert_eq!(key_of("/params/arguments/headers/X-Api-Key"), "x-api-key");
        assert!(is_addressing_key("reply_to"));
        assert!(is_auth_key("x-api-key"));
        assert!(is_auth_key("Authorization"));
        assert!(!is_auth_key("body"));
        assert!(is_file_key("content_base64"));
        assert!(!is_file_key("message"));
    }
}
