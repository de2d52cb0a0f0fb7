//! The session calls of the locked screen: opening, creating and the
//! new-password rule all live in the core ([`crate::session`]); this module
//! only runs them and turns their results into the screen's words.

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::session::{self, Keys, NewSession, Session, SessionError};
use crate::vault::{SlotKind, VaultError};

use super::super::task::{SharedSession, password_words, sentence};

/// The core's new-password rule in the screen's words, plus the screen's
/// own check that it was typed the same twice. `None` when acceptable.
pub fn new_password_problem(password: &str, confirm: &str) -> Option<String> {
    if let Err(e) = session::check_new_password(password) {
        return Some(password_words(&e));
    }
    (password != confirm).then(|| tr!("unlock.passwords_differ"))
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
    /// A keyring vault just locked: it waits for the person's Unlock (the
    /// keyring would open it again at once).
    KeyringWaits,
    Opened(SharedSession),
    /// The file (or what the keyring opened) is damaged: offer the backups.
    Damaged(String),
    Failed(String),
}

/// Why opening with a typed credential failed.
#[derive(Debug, Clone)]
pub enum OpenFailure {
    /// Wrong password, a keyring error...: said on the unlock screen.
    Refused(String),
    /// The file is damaged: the backups are offered.
    Damaged(String),
}

impl OpenFailure {
    pub fn message(self) -> String {
        match self {
            Self::Refused(m) | Self::Damaged(m) => m,
        }
    }
}

impl<T> super::super::task::Fallible for Result<T, OpenFailure> {
    fn failed(reason: String) -> Self {
        Err(OpenFailure::Refused(reason))
    }
}

impl super::super::task::Fallible for Inspected {
    fn failed(reason: String) -> Self {
        Self::Failed(reason)
    }
}

fn shared(session: Session) -> SharedSession {
    Arc::new(Mutex::new(session))
}

/// Reads the vault header and, if the vault has a keyring slot, opens it
/// with the keyring (unless `ask_keyring` is false: then the screen waits).
pub fn inspect(path: &Path, keys: Keys, ask_keyring: bool) -> Inspected {
    match Session::inspect(path) {
        Err(SessionError::NoVault(_)) => Inspected::Missing {
            keyring: keys.keyring.available().is_ok(),
        },
        Err(e @ SessionError::Damaged { .. }) => Inspected::Damaged(sentence(e.to_string())),
        Err(e) => Inspected::Failed(sentence(e.to_string())),
        Ok(info) => {
            let note = if info.slots.contains(&SlotKind::Keyring) {
                if !ask_keyring {
                    return Inspected::KeyringWaits;
                }
                match Session::open(path, None, keys) {
                    Ok(session) => return Inspected::Opened(shared(session)),
                    Err(e @ SessionError::Damaged { .. }) => {
                        return Inspected::Damaged(sentence(e.to_string()));
                    }
                    Err(e) => Some(tr!("unlock.keyring_failed", error = e)),
                }
            } else {
                None
            };
            Inspected::Locked {
                slots: info.slots,
                note,
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
    keys: Keys,
) -> Result<(SharedSession, Option<String>), String> {
    let new = NewSession {
        keyring,
        password: (!password.is_empty()).then_some(password),
    };
    match Session::create(path, new, keys) {
        Ok((session, key)) => Ok((shared(session), key.map(|k| k.expose().to_string()))),
        // The password rule in the screen's words; anything else as a sentence.
        Err(e) => Err(password_words(&e)),
    }
}

/// Opens the vault with what was typed (the password or the recovery key:
/// the core tries what the text can be, and raises weak key-derivation
/// parameters after a password unlock).
pub fn open(path: &Path, typed: &str, keys: Keys) -> Result<SharedSession, OpenFailure> {
    match Session::open(path, Some(typed), keys) {
        Ok(session) => Ok(shared(session)),
        Err(SessionError::Vault(VaultError::WrongPassword)) => {
            Err(OpenFailure::Refused(tr!("unlock.wrong_password")))
        }
        Err(e @ SessionError::Damaged { .. }) => Err(OpenFailure::Damaged(sentence(e.to_string()))),
        Err(e) => Err(OpenFailure::Refused(sentence(e.to_string()))),
    }
}
