//! Helpers shared by the screens: blocking work off the window's thread,
//! the shared handle of the unlocked vault, errors as sentences, the clock.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::vault::{Entry, Vault};

/// A shared, unlocked vault (moved into tasks for file work).
pub type SharedVault = Arc<Mutex<Vault>>;

/// Runs blocking work (key derivation, keyring, file I/O) on a thread and
/// resolves when it is done, so `update` never blocks the window.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = iced::futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    match rx.await {
        Ok(value) => value,
        // The worker panicked: nothing sensible to return but to stop.
        Err(_) => std::process::abort(),
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
pub(crate) fn snapshot(vault: &SharedVault) -> Vec<Entry> {
    vault
        .lock()
        .map(|v| v.entries().to_vec())
        .unwrap_or_default()
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
