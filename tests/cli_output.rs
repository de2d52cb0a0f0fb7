//! What the CLI prints beside its results: dates in `list --json`
//! (`created` and `modified`, RFC 3339 in UTC, the Unix seconds the vault
//! stores), and "Unlocking…" on standard error when it is a terminal (a pty
//! made by python3's `pty` module), never when it is a pipe, standard output
//! being the same either way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use tessera::vault::{Unlock, Vault};

const PW: &str = "test password";

/// Runs tessera with the password on stdin, stdout a pipe, and stderr on a
/// pty; prints stdout, then a NUL, then what the pty received.
const ON_PTY: &str = r#"
import os, pty, select, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave)
out, _ = p.communicate(sys.stdin.buffer.read())
# The slave stays open here, so nothing written to it is dropped with a hangup.
seen = b""
while select.select([master], [], [], 0.5)[0]:
    seen += os.read(master, 4096)
sys.stdout.buffer.write(out + b"\0" + seen)
sys.exit(p.returncode)
"#;

fn tessera(vault: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
    c.env("TESSERA_VAULT", vault)
        .env("TESSERA_TEST_FAST_KDF", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    c
}

fn run(command: &mut Command) -> Output {
    let out = common::run_with_stdin(command, format!("{PW}\n").as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn unlocking_is_shown_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    run(tessera(&vault).args(["--password-stdin", "init"]));

    let piped = run(tessera(&vault).args(["--password-stdin", "list"]));
    let piped_err = String::from_utf8_lossy(&piped.stderr);
    assert!(!piped_err.contains("Unlocking"), "{piped_err}");
    assert!(!piped_err.contains('\x1b'), "{piped_err:?}");

    let mut python = Command::new("python3");
    python
        .args(["-c", ON_PTY, env!("CARGO_BIN_EXE_tessera")])
        .args(["--password-stdin", "list"])
        .env("TESSERA_VAULT", &vault)
        .env("TESSERA_TEST_FAST_KDF", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stderr(Stdio::inherit());
    let on_pty = run(&mut python);
    let (stdout, terminal) = on_pty
        .stdout
        .split_at(on_pty.stdout.iter().position(|b| *b == 0).unwrap());
    let terminal = String::from_utf8_lossy(&terminal[1..]);
    // The line is shown, then erased; the command's output is unchanged.
    assert!(terminal.starts_with("\r\x1b[KUnlocking…"), "{terminal:?}");
    assert!(terminal.ends_with("\r\x1b[K"), "{terminal:?}");
    assert_eq!(stdout, piped.stdout.as_slice());
}

#[test]
fn list_json_has_created_and_modified_in_rfc3339() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    run(tessera(&vault).args(["--password-stdin", "init"]));
    run(tessera(&vault).args([
        "--password-stdin",
        "add",
        "--uri",
        "otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PXP",
    ]));
    let out = run(tessera(&vault).args(["--password-stdin", "list", "--json"]));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = &doc.as_array().unwrap()[0];
    let stored = Vault::open(&vault, Unlock::Password(PW)).unwrap();
    let entry = &stored.entries()[0];
    for (field, unix) in [("created", entry.created), ("modified", entry.modified)] {
        let text = item[field]
            .as_str()
            .unwrap_or_else(|| panic!("{field}: {item}"));
        let parsed = chrono::DateTime::parse_from_rfc3339(text).unwrap();
        assert_eq!(parsed.timestamp(), i64::try_from(unix).unwrap(), "{field}");
        assert!(text.ends_with('Z'), "{text}");
    }
}
