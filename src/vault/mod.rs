//! The encrypted vault: every account in one file, never lost.
//!
//! A random 256-bit data key encrypts the accounts (XChaCha20-Poly1305, a
//! fresh nonce per save, the whole header authenticated as stored; see
//! [`format`]). The data key is wrapped in key slots: the OS keyring
//! ([`keyring`]), a password (Argon2id, [`kdf`]) and a recovery key shown
//! once (`recovery`); the slot operations are in `slots`, the primitives
//! (keys, sealing, randomness) in [`crypto`]. Changing the password,
//! renewing the recovery key and removing the keyring slot rotate the data
//! key. A file written by a newer Tessera is read-only here.
//!
//! Every change goes through [`Vault::commit`]: take the lock file, merge
//! the file if it changed (another process, or another computer's version
//! put in place by a sync tool: [`merge`], account by account, with the
//! version counters and deletion records of the payload), apply the change
//! to that, write a temporary file, fsync, keep the previous version as a
//! backup, rename, fsync the folder ([`store`]). So the GUI, the CLI and
//! other computers never lose each other's changes, and a crash leaves the
//! old or the new vault, never a broken one. The conflict copies sync tools
//! leave next to the file ([`copies`]) are merged by [`Vault::merge_copy`].

mod accounts;
pub mod copies;
pub mod crypto;
mod disk;
pub mod error;
pub mod format;
pub mod kdf;
pub mod keyring;
pub mod merge;
mod payload;
mod recovery;
mod slots;
pub mod store;
mod sync;
mod unlock;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use copies::{CopyMerged, Opener};
pub use error::VaultError;
pub use format::SlotKind;
pub use kdf::{KdfParams, KdfPolicy};
pub use keyring::{
    KeyStore, MemoryKeyStore, OsKeyring, SCHEMA, entry_user, item_label, slot_entry_user,
};
pub use merge::{MergeReport, TOMBSTONE_DAYS, TOMBSTONES_KEPT};
pub use payload::{Entry, Payload, Tombstone};
pub use recovery::{RecoveryKey, looks_like_recovery_key};

use crypto::{Key, hex, random_key, random_vec};
use format::Header;
use store::{Files, digest};
pub use unlock::Unlock;
use unlock::{Unlocked, unlock_bytes};

/// How to create a vault.
pub struct NewVault<'a> {
    /// Add a keyring slot, its key stored there.
    pub keyring: Option<&'a dyn KeyStore>,
    /// Add a password slot.
    pub password: Option<&'a str>,
    /// Add a recovery slot (its key is returned once).
    pub recovery: bool,
    /// Argon2id parameters for the password slot.
    pub policy: KdfPolicy,
}

/// What can unlock a vault, read without any key.
#[derive(Debug, Clone)]
pub struct Info {
    pub vault_id: String,
    pub slots: Vec<SlotKind>,
    pub version: (u16, u16),
    /// Why the file looks written by a newer Tessera (read-only here).
    pub newer: Option<String>,
    /// The keyring entry names of its keyring slots
    /// ([`keyring::slot_entry_user`]).
    pub keyring_entries: Vec<String>,
}

/// Result of adding one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// Added with this id.
    New(String),
    /// The same token (secret, type, parameters) is already there.
    Duplicate { existing: String },
}

/// Result of a password change.
#[derive(Debug)]
pub struct Rekeyed {
    /// The new recovery key, when the vault has a recovery slot (the old
    /// one no longer opens it).
    pub recovery: Option<RecoveryKey>,
    /// Why the keyring slot was dropped, if it was.
    pub keyring_dropped: Option<VaultError>,
}

/// An unlocked vault.
pub struct Vault {
    files: Files,
    header: Header,
    dek: Key,
    data: Payload,
    /// Digest of the file as last read or written.
    seen: [u8; 32],
    /// Set when the file was written by a newer Tessera: never written.
    newer: Option<String>,
    /// The file lacks something this vault holds (another computer's or
    /// an older version was put in place and merged): the next save writes.
    disk_behind: bool,
    /// The password slot's id and key-encryption key, when known (the
    /// password opened or set it): a rotation of the data key rewraps it.
    password_kek: Option<(String, Key)>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.files.vault)
            .field("entries", &self.data.entries.len())
            .finish_non_exhaustive()
    }
}

/// The working copy a change is applied to.
struct State {
    header: Header,
    dek: Key,
    data: Payload,
}

impl State {
    /// The position of the account `id`, or `NoSuchEntry`.
    fn index_of(&self, id: &str) -> Result<usize, VaultError> {
        self.data
            .entries
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| VaultError::NoSuchEntry(id.to_string()))
    }
}

/// Encrypts a state into file bytes with a fresh nonce, and checks that
/// the bytes decrypt back to the same accounts before they are written.
fn seal_state(state: &mut State) -> Result<Vec<u8>, VaultError> {
    state.header.nonce = random_vec(crypto::NONCE_LEN)?;
    let plain = payload::encode(&state.data)?;
    let bytes = format::build(&state.header, &state.dek, &plain)?;
    let parsed = format::parse(&bytes, Path::new(""))?;
    let back = payload::decode(&format::open_payload(&parsed, &state.dek)?)?;
    if back != state.data {
        return Err(VaultError::Encrypt);
    }
    Ok(bytes)
}

impl Vault {
    /// Reads which slots a vault has, without unlocking it.
    pub fn inspect(path: &Path) -> Result<Info, VaultError> {
        let bytes = store::read_file(path)?.ok_or_else(|| VaultError::NotFound(path.into()))?;
        let parsed = format::parse(&bytes, path)?;
        let header = &parsed.header;
        Ok(Info {
            vault_id: header.vault_id.clone(),
            slots: header.slots.iter().map(|s| s.kind).collect(),
            version: (format::MAJOR, parsed.minor),
            newer: parsed.newer.clone(),
            keyring_entries: header
                .slots
                .iter()
                .filter(|s| s.kind == SlotKind::Keyring)
                .map(|s| slot_entry_user(&header.vault_id, &s.id))
                .collect(),
        })
    }

    /// Creates a new, empty vault. Refuses to replace an existing file.
    pub fn create(
        path: &Path,
        new: NewVault<'_>,
    ) -> Result<(Vault, Option<RecoveryKey>), VaultError> {
        if new.keyring.is_none() && new.password.is_none() {
            return Err(VaultError::LastSlot);
        }
        let files = Files::new(path);
        // The slow key derivation runs before the lock is taken.
        let password_slot = match new.password {
            Some(p) => Some(new.policy.derive_new(p.as_bytes())?),
            None => None,
        };
        let _lock = files.lock(files.lock_wait)?;
        if files.read()?.is_some() {
            return Err(VaultError::AlreadyExists(path.into()));
        }
        files.clean_temps();
        let vault_id = hex(&random_vec(16)?);
        let dek = random_key()?;
        let mut slots = Vec::new();
        let mut password_kek = None;
        if let Some((params, kek)) = password_slot {
            let slot = format::wrap(&vault_id, SlotKind::Password, Some(params), &kek, &dek)?;
            password_kek = Some((slot.id.clone(), kek));
            slots.push(slot);
        }
        let mut recovery = None;
        if new.recovery {
            let (key, kek) = RecoveryKey::generate()?;
            slots.push(format::wrap(
                &vault_id,
                SlotKind::Recovery,
                None,
                &kek,
                &dek,
            )?);
            recovery = Some(key);
        }
        let mut keyring_entry = None;
        if let Some(store) = new.keyring {
            let kek = random_key()?;
            let slot = format::wrap(&vault_id, SlotKind::Keyring, None, &kek, &dek)?;
            let name = slot_entry_user(&vault_id, &slot.id);
            store.set(&name, &kek, &keyring::item_label(path))?;
            keyring_entry = Some(name);
            slots.insert(0, slot);
        }
        let mut state = State {
            header: Header {
                vault_id: vault_id.clone(),
                cipher: String::from("xchacha20poly1305"),
                nonce: Vec::new(),
                slots,
                rotation: 0,
            },
            dek,
            data: Payload::default(),
        };
        let bytes = seal_state(&mut state)?;
        if let Err(e) = files.write_atomic(&bytes) {
            if let (Some(store), Some(name)) = (new.keyring, keyring_entry) {
                let _ = store.delete(&name);
            }
            return Err(e);
        }
        let vault = Vault {
            files,
            header: state.header,
            dek: state.dek,
            data: state.data,
            seen: digest(&bytes),
            newer: None,
            disk_behind: false,
            password_kek,
        };
        Ok((vault, recovery))
    }

    /// Opens and unlocks a vault. Never writes the vault file.
    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Vault, VaultError> {
        let files = Files::new(path);
        let bytes = files
            .read()?
            .ok_or_else(|| VaultError::NotFound(path.into()))?;
        let Unlocked {
            header,
            dek,
            data,
            newer,
            password_kek,
        } = unlock_bytes(&bytes, path, unlock)?;
        // Stale temporary files of an interrupted save, if no one is saving
        // (a vault never saved by Tessera, e.g. a backup, gets no lock file).
        if files.lock_path().exists()
            && let Ok(_lock) = files.lock(Duration::ZERO)
        {
            files.clean_temps();
        }
        Ok(Vault {
            files,
            header,
            dek,
            data,
            seen: digest(&bytes),
            newer,
            disk_behind: false,
            password_kek,
        })
    }

    /// Backups of the vault at `path`, newest first.
    pub fn backups(path: &Path) -> Vec<PathBuf> {
        Files::new(path).backups()
    }

    /// The newest backup that `unlock` opens, for a damaged vault.
    pub fn newest_good_backup(path: &Path, unlock: Unlock<'_>) -> Option<PathBuf> {
        Self::backups(path).into_iter().find(|backup| {
            store::read_file(backup)
                .ok()
                .flatten()
                .is_some_and(|bytes| unlock_bytes(&bytes, backup, unlock).is_ok())
        })
    }

    pub fn path(&self) -> &Path {
        &self.files.vault
    }

    /// Why the file looks written by a newer Tessera, if it does: then it
    /// is read-only here (every change fails with
    /// [`VaultError::NewerReadOnly`] and nothing is written).
    pub fn newer_version(&self) -> Option<&str> {
        self.newer.as_deref()
    }

    pub fn vault_id(&self) -> &str {
        &self.header.vault_id
    }

    /// The kinds of the vault's key slots.
    pub fn slots(&self) -> Vec<SlotKind> {
        self.header.slots.iter().map(|s| s.kind).collect()
    }

    pub fn has_slot(&self, kind: SlotKind) -> bool {
        self.header.has(kind)
    }

    /// The accounts, in the order they were added.
    pub fn entries(&self) -> &[Entry] {
        &self.data.entries
    }

    /// The deletion records kept for merging (newest first).
    pub fn tombstones(&self) -> &[Tombstone] {
        &self.data.tombstones
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.data.entries.iter().find(|e| e.id == id)
    }

    /// Accounts matching `query`: its id, or a case-insensitive part of
    /// the issuer, the account name or `issuer:name`. When several match
    /// and exactly one matches in full, that one.
    pub fn find(&self, query: &str) -> Vec<&Entry> {
        if let Some(e) = self.entry(query.trim()) {
            return vec![e];
        }
        let q = query.trim().to_lowercase();
        let fields = |e: &Entry| {
            let issuer = e.account.issuer.clone().unwrap_or_default().to_lowercase();
            let name = e.account.name.to_lowercase();
            let both = format!("{issuer}:{name}");
            (issuer, name, both)
        };
        let found: Vec<&Entry> = self
            .data
            .entries
            .iter()
            .filter(|e| {
                let (i, n, b) = fields(e);
                i.contains(&q) || n.contains(&q) || b.contains(&q)
            })
            .collect();
        if found.len() > 1 {
            let exact: Vec<&Entry> = found
                .iter()
                .copied()
                .filter(|e| {
                    let (i, n, b) = fields(e);
                    i == q || n == q || b == q
                })
                .collect();
            if exact.len() == 1 {
                return exact;
            }
        }
        found
    }

    /// Applies a change durably: under the lock, on the current file
    /// contents (reloaded if another process saved meanwhile), then saved
    /// atomically. On error nothing is written and the vault is unchanged.
    fn commit<T>(
        &mut self,
        change: impl FnOnce(&mut State) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        if let Some(what) = &self.newer {
            return Err(VaultError::NewerReadOnly(what.clone()));
        }
        let _lock = self.files.lock(self.files.lock_wait)?;
        self.files.clean_temps();
        let disk_behind = self.refresh()?;
        if let Some(what) = &self.newer {
            return Err(VaultError::NewerReadOnly(what.clone()));
        }
        let mut state = State {
            header: self.header.clone(),
            dek: self.dek.clone(),
            data: self.data.clone(),
        };
        let out = change(&mut state)?;
        let unchanged =
            state.data == self.data && state.header == self.header && state.dek == self.dek;
        if unchanged && !disk_behind {
            return Ok(out);
        }
        let bytes = seal_state(&mut state)?;
        self.files.write_atomic(&bytes)?;
        self.seen = digest(&bytes);
        self.disk_behind = false;
        self.header = state.header;
        self.dek = state.dek;
        self.data = state.data;
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_golden;
#[cfg(test)]
mod tests_powercut;
#[cfg(test)]
mod tests_security;
