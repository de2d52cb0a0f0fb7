//! "Unlocking…" appears on standard error when it is a terminal (a pty
//! made by python3's `pty` module) and never when it is a pipe; standard
//! output is the same either way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

const PW: &str = "test password";

/// Runs tessera with the password on stdin, stdout a pipe, and stderr on a
/// pty; prints stdout, then a NUL, then what the pty received.
const ON_PTY: &str = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
out, _ = p.communicate(sys.stdin.buffer.read())
seen = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
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
