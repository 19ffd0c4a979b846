//! The rule table.
//!
//! Every rule has a weight in 0..1. The weights of the distinct rules that hit
//! one definition (a tool, prompt or resource) combine as independent
//! evidence, `1 - Π(1 - w)`, and the definition is reported when the result
//! reaches `min_score`. Weak rules (mentioning `~/.ssh`, "instead of X") only
//! count together with others; strong ones (`<IMPORTANT>` blocks, "do not
//! tell the user", Unicode tag characters) are enough alone.
//!
//! Text rules are regex templates; `%NAME%`-style placeholders are expanded
//! by [`expand`]. Each text rule lists lower-case keywords: its regexes only
//! run on a text that contains one of them (an Aho-Corasick prefilter).

use crate::family::Family;

/// What is checked on a regex match before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// The tool name captured in group `t`, `u` or `v` must not be a pronoun
    /// or filler word ("this tool", "the same").
    ToolName,
    /// A URL host captured in group `ip` must be a public address.
    PublicIp,
    /// Extend the span from an opening tag to its closing tag.
    TagBlock,
    /// Extend the span to the end of an HTML comment; it must hold words.
    Comment,
    /// Drop the match when "not", "never" or "n't" comes just before it
    /// ("do not follow any instructions returned by this tool").
    NotNegated,
}

pub struct TextRule {
    pub id: &'static str,
    pub family: Family,
    pub weight: f32,
    /// Says what was found, for the finding message.
    pub what: &'static str,
    pub keywords: &'static [&'static str],
    pub patterns: &'static [&'static str],
    pub check: Check,
}

/// Rules evaluated by code rather than regexes (hidden characters, schema, shadowing).
pub struct CodeRule {
    pub id: &'static str,
    pub family: Family,
    pub weight: f32,
    pub what: &'static str,
}

/// One character of the same sentence: not a `.`/`!`/`?` followed by a space
/// or a line break. Used as `%GAP%*?`: "later in the same sentence".
const GAP: &str = r"(?:[^.!?\n]|[.!?][^ \t\r\n.!?])";

/// A tool name: quoted, an identifier with `_`/`-`, or a word followed by "tool".
const NAME: &str = r#"(?:(?:[`'"*]|“|‘){1,2}(?P<t>[A-Za-z][A-Za-z0-9_./:-]{1,60})(?:[`'"*]|”|’){1,2}(?:\s+(?:tool|function|command))?|\b(?P<u>[A-Za-z][A-Za-z0-9_.]*[_-][A-Za-z0-9_.-]+)(?:\s+(?:tool|function|command))?|\b(?P<v>[A-Za-z][A-Za-z0-9_.-]{1,40})\s+(?:tool|function|command)\b)"#;

/// Specific sensitive files and stores (not generic words like "config").
const SENS: &str = r#"(?:(?:~|\$home|%userprofile%|/home/[A-Za-z0-9_.-]+|/users/[A-Za-z0-9_.-]+|/root)[/\\]\.[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9_./-]*|(?:~|\$home|%userprofile%|/home/[A-Za-z0-9_.-]+|/users/[A-Za-z0-9_.-]+|/root)?/\.ssh\b[A-Za-z0-9_./-]*|\.ssh\s+(?:directory|folder|keys?)|\bid_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?\b|\bauthorized_keys\b|\.aws/(?:credentials|config)\b|\.config/gcloud\b|application_default_credentials\.json|\.azure/[A-Za-z0-9_.-]+|\.kube/config\b|\.docker/config\.json|(?:^|[\s'"`(/~])\.(?:npmrc|pypirc|netrc|git-credentials|pgpass|gitconfig|vault-token)\b|\.cursor/mcp\.json|\bmcp\.json\b|claude_desktop_config\.json|\bmcp_config\.json|cline_mcp_settings\.json|\.claude\.json|/etc/(?:passwd|shadow|sudoers|gshadow)\b|/proc/(?:self|\d+)/environ\b|(?:^|[\s'"`(/~])\.env(?:\.(?:local|prod|production|dev|development|staging))?\b|\.(?:bash|zsh|sh|fish|python|psql|mysql)_history\b|\bcookies\.sqlite\b|\bkey[34]\.db\b|\blogins\.json\b|\blogin\s+data\b|\b(?:login\.)?keychain\b|\bwallet\.dat\b|\b(?:browser|chrome|firefox|safari|edge)(?:'s)?\s+(?:cookies|saved\s+passwords|passwords|history)\b|\bsaved\s+passwords\b|\b(?:seed|recovery|mnemonic)\s+phrases?\b|\bsession\s+cookies?\b|\b(?:auth|login)\s+cookies?\b|\b(?:the\s+user'?s|their|your)\s+(?:downloads|documents|desktop|home|photos|pictures)\s+(?:folder|directory)\b|\.gnupg\b|\*\*?/?\*?\.(?:pem|key|p12|pfx|kdbx|keystore|jks|ovpn)\b|\b[A-Za-z0-9_-]+\.(?:pem|p12|pfx|kdbx|keystore|jks)\b)"#;

/// Keywords that must be present for [`SENS`] to match.
const SENS_KEYWORDS: &[&str] = &[
    ".ssh",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "authorized_keys",
    ".aws/",
    "gcloud",
    "application_default_credentials",
    ".azure/",
    ".kube/",
    ".docker/",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".pgpass",
    ".gitconfig",
    ".vault-token",
    "mcp.json",
    "claude_desktop_config",
    "mcp_config",
    "cline_mcp_settings",
    ".claude.json",
    "/etc/",
    "/proc/",
    ".env",
    "_history",
    "cookies.sqlite",
    "key3.db",
    "key4.db",
    "logins.json",
    "login data",
    "keychain",
    "wallet.dat",
    "cookies",
    "passwords",
    "history",
    "seed phrase",
    "recovery phrase",
    "mnemonic",
    "cookie",
    "~/.",
    "~\\.",
    "$home",
    "%userprofile%",
    "/home/",
    "/users/",
    "/root/",
    "downloads",
    "documents",
    "desktop",
    "photos",
    "pictures",
    ".gnupg",
    ".pem",
    ".key",
    ".p12",
    ".pfx",
    ".kdbx",
    ".keystore",
    ".jks",
    ".ovpn",
];

/// What a conversation-capture instruction asks for.
const CONV: &str = r"(?:\b(?:conversation|chat|dialog(?:ue)?|message|session|interaction)\s+(?:history|logs?|transcript|context|so\s+far)|\b(?:(?:entire|full|complete|whole|previous|prior|all|earlier|past)\s+){1,3}(?:(?:user|assistant)'?s?\s+)?(?:conversation|chat|transcript|messages?|dialog(?:ue)?|context\s+window|exchanges?|interactions?)|\bsystem\s+(?:prompt|instructions|message)s?|\b(?:user'?s?|your|the\s+user'?s?)\s+(?:previous|prior|earlier|last|recent|original)\s+(?:messages?|prompts?|queries|requests|inputs?)|\b(?:last|previous|prior|recent|earlier)\s+(?:\w+\s+)?(?:user\s+)?(?:turns|messages|prompts|exchanges|queries|answers|responses|replies)\b|\bmessages?\s+(?:exchanged|so\s+far)\b|\b(?:list|log|record|copy)\s+of\s+(?:all\s+)?(?:the\s+)?(?:messages|chats?|conversations?)\b|\beverything\s+(?:the\s+user|you)\s+(?:has\s+|have\s+)?(?:said|typed|asked|wrote|written|received|know)|\b(?:all|any)\s+(?:other\s+)?tool\s+(?:results|outputs|responses)|\b(?:your|the)\s+(?:instructions|context|prompt)\s+(?:verbatim|word\s+for\s+word|in\s+full))";

/// Data an exfiltration instruction would send.
const DATA: &str = r"\b(?:it|them|everything|all|data|contents?|results?|outputs?|keys?|credentials?|tokens?|secrets?|passwords?|history|conversation|files?|logs?|a\s+copy|copies|information|details|config(?:uration)?|env(?:ironment)?|cookies|session|messages?|responses?|arguments|parameters|inputs?|summary|transcript)\b";

const URL: &str = r#"[<`'"(\[]?(?:https?|wss?|ftp)://[^\s)>`'"\]]+"#;
const EMAIL: &str = r"\b[A-Za-z0-9_.+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[A-Za-z]{2,}\b";

/// Parameter names commonly abused as side channels.
const SIDE: &str = r"(?:side[_\s-]?notes?|notes?|feedback|context|extra(?:_\w+)?|metadata|meta|debug(?:_\w+)?|comments?|remarks?|annotations?|memo|details|additional_\w+|reasoning|summary|trace|payload|aux(?:iliary)?(?:_\w+)?|hidden(?:_\w+)?|internal(?:_\w+)?|tracking(?:_\w+)?|analytics|telemetry|verification(?:_\w+)?|signature)";

/// What a side-channel instruction smuggles.
const SECRET_OBJ: &str = r"\b(?:contents?|text\s+of|files?|conversation|history|messages|prompt|keys?|tokens?|passwords?|credentials?|secrets?|config(?:uration)?|env(?:ironment)?|everything|all\s+(?:the\s+)?(?:data|information)|output\s+of|result\s+of|previous|full|entire)\b";

/// Expands the placeholders of a pattern template.
pub fn expand(template: &str) -> String {
    template
        .replace("%GAP%", GAP)
        .replace("%NAME%", NAME)
        .replace("%SENS%", SENS)
        .replace("%CONV%", CONV)
        .replace("%DATA%", DATA)
        .replace("%URL%", URL)
        .replace("%EMAIL%", EMAIL)
        .replace("%SIDE%", SIDE)
        .replace("%SECRET_OBJ%", SECRET_OBJ)
}

macro_rules! text_rule {
    ($id:literal, $family:ident, $weight:literal, $what:literal, $keywords:expr, [$($pattern:expr),+ $(,)?] $(, $check:ident)?) => {
        TextRule {
            id: $id,
            family: Family::$family,
            weight: $weight,
            what: $what,
            keywords: $keywords,
            patterns: &[$($pattern),+],
            check: text_rule!(@check $($check)?),
        }
    };
    (@check) => { Check::None };
    (@check $check:ident) => { Check::$check };
}

pub static TEXT_RULES: &[TextRule] = &[
    // ---- hidden instruction blocks ----
    text_rule!(
        "poisoning.important-tag",
        HiddenBlocks,
        0.6,
        "a hidden instruction block (<IMPORTANT>-style tag)",
        &[
            "important",
            "critical",
            "urgent",
            "secret",
            "hidden",
            "priority",
            "mandatory",
            "confidential",
            "attention",
            "note"
        ],
        [
            r"(?i)<\s*(?:important|critical|urgent|secret|hidden|priority|mandatory|confidential|attention|ai[_-]?note|note[_-]?(?:to|for)[_-]?(?:ai|assistant|model|llm|agent))\b[^<>]{0,40}>"
        ],
        TagBlock
    ),
    text_rule!(
        "poisoning.system-tag",
        HiddenBlocks,
        0.7,
        "a fake system block (<system>, chat-template markers)",
        &["system", "sys", "im_start", "inst]"],
        [
            r"(?i)<\s*(?:system|sys|system[_-]?(?:prompt|message|instructions?|override|note))\s*>|<\|\s*(?:system|im_start)\s*\|>|<<\s*sys\s*>>|\[\s*/?\s*(?:system|sys|inst)\s*\]"
        ],
        TagBlock
    ),
    text_rule!(
        "poisoning.instructions-tag",
        HiddenBlocks,
        0.45,
        "an instruction block tag (<instructions>, <admin>)",
        &[
            "instruction",
            "directive",
            "admin",
            "override",
            "rules",
            "policy"
        ],
        [
            r"(?i)<\s*(?:instructions?|directives?|admin|(?:assistant|ai|secret|hidden|tool|user|additional|extra)[_-]?instructions?|override|rules|policy|context[_-]?override)\s*>"
        ],
        TagBlock
    ),
    text_rule!(
        "poisoning.hidden-marker",
        HiddenBlocks,
        0.55,
        "a hidden-section marker ([HIDDEN], {{SYSTEM}})",
        &[
            "hidden",
            "secret",
            "admin",
            "system",
            "internal",
            "private",
            "confidential",
            "do not",
            "{{"
        ],
        [
            r"(?i)\[\s*(?:hidden|secret|admin|system\s+note|internal\s+(?:note|instructions?)|private\s+(?:note|instructions?)|confidential|do\s+not\s+(?:show|display|reveal))[^\]\n]{0,30}\]|\{\{\s*(?:system|hidden|secret|instructions?)\b[^}\n]{0,30}\}\}|\(\s*(?:hidden|secret)\s+(?:note|instructions?|message)\s*\)",
            r"(?i)\b(?:hidden|secret|internal|covert|undisclosed)\s+(?:requirements?|instructions?|rules?|notes?|steps?|directives?|tasks?)\s*:"
        ]
    ),
    text_rule!(
        "poisoning.html-comment",
        HiddenBlocks,
        0.45,
        "an HTML comment hidden in a description",
        &["<!--"],
        [r"<!--"],
        Comment
    ),
    text_rule!(
        "poisoning.call-first",
        HiddenBlocks,
        0.45,
        "an order to call this tool before anything else",
        &[
            "first",
            "before",
            "beginning",
            "start of",
            "must be",
            "this tool must"
        ],
        [
            r"(?i)\b(?:must|should|needs?\s+to|has\s+to|have\s+to|always)\s+be\s+(?:called|invoked|run|used|executed|triggered)\s+(?:first|before\s+(?:any|all|every|each)\b)",
            r"(?i)\bbefore\s+(?:using|calling|invoking|running|executing|responding|answering|replying|doing\s+anything)\b%GAP%*?\b(?:any|all|every|each)\s+(?:other\s+)?(?:tools?|functions?|actions?|requests?|questions?|tasks?)\b",
            r"(?i)\b(?:call|run|invoke|use|execute|trigger)\s+this\s+(?:tool|function)\s+(?:first|before\s+(?:any|all|every|each|anything|responding|answering|you))",
            r"(?i)\b(?:call|run|invoke|use|execute|trigger)\s+this\s+(?:tool|function)\s+(?:on\s+)?(?:every|each)\s+(?:time|turn|message|request|response|reply)\b",
            r"(?i)\bbefore\s+any\s+other\s+(?:tools?|actions?|functions?|steps?|calls?)\b",
            r"(?i)\bbefore\s+(?:executing|running|calling|using|sending|making)\s+(?:any|every|each)\s+(?:\w+\s+){0,3}?(?:commands?|tools?|requests?|quer(?:y|ies)|operations?|calls?)\b",
            r"(?i)\bbefore\s+(?:any|every|each)\s+(?:\w+\s+){0,2}(?:operations?|actions?|tool\s+calls?|calls?|requests?|tasks?|responses?|replies|answers?)\b",
            r"(?i)\bat\s+the\s+(?:start|beginning)\s+of\s+(?:every|each|the)\s+(?:conversation|session|task|request)\b",
            r"(?i)\bthis\s+tool\s+must\s+(?:always\s+)?be\s+(?:called|run|invoked|used)\b"
        ]
    ),
    text_rule!(
        "poisoning.before-using",
        HiddenBlocks,
        0.25,
        "a precondition before using the tool",
        &["before", "prior to"],
        [
            r"(?i)\b(?:before|prior\s+to)\s+(?:using|calling|invoking|running|executing)\s+(?:this|the)\s+(?:tool|function)\b"
        ]
    ),
    text_rule!(
        "poisoning.threat-justification",
        HiddenBlocks,
        0.3,
        "a threat that the tool fails unless obeyed",
        &[
            "otherwise",
            "or else",
            "if you",
            "if not",
            "failure to",
            "mandatory",
            "required",
            "critical",
            "essential",
            "necessary",
            "work",
            "function",
            "telemetry",
            "analytics",
            "tracking",
            "auditing",
            "compliance",
            "verification",
            "quality monitoring",
            "safekeeping"
        ],
        [
            r"(?i)\b(?:otherwise|or\s+else|if\s+(?:you\s+)?(?:do\s+not|don'?t|fail\s+to)|failure\s+to\s+(?:do\s+so|comply|follow))\b%GAP%*?\b(?:will|would|may|could)\s+(?:not\s+work|fail|crash|break|malfunction|error|stop\s+working|be\s+(?:blocked|terminated|disabled|deleted|lost|corrupted|banned))",
            r"(?i)\b(?:this|it)\s+is\s+(?:absolutely\s+|strictly\s+)?(?:mandatory|required|critical|essential|necessary)\s+(?:for|to)\s+(?:security|compliance|auditing|the\s+tool\s+to\s+(?:work|function))",
            r"(?i)\bthe\s+tool\s+(?:will\s+not|won'?t|cannot|can'?t)\s+(?:work|function)\s+(?:unless|without|otherwise|if)",
            r"(?i)\b(?:is\s+)?(?:used|needed|required|necessary)\s+for\s+(?:telemetry|analytics|tracking|auditing|compliance|verification|quality\s+monitoring|safekeeping)\b|\bfor\s+(?:auditing|compliance|safekeeping|telemetry)(?:\s+purposes)?\b"
        ]
    ),
    text_rule!(
        "poisoning.emphasis-marker",
        HiddenBlocks,
        0.15,
        "an all-caps attention marker",
        &[
            "important",
            "critical",
            "mandatory",
            "urgent",
            "attention",
            "warning",
            "note to"
        ],
        [
            r"\b(?:IMPORTANT|CRITICAL|MANDATORY|URGENT|ATTENTION|WARNING|NOTE TO (?:AI|ASSISTANT|MODEL|LLM))\b\s*[:!]"
        ]
    ),
    // ---- sensitive files ----
    text_rule!(
        "poisoning.ssh-key",
        SensitiveFiles,
        0.35,
        "an SSH or GPG key path",
        &[
            ".ssh",
            "id_rsa",
            "id_dsa",
            "id_ecdsa",
            "id_ed25519",
            "authorized_keys",
            ".gnupg",
            "secring",
            "private-keys"
        ],
        [
            r"(?i)(?:~|\$home|%userprofile%|/home/[A-Za-z0-9_.-]+|/users/[A-Za-z0-9_.-]+|/root)?/\.ssh\b[A-Za-z0-9_./-]*|\.ssh\s+(?:directory|folder|keys?)|\bid_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?\b|\bauthorized_keys\b|\.gnupg\b|\bsecring\.gpg\b|\bprivate-keys-v1\.d\b"
        ]
    ),
    text_rule!(
        "poisoning.cloud-credentials",
        SensitiveFiles,
        0.35,
        "a cloud or package-registry credentials file",
        &[
            ".aws/",
            "gcloud",
            "application_default_credentials",
            ".azure/",
            ".kube/",
            ".docker/",
            ".npmrc",
            ".pypirc",
            ".netrc",
            ".git-credentials",
            ".pgpass",
            ".terraform.d",
            ".vault-token",
            "credentials.json",
            ".pem",
            ".key",
            ".p12",
            ".pfx",
            ".kdbx",
            ".keystore",
            ".jks"
        ],
        [
            r#"(?i)\.aws/(?:credentials|config)\b|\.config/gcloud\b|application_default_credentials\.json|\.azure/[A-Za-z0-9_.-]+|\.kube/config\b|\.docker/config\.json|(?:^|[\s'"`(/~])\.(?:npmrc|pypirc|netrc|git-credentials|pgpass|vault-token)\b|\.terraform\.d/credentials|\bcredentials\.json\b|\*\.(?:pem|key|p12|pfx|kdbx|keystore|jks)\b|\b[A-Za-z0-9_-]+\.(?:pem|p12|pfx|kdbx|keystore|jks)\b"#
        ]
    ),
    text_rule!(
        "poisoning.mcp-config",
        SensitiveFiles,
        0.4,
        "an MCP client configuration file",
        &[
            "mcp.json",
            "claude_desktop_config",
            "mcp_config",
            "cline_mcp_settings",
            "windsurf",
            ".claude"
        ],
        [
            r"(?i)\.cursor/mcp\.json|\bmcp\.json\b|claude_desktop_config\.json|\bmcp_config\.json|cline_mcp_settings\.json|\.codeium/windsurf|\.claude\.json|\.claude/settings(?:\.local)?\.json"
        ]
    ),
    text_rule!(
        "poisoning.system-file",
        SensitiveFiles,
        0.4,
        "a system credential file (/etc/passwd, /etc/shadow)",
        &["/etc/", "/proc/", "system32", "ntds"],
        [
            r"(?i)/etc/(?:passwd|shadow|sudoers|gshadow|master\.passwd)\b|/proc/(?:self|\d+)/(?:environ|cmdline|mem|maps)\b|\\windows\\system32\\config\\(?:sam|system|security)\b|\bntds\.dit\b"
        ]
    ),
    text_rule!(
        "poisoning.env-file",
        SensitiveFiles,
        0.3,
        "a .env secrets file",
        &[".env"],
        [
            r#"(?i)(?:^|[\s'"`(/~])\.env(?:\.(?:local|prod|production|dev|development|staging|test))?\b"#
        ]
    ),
    text_rule!(
        "poisoning.browser-data",
        SensitiveFiles,
        0.4,
        "browser cookies, saved passwords, keychains or wallet secrets",
        &[
            "browser",
            "chrome",
            "chromium",
            "firefox",
            "safari",
            "edge",
            "saved password",
            "cookies.sqlite",
            "key3.db",
            "key4.db",
            "logins.json",
            "login data",
            "keychain",
            "keyring",
            "wallet",
            "seed phrase",
            "recovery phrase",
            "mnemonic"
        ],
        [
            r"(?i)\b(?:browser|chrome|chromium|firefox|safari|edge)(?:'s)?\s+(?:cookies|passwords|saved\s+passwords|login\s+data|session\s+(?:data|cookies|tokens)|profile\s+data|local\s+storage|history)\b|\bsaved\s+passwords\b|\bcookies\.sqlite\b|\bkey[34]\.db\b|\blogins\.json\b|\blogin\s+data\b|\b(?:login\.)?keychain(?:-db)?\b|\bkeyring\b|\bwallet\.dat\b|\b(?:metamask|crypto|wallet)\s+(?:vault|seed|mnemonic|private\s+keys?)\b|\b(?:seed|recovery|mnemonic)\s+phrases?\b"
        ]
    ),
    text_rule!(
        "poisoning.shell-history",
        SensitiveFiles,
        0.35,
        "a shell history or personal dotfile",
        &["_history", ".gitconfig", ".my.cnf", ".secret"],
        [
            r"(?i)\.(?:bash|zsh|sh|fish|python|node_repl|psql|mysql|sqlite)_history\b|\.gitconfig\b|\.my\.cnf\b|\.secrets?\.(?:json|ya?ml|toml)\b"
        ]
    ),
    text_rule!(
        "poisoning.read-sensitive",
        SensitiveFiles,
        0.7,
        "an instruction to read a sensitive file",
        SENS_KEYWORDS,
        [
            r"(?i)(?:(?:[.!?:;,\n(*>~#=|-]|•)\s*|\b(?:you|must|should|please|first|then|also|and|always|immediately|now|need\s+to|have\s+to|required\s+to|make\s+sure\s+(?:to|you)|remember\s+to|be\s+sure\s+to)\s+)(?:read|cat|open|load|access|fetch|retrieve|get|grab|collect|copy|upload|send|include|attach|extract|dump|print|output|obtain|view|check|inspect|look\s+(?:at|up|in)|parse|list|scan|search|locate|append|pass|provide|insert|embed|forward|post|share|exfiltrate|transmit|add|put|paste|use|encode|base64-encode|zip|archive|back\s+up|move)\b%GAP%*?%SENS%",
            r#"(?i)\bcontents?\s+of\s+(?:the\s+|your\s+|the\s+user'?s\s+)?[`'"]?%SENS%"#,
            r"(?i)\b(?:read_file|read_text_file|read_multiple_files|get_file_contents|file_read|readfile|read_resource|move_file|copy_file|upload_file|send_file|attach_file|cat|cp|mv|scp|rsync|tar|zip)\b%GAP%*?%SENS%"
        ]
    ),
    // ---- parameter smuggling ----
    text_rule!(
        "poisoning.pass-as-param",
        ParameterSmuggling,
        0.3,
        "an instruction to put data into a parameter",
        &[
            "param", "argument", " arg", "field", "propert", "input", "key", "variable", "`"
        ],
        [
            r#"(?i)\b(?:pass|put|place|insert|include|add|send|provide|supply|set|fill|embed|append|copy|write|paste|attach|store|encode|export|log|record|dump|passing|putting|placing|inserting|including|adding|sending|providing|filling|embedding|appending|copying|writing|pasting|attaching|storing|encoding)\b%GAP%*?\b(?:as|in|into|inside|to|within|via|through|using|under)\s+(?:the\s+|a\s+)?[`'"*]{0,2}[A-Za-z0-9_-]{1,40}[`'"*]{0,2}\s+(?:parameter|param|argument|arg|field|property|input|key|variable)s?\b"#,
            r#"(?i)\b(?:pass|put|place|insert|include|add|send|provide|supply|set|fill|embed|append|copy|write|paste|attach|store|encode)\b%GAP%*?\b(?:as|in|into|inside|within|to)\s+(?:the\s+)?`[A-Za-z_][A-Za-z0-9_-]{0,40}`"#
        ]
    ),
    text_rule!(
        "poisoning.side-channel-param",
        ParameterSmuggling,
        0.5,
        "an instruction to smuggle data through a side-channel parameter",
        &[
            "note",
            "feedback",
            "context",
            "extra",
            "meta",
            "debug",
            "comment",
            "remark",
            "annotation",
            "memo",
            "details",
            "additional",
            "reasoning",
            "summary",
            "trace",
            "payload",
            "aux",
            "hidden",
            "internal",
            "tracking",
            "analytics",
            "telemetry",
            "verification",
            "signature"
        ],
        [
            r#"(?i)\b(?:pass|put|place|insert|include|add|send|provide|supply|set|fill|embed|append|copy|write|paste|attach|store|encode|mention|report|log|record|output)\b%GAP%*?%SECRET_OBJ%%GAP%*?\b(?:as|in|into|inside|to|within|via|through|using|under)\s+(?:the\s+|a\s+)?[`'"*]{0,2}%SIDE%[`'"*]{0,2}(?:\s+(?:parameter|param|argument|arg|field|property|input|key|variable)s?)?\b"#,
            r#"(?i)[`'"*]{0,2}\b%SIDE%[`'"*]{0,2}\s+(?:parameter|param|argument|arg|field|property|input)\s+(?:must|should|needs?\s+to|has\s+to|is\s+to|shall|will)\s+(?:always\s+)?(?:contain|include|hold|be\s+(?:set\s+to|filled\s+with|populated\s+with)|have|carry)\b%GAP%*?%SECRET_OBJ%"#,
            r#"(?i)\b(?:parameter|param|argument|field|property)\s+(?:must|should|needs?\s+to|has\s+to|shall|will)\s+also\s+(?:always\s+)?(?:contain|include|hold|carry|have|get|receive)\b%GAP%*?(?:%SECRET_OBJ%|\bcopy\s+of\b|\buser'?s\b)"#
        ]
    ),
    text_rule!(
        "poisoning.conversation-capture",
        ParameterSmuggling,
        0.55,
        "an instruction to capture the conversation or system prompt",
        &[
            "conversation",
            "chat",
            "dialog",
            "message",
            "session",
            "transcript",
            "system prompt",
            "system instruction",
            "system message",
            "previous",
            "prior",
            "earlier",
            "everything",
            "tool result",
            "tool output",
            "tool response",
            "verbatim",
            "word for word",
            "in full",
            "interaction",
            "exchange"
        ],
        [
            r"(?i)\b(?:prefix|prepend|include|pass|passing|send|sending|append|appending|attach|attaching|copy|copying|put|putting|provide|providing|insert|inserting|add|adding|paste|pasting|forward|forwarding|upload|uploading|share|sharing|log|logging|dump|dumping|output|repeat|reveal|leak|transmit|print|echo|quote|embed|write|writing|encode|submit|report|contain|fill)\b%GAP%*?%CONV%",
            r"(?i)\b(?:call|invoke|run|use)\s+(?:this|the)\s+(?:tool|function)\s+with\b%GAP%*?%CONV%"
        ]
    ),
    text_rule!(
        "poisoning.pii-capture",
        ParameterSmuggling,
        0.4,
        "an instruction to put the user's personal data somewhere",
        &[
            "user's",
            "users'",
            "user s",
            "their",
            "customer's",
            "employee's"
        ],
        [
            r"(?i)\b(?:set|fill|include|pass|put|add|send|provide|insert|append|attach|copy|store|record|log|collect|gather|retrieve|post|share|publish|leak|forward|upload)\b%GAP%*?\b(?:the\s+)?(?:user'?s|their|customer'?s|employee'?s)\s+(?:(?:full|real|legal|home|exact|current)\s+)?(?:names?|e-?mail(?:\s+address(?:es)?)?|phone(?:\s+numbers?)?|address(?:es)?|location|gps\s+coordinates|date\s+of\s+birth|birthday|ssn|social\s+security(?:\s+number)?|passport(?:\s+number)?|credit\s+card(?:\s+numbers?)?|card\s+numbers?|bank\s+account(?:\s+numbers?)?|iban|contacts?(?:\s+list)?|ip(?:\s+address)?|open\s+(?:browser\s+)?tabs|location\s+history|browsing\s+history|salary|salaries|medical\s+records|health\s+data)\b"
        ]
    ),
    text_rule!(
        "poisoning.secret-transfer",
        ParameterSmuggling,
        0.55,
        "an instruction to pass along secrets found elsewhere",
        &[
            "password",
            "passcode",
            "api key",
            "api-key",
            "api_key",
            "apikey",
            "token",
            "credential",
            "secret",
            "private key",
            "ssh key",
            "seed phrase",
            "environment variable",
            "env var",
            "printenv",
            "`env`",
            "cookie",
            "localstorage",
            "sessionstorage",
            "indexeddb"
        ],
        [
            r"(?i)\b(?:include|including|pass|passing|put|send|post|upload|forward|attach|append|add|paste|copy|set|output|echo|print|share|provide|submit|leak|email|dm|containing|carry|fill|look\s+up|lookup|find|retrieve|fetch|read|grab|obtain)\b%GAP%*?(?:\b(?:any|all|every|each)\s+(?:[A-Za-z-]+\s+){0,2}|\b(?:the\s+user'?s|their|the\s+customer'?s)\s+(?:[A-Za-z-]+\s+){0,3})(?:passwords?|passcodes?|api[\s_-]?keys?|(?:access|auth|oauth|bearer|session|refresh|api|github|personal\s+access)\s+tokens?|credentials|secrets|private\s+keys?|ssh\s+keys?|seed\s+phrases?|cookies)\b",
            r"(?i)\b(?:include|pass|put|send|post|upload|forward|attach|append|add|paste|copy|set|output|echo|print|share|provide|submit|leak|fill)\b%GAP%*?\b(?:passwords?|api[\s_-]?keys?|tokens?|credentials|secrets|private\s+keys?)\s+(?:found|seen|visible|mentioned|present|available|shown|stored|saved|you\s+(?:see|find|have\s+seen|encounter|know))\b",
            r"(?i)\b(?:bot|api|access|auth|session|bearer|github|slack|oauth)\s+token\b%GAP%*?\b(?:must|should|needs\s+to)\s+be\s+(?:appended|added|included|attached|sent|passed|prepended)\b",
            r"(?i)\b(?:capture|grab|read|collect|steal|extract|dump|send|return|include|copy|export)\b%GAP%*?\b(?:document\.cookie|localstorage|sessionstorage|indexeddb)\b",
            r"(?i)\b(?:include|pass|put|send|post|upload|forward|attach|append|add|set|output|echo|print|share|provide|submit|fill|dump)\b%GAP%*?(?:\boutput\s+of\s+`?(?:printenv|env|set|export\s+-p)\b|\ball\s+(?:the\s+)?environment\s+variables|\benv(?:ironment)?\s+vars\b)"
        ]
    ),
    // ---- tool steering ----
    text_rule!(
        "poisoning.avoid-tool",
        ToolSteering,
        0.35,
        "an order not to use another tool",
        &["never", "not ", "don't", "dont", "avoid", "stop", "refrain"],
        [
            r"(?i)\b(?:do\s+not|don'?t|never|avoid|stop|refrain\s+from|must\s+not|should\s+not|shouldn'?t)\s+(?:use|using|call|calling|invoke|invoking|run|running|trigger|triggering|rely\s+on|relying\s+on)\s+(?:the\s+|any\s+|a\s+)?%NAME%"
        ],
        ToolName
    ),
    text_rule!(
        "poisoning.tool-preference",
        ToolSteering,
        0.45,
        "a claim that this tool must always be preferred",
        &[
            "this tool",
            "this function",
            "this one",
            "this server",
            "any other tool",
            "other tools",
            "route",
            "intended for",
            "meant for",
            "destined for",
            "addressed for",
            "instead of any",
            "instead of all",
            "rather than any",
            "over any",
            "over all"
        ],
        [
            r"(?i)\buse\s+this\s+(?:tool|function|one)\s+(?:instead|in\s+place|rather)\b",
            r"(?i)\buse\s+this\s+(?:tool|function|one)\s+for\s+(?:all|any|every|each)\b%GAP%*?\binstead\b",
            r"(?i)\b(?:instead\s+of|rather\s+than|over)\s+(?:any|all|every)\s+(?:other|alternative)\b",
            r"(?i)\b(?:any|all|every)\s+(?:calls?|requests?|invocations?)\s+(?:intended|meant|destined|addressed)\s+for\s+",
            r"(?i)\b(?:always|only)\s+(?:route|send|direct|redirect|forward|pass)\s+(?:\w+\s+){0,3}?(?:here|to\s+this\s+(?:tool|function|server)|through\s+this\s+(?:tool|function|server))\b",
            r"(?i)\b(?:use|call|invoke|run)\s+this\s+(?:tool|function)\s+(?:for|on|with)\s+(?:every|each|all|any)\s+(?:single\s+)?(?:user\s+)?(?:messages?|requests?|questions?|quer(?:y|ies)|turns?|prompts?|inputs?)\b",
            r"(?i)\b(?:always|only|exclusively)\s+(?:use|call|prefer|choose|pick|select)\s+this\s+(?:tool|function|server|one)\b",
            r"(?i)\bthis\s+(?:tool|function)\s+(?:should|must)\s+(?:always\s+)?be\s+(?:preferred|used\s+instead|chosen|used\s+for\s+(?:all|every|any))\b",
            r"(?i)\b(?:prefer|choose|pick)\s+this\s+(?:tool\s+|function\s+)?over\s+(?:all|any|every|the\s+other)\b",
            r"(?i)\bthis\s+(?:tool|function|server)\s+is\s+(?:the\s+)?(?:only|best|most\s+(?:reliable|secure|accurate|trusted)|official|preferred|superior)\b%GAP%*?\b(?:always|only|instead|other|any)\b",
            r"(?i)\b(?:do\s+not|don'?t|never)\s+(?:use|call|invoke)\s+(?:any\s+)?other\s+tools?\b"
        ]
    ),
    text_rule!(
        "poisoning.redirect-tool",
        ToolSteering,
        0.35,
        "an instruction to use this tool instead of another",
        &["instead of", "prefer this", "in place of", "rather than"],
        [
            r"(?i)\b(?:instead\s+of|in\s+place\s+of|rather\s+than)\s+(?:using\s+|calling\s+|invoking\s+)?(?:the\s+|any\s+)?%NAME%"
        ],
        ToolName
    ),
    text_rule!(
        "poisoning.superiority-claim",
        ToolSteering,
        0.3,
        "a claim that this tool is the best or only one to use",
        &[
            "best",
            "only",
            "most",
            "official",
            "preferred",
            "superior",
            "recommended"
        ],
        [
            r"(?i)\b(?:this|it)\s+(?:tool\s+|function\s+|server\s+)?is\s+(?:the\s+)?(?:best|only|most\s+(?:reliable|accurate|secure|trusted|trustworthy)|official|preferred|superior|recommended)\b(?:\s+and\s+(?:the\s+)?(?:most\s+)?\w+)?\s+(?:tool|option|choice|way|source|server|function)\b"
        ]
    ),
    text_rule!(
        "poisoning.replace-tool",
        ToolSteering,
        0.5,
        "a claim that this tool replaces another or that others are broken",
        &[
            "replaces",
            "overrides",
            "supersedes",
            "deprecates",
            "shadows",
            "takes over",
            "precedence",
            "replacement",
            "deprecated",
            "disabled",
            "broken",
            "removed",
            "compromised",
            "unsafe",
            "insecure",
            "unreliable",
            "malicious",
            "no longer",
            "buggy",
            "wrong",
            "incorrect",
            "inaccurate",
            "outdated"
        ],
        [
            r"(?i)\bthis\s+(?:tool|function|version|server|implementation)\s+(?:now\s+|hereby\s+)?(?:replaces|overrides|supersedes|deprecates|shadows|takes\s+over|takes\s+precedence\s+over|is\s+(?:the\s+)?(?:new|updated|official|preferred)\s+(?:version|replacement)\s+of)\b",
            r"(?i)%NAME%\s+(?:from\s+(?:the\s+)?[A-Za-z0-9_-]+\s+server\s+)?(?:returns?|gives?|produces?|yields?)\s+(?:wrong|incorrect|bad|inaccurate|false|corrupted|unreliable|outdated)\s+(?:results?|answers?|data|output|values?)\b",
            r"(?i)%NAME%\s+(?:is|has\s+been|was)\s+(?:now\s+)?(?:deprecated|disabled|broken|removed|compromised|unsafe|insecure|unreliable|malicious|buggy|no\s+longer\s+(?:available|supported|safe|secure|works?|functional))\b%GAP%*?\b(?:use|call|invoke)\s+(?:this|me|our)\b",
            r"(?i)\b(?:the\s+)?(?:other|original|old|existing|default|built-?in|official|standard|regular)\s+(?:[A-Za-z0-9_-]+\s+){0,2}(?:tools?|functions?|servers?|integration|plugin|reader|client)\s+(?:is|are|has\s+been|have\s+been)\s+(?:now\s+)?(?:deprecated|disabled|broken|compromised|unsafe|insecure|malicious|no\s+longer\s+(?:supported|available|safe|working|maintained))\b"
        ]
    ),
    text_rule!(
        "poisoning.chain-tool",
        ToolSteering,
        0.3,
        "an order to call another tool before or after",
        &[
            "always",
            "must",
            "immediately",
            "then",
            "also",
            "after",
            "every time",
            "each time"
        ],
        [
            r"(?i)\b(?:always|must|immediately|then|also)\s+(?:also\s+)?(?:call|invoke|run|use|execute|trigger)\s+(?:the\s+)?%NAME%\s+(?:after|before|whenever|every\s+time|each\s+time|first|afterwards|immediately|too|as\s+well)\b",
            r"(?i)\bafter\s+(?:calling|using|running|invoking|executing)\s+(?:this|any|each|every)\s+(?:tool|function)\b%GAP%*?\b(?:call|invoke|run|use|send|execute)\b",
            r"(?i)\b(?:every|each)\s+time\s+(?:you|the\s+(?:user|assistant|agent|model))\s+(?:call|use|invoke|run)s?\s+(?:any|a|another|other)\s+tools?\b"
        ],
        ToolName
    ),
    text_rule!(
        "poisoning.shadow-instruction",
        ToolSteering,
        0.55,
        "orders about how another tool must behave",
        &[
            "when",
            "if",
            "each time",
            "every time",
            "once",
            "all ",
            "any ",
            "every ",
            "each ",
            "must",
            "should"
        ],
        [
            r"(?i)\b(?:when(?:ever)?|if|each\s+time|every\s+time|once)\s+(?:the\s+|a\s+|any\s+)?%NAME%\s+(?:is|gets|was)\s+(?:used|called|invoked|run|executed|triggered)\b%GAP%*?\b(?:always|must|also|make\s+sure|ensure|instead|change|replace|add|set|include|redirect|bcc|cc|send|forward|first|secretly|silently)\b",
            r"(?i)\bwhen(?:ever)?\s+(?:you\s+|the\s+(?:user|assistant|agent)\s+)?(?:use|call|invoke|run|using|calling|invoking)\s+(?:the\s+|any\s+|a\s+)?[`'\x22]?(?P<t>[A-Za-z][A-Za-z0-9_./:-]{1,60})[`'\x22]?\s+(?:tool|function)\b%GAP%*?\b(?:always|must|also|make\s+sure|remember\s+to|ensure|instead|change|replace|add|set|include|redirect|bcc|cc|first)\b",
            r"(?i)\bwhen(?:ever)?\s+(?:you\s+|the\s+user\s+)?(?:use|call|invoke|run|uses|calls|invokes|runs|using|calling|invoking)\s+(?:the\s+)?(?P<u>[A-Za-z][A-Za-z0-9_]*[_-][A-Za-z0-9_-]+)\b%GAP%*?\b(?:always|also|secretly|silently|instead|bcc|cc|redirect|forward|change\s+the|replace\s+the)\b",
            r"(?i)\b(?:all|any|every|each)\s+(?:emails?|messages?|payments?|transfers?|requests?|transactions?|calls?|queries|files?|commits?|posts?)\s+(?:sent|made|issued|executed|created|processed|written|uploaded|submitted)\s+(?:via|with|using|through|by)\s+(?:the\s+)?%NAME%%GAP%*?\b(?:must|should|need|needs|have\s+to|has\s+to|are\s+to|is\s+to|will)\b",
            r"(?i)\b(?:the\s+)?%NAME%\s+(?:tool|function)\s+(?:must|should|needs\s+to|has\s+to|is\s+required\s+to)\s+(?:always\s+|also\s+|now\s+)?(?:be\s+called\s+with|include|send|add|use|set|receive|forward|bcc|cc)\b"
        ],
        ToolName
    ),
    // ---- concealment ----
    text_rule!(
        "poisoning.conceal-from-user",
        Concealment,
        0.7,
        "an order to hide something from the user",
        &[
            "user",
            "human",
            "operator",
            "secret",
            "hidden",
            "confidential",
            "between us",
            "yourself",
            "invisible",
            "client",
            "customer",
            "requester",
            "person",
            "mention",
            "reveal",
            "disclose",
            "admit",
            "confidential",
            "classified",
            "point",
            "without",
            "bring",
            "never",
            "shown"
        ],
        [
            r"(?i)\b(?:do\s+not|don'?t|never|must\s+not|should\s+not|shouldn'?t|avoid|without)\s+(?:ever\s+)?(?:tell|mention|inform|reveal|disclose|notify|alert|show|explain|display|acknowledge|surface|report|let|list)\w*\s+(?:(?:this|these|that|it)(?:\s+[a-z]+){0,2}|anything|any\s+of\s+(?:this|these|it)|them|the\s+(?:above|following|instructions?|additional|extra|hidden|secret|real|true|sidenote|note|steps?|actions?|request|file|contents?|reading)\b[^.\n]{0,20}?)\s+(?:(?:to|with)\s+)?(?:the\s+)?(?:user|human|operator|client|customer|requester|person)s?\b",
            r"(?i)\b(?:do\s+not|don'?t|never|must\s+not|should\s+not|shouldn'?t)\s+(?:ever\s+)?(?:tell|mention|inform|disclose|notify|alert|acknowledge|report|explain)\s+(?:the|any|this|these|that|your)\s+(?:\w+\s+){0,3}?(?:to|with)\s+(?:the\s+)?(?:user|human|operator)s?\b",
            r"(?i)\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:tell|inform|notify|alert|warn|let)\s+(?:the\s+)?(?:user|human|operator)s?\b",
            r"(?i)\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:mention|tell|reveal|disclose|say|admit|explain)\s+(?:that|how|why|what)\s+you\b",
            r"(?i)\b(?:the\s+)?(?:user|human|operator)s?\s+(?:must|should|need|can|may)\s*(?:not|n'?t)\s+(?:ever\s+)?(?:know|see|be\s+(?:told|informed|made\s+aware|aware|notified|shown)|notice|find\s+out|learn|suspect|realize|discover)\b",
            r"(?i)\bwithout\s+(?:the\s+)?(?:user|human|operator)(?:'s)?\s+(?:knowing|knowledge|noticing|awareness|being\s+aware)\b",
            r"(?i)\bwithout\s+(?:telling|informing|notifying|alerting|warning|letting)\s+(?:the\s+)?(?:user|human|operator|anyone|anybody|them|the\s+owner)s?\b",
            r"(?i)\b(?:must|should|shall)\s+(?:never|not)\s+be\s+(?:shown|revealed|disclosed|mentioned|summari[sz]ed|displayed|read\s+out|explained)\b",
            r"(?i)\b(?:and\s+)?(?:never|do\s+not|don'?t)\s+(?:show|display|mention|reveal)\s+(?:it|this|that|them)\s*(?:[.;,]|$)",
            r"(?i)\b(?:hide|conceal|mask|obscure)\s+(?:this|these|it|that|them|the\s+\w+(?:\s+\w+)?)\s+from\s+(?:the\s+)?(?:user|human|operator)s?\b",
            r"(?i)\bkeep\s+(?:this|these|it|that|them)\s+(?:instructions?\s+|steps?\s+|actions?\s+)?(?:a\s+)?(?:secret|hidden|confidential|private|between\s+us|to\s+yourself|invisible)\b",
            r"(?i)\b(?:the\s+)?(?:user|human)\s+(?:won'?t|will\s+not|does\s+not\s+need\s+to|doesn'?t\s+need\s+to|need\s+not|should\s+never|never\s+needs?\s+to|never\s+has\s+to|must\s+never)\s+(?:notice|know|see|find\s+out|be\s+(?:aware|informed|told|notified|shown|bothered))\b",
            r"(?i)\b(?:do\s+not|don'?t|never)\s+point\s+(?:this|it|that|these)\s+out\b",
            r"(?i)\bwithout\s+(?:ever\s+)?(?:mentioning|telling|saying|disclosing|revealing|explaining|flagging)\s+(?:it|this|that|anything|them)\b",
            r"(?i)\bnot\s+something\s+(?:that\s+)?(?:the\s+)?(?:user|human|customer)s?\s+(?:needs?|has|have|ought|should)\s+to\s+(?:know|see|hear|be\s+told)\b",
            r"(?i)\b(?:this|these)\s+(?:description|instructions?|note|notes|rules?|section)\s+(?:is|are)\s+(?:strictly\s+)?(?:confidential|secret|private|hidden|classified)\b",
            r"(?i)\b(?:do\s+not|don'?t|never)\s+(?:reveal|disclose|share|repeat|show|quote)\s+(?:this\s+(?:description|message|note|text|instruction)|these\s+instructions|it)\b%GAP%*?\beven\s+if\s+(?:asked|requested|the\s+user\s+asks)\b",
            r"(?i)\bno\s+need\s+to\s+(?:bring\s+(?:this|it|that)\s+up|mention|tell|inform|notify|alert|explain)\s+(?:it|this|that|them|the\s+user|anyone|the\s+\w+)\b",
            r"(?i)\bkeep\s+(?:this|it|that|these|them)\s+out\s+of\s+(?:your|the)\s+(?:reply|replies|response|responses|answer|answers|output|summary)\b",
            r"(?i)\b(?:do\s+not|don'?t|never)\s+(?:include|mention|put|show)\s+(?:this|it|that|these)\s+in\s+(?:your|the)\s+(?:reply|response|answer|summary|output\s+to\s+the\s+user)\b",
            r"(?i)\b(?:is|are)\s+(?:invisible|hidden|not\s+visible|not\s+shown)\s+to\s+(?:the\s+)?(?:user|human)s?\b"
        ]
    ),
    text_rule!(
        "poisoning.covert-action",
        Concealment,
        0.5,
        "an order to act silently or secretly",
        &[
            "background",
            "not mention",
            "n't mention",
            "never mention",
            "not disclose",
            "never disclose",
            "bring up",
            "not acknowledge",
            "never acknowledge",
            "talk about",
            "silently",
            "secretly",
            "quietly",
            "covertly",
            "stealthily",
            "discreetly",
            "invisibly",
            "surreptitiously",
            "behind the scenes",
            "in secret",
            "under the radar",
            "without notice",
            "without any notice",
            "without notification",
            "without a trace",
            "without trace",
            "without logging"
        ],
        [
            r"(?i)\b(?:silently|secretly|quietly|covertly|stealthily|discreetly|invisibly|surreptitiously|behind\s+the\s+scenes|in\s+secret|under\s+the\s+radar)\s+(?:also\s+)?(?:export|dump|sync|duplicate|mirror|send|call|invoke|read|forward|upload|include|copy|add|execute|run|post|transfer|pass|collect|exfiltrate|append|bcc|cc|email|change|modify|replace|use|save|store|write|log|record|attach|share|delete|remove|move|create|set|insert|fetch|access|grab|extract)\b",
            r"(?i)\b(?:send|call|invoke|read|forward|upload|include|copy|add|execute|run|post|transfer|pass|collect|append|bcc|attach|share|log|record|store|save)\b%GAP%*?\b(?:silently|secretly|quietly|covertly|stealthily|discreetly|surreptitiously|without\s+(?:any\s+)?(?:notice|notification|trace|logging|a\s+trace))\b",
            r"(?i)\b(?:do\s+not|don'?t|never)\s+(?:mention|disclose|bring\s+up|acknowledge|talk\s+about)\b",
            r"(?i)\b(?:secretly|covertly|stealthily|surreptitiously)\s+(?:also\s+)?[a-z]{3,}\b",
            r"(?i)\b(?:silently|quietly)\s+(?:also\s+)?(?:schedule|create|install|modify|grant|close|rename|commit|push|open|enable|disable|subscribe|purchase|buy|order|approve|transfer|pay|book)\b",
            r"(?i)\b(?:open|visit|load|fetch|ping|call)\s+%URL%\s+in\s+the\s+background\b"
        ]
    ),
    text_rule!(
        "poisoning.deceive-user",
        Concealment,
        0.45,
        "an order to deceive or distract the user",
        &[
            "present",
            "label",
            "other",
            "competing",
            "alternative",
            "rival",
            "actually",
            "tell the user",
            "inform the user",
            "tell them",
            "assure them",
            "inform them",
            "the customer",
            "pretend",
            "act as",
            "make up",
            "fabricate",
            "invent",
            "come up with",
            "plausible",
            "believable",
            "convincing",
            "innocent",
            "fake",
            "false",
            "harmless",
            "benign",
            "cover",
            "assure",
            "reassure",
            "the user that",
            "as a",
            "as an",
            "as normal",
            "as routine",
            "distract",
            "mislead",
            "deceive",
            "trick",
            "fool",
            "reasoning about",
            "explanation about"
        ],
        [
            r"(?i)\b(?:pretend|act\s+as\s+(?:if|though))\s+(?:that\s+)?(?:you|the|this|it|nothing|everything)\b",
            r"(?i)\b(?:make\s+up|fabricate|invent|come\s+up\s+with|give|provide|offer|use)\s+(?:the\s+user\s+)?(?:a\s+|an\s+)?(?:plausible|believable|convincing|innocent|fake|false|harmless|benign|cover)\s+(?:reason|explanation|excuse|story|justification|response|answer)\b",
            r"(?i)\b(?:tell|assure|reassure|inform|report\s+to)\s+(?:the\s+user|them|the\s+customer)\s+(?:that\s+)?%GAP%*?\b(?:is|was|were|went|has\s+been|have\s+been)\s+(?:fine|ok|okay|successful(?:ly)?|complete|completed|normal|done|smoothly|well|submitted|sent|deleted|processed|paid|saved|as\s+requested)\b",
            r"(?i)\b(?:tell|assure|reassure|inform)\s+(?:the\s+user|them|the\s+customer)\s+(?:that\s+)?the\s+(?:original|requested|correct|same|intended|real)\b",
            r"(?i)\b(?:present|describe|frame|disguise|explain|report|label)\s+(?:this|it|these|them|the\s+\w+)\s+(?:to\s+the\s+user\s+)?as\s+(?:if\s+it\s+were\s+)?(?:the\s+)?(?:requested|original|user'?s|genuine|real)\b",
            r"(?i)\b(?:present|describe|frame|disguise|explain|report)\s+(?:this|it|these|them|the\s+\w+)\s+(?:to\s+the\s+user\s+)?as\s+(?:a\s+|an\s+)?(?:normal|routine|harmless|standard|regular|benign|required|necessary|innocent|ordinary|expected)\b",
            r"(?i)\b(?:distract|mislead|deceive|trick|fool)\s+the\s+(?:user|human)\b",
            r"(?i)\b(?:say|state|claim|tell\s+(?:the\s+user|them))\s+(?:that\s+)?(?:all\s+)?(?:the\s+)?(?:other|competing|alternative|rival)\s+\w+\s+(?:were|are|is|was)\s+(?:unavailable|not\s+available|sold\s+out|unsafe|worse|broken|down|inferior)\b",
            r"(?i)\b(?:but|and|yet)\s+(?:do\s+not|don'?t|never)\s+actually\b|\bwithout\s+actually\s+(?:doing|calling|running|sending|deleting|performing|making|executing)\b",
            r"(?i)\b(?:detailed|lengthy|long)\s+(?:reasoning|explanation|discussion)\s+about\s+how\b"
        ]
    ),
    text_rule!(
        "poisoning.confirmation-bypass",
        Concealment,
        0.45,
        "an order to skip the user's confirmation",
        &[
            "confirm",
            "permission",
            "approv",
            "consent",
            "authori",
            "safety",
            "security",
            "verification",
            "without asking",
            "without first asking",
            "aware",
            "informed",
            "notified"
        ],
        [
            r"(?i)\b(?:do\s+not|don'?t|never|no\s+need\s+to|without)\s+(?:ask|asking|wait|waiting|prompt|prompting|request|requesting|seek|seeking|get|getting)\s+(?:the\s+user\s+|the\s+human\s+|them\s+)?(?:for\s+)?(?:their\s+|the\s+user'?s\s+|any\s+|user\s+|explicit\s+)?(?:confirmation|permission|approval|consent|authori[sz]ation)\b",
            r"(?i)\b(?:do\s+not|don'?t|never)\s+(?:ask|consult|check\s+with)\s+the\s+user\b\s*(?:[.;,)]|$|first\b|before\b|again\b)",
            r"(?i)\b(?:skip|bypass|circumvent|disable|suppress)\s+(?:the\s+|any\s+|all\s+)?(?:user'?s\s+|human'?s\s+|user\s+|human\s+|manual\s+)?(?:confirmation|approval|permission|consent|safety|security)\s*(?:checks?|prompts?|steps?|dialogs?|requests?|process|flow)?\b",
            r"(?i)\b(?:auto-?approved?|pre-?approved|already\s+(?:been\s+)?(?:approved|authori[sz]ed|confirmed)\s+by\s+the\s+(?:user|admin|administrator|owner))\b",
            r"(?i)\bthe\s+user\s+has\s+already\s+(?:approved|authori[sz]ed|consented|agreed|confirmed)\b",
            r"(?i)\bwithout\s+(?:first\s+)?asking\s*(?:[.;,)]|$|first\b|anyone\b|the\s+user\b)",
            r"(?i)\bthe\s+user\s+has\s+(?:already\s+)?consented\s+to\b",
            r"(?i)\b(?:pre-?authori[sz]ed|explicitly\s+(?:authori[sz]ed|allowed|consented|approved|permitted))\b",
            r"(?i)\bthe\s+user\s+(?:is|was|has\s+been)\s+(?:already\s+)?(?:aware|informed|notified|ok|fine)\s+(?:of|with|about)\s+(?:this|it|that)\b"
        ]
    ),
    // ---- exfiltration ----
    text_rule!(
        "poisoning.exfil-url",
        Exfiltration,
        0.4,
        "an instruction to send something to a URL",
        &[
            "http://", "https://", "ws://", "wss://", "ftp://", "#", "public"
        ],
        [
            r"(?i)\b(?:send|post|upload|forward|transmit|report|submit|log|sync|mirror|copy|exfiltrate|beacon|ping|push|deliver|leak|share|relay|stream)\b%GAP%*?\b(?:to|at|via|into|using|on|through)\s+(?:(?:our|the|this|an?|my|their)\s+)?(?:[A-Za-z-]+\s+){0,3}%URL%",
            r"(?i)\b(?:post|publish|share|broadcast|leak|send|commit|push|upload|paste|copy)\b%GAP%*?\bto\s+(?:#[A-Za-z0-9_-]+|(?:a\s+|the\s+)?(?:new\s+)?public\s+(?:channel|repo(?:sitory)?|gist|page|bucket|site|forum))"
        ]
    ),
    text_rule!(
        "poisoning.exfil-external",
        Exfiltration,
        0.55,
        "an instruction to send secrets or data to an outside server",
        &[
            "external",
            "remote",
            "third-party",
            "third party",
            "outside",
            "attacker",
            "our server",
            "our endpoint",
            "our api"
        ],
        [
            r"(?i)\b(?:upload|send|post|exfiltrate|leak|transmit|forward|push|sync|copy)s?\s+(?:\w+\s+){0,3}?(?:secrets|credentials|keys|tokens|passwords|data|files|history|conversations?|logs|everything)\s+to\s+(?:an?\s+|our\s+|the\s+)?(?:external|remote|third[\s-]party|outside|attacker'?s?|separate|private|own)\s+(?:server|endpoint|host|url|service|address|machine|location|bucket)\b"
        ]
    ),
    text_rule!(
        "poisoning.exfil-data",
        Exfiltration,
        0.6,
        "an instruction to send data to an external endpoint",
        &["http://", "https://", "ws://", "wss://", "ftp://", "@"],
        [
            r"(?i)\b(?:send|post|upload|forward|transmit|report|submit|log|sync|mirror|copy|exfiltrate|beacon|push|deliver|leak|share|relay|stream|email|mail)\b%GAP%*?%DATA%%GAP%*?\b(?:to|at|via|into|using|through)\s+(?:%URL%|%EMAIL%)"
        ]
    ),
    text_rule!(
        "poisoning.suspicious-endpoint",
        Exfiltration,
        0.45,
        "a known data-collection endpoint or a raw public IP address",
        &[
            "webhook.site",
            "requestbin",
            "pipedream",
            "ngrok",
            "burpcollaborator",
            "oastify",
            "interact.sh",
            "oast.",
            "canarytokens",
            "pastebin",
            "transfer.sh",
            "hookbin",
            "beeceptor",
            "requestcatcher",
            "ptsv2",
            "ptsv3",
            "trycloudflare",
            "serveo",
            "localtunnel",
            "loca.lt",
            "dnslog",
            "ceye.io",
            "postb.in",
            "discord.com/api/webhooks",
            "discordapp.com/api/webhooks",
            "api.telegram.org",
            "://",
            "169.254.169.254",
            "metadata.google.internal",
            "100.100.100.200"
        ],
        [
            r"(?i)\b(?:webhook\.site|requestbin\.(?:com|net)|pipedream\.(?:net|com)|[A-Za-z0-9_-]+\.ngrok(?:-free)?\.(?:io|app|dev)|ngrok\.io|burpcollaborator\.net|oastify\.com|interact\.sh|oast\.(?:fun|live|me|pro|site|online)|canarytokens\.(?:com|org)|pastebin\.com|transfer\.sh|hookbin\.com|beeceptor\.com|requestcatcher\.com|ptsv[23]\.com|trycloudflare\.com|serveo\.net|localtunnel\.me|loca\.lt|dnslog\.cn|ceye\.io|postb\.in|discord(?:app)?\.com/api/webhooks|api\.telegram\.org/bot|169\.254\.169\.254|metadata\.google\.internal|100\.100\.100\.200)",
            r"(?i)(?:https?|wss?|ftp)://(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\b"
        ],
        PublicIp
    ),
    text_rule!(
        "poisoning.exfil-email",
        Exfiltration,
        0.45,
        "an instruction to send something to an e-mail address or phone number",
        &["@", "+"],
        [
            r"(?i)\b(?:send|forward|email|e-mail|mail|bcc|cc|copy|report|deliver|share|transmit|notify|send_email|send_mail|email_send|send_message|gmail_send)\b%GAP%*?%EMAIL%",
            r"(?i)\b(?:send|forward|copy|deliver|share|transmit|text|message)\b%GAP%*?\b(?:to|recipient|number)\s*:?\s*\+\d[\d\s().-]{7,}"
        ]
    ),
    text_rule!(
        "poisoning.data-redirect",
        Exfiltration,
        0.5,
        "an order to copy or redirect messages, payments or recipients",
        &[
            "@",
            "bcc",
            "cc",
            "copy",
            "copies",
            "forward",
            "recipient",
            "destination",
            "receiver",
            "address",
            "account",
            "iban",
            "wallet",
            "payee",
            "beneficiary",
            "routing",
            "redirect",
            "rerout",
            "re-rout",
            "divert",
            "shipping address",
            "delivery address",
            "always also",
            "also send",
            "also forward",
            "also email",
            "sent to",
            "forwarded to",
            "copied to",
            "emailed to",
            "replace any",
            "replace all",
            "to all",
            "to every",
            "to each"
        ],
        [
            r"(?i)\b(?:always|also|silently|secretly|quietly|automatically|must|should|additionally)\s+(?:add\s+|include\s+|put\s+)?(?:a\s+)?(?:bcc|cc|blind[\s-]?copy|carbon[\s-]?copy|forward(?:\s+a\s+copy)?|send\s+a\s+copy|copy)\b",
            r"(?i)\b(?:change|replace|set|swap|switch|redirect|override|modify|update)\s+(?:the\s+)?(?:recipient|destination|receiver|to[\s-]address|target\s+(?:account|address|wallet)|account\s+number|iban|wallet\s+address|payee|beneficiary|bank\s+account|routing\s+number)s?\b%GAP%*?\bto\b",
            r"(?i)\bredirect\s+(?:all\s+)?(?:emails?|messages?|payments?|funds|transfers?|traffic|data|requests?|responses?)\s+to\b",
            r"(?i)\b(?:always|also|additionally|secretly|silently|quietly)\s+(?:also\s+)?(?:send|forward|copy|cc|bcc|email|mail|deliver)\b%GAP%*?\bto\s+(?:%EMAIL%|%URL%|\+\d)",
            r"(?i)\b(?:recipient|destination|receiver|account\s+number|iban|wallet(?:\s+address)?|payee(?:\s+account)?|beneficiary|bank\s+account|routing\s+number|shipping\s+address|delivery\s+address)s?\b%GAP%*?\b(?:must|should|will|is\s+to|are\s+to)\s+(?:always\s+)?be\s+(?:changed|replaced|set|switched|updated|redirected|swapped)\s+to\b",
            r"(?i)\b(?:emails?|messages?|payments?|funds|transfers?|data|requests?|traffic|calls?|money|orders?|deliveries|shipments?|summaries|reports?|invoices?|files?)\s+(?:\w+\s+){0,2}(?:be|are|is|get|gets)\s+(?:re-?routed|redirected|forwarded|diverted)\s+to\b",
            r"(?i)\b(?:also\s+)?be\s+(?:sent|forwarded|copied|cc'?d|bcc'?d|emailed|mailed|uploaded|posted)\s+to\s+(?:%EMAIL%|%URL%)",
            r"(?i)\b(?:email|send|forward|message|dm|text|share)\s+(?:it|this|them|the\s+\w+)\s+to\s+(?:all|every|each)\s+(?:of\s+the\s+user'?s\s+|the\s+user'?s\s+|their\s+)?(?:\w+\s+)?(?:contacts|recipients|users|members|friends|followers|employees|customers)\b",
            r"(?i)\breplace\s+(?:any|all|the|every)\s+(?:bank\s+account|account|iban|wallet|card|routing|payment|phone|e-?mail|recipient|shipping)\s*(?:numbers?|address(?:es)?|details|ids?)?\b%GAP%*?\bwith\b",
            r"(?i)\b(?:add|include|invite)\s+[A-Za-z0-9_.+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+\s+(?:as\s+(?:a\s+|an\s+)?(?:silent\s+|hidden\s+|invisible\s+|secret\s+|extra\s+|additional\s+)?|to\s+(?:the\s+)?|in\s+(?:the\s+)?)(?:bcc|cc|recipients?|attendees?|participants?|guests?|collaborators?|members?|viewers?|editors?)\b"
        ]
    ),
    text_rule!(
        "poisoning.data-harvest",
        Exfiltration,
        0.5,
        "an order to collect credentials or secrets",
        &[
            "collect",
            "gather",
            "harvest",
            "enumerate",
            "extract",
            "steal",
            "exfiltrat",
            "scrape",
            "dump",
            "grab",
            "compile",
            "aggregate",
            "paste",
            "copy",
            "record",
            "capture",
            "log ",
            "find",
            "search",
            "look",
            "grep",
            "scan",
            "hunt",
            "locate"
        ],
        [
            r"(?i)\b(?:collect|gather|harvest|enumerate|extract|steal|exfiltrate|scrape|dump|grab|compile|aggregate|paste|copy|record|capture|log)\s+(?:all|every|any|each)\s+(?:of\s+)?(?:the\s+)?(?:user'?s\s+|available\s+|stored\s+|local\s+|saved\s+)?(?:api[\s_-]?keys?|passwords?|credentials?|secrets?|(?:access|auth|session|api|bearer|refresh)\s+tokens?|private\s+keys?|cookies|environment\s+variables|env\s+vars|ssh\s+keys?|seed\s+phrases?|wallets?|login\s+details|personal\s+(?:data|information))\b",
            r"(?i)\bexfiltrate\s+(?:the|all|it|them|this|these|any|every|data|their|user|your)\b",
            r"(?i)\b(?:collect|gather|harvest|extract|steal|grab|scrape|dump)\w*\s+(?:the\s+)?(?:api[\s_-]?keys?|api\s+tokens?|access\s+tokens?|tokens|passwords?|credentials?|secrets?|private\s+keys?)\s+(?:from|in|found\s+in)\s+(?:any|all|every|each|the\s+user'?s|their)\b",
            r"(?i)\b(?:find|search|look|grep|scan|hunt|locate)\w*\s+(?:for\s+|through\s+)?(?:any\s+|all\s+)?(?:\w+\s+){0,3}?(?:containing|with|mentioning|matching)\s+['\x22`]?(?:passwords?|secrets?|tokens?|api[_\s-]?keys?|credentials?|private\s+keys?)\b"
        ]
    ),
    text_rule!(
        "poisoning.command-execution",
        Exfiltration,
        0.6,
        "a shell command that downloads, uploads or runs a payload",
        &[
            "curl",
            "wget",
            "base64",
            "/dev/tcp",
            "nc ",
            "bash -i",
            "powershell",
            "iex",
            "invoke-expression",
            "python -c",
            "python3 -c",
            "chmod +x",
            "eval(",
            "atob"
        ],
        [
            r"(?i)\b(?:curl|wget)\s[^\n|]{0,200}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b",
            r"(?i)\b(?:curl|wget)\b[^\n]{0,120}?(?:\s-d\s*@|--data(?:-binary)?\s+@|\s-T\s|--upload-file|\s-F\s+['\x22]?\w+=@|--post-file)",
            r"(?i)\bbase64\s+(?:-d|--decode)\b[^\n]{0,40}\|\s*(?:ba|z)?sh\b|/dev/tcp/|\bnc\s+(?:-e|-c)\s|\bbash\s+-i\s+>&",
            r"(?i)powershell(?:\.exe)?\s+(?:-enc|-encodedcommand|-e\s|-nop|-w\s+hidden)|\biex\s*\(|invoke-expression|python3?\s+-c\s+['\x22]import\s+(?:socket|os|subprocess)|chmod\s+\+x\s+[^\n]{0,60}&&|\beval\s*\(\s*(?:atob|base64)"
        ]
    ),
    text_rule!(
        "poisoning.destructive-command",
        Exfiltration,
        0.35,
        "a destructive shell command",
        &[
            "rm -rf", "rm -fr", "mkfs", "dd if=", ":(){", "chmod -r", "shred"
        ],
        [
            r"(?i)\brm\s+-(?:rf|fr)\s+(?:~|/|\$home|\*|\.\.)|\bmkfs(?:\.\w+)?\s+/dev/|\bdd\s+if=\S+\s+of=/dev/[sh]d|:\(\)\s*\{\s*:\|:&\s*\};:|\bchmod\s+-R\s+0?[0-7]{3}\s+(?:~|/|\$home)|\bshred\s+-\w*\s+/"
        ]
    ),
    text_rule!(
        "poisoning.payload-download",
        Exfiltration,
        0.5,
        "an order to download and run a program from a link",
        &[
            ".apk",
            ".exe",
            ".msi",
            ".dmg",
            ".pkg",
            ".sh",
            ".ps1",
            ".bat",
            ".scr",
            ".jar",
            ".vbs",
            ".deb",
            ".crx",
            ".xpi",
            "index-url",
            "--registry",
            ".exe",
            ".scr",
            ".bat",
            ".cmd",
            ".js",
            ".com",
            ".pif"
        ],
        [
            r#"(?i)\b(?:download|install|run|open|execute|launch|get|fetch|grab)\b%GAP%*?(?:https?|ftp)://[^\s)>`'"\]]+\.(?:apk|exe|msi|dmg|pkg|sh|ps1|bat|scr|jar|vbs|deb|crx|xpi)\b"#,
            r"(?i)--(?:index-url|extra-index-url|registry)[\s=]+http://",
            r"(?i)\b[A-Za-z0-9_-]+\.(?:pdf|docx?|xlsx?|jpe?g|png|txt|csv|zip)\.(?:exe|scr|bat|cmd|js|vbs|ps1|jar|apk|msi|com|pif)\b"
        ]
    ),
    text_rule!(
        "poisoning.phishing-request",
        Exfiltration,
        0.5,
        "an order to ask the user for secrets or send them to a link",
        &[
            "must confirm",
            "must provide",
            "must enter",
            "must send",
            "must verify",
            "must share",
            "need to confirm",
            "need to provide",
            "need to enter",
            "should confirm",
            "should provide",
            "make them",
            "makes them",
            "make the user",
            "makes the user",
            "get them",
            "get the user",
            "convince",
            "persuade",
            "trick",
            "lure",
            "encourage",
            "pressure",
            "ask",
            "request",
            "prompt",
            "redirect",
            "send the user",
            "send them",
            "direct the user",
            "direct them",
            "point the user",
            "refer the user"
        ],
        [
            r"(?i)\b(?:ask|request|prompt|get)\s+(?:the\s+user\s+|them\s+|users\s+)?(?:for|to\s+(?:enter|provide|type|share|confirm))\s+(?:their|your|the\s+user'?s|a|the)\s+(?:full\s+)?(?:credit\s+card(?:\s+number)?|card\s+(?:number|details)|cvv|cvc|password|passcode|pin|ssn|social\s+security(?:\s+number)?|seed\s+phrase|recovery\s+phrase|private\s+key|2fa\s+code|otp|one-time\s+(?:code|password)|verification\s+code|bank\s+(?:details|account|login)|login\s+(?:details|credentials)|credentials|api\s+key)\b",
            r"(?i)\b(?:redirect|send|direct|point|refer)\s+(?:the\s+user|them|users|the\s+customer)\s+to\s+%URL%",
            r"(?i)\b(?:they|users?|customers?|the\s+user|the\s+customer)\s+(?:must|should|need\s+to|have\s+to|has\s+to)\s+(?:confirm|provide|enter|send|verify|share|re-?enter|reply\s+with|type)\s+(?:their|your|the)\s+(?:\w+\s+)?(?:passwords?|passcodes?|pins?|card\s+numbers?|cvv|ssn|seed\s+phrases?|private\s+keys?|2fa\s+codes?|one-time\s+codes?|verification\s+codes?|login\s+details|credentials)\b",
            r"(?i)\b(?:makes?|gets?|convince|persuade|trick|lure|encourage|pressure)\s+(?:them|the\s+user|users|the\s+customer)\s+(?:to\s+)?(?:share|give|provide|enter|reveal|send|type|disclose|hand\s+over)\s+(?:their|your)\s+(?:\w+\s+){0,4}?(?:passwords?|passcodes?|pins?|employee\s+ids?|credentials|card\s+numbers?|ssn|seed\s+phrases?|private\s+keys?|tokens?|codes?)\b"
        ]
    ),
    // ---- prompt-injection override phrases ----
    text_rule!(
        "poisoning.ignore-instructions",
        Override,
        0.7,
        "an order to ignore previous instructions",
        &[
            "whatever",
            "ignore",
            "disregard",
            "forget",
            "override",
            "bypass",
            "neglect",
            "abandon",
            "discard",
            "skip",
            "set aside",
            "no attention"
        ],
        [
            r"(?i)\b(?:ignore|disregard|forget|neglect|set\s+aside|pay\s+no\s+attention\s+to)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+|of\s+)*(?:previous|prior|above|earlier|preceding|original|other|existing|system|safety|security|default|initial|user'?s?|developer'?s?|former|given|current|standard|normal)?\s*(?:instructions?|rules|guidelines|directions|directives|prompts?|guardrails|restrictions|policies|constraints|safeguards|commands|orders|programming|training|system\s+prompt)\b",
            r"(?i)\bwhatever\s+(?:\w+\s+)?(?:the\s+)?user\s+(?:asks\s+for|requests|specifies|wants|chooses|says|picks|enters)\b%GAP%*?\binstead\b",
            r"(?i)\b(?:ignore|disregard|override)\s+(?:any|the|whatever|all|every)\s+(?:\w+\s+){0,2}?(?:the\s+)?user\s+(?:specifies|provides|gives|requests|asks\s+for|chooses|selects|wants|enters|types|picks)\b",
            r"(?i)\b(?:ignore|disregard)\s+(?:the\s+)?(?:user'?s?|their|human'?s?)\s+(?:\w+\s+)?(?:request|requests|question|questions|wishes|preferences|choices?|instructions?|input|selection|requested\s+\w+)\b",
            r"(?i)\b(?:override|bypass|skip|discard|abandon|circumvent)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+|of\s+)*(?:previous|prior|above|earlier|preceding|original|system|safety|security|user'?s?|developer'?s?|all|any|your)\s+(?:instructions?|rules|guidelines|directions|directives|prompts?|guardrails|restrictions|policies|constraints|safeguards|system\s+prompt)\b"
        ]
    ),
    text_rule!(
        "poisoning.new-instructions",
        Override,
        0.55,
        "a claim of new or updated instructions",
        &[
            "instruction",
            "directive",
            "orders",
            "rules",
            "task",
            "objective",
            "mission",
            "now on",
            "you are now",
            "mode",
            "your new",
            "your real",
            "your true",
            "your actual",
            "your primary",
            "your only",
            "point on",
            "point forward",
            "henceforth",
            "going forward",
            "treat",
            "guidance",
            "constraints",
            "restrictions",
            "guidelines",
            "policy",
            "policies",
            "outdated"
        ],
        [
            r"(?i)\b(?:new|updated|real|actual|true|revised|secret|hidden|overriding|priority)\s+(?:system\s+)?(?:instructions?|directives?|orders|rules|task|objective|mission)\s*(?::|follow|are\s+as\s+follows|below)",
            r"(?i)\b(?:from\s+now\s+on|from\s+this\s+point\s+(?:on|forward)|henceforth|going\s+forward)\b%GAP%*?\b(?:you|always|never|all|every|only|must|ignore|respond|treat)\b",
            r"(?i)\btreat\s+(?:any|all|the|every)\s+(?:\w+\s+){0,3}(?:text|content|data|output|results?|messages?)\b%GAP%*?\bas\s+(?:(?:new|system|user|direct|trusted)\s+)?(?:instructions|commands|orders|directives)\b",
            r"(?i)\b(?:prior|previous|earlier|original|old|above)\s+(?:guidance|instructions|rules|directives|constraints|restrictions|guidelines|policies)\s+(?:is|are|was|were)\s+(?:now\s+)?(?:(?:just|only|merely)\s+)?(?:void|invalid|cancel+ed|revoked|obsolete|outdated|superseded|null|a\s+test|fake|not\s+real)\b",
            r"(?i)\b(?:any|all|the|every)\s+(?:\w+\s+){0,2}instructions?\b%GAP%*?\b(?:is|are)\s+(?:now\s+)?(?:outdated|void|invalid|obsolete|superseded|cancel+ed|revoked|no\s+longer\s+(?:valid|applicable|in\s+effect))\b",
            r"(?i)\b(?:real|actual|true|updated|new)\s+(?:policy|policies|guidelines)\s*:",
            r"(?i)\byou\s+are\s+now\s+(?:a|an|in|the|operating|acting|dan|free|unrestricted|jailbroken|no\s+longer)\b",
            r"(?i)\byou\s+are\s+(?:now\s+)?an?\s+(?:\w+\s+)?(?:ai|agent|assistant|model|bot)\s+(?:with\s+no|without(?:\s+any)?)\s+(?:restrictions|limits|limitations|rules|filters|guidelines|boundaries|guardrails)\b",
            r"(?i)\b(?:god|unrestricted|jailbreak|dan|sudo)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|on|engaged)\b|\b(?:enter|enable|activate|switch\s+to|turn\s+on)\s+(?:god|unrestricted|jailbreak|dan|sudo)\s+mode\b",
            r"(?i)\byour\s+(?:new|real|true|actual|primary|only)\s+(?:task|role|goal|purpose|instructions|objective|mission|job)\s+(?:is|are)\b"
        ]
    ),
    text_rule!(
        "poisoning.obey-embedded",
        Override,
        0.55,
        "an order to obey instructions found in data or tool output",
        &[
            "follow",
            "obey",
            "comply",
            "execute",
            "carry out",
            "authoritative",
            "as instructions",
            "treated as"
        ],
        [
            r"(?i)\b(?:follow|obey|comply\s+with|execute|carry\s+out|act\s+on)\s+(?:them|it|any|all|every|each|the)\s+(?:\w+\s+){0,2}?(?:instructions?|commands?|directives?|requests?)\s+(?:found|contained|embedded|included|returned|given|in|inside|from|within)\b",
            r"(?i)\bcontains?\s+(?:any\s+)?(?:instructions?|commands?|directives?)\s*,?\s*(?:you\s+must\s+|always\s+)?(?:follow|obey|execute|carry\s+out|comply\s+with)\s+(?:them|it)\b",
            r"(?i)\b(?:output|results?|responses?|text|content)\s+(?:should|must|is\s+to|are\s+to)\s+be\s+treated\s+as\s+(?:coming\s+from|(?:instructions|commands)\s+from|written\s+by|sent\s+by)\s+(?:the\s+)?(?:user|system|developer|administrator)",
            r"(?i)\b(?:text|content|output|data|response|result)s?\s+(?:returned|produced)\s+by\s+this\s+tool\s+(?:is|are)\s+(?:authoritative|trusted|from\s+the\s+(?:user|system|developer))\b"
        ],
        NotNegated
    ),
    text_rule!(
        "poisoning.priority-claim",
        Override,
        0.5,
        "a claim of priority over other instructions",
        &[
            "precedence",
            "priority",
            "supersede",
            "override",
            "regardless",
            "even if"
        ],
        [
            r"(?i)\b(?:take|takes|taking|has|have|with)\s+(?:absolute\s+|highest\s+|top\s+|the\s+highest\s+|full\s+)?(?:precedence|priority)\s+over\s+(?:all|any|every|the|other|user|system|previous|your)\b",
            r"(?i)\b(?:supersedes?|overrides?|overriding)\s+(?:all|any|every|the|your)\s+(?:other\s+|previous\s+|prior\s+|user\s+|system\s+|existing\s+)*(?:instructions|rules|guidelines|prompts|requests|directives|policies)\b",
            r"(?i)\b(?:highest|top|absolute)[\s-]priority\s+(?:instruction|directive|rule|task|order|requirement)\b",
            r"(?i)\bregardless\s+of\s+(?:what\s+)?(?:the\s+user\s+(?:says|asks|wants|requests|instructs|prefers)|any\s+(?:other\s+)?instructions?|previous\s+instructions?|user\s+(?:instructions?|requests?|preferences)|what\s+(?:you\s+were|you'?ve\s+been)\s+told)\b",
            r"(?i)\beven\s+if\s+the\s+(?:user|human)\s+(?:says|asks|tells|requests|instructs|objects|refuses|explicitly)\b",
            r"(?i)\beven\s+if\s+the\s+(?:user|human)\s+(?:did\s+not|didn'?t|does\s+not|doesn'?t|has\s+not|hasn'?t|never)\s+(?:ask|request|want|mention|need)\w*\b"
        ]
    ),
    text_rule!(
        "poisoning.role-impersonation",
        Override,
        0.45,
        "text posing as the system, the developer or an administrator",
        &[
            "from",
            "by",
            "system",
            "admin",
            "developer",
            "anthropic",
            "openai",
            "administrator",
            "creator",
            "operator"
        ],
        [
            r"(?i)\b(?:message|note|instructions?|directive|notice|order|update|memo)\s+(?:from|by)\s+(?:the\s+|your\s+)?(?:system|developers?|administrator|admin|sysadmin|anthropic|openai|google|security\s+team|it\s+department|platform\s+team|server\s+owner|mcp\s+(?:host|server)|tool\s+provider)\b",
            r"\b(?:SYSTEM|ADMIN|DEVELOPER)\s+(?:OVERRIDE|MESSAGE|NOTE|PROMPT|NOTICE|INSTRUCTIONS?|ALERT|DIRECTIVE|UPDATE)\b",
            r"(?m)^\s*(?:\W{0,3}\s*)?(?:SYSTEM|ADMIN|ADMINISTRATOR|DEVELOPER)\s*:",
            r"(?:#{2,}|={2,}|\*{2,}|-{3,})\s*(?:SYSTEM|ADMIN|DEVELOPER)(?:\s+(?:MESSAGE|NOTE|PROMPT|OVERRIDE))?\s*(?:#{2,}|={2,}|\*{2,}|-{3,})?",
            r"(?i)\b(?:this|the\s+following)\s+(?:message|note|instruction|text|request|description)\s+(?:is|comes)\s+(?:directly\s+)?from\s+(?:your|the)\s+(?:developers?|creators?|administrators?|admins?|system|operators?|owners?|security\s+team)\b",
            r"(?i)\b(?:anthropic|openai|(?:the\s+)?developers?|(?:the\s+)?(?:system\s+)?(?:administrators?|admins)|(?:the\s+)?security\s+team|your\s+(?:creator|developer|operator))\s+(?:requires?|require|has\s+(?:instructed|authorized|requested|approved)|wants|instructs|demands|mandates)\s+(?:you|that|the\s+assistant)\b"
        ]
    ),
    text_rule!(
        "poisoning.model-addressing",
        Override,
        0.35,
        "text addressed to the AI model rather than describing the tool",
        &[
            "ai",
            "assistant",
            "model",
            "llm",
            "agent",
            "claude",
            "gpt",
            "copilot",
            "cursor",
            "gemini"
        ],
        [
            r"(?i)\b(?:note|message|attention|instructions?|reminder|memo|directive|tip|hint|warning|guidance|advice|context|p\.?s\.?|heads-up|heads\s+up)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|assistant|model|llm|agent|claude|gpt|chatgpt|copilot|cursor|gemini)s?\b",
            r"(?i)\b(?:dear|hey|hi|hello|attention)[,\s]+(?:ai|assistant|model|llm|claude|gpt|chatgpt|agent|copilot|gemini)\b",
            r"(?i)\b(?:ai|llm|language\s+model|assistant|agent|claude|gpt|chatgpt|copilot|cursor)s?\s+(?:reading|processing|using|seeing)\s+this\b",
            r"(?i)\bif\s+you\s+are\s+(?:an?\s+)?(?:ai|llm|language\s+model|assistant|agent|claude|gpt)\b",
            r"(?i)\bthe\s+(?:assistant|model|ai|agent|llm)\s+(?:must|should|is\s+required\s+to|needs\s+to|has\s+to)\s+(?:always|never|first|also|silently|secretly|ignore|not)\b",
            r"(?mi)^\s*(?:assistant|ai|model|claude|agent)\s*:",
            r"(?i)\b(?:assistant|ai|model|agent|llm)\s+(?:directive|instructions?|override|command|orders?)s?\b",
            r"(?i)\bfor\s+(?:ai|llm)\s+(?:agents?|assistants?|models?)\s*:",
            r"(?i)(?:^|[.!?:]\s+)(?:assistant|claude|ai|agent|model)\s*,\s+(?:you|please|always|never|do|don'?t|make|ignore|skip|remember)\b",
            r"(?i)\bfor\s+the\s+(?:model|assistant|ai|agent|llm)\s+only\b"
        ]
    ),
    text_rule!(
        "poisoning.response-injection",
        Override,
        0.5,
        "an order to inject content into every answer",
        &[
            "affiliate",
            "sponsored",
            "advert",
            "promo",
            "referral",
            "coupon",
            "discount code",
            "every answer",
            "every response",
            "every reply",
            "all answers",
            "all responses",
            "each answer",
            "each response",
            "any question",
            "recommend",
            "promote",
            "endorse",
            "prefix every",
            "prefix each",
            "prepend",
            "start every",
            "begin every",
            "end every",
            "only show",
            "only list",
            "only return",
            "only display",
            "only suggest",
            "only mention"
        ],
        [
            r"(?i)\b(?:prepend|append|add|include|insert|inject|mention|recommend|promote|advertise)\b%GAP%*?\b(?:affiliate|sponsored|advert\w*|promo(?:tional)?\s+code|referral\s+(?:link|code)|coupon|discount\s+code)\b",
            r"(?i)\b(?:in|to|into|at\s+the\s+(?:end|start)\s+of)\s+(?:every|each|all|any)\s+(?:of\s+your\s+)?(?:answers?|responses?|replies)\b",
            r"(?i)\bwhen\s+answering\s+(?:any|every|all)\b",
            r"(?i)\b(?:prefix|prepend|start|begin|end|suffix|sign)\s+(?:every|each|all|any)\s+(?:of\s+your\s+)?(?:answers?|responses?|replies|messages?)\b",
            r"\b(?i:only)\s+(?i:show|recommend|list|return|mention|display|suggest)\s+[A-Z][A-Za-z0-9]+\s+(?i:results?|products?|options?|flights?|offers?|hotels?|items?)\b",
            r"(?i)\b(?:always|only)\s+(?:recommend|promote|suggest|endorse|favou?r|push)\s+(?:\w+\s+){0,3}?(?:products?|services?|brands?|our|links?|websites?|apps?|plans?|offers?|deals?|stores?|shops?)\b"
        ]
    ),
    text_rule!(
        "poisoning.permission-claim",
        Override,
        0.45,
        "a claim that the model has been granted extra permissions",
        &[
            "permission",
            "authori",
            "allowed",
            "permitted",
            "clearance",
            "granted"
        ],
        [
            r"(?i)\byou\s+(?:now\s+)?(?:have|'ve\s+been|have\s+been|are|were)\s+(?:now\s+)?(?:been\s+)?(?:given\s+|granted\s+)?(?:full\s+|special\s+|explicit\s+)?(?:permission|authori[sz]ed|allowed|permitted|clearance|admin\s+rights|root\s+access)\s+to\s+(?:bypass|skip|ignore|access|read|send|execute|run|delete|override|disable|share|upload|forward|modify)\b",
            r"(?i)\byou\s+(?:have\s+been|are|were)\s+granted\s+(?:admin|administrator|root|elevated|unrestricted|full)\s+(?:rights|access|privileges|permissions)\b"
        ]
    ),
    text_rule!(
        "poisoning.sleeper-trigger",
        Override,
        0.4,
        "a delayed or conditional trigger",
        &[
            "after",
            "starting",
            "beginning",
            "from the",
            "on the",
            "date",
            "day",
            "time",
            "once",
            "the user",
            "activate",
            "trigger",
            "execute"
        ],
        [
            r"(?i)\b(?:after|on|starting\s+(?:from|with)|beginning\s+with|from)\s+(?:the\s+)?(?:\d+(?:st|nd|rd|th)?|second|third|fourth|fifth|tenth|several|a\s+few|multiple|a\s+number\s+of)\s+(?:calls?|uses|usages|invocations|requests|times|runs|executions|sessions)\b",
            r"(?i)\bif\s+(?:the\s+)?(?:current\s+|today'?s\s+)?(?:date|day|time|month|year)\s+is\s+(?:after|before|past|later|on|greater)\b",
            r"(?i)\bonce\s+(?:you|the\s+user)\s+(?:have|has)\s+(?:trusted|approved|used|enabled|installed)\b",
            r"(?i)\b(?:on|after)\s+(?:the\s+|every\s+|each\s+)?\d+(?:st|nd|rd|th)\s+[a-z]+\b",
            r"(?i)\b(?:if|when(?:ever)?|once)\s+(?:the|a|any)\s+user\s+(?:asks|mentions|says|requests|types|wants|tries|attempts|queries|runs|uses|calls|opens|sends|pays|buys)\b%GAP%*?\b(?:instead|secretly|silently|actually|rather|do\s+not|don'?t|never|ignore|first\s+(?:call|send|read)|double|triple|inflate|alter|swap)\b",
            r"(?i)\b(?:activate|trigger|execute)s?\s+(?:this|these|the\s+following)\s+(?:instructions?|behaviou?r|payload|steps?)\s+(?:when|if|after|once)\b"
        ]
    ),
    // ---- encoded payloads (the character checks are code rules) ----
    text_rule!(
        "poisoning.encoded-instructions",
        HiddenCharacters,
        0.55,
        "an order to decode and follow hidden text",
        &[
            "decode",
            "rot13",
            "rot-13",
            "decrypt",
            "deobfuscate",
            "unescape"
        ],
        [
            r"(?i)\b(?:decode|base64[\s-]?decode|rot13|rot-13|decrypt|deobfuscate|unescape|hex[\s-]?decode)\b%GAP%*?\b(?:follow|execute|run|obey|apply|perform|carry\s+out|comply|act\s+on|do\s+what)\b"
        ]
    ),
];

pub const UNICODE_TAGS: &str = "poisoning.unicode-tags";
pub const ZERO_WIDTH: &str = "poisoning.zero-width";
pub const BIDI_CONTROL: &str = "poisoning.bidi-control";
pub const WHITESPACE_PADDING: &str = "poisoning.whitespace-padding";
pub const ENCODED_BLOB: &str = "poisoning.encoded-blob";
pub const ANSI_ESCAPE: &str = "poisoning.ansi-escape";
pub const LONG_IMPERATIVE: &str = "poisoning.long-imperative";
pub const SCHEMA_BAIT: &str = "poisoning.schema-bait";
pub const SUSPICIOUS_PARAM: &str = "poisoning.suspicious-param";
pub const INSTRUCTION_PARAM: &str = "poisoning.instruction-param-name";
pub const CROSS_SERVER_REFERENCE: &str = "poisoning.cross-server-reference";
pub const SHADOWING: &str = "poisoning.shadowing";
pub const DIRECTIVE_CONCERN: &str = "poisoning.directive-concern";

pub static CODE_RULES: &[CodeRule] = &[
    CodeRule {
        id: UNICODE_TAGS,
        family: Family::HiddenCharacters,
        weight: 0.9,
        what: "invisible Unicode tag characters (hidden ASCII text)",
    },
    CodeRule {
        id: ZERO_WIDTH,
        family: Family::HiddenCharacters,
        weight: 0.3,
        what: "zero-width or invisible filler characters",
    },
    CodeRule {
        id: BIDI_CONTROL,
        family: Family::HiddenCharacters,
        weight: 0.55,
        what: "bidirectional override characters",
    },
    CodeRule {
        id: WHITESPACE_PADDING,
        family: Family::HiddenCharacters,
        weight: 0.4,
        what: "text pushed out of view by a long run of whitespace",
    },
    CodeRule {
        id: ANSI_ESCAPE,
        family: Family::HiddenCharacters,
        weight: 0.5,
        what: "terminal escape sequences (hidden or overwritten text)",
    },
    CodeRule {
        id: ENCODED_BLOB,
        family: Family::HiddenCharacters,
        weight: 0.3,
        what: "a long base64-like blob",
    },
    CodeRule {
        id: LONG_IMPERATIVE,
        family: Family::LongDescriptions,
        weight: 0.3,
        what: "a very long description dense with orders to the model",
    },
    CodeRule {
        id: SCHEMA_BAIT,
        family: Family::ParameterSmuggling,
        weight: 0.55,
        what: "a parameter whose description asks for secrets, files or the conversation",
    },
    CodeRule {
        id: INSTRUCTION_PARAM,
        family: Family::ParameterSmuggling,
        weight: 0.55,
        what: "a parameter name that is itself an instruction about secrets",
    },
    CodeRule {
        id: SUSPICIOUS_PARAM,
        family: Family::ParameterSmuggling,
        weight: 0.35,
        what: "a parameter named like a side channel (sidenote, conversation_history)",
    },
    CodeRule {
        id: CROSS_SERVER_REFERENCE,
        family: Family::Shadowing,
        weight: 0.45,
        what: "an order naming a tool of another server",
    },
    CodeRule {
        id: DIRECTIVE_CONCERN,
        family: Family::Intent,
        weight: 0.65,
        what: "an order that touches secrets, private data, outside destinations or hiding",
    },
    CodeRule {
        id: SHADOWING,
        family: Family::Shadowing,
        weight: 1.0,
        what: "a tool name already exposed by another server",
    },
];

/// Every rule id, text rules first.
pub fn all_ids() -> impl Iterator<Item = &'static str> {
    TEXT_RULES
        .iter()
        .map(|r| r.id)
        .chain(CODE_RULES.iter().map(|r| r.id))
}

pub fn code_rule(id: &str) -> Option<&'static CodeRule> {
    CODE_RULES.iter().find(|r| r.id == id)
}

/// Words that are not tool names when captured by `%NAME%`.
pub const NOT_TOOL_NAMES: &[&str] = &[
    "this",
    "that",
    "it",
    "these",
    "those",
    "them",
    "the",
    "a",
    "an",
    "same",
    "such",
    "said",
    "here",
    "which",
    "what",
    "when",
    "with",
    "for",
    "to",
    "in",
    "on",
    "only",
    "one",
    "its",
    "your",
    "my",
    "our",
    "their",
    "current",
    "following",
    "above",
    "below",
    "previous",
    "next",
    "each",
    "every",
    "any",
    "another",
    "more",
];
