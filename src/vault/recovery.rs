//! The recovery key: 160 random bits shown once as 32 Base32 characters,
//! hashed into the key-encryption key of the recovery slot.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::secret::{decode_base32, encode_base32};

use super::crypto::{KEY_LEN, Key, random_vec};
use super::error::VaultError;

/// Bytes of a recovery key (160 bits).
const RECOVERY_BYTES: usize = 20;

/// A recovery key, shown once at creation: 32 Base32 characters in groups
/// of four. Zeroized on drop; `Debug` is redacted.
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    pub(super) fn generate() -> Result<(Self, Key), VaultError> {
        let bytes = Zeroizing::new(random_vec(RECOVERY_BYTES)?);
        let text = Zeroizing::new(encode_base32(&bytes));
        let grouped: String = text
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        Ok((Self(Zeroizing::new(grouped)), recovery_kek(&bytes)))
    }

    /// The key as text, to show the user once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey([redacted])")
    }
}

/// Whether a text has the shape of a recovery key (to tell it from a
/// password at a prompt).
pub fn looks_like_recovery_key(text: &str) -> bool {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    compact.len() == 32
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && decode_base32(&compact).is_ok_and(|b| b.len() == RECOVERY_BYTES)
}

fn recovery_kek(bytes: &[u8]) -> Key {
    let mut hasher = Sha256::new();
    hasher.update(b"tessera-recovery-v1\0");
    hasher.update(bytes);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&hasher.finalize());
    key
}

pub(super) fn parse_recovery(text: &str) -> Result<Key, VaultError> {
    let bytes = decode_base32(text).map_err(|_| VaultError::MalformedRecoveryKey)?;
    if bytes.len() != RECOVERY_BYTES {
        return Err(VaultError::MalformedRecoveryKey);
    }
    Ok(recovery_kek(&bytes))
}
