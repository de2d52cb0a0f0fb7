//! Issue 11 (security review) through the built binary: newer vaults are
//! read-only and never called damaged, revoking a credential says what
//! happens to backups, backup pruning survives a clock set in the future,
//! symbolic links, `tessera backups` and `tessera restore`. Uses only the
//! binary and the file system (so it also runs against older builds).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PW: &str = "test password";
const GOLDEN_PW: &str = "golden password";

fn tessera(vault: &Path, args: &[&str], stdin: &str) -> Output {
    common::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(args)
            .env("TESSERA_VAULT", vault)
            .env("TESSERA_TEST_FAST_KDF", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY"),
        stdin.as_bytes(),
    )
}

/// With the password (and `more` lines) on standard input.
fn pw(vault: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--password-stdin"];
    all.extend_from_slice(args);
    tessera(vault, &all, &format!("{PW}\n"))
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[track_caller]
fn ok(o: &Output) -> String {
    let (out, err) = text(o);
    assert!(o.status.success(), "stdout: {out}\nstderr: {err}");
    out
}

#[track_caller]
fn fails(o: &Output, needle: &str) -> String {
    let (out, err) = text(o);
    assert!(!o.status.success(), "stdout: {out}\nstderr: {err}");
    assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
    err
}

fn recovery_key(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.len() == 39 && w.matches('-').count() == 7)
        .unwrap_or_else(|| panic!("no recovery key in {text}"))
        .to_string()
}

fn add(vault: &Path, issuer: &str, secret: &str) {
    ok(&pw(vault, &["add", "--issuer", issuer, "--secret", secret]));
}

/// Every file next to the vault except the vault and its lock.
fn others(vault: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(vault.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            *p != vault && !name.ends_with(".lock")
        })
        .collect();
    v.sort();
    v
}

fn golden(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join("vault.tessera");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name),
        &path,
    )
    .unwrap();
    path
}

/// Item 3: a vault of a newer minor version (or with a key slot of an
/// unknown type) is listed but never rewritten; a newer payload version is
/// "made by a newer version", never "damaged" with backup advice.
#[test]
fn newer_vaults_are_read_only_and_never_called_damaged() {
    for name in ["future-1.99.tessera", "future-slot-type.tessera"] {
        let dir = tempfile::tempdir().unwrap();
        let vault = golden(dir.path(), name);
        let before = std::fs::read(&vault).unwrap();
        let stdin = format!("{GOLDEN_PW}\n");
        let listed = ok(&tessera(&vault, &["--password-stdin", "list"], &stdin));
        assert!(listed.contains("Future Co"), "{listed}");
        let args = [
            "--password-stdin",
            "add",
            "--issuer",
            "X",
            "--secret",
            "GEZDGNBVGY3TQOJQ",
        ];
        let err = fails(&tessera(&vault, &args, &stdin), "newer version of Tessera");
        assert!(!err.contains("backup"), "{err}");
        assert_eq!(
            std::fs::read(&vault).unwrap(),
            before,
            "{name} was rewritten"
        );
        assert!(others(&vault).is_empty(), "{:?}", others(&vault));
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = golden(dir.path(), "future-payload-99.tessera");
    let before = std::fs::read(&vault).unwrap();
    let stdin = format!("{GOLDEN_PW}\n");
    let err = fails(
        &tessera(&vault, &["--password-stdin", "list"], &stdin),
        "newer version of Tessera",
    );
    assert!(!err.contains("backup") && !err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&vault).unwrap(), before);
}

/// Items 1 and 11: renewing the recovery key and changing the password say
/// that older backups still open with the old credential, and keep them
/// when not asked on a terminal.
#[test]
fn revoking_a_credential_tells_about_backups() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    let first = recovery_key(&ok(&pw(&vault, &["init"])));
    add(&vault, "A", "JBSWY3DPEHPK3PXP");
    let out = ok(&pw(&vault, &["recovery"]));
    let second = recovery_key(&out);
    assert!(
        out.contains("rotated") && out.contains("still open"),
        "{out}"
    );
    assert!(out.contains("kept"), "{out}");
    let backups = others(&vault);
    assert!(!backups.is_empty());
    let old = tessera(&vault, &["--password-stdin", "list"], &format!("{first}\n"));
    fails(&old, "wrong");
    ok(&tessera(
        &vault,
        &["--password-stdin", "list"],
        &format!("{second}\n"),
    ));
    // passwd: the same note; the backups are kept.
    let out = ok(&tessera(
        &vault,
        &["--password-stdin", "passwd"],
        &format!("{PW}\nanother password\n"),
    ));
    assert!(
        out.contains("still open") && out.contains("old password"),
        "{out}"
    );
    assert!(others(&vault).len() > backups.len());
}

/// Item 1: after a recovery-key unlock, renewing the key needs the
/// password (second line) to rewrap the password slot.
#[test]
fn recovery_renewal_after_a_recovery_unlock_asks_for_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    let first = recovery_key(&ok(&pw(&vault, &["init"])));
    let without = tessera(
        &vault,
        &["--password-stdin", "recovery"],
        &format!("{first}\n"),
    );
    fails(&without, "password");
    let wrong = tessera(
        &vault,
        &["--password-stdin", "recovery"],
        &format!("{first}\nnot the password\n"),
    );
    fails(&wrong, "wrong password");
    ok(&tessera(
        &vault,
        &["--password-stdin", "list"],
        &format!("{first}\n"),
    ));
    let out = ok(&tessera(
        &vault,
        &["--password-stdin", "recovery"],
        &format!("{first}\n{PW}\n"),
    ));
    let second = recovery_key(&out);
    assert_ne!(first, second);
    ok(&pw(&vault, &["list"]));
}

/// Item 10: backups once stamped with a clock in the future never make
/// the new backup be pruned at once.
#[test]
fn a_clock_once_in_the_future_never_prunes_the_new_backup() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    ok(&pw(&vault, &["init"]));
    add(&vault, "A", "JBSWY3DPEHPK3PXP");
    // Five backups named by an earlier build while the clock said 2100.
    for i in 0..5u128 {
        let nanos = 4_102_444_800_000_000_000u128 + i;
        std::fs::copy(
            &vault,
            dir.path().join(format!("vault.tessera.bak.{nanos:020}")),
        )
        .unwrap();
    }
    for (issuer, secret) in [("B", "GEZDGNBVGY3TQOJQ"), ("C", "MFRGGZDFMZTWQ2LK")] {
        let before = std::fs::read(&vault).unwrap();
        add(&vault, issuer, secret);
        let kept = others(&vault);
        assert!(
            kept.iter().any(|b| std::fs::read(b).unwrap() == before),
            "the backup just made is gone: {kept:?}"
        );
    }
}

/// Item 6: a vault path that is a symbolic link is written through (the
/// link stays); a dangling link is refused, never replaced.
#[cfg(unix)]
#[test]
fn symbolic_links_are_written_through_and_dangling_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("synced");
    std::fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("vault.tessera");
    ok(&pw(&real, &["init"]));
    let link = dir.path().join("link.tessera");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    add(&link, "A", "JBSWY3DPEHPK3PXP");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(ok(&pw(&real, &["list"])).contains('A'));
    let dangling = dir.path().join("dangling.tessera");
    let missing = dir.path().join("missing.tessera");
    std::os::unix::fs::symlink(&missing, &dangling).unwrap();
    let out = pw(
        &dangling,
        &["add", "--issuer", "A", "--secret", "JBSWY3DPEHPK3PXP"],
    );
    fails(&out, "symbolic link");
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!missing.exists());
}

/// Item 15: `tessera backups` lists each backup with its date, account
/// count and the credential that opens it; `tessera restore` puts one in
/// place, keeping the (damaged) current file as a backup.
#[test]
fn backups_are_listed_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    ok(&pw(&vault, &["init"]));
    add(&vault, "A", "JBSWY3DPEHPK3PXP");
    add(&vault, "B", "GEZDGNBVGY3TQOJQ");
    let listed = ok(&pw(&vault, &["backups"]));
    assert!(
        listed.contains("1 account, opens with the password"),
        "{listed}"
    );
    assert!(
        listed.contains("0 accounts, opens with the password"),
        "{listed}"
    );
    assert!(listed.contains(" UTC "), "{listed}");
    let wrong = ok(&tessera(
        &vault,
        &["--password-stdin", "backups"],
        "wrong\n",
    ));
    assert!(wrong.contains("does not open"), "{wrong}");
    // Damage the vault, restore the newest backup (one account).
    let mut bytes = std::fs::read(&vault).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&vault, &bytes).unwrap();
    let err = fails(&pw(&vault, &["list"]), "tessera restore");
    let newest = others(&vault).pop().unwrap();
    assert!(err.contains(&*newest.to_string_lossy()), "{err}");
    let out = ok(&pw(&vault, &["restore", newest.to_str().unwrap()]));
    // The newest backup holds one account ("A"): the message says so.
    assert!(out.contains(" (1 account).\n"), "{out}");
    let listed = ok(&pw(&vault, &["list"]));
    assert!(listed.contains('A') && !listed.contains("B:"), "{listed}");
    assert!(
        others(&vault)
            .iter()
            .any(|b| std::fs::read(b).unwrap() == bytes),
        "the damaged file was not kept"
    );
    // A wrong credential restores nothing.
    let before = std::fs::read(&vault).unwrap();
    let refused = tessera(
        &vault,
        &["--password-stdin", "restore", newest.to_str().unwrap()],
        "wrong\n",
    );
    fails(&refused, "wrong password");
    assert_eq!(std::fs::read(&vault).unwrap(), before);
}
