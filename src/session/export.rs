//! Export to a path: the overwrite rule (an existing file is replaced only
//! when asked: the CLI's `--force`, the app's save dialog), files 0600 and
//! new folders 0700 ([`crate::fs`]), the new-password rule for encrypted
//! formats.

use std::path::{Path, PathBuf};

use crate::account::Account;
use crate::export::{self, ExportFormat};
use crate::fs::{create_private_dir_all, write_private_atomic};

use super::error::SessionError;
use super::password::check_new_password;
use super::{Exported, Session};

impl Session {
    /// Checks what can be checked before a password is asked: the vault
    /// has accounts, and `path` is a file (or a folder for folder formats)
    /// that may be written: an existing file only with `overwrite`.
    pub fn check_export(
        &self,
        path: &Path,
        format: ExportFormat,
        overwrite: bool,
    ) -> Result<(), SessionError> {
        if self.entries().is_empty() {
            return Err(SessionError::NothingToExport);
        }
        if format.is_folder() {
            if path.exists() && !path.is_dir() {
                return Err(SessionError::ExportNotFolder(path.to_path_buf()));
            }
        } else if path.is_dir() {
            return Err(SessionError::ExportIsFolder(path.to_path_buf()));
        } else if path.exists() && !overwrite {
            return Err(SessionError::ExportExists(path.to_path_buf()));
        }
        Ok(())
    }

    /// Writes every account to `path` in `format`, dated `now` (Unix
    /// seconds) where the format has a place for it. Encrypted formats need
    /// a `password` that passes [`check_new_password`]. Nothing is written
    /// when a file would be replaced without `overwrite`.
    pub fn export(
        &self,
        path: &Path,
        format: ExportFormat,
        password: Option<&str>,
        overwrite: bool,
        now: u64,
    ) -> Result<Exported, SessionError> {
        self.check_export(path, format, overwrite)?;
        if format.needs_password() {
            check_new_password(password.unwrap_or(""))?;
        }
        let accounts: Vec<Account> = self.entries().iter().map(|e| e.account.clone()).collect();
        let exported = export::export_at(&accounts, format, password, now)?;
        let written = accounts.len() - exported.skipped.len();
        let targets: Vec<(PathBuf, &[u8])> = if format.is_folder() {
            exported
                .files
                .iter()
                .map(|f| (path.join(&f.name), f.bytes.as_slice()))
                .collect()
        } else {
            exported
                .files
                .first()
                .map(|f| (path.to_path_buf(), f.bytes.as_slice()))
                .into_iter()
                .collect()
        };
        if !overwrite && let Some((taken, _)) = targets.iter().find(|(p, _)| p.exists()) {
            return Err(SessionError::ExportExists(taken.clone()));
        }
        let folder = if format.is_folder() {
            Some(path)
        } else {
            path.parent().filter(|p| !p.as_os_str().is_empty())
        };
        if let Some(folder) = folder {
            create_private_dir_all(folder).map_err(|source| SessionError::CreateFolder {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let mut files = Vec::with_capacity(targets.len());
        for (target, bytes) in targets {
            write_private_atomic(&target, bytes).map_err(|source| SessionError::Write {
                path: target.clone(),
                source,
            })?;
            files.push(target);
        }
        Ok(Exported {
            files,
            accounts: written,
            skipped: exported.skipped,
        })
    }
}
