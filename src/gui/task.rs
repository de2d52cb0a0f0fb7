//! Helpers shared by the screens: blocking work off the window's thread,
//! the shared handle of the unlocked vault, errors as sentences, the clock.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::session::Session;
use crate::vault::Entry;

/// The shared, unlocked vault: the core's session, moved into tasks for
/// file work (every change goes through it).
pub type SharedSession = Arc<Mutex<Session>>;

/// Runs blocking work (key derivation, keyring, file I/O) on a thread and
/// resolves when it is done, so `update` never blocks the window. A worker
/// that panics (a bug) becomes the result's own failure, with a message,
/// instead of taking the app down.
pub(crate) async fn blocking<T: Fallible + Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = iced::futures::channel::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name(String::from("tessera-worker"))
        .spawn(move || {
            let _ = tx.send(work());
        });
    if spawned.is_err() {
        return T::failed(tr!("error.worker"));
    }
    match rx.await {
        Ok(value) => value,
        // The worker panicked before sending (its sender was dropped).
        Err(_) => T::failed(tr!("error.worker")),
    }
}

/// A result that can say "the work failed" (see [`blocking`]).
pub(crate) trait Fallible {
    fn failed(reason: String) -> Self;
}

impl<T> Fallible for Result<T, String> {
    fn failed(reason: String) -> Self {
        Err(reason)
    }
}

impl Fallible for bool {
    /// `clear_if_unchanged`: nothing was cleared.
    fn failed(_: String) -> Self {
        false
    }
}

impl Fallible for crate::import::Report {
    fn failed(reason: String) -> Self {
        Self::failed(crate::ImportError::UnreadableFile(reason))
    }
}

/// An error message as a sentence: capital first letter, final full stop.
pub(crate) fn sentence(message: String) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return message,
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The wall clock in Unix seconds (read here, passed to the screens).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The error shown when an earlier task panicked while holding the vault.
pub(crate) fn poisoned() -> String {
    tr!("codes.poisoned")
}

/// The vault's entries as they are now (the list shows this snapshot).
pub(crate) fn snapshot(vault: &SharedSession) -> Vec<Entry> {
    vault
        .lock()
        .map(|v| v.entries().to_vec())
        .unwrap_or_default()
}

/// The new-password rule's refusal in the screens' words (the rule itself
/// is the core's [`crate::session::check_new_password`]).
pub(crate) fn password_words(e: &crate::session::SessionError) -> String {
    use crate::session::SessionError;
    match e {
        SessionError::ShortPassword { .. } | SessionError::EmptyPassword => {
            tr_n!("unlock.min_password", crate::session::MIN_PASSWORD_CHARS)
        }
        other => sentence(other.to_string()),
    }
}

/// Sessions for the GUI's tests: a fresh vault with a password, fast key
/// derivation and an in-memory keyring, in a temporary folder.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::{Arc, Mutex};

    use crate::session::{Keys, NewSession, Session};
    use crate::vault::{KdfPolicy, MemoryKeyStore};

    use super::SharedSession;

    pub const PASSWORD: &str = "a long password";

    pub fn keys() -> Keys {
        Keys {
            keyring: Arc::new(MemoryKeyStore::default()),
            policy: KdfPolicy::Fixed {
                m_kib: 1024,
                t: 1,
                p: 1,
            },
        }
    }

    /// A new vault `v.tessera` in a new temporary folder (removed when the
    /// returned guard drops).
    pub fn session() -> (SharedSession, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let new = NewSession {
            keyring: false,
            password: Some(PASSWORD),
        };
        let (session, _) =
            Session::create(&dir.path().join("v.tessera"), new, keys()).expect("vault");
        (Arc::new(Mutex::new(session)), dir)
    }

    /// The vault file of `dir`, opened again from disk.
    pub fn reopen(dir: &tempfile::TempDir) -> Session {
        Session::open(&dir.path().join("v.tessera"), Some(PASSWORD), keys()).expect("open")
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn sentences() {
        assert_eq!(sentence(String::from("wrong password")), "Wrong password.");
        assert_eq!(sentence(String::from("ok!")), "Ok!");
        assert_eq!(sentence(String::new()), "");
    }
}
