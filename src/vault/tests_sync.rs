//! Two computers, one vault, at the level of the vault file: the file
//! replaced under an open vault, conflict copies, a data key rotated on
//! the other computer, and each computer's keyring slot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use super::super::{
    Added, KdfPolicy, KeyStore, MemoryKeyStore, SlotKind, Unlock, Vault, VaultError,
};
use super::*;
use crate::account::Account;
use crate::secret::Secret;

const PW: &str = "correct horse";

fn account(seed: u8) -> Account {
    Account::totp(
        Some("Issuer".into()),
        format!("user{seed}"),
        Secret::from_bytes(vec![seed; 20]).unwrap(),
    )
}

fn new_vault(path: &Path, keyring: Option<&dyn KeyStore>) -> Vault {
    super::super::tests_security::password_vault(path, keyring).0
}

fn names(vault: &Vault) -> Vec<String> {
    let mut names: Vec<String> = vault
        .entries()
        .iter()
        .map(|e| e.account.name.clone())
        .collect();
    names.sort();
    names
}

fn added_id(added: &[Added]) -> String {
    match &added[0] {
        Added::New(id) => id.clone(),
        Added::Duplicate { existing } => existing.clone(),
    }
}

/// Computer A and computer B: the same vault in two folders.
fn two_computers() -> (tempfile::TempDir, Vault, Vault) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("a")).unwrap();
    fs::create_dir(dir.path().join("b")).unwrap();
    let a_path = dir.path().join("a/vault.tessera");
    let mut a = new_vault(&a_path, None);
    a.add(vec![account(1)], 10).unwrap();
    let b_path = dir.path().join("b/vault.tessera");
    fs::copy(&a_path, &b_path).unwrap();
    let b = Vault::open(&b_path, Unlock::Password(PW)).unwrap();
    (dir, a, b)
}

#[test]
fn a_save_merges_a_file_replaced_by_the_other_computers_version() {
    let (_dir, mut a, mut b) = two_computers();
    a.add(vec![account(2)], 20).unwrap();
    let id = b.entries()[0].id.clone();
    b.rename(&id, None, Some("renamed on b".into()), 20)
        .unwrap();
    b.add(vec![account(3)], 20).unwrap();
    // The sync tool puts A's file in place of B's, while B is open.
    fs::copy(a.path(), b.path()).unwrap();
    b.add(vec![account(4)], 30).unwrap();
    assert_eq!(names(&b), vec!["renamed on b", "user2", "user3", "user4"]);
    let again = Vault::open(b.path(), Unlock::Password(PW)).unwrap();
    assert_eq!(names(&again), names(&b));
    // A reload (the app's file watcher) merges and saves the same way.
    fs::copy(a.path(), b.path()).unwrap();
    assert!(!b.reload().unwrap());
    let again = Vault::open(b.path(), Unlock::Password(PW)).unwrap();
    assert_eq!(names(&again), names(&b));
    // Deleted on A after seeing B's file: deleted on B too.
    fs::copy(b.path(), a.path()).unwrap();
    a.reload().unwrap();
    let four = a.entries().iter().find(|e| e.account.name == "user4");
    a.remove(&four.unwrap().id.clone(), 40).unwrap();
    fs::copy(a.path(), b.path()).unwrap();
    assert!(b.reload().unwrap());
    assert_eq!(names(&b), vec!["renamed on b", "user2", "user3"]);
}

#[test]
fn conflict_copies_are_merged_and_set_aside_other_vaults_left_alone() {
    let (dir, mut a, mut b) = two_computers();
    let id = added_id(&a.add(vec![account(2)], 20).unwrap());
    a.rename(&id, None, Some("a's name".into()), 21).unwrap();
    b.add(vec![account(3)], 20).unwrap();
    // B had the HOTP-free account 2 renamed too, unknown to A: A's file
    // arrives on B's side as Syncthing's conflict copy.
    let copy = dir
        .path()
        .join("b/vault.sync-conflict-20261202-101010-ABCDEF1.tessera");
    fs::copy(a.path(), &copy).unwrap();
    let other = dir.path().join("b/vault (1).tessera");
    new_vault(&other, None);
    let other_bytes = fs::read(&other).unwrap();
    assert_eq!(b.conflict_copies(), vec![other.clone(), copy.clone()]);
    let merged = b.merge_copy(&copy, Opener::default(), 30).unwrap();
    assert_eq!(merged.report.added, 1);
    assert!(!merged.rekeyed);
    assert_eq!(
        merged.moved_to,
        copy.with_file_name(format!(
            "{}.merged",
            copy.file_name().unwrap().to_string_lossy()
        ))
    );
    assert!(!copy.exists() && merged.moved_to.exists());
    assert_eq!(names(&b), vec!["a's name", "user1", "user3"]);
    assert!(matches!(
        b.merge_copy(&other, Opener::default(), 30),
        Err(VaultError::OtherVault(_))
    ));
    assert_eq!(fs::read(&other).unwrap(), other_bytes);
    assert_eq!(b.conflict_copies(), vec![other]);
}

/// Point 4 of the issue: the password changed on A (the data key
/// rotated); B's copy still has the old key. B merges A's file with the
/// new password and keeps A's key: the old password opens nothing new.
#[test]
fn a_copy_whose_key_was_rotated_elsewhere_merges_with_its_password() {
    let (dir, mut a, mut b) = two_computers();
    a.provide_password(PW).unwrap();
    a.change_password("new password", None, KdfPolicy::TEST)
        .unwrap();
    a.add(vec![account(2)], 20).unwrap();
    b.add(vec![account(3)], 20).unwrap();
    let copy = dir
        .path()
        .join("b/vault (conflicted copy 2026-12-02 101010).tessera");
    fs::copy(a.path(), &copy).unwrap();
    assert!(matches!(
        b.merge_copy(&copy, Opener::default(), 30),
        Err(VaultError::CopyNeedsCredential)
    ));
    let wrong = Opener {
        keyring: None,
        typed: Some("correct horse"),
    };
    assert!(matches!(
        b.merge_copy(&copy, wrong, 30),
        Err(VaultError::WrongPassword)
    ));
    assert!(copy.exists());
    let right = Opener {
        keyring: None,
        typed: Some("new password"),
    };
    let merged = b.merge_copy(&copy, right, 30).unwrap();
    assert!(merged.rekeyed);
    assert_eq!(names(&b), vec!["user1", "user2", "user3"]);
    assert!(matches!(
        Vault::open(b.path(), Unlock::Password(PW)),
        Err(VaultError::WrongPassword)
    ));
    let reopened = Vault::open(b.path(), Unlock::Password("new password")).unwrap();
    assert_eq!(names(&reopened), names(&b));
    // Merged the other way round, A keeps its own (newer) key.
    fs::copy(b.path(), dir.path().join("a/vault (1).tessera")).unwrap();
    let back = a
        .merge_copy(
            &dir.path().join("a/vault (1).tessera"),
            Opener::default(),
            40,
        )
        .unwrap();
    assert!(!back.rekeyed);
    assert_eq!(names(&a), names(&b));
}

/// Point 4: each computer's keyring slot is its own. A rotation on A
/// cannot rewrap B's slot: it stays, stale; B's keyring then says so
/// (never "damaged"), and one password unlock on B re-enrols it.
#[test]
fn the_other_computers_keyring_slot_goes_stale_and_re_enrols() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let keyring_a = MemoryKeyStore::default();
    let keyring_b = MemoryKeyStore::default();
    let mut a = new_vault(&path, Some(&keyring_a));
    a.add(vec![account(1)], 10).unwrap();
    let mut b = Vault::open(&path, Unlock::Password(PW)).unwrap();
    b.enable_keyring(&keyring_b).unwrap();
    // Both keyring slots: enabling on B kept A's.
    let info = Vault::inspect(&path).unwrap();
    assert_eq!(
        info.slots
            .iter()
            .filter(|k| **k == SlotKind::Keyring)
            .count(),
        2
    );
    assert!(Vault::open(&path, Unlock::Keyring(&keyring_a)).is_ok());
    drop(b);
    // A renews the recovery key (a rotation) with only its own keyring.
    a.provide_password(PW).unwrap();
    a.renew_recovery(&keyring_a).unwrap();
    assert!(Vault::open(&path, Unlock::Keyring(&keyring_a)).is_ok());
    assert!(matches!(
        Vault::open(&path, Unlock::Keyring(&keyring_b)),
        Err(VaultError::KeyringStale)
    ));
    let mut b = Vault::open(&path, Unlock::Password(PW)).unwrap();
    assert!(b.reenrol_keyring(&keyring_b).unwrap());
    assert!(!b.reenrol_keyring(&keyring_b).unwrap());
    assert_eq!(
        Vault::open(&path, Unlock::Keyring(&keyring_b))
            .unwrap()
            .entries()
            .len(),
        1
    );
    assert!(Vault::open(&path, Unlock::Keyring(&keyring_a)).is_ok());
}

/// The same account renamed on both computers: one version wins, the
/// other is kept marked conflict; keeping the copy puts its name on the
/// account and removes the copy.
#[test]
fn a_conflict_is_kept_then_resolved() {
    let (dir, mut a, mut b) = two_computers();
    let id = a.entries()[0].id.clone();
    a.rename(&id, None, Some("on a".into()), 20).unwrap();
    b.rename(&id, None, Some("on b".into()), 20).unwrap();
    let copy = dir.path().join("b/vault-LAPTOP.tessera");
    fs::copy(a.path(), &copy).unwrap();
    let merged = b.merge_copy(&copy, Opener::default(), 30).unwrap();
    assert_eq!(merged.report.conflicts, 1);
    assert_eq!(names(&b), vec!["on a", "on b"]);
    let (winner, loser) = (&b.entries()[0], &b.entries()[1]);
    assert_eq!(loser.conflict.as_deref(), Some(id.as_str()));
    assert_eq!(winner.id, id);
    let (copy_id, kept_name) = (loser.id.clone(), loser.account.name.clone());
    assert!(matches!(
        b.keep_conflict_copy(&id, 40),
        Err(VaultError::NotAConflict)
    ));
    b.keep_conflict_copy(&copy_id, 40).unwrap();
    assert_eq!(b.entries().len(), 1);
    assert_eq!(b.entries()[0].account.name, kept_name);
    assert!(b.entries()[0].conflict.is_none());
    // A merges B's resolution: no conflict copy comes back.
    fs::copy(b.path(), dir.path().join("a/vault (1).tessera")).unwrap();
    a.merge_copy(
        &dir.path().join("a/vault (1).tessera"),
        Opener::default(),
        50,
    )
    .unwrap();
    assert_eq!(names(&a), vec![kept_name]);
}
