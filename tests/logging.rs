//! Logging (RUST_LOG) is off by default, honoured when set, and no secret
//! or account name reaches it even at trace level (the canary test).
//! Password path, no keyring (the session bus points at nothing), cheap
//! Argon2id parameters (TESSERA_TEST_FAST_KDF, debug builds only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

const PW: &str = "canary vault password";
const SECRET: &str = "KRSXG5DTMVRXEZLUMNQW4YLSPFZWKY3S";
const ISSUER: &str = "CanaryIssuer";
const ACCOUNT: &str = "canary.account@example.com";

fn tessera(vault: &Path, rust_log: Option<&str>, args: &[&str], stdin: &str) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
    c.args(args)
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_TEST_FAST_KDF", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env_remove("RUST_LOG")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    if let Some(filter) = rust_log {
        c.env("RUST_LOG", filter);
    }
    common::run_with_stdin(&mut c, stdin.as_bytes())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn off_by_default_and_on_with_rust_log() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    let args = ["code", "--secret", SECRET, "--at", "59"];
    let quiet = tessera(&vault, None, &args, "");
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "");
    let logged = tessera(&vault, Some("debug"), &args, "");
    assert!(logged.status.success());
    assert!(
        stderr(&logged).contains("logging to stderr"),
        "{}",
        stderr(&logged)
    );
    assert_eq!(logged.stdout, quiet.stdout);
}

#[test]
fn no_secret_or_account_name_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("data").join("vault.tessera");
    let uri = format!("otpauth://totp/{ISSUER}:{ACCOUNT}?secret={SECRET}&issuer={ISSUER}");
    let pw = format!("{PW}\n");
    let runs: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--password-stdin", "init"], &pw),
        (vec!["--password-stdin", "add", "--uri", &uri], &pw),
        (vec!["--password-stdin", "list", "--json"], &pw),
        (vec!["--password-stdin", "code", "canary"], &pw),
        (vec!["scan", "-"], &uri),
        (vec!["code", "--secret", "-"], SECRET),
        (vec!["--password-stdin", "list"], "wrong password\n"),
    ];
    let mut log = String::new();
    for (args, stdin) in &runs {
        let out = tessera(&vault, Some("trace"), args, stdin);
        log.push_str(&stderr(&out));
    }
    assert!(log.contains("logging to stderr"), "no log at all:\n{log}");
    let lower = log.to_lowercase();
    for canary in [SECRET, ISSUER, ACCOUNT, "canary", PW] {
        assert!(
            !lower.contains(&canary.to_lowercase()),
            "{canary:?} appears in the trace log:\n{log}"
        );
    }
}
