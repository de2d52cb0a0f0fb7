//! Two computers, one vault: the vault file in a folder that a sync tool
//! (Syncthing, Nextcloud, Dropbox, OneDrive, Google Drive, a network
//! drive) keeps in step. The rules are in [`crate::vault::merge`]; here the
//! session merges the file when it changed and every conflict copy the
//! tools left next to it ([`Session::sync`]).

use std::path::{Path, PathBuf};

use crate::vault::{CopyMerged, Opener, VaultError, copies};

use super::{Session, SessionError};

/// What a [`Session::sync`] did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Whether the vault file had changed (another process, or another
    /// computer's version put in place) and was merged.
    pub reloaded: bool,
    /// Conflict copies merged, each with where it was moved.
    pub merged: Vec<(PathBuf, CopyMerged)>,
    /// Conflict-copy names holding another vault: left alone.
    pub other_vaults: Vec<PathBuf>,
    /// Copies that could not be opened or read, with the reason (a
    /// different key needs its password: [`VaultError::CopyNeedsCredential`]).
    pub failed: Vec<(PathBuf, VaultError)>,
    /// Whether this computer's keyring slot was enrolled again.
    pub reenrolled: bool,
}

impl SyncReport {
    /// Nothing was found to merge and nothing failed.
    pub fn nothing_to_do(&self) -> bool {
        !self.reloaded && self.merged.is_empty() && self.failed.is_empty()
    }

    /// Copies that need a password or recovery key to be merged.
    pub fn need_credential(&self) -> Vec<&Path> {
        self.failed
            .iter()
            .filter(|(_, e)| matches!(e, VaultError::CopyNeedsCredential))
            .map(|(p, _)| p.as_path())
            .collect()
    }
}

impl Session {
    /// The conflict copies waiting next to the vault at `path` (by name;
    /// nothing is opened). For the read-only commands, which only mention
    /// them.
    pub fn pending_copies(path: &Path) -> Vec<PathBuf> {
        copies::find(path)
    }

    /// Merges the vault file if it changed, then every conflict copy next
    /// to it that is this vault and opens (this vault's key, the keyring,
    /// the password's key when the password opened it, or `typed`: a
    /// password or recovery key for copies whose key was changed on another
    /// computer); each merged copy is moved aside (`.merged`). Copies of
    /// another vault are left alone. Deletion records older than the
    /// retention at `now` are dropped.
    pub fn sync(&mut self, typed: Option<&str>, now: u64) -> Result<SyncReport, SessionError> {
        let mut report = SyncReport {
            reloaded: self.vault.reload()?,
            ..SyncReport::default()
        };
        if self.vault.newer_version().is_some() {
            return Ok(report);
        }
        let opener = Opener {
            keyring: Some(self.keys.keyring.as_ref()),
            typed,
        };
        for copy in self.vault.conflict_copies() {
            match self.vault.merge_copy(&copy, opener, now) {
                Ok(merged) => report.merged.push((copy, merged)),
                Err(VaultError::OtherVault(_)) => report.other_vaults.push(copy),
                Err(e) => report.failed.push((copy, e)),
            }
        }
        if report.merged.iter().any(|(_, m)| m.rekeyed) {
            report.reenrolled = self
                .vault
                .reenrol_keyring(self.keys.keyring.as_ref())
                .unwrap_or(false);
        }
        if !report.merged.is_empty() || report.reloaded {
            self.vault.expire_tombstones(now)?;
        }
        Ok(report)
    }

    /// Resolves a conflict by keeping the copy `id` (see
    /// [`crate::vault::Vault::keep_conflict_copy`]); removing the copy
    /// keeps the other version.
    pub fn keep_conflict_copy(&mut self, id: &str, now: u64) -> Result<(), SessionError> {
        Ok(self.vault.keep_conflict_copy(id, now)?)
    }

    /// Whether this computer's keyring slot was enrolled again when the
    /// vault was opened (its data key had been changed on another computer).
    pub fn keyring_reenrolled(&self) -> bool {
        self.reenrolled
    }
}
