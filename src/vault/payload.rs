//! The decrypted payload: versioned JSON of the accounts and the deletion
//! records, padded to a multiple of 1 KiB so the file size hides the exact
//! contents.
//!
//! Version 2 (file format 1.1) adds what merging two copies of a vault
//! needs ([`super::merge`]): each account's version counter `rev` (1 when
//! added, one more on every change: rename, HOTP use; never the wall
//! clock), the `tag` naming this version (random for a change, so the same
//! change made on two computers is still two changes; derived for a
//! merge, so both computers make the same one), the tags of its earlier
//! versions (`history`, the newest [`HISTORY_KEPT`]), a `conflict` mark on
//! a copy kept from a conflicting change, and `tombstones` (id, version,
//! tags and time of a deletion). Version 1 is still read: each account
//! gets version 1, a tag derived from its contents (the same on every
//! computer that reads the same file) and no history.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, Digits, OtpKind};
use crate::secret::Secret;

use super::crypto::random_vec;
use super::error::VaultError;

/// The first 8 bytes of SHA-256 over `parts` (each length-prefixed).
pub(super) fn digest_tag(domain: &[u8], parts: &[&[u8]]) -> u64 {
    let mut h = Sha256::new();
    h.update(domain);
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// Payload version written by this build.
pub const PAYLOAD_VERSION: u32 = 2;
/// Tags of earlier versions kept per account (and per deletion record).
pub const HISTORY_KEPT: usize = 32;
const PAD_TO: usize = 1024;

/// One account in the vault.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Entry {
    /// Random 8-byte id, 16 hex digits; stable across renames.
    pub id: String,
    pub account: Account,
    /// Unix seconds when added.
    pub created: u64,
    /// Unix seconds of the last change (rename, HOTP counter); shown only,
    /// never used to order changes (see `rev`).
    pub modified: u64,
    /// Version counter: 1 when added, one more on every change.
    pub rev: u64,
    /// Names this version (see the module documentation).
    pub tag: u64,
    /// Tags ([`Entry::tag`]) of the versions this one descends from,
    /// oldest first, at most [`HISTORY_KEPT`].
    pub history: Vec<u64>,
    /// Set on a copy kept from a conflicting change: the id of the account
    /// whose other version won. The person keeps one of the two.
    pub conflict: Option<String>,
}

/// A deleted account: enough to delete it in another copy of the vault
/// when that copy has not changed it since.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: String,
    /// The version deleted.
    pub rev: u64,
    /// Unix seconds of the deletion (the record is dropped after
    /// [`super::merge::TOMBSTONE_DAYS`]).
    pub deleted: u64,
    /// Tags of the version deleted and of those it descends from: the
    /// versions the deletion wins over.
    pub history: Vec<u64>,
    /// HOTP: the counter when deleted. An edit that survives the deletion
    /// (made elsewhere meanwhile) never goes below it: codes up to it may
    /// have been used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<u64>,
}

/// Everything the payload holds.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Payload {
    pub entries: Vec<Entry>,
    pub tombstones: Vec<Tombstone>,
    /// Entry ids, most recently used first (the tray's menu); kept
    /// encrypted with the accounts, never in the settings file.
    pub recent: Vec<String>,
}

impl Entry {
    /// A new account at version 1 (its tag derived from the random id).
    pub fn new(id: String, account: Account, now: u64) -> Self {
        Self {
            tag: digest_tag(b"tessera-new-entry\0", &[id.as_bytes()]),
            id,
            account,
            created: now,
            modified: now,
            rev: 1,
            history: Vec::new(),
            conflict: None,
        }
    }

    /// The tag of a version 1 account read from a payload of version 1:
    /// a digest of the id and the contents.
    fn upgraded_tag(&self) -> u64 {
        let a = &self.account;
        let kind = serde_json::to_vec(&a.kind).unwrap_or_default();
        digest_tag(
            b"tessera-entry-v1\0",
            &[
                self.id.as_bytes(),
                a.issuer
                    .as_deref()
                    .map_or(b"\xff".as_slice(), str::as_bytes),
                a.name.as_bytes(),
                a.secret.expose(),
                a.algorithm.as_str().as_bytes(),
                &a.digits.get().to_le_bytes(),
                &kind,
            ],
        )
    }

    /// Starts a new version (call before changing the account): the
    /// current one joins the history, the counter goes up, a random tag.
    pub fn new_version(&mut self, now: u64) -> Result<(), VaultError> {
        let mut random = [0u8; 8];
        random.copy_from_slice(&random_vec(8)?);
        self.next_version(u64::from_le_bytes(random), now);
        Ok(())
    }

    /// A new version with the tag given (merges derive theirs).
    pub(super) fn next_version(&mut self, tag: u64, now: u64) {
        push_history(&mut self.history, self.tag);
        self.tag = tag;
        self.rev = self.rev.saturating_add(1);
        self.modified = now;
    }

    /// Whether `tag` is this version or one it descends from.
    pub fn descends_from(&self, tag: u64) -> bool {
        self.tag == tag || self.history.contains(&tag)
    }

    /// The deletion record of this version.
    pub fn tombstone(&self, now: u64) -> Tombstone {
        let mut history = self.history.clone();
        push_history(&mut history, self.tag);
        Tombstone {
            id: self.id.clone(),
            rev: self.rev,
            deleted: now,
            history,
            counter: match self.account.kind {
                OtpKind::Hotp { counter } => Some(counter),
                _ => None,
            },
        }
    }
}

/// Appends `tag` (once), keeping the newest [`HISTORY_KEPT`].
pub fn push_history(history: &mut Vec<u64>, tag: u64) {
    if !history.contains(&tag) {
        history.push(tag);
    }
    if history.len() > HISTORY_KEPT {
        history.drain(..history.len() - HISTORY_KEPT);
    }
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
    /// Absent in version 1.
    #[serde(default)]
    rev: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tag: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conflict: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct PayloadDoc {
    version: u32,
    accounts: Vec<StoredAccount>,
    /// Absent in version 1.
    #[serde(default)]
    tombstones: Vec<Tombstone>,
    /// Entry ids, most recently used first (omitted when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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

/// Serializes and pads the payload.
pub fn encode(payload: &Payload) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let entries = &payload.entries;
    let doc = PayloadDoc {
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
                rev: e.rev,
                tag: Some(e.tag),
                history: e.history.clone(),
                conflict: e.conflict.clone(),
            })
            .collect(),
        tombstones: payload.tombstones.clone(),
        recent: payload.recent.clone(),
    };
    // Reserve room up front so the buffer is never reallocated (a
    // reallocation would leave an unzeroized copy behind).
    let estimate = 512
        + entries
            .iter()
            .map(|e| 512 + e.history.len() * 21)
            .sum::<usize>()
        + payload
            .tombstones
            .iter()
            .map(|t| 96 + t.history.len() * 21)
            .sum::<usize>();
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

/// Parses a decrypted payload (version 1 or 2). A newer payload version
/// is a newer Tessera's file, not damage.
pub fn decode(plain: &[u8]) -> Result<Payload, VaultError> {
    let version: VersionOnly =
        serde_json::from_slice(plain).map_err(|_| VaultError::Corrupt("unreadable payload"))?;
    if version.version > PAYLOAD_VERSION {
        return Err(VaultError::NewerUnreadable(format!(
            "payload version {}",
            version.version
        )));
    }
    if version.version == 0 {
        return Err(VaultError::Corrupt("unknown payload version"));
    }
    let v1 = version.version == 1;
    let doc: PayloadDoc =
        serde_json::from_slice(plain).map_err(|_| VaultError::Corrupt("unreadable payload"))?;
    let mut entries = Vec::with_capacity(doc.accounts.len());
    for s in doc.accounts {
        if !v1 && (s.rev == 0 || s.tag.is_none() || s.history.len() > HISTORY_KEPT) {
            return Err(VaultError::Corrupt("bad account version"));
        }
        // Version 1 has no sync records: whatever a file claims is ignored.
        let (rev, history, conflict) = if v1 {
            (1, Vec::new(), None)
        } else {
            (s.rev, s.history, s.conflict)
        };
        let tag = s.tag.filter(|_| !v1);
        entries.push(Entry {
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
            rev,
            tag: tag.unwrap_or_default(),
            history,
            conflict,
        });
        if v1 && let Some(e) = entries.last_mut() {
            e.tag = e.upgraded_tag();
        }
    }
    if doc
        .tombstones
        .iter()
        .any(|t| t.history.is_empty() || t.history.len() > HISTORY_KEPT)
    {
        return Err(VaultError::Corrupt("bad deletion record"));
    }
    Ok(Payload {
        entries,
        tombstones: if v1 { Vec::new() } else { doc.tombstones },
        recent: doc.recent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Period;

    fn entry(id: &str, account: Account, n: u64) -> Entry {
        Entry::new(id.into(), account, n)
    }

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
        let mut second = entry("0011223344556677", totp, 3);
        second.new_version(4).unwrap();
        second.conflict = Some("00112233aabbccdd".into());
        let payload = Payload {
            entries: vec![entry("00112233aabbccdd", hotp, 1), second.clone()],
            tombstones: vec![second.tombstone(9)],
            recent: vec!["0011223344556677".into()],
        };
        let bytes = encode(&payload).unwrap();
        assert_eq!(bytes.len() % PAD_TO, 0);
        assert_eq!(decode(&bytes).unwrap(), payload);
        assert_eq!(payload.entries[1].rev, 2);
        assert_eq!(payload.tombstones[0].history.len(), 2);
    }

    #[test]
    fn version_1_reads_with_version_1_and_no_history() {
        let plain = br#"{"version":1,"accounts":[{"id":"0011223344556677","issuer":null,
            "name":"me","secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":6,
            "type":"hotp","counter":4,"created":5,"modified":6}]}"#;
        let payload = decode(plain).unwrap();
        let e = &payload.entries[0];
        assert_eq!((e.rev, e.history.len(), e.conflict.as_ref()), (1, 0, None));
        assert_eq!(e.account.kind, OtpKind::Hotp { counter: 4 });
        assert!(payload.tombstones.is_empty());
        // Written back as version 2.
        let again = encode(&payload).unwrap();
        assert!(
            std::str::from_utf8(&again)
                .unwrap()
                .contains(r#""version":2"#)
        );
        assert_eq!(decode(&again).unwrap(), payload);
    }

    #[test]
    fn a_version_0_account_in_version_2_is_damage() {
        let plain = br#"{"version":2,"accounts":[{"id":"0011223344556677","issuer":null,
            "name":"me","secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":6,
            "type":"hotp","counter":4,"created":5,"modified":6}],"tombstones":[]}"#;
        assert!(matches!(decode(plain), Err(VaultError::Corrupt(_))));
    }

    #[test]
    fn every_change_is_a_new_version_and_v1_tags_follow_content() {
        let account = Account::totp(None, "a", Secret::from_bytes(vec![1; 10]).unwrap());
        let a = entry("0011223344556677", account.clone(), 1);
        let mut renamed = a.clone();
        renamed.new_version(5).unwrap();
        assert_eq!((renamed.rev, renamed.modified), (2, 5));
        assert!(renamed.descends_from(a.tag));
        assert!(!a.descends_from(renamed.tag));
        // The same change made twice is two versions.
        let mut again = a.clone();
        again.new_version(5).unwrap();
        assert_ne!(renamed.tag, again.tag);
        // Read from version 1, the same contents give the same tag on
        // every computer; other contents another.
        let v1 = |name: &str| {
            let plain = format!(
                r#"{{"version":1,"accounts":[{{"id":"0011223344556677","issuer":null,
                "name":"{name}","secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":6,
                "type":"totp","period":30,"created":5,"modified":6}}]}}"#
            );
            decode(plain.as_bytes()).unwrap().entries[0].tag
        };
        assert_eq!(v1("x"), v1("x"));
        assert_ne!(v1("x"), v1("y"));
        let mut history = Vec::new();
        for tag in 0..(HISTORY_KEPT as u64 + 5) {
            push_history(&mut history, tag);
        }
        assert_eq!(history.len(), HISTORY_KEPT);
        assert_eq!(history[0], 5);
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
            changes in 0u64..40,
        ) {
            let mut account = Account::totp(issuer, name, Secret::from_bytes(secret).unwrap());
            account.kind = if hotp {
                OtpKind::Hotp { counter: n }
            } else {
                OtpKind::Totp { period: Period::new(n % 300 + 1).unwrap() }
            };
            account.digits = Digits::new(digits).unwrap();
            account.algorithm = Algorithm::ALL[alg];
            let mut e = Entry::new("0123456789abcdef".into(), account, n);
            for _ in 0..changes {
                e.new_version(n).unwrap();
            }
            let payload = Payload { tombstones: vec![e.tombstone(n)], entries: vec![e], recent: Vec::new() };
            let bytes = encode(&payload).unwrap();
            proptest::prop_assert_eq!(bytes.len() % PAD_TO, 0);
            proptest::prop_assert_eq!(decode(&bytes).unwrap(), payload);
        }
    }
}
