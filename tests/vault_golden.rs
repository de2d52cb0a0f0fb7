//! Every released vault format keeps opening. `tests/golden/v1.tessera`
//! was written by format 1.0 (password "golden password", cheap Argon2id
//! parameters recorded in the file: reading accepts any parameters within
//! the caps; only creation enforces the floor). `tests/golden/v1.1.tessera`
//! is format 1.1 with payload version 2 (sync records), every byte fixed by
//! its generator (`src/vault/tests_golden.rs`). Never regenerate either.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use tessera::vault::{SlotKind, Unlock, Vault, VaultError};
use tessera::{Algorithm, OtpKind};

const RECOVERY: &str = "WUQX-NODR-I3ER-PELV-RQHP-XH7E-M7WR-QNB4";

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Copies a golden file into a temp dir, so opening it can touch nothing.
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::copy(golden(name), &path).unwrap();
    (dir, path)
}

#[test]
fn v1_opens_with_password_and_recovery_key() {
    let (_dir, path) = copy("v1.tessera");
    let original = std::fs::read(&path).unwrap();
    let info = Vault::inspect(&path).unwrap();
    assert_eq!(info.version, (1, 0));
    assert_eq!(info.slots, vec![SlotKind::Password, SlotKind::Recovery]);
    for unlock in [
        Unlock::Password("golden password"),
        Unlock::Recovery(RECOVERY),
    ] {
        let vault = Vault::open(&path, unlock).unwrap();
        let e = vault.entries();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].account.issuer.as_deref(), Some("ACME Co"));
        assert_eq!(e[0].account.name, "john.doe@email.com");
        assert_eq!(e[0].account.algorithm, Algorithm::Sha256);
        assert_eq!(e[0].account.digits.get(), 8);
        assert_eq!(e[0].created, 1_700_000_000);
        assert_eq!(
            e[0].account.secret.to_base32(),
            "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
        );
        assert_eq!(e[1].account.issuer, None);
        assert_eq!(e[1].account.kind, OtpKind::Hotp { counter: 7 });
        // RFC 4226 Appendix D, count 7.
        assert_eq!(e[1].account.code_at(0), "162583");
    }
    assert!(matches!(
        Vault::open(&path, Unlock::Password("golden Password")),
        Err(VaultError::WrongPassword)
    ));
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

const RECOVERY_1_1: &str = "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ";

#[test]
fn v1_1_opens_with_its_sync_records() {
    let (_dir, path) = copy("v1.1.tessera");
    let original = std::fs::read(&path).unwrap();
    let info = Vault::inspect(&path).unwrap();
    assert_eq!(info.version, (1, 1));
    assert!(info.newer.is_none());
    assert_eq!(
        info.slots,
        vec![SlotKind::Keyring, SlotKind::Password, SlotKind::Recovery]
    );
    for unlock in [
        Unlock::Password("golden password"),
        Unlock::Recovery(RECOVERY_1_1),
    ] {
        let vault = Vault::open(&path, unlock).unwrap();
        let e = vault.entries();
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].account.issuer.as_deref(), Some("ACME"));
        assert_eq!(e[0].account.name, "john@email.com");
        assert_eq!(e[0].account.algorithm, Algorithm::Sha256);
        assert_eq!((e[0].rev, e[0].history.len()), (3, 2));
        assert_eq!(e[1].account.kind, OtpKind::Hotp { counter: 9 });
        // RFC 4226 Appendix D, count 9.
        assert_eq!(e[1].account.code_at(0), "520489");
        assert_eq!(e[2].conflict.as_deref(), Some(e[0].id.as_str()));
        assert_eq!(e[2].account.name, "john.doe@work.example");
        let t = vault.tombstones();
        assert_eq!((t.len(), t[0].counter, t[0].rev), (1, Some(5), 1));
    }
    // The keyring slot is stale (its data key was rotated elsewhere).
    let store = tessera::vault::MemoryKeyStore::default();
    use tessera::vault::KeyStore;
    store
        .set(
            &info.keyring_entries[0],
            &zeroize::Zeroizing::new([9u8; 32]),
            "Tessera vault (v1.1.tessera)",
        )
        .unwrap();
    assert!(matches!(
        Vault::open(&path, Unlock::Keyring(&store)),
        Err(VaultError::KeyringStale)
    ));
    assert_eq!(std::fs::read(&path).unwrap(), original);
    // It stays writable, keeping its records.
    let mut vault = Vault::open(&path, Unlock::Password("golden password")).unwrap();
    let id = vault.entries()[0].id.clone();
    vault.rename(&id, None, Some("renamed".into()), 1).unwrap();
    let again = Vault::open(&path, Unlock::Recovery(RECOVERY_1_1)).unwrap();
    assert_eq!(again.entries()[0].rev, 4);
    assert_eq!(again.tombstones().len(), 1);
}

#[test]
fn unknown_major_version_is_refused_untouched() {
    let (_dir, path) = copy("v1.tessera");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8] = 2;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Vault::open(&path, Unlock::Password("golden password")),
        Err(VaultError::UnsupportedVersion { major: 2, .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// Opening an old vault with its password raises weak Argon2id parameters
/// to the creation policy (never below m=64 MiB, t=3, p=4), keeping the
/// previous file as a backup.
#[test]
fn weak_parameters_are_upgraded_after_a_password_unlock() {
    use std::io::Write;
    let (_dir, path) = copy("v1.tessera");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["--password-stdin", "list", "--json"])
        .env("TESSERA_VAULT", &path)
        .env_remove("TESSERA_TEST_FAST_KDF")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"golden password\n")
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let vault = Vault::open(&path, Unlock::Password("golden password")).unwrap();
    assert!(!vault.password_slot_below_floor());
    assert_eq!(vault.entries().len(), 2);
    assert!(Vault::open(&path, Unlock::Recovery(RECOVERY)).is_ok());
    assert_eq!(Vault::backups(&path).len(), 1);
}

/// Files of a newer Tessera (obviously future numbers, written by
/// `write_golden_future` in src/vault/tests_security.rs): read-only, or
/// "made by a newer version", never damaged.
#[test]
fn future_files_are_newer_never_damaged() {
    use std::sync::Arc;
    use tessera::session::{Keys, Session, SessionError};
    let keys = Keys {
        keyring: Arc::new(tessera::vault::MemoryKeyStore::default()),
        policy: tessera::vault::KdfPolicy::from_env(),
    };
    for name in ["future-1.99.tessera", "future-slot-type.tessera"] {
        let (_dir, path) = copy(name);
        let original = std::fs::read(&path).unwrap();
        let info = Vault::inspect(&path).unwrap();
        assert_eq!(info.version, (1, 99));
        assert!(info.newer.is_some());
        let mut session = Session::open(&path, Some("golden password"), keys.clone()).unwrap();
        assert!(session.newer_version().is_some());
        assert_eq!(session.entries().len(), 1);
        let id = session.entries()[0].id.clone();
        let e = session.remove(&id, 1).unwrap_err();
        assert!(
            matches!(&e, SessionError::Vault(v) if v.is_newer() && !v.is_damage()),
            "{e:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), original);
    }
    let (_dir, path) = copy("future-payload-99.tessera");
    match Session::open(&path, Some("golden password"), keys) {
        Err(SessionError::Vault(e)) => {
            assert!(e.is_newer() && !e.is_damage(), "{e:?}");
            assert!(e.to_string().contains("newer version of Tessera"));
        }
        other => panic!("{other:?}"),
    }
}
