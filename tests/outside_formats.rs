//! What Tessera writes, checked against outside sources rather than its own
//! parsers: Google's Key URI examples for `uri::format`, an independent
//! protocol-buffer decoder (tests/formats/decode_migration.py) for
//! `migration::encode`, an independent Aegis decryption (Python
//! `cryptography`, tests/formats/aegis_decrypt.py) for the Aegis export,
//! QR readers that are not Tessera's pipeline (zbar for the migration
//! PNG, rxing's plain reader for the HTML page), and a
//! golden `tessera-backup` file that must keep opening.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use tessera::account::{Account, Algorithm, Digits, OtpKind, Period};
use tessera::export::{ExportFormat, export};
use tessera::import::{self, Options};
use tessera::migration::{self, BatchInfo};
use tessera::secret::Secret;
use tessera::uri;

fn account(
    issuer: Option<&str>,
    name: &str,
    secret: &str,
    algorithm: Algorithm,
    digits: u32,
    kind: OtpKind,
) -> Account {
    Account {
        issuer: issuer.map(String::from),
        name: name.to_string(),
        secret: Secret::from_base32(secret).unwrap(),
        algorithm,
        digits: Digits::new(digits).unwrap(),
        kind,
    }
}

/// Google's example account (Key URI Format wiki), an HOTP account and
/// one without an issuer.
fn accounts() -> Vec<Account> {
    vec![
        account(
            Some("ACME Co"),
            "john.doe@email.com",
            "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
            Algorithm::Sha1,
            6,
            OtpKind::Totp {
                period: Period::THIRTY,
            },
        ),
        account(
            Some("Bank"),
            "alice",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            Algorithm::Sha256,
            8,
            OtpKind::Hotp { counter: 42 },
        ),
        account(
            None,
            "plain",
            "JBSWY3DPEHPK3PXP",
            Algorithm::Sha512,
            6,
            OtpKind::Totp {
                period: Period::THIRTY,
            },
        ),
    ]
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/formats")
        .join(name)
}

/// Runs a Python helper of tests/formats with `stdin`; its stdout as JSON.
fn python(args: &[&str], stdin: &[u8]) -> Value {
    let out = common::run_with_stdin(Command::new("python3").args(args), stdin);
    assert!(
        out.status.success(),
        "python3 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

// ---- otpauth:// (Google's Key URI Format wiki) --------------------------

/// The wiki's complete example is exactly what `uri::format` writes for
/// its account; its short example reads as the wiki describes it.
#[test]
fn key_uri_matches_googles_examples() {
    let google = "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";
    assert_eq!(uri::format(&accounts()[0]), google);
    assert_eq!(uri::parse(google).unwrap(), accounts()[0]);

    let short = uri::parse(
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    )
    .unwrap();
    assert_eq!(short.issuer.as_deref(), Some("Example"));
    assert_eq!(short.name, "alice@google.com");
    assert_eq!(short.algorithm, Algorithm::Sha1);
    assert_eq!(short.digits.get(), 6);
    assert_eq!(
        short.kind,
        OtpKind::Totp {
            period: Period::THIRTY
        }
    );
    // The wiki's label examples: an escaped space, an escaped ':' that
    // still separates the issuer, and the optional space after it.
    for (label, issuer, name) in [
        ("Provider1:Alice%20Smith", "Provider1", "Alice Smith"),
        (
            "Big%20Corporation%3A%20alice%40bigco.com",
            "Big Corporation",
            "alice@bigco.com",
        ),
    ] {
        let a = uri::parse(&format!("otpauth://totp/{label}?secret=JBSWY3DPEHPK3PXP")).unwrap();
        assert_eq!(
            (a.issuer.as_deref(), a.name.as_str()),
            (Some(issuer), name),
            "{label}"
        );
    }
}

/// The other two accounts, written out by hand from the wiki's rules
/// (parameters as the wiki lists them; an empty issuer prefix keeps no
/// issuer).
#[test]
fn key_uri_of_hotp_and_issuerless_accounts() {
    let a = accounts();
    assert_eq!(
        uri::format(&a[1]),
        "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank&algorithm=SHA256&digits=8&counter=42"
    );
    assert_eq!(
        uri::format(&a[2]),
        "otpauth://totp/plain?secret=JBSWY3DPEHPK3PXP&algorithm=SHA512&digits=6&period=30"
    );
}

// ---- Google Authenticator migration links ---------------------------------

/// `migration::encode` read by an independent decoder of the protobuf
/// wire format with Google's schema (field numbers and enums).
#[test]
fn migration_link_decoded_by_an_independent_decoder() {
    let a = accounts();
    let refs: Vec<&Account> = a.iter().collect();
    let link = migration::encode(
        &refs,
        BatchInfo {
            batch_size: 2,
            batch_index: 1,
            batch_id: 1_234_567_890,
        },
    )
    .unwrap();
    let decoded = python(
        &[script("decode_migration.py").to_str().unwrap()],
        format!("{link}\n").as_bytes(),
    );
    let want = json!([{
        "version": 1,
        "batch_size": 2,
        "batch_index": 1,
        "batch_id": 1_234_567_890,
        "otp_parameters": [
            {
                "secret": "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
                "name": "ACME Co:john.doe@email.com",
                "issuer": "ACME Co",
                "algorithm": "SHA1",
                "digits": 6,
                "type": "totp"
            },
            {
                "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                "name": "Bank:alice",
                "issuer": "Bank",
                "algorithm": "SHA256",
                "digits": 8,
                "type": "hotp",
                "counter": 42
            },
            {
                "secret": "JBSWY3DPEHPK3PXP",
                "name": "plain",
                "algorithm": "SHA512",
                "digits": 6,
                "type": "totp"
            }
        ]
    }]);
    assert_eq!(decoded, want);
}

/// The `migration-qr` export's PNG read by zbar (`zbarimg`, not Tessera's
/// reader), its link by the independent decoder: the same accounts.
#[test]
fn migration_qr_png_read_by_zbar_and_decoded_independently() {
    let exported = export(&accounts(), ExportFormat::MigrationQr, None).unwrap();
    assert_eq!(exported.files.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join(&exported.files[0].name);
    std::fs::write(&png, &exported.files[0].bytes).unwrap();
    let out = Command::new("zbarimg")
        .args(["--raw", "-q", png.to_str().unwrap()])
        .output()
        .expect("zbarimg (zbar-tools, installed by scripts/setup-debian test)");
    assert!(out.status.success(), "zbarimg read nothing");
    let decoded = python(
        &[script("decode_migration.py").to_str().unwrap()],
        &out.stdout,
    );
    let payload = &decoded[0];
    assert_eq!(
        (&payload["batch_size"], &payload["batch_index"]),
        (&json!(1), &json!(0))
    );
    let secrets: Vec<&Value> = payload["otp_parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["secret"])
        .collect();
    assert_eq!(
        secrets,
        [
            "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "JBSWY3DPEHPK3PXP"
        ]
    );
}

// ---- Aegis ----------------------------------------------------------------

fn aegis_entries(db: &Value) -> Vec<Value> {
    db["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            json!({
                "type": e["type"],
                "name": e["name"],
                "issuer": e["issuer"],
                "info": e["info"],
            })
        })
        .collect()
}

/// Aegis's own field names and values (docs/vault.md) for the accounts.
fn aegis_expected() -> Vec<Value> {
    vec![
        json!({"type": "totp", "name": "john.doe@email.com", "issuer": "ACME Co",
               "info": {"secret": "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ", "algo": "SHA1", "digits": 6, "period": 30}}),
        json!({"type": "hotp", "name": "alice", "issuer": "Bank",
               "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA256", "digits": 8, "counter": 42}}),
        json!({"type": "totp", "name": "plain", "issuer": "",
               "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA512", "digits": 6, "period": 30}}),
    ]
}

/// The encrypted export opened by an independent implementation of
/// Aegis's format (scrypt + AES-GCM in Python) with the password.
#[test]
fn aegis_export_decrypted_independently() {
    let password = "pässwörd ✓";
    let exported = export(&accounts(), ExportFormat::AegisEncrypted, Some(password)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aegis.json");
    std::fs::write(&file, &exported.files[0].bytes).unwrap();
    let db = python(
        &[
            script("aegis_decrypt.py").to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        password.as_bytes(),
    );
    assert_eq!(aegis_entries(&db), aegis_expected());
    // The wrong password opens nothing.
    let out = common::run_with_stdin(
        Command::new("python3").args([
            script("aegis_decrypt.py").to_str().unwrap(),
            file.to_str().unwrap(),
        ]),
        b"wrong",
    );
    assert!(!out.status.success());
}

#[test]
fn aegis_plain_export_has_aegis_fields() {
    let exported = export(&accounts(), ExportFormat::Aegis, None).unwrap();
    let file: Value = serde_json::from_slice(&exported.files[0].bytes).unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["header"]["slots"], Value::Null);
    assert_eq!(file["header"]["params"], Value::Null);
    assert_eq!(aegis_entries(&file["db"]), aegis_expected());
}

// ---- HTML page ------------------------------------------------------------

/// The dark modules of each inline SVG QR code of the page (its path is
/// `M{x} {y}h1v1h-1z` per module), drawn at 8 px per module.
fn svg_images(page: &str) -> Vec<(u32, Vec<u8>)> {
    const SCALE: u32 = 8;
    page.split("<svg ")
        .skip(1)
        .map(|svg| {
            let view_box = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
            let side: u32 = view_box.split(' ').next().unwrap().parse().unwrap();
            let path = svg
                .split(" d=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let px = side * SCALE;
            let mut luma = vec![255u8; (px * px) as usize];
            for module in path.split('M').filter(|m| !m.is_empty()) {
                let module = module.strip_suffix("h1v1h-1z").unwrap();
                let (x, y) = module.split_once(' ').unwrap();
                let (x, y): (u32, u32) = (x.parse().unwrap(), y.parse().unwrap());
                for row in y * SCALE..(y + 1) * SCALE {
                    let at = (row * px + x * SCALE) as usize;
                    luma[at..at + SCALE as usize].fill(0);
                }
            }
            (px, luma)
        })
        .collect()
}

/// Each QR code of the page, read by rxing's plain QR reader (not
/// Tessera's pipeline), is the account's Key URI, written out here.
#[test]
fn html_qr_codes_decode_to_the_accounts() {
    let exported = export(&accounts(), ExportFormat::Html, None).unwrap();
    let page = String::from_utf8(exported.files[0].bytes.to_vec()).unwrap();
    let decoded: Vec<String> = svg_images(&page)
        .into_iter()
        .map(|(side, luma)| {
            rxing::helpers::detect_in_luma(luma, side, side, Some(rxing::BarcodeFormat::QR_CODE))
                .unwrap()
                .getText()
                .to_string()
        })
        .collect();
    assert_eq!(
        decoded,
        [
            "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
            "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank&algorithm=SHA256&digits=8&counter=42",
            "otpauth://totp/plain?secret=JBSWY3DPEHPK3PXP&algorithm=SHA512&digits=6&period=30",
        ]
    );
    // The key is printed too, in groups of four.
    assert!(page.contains("HXDM VJEC JJWS RB3H WIZR 4IFU GFTM XBOZ"));
}

// ---- golden tessera-backup ---------------------------------------------------

/// `tests/golden/backup-v1.tsrbak` was written by backup format 1
/// (password "golden backup ✓", Argon2id m = 8 MiB, t = 1, p = 1, within
/// what readers accept). Never regenerate it: it must keep opening.
#[test]
fn golden_backup_keeps_opening() {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/backup-v1.tsrbak"))
            .unwrap();
    let report = import::read(&bytes, &Options::with_password(Some("golden backup ✓"))).unwrap();
    assert_eq!(report.format, Some(import::Format::TesseraBackup));
    assert!(report.encrypted);
    assert_eq!(report.accounts, accounts());
    assert!(matches!(
        import::read(&bytes, &Options::with_password(Some("golden backup"))),
        Err(import::BackupError::WrongPassword(
            import::Format::TesseraBackup
        ))
    ));
}
