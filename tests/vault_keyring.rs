//! The OS keyring slot. `native_store_is_compiled_in` always runs; the
//! Secret Service tests run when TESSERA_TEST_SECRET_SERVICE=1 (scripts/test
//! sets it inside dbus-run-session with an unlocked gnome-keyring).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use tessera::vault::{KeyStore, OsKeyring, Vault, crypto::KEY_LEN};

fn secret_service() -> bool {
    std::env::var_os("TESSERA_TEST_SECRET_SERVICE").is_some_and(|v| v == "1")
}

/// keyring 3.x silently fell back to an in-memory store; keyring 4 (v1)
/// must have tried the platform store: with a session bus it is the Secret
/// Service, without one it fails with the bus error (never a mock).
#[test]
fn native_store_is_compiled_in() {
    let status = keyring::Entry::store_status();
    match status {
        Ok(()) => {
            let store = keyring_core::get_default_store().expect("a default store is set");
            assert!(
                store.vendor().contains("Secret Service"),
                "vendor: {}",
                store.vendor()
            );
            assert!(matches!(
                store.persistence(),
                keyring_core::CredentialPersistence::UntilDelete
            ));
        }
        Err(e) => {
            assert!(
                !secret_service(),
                "TESSERA_TEST_SECRET_SERVICE=1 but no store: {e}"
            );
            assert!(
                matches!(
                    e,
                    keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
                ),
                "not a platform store failure: {e:?}"
            );
        }
    }
}

fn tessera(vault: &Path, args: &[&str], stdin: &str) -> Output {
    common::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(args)
            .env("TESSERA_VAULT", vault)
            .env("TESSERA_TEST_FAST_KDF", "1"),
        stdin.as_bytes(),
    )
}

#[track_caller]
fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn secret_service_round_trip() {
    if !secret_service() {
        common::skipped("set TESSERA_TEST_SECRET_SERVICE=1 with a Secret Service running");
        return;
    }
    let store = OsKeyring::default();
    let id = "00000000000000000000000000test01";
    let key = zeroize::Zeroizing::new([7u8; KEY_LEN]);
    store.set(id, &key, "Tessera vault (test)").unwrap();
    assert_eq!(OsKeyring::default().get(id).unwrap(), key);
    store.delete(id).unwrap();
    assert!(OsKeyring::default().get(id).is_err());
}

#[test]
fn keyring_vault_through_the_cli() {
    if !secret_service() {
        common::skipped("set TESSERA_TEST_SECRET_SERVICE=1 with a Secret Service running");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    // First use: keyring slot + recovery key, no password asked.
    let out = ok(&tessera(&vault, &["init"], ""));
    assert!(out.contains("OS keyring"), "{out}");
    let recovery = out
        .split_whitespace()
        .find(|w| w.len() == 39 && w.matches('-').count() == 7)
        .unwrap()
        .to_string();
    ok(&tessera(
        &vault,
        &[
            "add",
            "--issuer",
            "GitHub",
            "--account",
            "me",
            "--secret",
            "JBSWY3DPEHPK3PXP",
        ],
        "",
    ));
    let code = ok(&tessera(&vault, &["code", "github", "--at", "59"], ""));
    // oathtool --totp -b JBSWY3DPEHPK3PXP -N @59
    assert_eq!(code.trim(), "996554");
    // The keyring holds a 32-byte key under the app id.
    let info = Vault::inspect(&vault).unwrap();
    // One entry per slot: `vault-<vault id>-<slot id>`.
    assert_eq!(info.keyring_entries.len(), 1);
    assert!(info.keyring_entries[0].starts_with(&format!("vault-{}-", info.vault_id)));
    let entry = keyring::Entry::new(tessera::APP_ID, &info.keyring_entries[0]).unwrap();
    assert_eq!(entry.get_secret().unwrap().len(), KEY_LEN);
    // Keyring only: disabling it is refused until a password exists.
    assert!(
        !tessera(&vault, &["keyring", "disable"], "")
            .status
            .success()
    );
    ok(&tessera(
        &vault,
        &["--password-stdin", "passwd"],
        "a password\n",
    ));
    // The key is lost: no new key is made over the vault; the password
    // and the recovery key still open it, and the file is untouched.
    entry.delete_credential().unwrap();
    let before = std::fs::read(&vault).unwrap();
    let failed = tessera(&vault, &["list"], "");
    assert_eq!(failed.status.code(), Some(1));
    let why = String::from_utf8_lossy(&failed.stderr);
    assert!(
        why.contains("--password-stdin") && why.contains("keyring"),
        "{why}"
    );
    assert_eq!(std::fs::read(&vault).unwrap(), before);
    assert!(entry.get_secret().is_err(), "a new key was stored");
    ok(&tessera(
        &vault,
        &["--password-stdin", "list"],
        "a password\n",
    ));
    // passwd renewed the recovery key: the first one no longer opens it.
    assert!(
        !tessera(
            &vault,
            &["--password-stdin", "list"],
            &format!("{recovery}\n")
        )
        .status
        .success()
    );
    // Back to the keyring, then off again.
    ok(&tessera(
        &vault,
        &["--password-stdin", "keyring", "enable"],
        "a password\n",
    ));
    ok(&tessera(&vault, &["list"], ""));
    ok(&tessera(
        &vault,
        &["--password-stdin", "keyring", "disable"],
        "a password\n",
    ));
    assert!(entry.get_secret().is_err());
}
