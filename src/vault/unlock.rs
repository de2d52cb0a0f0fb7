//! Unlocking a vault file's bytes with one credential, and finding the
//! key of a keyring slot (its own entry, or the entry named before slots
//! had their own, migrated on the way).

use std::path::Path;

use super::crypto::Key;
use super::error::VaultError;
use super::format::{self, Header, Slot, SlotKind};
use super::keyring::{KeyStore, entry_user, item_label, slot_entry_user};
use super::payload::{self, Payload};
use super::recovery::parse_recovery;

/// A way to unlock a vault.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    Keyring(&'a dyn KeyStore),
    Password(&'a str),
    Recovery(&'a str),
}

/// What a credential opened.
pub(super) struct Unlocked {
    pub header: Header,
    pub dek: Key,
    pub data: Payload,
    /// See [`format::Parsed::newer`].
    pub newer: Option<String>,
    /// The password slot's id and key-encryption key, when the password
    /// opened it (kept to rewrap that slot when the data key rotates).
    pub password_kek: Option<(String, Key)>,
}

/// The key-encryption key of the keyring slot `slot`, checked against it.
/// Looks under the slot's own entry name, then under the vault's old
/// name; a key found there is copied to the slot's name (best effort; the
/// old entry stays for older builds and copies of the vault; the copy is
/// labelled for the vault at `path`).
pub(super) fn keyring_kek(
    store: &dyn KeyStore,
    vault_id: &str,
    slot: &Slot,
    path: &Path,
) -> Result<Key, VaultError> {
    let own = slot_entry_user(vault_id, &slot.id);
    let (kek, migrate) = match store.get(&own) {
        Ok(kek) => (kek, false),
        Err(VaultError::KeyringNoEntry) => (store.get(&entry_user(vault_id))?, true),
        Err(e) => return Err(e),
    };
    format::unwrap(vault_id, slot, &kek).ok_or(VaultError::WrongKeyringKey)?;
    if migrate {
        let _ = store.set(&own, &kek, &item_label(path));
    }
    Ok(kek)
}

/// The data key the keyring opens (any keyring slot), else the first
/// error. A stale slot (its data key changed on another computer, see
/// [`Slot::stale`]) opens nothing: when this keyring holds its key, the
/// error is [`VaultError::KeyringStale`] (unlock with the password once).
fn keyring_dek(store: &dyn KeyStore, header: &Header, path: &Path) -> Result<Key, VaultError> {
    let mut first = None;
    let live = header
        .slots
        .iter()
        .filter(|s| s.kind == SlotKind::Keyring && !s.stale);
    for slot in live {
        match keyring_kek(store, &header.vault_id, slot, path) {
            Ok(kek) => {
                return format::unwrap(&header.vault_id, slot, &kek)
                    .ok_or(VaultError::WrongKeyringKey);
            }
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    let stale_but_ours = header
        .slots
        .iter()
        .filter(|s| s.kind == SlotKind::Keyring && s.stale)
        .any(|slot| keyring_kek(store, &header.vault_id, slot, path).is_ok());
    if stale_but_ours {
        return Err(VaultError::KeyringStale);
    }
    Err(first.unwrap_or(VaultError::NoSuchSlot("keyring")))
}

pub(super) fn unlock_bytes(
    bytes: &[u8],
    path: &Path,
    unlock: Unlock<'_>,
) -> Result<Unlocked, VaultError> {
    let parsed = format::parse(bytes, path)?;
    let header = &parsed.header;
    let id = &header.vault_id;
    let mut password_kek = None;
    let dek = match unlock {
        Unlock::Keyring(store) => keyring_dek(store, header, path)?,
        Unlock::Password(password) => {
            let slot = header
                .slot(SlotKind::Password)
                .ok_or(VaultError::NoSuchSlot("password"))?;
            let kdf = slot
                .kdf
                .as_ref()
                .ok_or(VaultError::Corrupt("bad key slot"))?;
            let kek = kdf.derive(password.as_bytes())?;
            let dek = format::unwrap(id, slot, &kek).ok_or(VaultError::WrongPassword)?;
            password_kek = Some((slot.id.clone(), kek));
            dek
        }
        Unlock::Recovery(text) => {
            let slot = header
                .slot(SlotKind::Recovery)
                .ok_or(VaultError::NoSuchSlot("recovery"))?;
            let kek = parse_recovery(text)?;
            format::unwrap(id, slot, &kek).ok_or(VaultError::WrongRecoveryKey)?
        }
    };
    let plain = format::open_payload(&parsed, &dek)?;
    let data = payload::decode(&plain)?;
    Ok(Unlocked {
        header: parsed.header,
        dek,
        data,
        newer: parsed.newer,
        password_kek,
    })
}
