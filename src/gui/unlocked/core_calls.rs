//! The session calls of the unlocked screens. Every rule (adding,
//! importing with dedup, renaming, removing, moving, HOTP use, the export's
//! overwrite and password rules, owner-only files) lives in the core's
//! [`Session`]; these functions only run the calls and put their results
//! in the screen's words. The changes return the note to show when they
//! worked.

use std::path::{Path, PathBuf};

use crate::account::Account;
use crate::export::ExportFormat;
use crate::import::{self, BackupError, Report};
use crate::session::{Session, SessionError};
use crate::vault::{Added, Entry};

use super::super::task::{SharedSession, poisoned, sentence, unix_now};

/// A change of the unlocked vault, run in a task by the parent.
pub type Change = Box<dyn FnOnce(&mut Session) -> Result<String, SessionError> + Send>;

/// Adds the account built from the add form (the core's `Draft`).
pub fn add_one(account: Account, now: u64) -> Change {
    let label = account.display_label();
    Box::new(move |s| {
        Ok(match s.add_account(account, now)? {
            Added::Duplicate { .. } => tr!("codes.duplicate", label = label),
            Added::New(_) => tr!("codes.added", label = label),
        })
    })
}

/// Adds the accounts ticked in the import checklist (the core skips those
/// already in the vault).
pub fn import(chosen: Vec<Account>, now: u64) -> Change {
    Box::new(move |s| {
        let imported = s.import(chosen, now)?;
        Ok(match imported.already_present {
            0 => tr_n!("codes.imported", imported.added),
            dup => tr_n!("codes.imported_dup", imported.added, dup = dup),
        })
    })
}

/// Removes an account.
pub fn remove(id: String, now: u64) -> Change {
    Box::new(move |s| {
        s.remove(&id, now)
            .map(|e| tr!("codes.removed", label = e.account.display_label()))
    })
}

/// Renames an account (an empty issuer removes it).
pub fn rename(id: String, issuer: String, account: String, now: u64) -> Change {
    Box::new(move |s| {
        s.rename(&id, Some(&issuer), Some(&account), now)
            .map(|()| tr!("codes.renamed"))
    })
}

/// Moves an account in the manual order (no note).
pub fn reorder(id: String, offset: i64) -> Change {
    Box::new(move |s| s.move_entry(&id, offset).map(|()| String::new()))
}

/// Uses an HOTP code: the counter is saved before the code is returned.
pub fn use_hotp(
    session: &SharedSession,
    id: &str,
    now: u64,
) -> Result<(Vec<Entry>, String), String> {
    let mut s = session.lock().map_err(|_| poisoned())?;
    let account = s
        .use_hotp(id, 0, now)
        .map_err(|e| sentence(e.to_string()))?;
    Ok((s.entries().to_vec(), account.code_at(now)))
}

/// What reading a dropped or chosen file gave.
#[derive(Debug, Clone)]
pub enum Opened {
    Report(Report),
    NeedsPassword(PathBuf, String),
    Failed(String),
}

impl super::super::task::Fallible for Opened {
    fn failed(reason: String) -> Self {
        Self::Failed(reason)
    }
}

/// Reads an image, a link list or another app's backup, told apart by
/// content.
pub fn open_file(path: PathBuf, password: Option<zeroize::Zeroizing<String>>) -> Opened {
    let options = import::Options::with_password(password.as_deref().map(|p| p.as_str()));
    match import::read_file(&path, &options) {
        Ok(report) => Opened::Report(report),
        Err(BackupError::PasswordRequired(format)) => {
            Opened::NeedsPassword(path, format.to_string())
        }
        Err(e) => Opened::Failed(sentence(e.to_string())),
    }
}

/// Exports the vault to `path` through the core (0600 files, a new folder
/// 0700, the new-password rule). The save dialog already asked whether to
/// replace an existing file, so the core is told to overwrite.
pub fn write_export(
    session: &SharedSession,
    format: ExportFormat,
    password: &str,
    path: &Path,
) -> Result<String, String> {
    let s = session.lock().map_err(|_| poisoned())?;
    let password = (!password.is_empty()).then_some(password);
    let exported =
        s.export(path, format, password, true, unix_now())
            .map_err(|e| match e {
                SessionError::Write { path, source }
                | SessionError::CreateFolder { path, source } => sentence(tr!(
                    "common.cannot_write",
                    path = path.display(),
                    error = source
                )),
                SessionError::ShortPassword { .. } | SessionError::EmptyPassword => {
                    tr_n!("export.min_password", crate::session::MIN_PASSWORD_CHARS)
                }
                e => sentence(e.to_string()),
            })?;
    let n = exported.accounts;
    let mut note = tr_n!("export.done", n, path = path.display());
    if !exported.skipped.is_empty() {
        let names: Vec<String> = exported.skipped.iter().map(|s| s.label.clone()).collect();
        note.push_str(&tr!("export.left_out", names = names.join(", ")));
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::task::testing;

    #[test]
    fn files_open_by_content_and_exports_read_back() {
        let (session, dir) = testing::session();
        let accounts = vec![
            Account::totp(
                Some("JD Cloud".into()),
                "root",
                crate::secret::Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            ),
            Account::totp(
                None,
                "solo",
                crate::secret::Secret::from_base32("GEZDGNBVGY3TQOJQ").unwrap(),
            ),
        ];
        let note = import(accounts.clone(), 0)(&mut session.lock().unwrap()).unwrap();
        assert!(note.contains('2'), "{note}");
        // Encrypted export: the core's password rule reaches the app...
        let path = dir.path().join("b.tessera-backup");
        let short = write_export(&session, ExportFormat::TesseraBackup, "short", &path);
        assert_eq!(short, Err(tr_n!("export.min_password", 8)));
        assert!(!path.exists(), "nothing written");
        // ...and a good password writes an owner-only file, replacing an
        // existing one (the save dialog asked already).
        std::fs::write(&path, b"old").unwrap();
        let note = write_export(
            &session,
            ExportFormat::TesseraBackup,
            "backup password",
            &path,
        )
        .unwrap();
        assert!(note.starts_with("Exported 2 accounts"), "{note}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // The file asks for its password, then gives the accounts.
        assert!(matches!(
            open_file(path.clone(), None),
            Opened::NeedsPassword(..)
        ));
        assert!(matches!(
            open_file(path.clone(), Some(zeroize::Zeroizing::new("nope".into()))),
            Opened::Failed(_)
        ));
        match open_file(
            path,
            Some(zeroize::Zeroizing::new("backup password".into())),
        ) {
            Opened::Report(r) => assert_eq!(r.accounts, accounts),
            other => panic!("{other:?}"),
        }
    }
}
