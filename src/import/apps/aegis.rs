//! Aegis vault files (beemdevelopment/Aegis `docs/vault.md`): plain, or
//! encrypted with a random master key wrapped by scrypt-derived password
//! slots, AES-256-GCM everywhere, no associated data.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::import::crypto::{self, aes_gcm_open, aes_gcm_seal, from_hex, to_hex};
use crate::import::json::{SecretText, bad_json, malformed};
use super::{Kind, build_account, raw_label};
use crate::import::{BackupError, Format, MAX_ENTRIES, Report};
use crate::account::{Account, OtpKind};
use crate::secret::Secret;

const FORMAT: Format = Format::Aegis;
/// Newest vault file version read and written.
const FILE_VERSION: u32 = 1;
/// Newest database version read.
const DB_VERSION: u32 = 3;
/// Database version written: 2, the newest that GNOME Authenticator accepts
/// in a plain file; every Aegis version since groups exist reads it (an
/// empty group list is written, entries carry no group).
const WRITE_DB_VERSION: u32 = 2;
/// scrypt parameters of Aegis (`CryptoUtils.CRYPTO_SCRYPT_*`), used for export.
const SCRYPT_N: u64 = 1 << 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;

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
        let result = build_account(
            issuer,
            name,
            Secret::from_base32(&info.secret.0),
            info.algo.as_deref().unwrap_or("SHA1"),
            info.digits.unwrap_or(6),
            kind,
        );
        report.push(raw_label(issuer, name), result);
    }
    Ok(report)
}

#[derive(Serialize)]
struct OutDb<'a> {
    version: u32,
    entries: Vec<OutEntry<'a>>,
    groups: Vec<String>,
    icons_optimized: bool,
}

#[derive(Serialize)]
struct OutEntry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'static str,
    favorite: bool,
    icon: Option<String>,
    icon_mime: Option<String>,
    info: OutInfo<'a>,
}

#[derive(Serialize)]
struct OutInfo<'a> {
    secret: &'a str,
    algo: &'static str,
    digits: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

fn db_json(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let secrets: Vec<Zeroizing<String>> = accounts
        .iter()
        .map(|a| Zeroizing::new(a.secret.to_base32()))
        .collect();
    let mut entries = Vec::with_capacity(accounts.len());
    for (account, secret) in accounts.iter().zip(&secrets) {
        let (period, counter) = match account.kind {
            OtpKind::Totp { period } => (Some(period.get()), None),
            OtpKind::Hotp { counter } => (None, Some(counter)),
        };
        entries.push(OutEntry {
            kind: account.kind.type_name(),
            uuid: crypto::uuid_v4()?,
            name: &account.name,
            issuer: account.issuer.as_deref().unwrap_or(""),
            note: "",
            favorite: false,
            icon: None,
            icon_mime: None,
            info: OutInfo {
                secret: secret.as_str(),
                algo: account.algorithm.as_str(),
                digits: account.digits.get(),
                period,
                counter,
            },
        });
    }
    let db = OutDb {
        version: WRITE_DB_VERSION,
        entries,
        groups: Vec::new(),
        icons_optimized: true,
    };
    serde_json::to_vec(&db)
        .map(Zeroizing::new)
        .map_err(|_| BackupError::Encrypt)
}

/// A plain Aegis vault (every secret in clear text).
pub(crate) fn export_plain(accounts: &[Account]) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let db = db_json(accounts)?;
    let mut out = Zeroizing::new(Vec::with_capacity(db.len() + 96));
    out.extend_from_slice(
        format!(
            "{{\"version\":{FILE_VERSION},\"header\":{{\"slots\":null,\"params\":null}},\"db\":"
        )
        .as_bytes(),
    );
    out.extend_from_slice(&db);
    out.extend_from_slice(b"}\n");
    Ok(out)
}

#[derive(Serialize)]
struct OutFile {
    version: u32,
    header: OutHeader,
    db: String,
}

#[derive(Serialize)]
struct OutHeader {
    slots: Vec<OutSlot>,
    params: OutParams,
}

#[derive(Serialize)]
struct OutSlot {
    #[serde(rename = "type")]
    kind: u8,
    uuid: String,
    key: String,
    key_params: OutParams,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

#[derive(Serialize)]
struct OutParams {
    nonce: String,
    tag: String,
}

/// Splits `ciphertext || tag` into hex-free parts.
fn split_tag(sealed: &[u8]) -> Result<(&[u8], &[u8]), BackupError> {
    if sealed.len() < 16 {
        return Err(BackupError::Encrypt);
    }
    Ok(sealed.split_at(sealed.len() - 16))
}

/// An encrypted Aegis vault with one password slot (scrypt N=2^15, r=8,
/// p=1), as Aegis itself writes it.
pub(crate) fn export_encrypted(
    accounts: &[Account],
    password: &str,
) -> Result<Vec<u8>, BackupError> {
    let db = db_json(accounts)?;
    let master = crypto::random_key()?;
    let salt: [u8; 32] = crypto::random()?;
    let kek = crypto::scrypt_key(
        FORMAT,
        password.as_bytes(),
        &salt,
        SCRYPT_N,
        SCRYPT_R,
        SCRYPT_P,
    )?;
    let key_nonce: [u8; 12] = crypto::random()?;
    let wrapped = aes_gcm_seal(kek.as_ref(), &key_nonce, master.as_ref())?;
    let (wrapped_key, wrapped_tag) = split_tag(&wrapped)?;
    let db_nonce: [u8; 12] = crypto::random()?;
    let sealed = aes_gcm_seal(master.as_ref(), &db_nonce, &db)?;
    let (db_ct, db_tag) = split_tag(&sealed)?;
    let file = OutFile {
        version: FILE_VERSION,
        header: OutHeader {
            slots: vec![OutSlot {
                kind: 1,
                uuid: crypto::uuid_v4()?,
                key: to_hex(wrapped_key),
                key_params: OutParams {
                    nonce: to_hex(&key_nonce),
                    tag: to_hex(wrapped_tag),
                },
                n: SCRYPT_N,
                r: SCRYPT_R,
                p: SCRYPT_P,
                salt: to_hex(&salt),
                repaired: true,
                is_backup: false,
            }],
            params: OutParams {
                nonce: to_hex(&db_nonce),
                tag: to_hex(db_tag),
            },
        },
        db: STANDARD.encode(db_ct),
    };
    let mut out = serde_json::to_vec_pretty(&file).map_err(|_| BackupError::Encrypt)?;
    out.push(b'\n');
    Ok(out)
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
