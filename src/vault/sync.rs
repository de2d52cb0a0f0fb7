//! Keeping one vault in step across copies: the file changed under us
//! (another process, or a sync tool that replaced it with another
//! computer's version) is merged, never overwritten ([`merge`]); a
//! conflict copy left by a sync tool ([`super::copies`]) is merged and set
//! aside.
//!
//! A copy whose data key differs (rotated on another computer) is opened
//! with what this session has: the keyring, the password's key when the
//! password opened the vault, or a password or recovery key typed for it.
//! Of two keys, the one rotated more often is kept (ties: the same choice
//! on both computers), so a password changed on one computer stays changed.

use std::path::{Path, PathBuf};

use super::copies::{self, CopyMerged, Opener};
use super::error::VaultError;
use super::format::{self, Header};
use super::merge::{self, prune_tombstones};
use super::payload;
use super::store::{self, digest};
use super::unlock::{Unlock, Unlocked, unlock_bytes};
use super::{Vault, looks_like_recovery_key};

/// Which of two keyings of one vault a merge keeps: more rotations, then
/// the larger slot ids (the same answer on every computer).
fn keeps_theirs(theirs: &Header, ours: &Header) -> bool {
    fn ids(h: &Header) -> Vec<&str> {
        let mut ids: Vec<&str> = h.slots.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        ids
    }
    (theirs.rotation, ids(theirs)) > (ours.rotation, ids(ours))
}

impl Vault {
    /// Reads the file if it changed since this vault last read or wrote
    /// it, and merges it with what this vault holds (the file's order and
    /// header kept). Returns whether the file lacks something this vault
    /// holds (it was replaced by an older or another computer's version):
    /// then the next save writes the merge.
    pub(super) fn refresh(&mut self) -> Result<bool, VaultError> {
        let bytes = self
            .files
            .read()?
            .ok_or_else(|| VaultError::NotFound(self.files.vault.clone()))?;
        let seen = digest(&bytes);
        if seen == self.seen {
            return Ok(self.disk_behind);
        }
        let parsed = format::parse(&bytes, &self.files.vault)?;
        if parsed.header.vault_id != self.header.vault_id {
            return Err(VaultError::Rekeyed);
        }
        let plain = match format::open_payload(&parsed, &self.dek) {
            Ok(plain) => plain,
            Err(_) if parsed.header.slots != self.header.slots => {
                return Err(VaultError::Rekeyed);
            }
            Err(e) => return Err(e),
        };
        let disk = payload::decode(&plain)?;
        let (merged, _) = merge::merge(&disk, &self.data);
        let behind = merged != disk;
        self.disk_behind = behind;
        self.data = merged;
        self.header = parsed.header;
        self.newer = parsed.newer;
        self.seen = seen;
        Ok(behind)
    }

    /// Reloads the vault if the file changed, merging it with what this
    /// vault holds; when the file lacks some of it (a sync tool put an
    /// older or another computer's version in place), the merge is saved.
    /// Returns whether what this vault holds changed.
    pub fn reload(&mut self) -> Result<bool, VaultError> {
        let before = self.data.clone();
        let behind = self.refresh()?;
        if behind && self.newer.is_none() {
            self.commit(|_| Ok(()))?;
        }
        Ok(self.data != before)
    }

    /// Opens a copy of this vault: with this vault's data key when it is
    /// the same, else with `opener`.
    fn open_copy(
        &self,
        bytes: &[u8],
        path: &Path,
        opener: Opener<'_>,
    ) -> Result<Unlocked, VaultError> {
        let parsed = format::parse(bytes, path)?;
        if parsed.header.vault_id != self.header.vault_id {
            return Err(VaultError::OtherVault(path.to_path_buf()));
        }
        if let Some(what) = parsed.newer {
            // Merging would drop what this build does not know.
            return Err(VaultError::NewerReadOnly(what));
        }
        if let Ok(plain) = format::open_payload(&parsed, &self.dek) {
            return Ok(Unlocked {
                data: payload::decode(&plain)?,
                header: parsed.header,
                dek: self.dek.clone(),
                newer: None,
                password_kek: None,
            });
        }
        if let Some((id, kek)) = &self.password_kek
            && let Some(slot) = parsed.header.slots.iter().find(|s| s.id == *id)
            && let Some(dek) = format::unwrap(&parsed.header.vault_id, slot, kek)
        {
            let plain = format::open_payload(&parsed, &dek)?;
            return Ok(Unlocked {
                data: payload::decode(&plain)?,
                header: parsed.header,
                dek,
                newer: None,
                password_kek: Some((id.clone(), kek.clone())),
            });
        }
        let has = |kind| parsed.header.has(kind);
        let mut attempts = Vec::new();
        if let Some(store) = opener.keyring
            && has(super::SlotKind::Keyring)
        {
            attempts.push(Unlock::Keyring(store));
        }
        if let Some(text) = opener.typed {
            if has(super::SlotKind::Password) {
                attempts.push(Unlock::Password(text));
            }
            if looks_like_recovery_key(text) || !has(super::SlotKind::Password) {
                attempts.push(Unlock::Recovery(text));
            }
        }
        let mut last = None;
        for unlock in attempts {
            match unlock_bytes(bytes, path, unlock) {
                Ok(opened) => return Ok(opened),
                Err(e) if e.is_damage() => return Err(e),
                Err(e) => {
                    if last.is_none() || !matches!(unlock, Unlock::Keyring(_)) {
                        last = Some(e);
                    }
                }
            }
        }
        Err(match (opener.typed, last) {
            (Some(_), Some(e)) => e,
            _ => VaultError::CopyNeedsCredential,
        })
    }

    /// Merges the conflict copy at `copy` into the vault and moves it aside
    /// (`.merged`, see [`copies::set_aside`]); deletion records older than
    /// the retention at `now` are dropped. A copy of another vault fails
    /// with [`VaultError::OtherVault`] and is left alone; one whose data key
    /// differs needs `opener` ([`VaultError::CopyNeedsCredential`]).
    pub fn merge_copy(
        &mut self,
        copy: &Path,
        opener: Opener<'_>,
        now: u64,
    ) -> Result<CopyMerged, VaultError> {
        if let Some(what) = &self.newer {
            return Err(VaultError::NewerReadOnly(what.clone()));
        }
        let bytes = store::read_file(copy)?.ok_or_else(|| VaultError::NotFound(copy.into()))?;
        let theirs = self.open_copy(&bytes, copy, opener)?;
        let (report, rekeyed) = self.commit(|state| {
            let (mut merged, report) = merge::merge(&state.data, &theirs.data);
            prune_tombstones(&mut merged.tombstones, now);
            state.data = merged;
            let rekey = theirs.dek != state.dek && keeps_theirs(&theirs.header, &state.header);
            if rekey {
                state.header = theirs.header.clone();
                state.dek = theirs.dek.clone();
            }
            Ok((report, rekey))
        })?;
        if rekeyed {
            self.password_kek = theirs.password_kek.clone();
        }
        let moved_to = copies::set_aside(copy)?;
        Ok(CopyMerged {
            report,
            moved_to,
            rekeyed,
        })
    }

    /// The conflict copies of this vault's file in its folder.
    pub fn conflict_copies(&self) -> Vec<PathBuf> {
        copies::find(&self.files.vault)
    }

    /// Drops the deletion records older than the retention at `now`.
    pub fn expire_tombstones(&mut self, now: u64) -> Result<(), VaultError> {
        self.commit(|state| {
            prune_tombstones(&mut state.data.tombstones, now);
            Ok(())
        })
    }
}

#[cfg(test)]
#[path = "tests_sync.rs"]
mod tests;
