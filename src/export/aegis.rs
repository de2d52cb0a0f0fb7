//! Writing Aegis vault files, plain or with one password slot (the reader
//! and the format's constants are in [`crate::import::apps::aegis`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::account::{Account, OtpKind};
use crate::import::apps::aegis::{
    FILE_VERSION, FORMAT, SCRYPT_N, SCRYPT_P, SCRYPT_R, WRITE_DB_VERSION,
};
use crate::import::crypto::{self, aes_gcm_seal, to_hex};
use crate::import::error::BackupError;

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
        // Steam: Aegis's own entry shape (type steam, SHA1, 5 digits, 30 s).
        let (period, counter) = match account.kind {
            OtpKind::Hotp { counter } => (None, Some(counter)),
            kind => (kind.period().map(|p| p.get()), None),
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
                algo: account.code_algorithm().as_str(),
                digits: account.code_length(),
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
