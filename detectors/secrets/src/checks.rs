//! Extra validation of pattern matches (see [`crate::rules::Check`]).

use crate::b64;
use crate::checksum;
use crate::placeholder;
use crate::rules::Check;

/// The outcome of a check: `None` rejects the match, `Some(bonus)` accepts it
/// and adds `bonus` to the rule's confidence.
pub fn run(check: Check, secret: &str) -> Option<f32> {
    match check {
        Check::None => Some(0.0),
        Check::Crc32Base62 => Some(if checksum::crc32_base62_valid(secret, 4) { 0.14 } else { 0.0 }),
        Check::DiscordBot => discord_user_id(secret).then_some(0.05),
        Check::B64PrivateKey => b64_private_key(secret).then_some(0.1),
        Check::UserPass => user_pass(secret).is_some().then_some(0.0),
        Check::Password => (!placeholder::password_is_placeholder(secret)).then_some(0.0),
    }
}

/// The first segment of a Discord bot token is the bot's user id (a 17–20
/// digit snowflake) in base64.
fn discord_user_id(secret: &str) -> bool {
    let Some(first) = secret.split('.').next() else { return false };
    match b64::decode(first) {
        Some(id) => (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit),
        None => false,
    }
}

/// A base64 blob that decodes to `-----BEGIN … PRIVATE KEY-----`.
fn b64_private_key(secret: &str) -> bool {
    match b64::decode_prefix(secret, 80) {
        Some(head) => {
            let head = String::from_utf8_lossy(&head);
            head.starts_with("-----BEGIN ") && head.contains("PRIVATE KEY")
        }
        None => false,
    }
}

/// Decodes base64 `user:password` and returns the password's byte length
/// when both parts are printable, non-empty and the password is no placeholder.
pub fn user_pass(encoded: &str) -> Option<usize> {
    let raw = b64::decode(encoded)?;
    let text = std::str::from_utf8(&raw).ok()?;
    if text.chars().any(char::is_control) {
        return None;
    }
    let (user, pass) = text.split_once(':')?;
    if user.is_empty() || pass.len() < 3 || pass == user || placeholder::password_is_placeholder(pass) {
        return None;
    }
    Some(pass.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_pass_needs_a_real_password() {
        assert!(user_pass("YWxpY2U6czNjcmV0LVBhc3M=").is_some()); // alice:s3cret-Pass
        assert!(user_pass("dXNlcjpwYXNzd29yZA==").is_none()); // user:password
        assert!(user_pass("bm8tY29sb24taGVyZQ==").is_none()); // no-colon-here
    }

    #[test]
    fn discord_ids_are_digits() {
        // "123456789012345678" in base64.
        assert!(discord_user_id("MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.x"));
        assert!(!discord_user_id("aGVsbG8gd29ybGQgZm9vYmFy.GaBcDe.x"));
    }
}
