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

/// Most password slots tried in one import (Aegis writes one per password
/// the user set: one, rarely two or three). A file with more is refused
/// before any key derivation.
pub(crate) const MAX_PASSWORD_SLOTS: usize = 16;

/// One key derivation to try: a password encoding against a slot.
struct Attempt<'a> {
    slot: &'a Opened,
    password: Zeroizing<Vec<u8>>,
}

/// A password slot with its fields decoded and its scrypt work checked.
struct Opened {
    n: u64,
    r: u32,
    p: u32,
    salt: Vec<u8>,
    wrapped: Vec<u8>,
    nonce: Vec<u8>,
}

/// A key derivation: (password, salt, N, r, p) to a key.
type Derive<'a> = dyn FnMut(&[u8], &[u8], u64, u32, u32) -> Result<crypto::Key, BackupError> + 'a;

/// Unwraps the master key with the first password slot the password opens.
fn unlock(slots: &[Slot], password: &str) -> Result<crypto::Key, BackupError> {
    unlock_with(slots, password, &mut |pw, salt, n, r, p| {
        crypto::scrypt_key(FORMAT, pw, salt, n, r, p)
    })
}

/// [`unlock`] with the derivation given. Every slot and the total work of
/// all derivations it might run are checked first, so a file made to
/// stall the import (many slots at the per-slot bound) is refused before
/// any derivation: the password as typed is tried on each slot, then the
/// old Java encoding on the slots not marked `repaired`.
fn unlock_with(
    slots: &[Slot],
    password: &str,
    derive: &mut Derive<'_>,
) -> Result<crypto::Key, BackupError> {
    let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == 1).collect();
    if password_slots.is_empty() {
        return Err(BackupError::Unsupported {
            what: String::from("This Aegis vault"),
            reason: String::from(
                "it has no password slot (only biometric or raw keys, which stay on the phone); export it from Aegis with a password",
            ),
        });
    }
    if password_slots.len() > MAX_PASSWORD_SLOTS {
        return Err(BackupError::KdfLimits {
            format: FORMAT,
            detail: format!(
                "{} password slots; at most {MAX_PASSWORD_SLOTS} are tried",
                password_slots.len()
            ),
        });
    }
    let mut opened = Vec::with_capacity(password_slots.len());
    for slot in &password_slots {
        let (Some(n), Some(r), Some(p), Some(salt)) = (slot.n, slot.r, slot.p, &slot.salt) else {
            return Err(malformed(
                FORMAT,
                "a password slot lacks its scrypt parameters",
            ));
        };
        crypto::scrypt_work(FORMAT, n, r, p)?;
        let mut wrapped = hex_field(&slot.key, "slot key")?;
        wrapped.extend(hex_field(&slot.key_params.tag, "slot tag")?);
        opened.push(Opened {
            n,
            r,
            p,
            salt: hex_field(salt, "slot salt")?,
            wrapped,
            nonce: hex_field(&slot.key_params.nonce, "slot nonce")?,
        });
    }
    let old = java_old_bytes(password);
    let mut attempts: Vec<Attempt<'_>> = opened
        .iter()
        .map(|slot| Attempt {
            slot,
            password: Zeroizing::new(password.as_bytes().to_vec()),
        })
        .collect();
    if old.as_slice() != password.as_bytes() {
        for (slot, opened) in password_slots.iter().zip(&opened) {
            if slot.repaired != Some(true) {
                attempts.push(Attempt {
                    slot: opened,
                    password: old.clone(),
                });
            }
        }
    }
    let total = attempts.iter().fold(0u64, |sum, a| {
        let work = a.slot.n.saturating_mul(u64::from(a.slot.r));
        sum.saturating_add(work.saturating_mul(u64::from(a.slot.p)))
    });
    crypto::check_scrypt_total(FORMAT, total, attempts.len())?;
    for attempt in &attempts {
        let slot = attempt.slot;
        let kek = derive(&attempt.password, &slot.salt, slot.n, slot.r, slot.p)?;
        if let Some(master) = aes_gcm_open(kek.as_ref(), &slot.nonce, &slot.wrapped) {
            if master.len() != 32 {
                return Err(malformed(FORMAT, "the master key is not 32 bytes"));
            }
            let mut key: crypto::Key = Zeroizing::new([0u8; 32]);
            key.copy_from_slice(&master);
            return Ok(key);
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
        // "totp", "hotp", "steam"; others ("motp", "yandex") are refused.
        let kind = Kind::from_type(&entry.kind, info.period, info.counter);
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
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::import::crypto::{SCRYPT_MAX_TOTAL_WORK, SCRYPT_MAX_WORK, aes_gcm_seal, to_hex};

    const KEK: [u8; 32] = [7; 32];

    /// An encrypted vault file of `count` password slots with scrypt
    /// (`n`, r = 8, `p`); the last slot wraps the master key under [`KEK`],
    /// the others under keys no derivation gives.
    fn vault(count: usize, (n, p): (u64, u32), repaired: bool) -> String {
        let slot = |i: usize| {
            let kek = if i + 1 == count {
                KEK
            } else {
                [100 + i as u8; 32]
            };
            let sealed = aes_gcm_seal(&kek, &[1; 12], &[9; 32]).unwrap();
            let (key, tag) = sealed.split_at(32);
            format!(
                r#"{{"type": 1, "key": "{}", "key_params": {{"nonce": "{}", "tag": "{}"}},
                   "n": {n}, "r": 8, "p": {p}, "salt": "{}", "repaired": {repaired}}}"#,
                to_hex(key),
                to_hex(&[1; 12]),
                to_hex(tag),
                to_hex(&[i as u8; 32])
            )
        };
        let slots: Vec<String> = (0..count).map(slot).collect();
        format!(
            r#"{{"version": 1, "header": {{"slots": [{}], "params": {{"nonce": "{}", "tag": "{}"}}}}, "db": ""}}"#,
            slots.join(","),
            to_hex(&[2; 12]),
            to_hex(&[3; 16])
        )
    }

    /// Runs [`unlock_with`] over `text`'s slots with a fake derivation
    /// (the right key for the last slot's salt); returns the result and
    /// how many derivations ran.
    fn unlock_counting(text: &str, password: &str) -> (Result<crypto::Key, BackupError>, usize) {
        let head: HeaderOnly = serde_json::from_str(text).unwrap();
        let slots = head.header.slots.unwrap();
        let last_salt = from_hex(slots.last().unwrap().salt.as_deref().unwrap()).unwrap();
        let mut calls = 0;
        let result = unlock_with(&slots, password, &mut |_, salt, _, _, _| {
            calls += 1;
            Ok(Zeroizing::new(if salt == last_salt {
                KEK
            } else {
                [0; 32]
            }))
        });
        (result, calls)
    }

    /// Aegis's own parameters (N, p): 2^18 of work per derivation.
    const AEGIS: (u64, u32) = (SCRYPT_N, 1);
    /// The per-derivation bounds at r = 8: 256 MiB and N·r·p = 2^22.
    const CAP: (u64, u32) = (1 << 18, 2);

    #[test]
    fn forty_slots_at_the_bound_are_refused_before_any_derivation() {
        let text = vault(40, CAP, false);
        assert!(text.len() < 20_000, "a small file: {} bytes", text.len());
        let (result, calls) = unlock_counting(&text, "0123456789");
        assert!(matches!(result, Err(BackupError::KdfLimits { .. })));
        assert_eq!(calls, 0);
        // The real import refuses it the same way (no scrypt runs: this
        // would take minutes otherwise).
        assert!(matches!(
            import(&text, Some("0123456789")),
            Err(BackupError::KdfLimits { .. })
        ));
    }

    #[test]
    fn the_total_work_of_all_slots_is_bounded() {
        // Three slots at the per-slot bound are more than one import runs.
        assert_eq!(CAP.0 * 8 * u64::from(CAP.1), SCRYPT_MAX_WORK);
        const { assert!(3 * SCRYPT_MAX_WORK > SCRYPT_MAX_TOTAL_WORK) };
        let (result, calls) = unlock_counting(&vault(3, CAP, true), "pw");
        assert!(matches!(result, Err(BackupError::KdfLimits { .. })));
        assert_eq!(calls, 0);
        // Two fit: both are tried, the second opens.
        let (result, calls) = unlock_counting(&vault(2, CAP, true), "pw");
        assert_eq!(*result.unwrap(), [9; 32]);
        assert_eq!(calls, 2);
        // Unrepaired slots count twice when the old encoding differs: 5
        // slots of 2^20 are 10 derivations of 2^20, over 2^23.
        let mid = ((1 << 20) / 8, 1);
        let (result, calls) = unlock_counting(&vault(5, mid, false), "0123456789");
        assert!(matches!(result, Err(BackupError::KdfLimits { .. })));
        assert_eq!(calls, 0);
        let (result, calls) = unlock_counting(&vault(5, mid, true), "0123456789");
        assert!(result.is_ok());
        assert_eq!(calls, 5);
    }

    #[test]
    fn more_slots_than_tried_are_refused() {
        let (result, calls) = unlock_counting(&vault(MAX_PASSWORD_SLOTS + 1, (2, 1), true), "pw");
        assert!(matches!(result, Err(BackupError::KdfLimits { .. })));
        assert_eq!(calls, 0);
        // Sixteen at Aegis's parameters, both encodings: within the budget.
        let (result, calls) =
            unlock_counting(&vault(MAX_PASSWORD_SLOTS, AEGIS, false), "0123456789");
        assert!(result.is_ok());
        // The typed password on every slot first (the last opens).
        assert_eq!(calls, MAX_PASSWORD_SLOTS);
    }

    #[test]
    fn a_wrong_password_tries_each_derivation_once() {
        let text = vault(2, AEGIS, false);
        let head: HeaderOnly = serde_json::from_str(&text).unwrap();
        let slots = head.header.slots.unwrap();
        let mut calls = 0;
        let result = unlock_with(&slots, "0123456789", &mut |_, _, _, _, _| {
            calls += 1;
            Ok(Zeroizing::new([0; 32]))
        });
        assert!(matches!(result, Err(BackupError::WrongPassword(_))));
        assert_eq!(calls, 4);
    }

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
