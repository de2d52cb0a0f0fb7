//! andOTP backups: a JSON array of entries, plain or encrypted.
//!
//! Encrypted, new format: `iterations (u32 BE) | salt (12) | nonce (12) |
//! ciphertext || tag`, key = PBKDF2-HMAC-SHA1(password, salt, iterations,
//! 256 bits). Old format: `nonce (12) | ciphertext || tag`, key =
//! SHA-256(password). Both AES-256-GCM. The files carry no signature, so the
//! cheap old format is tried first, then the new one if its iteration count
//! is within bounds.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{Fields, Kind};
use crate::import::crypto::{self, PBKDF2_MAX_ITERATIONS, Prf, aes_gcm_open};
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;

const FORMAT: Format = Format::AndOtp;
const NONCE: usize = 12;
const SALT: usize = 12;
const TAG: usize = 16;

#[derive(Deserialize)]
struct AndOtpEntry {
    secret: SecretText,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    counter: Option<i64>,
}

pub(crate) fn import_plain(bytes: &[u8], encrypted: bool) -> Result<Report, BackupError> {
    let entries: Vec<AndOtpEntry> =
        serde_json::from_slice(bytes).map_err(|e| bad_json(FORMAT, &e))?;
    if entries.len() > MAX_ENTRIES {
        return Err(malformed(FORMAT, "too many entries"));
    }
    let mut report = Report::new(FORMAT, encrypted);
    for entry in &entries {
        let label = entry.label.as_deref().unwrap_or("");
        let (issuer, name) = match entry.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
            Some(issuer) => (Some(issuer), label),
            // Old andOTP versions had no issuer field: "Issuer - name".
            None => match label.split_once(" - ") {
                Some((issuer, name)) => (Some(issuer), name),
                None => (None, label),
            },
        };
        // Some versions also kept "Issuer:" at the start of the name.
        let name = issuer
            .and_then(|i| name.strip_prefix(i))
            .and_then(|rest| rest.strip_prefix(':'))
            .unwrap_or(name);
        let type_name = entry.kind.as_deref().unwrap_or("TOTP");
        let kind = Kind::from_type(type_name, entry.period, entry.counter);
        let fields = Fields {
            issuer,
            name,
            secret: &entry.secret.0,
            algorithm: entry.algorithm.as_deref(),
            digits: entry.digits,
        };
        let (label, result) = fields.build(kind);
        report.push(label, result);
    }
    Ok(report)
}

pub(crate) fn import_encrypted(bytes: &[u8], password: &str) -> Result<Report, BackupError> {
    if let Some(plain) = open_old(bytes, password) {
        return import_plain(&plain, true);
    }
    if bytes.len() >= 4 + SALT + NONCE + TAG {
        let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if (1..=PBKDF2_MAX_ITERATIONS).contains(&iterations) {
            let salt = &bytes[4..4 + SALT];
            let nonce = &bytes[4 + SALT..4 + SALT + NONCE];
            let key = crypto::pbkdf2_key(FORMAT, Prf::Sha1, password.as_bytes(), salt, iterations)?;
            if let Some(plain) = aes_gcm_open(key.as_ref(), nonce, &bytes[4 + SALT + NONCE..]) {
                return import_plain(&plain, true);
            }
        }
    }
    Err(BackupError::WrongPassword(FORMAT))
}

fn open_old(bytes: &[u8], password: &str) -> Option<Zeroizing<Vec<u8>>> {
    if bytes.len() < NONCE + TAG {
        return None;
    }
    let mut key: crypto::Key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&Sha256::digest(password.as_bytes()));
    aes_gcm_open(key.as_ref(), &bytes[..NONCE], &bytes[NONCE..])
}
