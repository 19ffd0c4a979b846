//! Native tests through the sdk's harness: every rule family with positives
//! and hard negatives, spans, configuration, robustness and the corpus.

mod samples;

use serde_json::{Value, json};
use warden_sdk::testing::Harness;

use super::*;
use crate::rules::Kind;

fn h() -> Harness<Secrets> {
    Harness::<Secrets>::with_defaults()
}

thread_local! {
    /// Building the detector compiles every regex: share one per test thread.
    static SHARED: Harness<Secrets> = h();
}

/// (rule id, secret text) of every finding of a tool result.
fn found(text: &str) -> Vec<(String, String)> {
    let found = SHARED.with(|h| h.scan_tool_result("t", text));
    found
        .iter()
        .map(|f| {
            let s = &f.spans[0];
            (f.rule_id.trim_start_matches("secrets.").to_string(), text[s.range()].to_string())
        })
        .collect()
}

fn assert_finds(text: &str, rule: &str, secret: &str) {
    let got = found(text);
    assert!(got.iter().any(|(r, s)| r == rule && s == secret), "expected {rule}={secret} in {text:?}, got {got:?}");
}

fn assert_clean(text: &str) {
    let got = found(text);
    assert!(got.is_empty(), "expected nothing in {text:?}, got {got:?}");
}

#[test]
fn info_describes_the_plugin() {
    let info = Secrets::info();
    assert_eq!(info.name, "secrets");
    assert_eq!(info.categories, vec!["secrets".to_string()]);
    assert_eq!(info.phases, vec![Phase::Request, Phase::Response, Phase::ServerRequest, Phase::ToolListing]);
    assert_eq!(info.rule_count as usize, RULES.len());
    assert!(RULES.len() >= 150);
}

#[test]
fn rule_ids_are_unique_and_documented() {
    let readme = include_str!("../README.md");
    let mut seen = std::collections::HashSet::new();
    for id in Secrets::rule_ids() {
        assert!(seen.insert(id), "duplicate rule id {id}");
        assert!(id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'), "bad id {id}");
        assert!(readme.contains(&format!("`{id}`")), "README does not document {id}");
    }
    let platforms: std::collections::HashSet<&str> =
        RULES.iter().map(|r| r.id.split('-').next().unwrap_or("")).collect();
    assert!(platforms.len() >= 25);
}

#[test]
fn every_rule_pattern_compiles() {
    Secrets::new(Config::default()).unwrap().compile_all().unwrap();
}

#[test]
fn every_format_rule_finds_its_sample_with_an_exact_span() {
    let secrets = Secrets::new(Config::default()).unwrap();
    let mut failures = Vec::new();
    for &(rule, text, secret) in samples::RULE_SAMPLES {
        let found = secrets.find(text);
        if !found.iter().any(|m| m.rule == rule && &text[m.range.clone()] == secret) {
            failures.push(format!(
                "{rule}: {:?}",
                found.iter().map(|m| (m.rule, &text[m.range.clone()])).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in RULES.iter().filter(|r| !matches!(r.kind, Kind::Builtin(_))) {
        assert!(samples::RULE_SAMPLES.iter().any(|s| s.0 == rule.id), "no sample for {}", rule.id);
    }
}

#[test]
fn format_rules_reject_filler_and_neighbouring_characters() {
    for text in [
        "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "ghp_1234567890abcdefghijklmnopqrstuvwxyz",
        "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "sk_live_...",
        "xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx",
        "AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        // Longer than the format allows: part of something else.
        "ghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1kY2TqZ7q9W2e4R",
        "xghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1kY2Tq",
        // AWS unique ids of users and roles are not keys.
        "UserId: AIDAJQABLZS4A3QDU576Q, RoleId: AROA3XFRBF535PLBIFPI4",
    ] {
        assert_clean(text);
    }
}

#[test]
fn github_checksum_raises_confidence() {
    let secrets = Secrets::new(Config::default()).unwrap();
    let (_, _, valid) = samples::RULE_SAMPLES.iter().find(|s| s.0 == "github-pat").copied().unwrap();
    let mut invalid = valid.to_string();
    let last = if invalid.ends_with('A') { "B" } else { "A" };
    invalid.replace_range(invalid.len() - 1.., last);
    let good = secrets.find(valid);
    let bad = secrets.find(&invalid);
    assert_eq!(good[0].rule, "github-pat");
    assert_eq!(bad[0].rule, "github-pat");
    assert!(good[0].confidence > bad[0].confidence);
    let f = h().scan_tool_result("t", valid);
    assert!(f[0].message.contains("checksum verified"));
}

#[test]
fn private_keys() {
    let body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQz\nuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP\n2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQABAoIBAQCyQ0=";
    let rsa = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----");
    assert_finds(&format!("id_rsa:\n{rsa}\n"), "private-key-rsa", &rsa);
    let pkcs8 = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----");
    assert_finds(&pkcs8, "private-key-pkcs8", &pkcs8);
    // Inside JSON with escaped newlines, as a service-account file shows it.
    let escaped = pkcs8.replace('\n', "\\n");
    let sa =
        format!("{{\"type\": \"service_account\", \"private_key_id\": \"abc\", \"private_key\": \"{escaped}\\n\"}}");
    assert_finds(&sa, "gcp-service-account-key", &escaped);
    let ec = format!("-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----");
    assert_finds(&ec, "private-key-ec", &ec);
    let enc = format!(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,8A2F\n\n{body}\n-----END RSA PRIVATE KEY-----"
    );
    assert_finds(&enc, "private-key-encrypted", &enc);
    let pgp = format!(
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{body}\n=q1Xz\n-----END PGP PRIVATE KEY BLOCK-----"
    );
    assert_finds(&pgp, "private-key-pgp", &pgp);
    let openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDd3v6h0mvlsqT9gd1OC/0dYrGR1KcDOLAqQ5MDgJ2ybQAAAJhrq8a8a6vG\n-----END OPENSSH PRIVATE KEY-----";
    assert_finds(openssh, "private-key-openssh", openssh);
    // Truncated (no END line) still counts, up to where the body stops.
    let cut = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}");
    assert_finds(&format!("{cut}\n[output truncated]"), "private-key-rsa", &cut);
    // Public material and elided examples do not.
    assert_clean(&format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"));
    assert_clean(&format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"));
    assert_clean("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----");
    assert_clean("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@laptop");
}

#[test]
fn putty_and_jwk_private_keys() {
    let ppk = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIJ7o\nqL0Y\nPrivate-Lines: 1\nAAAAIFrn3H5eP4qLw7nXyWm2v9Tq8cR1sB6dK0jZ4hU3yGfE\nPrivate-MAC: 5a1f";
    assert_finds(ppk, "private-key-putty", "AAAAIFrn3H5eP4qLw7nXyWm2v9Tq8cR1sB6dK0jZ4hU3yGfE");
    let d = "Xg2mP0qL9vR4tY7uI1oE3wQ5zA8sD6fG2hJ4kL0mN1bV9cX7zQ";
    assert_finds(
        &format!(r#"{{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","d":"{d}"}}"#),
        "jwk-private-key",
        d,
    );
    assert_clean(
        r#"{"keys":[{"kty":"RSA","kid":"k1","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB"}]}"#,
    );
}

#[test]
fn jwts() {
    let jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0ODIxMyIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmUtMTIzNDU2Nzg5";
    assert_finds(&format!("Authorization: Bearer {jwt}"), "jwt", jwt);
    assert_finds(&format!("{{\"id_token\":\"{jwt}\"}}"), "jwt", jwt);
    // Header without "alg", or not JSON at all.
    assert_clean("eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmUtMTIzNDU2Nzg5");
    assert_clean("aGVsbG8.d29ybGQgaGVsbG8.c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmU");
    // The jwt.io sample is a documentation example.
    assert_clean(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    );
}

#[test]
fn expired_and_publishable_jwts_are_downgraded() {
    // exp = 1000000000 (2001), the harness clock is later.
    let expired =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsImV4cCI6MTAwMDAwMDAwMH0.c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmUtMTIzNDU2Nzg5";
    let secrets = Secrets::new(Config::default()).unwrap();
    let m = secrets.find_at("/result/content/0/text", expired, 1_718_100_000_000);
    assert_eq!((m[0].rule, m[0].severity), ("jwt", Severity::Medium));
    // Supabase anon key: role "anon".
    let anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIn0.c2lnbmF0dXJlLWJ5dGVzLWdvLWhlcmUtMTIzNDU2Nzg5";
    assert_eq!(secrets.find(anon)[0].severity, Severity::Low);
}

#[test]
fn credentials_in_uris() {
    assert_finds(
        "DATABASE_URL=postgres://app:Zq8vR2kLp0x@db.prod.internal:5432/app",
        "postgres-uri-password",
        "Zq8vR2kLp0x",
    );
    assert_finds("mongodb+srv://ro:h7Gq2LmP9xW@cluster0.ab1cd.mongodb.net/db", "mongodb-uri-password", "h7Gq2LmP9xW");
    assert_finds("redis://:Tq81mZpL0vXa@cache.internal:6379/0", "redis-uri-password", "Tq81mZpL0vXa");
    assert_finds("amqps://svc:Kp3!vZq8Lm@mq.internal:5671/", "amqp-uri-password", "Kp3!vZq8Lm");
    assert_finds("mysql://root:s9Xq2Lw!pZ@10.0.0.5:3306/shop", "mysql-uri-password", "s9Xq2Lw!pZ");
    assert_finds(
        "https://deploy:p4ss-W0rd-2024@git.example-corp.net/repo.git",
        "url-userinfo-password",
        "p4ss-W0rd-2024",
    );
    // A password holding an unencoded `@`: the authority ends at the last one.
    assert_finds("smtp://alerts:Xk2@9vLq@smtp.mail.net:587", "smtp-uri-password", "Xk2@9vLq");
    for text in [
        "postgres://user:password@localhost:5432/mydb",
        "postgresql://postgres:postgres@db:5432/postgres",
        "mongodb://<username>:<password>@cluster0.mongodb.net/test",
        "redis://:${REDIS_PASSWORD}@redis:6379",
        "amqp://guest:guest@localhost:5672/",
        "mysql://root:***@127.0.0.1:3306/app",
        "https://user:s3cr3tPass1@example.com/",
        "https://registry.npmjs.org:443/@scope/pkg",
        "https://medium.com/@someone/post-123",
        "http://[::1]:8080/health",
        "git@github.com:org/repo.git",
    ] {
        assert_clean(text);
    }
}

#[test]
fn keyword_assignments() {
    assert_finds(
        "api_key = \"a8f5f167f44f4964e6c998dee827110c\"",
        "generic-api-key",
        "a8f5f167f44f4964e6c998dee827110c",
    );
    assert_finds("{\"client_secret\": \"Qm9vN2xLd2Rk2kT8xZ1v\"}", "generic-secret", "Qm9vN2xLd2Rk2kT8xZ1v");
    assert_finds("export SERVICE_TOKEN=7fK2mQ9xLp4vR8wZ1cN6", "generic-token", "7fK2mQ9xLp4vR8wZ1cN6");
    assert_finds("DB_PASSWORD=Xk29!aLq-7", "generic-password", "Xk29!aLq-7");
    assert_finds("  password: hunter2-Vq8", "generic-password", "hunter2-Vq8");
    assert_finds("<password>Zq8!vR2kLp</password>", "generic-password", "Zq8!vR2kLp");
    assert_finds("define( 'DB_PASSWORD', 'w8Lp!2xQz' );", "generic-password", "w8Lp!2xQz");
    assert_finds("The temporary password is Xk29!aLq, change it at first login.", "generic-password", "Xk29!aLq");
    assert_finds(
        "GET /v1/data?city=Oslo&api_key=9f8e7d6c5b4a39281706f5e4 HTTP/1.1",
        "url-query-secret",
        "9f8e7d6c5b4a39281706f5e4",
    );
    assert_finds("deploy --api-key 3kF9qL2mZx8vT1wR5yN7 --region eu", "cli-secret-flag", "3kF9qL2mZx8vT1wR5yN7");
    assert_finds(
        "Server=sql1;Database=crm;User Id=app;Password=Vw9!kT2qLm;",
        "connection-string-password",
        "Vw9!kT2qLm",
    );
    assert_finds("{\\\"api_key\\\":\\\"c2f1e0d9b8a7f6e5d4c3b2a1\\\"}", "generic-api-key", "c2f1e0d9b8a7f6e5d4c3b2a1");
    assert_finds("Your API key: 4f9a2c7e1b8d3f6a0c5e9b2d", "generic-api-key", "4f9a2c7e1b8d3f6a0c5e9b2d");
}

#[test]
fn keyword_assignments_hard_negatives() {
    for text in [
        "api_key: ${API_KEY}",
        "token = os.environ[\"GITHUB_TOKEN\"]",
        "api_key = os.getenv(\"OPENAI_API_KEY\")",
        "const token = req.headers.authorization;",
        "password: \"********\"",
        "client_secret: \"[REDACTED]\"",
        "{\"api_key\": \"YOUR_API_KEY_HERE\"}",
        "SECRET_KEY=replace-with-a-long-random-string",
        "DB_PASSWORD=changeme",
        "password = getpass.getpass(\"DB password: \")",
        "api_key: str = Field(..., env=\"API_KEY\")",
        "password: Optional[str] = None",
        "if (password !== confirmPassword) { throw new Error(\"mismatch\") }",
        "SELECT password_hash FROM users",
        "usage: {\"prompt_tokens\": 1532, \"completion_tokens\": 211, \"total_tokens\": 1743}",
        "{\"next_page_token\": \"CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA\"}",
        "csrftoken=Xk29aLq7Vw8pLm3N; Path=/",
        "pub const MD_SSL_KEY_PASSWORD: u32 = 5502u32;",
        "let password = String::from(\"deadbeef\");",
        "private_key_path: /etc/keys/signing.pem",
        "GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json",
        "password: !vault |",
        "token: a GitHub token with repo scope",
        "Pass `--static` for the library",
        "idempotency_key: 6f1c2b9e-3d4a-4e5f-8a7b-9c0d1e2f3a4b",
        "['packoffset', 'pass', 'pixelfragment']",
        "secret_name: prod/payments/stripe",
        "The password is not set for this account.",
        "access_token_ttl = 3600",
        "generate_private_key: x25519_generate_private_key,",
        "passwd=\"anonymous@example.org\"",
    ] {
        assert_clean(text);
    }
}

#[test]
fn http_authorization_headers() {
    assert_finds(
        "curl -H \"Authorization: Bearer 9fK2mQ7xLp4vR8wZ1cN6tY3u\" https://api.example-corp.net",
        "http-bearer-token",
        "9fK2mQ7xLp4vR8wZ1cN6tY3u",
    );
    assert_finds("Authorization: Basic YWxpY2U6czNjcmV0LVBhc3M=", "http-basic-auth", "YWxpY2U6czNjcmV0LVBhc3M=");
    assert_finds(
        "Authorization: token 4b8c2e6f0a1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f",
        "generic-token",
        "4b8c2e6f0a1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f",
    );
    for text in [
        "Authorization: Bearer <token>",
        "Authorization: Bearer $API_TOKEN",
        "Authorization: Bearer ${TOKEN}",
        "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"",
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "Use bearer tokens for the API; basic authentication is disabled.",
    ] {
        assert_clean(text);
    }
}

#[test]
fn common_hard_negatives() {
    for text in [
        "6f1c2b9e-3d4a-4e5f-8a7b-9c0d1e2f3a4b",
        "commit 3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "md5 d41d8cd98f00b204e9800998ecf8427e",
        "\"integrity\": \"sha512-Tn4dLxWzM3pYp8qA2bQx0v5yW7cRz1eK9uH3gF6jD0sL8mN4oP2iU5tY7rE1wQ9aS3dF6gH8jK0lZ2xC4vB6nM1qW==\"",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "Order ORD-2024-0611-88412 shipped, tracking 1Z999AA10123456784",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
        "Docker image registry.example.io/api@sha256:0b3f1a9c2d4e6f8a0b1c3d5e7f9a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a",
        "Set-Cookie: session=abc; HttpOnly",
        "pk_test_TYooMQauvdEDq54NiTphI7jx",
        "Authenticate with a personal access token (classic tokens start with ghp_).",
    ] {
        assert_clean(text);
    }
}

#[test]
fn request_arguments_are_scanned_with_member_names() {
    let h = h();
    let f = h.scan_tool_call("login", json!({"user": "ops", "password": "Vw9!kT2qLm"}));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule_id, "secrets.generic-password");
    assert_eq!(f[0].spans[0].range(), 0..10);
    let f = h.scan_tool_call("call", json!({"headers": {"X-Api-Key": "4f9a2c7e1b8d3f6a0c5e9b2d7c1a"}}));
    assert_eq!(f[0].rule_id, "secrets.generic-api-key");
    assert!(h.scan_tool_call("login", json!({"user": "ops", "password": "${PASSWORD}"})).is_empty());
    assert!(h.scan_tool_call("search", json!({"token_type": "bearer", "max_tokens": "4096"})).is_empty());
}

#[test]
fn spans_point_into_the_right_text_and_messages_hide_the_value() {
    let h = h();
    let token = samples::RULE_SAMPLES.iter().find(|s| s.0 == "stripe-secret-key").unwrap().2;
    let msg = json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [
        {"type": "text", "text": "nothing here"},
        {"type": "text", "text": format!("key: {token}")}
    ]}});
    let f = h.scan(Phase::Response, &msg);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].category, "secrets");
    assert_eq!(f[0].severity, Severity::Critical);
    let input = warden_sdk::testing::scan_input(
        CallContext {
            request_id: String::new(),
            session_id: String::new(),
            agent_id: String::new(),
            agent_type: String::new(),
            server: String::new(),
            method: String::new(),
            tool: None,
            phase: Phase::Response,
            timestamp_ms: 0,
        },
        &msg,
    );
    let span = &f[0].spans[0];
    let text = &input.texts[span.text_index as usize];
    assert_eq!(text.pointer, "/result/content/1/text");
    assert_eq!(&text.value[span.range()], token);
    assert!(!f[0].message.contains(token));
    assert!(f[0].message.contains("/result/content/1/text"));
}

#[test]
fn tool_listings_and_server_requests_are_scanned() {
    let h = h();
    let key = samples::RULE_SAMPLES.iter().find(|s| s.0 == "openai-project-key").unwrap().2;
    let f = h.scan_tools_list(json!([{"name": "ask", "description": format!("Calls the model with key {key}"), "inputSchema": {"type": "object"}}]));
    assert_eq!(f[0].rule_id, "secrets.openai-project-key");
    let msg = json!({"jsonrpc": "2.0", "id": 3, "method": "sampling/createMessage",
                     "params": {"messages": [{"role": "user", "content": {"type": "text", "text": format!("use {key}")}}]}});
    assert_eq!(h.scan(Phase::ServerRequest, &msg).len(), 1);
    assert!(h.scan_tools_list(json!([{"name": "create_api_key", "description": "Creates an API key. Returns the key once.", "inputSchema": {"type": "object", "properties": {"password": {"type": "string", "description": "The account password"}}}}])).is_empty());
}

#[test]
fn configuration() {
    let ghp = samples::RULE_SAMPLES.iter().find(|s| s.0 == "github-pat").unwrap().2;
    let text = format!("GITHUB_TOKEN={ghp}");
    // disabled_rules, with or without the prefix.
    for id in ["github-pat", "secrets.github-pat"] {
        let h = Harness::<Secrets>::new(json!({"disabled_rules": [id, "generic-token"]})).unwrap();
        assert!(h.scan_tool_result("t", &text).is_empty());
    }
    assert!(Harness::<Secrets>::new(json!({"disabled_rules": ["no-such-rule"]})).is_err());
    // allow_patterns match the secret value.
    let h = Harness::<Secrets>::new(json!({"allow_patterns": ["^ghp_"]})).unwrap();
    assert!(h.scan_tool_result("t", &text).is_empty());
    assert!(Harness::<Secrets>::new(json!({"allow_patterns": ["("]})).is_err());
    // allow_pointers.
    let h = Harness::<Secrets>::new(json!({"allow_pointers": ["/params/arguments/public_key"]})).unwrap();
    assert!(h.scan_tool_call("t", json!({"public_key": {"value": ghp}})).is_empty());
    assert_eq!(h.scan_tool_call("t", json!({"other": ghp})).len(), 1);
    // allow_tools: calls, results and listing entries of the tool.
    let h = Harness::<Secrets>::new(json!({"allow_tools": ["vault_read"]})).unwrap();
    assert!(h.scan_tool_call("vault_read", json!({"q": ghp})).is_empty());
    assert!(h.scan_tool_result("vault_read", &text).is_empty());
    assert_eq!(h.scan_tool_result("other", &text).len(), 1);
    let listing = json!([{"name": "vault_read", "description": text}, {"name": "other", "description": text}]);
    let f = h.scan_tools_list(listing);
    assert_eq!(f.len(), 1);
    // min_entropy governs the generic rules.
    let generic = "api_key = \"a8f5f167f44f4964e6c998dee827110c\"";
    assert_eq!(Harness::<Secrets>::new(json!({"min_entropy": 4.5})).unwrap().scan_tool_result("t", generic).len(), 0);
    assert_eq!(h.scan_tool_result("t", generic).len(), 1);
    assert!(Harness::<Secrets>::new(json!({"min_entropy": 9.0})).is_err());
    // report_examples.
    let h = Harness::<Secrets>::new(json!({"report_examples": true})).unwrap();
    let f = h.scan_tool_result("t", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Low);
    // Unknown keys are an error.
    assert!(Harness::<Secrets>::new(json!({"disabled": ["x"]})).is_err());
}

#[test]
fn never_panics_on_odd_input() {
    let secrets = Secrets::new(Config::default()).unwrap();
    let mut inputs: Vec<String> = vec![
        String::new(),
        "a".into(),
        "ghp_".into(),
        "-----BEGIN ".into(),
        "-----BEGIN RSA PRIVATE KEY-----".into(),
        "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines:".into(),
        "\"kty\"".into(),
        "{\"kty\": \"EC\", \"d\": \"".into(),
        "eyJ".into(),
        "eyJ.eyJ.eyJ.eyJ.eyJ.eyJ".into(),
        "://".into(),
        "a://b:c@".into(),
        "password=".into(),
        "password is".into(),
        "Authorization: Bearer".into(),
        "Basic ".into(),
        "api_key=\"".into(),
        "?key=".into(),
        "sk-".into(),
        ":AA".into(),
        "machine ".into(),
        "mysql -p".into(),
        "é🔑 password: pässwörd-ünïcode-42 токен=секрет ghp_ΩΩΩ".into(),
        "\u{0}\u{1}token=\u{7f}".into(),
    ];
    inputs.push("x".repeat(1 << 20));
    inputs.push("password=".repeat(20_000));
    inputs.push("ghp_".repeat(50_000));
    inputs.push("-----BEGIN PRIVATE KEY-----\n".to_string() + &"QUJD".repeat(100_000));
    inputs.push("é".repeat(300_000) + "sk_live_" + &"é".repeat(300));
    // Many real-looking secrets in one text must stay linear.
    let ghp = samples::RULE_SAMPLES.iter().find(|s| s.0 == "github-pat").unwrap().2;
    inputs.push(format!("token={ghp} password=Xk29!aLq-7\n").repeat(20_000));
    for text in &inputs {
        let t = std::time::Instant::now();
        let found = secrets.find(text);
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "too slow on {} bytes", text.len());
        for m in found {
            assert!(text.is_char_boundary(m.range.start) && text.is_char_boundary(m.range.end));
            assert!(m.range.start < m.range.end && m.range.end <= text.len());
        }
    }
}

#[test]
fn reusable_natively() {
    let secrets = Secrets::new(Default::default()).unwrap();
    let text = "export GITHUB_TOKEN=ghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1kY2Tq";
    let m = secrets.find(text);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].description, "GitHub personal access token");
    assert_eq!(&text[m[0].range.clone()], "ghp_R7xQ2mLk9PvZ3wNc8TfBy5HdJ0sKaE1kY2Tq");
}

fn scan_sample(h: &Harness<Secrets>, phase: &str, text: &str) -> Vec<Finding> {
    match phase {
        "request" => h.scan_tool_call("run", json!({ "input": text })),
        "tool-listing" => {
            h.scan_tools_list(json!([{ "name": "tool", "description": text, "inputSchema": {"type": "object"} }]))
        }
        _ => h.scan_tool_result("run", text),
    }
}

#[test]
fn corpus_precision_and_recall() {
    let h = h();
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    let mut errors = Vec::new();
    for line in include_str!("../corpus/secrets.jsonl").lines().filter(|l| !l.trim().is_empty()) {
        let sample: Value = serde_json::from_str(line).unwrap();
        let text = sample["text"].as_str().unwrap();
        let phase = sample["phase"].as_str().unwrap_or("response");
        let label = sample["label"].as_bool().unwrap();
        let found = scan_sample(&h, phase, text);
        match (label, !found.is_empty()) {
            (true, true) => tp += 1,
            (false, false) => tn += 1,
            (true, false) => {
                fn_ += 1;
                errors.push(format!("missed {}", sample["id"]));
            }
            (false, true) => {
                fp += 1;
                errors.push(format!(
                    "false positive {}: {:?}",
                    sample["id"],
                    found.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
                ));
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!("corpus: tp={tp} fp={fp} fn={fn_} tn={tn} precision={precision:.3} recall={recall:.3}");
    for e in &errors {
        println!("  {e}");
    }
    assert!(tp + fn_ >= 150 && fp + tn >= 150, "corpus too small");
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
}

/// `cargo test --release -p warden-detector-secrets bench -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_4kb_tool_result() {
    let lines = [
        "2024-06-11T09:14:22.418Z INFO  [orders] GET /api/v2/orders?page=3&limit=50 200 12ms user_id=48213 request_id=req_8f14e45fceea167a",
        "{\"id\": \"a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b\", \"status\": \"shipped\", \"total\": 129.95, \"currency\": \"EUR\", \"items\": 3}",
        "commit 3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a  Author: Maria Kowalski <maria@northwind.io>  fix token refresh race",
        "The password policy requires 12 characters; API keys are rotated every 90 days. See https://docs.northwind.io/security/keys.",
        "    at Object.handler (/app/src/routes/payments.ts:88:17)  at processTicksAndRejections (node:internal/process/task_queues:95:5)",
    ];
    let mut text = String::new();
    for i in 0.. {
        if text.len() >= 4096 {
            break;
        }
        text.push_str(lines[i % lines.len()]);
        text.push('\n');
    }
    let msg =
        json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": text}], "isError": false}});
    let context = CallContext {
        request_id: "1".into(),
        session_id: "s".into(),
        agent_id: "a".into(),
        agent_type: String::new(),
        server: "srv".into(),
        method: "tools/call".into(),
        tool: Some("logs".into()),
        phase: Phase::Response,
        timestamp_ms: 1_718_100_000_000,
    };
    let input = warden_sdk::testing::scan_input(context, &msg);
    let t = std::time::Instant::now();
    let plugin = Secrets::new(Config::default()).unwrap();
    println!("new(): {:?}", t.elapsed());
    let t = std::time::Instant::now();
    Secrets::new(Config::default()).unwrap().compile_all().unwrap();
    println!("new() + compile_all(): {:?}", t.elapsed());
    let n = 20_000;
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = std::time::Instant::now();
        let f = plugin.scan(&input);
        times.push(t.elapsed());
        assert!(f.is_empty(), "{f:?}");
    }
    times.sort();
    println!("4 KB tool result: p50 {:?} p99 {:?} ({} bytes)", times[n / 2], times[n * 99 / 100], text.len());
}

/// Scans every file under $SCAN_DIR and prints what it finds, to review false
/// positives on real-world text:
/// `SCAN_DIR=/usr/share/doc cargo test --release -p warden-detector-secrets scan_dir -- --ignored --nocapture`
#[test]
#[ignore]
fn scan_dir() {
    let Ok(dir) = std::env::var("SCAN_DIR") else { return };
    let plugin = Secrets::new(Config::default()).unwrap();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    let (mut files, mut bytes) = (0, 0);
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    let t = std::time::Instant::now();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        files += 1;
        bytes += text.len();
        for m in plugin.find(&text) {
            *counts.entry(m.rule).or_default() += 1;
            let lo = text.floor_char_boundary(m.range.start.saturating_sub(40));
            let hi = text.ceil_char_boundary((m.range.end + 20).min(text.len()));
            println!("HIT {} {} :: {}", m.rule, p.display(), text[lo..hi].replace('\n', "⏎"));
        }
    }
    println!("{files} files, {bytes} bytes in {:?}", t.elapsed());
    for (rule, n) in counts {
        println!("COUNT {rule} {n}");
    }
}

#[test]
fn name_value_pairs_and_dockerfiles() {
    assert_finds("env:\n  - name: DB_PASSWORD\n    value: \"Vw9!kT2qLm\"\n", "generic-password", "Vw9!kT2qLm");
    assert_finds(
        "{\"key\": \"apiKey\", \"value\": \"4f9a2c7e1b8d3f6a0c5e9b2d\", \"enabled\": true}",
        "generic-api-key",
        "4f9a2c7e1b8d3f6a0c5e9b2d",
    );
    assert_finds("ENV SERVICE_TOKEN 7fK2mQ9xLp4vR8wZ1cN6", "generic-token", "7fK2mQ9xLp4vR8wZ1cN6");
    // `valueFrom` is a reference; the next entry's value is not this name's.
    assert_clean(
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}\n  - name: LOG_LEVEL\n    value: 9fK2mQ7xLp4v\n",
    );
    assert_clean("- name: DB_PASSWORD\n  value: ${DB_PASSWORD}");
}
