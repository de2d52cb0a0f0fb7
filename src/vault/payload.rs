//! The decrypted payload: versioned JSON of the accounts, padded to a
//! multiple of 1 KiB so the file size hides the exact contents.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, Digits, OtpKind};
use crate::secret::Secret;

use super::error::VaultError;

/// Payload version written by this build.
pub const PAYLOAD_VERSION: u32 = 1;
const PAD_TO: usize = 1024;

/// One account in the vault.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Entry {
    /// Random 8-byte id, 16 hex digits; stable across renames.
    pub id: String,
    pub account: Account,
    /// Unix seconds when added.
    pub created: u64,
    /// Unix seconds of the last change (rename, HOTP counter).
    pub modified: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredAccount {
    id: String,
    issuer: Option<String>,
    name: String,
    #[serde(serialize_with = "ser_secret", deserialize_with = "de_secret")]
    secret: Secret,
    algorithm: Algorithm,
    digits: Digits,
    #[serde(flatten)]
    kind: OtpKind,
    created: u64,
    modified: u64,
}

#[derive(Serialize, Deserialize)]
struct PayloadDoc {
    version: u32,
    accounts: Vec<StoredAccount>,
    /// Entry ids, most recently used first (the tray's menu).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    recent: Vec<String>,
}

/// Only the recently used ids.
#[derive(Deserialize)]
struct RecentOnly {
    #[serde(default)]
    recent: Vec<String>,
}

fn ser_secret<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
    let text = Zeroizing::new(secret.to_base32());
    s.serialize_str(&text)
}

fn de_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    let text = Zeroizing::new(String::deserialize(d)?);
    Secret::from_base32(&text).map_err(|_| serde::de::Error::custom("invalid stored secret"))
}

/// Serializes and pads the entries (no recently used ids).
#[cfg(test)]
pub fn encode(entries: &[Entry]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    encode_with_recent(entries, &[])
}

/// The recently used entry ids of a decrypted payload (none in older
/// payloads).
pub fn decode_recent(plain: &[u8]) -> Result<Vec<String>, VaultError> {
    let doc: RecentOnly =
        serde_json::from_slice(plain).map_err(|_| VaultError::Corrupt("unreadable payload"))?;
    Ok(doc.recent)
}

/// Serializes and pads the entries and the recently used ids.
pub fn encode_with_recent(
    entries: &[Entry],
    recent: &[String],
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let doc = PayloadDoc {
        recent: recent.to_vec(),
        version: PAYLOAD_VERSION,
        accounts: entries
            .iter()
            .map(|e| StoredAccount {
                id: e.id.clone(),
                issuer: e.account.issuer.clone(),
                name: e.account.name.clone(),
                secret: e.account.secret.clone(),
                algorithm: e.account.algorithm,
                digits: e.account.digits,
                kind: e.account.kind,
                created: e.created,
                modified: e.modified,
            })
            .collect(),
    };
    // Reserve room up front so the buffer is never reallocated (a
    // reallocation would leave an unzeroized copy behind).
    let estimate = 512 + entries.len() * 512;
    let mut out = Zeroizing::new(Vec::with_capacity(
        estimate.next_multiple_of(PAD_TO) + PAD_TO,
    ));
    serde_json::to_writer(&mut *out, &doc).map_err(|_| VaultError::Encrypt)?;
    let padded = (out.len() + 1).next_multiple_of(PAD_TO);
    out.resize(padded, b' ');
    Ok(out)
}

/// Only the version, read before the rest (whose shape depends on it).
#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// Parses a decrypted payload. A newer payload version is a newer
/// Tessera's file, not damage.
pub fn decode(plain: &[u8]) -> Result<Vec<Entry>, VaultError> {
    let version: VersionOnly =
        serde_json::from_slice(plain).map_err(|_| VaultError::Corrupt("unreadable payload"))?;
    if version.version > PAYLOAD_VERSION {
        return Err(VaultError::NewerUnreadable(format!(
            "payload version {}",
            version.version
        )));
    }
    if version.version != PAYLOAD_VERSION {
        return Err(VaultError::Corrupt("unknown payload version"));
    }
    let doc: PayloadDoc =
        serde_json::from_slice(plain).map_err(|_| VaultError::Corrupt("unreadable payload"))?;
    Ok(doc
        .accounts
        .into_iter()
        .map(|s| Entry {
            id: s.id,
            account: Account {
                issuer: s.issuer,
                name: s.name,
                secret: s.secret,
                algorithm: s.algorithm,
                digits: s.digits,
                kind: s.kind,
            },
            created: s.created,
            modified: s.modified,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Period;

    #[test]
    fn round_trip_and_padding() {
        let mut hotp = Account::totp(None, "h", Secret::from_bytes(vec![9; 20]).unwrap());
        hotp.kind = OtpKind::Hotp { counter: u64::MAX };
        hotp.digits = Digits::new(8).unwrap();
        hotp.algorithm = Algorithm::Sha512;
        let mut totp = Account::totp(
            Some("Ünïcode \"q\"".into()),
            "me@x",
            Secret::from_bytes(vec![1, 2, 3]).unwrap(),
        );
        totp.kind = OtpKind::Totp {
            period: Period::new(60).unwrap(),
        };
        let entries = vec![
            Entry {
                id: "00112233aabbccdd".into(),
                account: hotp,
                created: 1,
                modified: 2,
            },
            Entry {
                id: "0011223344556677".into(),
                account: totp,
                created: 3,
                modified: 4,
            },
        ];
        let bytes = encode(&entries).unwrap();
        assert_eq!(bytes.len() % PAD_TO, 0);
        assert_eq!(decode(&bytes).unwrap(), entries);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(10_000))]
        #[test]
        fn any_entries_round_trip(
            issuer in proptest::option::of(".{0,40}"),
            name in ".{0,40}",
            secret in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..=128),
            hotp in proptest::prelude::any::<bool>(),
            n in proptest::prelude::any::<u64>(),
            digits in 6u32..=8,
            alg in 0usize..3,
        ) {
            let mut account = Account::totp(issuer, name, Secret::from_bytes(secret).unwrap());
            account.kind = if hotp {
                OtpKind::Hotp { counter: n }
            } else {
                OtpKind::Totp { period: Period::new(n % 300 + 1).unwrap() }
            };
            account.digits = Digits::new(digits).unwrap();
            account.algorithm = Algorithm::ALL[alg];
            let entries = vec![Entry { id: "0123456789abcdef".into(), account, created: n, modified: n }];
            let bytes = encode(&entries).unwrap();
            proptest::prop_assert_eq!(bytes.len() % PAD_TO, 0);
            proptest::prop_assert_eq!(decode(&bytes).unwrap(), entries);
        }
    }
}
