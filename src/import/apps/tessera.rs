//! The Tessera backup format, version 1 (layout in the module docs of
//! the export module): Argon2id + XChaCha20-Poly1305, the whole header as
//! associated data. Its constants, parameters and key derivation are shared
//! with the writer (`tessera.rs` of the export module).

use argon2::{Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Kind, build_account, raw_label};
use crate::import::crypto::Key;
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;
use crate::secret::Secret;

const FORMAT: Format = Format::TesseraBackup;
pub(crate) const MAGIC: &[u8; 8] = b"TSRBACKP";
pub(crate) const VERSION: u16 = 1;
pub(crate) const KDF_ARGON2ID: u8 = 1;
pub(crate) const SALT_LEN: usize = 16;
pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const HEADER_LEN: usize = 8 + 2 + 1 + 12 + SALT_LEN + NONCE_LEN;
pub(crate) const TAG_LEN: usize = 16;

/// Parameters written (RFC 9106 second option: 64 MiB, 3 passes, 4 lanes).
pub const WRITE_M_KIB: u32 = 64 * 1024;
pub const WRITE_T: u32 = 3;
pub const WRITE_P: u32 = 4;
/// Bounds checked before running parameters read from a file.
pub(crate) const MIN_M_KIB: u32 = 8 * 1024;
const MAX_M_KIB: u32 = 1024 * 1024;
const MAX_T: u32 = 20;
const MAX_P: u32 = 16;

/// Argon2 parameters of a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self {
            m_kib: WRITE_M_KIB,
            t: WRITE_T,
            p: WRITE_P,
        }
    }
}

impl KdfParams {
    fn check(self) -> Result<(), BackupError> {
        let refuse = |detail: String| {
            Err(BackupError::KdfLimits {
                format: FORMAT,
                detail,
            })
        };
        if !(MIN_M_KIB..=MAX_M_KIB).contains(&self.m_kib) {
            return refuse(format!(
                "Argon2 memory {} KiB not in {MIN_M_KIB}..={MAX_M_KIB}",
                self.m_kib
            ));
        }
        if !(1..=MAX_T).contains(&self.t) {
            return refuse(format!("Argon2 passes {} not in 1..={MAX_T}", self.t));
        }
        if !(1..=MAX_P).contains(&self.p) {
            return refuse(format!("Argon2 lanes {} not in 1..={MAX_P}", self.p));
        }
        Ok(())
    }
}

pub(crate) fn derive(password: &str, salt: &[u8], params: KdfParams) -> Result<Key, BackupError> {
    params.check()?;
    let argon_params = Params::new(params.m_kib, params.t, params.p, Some(32)).map_err(|e| {
        BackupError::KdfLimits {
            format: FORMAT,
            detail: e.to_string(),
        }
    })?;
    let argon = Argon2::new(argon2::Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut key: Key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(|_| BackupError::Encrypt)?;
    Ok(key)
}

#[derive(Deserialize)]
struct InPayload {
    version: u32,
    accounts: Vec<InAccount>,
}

#[derive(Deserialize)]
struct InAccount {
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    name: String,
    secret: SecretText,
    algorithm: String,
    digits: i64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    counter: Option<i64>,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

pub(crate) fn import(bytes: &[u8], password: &str) -> Result<Report, BackupError> {
    if bytes.len() < HEADER_LEN + TAG_LEN || !bytes.starts_with(MAGIC) {
        return Err(malformed(FORMAT, "the file is truncated"));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != VERSION {
        return Err(malformed(
            FORMAT,
            format!(
                "format version {version} is not the version {VERSION} this Tessera reads; update Tessera"
            ),
        ));
    }
    if bytes[10] != KDF_ARGON2ID {
        return Err(malformed(
            FORMAT,
            format!("unknown key derivation id {}", bytes[10]),
        ));
    }
    let params = KdfParams {
        m_kib: u32_at(bytes, 11),
        t: u32_at(bytes, 15),
        p: u32_at(bytes, 19),
    };
    let salt = &bytes[23..23 + SALT_LEN];
    let nonce = &bytes[23 + SALT_LEN..HEADER_LEN];
    let key = derive(password, salt, params)?;
    let nonce = XNonce::try_from(nonce).map_err(|_| BackupError::Encrypt)?;
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_ref()).map_err(|_| BackupError::Encrypt)?;
    let plain = cipher
        .decrypt(
            &nonce,
            Payload {
                msg: &bytes[HEADER_LEN..],
                aad: &bytes[..HEADER_LEN],
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| BackupError::WrongPassword(FORMAT))?;
    let payload: InPayload = serde_json::from_slice(&plain).map_err(|e| bad_json(FORMAT, &e))?;
    if payload.version != 1 {
        return Err(malformed(
            FORMAT,
            format!("payload version {} is not known", payload.version),
        ));
    }
    if payload.accounts.len() > MAX_ENTRIES {
        return Err(malformed(FORMAT, "too many accounts"));
    }
    let mut report = Report::new(FORMAT, true);
    for a in &payload.accounts {
        let kind = match a.kind.as_str() {
            "totp" => Kind::Totp(a.period.unwrap_or(30)),
            "hotp" => Kind::Hotp(a.counter.unwrap_or(0)),
            "steam" => Kind::Steam,
            other => Kind::Other(other),
        };
        let result = build_account(
            a.issuer.as_deref(),
            &a.name,
            Secret::from_base32(&a.secret.0),
            &a.algorithm,
            a.digits,
            kind,
        );
        report.push(raw_label(a.issuer.as_deref(), &a.name), result);
    }
    Ok(report)
}
