//! Key slot operations of an unlocked vault: change the password, renew
//! the recovery key, keyring slot on and off, upgrade weak Argon2id
//! parameters. Each goes through [`Vault::commit`].
//!
//! Renewing or removing a slot rotates the data key ([`Vault::rotate`]):
//! the payload is re-encrypted under a new key and every remaining slot
//! rewrapped, so an older copy of the file (a backup, a sync folder's
//! history) together with a revoked credential never opens the current
//! file. The recovery slot cannot be rewrapped without its key, so every
//! rotation issues a new recovery key; the password slot needs its
//! key-encryption key, known when the password opened the vault (or given
//! with [`Vault::provide_password`]).
//!
//! Each computer has its own keyring slot. A keyring slot whose key is not
//! in this computer's keyring (another computer's) cannot be rewrapped: a
//! rotation keeps it, marked stale, and that computer re-enrols it after
//! one password unlock ([`Vault::reenrol_keyring`]).

use std::collections::HashMap;

use super::crypto::{Key, random_key};
use super::error::VaultError;
use super::format::{self, SlotKind};
use super::kdf::{KdfParams, KdfPolicy};
use super::keyring::{KeyStore, entry_user, item_label, slot_entry_user};
use super::recovery::RecoveryKey;
use super::unlock::keyring_kek;
use super::{Rekeyed, Vault};

/// How a rotation treats the slots.
struct Plan<'a> {
    /// A new password slot (parameters and key) replacing the old one.
    new_password: Option<(KdfParams, Key)>,
    /// Where the keyring slots' keys are; `None` drops those slots.
    keyring: Option<&'a dyn KeyStore>,
    /// Whether a keyring that cannot give its key drops the slot (with
    /// the reason) instead of failing.
    drop_unreachable_keyring: bool,
    /// Add a recovery slot when there is none.
    add_recovery: bool,
}

impl Vault {
    /// Checks `password` against the password slot and remembers its key,
    /// so a later rotation can rewrap that slot (needed after a keyring or
    /// recovery-key unlock; see [`VaultError::PasswordNeeded`]).
    pub fn provide_password(&mut self, password: &str) -> Result<(), VaultError> {
        let slot = self
            .header
            .slot(SlotKind::Password)
            .ok_or(VaultError::NoSuchSlot("password"))?;
        let kek = slot
            .kdf
            .as_ref()
            .ok_or(VaultError::Corrupt("bad key slot"))?
            .derive(password.as_bytes())?;
        format::unwrap(&self.header.vault_id, slot, &kek).ok_or(VaultError::WrongPassword)?;
        self.password_kek = Some((slot.id.clone(), kek));
        Ok(())
    }

    /// Whether a rotation can rewrap the password slot: there is none, or
    /// its key is known.
    pub fn knows_password(&self) -> bool {
        match self.header.slot(SlotKind::Password) {
            None => true,
            Some(slot) => self
                .password_kek
                .as_ref()
                .is_some_and(|(id, _)| *id == slot.id),
        }
    }

    /// A new data key: the payload re-encrypted, the remaining slots
    /// rewrapped (same ids, so keyring entries stay), a new recovery key.
    fn rotate(&mut self, plan: Plan<'_>) -> Result<Rekeyed, VaultError> {
        if plan.new_password.is_none() && !self.knows_password() {
            return Err(VaultError::PasswordNeeded);
        }
        // The slots as on disk now (another computer may have added its
        // keyring slot since this vault was opened).
        self.reload()?;
        // Keyring keys are fetched before the lock is taken.
        let mut keyring_keks: HashMap<String, Result<Key, VaultError>> = HashMap::new();
        if let Some(store) = plan.keyring {
            for slot in self
                .header
                .slots
                .iter()
                .filter(|s| s.kind == SlotKind::Keyring && !s.stale)
            {
                let kek = keyring_kek(store, &self.header.vault_id, slot, self.path());
                if let Err(e) = &kek
                    && !matches!(e, VaultError::KeyringNoEntry)
                    && !plan.drop_unreachable_keyring
                {
                    return Err(VaultError::Keyring(format!(
                        "the keyring slot cannot be rewrapped: {e}"
                    )));
                }
                keyring_keks.insert(slot.id.clone(), kek);
            }
        }
        let known_password = self.password_kek.clone();
        let Plan {
            mut new_password,
            keyring,
            add_recovery,
            ..
        } = plan;
        let (rekeyed, password_kek) = self.commit(move |state| {
            let id = state.header.vault_id.clone();
            let dek = random_key()?;
            let mut slots = Vec::new();
            let mut keyring_dropped = None;
            let mut recovery = None;
            let mut password_kek = None;
            let mut add_password = |slots: &mut Vec<format::Slot>,
                                    new: &mut Option<(KdfParams, Key)>|
             -> Result<(), VaultError> {
                if let Some((params, kek)) = new.take() {
                    let slot = format::wrap(&id, SlotKind::Password, Some(params), &kek, &dek)?;
                    password_kek = Some((slot.id.clone(), kek));
                    slots.push(slot);
                }
                Ok(())
            };
            for slot in &state.header.slots {
                match slot.kind {
                    SlotKind::Keyring if keyring.is_none() => {}
                    // Another computer's slot (or one already stale): kept,
                    // stale, for that computer to re-enrol.
                    SlotKind::Keyring if slot.stale => slots.push(slot.clone()),
                    SlotKind::Keyring => match keyring_keks.remove(&slot.id) {
                        Some(Ok(kek)) => slots.push(format::rewrap(&id, slot, &kek, &dek)?),
                        Some(Err(VaultError::KeyringNoEntry)) => slots.push(format::Slot {
                            stale: true,
                            ..slot.clone()
                        }),
                        Some(Err(e)) => keyring_dropped = Some(e),
                        // Added by another process since: unlock again.
                        None => return Err(VaultError::Rekeyed),
                    },
                    SlotKind::Password if new_password.is_some() => {
                        add_password(&mut slots, &mut new_password)?;
                    }
                    SlotKind::Password => match &known_password {
                        Some((known, kek)) if *known == slot.id => {
                            slots.push(format::rewrap(&id, slot, kek, &dek)?);
                        }
                        _ => return Err(VaultError::PasswordNeeded),
                    },
                    SlotKind::Recovery => {
                        let (key, kek) = RecoveryKey::generate()?;
                        slots.push(format::wrap(&id, SlotKind::Recovery, None, &kek, &dek)?);
                        recovery = Some(key);
                    }
                }
            }
            add_password(&mut slots, &mut new_password)?;
            if add_recovery && recovery.is_none() {
                let (key, kek) = RecoveryKey::generate()?;
                slots.push(format::wrap(&id, SlotKind::Recovery, None, &kek, &dek)?);
                recovery = Some(key);
            }
            if !slots
                .iter()
                .any(|s| s.kind == SlotKind::Password || (s.kind == SlotKind::Keyring && !s.stale))
            {
                return Err(VaultError::LastSlot);
            }
            state.header.slots = slots;
            state.header.rotation = state.header.rotation.saturating_add(1);
            state.dek = dek;
            Ok((
                Rekeyed {
                    recovery,
                    keyring_dropped,
                },
                password_kek,
            ))
        })?;
        if password_kek.is_some() {
            self.password_kek = password_kek;
        }
        Ok(rekeyed)
    }

    /// Sets a new password and rotates the data key: the payload is
    /// re-encrypted, the keyring slot rewrapped (dropped if the keyring
    /// cannot give its key) and the recovery key renewed, so an old
    /// backup with the old password or key does not open the new vault.
    pub fn change_password(
        &mut self,
        new_password: &str,
        keyring: Option<&dyn KeyStore>,
        policy: KdfPolicy,
    ) -> Result<Rekeyed, VaultError> {
        let new = policy.derive_new(new_password.as_bytes())?;
        // The old password slot is replaced: its key is not needed.
        let unused = crate::vault::MemoryKeyStore::default();
        let has_keyring = self.header.has(SlotKind::Keyring);
        let rekeyed = self.rotate(Plan {
            new_password: Some(new),
            keyring: Some(keyring.unwrap_or(&unused)),
            drop_unreachable_keyring: true,
            add_recovery: false,
        })?;
        if has_keyring && keyring.is_none() {
            return Ok(Rekeyed {
                keyring_dropped: Some(VaultError::Keyring(String::from("not used"))),
                ..rekeyed
            });
        }
        Ok(rekeyed)
    }

    /// Replaces the recovery key with a new one and rotates the data key
    /// (the keyring and password slots rewrapped), so the old key opens
    /// neither this file nor any later one. Needs the password when the
    /// vault has a password slot ([`VaultError::PasswordNeeded`]) and the
    /// keyring when it has a keyring slot.
    pub fn renew_recovery(&mut self, keyring: &dyn KeyStore) -> Result<RecoveryKey, VaultError> {
        let rekeyed = self.rotate(Plan {
            new_password: None,
            keyring: Some(keyring),
            drop_unreachable_keyring: false,
            add_recovery: true,
        })?;
        rekeyed.recovery.ok_or(VaultError::Encrypt)
    }

    /// Removes the keyring slot and rotates the data key (the password
    /// slot rewrapped, a new recovery key), then deletes its key from
    /// `store`. Refused when no password slot would remain (a recovery key
    /// alone is not a daily way to unlock); needs the password
    /// ([`VaultError::PasswordNeeded`]). The second value says why the
    /// key could not be deleted from the keyring, if so (the slot is gone
    /// either way).
    pub fn disable_keyring(
        &mut self,
        store: &dyn KeyStore,
    ) -> Result<(Rekeyed, Option<VaultError>), VaultError> {
        if !self.header.has(SlotKind::Password) {
            return Err(VaultError::LastSlot);
        }
        let removed: Vec<String> = self
            .header
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Keyring)
            .map(|s| slot_entry_user(&self.header.vault_id, &s.id))
            .collect();
        let rekeyed = self.rotate(Plan {
            new_password: None,
            keyring: None,
            drop_unreachable_keyring: false,
            add_recovery: false,
        })?;
        let mut cleanup = None;
        for name in removed.iter().chain([&entry_user(&self.header.vault_id)]) {
            if let Err(e) = store.delete(name) {
                cleanup.get_or_insert(e);
            }
        }
        Ok((rekeyed, cleanup))
    }

    /// Adds a keyring slot with a new key, replacing this keyring's slots
    /// (other computers' keyring slots stay: each computer has its own).
    /// The vault is saved first and the key stored in `store` (under the
    /// new slot's own name) after the save succeeds; if the keyring then
    /// refuses it, the previous keyring slot is put back. Entries of
    /// replaced slots are left in the keyring: a copy of this vault may
    /// still use them.
    pub fn enable_keyring(&mut self, store: &dyn KeyStore) -> Result<(), VaultError> {
        let kek = random_key()?;
        // This keyring's slots: those whose key it holds (or cannot say).
        let previous: Vec<format::Slot> = self
            .header
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Keyring)
            .filter(|s| {
                !matches!(
                    keyring_kek(store, &self.header.vault_id, s, self.path()),
                    Err(VaultError::KeyringNoEntry)
                )
            })
            .cloned()
            .collect();
        let replaced: Vec<String> = previous.iter().map(|s| s.id.clone()).collect();
        let new_id = self.commit(|state| {
            state.header.slots.retain(|s| !replaced.contains(&s.id));
            let slot = format::wrap(
                &state.header.vault_id,
                SlotKind::Keyring,
                None,
                &kek,
                &state.dek,
            )?;
            let id = slot.id.clone();
            state.header.slots.insert(0, slot);
            Ok(id)
        })?;
        let name = slot_entry_user(&self.header.vault_id, &new_id);
        if let Err(e) = store.set(&name, &kek, &item_label(self.path())) {
            let _ = self.commit(|state| {
                state.header.slots.retain(|s| s.id != new_id);
                for (at, slot) in previous.into_iter().enumerate() {
                    state.header.slots.insert(at, slot);
                }
                Ok(())
            });
            return Err(e);
        }
        Ok(())
    }

    /// Whether the password slot's Argon2id parameters are below the
    /// creation floor (see [`Vault::upgrade_password_slot`]).
    pub fn password_slot_below_floor(&self) -> bool {
        self.header
            .slot(SlotKind::Password)
            .and_then(|s| s.kdf.as_ref())
            .is_some_and(KdfParams::below_floor)
    }

    /// Rewraps the data key under `password` with parameters chosen by
    /// `policy` and a new salt (the payload is untouched). Call after the
    /// password has just unlocked the vault: the OWASP "upgrade the work
    /// factor" step for vaults made with weaker parameters.
    pub fn upgrade_password_slot(
        &mut self,
        password: &str,
        policy: KdfPolicy,
    ) -> Result<(), VaultError> {
        let (params, kek) = policy.derive_new(password.as_bytes())?;
        let new_kek = kek.clone();
        let new_id = self.commit(|state| {
            let at = state
                .header
                .slots
                .iter()
                .position(|s| s.kind == SlotKind::Password)
                .ok_or(VaultError::NoSuchSlot("password"))?;
            // The password must still open the slot being replaced.
            let old = &state.header.slots[at];
            let old_kek = old
                .kdf
                .as_ref()
                .ok_or(VaultError::Corrupt("bad key slot"))?
                .derive(password.as_bytes())?;
            format::unwrap(&state.header.vault_id, old, &old_kek)
                .ok_or(VaultError::WrongPassword)?;
            let slot = format::wrap(
                &state.header.vault_id,
                SlotKind::Password,
                Some(params),
                &kek,
                &state.dek,
            )?;
            let id = slot.id.clone();
            state.header.slots[at] = slot;
            Ok(id)
        })?;
        self.password_kek = Some((new_id, new_kek));
        Ok(())
    }

    /// Rewraps the stale keyring slots whose key `store` holds (this
    /// computer's, left behind by a rotation on another computer) with the
    /// current data key. Call after the password or recovery key opened
    /// the vault. Returns whether a slot was re-enrolled.
    pub fn reenrol_keyring(&mut self, store: &dyn KeyStore) -> Result<bool, VaultError> {
        if self.newer.is_some() {
            return Ok(false);
        }
        let mut ours = HashMap::new();
        for slot in self.header.slots.iter().filter(|s| s.stale) {
            if let Ok(kek) = keyring_kek(store, &self.header.vault_id, slot, self.path()) {
                ours.insert(slot.id.clone(), kek);
            }
        }
        if ours.is_empty() {
            return Ok(false);
        }
        self.commit(|state| {
            let id = state.header.vault_id.clone();
            for slot in &mut state.header.slots {
                if let Some(kek) = ours.get(&slot.id).filter(|_| slot.stale) {
                    *slot = format::rewrap(&id, slot, kek, &state.dek)?;
                }
            }
            Ok(true)
        })
    }
}
