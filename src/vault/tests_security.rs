//! Tests of the security review (issue 11): newer files are read-only,
//! revoking a credential rotates the data key, keyring entries per slot,
//! backup order, symbolic links, KDF caps.

use std::fs;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::crypto::{NONCE_LEN, random_key, seal};
use super::*;
use crate::account::Account;
use crate::secret::Secret;

const PW: &str = "correct horse";
const GOLDEN_PW: &str = "golden password";

pub(super) fn password_vault(path: &Path, keyring: Option<&dyn KeyStore>) -> (Vault, RecoveryKey) {
    let (vault, key) = Vault::create(
        path,
        NewVault {
            keyring,
            password: Some(PW),
            recovery: true,
            policy: KdfPolicy::TEST,
        },
    )
    .unwrap();
    (vault, key.unwrap())
}

fn account(seed: u8) -> Account {
    Account::totp(
        Some("Issuer".into()),
        "me",
        Secret::from_bytes(vec![seed; 20]).unwrap(),
    )
}

/// A vault file as a newer Tessera might write it: format 1.`minor`,
/// payload `version`, unknown fields in the header and the account, and
/// optionally a key slot of an unknown type. Password [`GOLDEN_PW`].
fn future_file(minor: u16, payload_version: u32, unknown_slot: bool) -> Vec<u8> {
    let vault_id = hex(&random_vec(16).unwrap());
    let dek = random_key().unwrap();
    let (params, kek) = KdfPolicy::TEST.derive_new(GOLDEN_PW.as_bytes()).unwrap();
    let slot = format::wrap(&vault_id, SlotKind::Password, Some(params), &kek, &dek).unwrap();
    let mut slots = vec![serde_json::to_value(&slot).unwrap()];
    if unknown_slot {
        slots.push(json!({
            "id": "00112233aabbccdd",
            "type": "future-hardware-key",
            "nonce": STANDARD.encode([0u8; NONCE_LEN]),
            "wrapped": STANDARD.encode([0u8; 48]),
            "credential": "made by Tessera 1.99",
        }));
    }
    let nonce = random_vec(NONCE_LEN).unwrap();
    let header = json!({
        "vault_id": vault_id,
        "cipher": "xchacha20poly1305",
        "nonce": STANDARD.encode(&nonce),
        "slots": slots,
        "sync": { "device": "a future field" },
    });
    let entry = Entry::new(
        "0011223344556677".into(),
        Account::totp(
            Some("Future Co".into()),
            "me@example.com",
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        ),
        1_900_000_000,
    );
    let payload = payload::Payload {
        entries: vec![entry],
        tombstones: Vec::new(),
        recent: Vec::new(),
    };
    let plain = payload::encode(&payload).unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    doc["version"] = json!(payload_version);
    doc["accounts"][0]["sync_version"] = json!(7);
    doc["tombstones"] = json!([]);
    let plain = serde_json::to_vec(&doc).unwrap();
    let header = serde_json::to_vec(&header).unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(format::MAGIC);
    out.extend_from_slice(&format::MAJOR.to_le_bytes());
    out.extend_from_slice(&minor.to_le_bytes());
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&header);
    let sealed = seal(&dek, &nonce, &out, &plain).unwrap();
    out.extend_from_slice(&sealed);
    out
}

/// Writes the "future" golden files of tests/golden (run by hand with
/// --ignored; they use obviously future numbers that no real bump reaches).
#[test]
#[ignore]
fn write_golden_future() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    fs::write(dir.join("future-1.99.tessera"), future_file(99, 1, false)).unwrap();
    fs::write(
        dir.join("future-payload-99.tessera"),
        future_file(99, 99, false),
    )
    .unwrap();
    fs::write(
        dir.join("future-slot-type.tessera"),
        future_file(99, 1, true),
    )
    .unwrap();
}

#[test]
fn a_newer_file_opens_read_only_and_is_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    for (minor, unknown_slot) in [(99, false), (0, true), (99, true)] {
        let path = dir.path().join(format!("v{minor}{unknown_slot}.tessera"));
        let bytes = future_file(minor, 1, unknown_slot);
        fs::write(&path, &bytes).unwrap();
        let info = Vault::inspect(&path).unwrap();
        assert!(info.newer.is_some());
        let mut vault = Vault::open(&path, Unlock::Password(GOLDEN_PW)).unwrap();
        assert!(vault.newer_version().is_some());
        assert_eq!(vault.entries()[0].account.name, "me@example.com");
        let id = vault.entries()[0].id.clone();
        for result in [
            vault.add(vec![account(1)], 1).map(|_| ()),
            vault.rename(&id, None, Some("x".into()), 1),
            vault.remove(&id, 1).map(|_| ()),
            vault
                .change_password("new password", None, KdfPolicy::TEST)
                .map(|_| ()),
        ] {
            let e = result.unwrap_err();
            assert!(matches!(e, VaultError::NewerReadOnly(_)), "{e:?}");
            assert!(e.is_newer() && !e.is_damage());
            assert!(e.to_string().contains("newer version of Tessera"));
        }
        assert_eq!(fs::read(&path).unwrap(), bytes);
        assert!(Vault::backups(&path).is_empty());
    }
}

#[test]
fn a_newer_payload_version_is_newer_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    for minor in [0, 99] {
        let path = dir.path().join(format!("p{minor}.tessera"));
        fs::write(&path, future_file(minor, 99, false)).unwrap();
        let e = Vault::open(&path, Unlock::Password(GOLDEN_PW)).unwrap_err();
        assert!(matches!(e, VaultError::NewerUnreadable(_)), "{e:?}");
        assert!(!e.is_damage());
    }
    // Only unknown slots: nothing this build can open.
    let path = dir.path().join("only-unknown.tessera");
    let mut bytes = future_file(0, 1, true);
    // Same length, so the header length still matches.
    let at = bytes
        .windows(17)
        .position(|w| w == b"\"type\":\"password\"")
        .unwrap();
    bytes[at + 13] = b'0';
    fs::write(&path, &bytes).unwrap();
    let e = Vault::inspect(&path).unwrap_err();
    assert!(e.is_newer() && !e.is_damage(), "{e:?}");
}

/// The handle of another process saw a newer Tessera write the file: its
/// next change is refused instead of rewriting the file as 1.0.
#[test]
fn a_file_replaced_by_a_newer_version_is_not_downgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (mut vault, _) = password_vault(&path, None);
    let mut newer = fs::read(&path).unwrap();
    // Same vault, same key, now written as 1.99.
    let parsed = format::parse(&newer, &path).unwrap();
    let plain = format::open_payload(&parsed, &vault.dek).unwrap();
    let mut rebuilt = format::build(&parsed.header, &vault.dek, &plain).unwrap();
    rebuilt[10] = 99;
    let header_end = format::PREFIX_LEN
        + u32::from_le_bytes([rebuilt[12], rebuilt[13], rebuilt[14], rebuilt[15]]) as usize;
    let sealed = seal(
        &vault.dek,
        &parsed.header.nonce,
        &rebuilt[..header_end],
        &plain,
    )
    .unwrap();
    rebuilt.truncate(header_end);
    rebuilt.extend_from_slice(&sealed);
    newer.clone_from(&rebuilt);
    fs::write(&path, &newer).unwrap();
    let e = vault.add(vec![account(2)], 1).unwrap_err();
    assert!(matches!(e, VaultError::NewerReadOnly(_)), "{e:?}");
    assert_eq!(fs::read(&path).unwrap(), newer);
}

/// Issue 11 item 1: renewing the recovery key rotates the data key.
#[test]
fn renewing_the_recovery_key_rotates_the_data_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let store = MemoryKeyStore::default();
    let (mut vault, old_key) = password_vault(&path, Some(&store));
    vault.add(vec![account(1)], 1).unwrap();
    let new_key = vault.renew_recovery(&store).unwrap();
    vault.add(vec![account(2)], 2).unwrap();
    // The old key opens no current file...
    assert!(matches!(
        Vault::open(&path, Unlock::Recovery(old_key.expose())),
        Err(VaultError::WrongRecoveryKey)
    ));
    // ...and the data key of an older copy (a backup opened with the old
    // key) does not decrypt the current file.
    let backup = Vault::backups(&path)
        .into_iter()
        .find_map(|b| Vault::open(&b, Unlock::Recovery(old_key.expose())).ok())
        .expect("a backup opens with the old key");
    let bytes = fs::read(&path).unwrap();
    let parsed = format::parse(&bytes, &path).unwrap();
    assert!(format::open_payload(&parsed, &backup.dek).is_err());
    // Every remaining slot opens the current file.
    for unlock in [
        Unlock::Keyring(&store),
        Unlock::Password(PW),
        Unlock::Recovery(new_key.expose()),
    ] {
        assert_eq!(Vault::open(&path, unlock).unwrap().entries().len(), 2);
    }
}

/// Issue 11 item 1: turning the keyring off rotates the data key; it needs
/// the password when the keyring opened the vault.
#[test]
fn disabling_the_keyring_rotates_the_data_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let store = MemoryKeyStore::default();
    let (vault, old_recovery) = password_vault(&path, Some(&store));
    let old_dek = vault.dek.clone();
    drop(vault);
    let mut vault = Vault::open(&path, Unlock::Keyring(&store)).unwrap();
    assert!(matches!(
        vault.disable_keyring(&store),
        Err(VaultError::PasswordNeeded)
    ));
    assert!(matches!(
        vault.provide_password("wrong"),
        Err(VaultError::WrongPassword)
    ));
    vault.provide_password(PW).unwrap();
    let (rekeyed, cleanup) = vault.disable_keyring(&store).unwrap();
    assert!(cleanup.is_none());
    let new_recovery = rekeyed.recovery.unwrap();
    assert_ne!(vault.dek, old_dek);
    let bytes = fs::read(&path).unwrap();
    let parsed = format::parse(&bytes, &path).unwrap();
    assert!(format::open_payload(&parsed, &old_dek).is_err());
    assert!(Vault::open(&path, Unlock::Keyring(&store)).is_err());
    assert!(Vault::open(&path, Unlock::Recovery(old_recovery.expose())).is_err());
    assert!(Vault::open(&path, Unlock::Recovery(new_recovery.expose())).is_ok());
    assert!(Vault::open(&path, Unlock::Password(PW)).is_ok());
}

/// Issue 11 item 2: a vault whose key is under the old entry name opens,
/// and the key is copied to the slot's own name.
#[test]
fn an_entry_under_the_old_name_opens_and_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let store = MemoryKeyStore::default();
    let (vault, _) = password_vault(&path, Some(&store));
    let info = Vault::inspect(&path).unwrap();
    let own = info.keyring_entries[0].clone();
    assert_eq!(
        own,
        format!("vault-{}-{}", info.vault_id, vault.header.slots[0].id)
    );
    // As stored by the previous build: only `vault-<id>`.
    let old = MemoryKeyStore::default();
    old.set(
        &entry_user(&info.vault_id),
        &store.get(&own).unwrap(),
        "Tessera vault",
    )
    .unwrap();
    assert!(Vault::open(&path, Unlock::Keyring(&old)).is_ok());
    assert_eq!(old.get(&own).unwrap(), store.get(&own).unwrap());
    // A keyring without either entry does not open it.
    assert!(matches!(
        Vault::open(&path, Unlock::Keyring(&MemoryKeyStore::default())),
        Err(VaultError::KeyringNoEntry)
    ));
}

/// Issue 11 item 2: a `keyring enable` whose save fails leaves the
/// keyring slot working; a copy of the vault that enables the keyring
/// does not break the original.
#[test]
fn keyring_enable_saves_before_touching_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let store = MemoryKeyStore::default();
    let (mut vault, _) = password_vault(&path, Some(&store));
    // Another writer holds the lock: the save fails.
    let other = store::Files::new(&path);
    let held = other.lock(Duration::ZERO).unwrap();
    vault.files.lock_wait = Duration::from_millis(50);
    assert!(matches!(
        vault.enable_keyring(&store),
        Err(VaultError::Busy(..))
    ));
    drop(held);
    assert!(Vault::open(&path, Unlock::Keyring(&store)).is_ok());
    // A copy gets its own slot and entry; the original keeps opening.
    let copy = dir.path().join("copy.tessera");
    fs::copy(&path, &copy).unwrap();
    let mut copied = Vault::open(&copy, Unlock::Password(PW)).unwrap();
    copied.enable_keyring(&store).unwrap();
    assert!(Vault::open(&copy, Unlock::Keyring(&store)).is_ok());
    assert!(Vault::open(&path, Unlock::Keyring(&store)).is_ok());
}

/// Issue 11 item 10: a clock once set in the future never gets new
/// backups pruned; the order is the sequence number.
#[test]
fn backups_are_ordered_by_sequence_not_by_clock() {
    use chrono::TimeZone;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (vault, _) = password_vault(&path, None);
    drop(vault);
    let files = store::Files::new(&path);
    // Names of the previous build, stamped far in the future.
    for i in 0..3u128 {
        let nanos = 4_000_000_000_000_000_000u128 + i;
        fs::copy(&path, dir.path().join(format!("v.tessera.bak.{nanos:020}"))).unwrap();
    }
    let future = chrono::Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap();
    let now = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 1, 13, 8).unwrap();
    let mut made = Vec::new();
    for (i, at) in [future, future, now, now, now, now, now]
        .into_iter()
        .enumerate()
    {
        let content = vec![i as u8; 8];
        let before = fs::read(&path).unwrap();
        let backup = files.write_atomic_at(&content, at).unwrap().unwrap();
        assert!(backup.exists(), "the backup just made was pruned");
        assert_eq!(fs::read(&backup).unwrap(), before);
        made.push(backup);
    }
    let kept = files.backups();
    assert_eq!(kept.len(), store::BACKUPS_KEPT);
    // Newest first: the last five made, in order, whatever their times.
    let expected: Vec<PathBuf> = made
        .iter()
        .rev()
        .take(store::BACKUPS_KEPT)
        .cloned()
        .collect();
    assert_eq!(kept, expected);
    let name = made[2].file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, "v.tessera.0003.2026-12-02T01-13-08Z.bak");
}

/// Issue 11 item 6: a vault path that is a symbolic link is written
/// through; a dangling one is refused, never replaced.
#[cfg(unix)]
#[test]
fn symbolic_links_are_written_through_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("synced");
    fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("vault.tessera");
    password_vault(&real, None);
    let link = dir.path().join("link.tessera");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let mut vault = Vault::open(&link, Unlock::Password(PW)).unwrap();
    vault.add(vec![account(3)], 1).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        Vault::open(&real, Unlock::Password(PW))
            .unwrap()
            .entries()
            .len(),
        1
    );
    assert_eq!(Vault::backups(&real).len(), 1);
    let dangling = dir.path().join("dangling.tessera");
    std::os::unix::fs::symlink(dir.path().join("missing.tessera"), &dangling).unwrap();
    let created = Vault::create(
        &dangling,
        NewVault {
            keyring: None,
            password: Some(PW),
            recovery: false,
            policy: KdfPolicy::TEST,
        },
    );
    assert!(
        matches!(created, Err(VaultError::DanglingLink(_))),
        "{created:?}"
    );
    assert!(matches!(
        Vault::inspect(&dangling),
        Err(VaultError::DanglingLink(_))
    ));
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!dir.path().join("missing.tessera").exists());
}
