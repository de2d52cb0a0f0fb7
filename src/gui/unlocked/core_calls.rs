//! The vault rules the unlocked screens apply today, kept apart from the
//! screens: each function here is to become a call of the core's session
//! API (add, import, rename, remove, move, use an HOTP code, read a file,
//! write an export). The changes return the note to show when they worked.

use std::path::{Path, PathBuf};

use crate::account::Account;
use crate::export::{self, ExportFormat};
use crate::import::{self, BackupError, Report};
use crate::vault::{Added, Entry, Vault, VaultError};

use super::super::task::{SharedVault, poisoned, sentence};

/// A change of the unlocked vault, run in a task by the parent.
pub type Change = Box<dyn FnOnce(&mut Vault) -> Result<String, VaultError> + Send>;

/// Adds the account typed in the add form.
pub fn add_one(account: Account, now: u64) -> Change {
    let label = account.display_label();
    Box::new(move |v| {
        let added = v.add(vec![account], now)?;
        Ok(match added.first() {
            Some(Added::Duplicate { .. }) => tr!("codes.duplicate", label = label),
            _ => tr!("codes.added", label = label),
        })
    })
}

/// Adds the accounts ticked in the import checklist.
pub fn import(chosen: Vec<Account>, now: u64) -> Change {
    Box::new(move |v| {
        let added = v.add(chosen, now)?;
        let new = added.iter().filter(|a| matches!(a, Added::New(_))).count();
        let dup = added.len() - new;
        Ok(match dup {
            0 => tr!("codes.imported", n = new),
            _ => tr!("codes.imported_dup", n = new, dup = dup),
        })
    })
}

/// Removes an account.
pub fn remove(id: String) -> Change {
    Box::new(move |v| {
        v.remove(&id)
            .map(|e| tr!("codes.removed", label = e.account.display_label()))
    })
}

/// Renames an account (an empty issuer removes it).
pub fn rename(id: String, issuer: String, account: String, now: u64) -> Change {
    Box::new(move |v| {
        let issuer = (!issuer.is_empty()).then_some(issuer);
        v.rename(&id, Some(issuer), Some(account), now)
            .map(|()| tr!("codes.renamed"))
    })
}

/// Moves an account in the manual order (no note).
pub fn reorder(id: String, offset: i64) -> Change {
    Box::new(move |v| v.move_entry(&id, offset).map(|()| String::new()))
}

/// Uses an HOTP code: the counter is saved before the code is returned.
pub fn use_hotp(vault: &SharedVault, id: &str, now: u64) -> Result<(Vec<Entry>, String), String> {
    let mut v = vault.lock().map_err(|_| poisoned())?;
    let account = v
        .use_hotp(id, 0, now)
        .map_err(|e| sentence(e.to_string()))?;
    Ok((v.entries().to_vec(), account.code_at(now)))
}

/// What reading a dropped or chosen file gave.
#[derive(Debug, Clone)]
pub enum Opened {
    Report(Report),
    NeedsPassword(PathBuf, String),
    Failed(String),
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

/// Exports and writes the files with owner-only permissions.
pub fn write_export(
    accounts: &[Account],
    format: ExportFormat,
    password: &str,
    path: &Path,
) -> Result<String, String> {
    let exported = export::export(accounts, format, (!password.is_empty()).then_some(password))
        .map_err(|e| sentence(e.to_string()))?;
    let written =
        |e: std::io::Error| sentence(tr!("common.cannot_write", path = path.display(), error = e));
    if format.is_folder() {
        for file in &exported.files {
            export::write_private(&path.join(&file.name), &file.bytes).map_err(written)?;
        }
    } else if let Some(file) = exported.files.first() {
        export::write_private(path, &file.bytes).map_err(written)?;
    }
    let n = accounts.len() - exported.skipped.len();
    let mut note = if n == 1 {
        tr!("export.done_one", path = path.display())
    } else {
        tr!("export.done", n = n, path = path.display())
    };
    if !exported.skipped.is_empty() {
        let names: Vec<String> = exported.skipped.iter().map(|s| s.label.clone()).collect();
        note.push_str(&tr!("export.left_out", names = names.join(", ")));
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_open_by_content_and_exports_read_back() {
        let dir = std::env::temp_dir().join(format!("tessera-gui-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
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
        // Encrypted export: the file asks for its password, then gives the accounts.
        let path = dir.join("b.tessera-backup");
        let note = write_export(
            &accounts,
            ExportFormat::TesseraBackup,
            "backup password",
            &path,
        )
        .unwrap();
        assert!(note.starts_with("Exported 2 accounts"), "{note}");
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
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
