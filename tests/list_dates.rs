//! `tessera list --json` gives each account's `created` and `modified` as
//! RFC 3339 strings in UTC, the times the vault stores (Unix seconds).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output};

use tessera::vault::{Unlock, Vault};

const PW: &str = "test password";

fn run(vault: &std::path::Path, args: &[&str]) -> Output {
    let mut all = vec!["--password-stdin"];
    all.extend_from_slice(args);
    let out = common::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(&all)
            .env("TESSERA_VAULT", vault)
            .env("TESSERA_TEST_FAST_KDF", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
        format!("{PW}\n").as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn list_json_has_created_and_modified_in_rfc3339() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.tessera");
    run(&vault, &["init"]);
    run(
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
    );
    let out = run(&vault, &["list", "--json"]);
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
