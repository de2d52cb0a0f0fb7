use std::fs;

use super::*;
use crate::account::{Account, Digits, OtpKind};
use crate::secret::Secret;

const PW: &str = "correct horse";

fn totp(issuer: &str, name: &str, seed: u8) -> Account {
    Account::totp(
        Some(issuer.into()),
        name,
        Secret::from_bytes(vec![seed; 20]).unwrap(),
    )
}

fn password_vault(dir: &Path) -> (Vault, RecoveryKey) {
    let (vault, key) = Vault::create(
        &dir.join("v.tessera"),
        NewVault {
            keyring: None,
            password: Some(PW),
            recovery: true,
            policy: KdfPolicy::TEST,
        },
    )
    .unwrap();
    (vault, key.unwrap())
}

/// A vault at `path` with every slot: `store`'s keyring, the password and
/// a recovery key.
fn keyring_vault(path: &Path, store: &MemoryKeyStore) -> (Vault, RecoveryKey) {
    let (vault, key) = Vault::create(
        path,
        NewVault {
            keyring: Some(store),
            password: Some(PW),
            recovery: true,
            policy: KdfPolicy::TEST,
        },
    )
    .unwrap();
    (vault, key.unwrap())
}

#[test]
fn round_trip_through_every_slot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let store = MemoryKeyStore::default();
    let (mut vault, key) = keyring_vault(&path, &store);
    // The keyring item is labelled with the vault's file name.
    let entry = slot_entry_user(&vault.header.vault_id, &vault.header.slots[0].id);
    assert_eq!(
        store.label(&entry).as_deref(),
        Some("Tessera vault (v.tessera)")
    );
    let accounts: Vec<Account> = (0..200u8)
        .map(|i| {
            let mut a = totp(&format!("Issuer {i}"), &format!("user{i}@x"), i);
            if i % 3 == 0 {
                a.kind = OtpKind::Hotp {
                    counter: u64::from(i),
                };
                a.digits = Digits::new(8).unwrap();
            }
            a
        })
        .collect();
    let added = vault.add(accounts, 100).unwrap();
    assert!(added.iter().all(|a| matches!(a, Added::New(_))));
    for unlock in [
        Unlock::Keyring(&store),
        Unlock::Password(PW),
        Unlock::Recovery(key.expose()),
        Unlock::Recovery(&key.expose().to_lowercase().replace('-', " ")),
    ] {
        let again = Vault::open(&path, unlock).unwrap();
        assert_eq!(again.entries(), vault.entries());
    }
    assert_eq!(
        vault.slots(),
        vec![SlotKind::Keyring, SlotKind::Password, SlotKind::Recovery]
    );
}

#[test]
fn wrong_keys_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _key) = password_vault(dir.path());
    let before = fs::read(vault.path()).unwrap();
    let listing = |d: &Path| {
        let mut v: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files_before = listing(dir.path());
    for _ in 0..20 {
        assert!(matches!(
            Vault::open(vault.path(), Unlock::Password("wrong")),
            Err(VaultError::WrongPassword)
        ));
    }
    assert!(matches!(
        Vault::open(
            vault.path(),
            Unlock::Recovery("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
        ),
        Err(VaultError::WrongRecoveryKey)
    ));
    assert!(matches!(
        Vault::open(vault.path(), Unlock::Keyring(&MemoryKeyStore::default())),
        Err(VaultError::NoSuchSlot("keyring"))
    ));
    assert_eq!(fs::read(vault.path()).unwrap(), before);
    assert_eq!(listing(dir.path()), files_before);
}

#[test]
fn every_flipped_byte_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let store = MemoryKeyStore::default();
    let path = dir.path().join("v.tessera");
    let (mut vault, _) = Vault::create(
        &path,
        NewVault {
            keyring: Some(&store),
            password: None,
            recovery: false,
            policy: KdfPolicy::TEST,
        },
    )
    .unwrap();
    vault.add(vec![totp("A", "b", 1)], 1).unwrap();
    let good = fs::read(&path).unwrap();
    let flipped = dir.path().join("flipped.tessera");
    for i in 0..good.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = good.clone();
            bad[i] ^= bit;
            fs::write(&flipped, &bad).unwrap();
            assert!(
                Vault::open(&flipped, Unlock::Keyring(&store)).is_err(),
                "byte {i} bit {bit:#x} not detected"
            );
        }
    }
    // Truncated at every length, and with garbage appended.
    for len in 0..good.len() {
        fs::write(&flipped, &good[..len]).unwrap();
        assert!(
            Vault::open(&flipped, Unlock::Keyring(&store)).is_err(),
            "len {len}"
        );
    }
    let mut longer = good.clone();
    longer.extend_from_slice(b"garbage");
    fs::write(&flipped, &longer).unwrap();
    assert!(Vault::open(&flipped, Unlock::Keyring(&store)).is_err());
}

/// A slot copied from vault B into vault A's header does not open A, even
/// with the same password and a payload that B's data key decrypts: the
/// slot's associated data names its vault. The control (B's own header,
/// same slots, key and payload) opens, so the refusal comes from the
/// vault id alone.
#[test]
fn slots_cannot_move_between_vaults() {
    let dir = tempfile::tempdir().unwrap();
    let a = password_vault(dir.path()).0;
    let b_dir = tempfile::tempdir().unwrap();
    let (mut b, _) = password_vault(b_dir.path());
    b.add(vec![totp("Moved", "b@x", 9)], 1).unwrap();
    assert_ne!(a.header.vault_id, b.header.vault_id);
    let plain = payload::encode(&payload::Payload {
        entries: b.entries().to_vec(),
        tombstones: Vec::new(),
        recent: Vec::new(),
    })
    .unwrap();

    let control = format::build(&b.header, &b.dek, &plain).unwrap();
    fs::write(dir.path().join("control"), control).unwrap();
    let opened = Vault::open(&dir.path().join("control"), Unlock::Password(PW)).unwrap();
    assert_eq!(opened.entries(), b.entries());

    let mut header = a.header.clone();
    header.slots = b.header.slots.clone();
    let forged = format::build(&header, &b.dek, &plain).unwrap();
    fs::write(dir.path().join("forged"), forged).unwrap();
    let err = Vault::open(&dir.path().join("forged"), Unlock::Password(PW)).unwrap_err();
    assert!(matches!(err, VaultError::WrongPassword), "{err:?}");
}

#[test]
fn two_handles_never_lose_each_others_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut one, _) = password_vault(dir.path());
    let mut two = Vault::open(one.path(), Unlock::Password(PW)).unwrap();
    for i in 0..10u8 {
        one.add(vec![totp("One", &i.to_string(), i)], 1).unwrap();
        two.add(vec![totp("Two", &i.to_string(), 100 + i)], 1)
            .unwrap();
    }
    let last = Vault::open(one.path(), Unlock::Password(PW)).unwrap();
    assert_eq!(last.entries().len(), 20);
    // A duplicate added from the other handle is recognised.
    assert_eq!(
        one.add(vec![totp("Other label", "x", 105)], 1).unwrap(),
        vec![Added::Duplicate {
            existing: last.entries()[11].id.clone()
        }]
    );
}

#[test]
fn password_change_rotates_the_data_key() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, old_key) = password_vault(dir.path());
    vault.add(vec![totp("A", "b", 1)], 1).unwrap();
    let old_file = fs::read(vault.path()).unwrap();
    let old_dek = vault.dek.clone();
    let rekeyed = vault
        .change_password("new password", None, KdfPolicy::TEST)
        .unwrap();
    assert_ne!(vault.dek, old_dek);
    let new_key = rekeyed.recovery.unwrap();
    let path = vault.path().to_path_buf();
    assert!(matches!(
        Vault::open(&path, Unlock::Password(PW)),
        Err(VaultError::WrongPassword)
    ));
    assert!(Vault::open(&path, Unlock::Recovery(old_key.expose())).is_err());
    assert_eq!(
        Vault::open(&path, Unlock::Password("new password"))
            .unwrap()
            .entries(),
        vault.entries()
    );
    assert!(Vault::open(&path, Unlock::Recovery(new_key.expose())).is_ok());
    // The old file's data key does not decrypt the new payload.
    let new_file = fs::read(&path).unwrap();
    let parsed = format::parse(&new_file, &path).unwrap();
    assert!(format::open_payload(&parsed, &old_dek).is_err());
    // The old file (a backup) still opens with the old password.
    let backups = Vault::backups(&path);
    assert!(backups.iter().any(|b| fs::read(b).unwrap() == old_file));
    // A handle opened before the change must unlock again.
    let (mut other, _) = (
        Vault::open(&path, Unlock::Password("new password")).unwrap(),
        (),
    );
    vault
        .change_password("third", None, KdfPolicy::TEST)
        .unwrap();
    assert!(matches!(
        other.add(vec![totp("C", "d", 3)], 1),
        Err(VaultError::Rekeyed)
    ));
}

#[test]
fn hotp_counter_is_saved_before_use() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = password_vault(dir.path());
    let mut a = totp("H", "h", 7);
    a.kind = OtpKind::Hotp { counter: 5 };
    let Added::New(id) = vault.add(vec![a], 1).unwrap().remove(0) else {
        panic!("not added")
    };
    let used = vault.use_hotp(&id, 0, 2).unwrap();
    assert_eq!(used.kind, OtpKind::Hotp { counter: 5 });
    let again = Vault::open(vault.path(), Unlock::Password(PW)).unwrap();
    assert_eq!(
        again.entry(&id).unwrap().account.kind,
        OtpKind::Hotp { counter: 6 }
    );
    let next = vault.use_hotp(&id, 1, 3).unwrap();
    assert_eq!(next.kind, OtpKind::Hotp { counter: 7 });
    assert_eq!(
        vault.entry(&id).unwrap().account.kind,
        OtpKind::Hotp { counter: 8 }
    );
}

#[test]
fn nonces_are_fresh_and_backups_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = password_vault(dir.path());
    let mut nonces = std::collections::HashSet::new();
    for i in 0..50u8 {
        vault.add(vec![totp("N", "n", i)], 1).unwrap();
        let bytes = fs::read(vault.path()).unwrap();
        let parsed = format::parse(&bytes, vault.path()).unwrap();
        assert!(nonces.insert(parsed.header.nonce.clone()));
    }
    let backups = Vault::backups(vault.path());
    assert_eq!(backups.len(), store::BACKUPS_KEPT);
    for b in &backups {
        assert!(Vault::open(b, Unlock::Password(PW)).is_ok());
    }
    // The newest backup holds the previous version.
    let newest = Vault::open(&backups[0], Unlock::Password(PW)).unwrap();
    assert_eq!(newest.entries().len(), 49);
    // A damaged vault: the newest good backup is offered.
    let bytes = fs::read(vault.path()).unwrap();
    fs::write(vault.path(), &bytes[..bytes.len() / 2]).unwrap();
    assert!(
        Vault::open(vault.path(), Unlock::Password(PW))
            .unwrap_err()
            .is_damage()
    );
    assert_eq!(
        Vault::newest_good_backup(vault.path(), Unlock::Password(PW)),
        Some(backups[0].clone())
    );
}

#[test]
fn stale_temp_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = password_vault(dir.path());
    let stale = dir.path().join(".v.tessera.tmp.0011223344556677");
    fs::write(&stale, b"half a vault").unwrap();
    Vault::open(vault.path(), Unlock::Password(PW)).unwrap();
    assert!(!stale.exists());
}

#[test]
fn create_never_replaces_a_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = password_vault(dir.path());
    let before = fs::read(vault.path()).unwrap();
    let again = Vault::create(
        vault.path(),
        NewVault {
            keyring: Some(&MemoryKeyStore::default()),
            password: None,
            recovery: true,
            policy: KdfPolicy::TEST,
        },
    );
    assert!(matches!(again, Err(VaultError::AlreadyExists(_))));
    assert_eq!(fs::read(vault.path()).unwrap(), before);
}

#[test]
fn find_matches_issuer_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = password_vault(dir.path());
    vault
        .add(
            vec![
                totp("GitHub", "me", 1),
                totp("GitHub Enterprise", "me", 2),
                totp("Mail", "alice@github.com", 3),
            ],
            1,
        )
        .unwrap();
    assert_eq!(vault.find("github").len(), 1);
    assert_eq!(vault.find("GITHUB ent").len(), 1);
    assert_eq!(vault.find("git").len(), 3);
    assert_eq!(vault.find("mail:alice").len(), 1);
    assert_eq!(vault.find("nothing").len(), 0);
    let id = vault.entries()[2].id.clone();
    assert_eq!(vault.find(&id)[0].id, id);
}

#[test]
fn keyring_slot_can_be_enabled_and_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = password_vault(dir.path());
    let store = MemoryKeyStore::default();
    vault.enable_keyring(&store).unwrap();
    assert!(Vault::open(vault.path(), Unlock::Keyring(&store)).is_ok());
    vault.disable_keyring(&store).unwrap();
    assert!(Vault::open(vault.path(), Unlock::Keyring(&store)).is_err());
    let renewed = vault.renew_recovery(&store).unwrap();
    assert!(Vault::open(vault.path(), Unlock::Recovery(renewed.expose())).is_ok());
}

#[test]
fn weak_password_slot_is_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = password_vault(dir.path());
    assert!(vault.password_slot_below_floor());
    let policy = KdfPolicy::Fixed {
        m_kib: kdf::FLOOR_M_KIB,
        t: kdf::FLOOR_T,
        p: kdf::FLOOR_P,
    };
    assert!(matches!(
        vault.upgrade_password_slot("wrong", policy),
        Err(VaultError::WrongPassword)
    ));
    vault.upgrade_password_slot(PW, policy).unwrap();
    assert!(!vault.password_slot_below_floor());
    let again = Vault::open(vault.path(), Unlock::Password(PW)).unwrap();
    assert!(!again.password_slot_below_floor());
    assert_eq!(again.entries(), vault.entries());
}

/// Writes tests/golden/v1.tessera (run by hand with --ignored when the
/// format changes; never rewrite a released golden file).
#[test]
#[ignore]
fn write_golden_v1() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v1.tessera");
    let (mut vault, key) = Vault::create(
        &path,
        NewVault {
            keyring: None,
            password: Some("golden password"),
            recovery: true,
            policy: KdfPolicy::Fixed {
                m_kib: 1024,
                t: 1,
                p: 1,
            },
        },
    )
    .unwrap();
    let mut hotp = Account::totp(
        None,
        "hotp@example.com",
        Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
    );
    hotp.kind = OtpKind::Hotp { counter: 7 };
    let mut sha256 = totp("ACME Co", "john.doe@email.com", 0);
    sha256.secret = Secret::from_base32("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ").unwrap();
    sha256.algorithm = crate::Algorithm::Sha256;
    sha256.digits = Digits::new(8).unwrap();
    vault.add(vec![sha256, hotp], 1_700_000_000).unwrap();
    println!("recovery key: {}", key.unwrap().expose());
    for b in Vault::backups(&path) {
        fs::remove_file(b).unwrap();
    }
}

/// The recently used order (the tray's menu) is kept encrypted in the
/// vault: it survives reopening, names only accounts of the vault, and an
/// unchanged order writes nothing.
#[test]
fn recently_used_order_is_kept_inside_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (mut vault, _) = password_vault(dir.path());
    assert!(vault.recent().is_empty());
    let added = vault
        .add(
            vec![totp("A", "a", 1), totp("B", "b", 2), totp("C", "c", 3)],
            100,
        )
        .unwrap();
    let ids: Vec<String> = added
        .iter()
        .map(|a| match a {
            Added::New(id) => id.clone(),
            Added::Duplicate { existing } => existing.clone(),
        })
        .collect();
    let order = vec![ids[2].clone(), String::from("gone"), ids[0].clone()];
    vault.set_recent(&order, 10).unwrap();
    assert_eq!(vault.recent(), [ids[2].clone(), ids[0].clone()]);
    let bytes = fs::read(&path).unwrap();
    vault.set_recent(&order, 10).unwrap();
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "an unchanged order is not written"
    );
    let reopened = Vault::open(&path, Unlock::Password(PW)).unwrap();
    assert_eq!(reopened.recent(), [ids[2].clone(), ids[0].clone()]);
    // The names are never in the file in clear.
    assert!(!bytes.windows(ids[2].len()).any(|w| w == ids[2].as_bytes()));
    vault.set_recent(&ids, 1).unwrap();
    assert_eq!(vault.recent(), [ids[0].clone()]);
}

/// A save waits for another writer's lock, then gives up with `Busy`
/// naming the lock file; nothing is written. Released within the wait,
/// the save goes through.
#[test]
fn a_save_waits_for_the_lock_then_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = password_vault(dir.path());
    let before = fs::read(vault.path()).unwrap();
    let other = store::Files::new(vault.path());
    let held = other.lock(Duration::ZERO).unwrap();
    vault.files.lock_wait = Duration::from_millis(100);
    let err = vault.add(vec![totp("Busy", "x", 1)], 1).unwrap_err();
    let VaultError::Busy(path, _) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*path, other.lock_path());
    assert_eq!(fs::read(vault.path()).unwrap(), before, "nothing written");
    assert!(vault.entries().is_empty());
    // The other writer finishes while this one waits.
    vault.files.lock_wait = Duration::from_secs(60);
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        drop(held);
    });
    vault.add(vec![totp("Busy", "x", 1)], 1).unwrap();
    releaser.join().unwrap();
    let again = Vault::open(vault.path(), Unlock::Password(PW)).unwrap();
    assert_eq!(again.entries().len(), 1);
}

/// A keyring that holds the vault's key but cannot give it (locked) nor
/// store anything.
struct LockedKeyring;

impl KeyStore for LockedKeyring {
    fn get(&self, _: &str) -> Result<Key, VaultError> {
        Err(VaultError::Keyring(String::from("the keyring is locked")))
    }
    fn set(&self, _: &str, _: &Key, _: &str) -> Result<(), VaultError> {
        Err(VaultError::Keyring(String::from("the keyring is locked")))
    }
    fn delete(&self, _: &str) -> Result<(), VaultError> {
        Err(VaultError::Keyring(String::from("the keyring is locked")))
    }
}

/// Changing the password while the keyring slot cannot be rewrapped drops
/// that slot (saying why) instead of failing: the new password and the
/// new recovery key open the vault, the old keyring key no longer does.
#[test]
fn a_password_change_drops_a_keyring_slot_it_cannot_rewrap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let store = MemoryKeyStore::default();
    let (mut vault, _) = keyring_vault(&path, &store);
    vault.add(vec![totp("Kept", "x", 3)], 1).unwrap();
    let rekeyed = vault
        .change_password("new password", Some(&LockedKeyring), KdfPolicy::TEST)
        .unwrap();
    let Some(VaultError::Keyring(why)) = &rekeyed.keyring_dropped else {
        panic!("{:?}", rekeyed.keyring_dropped);
    };
    assert!(why.contains("locked"), "{why}");
    assert_eq!(vault.slots(), vec![SlotKind::Password, SlotKind::Recovery]);
    let recovery = rekeyed.recovery.expect("a new recovery key");
    for unlock in [
        Unlock::Password("new password"),
        Unlock::Recovery(recovery.expose()),
    ] {
        assert_eq!(Vault::open(&path, unlock).unwrap().entries().len(), 1);
    }
    assert!(matches!(
        Vault::open(&path, Unlock::Keyring(&store)),
        Err(VaultError::NoSuchSlot("keyring"))
    ));
    assert!(matches!(
        Vault::open(&path, Unlock::Password(PW)),
        Err(VaultError::WrongPassword)
    ));
}
