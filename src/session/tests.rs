#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::export::ExportFormat;
use crate::vault::{MemoryKeyStore, kdf};

const PW: &str = "a long password";
const KEY: &str = "JBSWY3DPEHPK3PXP";

fn keys() -> Keys {
    Keys {
        keyring: Arc::new(MemoryKeyStore::default()),
        policy: KdfPolicy::TEST,
    }
}

fn path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("vault.tessera")
}

fn password_session(dir: &tempfile::TempDir) -> (Session, RecoveryKey) {
    let new = NewSession {
        keyring: false,
        password: Some(PW),
    };
    let (session, key) = Session::create(&path(dir), new, keys()).unwrap();
    (session, key.unwrap())
}

fn draft(issuer: &str, secret: &str) -> Draft {
    Draft {
        issuer: issuer.to_string(),
        ..Draft::key(secret)
    }
}

#[test]
fn a_session_can_move_to_a_worker_thread() {
    fn send<T: Send + 'static>() {}
    send::<Session>();
    send::<Keys>();
}

#[test]
fn new_passwords_need_eight_characters_not_bytes() {
    assert!(matches!(
        check_new_password(""),
        Err(SessionError::EmptyPassword)
    ));
    assert!(matches!(
        check_new_password("        "),
        Err(SessionError::EmptyPassword)
    ));
    assert!(matches!(
        check_new_password("x"),
        Err(SessionError::ShortPassword { .. })
    ));
    assert!(matches!(
        check_new_password("1234567"),
        Err(SessionError::ShortPassword { .. })
    ));
    // Seven characters of two bytes each: 14 bytes, still too short.
    assert!(matches!(
        check_new_password("ééééééé"),
        Err(SessionError::ShortPassword { .. })
    ));
    assert!(check_new_password("12345678").is_ok());
    assert!(check_new_password("密码密码密码密码").is_ok());
    let message = check_new_password("x").unwrap_err().to_string();
    assert!(message.contains(&MIN_PASSWORD_CHARS.to_string()) && !message.contains("'x'"));
}

#[test]
fn create_and_change_password_apply_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let short = NewSession {
        keyring: false,
        password: Some("short"),
    };
    assert!(matches!(
        Session::create(&path(&dir), short, keys()),
        Err(SessionError::ShortPassword { .. })
    ));
    assert!(!path(&dir).exists());
    let (mut session, _) = password_session(&dir);
    assert!(matches!(
        session.change_password("x"),
        Err(SessionError::ShortPassword { .. })
    ));
    assert!(Session::open(&path(&dir), Some(PW), keys()).is_ok());
    let rekeyed = session.change_password("another long one").unwrap();
    assert!(rekeyed.recovery.is_some());
    assert!(Session::open(&path(&dir), Some("another long one"), keys()).is_ok());
}

#[test]
fn an_existing_short_password_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    Vault::create(
        &path(&dir),
        NewVault {
            keyring: None,
            password: Some("abc"),
            recovery: false,
            policy: KdfPolicy::TEST,
        },
    )
    .unwrap();
    assert!(Session::open(&path(&dir), Some("abc"), keys()).is_ok());
}

#[test]
fn one_open_tries_what_the_text_can_be() {
    let dir = tempfile::tempdir().unwrap();
    let (_, recovery) = password_session(&dir);
    let p = path(&dir);
    assert!(Session::open(&p, Some(PW), keys()).is_ok());
    assert!(Session::open(&p, Some(recovery.expose()), keys()).is_ok());
    let lower = recovery.expose().to_lowercase();
    assert!(Session::open(&p, Some(&lower), keys()).is_ok());
    assert!(matches!(
        Session::open(&p, Some("wrong password"), keys()),
        Err(SessionError::Vault(VaultError::WrongPassword))
    ));
    assert!(matches!(
        Session::open(&p, None, keys()),
        Err(SessionError::NoKeyringSlot)
    ));
    assert!(matches!(
        Session::open(&dir.path().join("none"), Some(PW), keys()),
        Err(SessionError::NoVault(_))
    ));
}

#[test]
fn keyring_vaults_open_with_the_keyring_or_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keys();
    let new = NewSession {
        keyring: true,
        password: None,
    };
    let (_, recovery) = Session::create(&path(&dir), new, keys.clone()).unwrap();
    let recovery = recovery.unwrap();
    assert!(Session::open(&path(&dir), None, keys.clone()).is_ok());
    assert!(Session::open(&path(&dir), Some(recovery.expose()), keys.clone()).is_ok());
    // No password slot: a text that is not a recovery key says so.
    assert!(matches!(
        Session::open(&path(&dir), Some("a password"), keys.clone()),
        Err(SessionError::NoPasswordSlot(_))
    ));
    let mut session = Session::open(&path(&dir), None, keys).unwrap();
    assert!(matches!(
        session.disable_keyring(),
        Err(SessionError::Vault(VaultError::LastSlot))
    ));
}

#[test]
fn weak_kdf_parameters_are_raised_after_a_password_unlock() {
    let dir = tempfile::tempdir().unwrap();
    password_session(&dir);
    let p = path(&dir);
    // A policy below the floor (tests) leaves the slot as it is.
    let session = Session::open(&p, Some(PW), keys()).unwrap();
    assert!(session.vault().password_slot_below_floor());
    let strong = Keys {
        policy: KdfPolicy::Fixed {
            m_kib: kdf::FLOOR_M_KIB,
            t: kdf::FLOOR_T,
            p: kdf::FLOOR_P,
        },
        ..keys()
    };
    // A recovery key unlock does not know the password: no upgrade.
    let session = Session::open(&p, Some("wrong password"), strong.clone());
    assert!(session.is_err());
    let session = Session::open(&p, Some(PW), strong).unwrap();
    assert!(session.kdf_upgrade_error().is_none());
    assert!(!session.vault().password_slot_below_floor());
    let again = Vault::open(&p, Unlock::Password(PW)).unwrap();
    assert!(!again.password_slot_below_floor());
}

#[test]
fn the_draft_builder_checks_every_field_without_quoting_the_key() {
    let account = draft("  ACME ", KEY).build().unwrap();
    assert_eq!(account.issuer.as_deref(), Some("ACME"));
    assert_eq!(account.kind, OtpKind::default());
    assert!(matches!(Draft::key("  ").build(), Err(DraftError::NoKey)));
    let canary = "CANARY0SECRET1@@";
    let e = Draft::key(canary).build().unwrap_err();
    assert!(matches!(e, DraftError::Key(_)));
    assert!(!e.to_string().contains(canary));
    assert!(matches!(
        Draft::key(KEY).build_labelled(),
        Err(DraftError::NoLabel)
    ));
    assert!(draft("ACME", KEY).build_labelled().is_ok());
    let with = |f: fn(&mut Draft)| {
        let mut d = Draft::key(KEY);
        f(&mut d);
        d.build()
    };
    assert!(matches!(
        with(|d| d.counter = Some("3".into())),
        Err(DraftError::CounterWithTotp)
    ));
    assert!(matches!(
        with(|d| {
            d.kind = DraftKind::Hotp;
            d.period = Some("30".into());
        }),
        Err(DraftError::PeriodWithHotp)
    ));
    assert!(matches!(
        with(|d| d.digits = Some("12".into())),
        Err(DraftError::Field(_))
    ));
    assert!(matches!(
        with(|d| d.period = Some("0".into())),
        Err(DraftError::Field(_))
    ));
    assert!(matches!(
        with(|d| d.algorithm = Some("MD5".into())),
        Err(DraftError::Field(_))
    ));
    let hotp = with(|d| {
        d.kind = DraftKind::Hotp;
        d.counter = Some("7".into());
        d.digits = Some("8".into());
        d.algorithm = Some("sha256".into());
    })
    .unwrap();
    assert_eq!(hotp.kind, OtpKind::Hotp { counter: 7 });
    assert_eq!(hotp.digits.get(), 8);
    assert!(!format!("{:?}", Draft::key(canary)).contains(canary));
    // An account's fields build the same account again.
    assert_eq!(Draft::from(&hotp).build().unwrap(), hotp);
}

#[test]
fn a_steam_draft_takes_only_its_fixed_parameters() {
    let steam = |f: fn(&mut Draft)| {
        let mut d = Draft {
            kind: DraftKind::Steam,
            ..draft("Steam", "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW")
        };
        f(&mut d);
        d.build()
    };
    let account = steam(|_| {}).unwrap();
    assert_eq!(account.kind, OtpKind::Steam);
    assert_eq!(account.code_at(0), "C5V56");
    // The fixed values may be spelled out (`--digits 5`), nothing else.
    let spelled = steam(|d| {
        d.algorithm = Some("sha1".into());
        d.digits = Some("5".into());
        d.period = Some("30".into());
    });
    assert_eq!(spelled.unwrap(), account);
    for wrong in [
        |d: &mut Draft| d.digits = Some("6".into()),
        |d: &mut Draft| d.period = Some("60".into()),
        |d: &mut Draft| d.algorithm = Some("SHA256".into()),
        |d: &mut Draft| d.counter = Some("0".into()),
    ] {
        assert!(matches!(steam(wrong), Err(DraftError::SteamParameters)));
    }
    // An account's fields build the same account again.
    assert_eq!(Draft::from(&account).build().unwrap(), account);
}

#[test]
fn a_steam_account_lives_through_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, _) = password_session(&dir);
    let steam = Draft {
        kind: DraftKind::Steam,
        ..draft("Steam", "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW")
    };
    let Added::New(id) = session.add(&steam, 5).unwrap() else {
        panic!("not added")
    };
    // The same key as a 6-digit TOTP account is another token.
    let totp = draft("Steam", "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW");
    assert!(matches!(session.add(&totp, 6).unwrap(), Added::New(_)));
    assert!(matches!(
        session.add(&steam, 7).unwrap(),
        Added::Duplicate { .. }
    ));
    drop(session);
    let mut reopened = Session::open(&path(&dir), Some(PW), keys()).unwrap();
    let entry = reopened.entry(&id).unwrap();
    assert_eq!(entry.account, steam.build().unwrap());
    assert_eq!(reopened.code(&id, 30, false, 8).unwrap(), "QJY8Y");
    assert_eq!(reopened.code(&id, 30, true, 8).unwrap(), "R3WQY");
}

#[test]
fn add_import_dedup_and_entry_operations() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, _) = password_session(&dir);
    let first = session.add(&draft("ACME", KEY), 10).unwrap();
    let Added::New(id) = first else {
        panic!("not added")
    };
    let again = draft("Other label", KEY).build().unwrap();
    let hotp = Draft {
        issuer: "H".into(),
        kind: DraftKind::Hotp,
        ..Draft::key("GEZDGNBVGY3TQOJQ")
    }
    .build()
    .unwrap();
    let imported = session.import(vec![again, hotp.clone(), hotp], 11).unwrap();
    assert_eq!((imported.added, imported.already_present), (1, 2));
    assert_eq!(session.entries().len(), 2);
    session.rename(&id, Some("  "), Some(" me "), 12).unwrap();
    let renamed = &session.entry(&id).unwrap().account;
    assert_eq!(
        (renamed.issuer.as_deref(), renamed.name.as_str()),
        (None, "me")
    );
    let hotp_id = session.entries()[1].id.clone();
    session.move_entry(&hotp_id, -5).unwrap();
    assert_eq!(session.entries()[0].id, hotp_id);
    let c0 = session.code(&hotp_id, 0, false, 13).unwrap();
    let c1 = session.code(&hotp_id, 0, false, 13).unwrap();
    assert_ne!(c0, c1, "each HOTP use advances the counter");
    assert_eq!(
        session.entry(&hotp_id).unwrap().account.kind,
        OtpKind::Hotp { counter: 2 }
    );
    session.remove(&id, 1).unwrap();
    assert!(matches!(
        session.code(&id, 0, false, 14),
        Err(SessionError::NoSuchEntry(_))
    ));
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn export_refuses_to_overwrite_and_writes_privately() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, _) = password_session(&dir);
    let out = dir.path().join("new-folder").join("export.txt");
    assert!(matches!(
        session.export(&out, ExportFormat::Uris, None, false, 0),
        Err(SessionError::NothingToExport)
    ));
    session.add(&draft("ACME", KEY), 1).unwrap();
    let done = session
        .export(&out, ExportFormat::Uris, None, false, 0)
        .unwrap();
    assert_eq!((done.files.clone(), done.accounts), (vec![out.clone()], 1));
    #[cfg(unix)]
    {
        assert_eq!(mode(&out), 0o600);
        assert_eq!(mode(out.parent().unwrap()), 0o700);
    }
    std::fs::write(&out, b"keep").unwrap();
    assert!(matches!(
        session.export(&out, ExportFormat::Uris, None, false, 0),
        Err(SessionError::ExportExists(_))
    ));
    assert_eq!(std::fs::read(&out).unwrap(), b"keep");
    session
        .export(&out, ExportFormat::Uris, None, true, 0)
        .unwrap();
    assert_ne!(std::fs::read(&out).unwrap(), b"keep");
    assert!(matches!(
        session.export(dir.path(), ExportFormat::Uris, None, true, 0),
        Err(SessionError::ExportIsFolder(_))
    ));
}

#[test]
fn encrypted_exports_need_a_new_password() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, _) = password_session(&dir);
    session.add(&draft("ACME", KEY), 1).unwrap();
    let out = dir.path().join("backup.json");
    for format in [ExportFormat::TesseraBackup, ExportFormat::AegisEncrypted] {
        assert!(matches!(
            session.export(&out, format, Some("short"), false, 0),
            Err(SessionError::ShortPassword { .. })
        ));
        assert!(matches!(
            session.export(&out, format, None, false, 0),
            Err(SessionError::EmptyPassword)
        ));
        assert!(!out.exists());
    }
    session
        .export(
            &out,
            ExportFormat::AegisEncrypted,
            Some("eight ch"),
            false,
            0,
        )
        .unwrap();
    assert!(out.exists());
}

/// Issue 16 point 4: computer B's keyring slot is its own; the password
/// changed on computer A rotates the data key, which A cannot rewrap for
/// B. B's keyring then says so (never "damaged", never a new vault); one
/// password unlock re-enrols it, and B's keyring opens the vault again.
#[test]
fn a_key_rotated_on_another_computer_re_enrols_this_keyring_after_a_password_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = password_session(&dir);
    a.add(&draft("A", KEY), 1).unwrap();
    let b_keys = keys();
    let mut b = Session::open(&path(&dir), Some(PW), b_keys.clone()).unwrap();
    b.enable_keyring().unwrap();
    drop(b);
    assert!(Session::open(&path(&dir), None, b_keys.clone()).is_ok());
    // On A (whose keyring does not hold B's key): a new password.
    a.change_password("a new long password").unwrap();
    let stale = Session::open(&path(&dir), None, b_keys.clone()).unwrap_err();
    assert!(
        matches!(stale, SessionError::Vault(VaultError::KeyringStale)),
        "{stale:?}"
    );
    assert!(stale.to_string().contains("another computer"));
    let b = Session::open(&path(&dir), Some("a new long password"), b_keys.clone()).unwrap();
    assert!(b.keyring_reenrolled());
    drop(b);
    let b = Session::open(&path(&dir), None, b_keys).unwrap();
    assert!(!b.keyring_reenrolled());
    assert_eq!(b.entries().len(), 1);
}

/// Restoring a backup on the open vault: a backup made before a password
/// change opens with the old password only; with it, the vault file is
/// replaced (the current one kept as a backup) and the session goes on
/// with the backup's accounts. A wrong credential changes nothing.
#[test]
fn an_open_vault_restores_one_of_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, _) = password_session(&dir);
    session.add(&draft("Kept", KEY), 10).unwrap();
    session
        .add(&draft("Later", "GEZDGNBVGY3TQOJQ"), 11)
        .unwrap();
    let backups = session.backups_dated();
    assert!(!backups.is_empty(), "saving keeps backups");
    assert!(
        backups.iter().all(|(_, made)| made.is_some()),
        "dated names"
    );
    // The backup made by the second save holds the first account only.
    let (older, _) = backups
        .iter()
        .find(|(p, _)| {
            Session::backups(&path(&dir), Some(PW), &keys())
                .iter()
                .any(|b| &b.path == p && b.check.as_ref().is_ok_and(|o| o.accounts == 1))
        })
        .cloned()
        .expect("a backup with one account");
    session.change_password("a newer long password").unwrap();
    let before = std::fs::read(path(&dir)).unwrap();
    assert!(
        session
            .restore_open(&older, Some("a newer long password"))
            .is_err()
    );
    assert_eq!(
        std::fs::read(path(&dir)).unwrap(),
        before,
        "nothing changed"
    );
    assert_eq!(session.entries().len(), 2);
    let restored = session.restore_open(&older, Some(PW)).unwrap();
    assert_eq!(restored.accounts, 1);
    assert!(
        restored.kept.is_some_and(|k| k.exists()),
        "the current file kept"
    );
    assert_eq!(session.entries().len(), 1);
    assert_eq!(session.entries()[0].account.issuer.as_deref(), Some("Kept"));
    // The session goes on with the restored file.
    session
        .add(&draft("After", "KRSXG5CTMVRXEZLU"), 12)
        .unwrap();
    let reopened = Session::open(&path(&dir), Some(PW), keys()).unwrap();
    assert_eq!(reopened.entries().len(), 2);
}
