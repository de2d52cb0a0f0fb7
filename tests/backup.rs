//! Importers against real export files of other apps
//! (`../shared/fixtures/importers`, checked against its `expected.json`),
//! wrong passwords, and round trips export → import for every format
//! Tessera writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use serde_json::Value;
use tessera::account::{Account, Algorithm, Digits, OtpKind, Period};
use tessera::export::{self, ExportFormat};
use tessera::import::{self, BackupError, Format, Options};
use tessera::secret::Secret;

fn fixtures() -> Option<PathBuf> {
    common::importer_fixtures()
}

/// How a format's limits change an expected account.
#[derive(Clone, Copy, PartialEq)]
enum Adjust {
    /// Full fidelity.
    None,
    /// 2FAS schema 1: every entry is TOTP SHA1/6/30.
    DefaultTotp,
    /// 2FAS schema 2: HOTP comes out as TOTP/30, same algorithm and digits.
    HotpAsTotp,
}

struct Expected {
    kind: String,
    issuer: String,
    account: String,
    secret: String,
    algorithm: String,
    digits: u32,
    period: u64,
    counter: u64,
}

fn expected(dir: &std::path::Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| Expected {
            kind: e["type"].as_str().unwrap().to_string(),
            issuer: e["issuer"].as_str().unwrap().to_string(),
            account: e["account"].as_str().unwrap().to_string(),
            secret: e["secret"].as_str().unwrap().to_string(),
            algorithm: e["algorithm"].as_str().unwrap().to_string(),
            digits: e["digits"].as_u64().unwrap() as u32,
            period: e.get("period").and_then(Value::as_u64).unwrap_or(30),
            counter: e.get("counter").and_then(Value::as_u64).unwrap_or(0),
        })
        .collect()
}

fn to_account(e: &Expected, adjust: Adjust) -> Account {
    let secret = Secret::from_base32(&e.secret).unwrap();
    if e.kind == "steam" {
        // expected.json gives Steam's fixed SHA1, 5 digits, 30 s.
        assert_eq!((e.algorithm.as_str(), e.digits, e.period), ("SHA1", 5, 30));
        return Account::steam(Some(e.issuer.clone()), e.account.clone(), secret);
    }
    let mut account = Account {
        issuer: Some(e.issuer.clone()),
        name: e.account.clone(),
        secret,
        algorithm: e.algorithm.parse::<Algorithm>().unwrap(),
        digits: Digits::new(e.digits).unwrap(),
        kind: if e.kind == "hotp" {
            OtpKind::Hotp { counter: e.counter }
        } else {
            OtpKind::Totp {
                period: Period::new(e.period).unwrap(),
            }
        },
    };
    match adjust {
        Adjust::None => {}
        Adjust::DefaultTotp => {
            account.algorithm = Algorithm::Sha1;
            account.digits = Digits::SIX;
            account.kind = OtpKind::Totp {
                period: Period::THIRTY,
            };
        }
        Adjust::HotpAsTotp => {
            if let OtpKind::Hotp { .. } = account.kind {
                account.kind = OtpKind::Totp {
                    period: Period::THIRTY,
                };
            }
        }
    }
    account
}

/// Imports `file` and checks: the imported accounts are exactly the
/// expected accounts named by `issuers` (the Steam one is `Boeing`), field
/// by field, and the `extra` ones; nothing is refused.
fn check(
    dir: &std::path::Path,
    file: &str,
    password: Option<&str>,
    format: Format,
    issuers: &[&str],
    extra: &[Account],
    adjust: Adjust,
) {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let report = import::read(&bytes, &Options::with_password(password))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(report.format, Some(format), "{file}");
    assert_eq!(report.encrypted, password.is_some(), "{file}");
    let all = expected(dir);
    let got: Vec<&Account> = report.accounts.iter().collect();
    assert_eq!(
        got.len(),
        issuers.len() + extra.len(),
        "{file}: imported {:?}",
        got.iter().map(|a| a.display_label()).collect::<Vec<_>>()
    );
    let wanted = issuers
        .iter()
        .map(|issuer| {
            let e = all.iter().find(|e| e.issuer == *issuer).unwrap();
            to_account(e, adjust)
        })
        .chain(extra.iter().cloned());
    for want in wanted {
        let label = want.display_label();
        let found = got
            .iter()
            .find(|a| a.secret == want.secret)
            .unwrap_or_else(|| panic!("{file}: {label} missing"));
        assert_eq!(**found, want, "{file}: {label}");
    }
    let refused: Vec<(&str, String)> = report
        .refused()
        .map(|(label, e)| (label, e.to_string()))
        .collect();
    assert!(refused.is_empty(), "{file}: refused {refused:?}");
}

const ALL6: [&str; 6] = ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"];
/// The six and the Steam Guard account (Boeing, Sophia).
const ALL7: [&str; 7] = [
    "Deno",
    "SPDX",
    "Airbnb",
    "Issuu",
    "Air Canada",
    "WWE",
    "Boeing",
];

/// Bitwarden's Steam item: a `steam://` key, labelled by the item.
fn bitwarden_steam(item: &str) -> Account {
    Account::steam(
        Some(item.into()),
        "",
        Secret::from_base32("JRZCL47CMXVOQMNPZR2F7J4RGI").unwrap(),
    )
}

#[test]
fn otpauth_lists_and_ente() {
    let Some(dir) = fixtures() else { return };
    check(
        &dir,
        "plain.txt",
        None,
        Format::OtpauthUris,
        &ALL7,
        &[],
        Adjust::None,
    );
    check(
        &dir,
        "ente_auth.txt",
        None,
        Format::EnteAuth,
        &ALL7,
        &[],
        Adjust::None,
    );
}

#[test]
fn aegis_plain_and_encrypted() {
    let Some(dir) = fixtures() else { return };
    check(
        &dir,
        "aegis_plain.json",
        None,
        Format::Aegis,
        &ALL7,
        &[],
        Adjust::None,
    );
    check(
        &dir,
        "aegis_encrypted.json",
        Some("test"),
        Format::Aegis,
        &ALL7,
        &[],
        Adjust::None,
    );
}

#[test]
fn twofas_every_schema() {
    let Some(dir) = fixtures() else { return };
    check(
        &dir,
        "2fas_authenticator.json",
        None,
        Format::TwoFas,
        &ALL6,
        &[],
        Adjust::DefaultTotp,
    );
    let schema2 = ["Deno", "Airbnb", "Issuu", "WWE"];
    check(
        &dir,
        "2fas_authenticator_plain.2fas",
        None,
        Format::TwoFas,
        &schema2,
        &[],
        Adjust::HotpAsTotp,
    );
    check(
        &dir,
        "2fas_authenticator_encrypted.2fas",
        Some("test"),
        Format::TwoFas,
        &schema2,
        &[],
        Adjust::HotpAsTotp,
    );
    check(
        &dir,
        "2fas_authenticator_plain_v3.2fas",
        None,
        Format::TwoFas,
        &ALL6,
        &[],
        Adjust::None,
    );
    check(
        &dir,
        "2fas_authenticator_encrypted_v3.2fas",
        Some("test"),
        Format::TwoFas,
        &ALL6,
        &[],
        Adjust::None,
    );
    let v4 = ["Deno", "Issuu", "Air Canada", "WWE", "Boeing"];
    check(
        &dir,
        "2fas_authenticator_plain_v4.2fas",
        None,
        Format::TwoFas,
        &v4,
        &[],
        Adjust::None,
    );
    check(
        &dir,
        "2fas_authenticator_encrypted_v4.2fas",
        Some("test"),
        Format::TwoFas,
        &v4,
        &[],
        Adjust::None,
    );
}

#[test]
fn andotp_plain_new_and_old() {
    let Some(dir) = fixtures() else { return };
    check(
        &dir,
        "andotp_plain.json",
        None,
        Format::AndOtp,
        &ALL7,
        &[],
        Adjust::None,
    );
    check(
        &dir,
        "andotp_encrypted.bin",
        Some("test"),
        Format::AndOtp,
        &ALL7,
        &[],
        Adjust::None,
    );
    // The old format predates Steam support; its labels are "Issuer - Issuer:name".
    check(
        &dir,
        "andotp_encrypted_old.bin",
        Some("test"),
        Format::AndOtp,
        &ALL6,
        &[],
        Adjust::None,
    );
}

#[test]
fn bitwarden_freeotp_proton() {
    let Some(dir) = fixtures() else { return };
    let three = ["Deno", "SPDX", "Airbnb"];
    check(
        &dir,
        "bitwarden.json",
        None,
        Format::Bitwarden,
        &three,
        &[bitwarden_steam("Test Steam")],
        Adjust::None,
    );
    check(
        &dir,
        "freeotp_plus.json",
        None,
        Format::FreeOtpPlus,
        &ALL6,
        &[],
        Adjust::None,
    );
    check(
        &dir,
        "proton_authenticator.json",
        None,
        Format::ProtonAuthenticator,
        &three,
        &[],
        Adjust::None,
    );
}

#[test]
fn bitwarden_csv_and_authenticator_pro() {
    let Some(dir) = fixtures() else { return };
    let three = ["Deno", "SPDX", "Airbnb"];
    check(
        &dir,
        "bitwarden.csv",
        None,
        Format::Bitwarden,
        &three,
        &[bitwarden_steam("Test 4")],
        Adjust::None,
    );
    check(
        &dir,
        "stratum_plain.json",
        None,
        Format::AuthenticatorPro,
        &ALL7,
        &[],
        Adjust::None,
    );
}

#[test]
fn wrong_or_missing_password_imports_nothing() {
    let Some(dir) = fixtures() else { return };
    for (file, format) in [
        ("aegis_encrypted.json", Format::Aegis),
        ("2fas_authenticator_encrypted.2fas", Format::TwoFas),
        ("2fas_authenticator_encrypted_v4.2fas", Format::TwoFas),
        ("andotp_encrypted.bin", Format::AndOtp),
        ("andotp_encrypted_old.bin", Format::AndOtp),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let detected = import::detect(&bytes).unwrap();
        assert_eq!(detected.format, format, "{file}");
        assert!(detected.encrypted, "{file}");
        match import::read(&bytes, &Options::with_password(Some("wrong"))) {
            Err(BackupError::WrongPassword(f)) => assert_eq!(f, format, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
        match import::read(&bytes, &Options::with_password(None)) {
            Err(BackupError::PasswordRequired(f)) => assert_eq!(f, format, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[test]
fn unsupported_files_are_named() {
    let Some(dir) = fixtures() else { return };
    for file in ["stratum_encrypted.bin", "authy_plain.xml"] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let err = import::read(&bytes, &Options::with_password(Some("test"))).unwrap_err();
        assert!(
            matches!(err, BackupError::Unsupported { .. }),
            "{file}: {err}"
        );
    }
}

#[test]
fn damaged_files_import_nothing_and_name_the_format() {
    let Some(dir) = fixtures() else { return };
    let text = std::fs::read_to_string(dir.join("aegis_plain.json")).unwrap();
    let cut = &text[..text.len() / 2];
    // Cut in half: still recognised from its opening, refused whole.
    let err = import::read(cut.as_bytes(), &Options::with_password(None)).unwrap_err();
    assert!(
        matches!(
            err,
            BackupError::Malformed {
                format: Format::Aegis,
                ..
            }
        ),
        "{err:?}"
    );
    let text = std::fs::read_to_string(dir.join("2fas_authenticator_plain_v4.2fas")).unwrap();
    let broken = text.replace("\"services\":[", "\"services\":{");
    let err = import::read(broken.as_bytes(), &Options::with_password(None)).unwrap_err();
    assert!(err.to_string().contains("2FAS"), "{err}");
}

// ---- fixtures written by tests/backup/make_fixtures.py ----------------

/// A fixture of this repository's `tests/<folder>`.
fn repo_fixture(folder: &str, name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(folder)
            .join(name),
    )
    .unwrap()
}

fn own_fixture(name: &str) -> Vec<u8> {
    repo_fixture("backup", name)
}

fn own_accounts() -> Vec<Account> {
    vec![
        Account::totp(
            Some("ACME Co".into()),
            "me@example.com",
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        ),
        Account {
            issuer: Some("Bank".into()),
            name: "alice".into(),
            secret: Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
            algorithm: Algorithm::Sha256,
            digits: Digits::new(8).unwrap(),
            kind: OtpKind::Hotp { counter: 42 },
        },
    ]
}

#[test]
fn own_encrypted_fixtures_with_unicode_passwords() {
    for (file, format) in [
        ("2fas_unicode_password.2fas", Format::TwoFas),
        ("andotp_unicode_password.bin", Format::AndOtp),
    ] {
        let bytes = own_fixture(file);
        let report = import::read(&bytes, &Options::with_password(Some("pässwörd ✓"))).unwrap();
        assert_eq!(report.format, Some(format), "{file}");
        let got: Vec<Account> = report.accounts.clone();
        assert_eq!(got, own_accounts(), "{file}");
        assert!(matches!(
            import::read(&bytes, &Options::with_password(Some("passwörd ✓"))),
            Err(BackupError::WrongPassword(_))
        ));
    }
}

#[test]
fn aegis_old_password_bytes_and_biometric_slot() {
    // The password slot was made from Java's old password bytes (not
    // `repaired`), after a biometric slot that cannot be opened here.
    let bytes = own_fixture("aegis_unrepaired_slot.json");
    let report = import::read(&bytes, &Options::with_password(Some("0123456789"))).unwrap();
    let got: Vec<Account> = report.accounts.clone();
    assert_eq!(got, own_accounts());
    assert!(matches!(
        import::read(&bytes, &Options::with_password(Some("012345678"))),
        Err(BackupError::WrongPassword(Format::Aegis))
    ));
}

#[test]
fn absurd_kdf_parameters_from_files_are_refused() {
    let text = String::from_utf8(own_fixture("aegis_unrepaired_slot.json")).unwrap();
    let absurd = text.replace("\"n\": 32768", "\"n\": 1073741824");
    assert_ne!(absurd, text);
    let err = import::read(
        absurd.as_bytes(),
        &Options::with_password(Some("0123456789")),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            BackupError::KdfLimits {
                format: Format::Aegis,
                ..
            }
        ),
        "{err}"
    );
    // andOTP: an iteration count beyond the bound is never run (2^32 - 1
    // PBKDF2 rounds would take hours; how fast the refusal is:
    // scripts/bench-refusals).
    let mut bytes = own_fixture("andotp_unicode_password.bin");
    bytes[..4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        import::read(&bytes, &Options::with_password(Some("pässwörd ✓"))),
        Err(BackupError::WrongPassword(Format::AndOtp))
    ));
}

// ---- round trips -------------------------------------------------------

fn sample_accounts() -> Vec<Account> {
    let secret = |s: &str| Secret::from_base32(s).unwrap();
    vec![
        Account::totp(
            Some("ACME Co".into()),
            "me@example.com",
            secret("JBSWY3DPEHPK3PXP"),
        ),
        Account {
            issuer: Some("Bank: Europe & <Co>".into()),
            name: "alice".into(),
            secret: secret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            algorithm: Algorithm::Sha256,
            digits: Digits::new(8).unwrap(),
            kind: OtpKind::Totp {
                period: Period::THIRTY,
            },
        },
        Account {
            issuer: None,
            name: "hotp:counter".into(),
            secret: secret("KUVJJOM753IHTNDSZVCNKL7GII"),
            algorithm: Algorithm::Sha512,
            digits: Digits::SIX,
            kind: OtpKind::Hotp { counter: 10300 },
        },
        Account {
            issuer: Some("Odd period".into()),
            name: "bob".into(),
            secret: secret("7ELGJSGXNCCTV3O6LKJWYFV2RA"),
            algorithm: Algorithm::Sha1,
            digits: Digits::new(7).unwrap(),
            kind: OtpKind::Totp {
                period: Period::new(60).unwrap(),
            },
        },
        // pyotp's Steam vector key (C5V56 at t = 0).
        Account::steam(
            Some("Steam".into()),
            "gaben",
            secret("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW"),
        ),
    ]
}

fn round_trip(format: ExportFormat, password: Option<&str>) -> Vec<Account> {
    let accounts = sample_accounts();
    let exported = export::export(&accounts, format, password).unwrap();
    assert_eq!(exported.files.len(), 1);
    let report = import::read(&exported.files[0].bytes, &Options::with_password(password)).unwrap();
    assert_eq!(report.refused().count(), 0, "{format}");
    report.accounts.clone()
}

#[test]
fn round_trip_tessera_backup() {
    let got = round_trip(ExportFormat::TesseraBackup, Some("correct horse"));
    assert_eq!(got, sample_accounts());
    let exported =
        export::export(&sample_accounts(), ExportFormat::TesseraBackup, Some("pw")).unwrap();
    assert!(matches!(
        import::read(
            &exported.files[0].bytes,
            &Options::with_password(Some("nope"))
        ),
        Err(BackupError::WrongPassword(Format::TesseraBackup))
    ));
    assert!(matches!(
        export::export(&sample_accounts(), ExportFormat::TesseraBackup, None),
        Err(BackupError::ExportPasswordRequired)
    ));
}

#[test]
fn round_trip_aegis_plain_and_encrypted() {
    assert_eq!(round_trip(ExportFormat::Aegis, None), sample_accounts());
    assert_eq!(
        round_trip(ExportFormat::AegisEncrypted, Some("test")),
        sample_accounts()
    );
    let exported =
        export::export(&sample_accounts(), ExportFormat::AegisEncrypted, Some("pw")).unwrap();
    let v: Value = serde_json::from_slice(&exported.files[0].bytes).unwrap();
    let slot = &v["header"]["slots"][0];
    assert_eq!(slot["type"], 1);
    assert_eq!(slot["n"], 32768);
    assert_eq!(slot["r"], 8);
    assert_eq!(slot["p"], 1);
    assert_eq!(slot["salt"].as_str().unwrap().len(), 64);
    assert_eq!(v["header"]["params"]["nonce"].as_str().unwrap().len(), 24);
    assert!(v["db"].is_string());
    assert!(matches!(
        import::read(
            &exported.files[0].bytes,
            &Options::with_password(Some("nope"))
        ),
        Err(BackupError::WrongPassword(Format::Aegis))
    ));
}

#[test]
fn round_trip_uris() {
    assert_eq!(round_trip(ExportFormat::Uris, None), sample_accounts());
    let exported = export::export(&sample_accounts(), ExportFormat::Uris, None).unwrap();
    let text = String::from_utf8(exported.files[0].bytes.to_vec()).unwrap();
    assert!(
        text.contains("otpauth://steam/Steam:gaben?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&issuer=Steam&algorithm=SHA1&digits=5&period=30\n"),
        "{text}"
    );
}

#[test]
fn steam_accounts_keep_their_kind_and_codes_in_every_format() {
    let steam = sample_accounts().pop().unwrap();
    assert_eq!(steam.code_at(0), "C5V56");
    for (format, password) in [
        (ExportFormat::TesseraBackup, Some("pw")),
        (ExportFormat::Aegis, None),
        (ExportFormat::AegisEncrypted, Some("pw")),
        (ExportFormat::Uris, None),
    ] {
        let back = round_trip(format, password);
        let got = back.iter().find(|a| a.secret == steam.secret).unwrap();
        assert_eq!(got, &steam, "{format}");
        assert_eq!(got.code_at(0), "C5V56", "{format}");
    }
    // Aegis's own shape: type steam, SHA1, 5 digits, 30 s.
    let exported = export::export(std::slice::from_ref(&steam), ExportFormat::Aegis, None).unwrap();
    let v: Value = serde_json::from_slice(&exported.files[0].bytes).unwrap();
    let entry = &v["db"]["entries"][0];
    assert_eq!(entry["type"], "steam");
    assert_eq!(
        (
            &entry["info"]["algo"],
            &entry["info"]["digits"],
            &entry["info"]["period"]
        ),
        (&Value::from("SHA1"), &Value::from(5), &Value::from(30))
    );
    // Google Authenticator's format has no Steam type: skipped and listed.
    let exported = export::export(&sample_accounts(), ExportFormat::MigrationQr, None).unwrap();
    let reasons: Vec<&str> = exported.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("Steam (gaben)") && r.contains("Steam Guard")),
        "{reasons:?}"
    );
    let mut read = Vec::new();
    for file in &exported.files {
        read.extend(
            import::read(&file.bytes, &Options::links_only(None))
                .unwrap()
                .accounts,
        );
    }
    assert_eq!(read.len(), sample_accounts().len() - 2);
    assert!(read.iter().all(|a| a.kind != OtpKind::Steam));
}

#[test]
fn migration_qr_reads_back_through_scan() {
    // 23 fitting accounts and the 7-digit/60 s one that cannot be carried.
    let mut accounts = Vec::new();
    for i in 0..23u8 {
        let mut a = sample_accounts()[(i % 3) as usize].clone();
        a.name = format!("user{i}");
        let mut bytes = a.secret.expose().to_vec();
        bytes[0] = i;
        a.secret = Secret::from_bytes(bytes).unwrap();
        accounts.push(a);
    }
    accounts.push(sample_accounts()[3].clone());
    let exported = export::export(&accounts, ExportFormat::MigrationQr, None).unwrap();
    assert_eq!(exported.files.len(), 3);
    assert_eq!(exported.skipped.len(), 1);
    assert!(exported.skipped[0].reason.contains("30-second"));
    let mut read = Vec::new();
    let mut marks = Vec::new();
    for file in &exported.files {
        assert!(file.name.ends_with(".png"));
        let got = import::read(&file.bytes, &Options::links_only(Some(&file.name))).unwrap();
        assert!(got.errors.is_empty(), "{:?}", got.errors);
        assert!(got.accounts.len() <= 10);
        read.extend(got.accounts);
        marks.extend(got.batches);
    }
    assert_eq!(read, accounts[..23].to_vec());
    assert!(import::missing_batches(&marks).is_empty());
    // The same through the importer, one image missing.
    let mut marks = Vec::new();
    for file in &exported.files[..2] {
        let report = import::read(&file.bytes, &Options::with_password(None)).unwrap();
        assert_eq!(report.format, Some(Format::QrImage));
        marks.extend(report.batches);
    }
    let missing = import::missing_batches(&marks);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].missing, vec![2]);
}

/// The page's QR codes are decoded back in tests/outside_formats.rs.
#[test]
fn html_page_escapes_labels() {
    let exported = export::export(&sample_accounts(), ExportFormat::Html, None).unwrap();
    let page = String::from_utf8(exported.files[0].bytes.to_vec()).unwrap();
    assert!(page.contains("Bank: Europe &amp; &lt;Co&gt;"));
    assert!(!page.contains("<Co>"));
    assert!(
        page.contains("Steam Guard, 30 s, SHA1, 5 characters"),
        "{page}"
    );
}

#[test]
fn nothing_to_export() {
    assert!(matches!(
        export::export(&[], ExportFormat::Uris, None),
        Err(BackupError::NothingToExport)
    ));
}

#[test]
fn errors_never_repeat_a_secret() {
    let key = "JBSWY3DPEHPK3PXPQRSTUVWX";
    // FreeOTP+ secrets are byte arrays: a string there is a type error.
    let freeotp = format!(
        r#"{{"tokenOrder":[],"tokens":[{{"algo":"SHA1","digits":6,"issuerExt":"X","label":"y","period":30,"secret":"{key}","type":"TOTP"}}]}}"#
    );
    let err = import::read(freeotp.as_bytes(), &Options::with_password(None)).unwrap_err();
    assert!(!err.to_string().contains(key), "{err}");
    // A Bitwarden bare key that is not Base32.
    let bitwarden = format!(
        r#"{{"encrypted":false,"items":[{{"name":"X","login":{{"username":"y","totp":"{key} 0189!"}}}}]}}"#
    );
    let report = import::read(bitwarden.as_bytes(), &Options::with_password(None)).unwrap();
    let (_, e) = report.refused().next().unwrap();
    assert!(!e.to_string().contains("JBSW"), "{e}");
    // An Aegis entry whose secret has the wrong type.
    let aegis = format!(
        r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":2,"entries":[{{"type":"totp","name":"y","issuer":"X","info":{{"secret":["{key}"],"algo":"SHA1","digits":6,"period":30}}}}]}}}}"#
    );
    let err = import::read(aegis.as_bytes(), &Options::with_password(None)).unwrap_err();
    assert!(!err.to_string().contains(key), "{err}");
}

mod no_panics {
    use proptest::prelude::*;
    use tessera::import::{self, Options};

    fn fixture_texts() -> Vec<Vec<u8>> {
        let Some(dir) = super::fixtures() else {
            return Vec::new();
        };
        [
            "plain.txt",
            "aegis_plain.json",
            "2fas_authenticator_plain_v4.2fas",
            "andotp_plain.json",
            "bitwarden.json",
            "bitwarden.csv",
            "freeotp_plus.json",
            "proton_authenticator.json",
            "stratum_plain.json",
        ]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Mutated plain fixtures and arbitrary bytes: an error or a report,
        /// never a panic. (No password: nothing runs a KDF.)
        #[test]
        fn mutated_files_never_panic(
            pick in 0usize..9,
            edits in proptest::collection::vec((any::<u16>(), any::<u8>()), 0..8),
            cut in any::<u16>(),
            noise in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let texts = fixture_texts();
            let _ = import::read(&noise, &Options::with_password(None));
            let mut prefixed = b"TSRBACKP".to_vec();
            prefixed.extend_from_slice(&noise);
            let _ = import::read(&prefixed, &Options::with_password(Some("x")));
            if texts.is_empty() {
                return Ok(());
            }
            let mut bytes = texts[pick % texts.len()].clone();
            for (at, value) in edits {
                let i = usize::from(at) % bytes.len();
                bytes[i] = value;
            }
            bytes.truncate(usize::from(cut).max(1));
            let _ = import::detect(&bytes);
            let _ = import::read(&bytes, &Options::with_password(None));
        }
    }
}

// ---- Steam Desktop Authenticator (fixtures of tests/steam/make_fixtures.py)

fn steam_fixture(name: &str) -> Vec<u8> {
    repo_fixture("steam", name)
}

#[test]
fn a_plain_mafile_imports_its_steam_guard_account() {
    let bytes = steam_fixture("76561197960287930.maFile");
    let detected = import::detect(&bytes).unwrap();
    assert_eq!(detected.format, Format::SteamDesktopAuthenticator);
    assert!(!detected.encrypted);
    let report = import::read(&bytes, &Options::with_password(None)).unwrap();
    assert_eq!(report.refused().count(), 0);
    let want = Account::steam(
        Some("Steam".into()),
        "tessera_test",
        Secret::from_base32("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW").unwrap(),
    );
    assert_eq!(report.accounts, vec![want]);
    // pyotp's vectors for this key.
    let a = &report.accounts[0];
    assert_eq!([a.code_at(0), a.code_at(30)], ["C5V56", "QJY8Y"]);
}

#[test]
fn encrypted_mafiles_and_their_manifest_are_refused_naming_the_encryption() {
    for name in [
        "encrypted/76561197960287930.maFile",
        "encrypted/manifest.json",
    ] {
        let bytes = steam_fixture(name);
        for password in [None, Some("tessera passkey")] {
            let err = import::read(&bytes, &Options::with_password(password)).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, BackupError::Unsupported { .. }),
                "{name}: {message}"
            );
            assert!(
                message.contains("Steam Desktop Authenticator")
                    && message.contains("encrypt")
                    && message.contains("AES-256-CBC")
                    && message.contains("Remove Encryption"),
                "{name}: {message}"
            );
        }
    }
    // An unencrypted manifest holds no key: it points at the .maFile files.
    let manifest = String::from_utf8(steam_fixture("encrypted/manifest.json")).unwrap();
    let plain = manifest.replace("\"encrypted\": true", "\"encrypted\": false");
    assert_ne!(plain, manifest);
    let err = import::read(plain.as_bytes(), &Options::with_password(None)).unwrap_err();
    assert!(err.to_string().contains(".maFile files"), "{err}");
    assert!(!err.to_string().contains("AES"), "{err}");
}

#[test]
fn freeotp_plus_steam_tokens_are_totp_with_the_steam_issuer() {
    // FreeOTP+ has no Steam type: it shows Steam codes for TOTP tokens whose
    // issuer is "Steam" (5 digits). Key bytes: FMXNK4QE… (pyotp's vector).
    let bytes: Vec<i8> = Secret::from_base32("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW")
        .unwrap()
        .expose()
        .iter()
        .map(|&b| b as i8)
        .collect();
    let json = format!(
        r#"{{"tokenOrder":["Steam:gaben"],"tokens":[{{"algo":"SHA1","counter":0,"digits":5,"issuerExt":"Steam","label":"gaben","period":30,"secret":{bytes:?},"type":"TOTP"}}]}}"#
    );
    let report = import::read(json.as_bytes(), &Options::with_password(None)).unwrap();
    assert_eq!(report.format, Some(Format::FreeOtpPlus));
    assert_eq!(report.refused().count(), 0);
    assert_eq!(report.accounts[0].kind, OtpKind::Steam);
    assert_eq!(report.accounts[0].code_at(0), "C5V56");
}
