//! The backups kept next to the vault: list them (with what a credential
//! finds in each), restore one, remove them after a credential was
//! revoked (older backups keep opening with the old credentials).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::vault::store::{Files, read_file};
use crate::vault::{SlotKind, Unlock, Vault, VaultError, looks_like_recovery_key};

use super::{Backup, Keys, Opened, Restored, Session, SessionError};

/// Opens a file with a credential: the keyring (`typed == None`), else the
/// text as the password, then as the recovery key.
fn try_open(
    path: &Path,
    typed: Option<&str>,
    keys: &Keys,
) -> Result<(Vault, SlotKind), VaultError> {
    let Some(text) = typed else {
        return Vault::open(path, Unlock::Keyring(keys.keyring.as_ref()))
            .map(|v| (v, SlotKind::Keyring));
    };
    match Vault::open(path, Unlock::Password(text)) {
        Ok(v) => Ok((v, SlotKind::Password)),
        Err(e @ (VaultError::WrongPassword | VaultError::NoSuchSlot(_))) => {
            if looks_like_recovery_key(text) || matches!(e, VaultError::NoSuchSlot(_)) {
                Vault::open(path, Unlock::Recovery(text))
                    .map(|v| (v, SlotKind::Recovery))
                    .map_err(|r| match r {
                        VaultError::MalformedRecoveryKey => e,
                        r => r,
                    })
            } else {
                Err(e)
            }
        }
        Err(e) => Err(e),
    }
}

impl Session {
    /// The backups of the vault at `path`, newest first, each checked with
    /// the credential (`None`: the keyring; a text: password or recovery
    /// key). Slow with a password: one key derivation per backup.
    pub fn backups(path: &Path, typed: Option<&str>, keys: &Keys) -> Vec<Backup> {
        Files::new(path)
            .backups_dated()
            .into_iter()
            .map(|(path, made)| {
                let check = try_open(&path, typed, keys).map(|(vault, with)| Opened {
                    accounts: vault.entries().len(),
                    with,
                });
                Backup { path, made, check }
            })
            .collect()
    }

    /// Puts `backup` in place of the vault at `path`, keeping the current
    /// file (damaged or not) as a backup first. The backup must open with
    /// the credential (as [`Session::backups`]); nothing changes otherwise.
    pub fn restore(
        path: &Path,
        backup: &Path,
        typed: Option<&str>,
        keys: &Keys,
    ) -> Result<Restored, SessionError> {
        let (vault, _) = try_open(backup, typed, keys)?;
        let accounts = vault.entries().len();
        let bytes = read_file(backup)?.ok_or_else(|| VaultError::NotFound(backup.into()))?;
        let files = Files::new(path);
        let _lock = files.lock(files.lock_wait)?;
        let kept = files.write_atomic(&bytes)?;
        Ok(Restored { accounts, kept })
    }

    /// Deletes every backup of this vault (after a password change or a
    /// key rotation, they still open with the old credentials). Returns
    /// how many were deleted.
    pub fn remove_backups(&self) -> Result<usize, SessionError> {
        let mut removed = 0;
        for backup in Vault::backups(self.path()) {
            std::fs::remove_file(&backup)
                .map_err(|e| VaultError::io("remove the backup", &backup, e))?;
            removed += 1;
        }
        Ok(removed)
    }

    /// The backups of this vault, newest first (unchecked).
    pub fn backup_paths(&self) -> Vec<PathBuf> {
        Vault::backups(self.path())
    }

    /// The backups of this vault, newest first, with when each was made
    /// (from its name; unchecked: checking one costs a key derivation).
    pub fn backups_dated(&self) -> Vec<(PathBuf, Option<DateTime<Utc>>)> {
        Files::new(self.path()).backups_dated()
    }

    /// [`Session::restore`] on the open vault: puts `backup` in place (the
    /// current file is kept as a backup first) and goes on with it, opened
    /// with the credential that opens the backup (`None`: the keyring; a
    /// text: its password or recovery key, which may be older than this
    /// session's). When the backup does not open with it, nothing changes.
    pub fn restore_open(
        &mut self,
        backup: &Path,
        typed: Option<&str>,
    ) -> Result<Restored, SessionError> {
        let path = self.path().to_path_buf();
        let restored = Self::restore(&path, backup, typed, &self.keys)?;
        // The restored file opened with `typed` just now.
        *self = Self::open(&path, typed, self.keys.clone())?;
        Ok(restored)
    }
}
