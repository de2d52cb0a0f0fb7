//! An unlocked vault and every operation a person performs on it. The CLI
//! and the app call these and hold no rule of their own:
//!
//! - open with a credential ([`Session::open`]): the keyring, or a typed
//!   text that may be the password or the recovery key; after a password
//!   unlock, weak Argon2id parameters are raised to the creation policy;
//! - create a vault ([`Session::create`]), returning the recovery key;
//! - the new-password rule ([`check_new_password`]);
//! - add a typed [`Draft`], import accounts (dedup), export to a path
//!   (overwrite rule, 0600 files, 0700 new folders);
//! - rename, remove, move, use an HOTP code, renew the recovery key,
//!   keyring on/off, change the password (the last three rotate the data
//!   key; see [`Session::knows_password`]);
//! - the backups next to the vault: list them with what a credential finds
//!   in each ([`Session::backups`]), restore one ([`Session::restore`]),
//!   delete them after a credential was revoked;
//! - a vault written by a newer Tessera opens read-only
//!   ([`Session::newer_version`]) or fails as newer, never as damaged;
//! - merge the file changed under us and the sync tools' conflict copies
//!   ([`Session::sync`], see [`sync`]); after a password unlock, re-enrol
//!   this computer's keyring slot when another computer rotated the key.
//!
//! Time is a parameter (`now`); nothing here reads the clock or prints.

mod backups;
mod draft;
mod error;
mod export;
mod password;
pub mod sync;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::account::{Account, OtpKind};
use crate::export::Skipped;
use crate::vault::{
    Added, Entry, Info, KdfPolicy, KeyStore, NewVault, OsKeyring, RecoveryKey, Rekeyed, SlotKind,
    Unlock, Vault, VaultError, kdf, looks_like_recovery_key,
};

pub use draft::{Draft, DraftError, DraftKind};
pub use error::SessionError;
pub use password::{MIN_PASSWORD_CHARS, check_new_password};

/// What an export wrote.
#[derive(Debug)]
pub struct Exported {
    /// The files written (one, or one per QR code for a folder format).
    pub files: Vec<PathBuf>,
    /// Accounts written.
    pub accounts: usize,
    /// Accounts the format cannot carry, with the reason.
    pub skipped: Vec<Skipped>,
}

/// What unlocks and protects vaults: the keyring and the Argon2id policy
/// for new password slots.
#[derive(Clone)]
pub struct Keys {
    pub keyring: Arc<dyn KeyStore>,
    pub policy: KdfPolicy,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// The OS keyring and this process's policy ([`KdfPolicy::from_env`]).
    pub fn system() -> Self {
        Self {
            keyring: Arc::new(OsKeyring::default()),
            policy: KdfPolicy::from_env(),
        }
    }
}

/// One backup kept next to the vault.
#[derive(Debug)]
pub struct Backup {
    pub path: PathBuf,
    /// When it was made (UTC, from its name).
    pub made: Option<DateTime<Utc>>,
    /// What the credential given found in it.
    pub check: Result<Opened, VaultError>,
}

/// A backup (or restored file) the credential opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub accounts: usize,
    /// The slot that opened it.
    pub with: SlotKind,
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub accounts: usize,
    /// Where the file it replaced was kept (none when there was no file).
    pub kept: Option<PathBuf>,
}

/// How to create a vault.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewSession<'a> {
    /// Add a keyring slot (fails with a keyring error when none answers).
    pub keyring: bool,
    /// Add a password slot; checked with [`check_new_password`].
    pub password: Option<&'a str>,
}

/// Counts of an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Imported {
    /// One result per account given, in order.
    pub results: Vec<Added>,
    pub added: usize,
    pub already_present: usize,
}

/// What turning the keyring off did.
#[derive(Debug)]
pub enum KeyringOff {
    /// The vault had no keyring slot.
    NothingToDo,
    /// The slot is gone and the data key rotated.
    Removed {
        /// Why the key could not be deleted from the keyring, if so.
        cleanup: Option<VaultError>,
        /// The new recovery key (shown once), when the vault has one.
        recovery: Option<RecoveryKey>,
    },
}

/// An unlocked vault.
pub struct Session {
    vault: Vault,
    keys: Keys,
    kdf_upgrade_error: Option<VaultError>,
    /// This computer's keyring slot was enrolled again at opening.
    reenrolled: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("vault", &self.vault)
            .finish_non_exhaustive()
    }
}

fn damaged(path: &Path, error: VaultError, unlock: Option<Unlock<'_>>) -> SessionError {
    SessionError::Damaged {
        path: path.to_path_buf(),
        error,
        backups: Vault::backups(path),
        good_backup: unlock.and_then(|u| Vault::newest_good_backup(path, u)),
    }
}

impl Session {
    /// Which slots the vault at `path` has, without unlocking it.
    pub fn inspect(path: &Path) -> Result<Info, SessionError> {
        Vault::inspect(path).map_err(|e| match e {
            VaultError::NotFound(_) => SessionError::NoVault(path.to_path_buf()),
            e if e.is_damage() => damaged(path, e, None),
            e => e.into(),
        })
    }

    /// Opens the vault at `path`. With `typed == None`, the keyring slot;
    /// with a text, whatever it can be: the password (when the vault has
    /// one) and the recovery key (when the text looks like one, or the
    /// vault has no password). After a password unlock, parameters below
    /// the floor are raised to `keys.policy` (best effort, see
    /// [`Session::kdf_upgrade_error`]). Never quotes the text.
    pub fn open(path: &Path, typed: Option<&str>, keys: Keys) -> Result<Session, SessionError> {
        let info = Self::inspect(path)?;
        let has = |k: SlotKind| info.slots.contains(&k);
        let Some(text) = typed else {
            if !has(SlotKind::Keyring) {
                return Err(SessionError::NoKeyringSlot);
            }
            let unlock = Unlock::Keyring(keys.keyring.as_ref());
            return match Vault::open(path, unlock) {
                Ok(vault) => Ok(Self::new(vault, keys)),
                Err(e) if e.is_damage() => Err(damaged(path, e, Some(unlock))),
                Err(e) => Err(e.into()),
            };
        };
        let has_password = has(SlotKind::Password);
        let mut attempts: Vec<Unlock<'_>> = Vec::new();
        if has_password {
            attempts.push(Unlock::Password(text));
        }
        if looks_like_recovery_key(text) || !has_password {
            attempts.push(Unlock::Recovery(text));
        }
        let mut last = None;
        for unlock in attempts {
            match Vault::open(path, unlock) {
                Ok(vault) => {
                    let mut session = Self::new(vault, keys);
                    if let Unlock::Password(password) = unlock {
                        session.upgrade_kdf(password);
                    }
                    // Best effort: the vault is open either way.
                    session.reenrolled = session
                        .vault
                        .reenrol_keyring(session.keys.keyring.as_ref())
                        .unwrap_or(false);
                    return Ok(session);
                }
                Err(e) if e.is_damage() => return Err(damaged(path, e, Some(unlock))),
                // Keep the password's verdict when both were tried.
                Err(e) => {
                    if last.is_none() {
                        last = Some(e);
                    }
                }
            }
        }
        Err(match last.unwrap_or(VaultError::WrongPassword) {
            e @ VaultError::MalformedRecoveryKey if !has_password => {
                SessionError::NoPasswordSlot(e)
            }
            e => e.into(),
        })
    }

    /// Creates a vault at `path` (refusing to replace a file): a keyring
    /// slot and/or a password slot, and a recovery slot whose key is
    /// returned once. The password must pass [`check_new_password`].
    pub fn create(
        path: &Path,
        new: NewSession<'_>,
        keys: Keys,
    ) -> Result<(Session, Option<RecoveryKey>), SessionError> {
        if let Some(password) = new.password {
            check_new_password(password)?;
        }
        if new.keyring {
            keys.keyring.available()?;
        }
        let (vault, key) = Vault::create(
            path,
            NewVault {
                keyring: new.keyring.then_some(keys.keyring.as_ref()),
                password: new.password,
                recovery: true,
                policy: keys.policy,
            },
        )?;
        Ok((Self::new(vault, keys), key))
    }

    fn new(vault: Vault, keys: Keys) -> Self {
        Self {
            vault,
            keys,
            kdf_upgrade_error: None,
            reenrolled: false,
        }
    }

    /// Raises weak password-slot parameters, when the policy reaches the
    /// floor (a test policy below it would only rewrite the file).
    fn upgrade_kdf(&mut self, password: &str) {
        let reaches_floor = match self.keys.policy {
            KdfPolicy::Calibrated => true,
            KdfPolicy::Fixed { m_kib, t, p } => {
                m_kib >= kdf::FLOOR_M_KIB && t >= kdf::FLOOR_T && p >= kdf::FLOOR_P
            }
        };
        if reaches_floor
            && self.vault.newer_version().is_none()
            && self.vault.password_slot_below_floor()
        {
            self.kdf_upgrade_error = self
                .vault
                .upgrade_password_slot(password, self.keys.policy)
                .err();
        }
    }

    /// Why weak password parameters could not be raised at opening, if so
    /// (the vault opened anyway).
    pub fn kdf_upgrade_error(&self) -> Option<&VaultError> {
        self.kdf_upgrade_error.as_ref()
    }

    /// The unlocked vault (read-only: changes go through the session).
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn path(&self) -> &Path {
        self.vault.path()
    }

    /// Why the vault looks written by a newer Tessera, if it does: then it
    /// is read-only (changes fail with [`VaultError::NewerReadOnly`]).
    pub fn newer_version(&self) -> Option<&str> {
        self.vault.newer_version()
    }

    pub fn entries(&self) -> &[Entry] {
        self.vault.entries()
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.vault.entry(id)
    }

    /// Reloads the vault if the file changed (another process, or another
    /// computer's version put in place by a sync tool), merging it with
    /// what this session holds; returns whether the accounts changed.
    pub fn reload(&mut self) -> Result<bool, SessionError> {
        Ok(self.vault.reload()?)
    }

    /// Adds the account a person typed.
    pub fn add(&mut self, draft: &Draft, now: u64) -> Result<Added, SessionError> {
        let account = draft.build()?;
        self.add_account(account, now)
    }

    /// Adds one account (e.g. read from a link): new, or already present.
    pub fn add_account(&mut self, account: Account, now: u64) -> Result<Added, SessionError> {
        let mut imported = self.import(vec![account], now)?;
        imported
            .results
            .pop()
            .ok_or(SessionError::Vault(VaultError::Encrypt))
    }

    /// Adds accounts in one save, skipping those whose token (key, type,
    /// parameters) is already in the vault or earlier in the list.
    pub fn import(&mut self, accounts: Vec<Account>, now: u64) -> Result<Imported, SessionError> {
        let results = self.vault.add(accounts, now)?;
        let added = results
            .iter()
            .filter(|r| matches!(r, Added::New(_)))
            .count();
        Ok(Imported {
            already_present: results.len() - added,
            added,
            results,
        })
    }

    /// Changes the issuer and/or the name. The issuer is trimmed and an
    /// empty one removes it; the name is trimmed.
    pub fn rename(
        &mut self,
        id: &str,
        issuer: Option<&str>,
        name: Option<&str>,
        now: u64,
    ) -> Result<(), SessionError> {
        let issuer = issuer.map(|i| Some(i.trim().to_string()).filter(|i| !i.is_empty()));
        let name = name.map(|n| n.trim().to_string());
        Ok(self.vault.rename(id, issuer, name, now)?)
    }

    /// Removes an account (a deletion record dated `now` is kept for
    /// merging); returns it.
    pub fn remove(&mut self, id: &str, now: u64) -> Result<Entry, SessionError> {
        Ok(self.vault.remove(id, now)?)
    }

    /// Moves an account by `offset` places (negative: up), clamped.
    pub fn move_entry(&mut self, id: &str, offset: i64) -> Result<(), SessionError> {
        Ok(self.vault.move_entry(id, offset)?)
    }

    /// Entry ids, most recently used first (kept inside the vault).
    pub fn recent(&self) -> &[String] {
        self.vault.recent()
    }

    /// Saves the recently used order: the first `limit` ids of `ids` that
    /// name accounts in the vault. Written only when it changed.
    pub fn set_recent(&mut self, ids: &[String], limit: usize) -> Result<(), SessionError> {
        Ok(self.vault.set_recent(ids, limit)?)
    }

    /// HOTP: uses the counter `skip` steps ahead and saves the next one
    /// before returning the account at the counter used (see
    /// [`Vault::use_hotp`]). TOTP accounts come back unchanged.
    pub fn use_hotp(&mut self, id: &str, skip: u64, now: u64) -> Result<Account, SessionError> {
        Ok(self.vault.use_hotp(id, skip, now)?)
    }

    /// The code of an account at `at`: TOTP the current (or, with `next`,
    /// the next period's) code; HOTP the code of the saved counter (or the
    /// one after it), the counter advanced and saved first.
    pub fn code(
        &mut self,
        id: &str,
        at: u64,
        next: bool,
        now: u64,
    ) -> Result<String, SessionError> {
        let entry = self
            .vault
            .entry(id)
            .ok_or_else(|| SessionError::NoSuchEntry(id.to_string()))?;
        match entry.account.kind {
            OtpKind::Hotp { .. } => Ok(self.use_hotp(id, u64::from(next), now)?.code_at(at)),
            // Time-based: TOTP and Steam Guard.
            _ if next => entry.account.next_code(at).ok_or(SessionError::NoNextCode),
            _ => Ok(entry.account.code_at(at)),
        }
    }

    /// Whether the operations that rotate the data key (renew the
    /// recovery key, keyring off) can rewrap the password slot: the
    /// password opened the vault, was set here, or was given with
    /// [`Session::provide_password`]. When not, they fail with
    /// [`VaultError::PasswordNeeded`].
    pub fn knows_password(&self) -> bool {
        self.vault.knows_password()
    }

    /// Checks the password (after a keyring or recovery-key unlock) so the
    /// data key can be rotated. A wrong one changes nothing.
    pub fn provide_password(&mut self, password: &str) -> Result<(), SessionError> {
        Ok(self.vault.provide_password(password)?)
    }

    /// Replaces the recovery key and rotates the data key: the old key
    /// opens neither this file nor any later one (older backups keep
    /// opening with it, see [`Session::backups`]).
    pub fn renew_recovery(&mut self) -> Result<RecoveryKey, SessionError> {
        Ok(self.vault.renew_recovery(self.keys.keyring.as_ref())?)
    }

    /// Adds (or replaces) the keyring slot: saved first, the key stored in
    /// the keyring after the save (see [`Vault::enable_keyring`]). Fails
    /// without writing anything when no keyring answers.
    pub fn enable_keyring(&mut self) -> Result<(), SessionError> {
        self.keys.keyring.available()?;
        Ok(self.vault.enable_keyring(self.keys.keyring.as_ref())?)
    }

    /// Removes the keyring slot and rotates the data key (refused when no
    /// password would remain; needs the password, see
    /// [`Session::knows_password`]).
    pub fn disable_keyring(&mut self) -> Result<KeyringOff, SessionError> {
        if !self.vault.has_slot(SlotKind::Keyring) {
            return Ok(KeyringOff::NothingToDo);
        }
        let (rekeyed, cleanup) = self.vault.disable_keyring(self.keys.keyring.as_ref())?;
        Ok(KeyringOff::Removed {
            cleanup,
            recovery: rekeyed.recovery,
        })
    }

    /// Sets a new password (checked with [`check_new_password`]), rotating
    /// the data key and renewing the recovery key.
    pub fn change_password(&mut self, new_password: &str) -> Result<Rekeyed, SessionError> {
        check_new_password(new_password)?;
        Ok(self.vault.change_password(
            new_password,
            Some(self.keys.keyring.as_ref()),
            self.keys.policy,
        )?)
    }
}
