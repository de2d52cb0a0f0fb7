//! The keyring item as a keyring manager shows it: its label names the
//! vault file and it carries the standard `xdg:schema` attribute, read back
//! with libsecret's `secret-tool` (what Seahorse uses). Runs when
//! TESSERA_TEST_SECRET_SERVICE=1 (scripts/test: gnome-keyring in a private
//! D-Bus session).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::process::Command;

use tessera::vault::{KeyStore, OsKeyring, SCHEMA, Vault};

fn secret_service() -> bool {
    std::env::var_os("TESSERA_TEST_SECRET_SERVICE").is_some_and(|v| v == "1")
}

/// `secret-tool search --all` for one item: its label and attributes
/// (`schema` is libsecret's name for `xdg:schema`).
fn item(user: &str) -> Option<(String, HashMap<String, String>)> {
    let out = Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "service",
            tessera::APP_ID,
            "username",
            user,
        ])
        .output()
        .expect("secret-tool runs (libsecret-tools, scripts/setup-debian test)");
    // secret-tool prints the fields on stdout or stderr depending on the
    // version: read both.
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut label = None;
    let mut attributes = HashMap::new();
    for line in text.lines() {
        let Some((name, value)) = line.split_once(" = ") else {
            continue;
        };
        match name {
            "label" => label = Some(value.to_string()),
            "schema" => {
                attributes.insert(String::from("xdg:schema"), value.to_string());
            }
            _ => {
                if let Some(attr) = name.strip_prefix("attribute.") {
                    attributes.insert(attr.to_string(), value.to_string());
                }
            }
        }
    }
    label.map(|l| (l, attributes))
}

#[test]
fn the_keyring_item_names_the_vault_and_has_the_schema() {
    if !secret_service() {
        eprintln!("skipped: set TESSERA_TEST_SECRET_SERVICE=1 with a Secret Service running");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("work.tessera");
    let out = common::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(["init"])
            .env("TESSERA_VAULT", &vault)
            .env("TESSERA_TEST_FAST_KDF", "1"),
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = Vault::inspect(&vault).unwrap();
    let user = info.keyring_entries[0].clone();
    let (label, attributes) = item(&user).expect("secret-tool finds the item");
    OsKeyring::default().delete(&user).unwrap();
    assert_eq!(label, "Tessera vault (work.tessera)");
    assert_eq!(
        attributes.get("xdg:schema").map(String::as_str),
        Some(SCHEMA)
    );
    assert_eq!(
        attributes.get("service").map(String::as_str),
        Some(tessera::APP_ID)
    );
    assert_eq!(
        attributes.get("username").map(String::as_str),
        Some(user.as_str())
    );
    assert!(item(&user).is_none(), "the item was deleted");
}
