//! `tessera sync` and the merge of the sync tools' conflict copies through
//! the built binary (password path, no keyring, cheap Argon2id).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::assert_ok;

use std::path::{Path, PathBuf};
use std::process::Output;

const PW: &str = "test password";
const SYNCTHING: &str = "vault.sync-conflict-20261202-101010-ABCDEF1.tessera";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        let env = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(env.dir.path().join("sync")).unwrap();
        env
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("sync").join("vault.tessera")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join("sync").join(name)
    }

    /// `tessera --password-stdin ARGS` on `vault` with `stdin`.
    fn run_on(&self, vault: &Path, args: &[&str], stdin: &str) -> Output {
        common::run_with_stdin(&mut common::tessera_pw(vault, args), stdin.as_bytes())
    }

    fn pw(&self, args: &[&str]) -> Output {
        self.run_on(&self.vault(), args, &format!("{PW}\n"))
    }

    fn add(&self, vault: &Path, name: &str, key: &str) {
        let out = self.run_on(
            vault,
            &[
                "add",
                "--issuer",
                "Sync",
                "--account",
                name,
                "--secret",
                key,
            ],
            &format!("{PW}\n"),
        );
        assert_ok(&out);
    }

    fn names(&self) -> Vec<String> {
        let out = self.pw(&["list", "--json"]);
        assert_ok(&out);
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut names: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn sync_merges_conflict_copies_and_reports_the_rest() {
    let env = Env::new();
    assert_ok(&env.pw(&["init"]));
    env.add(&env.vault(), "both", "JBSWY3DPEHPK3PXP");
    let out = env.pw(&["sync"]);
    assert_ok(&out);
    assert!(text(&out.stdout).contains("Nothing to merge"));

    // The other computer's version, left by Syncthing, with its own add.
    let copy = env.file(SYNCTHING);
    std::fs::copy(env.vault(), &copy).unwrap();
    env.add(&copy, "from laptop", "GEZDGNBVGY3TQOJQ");
    // A read-only command only mentions it (the copy's own backup and lock
    // file are not conflict copies).
    let out = env.pw(&["list"]);
    assert_ok(&out);
    assert!(
        text(&out.stderr).contains(&format!(
            "1 conflict copy of the vault waiting to be merged ({SYNCTHING})"
        )),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("tessera sync"));
    assert!(copy.exists());
    // Another vault under a conflict-copy name, and an unreadable one.
    let other = env.file("vault (1).tessera");
    assert_ok(&env.run_on(&other, &["init"], &format!("{PW}\n")));
    let other_bytes = std::fs::read(&other).unwrap();
    let broken = env.file("vault (Case Conflict).tessera");
    std::fs::write(&broken, b"TSRVAULT and then nothing useful").unwrap();

    let out = env.pw(&["sync"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("Merged {SYNCTHING}: 1 added")),
        "{stdout}"
    );
    assert!(stdout.contains("Left alone: vault (1).tessera is a copy of another vault"));
    assert!(stdout.contains("Could not merge vault (Case Conflict).tessera"));
    assert!(!copy.exists());
    assert!(env.file(&format!("{SYNCTHING}.merged")).exists());
    assert_eq!(std::fs::read(&other).unwrap(), other_bytes);
    assert_eq!(env.names(), vec!["both", "from laptop"]);

    // Without the broken copy: exit 0 (the other vault is only reported).
    std::fs::remove_file(&broken).unwrap();
    let out = env.pw(&["sync"]);
    assert_ok(&out);
    assert!(text(&out.stdout).contains("Left alone"));
}

#[test]
fn write_commands_merge_first_and_a_changed_password_is_asked_for() {
    let env = Env::new();
    assert_ok(&env.pw(&["init"]));
    env.add(&env.vault(), "first", "JBSWY3DPEHPK3PXP");
    // Dropbox's copy: renamed there.
    let copy = env.file("vault (Anna's conflicted copy 2026-12-02).tessera");
    std::fs::copy(env.vault(), &copy).unwrap();
    let out = env.run_on(
        &copy,
        &["rename", "first", "--account", "renamed on laptop"],
        &format!("{PW}\n"),
    );
    assert_ok(&out);
    // `add` merges it first.
    let out = env.pw(&[
        "add",
        "--issuer",
        "Sync",
        "--account",
        "second",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
    ]);
    assert_ok(&out);
    assert!(
        text(&out.stderr).contains("Merged vault (Anna's conflicted copy"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(env.names(), vec!["renamed on laptop", "second"]);

    // The password changed on the other computer (its key rotated).
    let copy = env.file(SYNCTHING);
    std::fs::copy(env.vault(), &copy).unwrap();
    let out = env.run_on(&copy, &["passwd"], &format!("{PW}\nthe laptop password\n"));
    assert_ok(&out);
    env.run_on(
        &copy,
        &[
            "add",
            "--issuer",
            "Sync",
            "--account",
            "third",
            "--secret",
            "MFRGGZDFMZTWQ2LK",
        ],
        "the laptop password\n",
    );
    // Without its password: reported, exit 1, nothing lost.
    let out = env.pw(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("needs its password"),
        "{}",
        text(&out.stdout)
    );
    assert!(copy.exists());
    // With it (line 2 of standard input): merged, its newer key kept.
    let out = env.run_on(
        &env.vault(),
        &["sync"],
        &format!("{PW}\nthe laptop password\n"),
    );
    assert_ok(&out);
    assert!(
        text(&out.stdout).contains("newer key"),
        "{}",
        text(&out.stdout)
    );
    let list = env.run_on(&env.vault(), &["list"], "the laptop password\n");
    assert_ok(&list);
    assert!(text(&list.stdout).contains("third"));
    assert!(!env.pw(&["list"]).status.success());
}
