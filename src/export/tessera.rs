//! Writing the Tessera backup format (the reader, constants and key
//! derivation are in [`crate::import::apps::tessera`]).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::account::{Account, OtpKind};
use crate::import::apps::tessera::{
    HEADER_LEN, KDF_ARGON2ID, KdfParams, MAGIC, NONCE_LEN, SALT_LEN, TAG_LEN, VERSION, derive,
};
use crate::import::crypto;
use crate::import::error::BackupError;

#[derive(Serialize)]
struct OutPayload<'a> {
    version: u32,
    /// When the backup was written, RFC 3339 in UTC (readers ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    exported: Option<String>,
    accounts: Vec<OutAccount<'a>>,
}

#[derive(Serialize)]
struct OutAccount<'a> {
    issuer: Option<&'a str>,
    name: &'a str,
    secret: &'a str,
    algorithm: &'static str,
    digits: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// Encrypts `accounts` under `password` with the default parameters,
/// dated `exported` (Unix seconds) when given.
pub fn export(
    accounts: &[Account],
    password: &str,
    exported: Option<u64>,
) -> Result<Vec<u8>, BackupError> {
    seal(accounts, password, KdfParams::default(), exported)
}

/// Encrypts `accounts` under `password` with the given Argon2 parameters
/// (within the read bounds), undated.
pub fn export_with(
    accounts: &[Account],
    password: &str,
    params: KdfParams,
) -> Result<Vec<u8>, BackupError> {
    seal(accounts, password, params, None)
}

fn seal(
    accounts: &[Account],
    password: &str,
    params: KdfParams,
    exported: Option<u64>,
) -> Result<Vec<u8>, BackupError> {
    let secrets: Vec<Zeroizing<String>> = accounts
        .iter()
        .map(|a| Zeroizing::new(a.secret.to_base32()))
        .collect();
    let payload = OutPayload {
        version: 1,
        exported: exported.and_then(crate::dates::rfc3339),
        accounts: accounts
            .iter()
            .zip(&secrets)
            .map(|(a, secret)| {
                let (period, counter) = match a.kind {
                    OtpKind::Hotp { counter } => (None, Some(counter)),
                    kind => (kind.period().map(|p| p.get()), None),
                };
                OutAccount {
                    issuer: a.issuer.as_deref(),
                    name: &a.name,
                    secret: secret.as_str(),
                    algorithm: a.code_algorithm().as_str(),
                    digits: a.code_length(),
                    kind: a.kind.type_name(),
                    period,
                    counter,
                }
            })
            .collect(),
    };
    let plain = Zeroizing::new(serde_json::to_vec(&payload).map_err(|_| BackupError::Encrypt)?);
    let salt: [u8; SALT_LEN] = crypto::random()?;
    let nonce: [u8; NONCE_LEN] = crypto::random()?;
    let mut out = Vec::with_capacity(HEADER_LEN + plain.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.push(KDF_ARGON2ID);
    out.extend_from_slice(&params.m_kib.to_le_bytes());
    out.extend_from_slice(&params.t.to_le_bytes());
    out.extend_from_slice(&params.p.to_le_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    debug_assert_eq!(out.len(), HEADER_LEN);
    let key = derive(password, &salt, params)?;
    let cipher =
        XChaCha20Poly1305::new_from_slice(key.as_ref()).map_err(|_| BackupError::Encrypt)?;
    let sealed = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &plain,
                aad: &out,
            },
        )
        .map_err(|_| BackupError::Encrypt)?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::import::apps::tessera::{MIN_M_KIB, import};
    use crate::secret::Secret;

    fn sample() -> Vec<Account> {
        vec![Account::totp(
            Some("ACME".into()),
            "me",
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        )]
    }

    const FAST: KdfParams = KdfParams {
        m_kib: MIN_M_KIB,
        t: 1,
        p: 1,
    };

    #[test]
    fn the_backup_is_dated_and_still_reads() {
        let bytes = seal(&sample(), "pw", FAST, Some(1_796_173_988)).unwrap();
        assert_eq!(import(&bytes, "pw").unwrap().accounts.len(), 1);
        let salt = &bytes[HEADER_LEN - NONCE_LEN - SALT_LEN..HEADER_LEN - NONCE_LEN];
        let nonce: [u8; NONCE_LEN] = bytes[HEADER_LEN - NONCE_LEN..HEADER_LEN]
            .try_into()
            .unwrap();
        let key = derive("pw", salt, FAST).unwrap();
        let plain = XChaCha20Poly1305::new_from_slice(key.as_ref())
            .unwrap()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &bytes[HEADER_LEN..],
                    aad: &bytes[..HEADER_LEN],
                },
            )
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(doc["exported"], "2026-12-02T01:13:08Z");
        let undated = export_with(&sample(), "pw", FAST).unwrap();
        assert_eq!(import(&undated, "pw").unwrap().accounts.len(), 1);
    }

    #[test]
    fn header_tampering_fails_authentication() {
        let bytes = export_with(&sample(), "pw", FAST).unwrap();
        assert_eq!(import(&bytes, "pw").unwrap().accounts.len(), 1);
        // Flip a salt byte, a nonce byte, a ciphertext byte.
        for at in [23, 23 + SALT_LEN, HEADER_LEN + 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 1;
            assert!(
                matches!(import(&bad, "pw"), Err(BackupError::WrongPassword(_))),
                "{at}"
            );
        }
        assert!(matches!(
            import(&bytes, "nope"),
            Err(BackupError::WrongPassword(_))
        ));
    }

    #[test]
    fn absurd_parameters_are_refused_without_running() {
        let mut bytes = export_with(&sample(), "pw", FAST).unwrap();
        bytes[11..15].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            import(&bytes, "pw"),
            Err(BackupError::KdfLimits { .. })
        ));
        let mut bytes = export_with(&sample(), "pw", FAST).unwrap();
        bytes[8] = 2;
        assert!(matches!(
            import(&bytes, "pw"),
            Err(BackupError::Malformed { .. })
        ));
    }
}
