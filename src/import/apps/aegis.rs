//! Aegis vault files (beemdevelopment/Aegis `docs/vault.md`): plain, or
//! encrypted with a random master key wrapped by scrypt-derived password
//! slots, AES-256-GCM everywhere, no associated data.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::Zeroizing;

use super::{Fields, Kind};
use crate::import::crypto::{self, aes_gcm_open, from_hex};
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;

pub(crate) const FORMAT: Format = Format::Aegis;
/// Newest vault file version read and written.
pub(crate) const FILE_VERSION: u32 = 1;
/// Newest database version read.
const DB_VERSION: u32 = 3;
/// Database version written: 2, the newest that GNOME Authenticator accepts
/// in a plain file; every Aegis version since groups exist reads it (an
/// empty group list is written, entries carry no group).
pub(crate) const WRITE_DB_VERSION: u32 = 2;
/// scrypt parameters of Aegis (`CryptoUtils.CRYPTO_SCRYPT_*`), used for export.
pub(crate) const SCRYPT_N: u64 = 1 << 15;
pub(crate) const SCRYPT_R: u32 = 8;
pub(crate) const SCRYPT_P: u32 = 1;

#[derive(Deserialize)]
struct HeaderOnly {
    version: u32,
    header: Header,
    #[allow(dead_code)]
    db: IgnoredAny,
}

#[derive(Deserialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<CryptParams>,
}

#[derive(Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u8,
    key: String,
    key_params: CryptParams,
    n: Option<u64>,
    r: Option<u32>,
    p: Option<u32>,
    salt: Option<String>,
    repaired: Option<bool>,
}

#[derive(Deserialize)]
struct CryptParams {
    nonce: String,
    tag: String,
}

#[derive(Deserialize)]
struct PlainFile {
    db: Db,
}

#[derive(Deserialize)]
struct EncryptedFile {
    db: String,
}

#[derive(Deserialize)]
struct Db {
    version: u32,
    entries: Vec<DbEntry>,
}

#[derive(Deserialize)]
struct DbEntry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    info: Info,
}

#[derive(Deserialize)]
struct Info {
    secret: SecretText,
    #[serde(default)]
    algo: Option<String>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    counter: Option<i64>,
}

/// Whether an Aegis file has key slots (is encrypted).
pub(crate) fn is_encrypted(text: &str) -> bool {
    serde_json::from_str::<HeaderOnly>(text).is_ok_and(|f| f.header.slots.is_some())
}

pub(crate) fn import(text: &str, password: Option<&str>) -> Result<Report, BackupError> {
    let head: HeaderOnly = serde_json::from_str(text).map_err(|e| bad_json(FORMAT, &e))?;
    if head.version > FILE_VERSION {
        return Err(malformed(
            FORMAT,
            format!(
                "vault file version {} is newer than the version {FILE_VERSION} Tessera reads",
                head.version
            ),
        ));
    }
    let Some(slots) = head.header.slots else {
        let file: PlainFile = serde_json::from_str(text).map_err(|e| bad_json(FORMAT, &e))?;
        return convert(file.db, false);
    };
    let password = password.ok_or(BackupError::PasswordRequired(FORMAT))?;
    let params = head
        .header
        .params
        .ok_or_else(|| malformed(FORMAT, "the encrypted vault has no header.params"))?;
    let master = unlock(&slots, password)?;
    let file: EncryptedFile = serde_json::from_str(text).map_err(|e| bad_json(FORMAT, &e))?;
    let mut sealed = STANDARD
        .decode(file.db.trim())
        .map_err(|e| malformed(FORMAT, format!("db is not Base64 ({e})")))?;
    sealed.extend(hex_field(&params.tag, "header.params.tag")?);
    let nonce = hex_field(&params.nonce, "header.params.nonce")?;
    let plain = aes_gcm_open(master.as_ref(), &nonce, &sealed).ok_or_else(|| {
        malformed(
            FORMAT,
            "the vault contents failed authentication: the file is damaged",
        )
    })?;
    let db: Db = serde_json::from_slice(&plain).map_err(|e| bad_json(FORMAT, &e))?;
    convert(db, true)
}

fn hex_field(text: &str, what: &str) -> Result<Vec<u8>, BackupError> {
    from_hex(text).ok_or_else(|| malformed(FORMAT, format!("{what} is not hex")))
}

/// Unwraps the master key with the first password slot the password opens.
fn unlock(slots: &[Slot], password: &str) -> Result<crypto::Key, BackupError> {
    let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == 1).collect();
    if password_slots.is_empty() {
        return Err(BackupError::Unsupported {
            what: String::from("This Aegis vault"),
            reason: String::from(
                "it has no password slot (only biometric or raw keys, which stay on the phone); export it from Aegis with a password",
            ),
        });
    }
    for slot in password_slots {
        let (Some(n), Some(r), Some(p), Some(salt)) = (slot.n, slot.r, slot.p, &slot.salt) else {
            return Err(malformed(
                FORMAT,
                "a password slot lacks its scrypt parameters",
            ));
        };
        let salt = hex_field(salt, "slot salt")?;
        let mut wrapped = hex_field(&slot.key, "slot key")?;
        wrapped.extend(hex_field(&slot.key_params.tag, "slot tag")?);
        let nonce = hex_field(&slot.key_params.nonce, "slot nonce")?;
        let mut candidates = vec![Zeroizing::new(password.as_bytes().to_vec())];
        if slot.repaired != Some(true) {
            let old = java_old_bytes(password);
            if old.as_slice() != password.as_bytes() {
                candidates.push(old);
            }
        }
        for candidate in candidates {
            let kek = crypto::scrypt_key(FORMAT, &candidate, &salt, n, r, p)?;
            if let Some(master) = aes_gcm_open(kek.as_ref(), &nonce, &wrapped) {
                if master.len() != 32 {
                    return Err(malformed(FORMAT, "the master key is not 32 bytes"));
                }
                let mut key: crypto::Key = Zeroizing::new([0u8; 32]);
                key.copy_from_slice(&master);
                return Ok(key);
            }
        }
    }
    Err(BackupError::WrongPassword(FORMAT))
}

/// The password bytes of old Aegis versions (`CryptoUtils.toBytesOld`):
/// Java's UTF-8 encoder buffer including its unused zero tail. Vaults whose
/// slot is not marked `repaired` may have been made that way.
fn java_old_bytes(password: &str) -> Zeroizing<Vec<u8>> {
    let utf16_len = password.encode_utf16().count();
    let mut capacity = (utf16_len as f32 * 1.1f32) as usize;
    let needed = password.len();
    while capacity < needed {
        capacity = 2 * capacity + 1;
    }
    let mut bytes = Zeroizing::new(password.as_bytes().to_vec());
    bytes.resize(capacity, 0);
    bytes
}

fn convert(db: Db, encrypted: bool) -> Result<Report, BackupError> {
    if db.version > DB_VERSION {
        return Err(malformed(
            FORMAT,
            format!(
                "database version {} is newer than the version {DB_VERSION} Tessera reads",
                db.version
            ),
        ));
    }
    if db.entries.len() > MAX_ENTRIES {
        return Err(malformed(FORMAT, "too many entries"));
    }
    let mut report = Report::new(FORMAT, encrypted);
    for entry in &db.entries {
        let name = entry.name.as_deref().unwrap_or("");
        let issuer = entry.issuer.as_deref();
        let info = &entry.info;
        let kind = if entry.kind.eq_ignore_ascii_case("totp") {
            Kind::Totp(info.period.unwrap_or(30))
        } else if entry.kind.eq_ignore_ascii_case("hotp") {
            Kind::Hotp(info.counter.unwrap_or(0))
        } else {
            Kind::Other(&entry.kind)
        };
        let fields = Fields {
            issuer,
            name,
            secret: &info.secret.0,
            algorithm: info.algo.as_deref(),
            digits: info.digits,
        };
        let (label, result) = fields.build(kind);
        report.push(label, result);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_java_password_bytes() {
        // 4 ASCII chars: buffer of (int)(4 * 1.1f) = 4 bytes, no tail.
        assert_eq!(java_old_bytes("test").as_slice(), b"test");
        // 10 ASCII chars: 11-byte buffer, one zero at the end.
        assert_eq!(java_old_bytes("0123456789").len(), 11);
        // 2 chars, 4 UTF-8 bytes: 2 -> 5 bytes.
        assert_eq!(java_old_bytes("éé").len(), 5);
    }
}
