//! The rules the locked screen applies today, kept apart from the screen:
//! each function here is to become a call of the core's session API
//! (open with a credential, the new-password rule, create a vault).

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::vault::{
    KdfPolicy, NewVault, OsKeyring, SlotKind, Unlock as Key, Vault, looks_like_recovery_key,
};

use super::super::task::{SharedVault, sentence};

/// Shortest password accepted for a new vault (and a new backup).
pub const MIN_PASSWORD: usize = 8;

/// The new-password rule: at least [`MIN_PASSWORD`] characters, typed the
/// same twice. `None` when the password is acceptable.
pub fn new_password_problem(password: &str, confirm: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Some(tr!("unlock.min_password", n = MIN_PASSWORD));
    }
    if password != confirm {
        return Some(tr!("unlock.passwords_differ"));
    }
    None
}

/// What the first look at the vault found.
#[derive(Debug, Clone)]
pub enum Inspected {
    Missing {
        keyring: bool,
    },
    Locked {
        slots: Vec<SlotKind>,
        note: Option<String>,
    },
    Opened(SharedVault),
    Failed(String),
}

/// Reads the vault header and, if the vault has a keyring slot, tries it.
pub fn inspect(path: &Path) -> Inspected {
    match Vault::inspect(path) {
        Err(crate::vault::VaultError::NotFound(_)) => Inspected::Missing {
            keyring: OsKeyring::default().available().is_ok(),
        },
        Err(e) => Inspected::Failed(e.to_string()),
        Ok(info) => {
            if info.slots.contains(&SlotKind::Keyring) {
                let keyring = OsKeyring::default();
                match Vault::open(path, Key::Keyring(&keyring)) {
                    Ok(vault) => return Inspected::Opened(Arc::new(Mutex::new(vault))),
                    Err(e) => {
                        return Inspected::Locked {
                            slots: info.slots,
                            note: Some(tr!("unlock.keyring_failed", error = e)),
                        };
                    }
                }
            }
            Inspected::Locked {
                slots: info.slots,
                note: None,
            }
        }
    }
}

/// Creates the vault (keyring and/or password, with a recovery key) and
/// returns it unlocked, with the recovery key to show once.
pub fn create(
    path: &Path,
    keyring: bool,
    password: &str,
) -> Result<(SharedVault, Option<String>), String> {
    let store = OsKeyring::default();
    let new = NewVault {
        keyring: keyring.then_some(&store as &dyn crate::vault::KeyStore),
        password: (!password.is_empty()).then_some(password),
        recovery: true,
        policy: KdfPolicy::from_env(),
    };
    let (vault, key) = Vault::create(path, new).map_err(|e| e.to_string())?;
    Ok((
        Arc::new(Mutex::new(vault)),
        key.map(|k| k.expose().to_string()),
    ))
}

/// Opens the vault with what was typed: a recovery key or a password.
pub fn open(path: &Path, secret: &str) -> Result<SharedVault, String> {
    let attempt = if looks_like_recovery_key(secret) {
        Vault::open(path, Key::Recovery(secret))
    } else {
        Vault::open(path, Key::Password(secret))
    };
    attempt
        .map(|v| Arc::new(Mutex::new(v)))
        .map_err(|e| match e {
            crate::vault::VaultError::WrongPassword => {
                tr!("unlock.wrong_password")
            }
            other => sentence(other.to_string()),
        })
}
