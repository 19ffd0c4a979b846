//! The rule table: every rule the detector evaluates, with its id, what it
//! finds, its severity and how it is matched.
//!
//! Three kinds of rules:
//! - `Pattern`: a token format with a literal (prefix or marker) that the
//!   Aho-Corasick prefilter finds; the rule's regex then runs only on a small
//!   window around that literal. Group 1, when present, is the secret.
//! - `Context`: a value that has no distinctive shape of its own (a UUID, 32
//!   hex digits) and is a secret only when assigned to a vendor keyword
//!   (`HEROKU_API_KEY=…`). The keyword is the literal; the regex is
//!   `keyword … separator value`.
//! - `Builtin`: families matched by code (private keys, JWTs, credentials in
//!   URIs, keyword assignments, HTTP authorization headers).

use warden_sdk::Severity::{self, Critical, High, Low, Medium};

/// Extra validation of a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    None,
    /// GitHub/npm style CRC32 base62 checksum in the last 6 characters (raises confidence only).
    Crc32Base62,
    /// Discord bot token: the first segment is a base64 user id (all digits).
    DiscordBot,
    /// Base64 blob that decodes to a PEM private key.
    B64PrivateKey,
    /// Base64 `user:password` (Docker `auth`, HTTP Basic).
    UserPass,
    /// A plain password (netrc): not a stock placeholder.
    Password,
}

/// Which neighbouring bytes end a token (a match touching one is rejected).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// Letters, digits, `_` and `-`.
    Dash,
    /// Letters, digits, `+`, `/` and `=` (base64 values).
    B64,
    /// No check (the pattern delimits itself).
    None,
}

/// Code-matched rule families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    PrivateKey,
    Jwt,
    Uri,
    Generic,
    Http,
}

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Pattern(&'static str),
    Context { kw: &'static str, value: &'static str },
    Builtin(Family),
}

#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Rule id without the `secrets.` prefix.
    pub id: &'static str,
    /// What the secret is, for messages ("GitHub personal access token").
    pub what: &'static str,
    pub severity: Severity,
    pub confidence: f32,
    pub kind: Kind,
    /// Literals that trigger the rule (case-sensitive unless `ci`).
    pub lits: &'static [&'static str],
    pub ci: bool,
    /// How far before the literal the match may start.
    pub back: u16,
    /// How far after the literal the match may end.
    pub ahead: u16,
    pub check: Check,
    /// When non-empty, one of these words (any case) must appear within 512 bytes.
    pub near: &'static [&'static str],
    pub edge: Edge,
    /// Minimum Shannon entropy of the secret (bits per byte).
    pub min_entropy: f32,
    /// A byte test at the literal, done before running the regex.
    pub quick: Quick,
    /// Overlap resolution: a hit of higher rank wins over an overlapping one.
    pub rank: u8,
}

/// A cheap test at the literal's position that saves a regex run on common literals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quick {
    None,
    /// The byte `n` positions after the literal's start equals this byte.
    ByteAt(u16, u8),
    /// The byte before the literal is a lowercase hex digit.
    HexBefore,
    /// The byte before the literal is a digit.
    DigitBefore,
    /// The literal starts a word: the byte before it is not a letter or digit.
    NotAlnumBefore,
}

const fn rule(
    id: &'static str,
    what: &'static str,
    severity: Severity,
    kind: Kind,
    lits: &'static [&'static str],
) -> Rule {
    Rule {
        id,
        what,
        severity,
        confidence: 0.9,
        kind,
        lits,
        ci: false,
        back: 0,
        ahead: 1024,
        check: Check::None,
        near: &[],
        edge: Edge::Dash,
        min_entropy: 2.5,
        quick: Quick::None,
        rank: match kind {
            Kind::Pattern(_) | Kind::Context { .. } | Kind::Builtin(Family::PrivateKey) => 3,
            Kind::Builtin(Family::Jwt | Family::Uri) => 2,
            Kind::Builtin(Family::Http) => 1,
            Kind::Builtin(Family::Generic) => 0,
        },
    }
}

/// A token format found by its literal.
const fn p(
    id: &'static str,
    what: &'static str,
    severity: Severity,
    lits: &'static [&'static str],
    re: &'static str,
) -> Rule {
    rule(id, what, severity, Kind::Pattern(re), lits)
}

/// A value that is a secret when assigned to a vendor keyword.
const fn c(
    id: &'static str,
    what: &'static str,
    severity: Severity,
    lits: &'static [&'static str],
    kw: &'static str,
    value: &'static str,
) -> Rule {
    Rule {
        ci: true,
        confidence: 0.8,
        ahead: 400,
        min_entropy: 3.0,
        ..rule(id, what, severity, Kind::Context { kw, value }, lits)
    }
}

/// A rule matched by code.
const fn b(id: &'static str, what: &'static str, severity: Severity, family: Family) -> Rule {
    rule(id, what, severity, Kind::Builtin(family), &[])
}

impl Rule {
    const fn back(self, back: u16) -> Rule {
        Rule { back, ..self }
    }
    const fn ahead(self, ahead: u16) -> Rule {
        Rule { ahead, ..self }
    }
    const fn check(self, check: Check) -> Rule {
        Rule { check, ..self }
    }
    const fn near(self, near: &'static [&'static str]) -> Rule {
        Rule { near, ..self }
    }
    const fn edge(self, edge: Edge) -> Rule {
        Rule { edge, ..self }
    }
    const fn conf(self, confidence: f32) -> Rule {
        Rule { confidence, ..self }
    }
    const fn ci(self) -> Rule {
        Rule { ci: true, ..self }
    }
    const fn entropy(self, min_entropy: f32) -> Rule {
        Rule { min_entropy, ..self }
    }
    const fn quick(self, quick: Quick) -> Rule {
        Rule { quick, ..self }
    }

    /// A pattern that finds a value by where it stands rather than by its
    /// format (a password in a `.netrc`): format rules win over it.
    const fn weak(self) -> Rule {
        Rule { rank: 2, ..self }
    }
}

/// A UUID value, as a capture group.
macro_rules! uuid {
    () => {
        r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    };
}

/// Every rule, in evaluation order. Ids are unique (checked by a test).
pub static RULES: &[Rule] = &[
    // ---------------------------------------------------------------- AWS
    p(
        "aws-access-key-id",
        "AWS access key id",
        High,
        &["AKIA", "A3T", "ABIA", "ACCA"],
        r"((?:AKIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})",
    ),
    p("aws-temporary-access-key-id", "AWS temporary (STS) access key id", High, &["ASIA"], r"(ASIA[A-Z0-9]{16})")
        .conf(0.85),
    p(
        "aws-secret-access-key-pair",
        "AWS access key id with its secret access key",
        Critical,
        &["AKIA", "ASIA"],
        r#"(?:AKIA|ASIA)[A-Z0-9]{16}["']?[ \t\r\n]*[,;:|\t ][ \t\r\n]*["']?([A-Za-z0-9/+]{40})"#,
    )
    .edge(Edge::B64)
    .entropy(3.5)
    .ahead(200),
    c(
        "aws-secret-access-key",
        "AWS secret access key",
        Critical,
        &[
            "aws_secret",
            "aws-secret",
            "awssecret",
            "aws.secret",
            "secret_access_key",
            "secret-access-key",
            "secretaccesskey",
        ],
        r"(?:aws[_\-.]?secret[_\-.]?(?:access[_\-.]?)?key|secret[_\-.]?access[_\-.]?key)",
        r"([A-Za-z0-9/+]{40})",
    )
    .edge(Edge::B64)
    .entropy(3.5)
    .conf(0.9),
    p(
        "aws-session-token",
        "AWS session token",
        High,
        &["IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdzE", "FQoGZXIvYXdzE"],
        r"((?:IQoJb3JpZ2luX2Vj|F[wQ]oGZXIvYXdzE)[A-Za-z0-9/+=]{80,})",
    )
    .edge(Edge::B64),
    c(
        "aws-session-token-assignment",
        "AWS session token",
        High,
        &[
            "aws_session",
            "aws-session",
            "awssession",
            "aws_security",
            "x-amz-security-token",
            "sessiontoken",
            "session_token",
        ],
        r"(?:aws[_\-.]?session[_\-.]?token|aws[_\-.]?security[_\-.]?token|x-amz-security-token|session[_\-.]?token)",
        r"([A-Za-z0-9/+=]{100,})",
    )
    .edge(Edge::B64)
    .entropy(4.0)
    .ahead(4096),
    p(
        "aws-mws-key",
        "Amazon MWS auth token",
        High,
        &["amzn.mws."],
        r"(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    ),
    p(
        "aws-bedrock-api-key",
        "Amazon Bedrock API key",
        High,
        &["ABSKQmVkcm9ja0FQSUtleS"],
        r"(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/=]{40,})",
    )
    .edge(Edge::B64),
    p(
        "aws-bedrock-short-term-key",
        "Amazon Bedrock short-term API key",
        High,
        &["bedrock-api-key-"],
        r"(bedrock-api-key-[A-Za-z0-9+/=]{100,})",
    )
    .edge(Edge::B64),
    // ---------------------------------------------------------------- Google
    p("gcp-api-key", "Google API key", High, &["AIza"], r"(AIza[0-9A-Za-z_\-]{33,37})"),
    p("gcp-oauth-client-secret", "Google OAuth client secret", High, &["GOCSPX-"], r"(GOCSPX-[A-Za-z0-9_\-]{24,32})"),
    c(
        "google-oauth-client-secret-legacy",
        "Google OAuth client secret",
        High,
        &["google"],
        r"google[A-Za-z0-9_.\-]{0,20}?client[_\-.]?secret",
        r"([A-Za-z0-9_\-]{24})",
    )
    .entropy(3.5),
    p("google-oauth-refresh-token", "Google OAuth refresh token", High, &["1//0"], r"(1//0[A-Za-z0-9_\-]{40,})")
        .entropy(3.5),
    p("google-oauth-access-token", "Google OAuth access token", High, &["ya29."], r"(ya29\.[0-9A-Za-z_\-]{30,})")
        .entropy(3.5),
    p(
        "firebase-cloud-messaging-key",
        "Firebase Cloud Messaging server key",
        High,
        &[":APA91b"],
        r"(AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134})",
    )
    .back(12),
    b("gcp-service-account-key", "Google Cloud service account private key", Critical, Family::PrivateKey),
    // ---------------------------------------------------------------- Azure
    p(
        "azure-storage-account-key",
        "Azure storage/Cosmos DB account key",
        Critical,
        &["accountkey"],
        r#"(?i:accountkey)["']?[ \t\r\n]*[=:][ \t\r\n]*["']?([A-Za-z0-9+/]{86}==)"#,
    )
    .ci()
    .edge(Edge::B64),
    p(
        "azure-sas-token",
        "Azure shared access signature",
        High,
        &["sig="],
        r"sig=([A-Za-z0-9%+/]{30,}(?:%3[Dd]|=){0,2})",
    )
    .near(&["sv=20", "se=20", "sp=", "srt="])
    .ahead(200),
    p(
        "azure-ad-client-secret",
        "Azure AD (Entra ID) client secret",
        High,
        &["0Q~", "1Q~", "2Q~", "3Q~", "4Q~", "5Q~", "6Q~", "7Q~", "8Q~", "9Q~"],
        r"([a-zA-Z0-9_~.\-]{3}[0-9]Q~[a-zA-Z0-9_~.\-]{31,34})",
    )
    .back(4),
    c(
        "azure-client-secret-assignment",
        "Azure AD (Entra ID) client secret",
        High,
        &["azure_client", "azure-client", "azureclient", "arm_client", "arm-client", "aad_client", "entra_client"],
        r"(?:azure|arm|aad|entra)[_\-.]?client[_\-.]?secret",
        r"([A-Za-z0-9_~.\-]{30,44})",
    )
    .entropy(3.5),
    p(
        "azure-service-bus-key",
        "Azure Service Bus / Event Hubs / IoT Hub shared access key",
        High,
        &["SharedAccessKey="],
        r"SharedAccessKey=([A-Za-z0-9+/]{43}=)",
    )
    .edge(Edge::B64),
    p(
        "azure-function-key",
        "Azure Functions key in a URL",
        High,
        &["azurewebsites.net"],
        r#"azurewebsites\.net/[^ \t\r\n"'<>?#]*\?(?:[^ \t\r\n"'<>#]*&)?code=([A-Za-z0-9_\-]{30,}={0,2})"#,
    ),
    c(
        "azure-function-key-header",
        "Azure Functions key",
        High,
        &["x-functions-key"],
        r"x-functions-key",
        r"([A-Za-z0-9_\-]{40,}={0,2})",
    ),
    p(
        "azure-app-configuration-key",
        "Azure App Configuration secret",
        High,
        &["azconfig.io"],
        r"azconfig\.io;Id=[^; \t\r\n]+;Secret=([A-Za-z0-9+/]{43}=)",
    )
    .edge(Edge::B64),
    c(
        "azure-apim-subscription-key",
        "Azure API Management subscription key",
        High,
        &["ocp-apim-subscription-key"],
        r"ocp-apim-subscription-key",
        r"([0-9a-f]{32})",
    ),
    c(
        "azure-openai-api-key",
        "Azure OpenAI API key",
        High,
        &["azure_openai", "azure-openai", "azureopenai"],
        r"azure[_\-.]?openai[A-Za-z0-9_.\-]{0,20}?key",
        r"([0-9a-f]{32}|[A-Za-z0-9]{84})",
    ),
    c(
        "azure-devops-pat",
        "Azure DevOps personal access token",
        High,
        &["azure_devops", "azure-devops", "azuredevops", "ado_pat", "ado-pat", "ado_token", "azdo", "vsts"],
        r"(?:azure[_\-.]?devops|ado|azdo|vsts)[A-Za-z0-9_.\-]{0,20}?(?:pat|token)",
        r"([a-z2-7]{52}|[A-Za-z0-9]{84})",
    ),
    // ---------------------------------------------------------------- GitHub
    p("github-pat", "GitHub personal access token", High, &["ghp_"], r"(ghp_[A-Za-z0-9]{30,40})")
        .check(Check::Crc32Base62)
        .conf(0.85),
    p("github-oauth-token", "GitHub OAuth access token", High, &["gho_"], r"(gho_[A-Za-z0-9]{30,40})")
        .check(Check::Crc32Base62)
        .conf(0.85),
    p("github-user-token", "GitHub user-to-server token", High, &["ghu_"], r"(ghu_[A-Za-z0-9]{30,40})")
        .check(Check::Crc32Base62)
        .conf(0.85),
    p(
        "github-app-token",
        "GitHub app installation (server-to-server) token",
        High,
        &["ghs_"],
        r"(ghs_[A-Za-z0-9]{30,40})",
    )
    .check(Check::Crc32Base62)
    .conf(0.85),
    p("github-refresh-token", "GitHub refresh token", High, &["ghr_"], r"(ghr_[A-Za-z0-9]{30,80})")
        .check(Check::Crc32Base62)
        .conf(0.85),
    p(
        "github-fine-grained-pat",
        "GitHub fine-grained personal access token",
        High,
        &["github_pat_"],
        r"(github_pat_[A-Za-z0-9]{18,26}_[A-Za-z0-9]{50,66})",
    )
    .conf(0.95),
    c(
        "github-oauth-client-secret",
        "GitHub OAuth app client secret",
        High,
        &["github"],
        r"github[A-Za-z0-9_.\-]{0,20}?client[_\-.]?secret",
        r"([0-9a-f]{40})",
    ),
    // ---------------------------------------------------------------- GitLab
    p(
        "gitlab-pat",
        "GitLab personal access token",
        High,
        &["glpat-"],
        r"(glpat-[A-Za-z0-9_\-]{20,}(?:\.[A-Za-z0-9_\-]{2,}){0,2})",
    ),
    p("gitlab-deploy-token", "GitLab deploy token", High, &["gldt-"], r"(gldt-[A-Za-z0-9_\-]{20,})"),
    p(
        "gitlab-runner-token",
        "GitLab runner authentication token",
        High,
        &["glrt-"],
        r"(glrt-[A-Za-z0-9_\-]{20,}(?:\.[A-Za-z0-9_\-]{2,}){0,2})",
    ),
    p("gitlab-ci-job-token", "GitLab CI/CD job token", High, &["glcbt-"], r"(glcbt-[A-Za-z0-9_\-]{20,})"),
    p(
        "gitlab-pipeline-trigger-token",
        "GitLab pipeline trigger token",
        High,
        &["glptt-"],
        r"(glptt-[A-Za-z0-9_\-]{20,})",
    ),
    p("gitlab-feed-token", "GitLab feed token", Medium, &["glft-"], r"(glft-[A-Za-z0-9_\-]{20,})"),
    p("gitlab-incoming-mail-token", "GitLab incoming mail token", Medium, &["glimt-"], r"(glimt-[A-Za-z0-9_\-]{20,})"),
    p("gitlab-agent-token", "GitLab Kubernetes agent token", High, &["glagent-"], r"(glagent-[A-Za-z0-9_\-]{40,})"),
    p("gitlab-scim-token", "GitLab SCIM OAuth token", High, &["glsoat-"], r"(glsoat-[A-Za-z0-9_\-]{20,})"),
    p("gitlab-oauth-app-secret", "GitLab OAuth application secret", High, &["gloas-"], r"(gloas-[A-Za-z0-9_\-]{40,})"),
    p(
        "gitlab-feature-flag-token",
        "GitLab feature flags client token",
        Medium,
        &["glffct-"],
        r"(glffct-[A-Za-z0-9_\-]{20,})",
    ),
    p(
        "gitlab-runner-registration-token",
        "GitLab runner registration token",
        High,
        &["GR1348941"],
        r"(GR1348941[A-Za-z0-9_\-]{20,})",
    ),
    // ---------------------------------------------------------------- Slack
    p(
        "slack-bot-token",
        "Slack bot token",
        High,
        &["xoxb-"],
        r"(xoxb-[0-9]{3,14}-(?:[0-9]{3,14}-)?[A-Za-z0-9]{16,40})",
    ),
    p(
        "slack-user-token",
        "Slack user token",
        High,
        &["xoxp-"],
        r"(xoxp-[0-9]{3,14}-[0-9]{3,14}-(?:[0-9]{3,14}-)?[A-Za-z0-9]{16,40})",
    ),
    p(
        "slack-app-token",
        "Slack app-level token",
        High,
        &["xapp-"],
        r"(xapp-[0-9]-[A-Z0-9]{8,14}-[0-9]{8,16}-[A-Za-z0-9]{32,80})",
    ),
    p(
        "slack-workspace-token",
        "Slack workspace access token",
        High,
        &["xoxa-"],
        r"(xoxa-(?:[0-9]-)?[0-9A-Za-z\-]{20,})",
    ),
    p("slack-refresh-token", "Slack refresh token", High, &["xoxr-"], r"(xoxr-[0-9A-Za-z\-]{20,})"),
    p(
        "slack-legacy-token",
        "Slack legacy token",
        High,
        &["xoxs-", "xoxo-"],
        r"(xox[os]-[0-9]{6,}-[0-9]{6,}-[0-9]{6,}-[A-Za-z0-9]{20,})",
    ),
    p(
        "slack-config-access-token",
        "Slack configuration access token",
        High,
        &["xoxe.xox"],
        r"(xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{100,})",
    ),
    p(
        "slack-config-refresh-token",
        "Slack configuration refresh token",
        High,
        &["xoxe-"],
        r"(xoxe-[0-9]-[A-Za-z0-9]{100,})",
    ),
    p(
        "slack-webhook-url",
        "Slack incoming webhook URL",
        High,
        &["hooks.slack.com/"],
        r"hooks\.slack\.com/(services/T[A-Z0-9]{6,14}/B[A-Z0-9]{6,14}/[A-Za-z0-9]{20,34}|(?:workflows|triggers)/T[A-Z0-9]{6,14}/A[A-Z0-9]{6,14}/[0-9]+/[A-Za-z0-9]{20,34})",
    ),
    c(
        "slack-signing-secret",
        "Slack signing secret",
        High,
        &["slack"],
        r"slack[A-Za-z0-9_.\-]{0,20}?(?:signing[_\-.]?)?secret",
        r"([a-f0-9]{32})",
    ),
    // ---------------------------------------------------------------- Stripe
    p("stripe-secret-key", "Stripe live secret key", Critical, &["sk_live_"], r"(sk_live_[0-9a-zA-Z]{24,247})"),
    p("stripe-test-secret-key", "Stripe test-mode secret key", Low, &["sk_test_"], r"(sk_test_[0-9a-zA-Z]{24,247})")
        .conf(0.7),
    p("stripe-restricted-key", "Stripe live restricted key", High, &["rk_live_"], r"(rk_live_[0-9a-zA-Z]{24,247})"),
    p(
        "stripe-test-restricted-key",
        "Stripe test-mode restricted key",
        Low,
        &["rk_test_"],
        r"(rk_test_[0-9a-zA-Z]{24,247})",
    )
    .conf(0.7),
    p("stripe-publishable-key", "Stripe live publishable key", Low, &["pk_live_"], r"(pk_live_[0-9a-zA-Z]{24,247})")
        .conf(0.6),
    p("stripe-webhook-secret", "Stripe webhook signing secret", High, &["whsec_"], r"(whsec_[A-Za-z0-9+/=]{24,})")
        .edge(Edge::B64),
    // ---------------------------------------------------------------- OpenAI and other AI providers
    p("openai-project-key", "OpenAI project API key", High, &["sk-proj-"], r"(sk-proj-[A-Za-z0-9_\-]{40,})").conf(0.95),
    p(
        "openai-service-account-key",
        "OpenAI service account key",
        High,
        &["sk-svcacct-"],
        r"(sk-svcacct-[A-Za-z0-9_\-]{40,})",
    )
    .conf(0.95),
    p("openai-admin-key", "OpenAI admin key", Critical, &["sk-admin-"], r"(sk-admin-[A-Za-z0-9_\-]{40,})").conf(0.95),
    p("openai-user-key", "OpenAI user API key", High, &["sk-None-"], r"(sk-None-[A-Za-z0-9_\-]{40,})").conf(0.95),
    p("sk-api-key", "OpenAI-style secret API key (sk-…)", High, &["sk-"], r"(sk-[A-Za-z0-9]{32,100})")
        .quick(Quick::NotAlnumBefore)
        .entropy(3.5)
        .conf(0.7),
    p("openai-api-key", "OpenAI API key", High, &["T3BlbkFJ"], r"(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})")
        .back(24)
        .conf(0.95),
    p("anthropic-api-key", "Anthropic API key", High, &["sk-ant-api"], r"(sk-ant-api[0-9]{2}-[A-Za-z0-9_\-]{80,120})")
        .conf(0.95),
    p(
        "anthropic-admin-key",
        "Anthropic admin key",
        Critical,
        &["sk-ant-admin"],
        r"(sk-ant-admin[0-9]{2}-[A-Za-z0-9_\-]{80,120})",
    )
    .conf(0.95),
    p(
        "anthropic-oauth-token",
        "Anthropic OAuth token",
        High,
        &["sk-ant-oat", "sk-ant-ort"],
        r"(sk-ant-o[ar]t[0-9]{2}-[A-Za-z0-9_\-]{80,120})",
    ),
    p(
        "anthropic-session-key",
        "Anthropic session key",
        High,
        &["sk-ant-sid"],
        r"(sk-ant-sid[0-9]{2}-[A-Za-z0-9_\-]{80,120})",
    ),
    p("huggingface-token", "Hugging Face access token", High, &["hf_"], r"(hf_[A-Za-z0-9]{30,40})").entropy(3.5),
    p("huggingface-org-token", "Hugging Face organization token", High, &["api_org_"], r"(api_org_[A-Za-z0-9]{34})")
        .entropy(3.5),
    p("groq-api-key", "Groq API key", High, &["gsk_"], r"(gsk_[A-Za-z0-9]{40,60})"),
    p("replicate-api-token", "Replicate API token", High, &["r8_"], r"(r8_[A-Za-z0-9]{30,45})").entropy(3.5),
    p("perplexity-api-key", "Perplexity API key", High, &["pplx-"], r"(pplx-[A-Za-z0-9]{40,56})"),
    p("xai-api-key", "xAI API key", High, &["xai-"], r"(xai-[A-Za-z0-9]{60,100})"),
    p("openrouter-api-key", "OpenRouter API key", High, &["sk-or-v1-"], r"(sk-or-v1-[a-f0-9]{64})"),
    p(
        "langsmith-api-key",
        "LangSmith API key",
        High,
        &["lsv2_pt_", "lsv2_sk_"],
        r"(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})",
    ),
    p(
        "langfuse-secret-key",
        "Langfuse secret key",
        High,
        &["sk-lf-"],
        r"(sk-lf-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    ),
    p("pinecone-api-key", "Pinecone API key", High, &["pcsk_"], r"(pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80})"),
    p("tavily-api-key", "Tavily API key", High, &["tvly-"], r"(tvly-(?:dev-|prod-)?[A-Za-z0-9]{32})"),
    p("cerebras-api-key", "Cerebras API key", High, &["csk-"], r"(csk-[a-z0-9]{48})"),
    p("firecrawl-api-key", "Firecrawl API key", High, &["fc-"], r"(fc-[a-f0-9]{32})"),
    p("together-api-key", "Together AI API key", High, &["tgp_v1_"], r"(tgp_v1_[A-Za-z0-9_\-]{40,})"),
    p("fireworks-api-key", "Fireworks AI API key", High, &["fw_"], r"(fw_[A-Za-z0-9]{24})").entropy(3.5).conf(0.75),
    c(
        "mistral-api-key",
        "Mistral API key",
        High,
        &["mistral"],
        r"mistral[A-Za-z0-9_.\-]{0,20}?key",
        r"([A-Za-z0-9]{32})",
    )
    .entropy(3.5),
    c(
        "cohere-api-key",
        "Cohere API key",
        High,
        &["cohere", "co_api", "co-api"],
        r"(?:cohere[A-Za-z0-9_.\-]{0,20}?|co[_\-.]?api[_\-.]?)key",
        r"([A-Za-z0-9]{40})",
    )
    .entropy(3.5),
    c(
        "deepseek-api-key",
        "DeepSeek API key",
        High,
        &["deepseek"],
        r"deepseek[A-Za-z0-9_.\-]{0,20}?key",
        r"(sk-[a-f0-9]{32})",
    ),
    c(
        "elevenlabs-api-key",
        "ElevenLabs API key",
        High,
        &["elevenlabs", "eleven_labs", "eleven-labs", "xi-api-key", "xi_api_key"],
        r"(?:elevenlabs[A-Za-z0-9_.\-]{0,20}?|eleven[_\-.]labs[A-Za-z0-9_.\-]{0,20}?|xi[_\-.])(?:api[_\-.]?)?key",
        r"(sk_[a-f0-9]{48}|[a-f0-9]{32})",
    ),
    c(
        "wandb-api-key",
        "Weights & Biases API key",
        High,
        &["wandb"],
        r"wandb[A-Za-z0-9_.\-]{0,20}?key",
        r"([a-f0-9]{40})",
    ),
    // ---------------------------------------------------------------- Messaging and e-mail
    p("twilio-api-key", "Twilio API key SID", Medium, &["twilio"], r"(SK[0-9a-f]{32})")
        .ci()
        .back(400)
        .ahead(400)
        .conf(0.6)
        .entropy(3.0),
    c(
        "twilio-auth-token",
        "Twilio auth token",
        High,
        &["twilio"],
        r"twilio[A-Za-z0-9_.\-]{0,20}?(?:auth[_\-.]?)?(?:token|secret)",
        r"([0-9a-f]{32})",
    ),
    p(
        "twilio-credentials",
        "Twilio account SID with its auth token",
        High,
        &["twilio"],
        r"AC[0-9a-f]{32}:([0-9a-f]{32})",
    )
    .ci()
    .back(400)
    .ahead(400),
    p("sendgrid-api-key", "SendGrid API key", High, &["SG."], r"(SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{30,50})"),
    p("mailgun-api-key", "Mailgun API key", High, &["key-"], r"(key-[0-9a-f]{32})").near(&["mailgun"]),
    c(
        "mailgun-private-key",
        "Mailgun private API key",
        High,
        &["mailgun"],
        r"mailgun[A-Za-z0-9_.\-]{0,20}?(?:key|secret|token)",
        r"([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})",
    ),
    c(
        "mailgun-webhook-signing-key",
        "Mailgun webhook signing key",
        Medium,
        &["mailgun"],
        r"mailgun[A-Za-z0-9_.\-]{0,20}?(?:signing|webhook)[A-Za-z0-9_.\-]{0,15}?key",
        r"([0-9a-f]{32})",
    ),
    p("mailchimp-api-key", "Mailchimp API key", High, &["-us"], r"([0-9a-f]{32}-us[0-9]{1,2})")
        .back(33)
        .quick(Quick::HexBefore),
    c(
        "mandrill-api-key",
        "Mandrill API key",
        High,
        &["mandrill"],
        r"mandrill[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"([A-Za-z0-9_\-]{22})",
    )
    .entropy(3.5),
    p(
        "brevo-api-key",
        "Brevo (Sendinblue) API key",
        High,
        &["xkeysib-", "xsmtpsib-"],
        r"((?:xkeysib|xsmtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})",
    ),
    p(
        "discord-bot-token",
        "Discord bot token",
        High,
        &["discord", "bot "],
        r"([MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40})",
    )
    .ci()
    .back(200)
    .ahead(400)
    .check(Check::DiscordBot),
    p(
        "discord-webhook-url",
        "Discord webhook URL",
        High,
        &["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"],
        r"discord(?:app)?\.com/api/webhooks/([0-9]{15,20}/[A-Za-z0-9_\-]{60,68})",
    ),
    c(
        "discord-client-secret",
        "Discord client secret",
        High,
        &["discord"],
        r"discord[A-Za-z0-9_.\-]{0,20}?secret",
        r"([A-Za-z0-9_\-]{32})",
    )
    .entropy(3.5),
    p("telegram-bot-token", "Telegram bot token", High, &[":AA"], r"(?:bot)?([0-9]{8,10}:AA[A-Za-z0-9_\-]{30,36})")
        .back(16)
        .quick(Quick::DigitBefore),
    p(
        "microsoft-teams-webhook-url",
        "Microsoft Teams incoming webhook URL",
        High,
        &["webhook.office.com/webhookb2/"],
        r"webhook\.office\.com/webhookb2/([A-Za-z0-9@\-]+/IncomingWebhook/[A-Za-z0-9]{32}/[A-Za-z0-9\-]{36}(?:/[A-Za-z0-9_\-]+)?)",
    ),
    p(
        "zapier-webhook-url",
        "Zapier catch hook URL",
        Medium,
        &["hooks.zapier.com/hooks/catch/"],
        r"hooks\.zapier\.com/hooks/catch/([0-9]+/[A-Za-z0-9]{4,})",
    )
    .entropy(2.0),
    // ---------------------------------------------------------------- Package registries and developer platforms
    p("npm-access-token", "npm access token", High, &["npm_"], r"(npm_[A-Za-z0-9]{30,40})")
        .check(Check::Crc32Base62)
        .conf(0.85),
    p(
        "npm-registry-auth-token",
        "npm registry auth token (.npmrc)",
        High,
        &["_authToken="],
        r"_authToken=([A-Za-z0-9_\-]{36,})",
    ),
    p(
        "pypi-upload-token",
        "PyPI upload token",
        High,
        &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
        r"(pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})",
    ),
    p("rubygems-api-key", "RubyGems API key", High, &["rubygems_"], r"(rubygems_[a-f0-9]{44,52})"),
    p("nuget-api-key", "NuGet API key", High, &["oy2"], r"(oy2[a-z0-9]{43})").entropy(3.5).conf(0.75),
    p("dockerhub-pat", "Docker Hub personal access token", High, &["dckr_pat_"], r"(dckr_pat_[A-Za-z0-9_\-]{27,})"),
    p(
        "dockerhub-org-token",
        "Docker Hub organization access token",
        High,
        &["dckr_oat_"],
        r"(dckr_oat_[A-Za-z0-9_\-]{32,})",
    ),
    p(
        "docker-config-auth",
        "Docker registry credentials (config.json auth)",
        High,
        &["\"auth\""],
        r#""auth"[ \t\r\n]*:[ \t\r\n]*"([A-Za-z0-9+/]{8,}={0,2})""#,
    )
    .check(Check::UserPass)
    .edge(Edge::None)
    .weak(),
    p("heroku-api-key-v2", "Heroku API key", High, &["HRKU-"], r"(HRKU-[A-Za-z0-9_\-]{50,70})"),
    c(
        "heroku-api-key",
        "Heroku API key",
        High,
        &["heroku"],
        r"heroku[A-Za-z0-9_.\-]{0,20}?(?:key|token|secret|auth)",
        uuid!(),
    ),
    p("digitalocean-pat", "DigitalOcean personal access token", High, &["dop_v1_"], r"(dop_v1_[a-f0-9]{56,72})"),
    p("digitalocean-oauth-token", "DigitalOcean OAuth token", High, &["doo_v1_"], r"(doo_v1_[a-f0-9]{56,72})"),
    p("digitalocean-refresh-token", "DigitalOcean refresh token", High, &["dor_v1_"], r"(dor_v1_[a-f0-9]{56,72})"),
    p("shopify-access-token", "Shopify access token", High, &["shpat_"], r"(shpat_[a-fA-F0-9]{28,36})"),
    p("shopify-shared-secret", "Shopify shared secret", High, &["shpss_"], r"(shpss_[a-fA-F0-9]{28,36})"),
    p("shopify-custom-app-token", "Shopify custom app access token", High, &["shpca_"], r"(shpca_[a-fA-F0-9]{28,36})"),
    p(
        "shopify-private-app-token",
        "Shopify private app access token",
        High,
        &["shppa_"],
        r"(shppa_[a-fA-F0-9]{28,36})",
    ),
    c(
        "datadog-api-key",
        "Datadog API key",
        High,
        &["datadog", "dd_api", "dd-api", "ddapi", "dd.api"],
        r"(?:datadog[A-Za-z0-9_.\-]{0,20}?|dd[_\-.]?)api[_\-.]?key",
        r"([a-f0-9]{32})",
    ),
    c(
        "datadog-app-key",
        "Datadog application key",
        High,
        &["datadog", "dd_app", "dd-app", "ddapp", "dd.app"],
        r"(?:datadog[A-Za-z0-9_.\-]{0,20}?|dd[_\-.]?)app(?:lication)?[_\-.]?key",
        r"([a-f0-9]{40})",
    ),
    p("atlassian-api-token", "Atlassian API token", High, &["ATATT3"], r"(ATATT3[A-Za-z0-9_\-=]{150,})"),
    p(
        "atlassian-admin-api-key",
        "Atlassian organization admin API key",
        Critical,
        &["ATCTT3"],
        r"(ATCTT3[A-Za-z0-9_\-=]{150,})",
    ),
    c(
        "atlassian-api-token-legacy",
        "Atlassian (Jira/Confluence) API token",
        High,
        &["atlassian", "jira", "confluence"],
        r"(?:atlassian|jira|confluence)[A-Za-z0-9_.\-]{0,20}?(?:token|key|secret)",
        r"([A-Za-z0-9]{24})",
    )
    .entropy(3.5),
    p("bitbucket-app-password", "Bitbucket app password", High, &["ATBB"], r"(ATBB[A-Za-z0-9_=.\-]{32,})"),
    p("cloudflare-origin-ca-key", "Cloudflare Origin CA key", High, &["v1.0-"], r"(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})"),
    c(
        "cloudflare-api-token",
        "Cloudflare API token",
        High,
        &["cloudflare", "cf_api", "cf-api", "cf_token", "cf-token", "cfapi"],
        r"(?:cloudflare|cf)[A-Za-z0-9_.\-]{0,20}?token",
        r"([A-Za-z0-9_\-]{40})",
    )
    .entropy(3.5),
    c(
        "cloudflare-global-api-key",
        "Cloudflare global API key",
        Critical,
        &["cloudflare", "cf_api", "cf-api", "cf_global", "x-auth-key", "cfapi"],
        r"(?:cloudflare[A-Za-z0-9_.\-]{0,20}?key|cf[_\-.]?(?:global[_\-.]?)?api[_\-.]?key|x-auth-key)",
        r"([a-f0-9]{37})",
    ),
    p("databricks-token", "Databricks access token", High, &["dapi"], r"(dapi[a-f0-9]{28,36}(?:-[0-9])?)"),
    p("doppler-personal-token", "Doppler personal token", High, &["dp.pt."], r"(dp\.pt\.[A-Za-z0-9]{40,44})"),
    p(
        "doppler-service-token",
        "Doppler service token",
        High,
        &["dp.st."],
        r"(dp\.st\.(?:[a-z0-9_\-]{2,35}\.)?[A-Za-z0-9]{40,44})",
    ),
    p("doppler-cli-token", "Doppler CLI token", High, &["dp.ct."], r"(dp\.ct\.[A-Za-z0-9]{40,44})"),
    p(
        "doppler-service-account-token",
        "Doppler service account token",
        High,
        &["dp.sa."],
        r"(dp\.sa\.[A-Za-z0-9]{40,44})",
    ),
    p("doppler-scim-token", "Doppler SCIM token", High, &["dp.scim."], r"(dp\.scim\.[A-Za-z0-9]{40,44})"),
    p("doppler-audit-token", "Doppler audit token", High, &["dp.audit."], r"(dp\.audit\.[A-Za-z0-9]{40,44})"),
    p(
        "dropbox-access-token",
        "Dropbox short-lived access token",
        High,
        &["sl."],
        r"(sl\.(?:u\.)?[A-Za-z0-9_\-=]{130,})",
    )
    .entropy(3.5),
    c(
        "dropbox-long-lived-token",
        "Dropbox long-lived access token",
        High,
        &["dropbox"],
        r"dropbox[A-Za-z0-9_.\-]{0,20}?(?:key|token|secret)",
        r"([a-z0-9]{11}AAAAAAAAAA[a-z0-9_=\-]{43})",
    ),
    p("figma-pat", "Figma personal access token", High, &["figd_"], r"(figd_[A-Za-z0-9_\-]{36,44})"),
    p("grafana-cloud-token", "Grafana Cloud access token", High, &["glc_"], r"(glc_[A-Za-z0-9+/]{32,400}={0,2})")
        .edge(Edge::B64),
    p(
        "grafana-service-account-token",
        "Grafana service account token",
        High,
        &["glsa_"],
        r"(glsa_[A-Za-z0-9]{28,36}_[A-Fa-f0-9]{8})",
    ),
    p("grafana-api-key", "Grafana API key", High, &["eyJrIjoi"], r"(eyJrIjoi[A-Za-z0-9]{60,400}={0,2})")
        .edge(Edge::B64),
    p("vault-service-token", "HashiCorp Vault service token", High, &["hvs."], r"(hvs\.[A-Za-z0-9_\-]{24,})")
        .entropy(3.5),
    p("vault-batch-token", "HashiCorp Vault batch token", High, &["hvb."], r"(hvb\.[A-Za-z0-9_\-]{24,})").entropy(3.5),
    p("vault-recovery-token", "HashiCorp Vault recovery token", High, &["hvr."], r"(hvr\.[A-Za-z0-9_\-]{24,})")
        .entropy(3.5),
    c(
        "vault-legacy-token",
        "HashiCorp Vault token",
        High,
        &["vault"],
        r"vault[A-Za-z0-9_.\-]{0,20}?token",
        r"(s\.[A-Za-z0-9]{24})",
    ),
    p(
        "terraform-cloud-token",
        "Terraform Cloud / HCP Terraform API token",
        High,
        &[".atlasv1."],
        r"([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{60,70})",
    )
    .back(14),
    p("linear-api-key", "Linear API key", High, &["lin_api_"], r"(lin_api_[A-Za-z0-9]{36,44})"),
    p("linear-oauth-token", "Linear OAuth token", High, &["lin_oauth_"], r"(lin_oauth_[a-f0-9]{64})"),
    p("newrelic-user-key", "New Relic user API key", High, &["NRAK-"], r"(NRAK-[A-Z0-9]{24,30})"),
    p("newrelic-insert-key", "New Relic insert key", High, &["NRII-"], r"(NRII-[A-Za-z0-9_\-]{32})"),
    p("newrelic-browser-key", "New Relic browser key", Low, &["NRJS-"], r"(NRJS-[a-f0-9]{19})").conf(0.6),
    p("newrelic-license-key", "New Relic license key", High, &["NRAL"], r"([a-f0-9]{36}NRAL)")
        .back(36)
        .quick(Quick::HexBefore),
    p("notion-integration-token", "Notion integration token", High, &["secret_"], r"(secret_[A-Za-z0-9]{43})")
        .entropy(3.5),
    p("notion-api-token", "Notion API token", High, &["ntn_"], r"(ntn_[0-9]{11}[A-Za-z0-9]{35})"),
    p("okta-api-token", "Okta API token", High, &["SSWS "], r"SSWS[ \t\r\n]+(00[A-Za-z0-9_\-]{40})"),
    c(
        "okta-api-token-assignment",
        "Okta API token",
        High,
        &["okta"],
        r"okta[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"(00[A-Za-z0-9_\-]{40})",
    ),
    c(
        "pagerduty-api-key",
        "PagerDuty API key",
        High,
        &["pagerduty", "pd_api", "pd-api", "pd_token", "pd_key", "pd_routing", "pd_integration"],
        r"(?:pagerduty|pd)[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"(u\+[A-Za-z0-9_+\-]{18}|[A-Za-z0-9_+\-]{20}|[a-f0-9]{32})",
    ),
    p("postman-api-key", "Postman API key", High, &["PMAK-"], r"(PMAK-[a-f0-9]{20,28}-[a-f0-9]{30,38})"),
    p("postman-collection-token", "Postman collection access token", Medium, &["PMAT-"], r"(PMAT-[A-Z0-9]{26})"),
    p("pulumi-access-token", "Pulumi access token", High, &["pul-"], r"(pul-[a-f0-9]{36,44})"),
    p("sentry-org-token", "Sentry organization auth token", High, &["sntrys_"], r"(sntrys_[A-Za-z0-9+/=_\-]{60,})")
        .edge(Edge::None),
    p("sentry-user-token", "Sentry user auth token", High, &["sntryu_"], r"(sntryu_[a-f0-9]{64})"),
    p("square-access-token", "Square access token", High, &["EAAA"], r"(EAAA[A-Za-z0-9_\-+=]{60})"),
    p("square-legacy-access-token", "Square legacy access token", High, &["sq0atp-"], r"(sq0atp-[0-9A-Za-z_\-]{22})"),
    p("square-oauth-secret", "Square OAuth secret", High, &["sq0csp-"], r"(sq0csp-[0-9A-Za-z_\-]{43})"),
    p("facebook-access-token", "Facebook (Meta) access token", High, &["EAA"], r"(EAA[A-Za-z0-9]{90,})")
        .entropy(3.5)
        .conf(0.8),
    c(
        "facebook-app-secret",
        "Facebook (Meta) app secret",
        High,
        &["facebook", "fb_app", "fb-app", "fb_secret", "fbapp", "fb_client"],
        r"(?:facebook|fb)[A-Za-z0-9_.\-]{0,20}?secret",
        r"([a-f0-9]{32})",
    ),
    c(
        "twitch-api-token",
        "Twitch API token",
        High,
        &["twitch"],
        r"twitch[A-Za-z0-9_.\-]{0,20}?(?:key|token|secret)",
        r"([a-z0-9]{30})",
    ),
    p("twitch-chat-token", "Twitch chat OAuth token", Medium, &["oauth:"], r"oauth:([a-z0-9]{30})")
        .entropy(3.5)
        .conf(0.7),
    p(
        "age-secret-key",
        "age encryption secret key",
        Critical,
        &["AGE-SECRET-KEY-1"],
        r"(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
    ),
    p("supabase-access-token", "Supabase personal access token", High, &["sbp_"], r"(sbp_[a-f0-9]{36,44})"),
    p("supabase-secret-key", "Supabase secret API key", Critical, &["sb_secret_"], r"(sb_secret_[A-Za-z0-9_\-]{20,})"),
    p(
        "vercel-token",
        "Vercel token",
        High,
        &["vcp_", "vci_", "vca_", "vcr_", "vck_"],
        r"(vc[pciark]_[A-Za-z0-9]{24,})",
    )
    .entropy(3.5)
    .conf(0.8),
    c(
        "vercel-token-assignment",
        "Vercel token",
        High,
        &["vercel"],
        r"vercel[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"([A-Za-z0-9]{24})",
    )
    .entropy(3.5),
    p("netlify-pat", "Netlify personal access token", High, &["nfp_"], r"(nfp_[A-Za-z0-9]{36})"),
    c(
        "netlify-token",
        "Netlify access token",
        High,
        &["netlify"],
        r"netlify[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"([A-Za-z0-9_\-]{40,46})",
    )
    .entropy(3.5),
    p("flyio-org-token", "Fly.io organization token", High, &["fo1_"], r"(fo1_[A-Za-z0-9_\-]{43})"),
    p(
        "flyio-macaroon",
        "Fly.io macaroon token",
        High,
        &["FlyV1 fm"],
        r"FlyV1 (fm[12][ar]?_[A-Za-z0-9+/=_\-]{60,}(?:,[ \t\r\n]?fm[12][ar]?_[A-Za-z0-9+/=_\-]{20,})*)",
    )
    .edge(Edge::None),
    // ---------------------------------------------------------------- Other SaaS
    p("alibaba-access-key-id", "Alibaba Cloud AccessKey id", High, &["LTAI"], r"(LTAI[A-Za-z0-9]{12,20})").entropy(3.0),
    p("adafruit-io-key", "Adafruit IO key", High, &["aio_"], r"(aio_[A-Za-z0-9]{28})").entropy(3.5),
    p("airtable-pat", "Airtable personal access token", High, &["pat"], r"(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})")
        .quick(Quick::ByteAt(17, b'.')),
    c(
        "algolia-admin-key",
        "Algolia admin API key",
        Medium,
        &["algolia"],
        r"algolia[A-Za-z0-9_.\-]{0,20}?(?:admin|write|api)[_\-.]?key",
        r"([a-f0-9]{32})",
    ),
    c(
        "asana-pat",
        "Asana personal access token",
        High,
        &["asana"],
        r"asana[A-Za-z0-9_.\-]{0,20}?(?:key|token|pat)",
        r"([0-9]/[0-9]{16}(?:/[0-9]{16})?:[A-Za-z0-9]{32})",
    ),
    c(
        "auth0-client-secret",
        "Auth0 client secret",
        High,
        &["auth0"],
        r"auth0[A-Za-z0-9_.\-]{0,20}?secret",
        r"([A-Za-z0-9_\-]{64})",
    )
    .entropy(3.5),
    p("buildkite-token", "Buildkite API token", High, &["bkua_"], r"(bkua_[a-f0-9]{40})"),
    p(
        "circleci-token",
        "CircleCI API token",
        High,
        &["CCIPAT_", "CCIPRJ_"],
        r"(CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40})",
    ),
    p("clojars-token", "Clojars deploy token", High, &["CLOJARS_"], r"(CLOJARS_[a-z0-9]{60})"),
    p("contentful-pat", "Contentful personal access token", High, &["CFPAT-"], r"(CFPAT-[A-Za-z0-9_\-]{43})"),
    p(
        "duffel-api-token",
        "Duffel API token",
        High,
        &["duffel_test_", "duffel_live_"],
        r"(duffel_(?:test|live)_[A-Za-z0-9_\-=]{43})",
    ),
    p("dynatrace-api-token", "Dynatrace API token", High, &["dt0c01."], r"(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})"),
    p("easypost-api-key", "EasyPost API key", High, &["EZAK", "EZTK"], r"(EZ[AT]K[a-z0-9]{54})"),
    p("flutterwave-secret-key", "Flutterwave secret key", High, &["FLWSECK"], r"(FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)"),
    p("frameio-token", "Frame.io API token", High, &["fio-u-"], r"(fio-u-[A-Za-z0-9_\-=]{64})"),
    p(
        "harness-pat",
        "Harness personal access token",
        High,
        &["pat."],
        r"(pat\.[A-Za-z0-9_\-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20})",
    ),
    p(
        "hubspot-private-app-token",
        "HubSpot private app token",
        High,
        &["pat-na", "pat-eu"],
        r"(pat-(?:na|eu)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    ),
    p("jfrog-api-key", "JFrog API key", High, &["AKCp"], r"(AKCp[A-Za-z0-9]{69})"),
    p("jfrog-reference-token", "JFrog reference token", High, &["cmVmdGtuOjAxOj"], r"(cmVmdGtuOjAxOj[A-Za-z0-9]{50,})"),
    c(
        "jenkins-api-token",
        "Jenkins API token",
        High,
        &["jenkins"],
        r"jenkins[A-Za-z0-9_.\-]{0,20}?(?:token|key)",
        r"([a-f0-9]{32,34})",
    ),
    p(
        "mapbox-secret-token",
        "Mapbox secret access token",
        High,
        &["sk.eyJ1Ijoi"],
        r"(sk\.eyJ1Ijoi[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]{22})",
    ),
    p("octopus-deploy-api-key", "Octopus Deploy API key", High, &["API-"], r"(API-[A-Z0-9]{26,32})")
        .entropy(3.0)
        .conf(0.7),
    p(
        "onepassword-service-account-token",
        "1Password service account token",
        Critical,
        &["ops_eyJ"],
        r"(ops_eyJ[A-Za-z0-9+/=_\-]{200,})",
    )
    .edge(Edge::B64),
    p(
        "onepassword-secret-key",
        "1Password account secret key",
        Critical,
        &["A3-"],
        r"(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})",
    ),
    p("planetscale-token", "PlanetScale API token", High, &["pscale_tkn_"], r"(pscale_tkn_[A-Za-z0-9_\-.]{32,64})"),
    p(
        "planetscale-password",
        "PlanetScale database password",
        High,
        &["pscale_pw_"],
        r"(pscale_pw_[A-Za-z0-9_\-.]{32,64})",
    ),
    p(
        "planetscale-oauth-token",
        "PlanetScale OAuth token",
        High,
        &["pscale_oauth_"],
        r"(pscale_oauth_[A-Za-z0-9_\-.]{32,64})",
    ),
    p("prefect-api-key", "Prefect API key", High, &["pnu_"], r"(pnu_[A-Za-z0-9]{36})"),
    p("readme-api-key", "ReadMe API key", High, &["rdme_"], r"(rdme_[a-z0-9]{70})"),
    p(
        "salesforce-access-token",
        "Salesforce access token",
        High,
        &["!AQ"],
        r"(00D[A-Za-z0-9]{12,15}!AQ[A-Za-z0-9._]{80,})",
    )
    .back(20),
    p("scalingo-api-token", "Scalingo API token", High, &["tk-us-"], r"(tk-us-[A-Za-z0-9_\-]{48})"),
    p(
        "shippo-api-token",
        "Shippo API token",
        High,
        &["shippo_live_", "shippo_test_"],
        r"(shippo_(?:live|test)_[a-f0-9]{40})",
    ),
    p("sonarqube-token", "SonarQube token", High, &["sqp_", "squ_", "sqa_"], r"(sq[pua]_[a-f0-9]{40})"),
    p("typeform-pat", "Typeform personal access token", High, &["tfp_"], r"(tfp_[A-Za-z0-9_\-.=]{40,70})"),
    p(
        "braintree-access-token",
        "Braintree access token",
        High,
        &["access_token$"],
        r"(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})",
    ),
    p("infracost-api-key", "Infracost API key", High, &["ico-"], r"(ico-[A-Za-z0-9]{32})").entropy(3.5),
    p("yandex-api-key", "Yandex Cloud API key", High, &["AQVN"], r"(AQVN[A-Za-z0-9_\-]{35,38})"),
    c("snyk-api-token", "Snyk API token", High, &["snyk"], r"snyk[A-Za-z0-9_.\-]{0,20}?(?:key|token)", uuid!()),
    c(
        "launchdarkly-access-token",
        "LaunchDarkly access token",
        High,
        &["launchdarkly"],
        r"launchdarkly[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"(api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    ),
    c(
        "intercom-access-token",
        "Intercom access token",
        High,
        &["intercom"],
        r"intercom[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"([A-Za-z0-9=_\-]{60})",
    ),
    c(
        "zendesk-api-token",
        "Zendesk API token",
        High,
        &["zendesk"],
        r"zendesk[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"([A-Za-z0-9]{40})",
    )
    .entropy(3.5),
    c(
        "fastly-api-token",
        "Fastly API token",
        High,
        &["fastly"],
        r"fastly[A-Za-z0-9_.\-]{0,20}?(?:key|token)",
        r"([A-Za-z0-9_\-]{32})",
    )
    .entropy(3.5),
    c("plaid-secret", "Plaid secret", High, &["plaid"], r"plaid[A-Za-z0-9_.\-]{0,20}?secret", r"([a-f0-9]{30})"),
    c(
        "razorpay-key-secret",
        "Razorpay key secret",
        High,
        &["razorpay"],
        r"razorpay[A-Za-z0-9_.\-]{0,20}?secret",
        r"([A-Za-z0-9]{24})",
    )
    .entropy(3.5),
    c(
        "paypal-client-secret",
        "PayPal client secret",
        High,
        &["paypal"],
        r"paypal[A-Za-z0-9_.\-]{0,20}?secret",
        r"([A-Za-z0-9_\-]{80})",
    )
    .entropy(3.5),
    // ---------------------------------------------------------------- Files and commands that carry credentials
    p(
        "cli-password-argument",
        "password passed with -p to mysql, mariadb or sshpass",
        High,
        &["mysql", "mariadb", "sshpass"],
        r#"(?i:mysql(?:dump|admin|sh)?|mariadb|sshpass)[ \t][^\n]{0,200}?[ \t]-p['"]?([^ \t\r\n'"]{4,})"#,
    )
    .ci()
    .check(Check::Password)
    .edge(Edge::None)
    .ahead(300)
    .weak(),
    p(
        "netrc-password",
        "password in a .netrc entry",
        High,
        &["machine "],
        r"machine[ \t\r\n]+[^ \t\r\n]+[ \t\r\n]+login[ \t\r\n]+[^ \t\r\n]+[ \t\r\n]+password[ \t\r\n]+([^ \t\r\n]+)",
    )
    .check(Check::Password)
    .edge(Edge::None)
    .ahead(300)
    .weak(),
    // ---------------------------------------------------------------- Private keys
    b("private-key-rsa", "RSA private key", Critical, Family::PrivateKey),
    b("private-key-ec", "EC private key", Critical, Family::PrivateKey),
    b("private-key-dsa", "DSA private key", Critical, Family::PrivateKey),
    b("private-key-openssh", "OpenSSH private key", Critical, Family::PrivateKey),
    b("private-key-pkcs8", "PKCS#8 private key", Critical, Family::PrivateKey),
    b("private-key-encrypted", "encrypted private key", High, Family::PrivateKey),
    b("private-key-pgp", "PGP private key block", Critical, Family::PrivateKey),
    b("private-key-putty", "PuTTY private key", Critical, Family::PrivateKey),
    b("private-key-ssh2", "SSH2 (SECSH) private key", Critical, Family::PrivateKey),
    b("private-key-other", "private key", Critical, Family::PrivateKey),
    p(
        "private-key-base64",
        "base64-encoded PEM private key",
        Critical,
        &["LS0tLS1CRUdJTi"],
        r"(LS0tLS1CRUdJTi[A-Za-z0-9+/=]{60,})",
    )
    .check(Check::B64PrivateKey)
    .edge(Edge::B64),
    b("jwk-private-key", "private JSON Web Key", Critical, Family::PrivateKey),
    // ---------------------------------------------------------------- Tokens with structure
    b("jwt", "JSON Web Token", High, Family::Jwt),
    // ---------------------------------------------------------------- Credentials in URIs
    b("postgres-uri-password", "PostgreSQL connection password", High, Family::Uri),
    b("mysql-uri-password", "MySQL/MariaDB connection password", High, Family::Uri),
    b("mongodb-uri-password", "MongoDB connection password", High, Family::Uri),
    b("redis-uri-password", "Redis connection password", High, Family::Uri),
    b("amqp-uri-password", "AMQP (RabbitMQ) connection password", High, Family::Uri),
    b("mssql-uri-password", "SQL Server connection password", High, Family::Uri),
    b("ldap-uri-password", "LDAP bind password", High, Family::Uri),
    b("smtp-uri-password", "SMTP/IMAP password", High, Family::Uri),
    b("ftp-uri-password", "FTP/SFTP password", High, Family::Uri),
    b("url-userinfo-password", "password in a URL", High, Family::Uri),
    // ---------------------------------------------------------------- HTTP authorization headers
    b("http-bearer-token", "bearer token", High, Family::Http),
    b("http-basic-auth", "HTTP Basic credentials", High, Family::Http),
    // ---------------------------------------------------------------- Keyword assignments (entropy-gated)
    b("generic-api-key", "API key", Medium, Family::Generic),
    b("generic-secret", "secret", Medium, Family::Generic),
    b("generic-token", "access token", Medium, Family::Generic),
    b("generic-password", "password", Medium, Family::Generic),
    b("url-query-secret", "secret in a URL query parameter", Medium, Family::Generic),
    b("cli-secret-flag", "secret passed as a command-line flag", Medium, Family::Generic),
    b("connection-string-password", "password in a connection string", High, Family::Generic),
];

/// The rule with id `id` (without the `secrets.` prefix).
pub fn index_of(id: &str) -> Option<usize> {
    RULES.iter().position(|r| r.id == id)
}
