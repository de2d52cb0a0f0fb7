//! Key slot operations of an unlocked vault: change the password (and
//! rotate the data key), upgrade weak Argon2id parameters, keyring slot on
//! and off, renew the recovery key. Each goes through [`Vault::commit`].

use super::crypto::random_key;
use super::error::VaultError;
use super::format::{self, SlotKind};
use super::kdf::{KdfParams, KdfPolicy};
use super::keyring::KeyStore;
use super::recovery::RecoveryKey;
use super::{Rekeyed, Vault};

impl Vault {
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
        let (params, pkek) = policy.derive_new(new_password.as_bytes())?;
        let keyring_kek = if self.header.has(SlotKind::Keyring) {
            Some(match keyring {
                Some(store) => store.get(&self.header.vault_id),
                None => Err(VaultError::Keyring(String::from("not used"))),
            })
        } else {
            None
        };
        self.commit(move |state| {
            let id = state.header.vault_id.clone();
            let dek = random_key()?;
            let mut slots = Vec::new();
            let mut keyring_dropped = None;
            match keyring_kek {
                Some(Ok(kek)) => {
                    slots.push(format::wrap(&id, SlotKind::Keyring, None, &kek, &dek)?)
                }
                Some(Err(e)) => keyring_dropped = Some(e),
                None => {}
            }
            slots.push(format::wrap(
                &id,
                SlotKind::Password,
                Some(params),
                &pkek,
                &dek,
            )?);
            let mut recovery = None;
            if state.header.has(SlotKind::Recovery) {
                let (key, kek) = RecoveryKey::generate()?;
                slots.push(format::wrap(&id, SlotKind::Recovery, None, &kek, &dek)?);
                recovery = Some(key);
            }
            state.header.slots = slots;
            state.dek = dek;
            Ok(Rekeyed {
                recovery,
                keyring_dropped,
            })
        })
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
        self.commit(|state| {
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
            state.header.slots[at] = format::wrap(
                &state.header.vault_id,
                SlotKind::Password,
                Some(params),
                &kek,
                &state.dek,
            )?;
            Ok(())
        })
    }

    /// Adds (or replaces) the keyring slot with a new key stored in `store`.
    pub fn enable_keyring(&mut self, store: &dyn KeyStore) -> Result<(), VaultError> {
        let kek = random_key()?;
        store.set(&self.header.vault_id, &kek)?;
        self.commit(|state| {
            state.header.slots.retain(|s| s.kind != SlotKind::Keyring);
            let slot = format::wrap(
                &state.header.vault_id,
                SlotKind::Keyring,
                None,
                &kek,
                &state.dek,
            )?;
            state.header.slots.insert(0, slot);
            Ok(())
        })
    }

    /// Removes the keyring slot, then its key from `store`. Refused when
    /// no password slot would remain (a recovery key alone is not a daily
    /// way to unlock). Returns why the key could not be deleted from the
    /// keyring, if so (the slot is gone either way).
    pub fn disable_keyring(
        &mut self,
        store: &dyn KeyStore,
    ) -> Result<Option<VaultError>, VaultError> {
        self.commit(|state| {
            if !state.header.has(SlotKind::Password) {
                return Err(VaultError::LastSlot);
            }
            state.header.slots.retain(|s| s.kind != SlotKind::Keyring);
            Ok(())
        })?;
        Ok(store.delete(&self.header.vault_id).err())
    }

    /// Replaces the recovery slot with a new recovery key (the old key no
    /// longer opens this file; older backups keep their own slots).
    pub fn renew_recovery(&mut self) -> Result<RecoveryKey, VaultError> {
        self.commit(|state| {
            let (key, kek) = RecoveryKey::generate()?;
            state.header.slots.retain(|s| s.kind != SlotKind::Recovery);
            let slot = format::wrap(
                &state.header.vault_id,
                SlotKind::Recovery,
                None,
                &kek,
                &state.dek,
            )?;
            state.header.slots.push(slot);
            Ok(key)
        })
    }
}
