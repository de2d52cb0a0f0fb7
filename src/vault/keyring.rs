//! The OS keyring slot: a random key-encryption key stored in the platform
//! credential store (Secret Service, macOS Keychain, Windows Credential
//! Manager) under the service [`crate::APP_ID`] and the user
//! `vault-<vault id>-<slot id>` ([`slot_entry_user`]): one entry per slot,
//! so a copy of the vault that gets a new keyring slot never replaces the
//! key of the original. Vaults made before kept it under `vault-<vault id>`
//! ([`entry_user`]); that entry is still read, and copied to the slot's
//! name on the first unlock. Every call runs in a helper thread and is given up
//! after a timeout, so a keyring that waits for an unlock prompt never
//! blocks Tessera.
//!
//! What people see in Seahorse or KWallet: the Secret Service item is
//! labelled [`item_label`] ("Tessera vault (vault.tessera)") and carries
//! the standard `xdg:schema` attribute ([`SCHEMA`]) beside the `service`
//! and `username` attributes it is found by. Items written before keep
//! their old label until the keyring slot is renewed (`tessera keyring
//! disable`, then `enable`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use zeroize::Zeroizing;

use super::crypto::{KEY_LEN, Key};
use super::error::VaultError;

/// Where keyring slot keys live. [`OsKeyring`] in the app; tests may use
/// [`MemoryKeyStore`].
/// `name` is the entry's user name ([`slot_entry_user`], [`entry_user`]).
pub trait KeyStore: Send + Sync {
    /// The key stored under `name`; [`VaultError::KeyringNoEntry`] if
    /// there is none, another error if the store is unreachable.
    fn get(&self, name: &str) -> Result<Key, VaultError>;
    /// Stores (or replaces) the key under `name`; a new item is shown as
    /// `label` ([`item_label`]) where the store has labels.
    fn set(&self, name: &str, key: &Key, label: &str) -> Result<(), VaultError>;
    /// Deletes the key under `name` (absent is not an error).
    fn delete(&self, name: &str) -> Result<(), VaultError>;
    /// Whether the store answers at all (checked before a vault is
    /// created with a keyring slot); always for in-memory stores.
    fn available(&self) -> Result<(), VaultError> {
        Ok(())
    }
}

/// The keyring entry user name of a vault before entries were per slot
/// (read, never written).
pub fn entry_user(vault_id: &str) -> String {
    format!("vault-{vault_id}")
}

/// The keyring entry user name of one keyring slot of a vault.
pub fn slot_entry_user(vault_id: &str, slot_id: &str) -> String {
    format!("vault-{vault_id}-{slot_id}")
}

/// The `xdg:schema` attribute of Tessera's Secret Service items (the
/// attribute libsecret and Seahorse group items by).
pub const SCHEMA: &str = "io.github.tessera.Tessera.VaultKey";

/// The label keyring managers show for the key of the vault at `path`:
/// "Tessera vault (vault.tessera)", the file's name only.
pub fn item_label(path: &Path) -> String {
    match path.file_name() {
        Some(name) => format!("Tessera vault ({})", name.to_string_lossy()),
        None => String::from("Tessera vault"),
    }
}

/// The platform keyring (keyring 4, `v1` stores), with a timeout per call.
pub struct OsKeyring {
    timeout: Duration,
    cache: Mutex<HashMap<String, Key>>,
}

impl OsKeyring {
    /// Default timeout of one keyring call.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a native credential store could be initialised (within
    /// the timeout), with the reason when not.
    pub fn available(&self) -> Result<(), VaultError> {
        self.call(|| match keyring::Entry::store_status() {
            Ok(()) => Ok(()),
            Err(e) => Err(describe(e)),
        })
    }

    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name(String::from("tessera-keyring"))
            .spawn(move || {
                let _ = tx.send(f());
            })
            .map_err(|e| VaultError::Keyring(format!("cannot start a thread: {e}")))?;
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            // The thread is left behind; it ends with the process.
            Err(_) => Err(VaultError::KeyringTimeout(self.timeout.as_secs())),
        }
    }
}

impl Default for OsKeyring {
    fn default() -> Self {
        Self::new(Self::DEFAULT_TIMEOUT)
    }
}

fn describe(e: &keyring::Error) -> VaultError {
    // Only the variants' own words: never the raw bytes some variants carry.
    VaultError::Keyring(match e {
        keyring::Error::NoEntry => return VaultError::KeyringNoEntry,
        keyring::Error::NoStorageAccess(inner) => {
            format!("the keyring is locked or refused access ({inner})")
        }
        keyring::Error::PlatformFailure(inner) => format!("the keyring failed ({inner})"),
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(keyring::Error::PlatformFailure(inner)) => {
                format!("no keyring service is available ({inner})")
            }
            _ => String::from("no keyring service is available"),
        },
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
            String::from("the keyring entry has an unexpected format")
        }
        other => match other {
            keyring::Error::Invalid(what, why) => format!("invalid {what}: {why}"),
            _ => String::from("unexpected keyring error"),
        },
    })
}

fn entry(name: &str) -> Result<keyring::Entry, VaultError> {
    keyring::Entry::new(crate::APP_ID, name).map_err(|e| describe(&e))
}

/// Whether the platform store is the Secret Service (as keyring 4 picks
/// it), whose items have labels and free attributes.
const SECRET_SERVICE: bool = cfg!(all(
    unix,
    not(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "android"
    ))
));

/// An entry that creates its item with `label` (Secret Service; other
/// stores name items by service and user only).
fn labelled_entry(name: &str, label: &str) -> Result<keyring_core::Entry, VaultError> {
    // The platform store is set up by keyring's first use.
    if let Err(e) = keyring::Entry::store_status() {
        return Err(describe(e));
    }
    let made = if SECRET_SERVICE {
        keyring_core::Entry::new_with_modifiers(
            crate::APP_ID,
            name,
            &HashMap::from([("label", label)]),
        )
    } else {
        keyring_core::Entry::new(crate::APP_ID, name)
    };
    made.map_err(|e| describe(&e))
}

impl KeyStore for OsKeyring {
    fn available(&self) -> Result<(), VaultError> {
        OsKeyring::available(self)
    }

    fn get(&self, vault_id: &str) -> Result<Key, VaultError> {
        if let Ok(cache) = self.cache.lock()
            && let Some(k) = cache.get(vault_id)
        {
            return Ok(k.clone());
        }
        let id = vault_id.to_string();
        let key = self.call(move || {
            let secret = Zeroizing::new(entry(&id)?.get_secret().map_err(|e| describe(&e))?);
            if secret.len() != KEY_LEN {
                return Err(VaultError::Keyring(String::from(
                    "the keyring entry has an unexpected format",
                )));
            }
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            key.copy_from_slice(&secret);
            Ok(key)
        })?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(vault_id.to_string(), key.clone());
        }
        Ok(key)
    }

    fn set(&self, vault_id: &str, key: &Key, label: &str) -> Result<(), VaultError> {
        let id = vault_id.to_string();
        let value = key.clone();
        let label = label.to_string();
        self.call(move || {
            let e = labelled_entry(&id, &label)?;
            e.set_secret(value.as_ref()).map_err(|e| describe(&e))?;
            if SECRET_SERVICE {
                // Best effort: the key is stored either way.
                if let Err(err) = e.update_attributes(&HashMap::from([("xdg:schema", SCHEMA)])) {
                    log::warn!(
                        "keyring: the item's xdg:schema was not set: {}",
                        describe(&err)
                    );
                }
            }
            // Read it back: a store that accepts and forgets is no store.
            let back = Zeroizing::new(e.get_secret().map_err(|e| describe(&e))?);
            if back.as_slice() != value.as_ref() {
                return Err(VaultError::Keyring(String::from(
                    "the keyring did not keep the key",
                )));
            }
            Ok(())
        })?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(vault_id.to_string(), key.clone());
        }
        Ok(())
    }

    fn delete(&self, vault_id: &str) -> Result<(), VaultError> {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(vault_id);
        }
        let id = vault_id.to_string();
        self.call(move || match entry(&id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(&e)),
        })
    }
}

/// An in-process key store, for tests and for front ends that want none.
#[derive(Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, Key>>,
    labels: Mutex<HashMap<String, String>>,
}

impl MemoryKeyStore {
    /// The label the key under `name` was stored with.
    pub fn label(&self, name: &str) -> Option<String> {
        self.labels.lock().ok()?.get(name).cloned()
    }
}

impl KeyStore for MemoryKeyStore {
    fn get(&self, vault_id: &str) -> Result<Key, VaultError> {
        self.keys
            .lock()
            .ok()
            .and_then(|k| k.get(vault_id).cloned())
            .ok_or(VaultError::KeyringNoEntry)
    }

    fn set(&self, vault_id: &str, key: &Key, label: &str) -> Result<(), VaultError> {
        if let Ok(mut k) = self.keys.lock() {
            k.insert(vault_id.to_string(), key.clone());
        }
        if let Ok(mut l) = self.labels.lock() {
            l.insert(vault_id.to_string(), label.to_string());
        }
        Ok(())
    }

    fn delete(&self, vault_id: &str) -> Result<(), VaultError> {
        if let Ok(mut k) = self.keys.lock() {
            k.remove(vault_id);
        }
        if let Ok(mut l) = self.labels.lock() {
            l.remove(vault_id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The call returns while the keyring call still hangs: the hanging
    /// call is released only after `call` has returned, and then reports
    /// that it was still running (no clock compared).
    #[test]
    fn a_hanging_keyring_call_is_given_up() {
        let store = OsKeyring::new(Duration::from_millis(200));
        let (release, released) = std::sync::mpsc::channel::<()>();
        let (done, finished) = std::sync::mpsc::channel::<bool>();
        let result = store.call(move || {
            // Waits for the test (bounded, so a broken `call` fails
            // instead of hanging the suite).
            let was_released = released.recv_timeout(Duration::from_secs(30)).is_ok();
            let _ = done.send(was_released);
            Ok(())
        });
        assert!(matches!(result, Err(VaultError::KeyringTimeout(_))));
        release.send(()).unwrap();
        assert!(
            finished.recv_timeout(Duration::from_secs(30)).unwrap(),
            "the keyring call had already ended when `call` returned"
        );
    }

    #[test]
    fn the_label_names_the_vault_file() {
        assert_eq!(
            item_label(Path::new("/home/me/.local/share/tessera/vault.tessera")),
            "Tessera vault (vault.tessera)"
        );
        assert_eq!(item_label(Path::new("/")), "Tessera vault");
    }

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryKeyStore::default();
        let key = Zeroizing::new([3u8; KEY_LEN]);
        assert!(store.get("v").is_err());
        store.set("v", &key, "Tessera vault (v)").unwrap();
        assert_eq!(store.get("v").unwrap(), key);
        assert_eq!(store.label("v").as_deref(), Some("Tessera vault (v)"));
        store.delete("v").unwrap();
        assert!(store.get("v").is_err());
    }
}
