//! `tessera import` of other apps' files and `tessera export`, through the
//! built binary (password path, no keyring, cheap vault KDF).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

const PW: &str = "vault password";

struct Env {
    dir: tempfile::TempDir,
    vault: String,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            vault: String::from("vault.tessera"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs with the vault password on stdin.
    fn run(&self, args: &[&str]) -> Output {
        let mut all = vec!["--password-stdin"];
        all.extend_from_slice(args);
        common::run_with_stdin(
            Command::new(env!("CARGO_BIN_EXE_tessera"))
                .args(&all)
                .env("TESSERA_VAULT", self.path(&self.vault))
                .env("TESSERA_TEST_FAST_KDF", "1")
                .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
                .env_remove("DISPLAY")
                .env_remove("WAYLAND_DISPLAY"),
            format!("{PW}\n").as_bytes(),
        )
    }

    fn init(&self) {
        let out = self.run(&["init", "--no-keyring"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }

    fn password_file(&self, password: &str) -> String {
        let path = self.path("backup-password.txt");
        std::fs::write(&path, format!("{password}\n")).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn listed(&self) -> serde_json::Value {
        let out = self.run(&["list", "--json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // What an account is, not when or under which id it was stored.
        for e in v.as_array_mut().unwrap() {
            for field in ["id", "created", "modified"] {
                e.as_object_mut().unwrap().remove(field);
            }
        }
        v
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixture(name: &str) -> Option<String> {
    common::fixture_file("importers", name).map(|p| p.to_str().unwrap().to_string())
}

#[test]
fn encrypted_aegis_import_reports_every_entry_and_twice_adds_nothing() {
    let Some(file) = fixture("aegis_encrypted.json") else {
        return;
    };
    let env = Env::new();
    env.init();
    let pw = env.password_file("test");
    let out = env.run(&["import", &file, "--backup-password-file", &pw]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("7 added, 0 already in the vault, 0 refused"),
        "{stdout}"
    );
    assert!(stdout.contains("added: Deno (Mason)"), "{stdout}");
    // The Steam entry is imported too (it was refused before issue 14).
    assert!(stdout.contains("added: Boeing (Sophia)"), "{stdout}");
    assert!(!stdout.contains("refused ["), "{stdout}");
    assert!(!stdout.contains("JRZCL47C"), "{stdout}");
    assert_eq!(out.status.code(), Some(0));
    let again = env.run(&["import", &file, "--backup-password-file", &pw]);
    assert!(
        text(&again.stdout).contains("0 added, 7 already in the vault"),
        "{}",
        text(&again.stdout)
    );
    let listed = env.listed();
    assert_eq!(listed.as_array().unwrap().len(), 7);
    let steam = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["issuer"] == "Boeing")
        .unwrap();
    assert_eq!(
        *steam,
        serde_json::json!({"type": "steam", "issuer": "Boeing", "account": "Sophia",
            "algorithm": "SHA1", "digits": 5, "period": 30})
    );
}

#[test]
fn wrong_or_missing_backup_password_imports_nothing() {
    let Some(file) = fixture("2fas_authenticator_encrypted_v4.2fas") else {
        return;
    };
    let env = Env::new();
    env.init();
    let pw = env.password_file("not it");
    let out = env.run(&["import", &file, "--backup-password-file", &pw]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("nothing imported: wrong password for this 2FAS backup"),
        "{}",
        text(&out.stdout)
    );
    // Standard input is not a terminal: no prompt, a clear error.
    let out = env.run(&["import", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("its backup password is needed"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(env.listed().as_array().unwrap().len(), 0);
}

#[test]
fn every_export_format_imports_back() {
    let env = Env::new();
    env.init();
    let uris = env.path("in.txt");
    std::fs::write(
        &uris,
        "otpauth://totp/ACME:me@example.com?secret=JBSWY3DPEHPK3PXP\n\
         otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&counter=42\n\
         otpauth://totp/Odd:bob?secret=7ELGJSGXNCCTV3O6LKJWYFV2RA&digits=7&period=60\n\
         otpauth://totp/Steam:gaben?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&encoder=steam\n",
    )
    .unwrap();
    let out = env.run(&["import", uris.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let want = env.listed();
    let pw = env.password_file("export pw");
    for format in [
        "tessera-backup",
        "aegis-encrypted",
        "aegis",
        "uris",
        "html",
        "migration-qr",
    ] {
        let output = env.path(&format!("out-{format}"));
        let output = output.to_str().unwrap();
        let out = env.run(&[
            "export",
            "--format",
            format,
            "--output",
            output,
            "--backup-password-file",
            &pw,
        ]);
        let plain = !matches!(format, "tessera-backup" | "aegis-encrypted");
        assert_eq!(
            text(&out.stderr).contains("unencrypted"),
            plain,
            "{format}: {}",
            text(&out.stderr)
        );
        if format == "migration-qr" {
            // The 7-digit, 60 s account and the Steam one do not fit
            // Google's format.
            assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
            assert!(text(&out.stderr).contains("skipped: Odd (bob)"));
            assert!(
                text(&out.stderr).contains("skipped: Steam (gaben)"),
                "{}",
                text(&out.stderr)
            );
            assert!(text(&out.stderr).contains("Steam Guard"));
        } else {
            assert!(out.status.success(), "{format}: {}", text(&out.stderr));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(output).unwrap().permissions().mode();
            let want_mode = if format == "migration-qr" {
                0o700
            } else {
                0o600
            };
            assert_eq!(mode & 0o777, want_mode, "{format}");
        }
        if format == "html" {
            continue;
        }
        // Read back into a fresh vault.
        let mut back = Env::new();
        back.vault = String::from("back.tessera");
        back.init();
        let source = if format == "migration-qr" {
            let mut files: Vec<_> = std::fs::read_dir(output)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            files[0].to_str().unwrap().to_string()
        } else {
            output.to_string()
        };
        let bpw = back.password_file("export pw");
        let out = back.run(&["import", &source, "--backup-password-file", &bpw]);
        assert!(out.status.success(), "{format}: {}", text(&out.stdout));
        let got = back.listed();
        if format == "migration-qr" {
            assert_eq!(got.as_array().unwrap().len(), 2, "{format}");
            assert_eq!(got[0], want[0]);
            assert_eq!(got[1], want[1]);
        } else {
            assert_eq!(got, want, "{format}");
        }
    }
    // An existing file is not replaced without --force.
    let output = env.path("out-uris");
    let out = env.run(&[
        "export",
        "--format",
        "uris",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn migration_qr_export_reads_back_with_scan_and_missing_parts_are_named() {
    let env = Env::new();
    env.init();
    let secrets = [
        "JBSWY3DPEHPK3PXP",
        "GEZDGNBVGY3TQOJQ",
        "MFRGGZDFMZTWQ2LK",
        "KUVJJOM753IHTNDSZVCNKL7GII",
        "YOOMIXWS5GN6RTBPUFFWKTW5M4",
        "5VAML3X35THCEBVRLV24CGBKOY",
        "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        "7ELGJSGXNCCTV3O6LKJWYFV2RA",
        "JRZCL47CMXVOQMNPZR2F7J4RGI",
        "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI",
    ];
    let mut links: Vec<String> = secrets
        .iter()
        .enumerate()
        .map(|(i, s)| format!("otpauth://totp/Site{i}:user{i}?secret={s}"))
        .collect();
    links.push(String::from(
        "otpauth://totp/Seven:digits?secret=NBSWY3DPEHPK3PXP&digits=7",
    ));
    let list = env.path("links.txt");
    std::fs::write(&list, links.join("\n")).unwrap();
    assert!(
        env.run(&["import", list.to_str().unwrap()])
            .status
            .success()
    );
    let folder = env.path("transfer");
    let out = env.run(&[
        "export",
        "--format",
        "migration-qr",
        "--output",
        folder.to_str().unwrap(),
    ]);
    assert!(
        text(&out.stderr).contains("skipped: Seven (digits)"),
        "{}",
        text(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    // `tessera scan` reads every account back.
    let mut args = vec!["scan", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let scanned: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<String> = scanned
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["accounts"].as_array().unwrap().clone())
        .map(|a| a["secret"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    let mut want: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    // Importing only the first QR code names the missing one.
    let mut back = Env::new();
    back.vault = String::from("back.tessera");
    back.init();
    let out = back.run(&["import", &files[0]]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("code 2 of 2 was not given"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(back.listed().as_array().unwrap().len(), 10);
}

#[test]
fn an_empty_password_file_matters_only_for_encrypted_files() {
    let env = Env::new();
    env.init();
    let empty = env.path("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let empty = empty.to_str().unwrap();
    let links = env.path("links.txt");
    std::fs::write(
        &links,
        "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\notpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n",
    )
    .unwrap();
    let links = links.to_str().unwrap();
    let out = env.run(&["import", links, "--backup-password-file", empty]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let shown = text(&out.stdout);
    assert!(shown.contains("1 added"), "{shown}");
    assert!(shown.contains("1 duplicate skipped"), "{shown}");
    assert_eq!(env.listed().as_array().unwrap().len(), 1);
    // An encrypted file does need it, and says so.
    let Some(file) = fixture("2fas_authenticator_encrypted_v4.2fas") else {
        return;
    };
    let out = env.run(&["import", &file, "--backup-password-file", empty]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("is empty"),
        "{}",
        text(&out.stdout)
    );
}
