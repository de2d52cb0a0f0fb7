//! The vault's cryptographic primitives: 256-bit keys, XChaCha20-Poly1305
//! sealing, randomness and the byte encodings of the file (hex, Base64).
//! Used by the file format, the key derivation and the key slots.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use super::error::VaultError;

pub const TAG_LEN: usize = 16;
pub const NONCE_LEN: usize = 24;
pub const KEY_LEN: usize = 32;

/// A 256-bit key (data key or key-encryption key), zeroized on drop.
pub type Key = Zeroizing<[u8; KEY_LEN]>;

/// Encrypts `msg` under `key` with `nonce`, `aad` authenticated.
pub fn seal(key: &Key, nonce: &[u8], aad: &[u8], msg: &[u8]) -> Result<Vec<u8>, VaultError> {
    let nonce = XNonce::try_from(nonce).map_err(|_| VaultError::Encrypt)?;
    let key: &[u8; KEY_LEN] = key;
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .encrypt(&nonce, Payload { msg, aad })
        .map_err(|_| VaultError::Encrypt)
}

/// Decrypts what [`seal`] made; `None` when the key, nonce or data do not match.
pub fn unseal(key: &Key, nonce: &[u8], aad: &[u8], msg: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let nonce = XNonce::try_from(nonce).ok()?;
    let key: &[u8; KEY_LEN] = key;
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(&nonce, Payload { msg, aad })
        .ok()
        .map(Zeroizing::new)
}

/// Bytes from the operating system's random generator.
pub fn random_vec(len: usize) -> Result<Vec<u8>, VaultError> {
    let mut v = vec![0u8; len];
    getrandom::fill(&mut v).map_err(|e| VaultError::Random(e.to_string()))?;
    Ok(v)
}

/// A random 256-bit key.
pub fn random_key() -> Result<Key, VaultError> {
    let mut k = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(k.as_mut()).map_err(|e| VaultError::Random(e.to_string()))?;
    Ok(k)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Serde helper: bytes as standard Base64.
pub mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("bad base64"))
    }
}
