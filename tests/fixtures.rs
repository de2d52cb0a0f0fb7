//! The shared fixtures (`../shared/fixtures/qr`): every typed/pasted input of
//! uris.json, and the clean, migration and invalid images of manifest.json,
//! checked through the core (accounts, fields, codes, error codes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;
use tessera::account::Account;
use tessera::import::{self, Options, Report, text};

fn is_link(text: &str) -> bool {
    text.trim().to_ascii_lowercase().starts_with("otpauth")
}

#[test]
fn every_uris_json_case() {
    let Some(dir) = common::qr_fixtures() else {
        return;
    };
    let cases = common::load_json(dir.join("uris.json"));
    let mut failures = Vec::new();
    let mut counted = 0;
    for case in cases.as_array().unwrap() {
        counted += 1;
        let id = case["id"].as_str().unwrap();
        let text = case["input"].as_str().unwrap();
        let valid = case["valid"].as_bool().unwrap();
        let either = case.get("either").and_then(Value::as_bool).unwrap_or(false);
        let want_code = case.get("error_code").and_then(Value::as_str);
        let (accounts, errors): (Vec<Account>, Vec<String>) = if is_link(text) {
            let got = text::parse_payload(text);
            (
                got.accounts,
                got.errors
                    .iter()
                    .map(|e| e.error.code().as_str().to_string())
                    .collect(),
            )
        } else {
            match text::parse_bare_key(text) {
                Ok(secret) => (vec![Account::totp(None, "", secret)], vec![]),
                Err(e) => (vec![], vec![e.code().as_str().to_string()]),
            }
        };
        let bare = !is_link(text);
        let as_valid = || -> Result<(), String> {
            if !errors.is_empty() {
                return Err(format!("errors {errors:?}"));
            }
            if bare {
                // Bare keys: the expected fields are the defaults; the codes decide.
                let mut case = case.clone();
                let e = &mut case["expect"][0];
                e["issuer"] = Value::Null;
                e["account"] = "".into();
                common::check_accounts(&accounts, &case)
            } else {
                common::check_accounts(&accounts, case)
            }
        };
        let as_invalid = || -> Result<(), String> {
            if !accounts.is_empty() || errors.is_empty() {
                return Err(format!("accepted: {} accounts", accounts.len()));
            }
            // "empty" is not a scan code: an empty key is a missing secret.
            match want_code {
                Some("empty") if errors.iter().any(|e| e == "missing_secret") => Ok(()),
                Some(code) if !errors.iter().any(|e| e == code) => {
                    Err(format!("error codes {errors:?}, expected {code}"))
                }
                _ => Ok(()),
            }
        };
        let result = match (valid, either) {
            (_, true) => as_valid().or_else(|a| as_invalid().map_err(|b| format!("{a} / {b}"))),
            (true, false) => as_valid(),
            (false, false) => as_invalid(),
        };
        if let Err(why) = result {
            failures.push(format!("{id}: {why}"));
        }
    }
    assert_eq!(counted, 50, "uris.json changed size");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn clean_migration_and_invalid_images() {
    let Some(dir) = common::qr_fixtures() else {
        return;
    };
    let manifest = common::load_json(dir.join("manifest.json"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in manifest.as_array().unwrap() {
        let category = case["category"].as_str().unwrap();
        if !matches!(category, "clean" | "migration" | "invalid") {
            continue;
        }
        checked += 1;
        let file = case["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let got = import::read(&bytes, &Options::links_only(Some(file))).unwrap();
        let result = if case["kind"] == "valid" {
            if got.errors.is_empty() {
                common::check_accounts(&got.accounts, case)
            } else {
                Err(format!("errors: {:?}", got.errors))
            }
        } else {
            let want = case["error_code"].as_str().unwrap();
            let codes: Vec<&str> = got.errors.iter().map(|e| e.error.code().as_str()).collect();
            if !got.accounts.is_empty() {
                Err(format!("imported {} accounts", got.accounts.len()))
            } else if !codes.contains(&want) {
                Err(format!("error codes {codes:?}, expected {want}"))
            } else {
                Ok(())
            }
        };
        if let Err(why) = result {
            failures.push(format!("{file}: {why}"));
        }
    }
    assert_eq!(checked, 22, "manifest categories changed");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn migration_images_keep_batch_fields() {
    let Some(dir) = common::qr_fixtures() else {
        return;
    };
    let scan = |file: &str| {
        import::read(
            &std::fs::read(dir.join(file)).unwrap(),
            &Options::links_only(None),
        )
        .unwrap()
    };
    let first = scan("migration_pair-1-of-2.png");
    let second = scan("migration_pair-2-of-2.png");
    let (a, b) = (first.batches[0], second.batches[0]);
    assert_eq!(
        (a.batch_size, a.batch_index, a.batch_id),
        (2, 0, 1457555358)
    );
    assert_eq!(
        (b.batch_size, b.batch_index, b.batch_id),
        (2, 1, 1457555358)
    );
}

#[test]
fn payloads_of_every_image_parse_as_listed() {
    // The manifest's `payloads` are what a QR decoder returns: parsing them
    // (no image involved) must give exactly the expected accounts.
    let Some(dir) = common::qr_fixtures() else {
        return;
    };
    let manifest = common::load_json(dir.join("manifest.json"));
    for case in manifest.as_array().unwrap() {
        if case["kind"] != "valid" {
            continue;
        }
        let mut all = Report::default();
        for p in case["payloads"].as_array().unwrap() {
            all.merge(text::parse_payload(p.as_str().unwrap()), "QR code");
        }
        assert!(all.errors.is_empty(), "{}: {:?}", case["file"], all.errors);
        common::check_accounts(&all.accounts, case)
            .unwrap_or_else(|e| panic!("{}: {e}", case["file"]));
    }
}
