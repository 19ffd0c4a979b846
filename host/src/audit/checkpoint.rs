//! Checkpoints: remembered chain heads, optionally signed with Ed25519 so that
//! an exported log can be checked by whoever holds the public key.

use std::path::Path;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::chain::checkpoint_message;

/// Why a checkpoint was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckpointKind {
    /// Every `audit.checkpoint.every` events, and at export.
    Signed,
    /// Where retention cut the chain: the first retained event chains from `hash`.
    Retention,
}

impl CheckpointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckpointKind::Signed => "signed",
            CheckpointKind::Retention => "retention",
        }
    }

    pub fn parse(s: &str) -> Option<CheckpointKind> {
        match s {
            "signed" => Some(CheckpointKind::Signed),
            "retention" => Some(CheckpointKind::Retention),
            _ => None,
        }
    }
}

/// The hash of the event at `seq`, as of `timestamp_us`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub seq: i64,
    pub kind: CheckpointKind,
    pub hash: String,
    pub timestamp_us: i64,
    /// Hex public key of the signer, when signed.
    pub key_id: Option<String>,
    /// Hex Ed25519 signature over [`checkpoint_message`], when signed.
    pub signature: Option<String>,
}

impl Checkpoint {
    fn message(&self) -> Vec<u8> {
        checkpoint_message(self.seq, &self.hash, self.timestamp_us, self.kind.as_str())
    }
}

/// A key problem, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("public key: {0}")]
    Public(String),
}

/// Signs checkpoints with the gateway's private key.
pub struct CheckpointSigner {
    key: SigningKey,
}

impl CheckpointSigner {
    /// Reads a PKCS#8 PEM Ed25519 private key.
    pub fn from_file(path: &Path) -> Result<CheckpointSigner, KeyError> {
        let err = |reason: String| KeyError::File { path: path.display().to_string(), reason };
        let pem = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let key =
            SigningKey::from_pkcs8_pem(&pem).map_err(|e| err(format!("not a PKCS#8 PEM Ed25519 private key ({e})")))?;
        Ok(CheckpointSigner { key })
    }

    /// A fresh random key.
    pub fn generate() -> Result<CheckpointSigner, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Public(format!("no randomness: {e}")))?;
        Ok(CheckpointSigner { key: SigningKey::from_bytes(&seed) })
    }

    /// The private key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, KeyError> {
        self.key.to_pkcs8_pem(LineEnding::LF).map(|p| p.to_string()).map_err(|e| KeyError::Public(e.to_string()))
    }

    pub fn verifier(&self) -> CheckpointVerifier {
        CheckpointVerifier { key: self.key.verifying_key() }
    }

    /// A signed checkpoint of `hash` at `seq`.
    pub fn sign(&self, seq: i64, kind: CheckpointKind, hash: &str, timestamp_us: i64) -> Checkpoint {
        let mut c = Checkpoint { seq, kind, hash: hash.to_string(), timestamp_us, key_id: None, signature: None };
        let signature = self.key.sign(&c.message());
        c.key_id = Some(self.verifier().key_id());
        c.signature = Some(hex::encode(signature.to_bytes()));
        c
    }
}

/// Checks checkpoint signatures with a public key.
#[derive(Clone)]
pub struct CheckpointVerifier {
    key: VerifyingKey,
}

impl CheckpointVerifier {
    /// A public key given as 64 hex characters, as a PEM (SPKI) text, or as
    /// the path of a file holding either.
    pub fn parse(text_or_path: &str) -> Result<CheckpointVerifier, KeyError> {
        let text = match std::fs::read_to_string(text_or_path) {
            Ok(contents) => contents,
            Err(_) => text_or_path.to_string(),
        };
        let text = text.trim();
        if text.starts_with("-----BEGIN PUBLIC KEY-----") {
            let key = VerifyingKey::from_public_key_pem(text).map_err(|e| KeyError::Public(e.to_string()))?;
            return Ok(CheckpointVerifier { key });
        }
        let bytes = hex::decode(text).map_err(|_| {
            KeyError::Public(format!("`{text_or_path}` is neither a file, a PEM public key nor 64 hex characters"))
        })?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|_| KeyError::Public("an Ed25519 public key is 32 bytes".into()))?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|e| KeyError::Public(e.to_string()))?;
        Ok(CheckpointVerifier { key })
    }

    /// The public key in hex (also the `key_id` of its checkpoints).
    pub fn key_id(&self) -> String {
        hex::encode(self.key.as_bytes())
    }

    pub fn to_pem(&self) -> Result<String, KeyError> {
        self.key.to_public_key_pem(LineEnding::LF).map_err(|e| KeyError::Public(e.to_string()))
    }

    /// Whether `c` carries a valid signature by this key.
    pub fn check(&self, c: &Checkpoint) -> Result<(), String> {
        let Some(sig) = &c.signature else { return Err("it is not signed".into()) };
        let bytes = hex::decode(sig).map_err(|_| "its signature is not hex".to_string())?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| "its signature is not 64 bytes".to_string())?;
        self.key
            .verify(&c.message(), &Signature::from_bytes(&bytes))
            .map_err(|_| "its signature does not verify with this public key".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_checkpoint_verifies_and_an_edited_one_does_not() {
        let signer = CheckpointSigner::generate().unwrap();
        let verifier = CheckpointVerifier::parse(&signer.verifier().key_id()).unwrap();
        let c = signer.sign(10, CheckpointKind::Signed, &"a".repeat(64), 5);
        verifier.check(&c).unwrap();
        let mut edited = c.clone();
        edited.seq = 11;
        assert!(verifier.check(&edited).is_err());
        let other = CheckpointSigner::generate().unwrap().verifier();
        assert!(other.check(&c).is_err());
    }

    #[test]
    fn keys_round_trip_through_pem() {
        let signer = CheckpointSigner::generate().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.pem");
        std::fs::write(&path, signer.to_pem().unwrap()).unwrap();
        let again = CheckpointSigner::from_file(&path).unwrap();
        assert_eq!(again.verifier().key_id(), signer.verifier().key_id());
        let public = CheckpointVerifier::parse(&signer.verifier().to_pem().unwrap()).unwrap();
        assert_eq!(public.key_id(), signer.verifier().key_id());
    }
}
