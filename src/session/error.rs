//! Why an operation of the session failed.

use std::path::PathBuf;

use crate::import::BackupError;
use crate::vault::VaultError;

use super::draft::DraftError;

/// Why an operation of the session failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no vault at {}", .0.display())]
    NoVault(PathBuf),
    /// The file (or what a credential decrypted) is damaged; the backups
    /// kept next to it, newest first, and the newest one the same
    /// credential opens.
    #[error("{} cannot be opened: {error}", .path.display())]
    Damaged {
        path: PathBuf,
        error: VaultError,
        backups: Vec<PathBuf>,
        good_backup: Option<PathBuf>,
    },
    #[error("the vault has no keyring slot")]
    NoKeyringSlot,
    /// A text that is not a recovery key, for a vault without password.
    #[error(
        "this vault has no password slot and {0}; unlock it with the keyring or its recovery key"
    )]
    NoPasswordSlot(VaultError),
    #[error("the password is empty")]
    EmptyPassword,
    /// A new password under the rule's minimum (`min` characters).
    #[error("the password is too short: use at least {min} characters")]
    ShortPassword { min: usize },
    #[error("no account has the id {0}")]
    NoSuchEntry(String),
    #[error("there is no next code: the time is at its maximum")]
    NoNextCode,
    #[error("the vault has no account to export")]
    NothingToExport,
    #[error("{} is a folder: give a file name", .0.display())]
    ExportIsFolder(PathBuf),
    #[error("{} is a file: this format writes its files into a folder", .0.display())]
    ExportNotFolder(PathBuf),
    /// The export would replace this file and `overwrite` was not given.
    #[error("{} already exists", .0.display())]
    ExportExists(PathBuf),
    #[error("cannot create the folder {}: {source}", .path.display())]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Draft(#[from] DraftError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}
