//! Copying codes: the note that names what was copied, the clipboard
//! write in a task, and HOTP use (the counter saved before the code is
//! copied).

use iced::Task;

use crate::account::OtpKind;

use super::super::clipboard;
use super::super::task::blocking;
use super::keys::row_label;
use super::{Message, REVEAL_SECS, Unlocked, core_calls};

impl Unlocked {
    /// Copies a value that `what` names ("Next code copied").
    pub(super) fn copy(&mut self, value: String, what: &str, now: u64) -> Task<Message> {
        let clear = self.settings.clipboard_clear_secs;
        let note = if clear > 0 {
            tr!("codes.copied_cleared", what = what, secs = clear)
        } else {
            tr!("codes.copied", what = what)
        };
        self.copy_with_note(value, note, now)
    }

    /// Copies an account's code; the note names the account ("Copied JD
    /// Cloud · root"), so a copy by Enter says which row it took.
    pub(super) fn copy_account(&mut self, value: String, account: &str, now: u64) -> Task<Message> {
        let clear = self.settings.clipboard_clear_secs;
        let note = if clear > 0 {
            tr!("codes.copied_account_cleared", name = account, secs = clear)
        } else {
            tr!("codes.copied_account", name = account)
        };
        self.copy_with_note(value, note, now)
    }

    fn copy_with_note(&mut self, value: String, note: String, now: u64) -> Task<Message> {
        self.toast = Some((note, now));
        let secret = zeroize::Zeroizing::new(value.clone());
        self.copied = Some((value, now));
        Task::perform(
            blocking(move || clipboard::write_secret(&secret)),
            Message::ClipboardWritten,
        )
    }

    /// Copies a code (list, tray) with the rules of every copy.
    pub(in crate::gui) fn copy_code(&mut self, id: &str, now: u64) -> Task<Message> {
        self.recent.retain(|r| r != id);
        self.recent.insert(0, id.to_string());
        self.recent.truncate(crate::gui::tray::MAX_ACCOUNTS);
        match self.entries.iter().find(|e| e.id == id) {
            Some(e) if !matches!(e.account.kind, OtpKind::Hotp { .. }) => {
                let code = e.account.code_at(now);
                let label = row_label(&e.account);
                self.list.reveal(id, now + REVEAL_SECS);
                self.copy_account(code, &label, now)
            }
            // HOTP: copying uses the code, so advance (and save) first.
            Some(_) => self.use_hotp(id.to_string(), now),
            None => Task::none(),
        }
    }

    pub(super) fn use_hotp(&mut self, id: String, now: u64) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        self.busy = true;
        let vault = self.vault.clone();
        let used = id.clone();
        Task::perform(
            blocking(move || core_calls::use_hotp(&vault, &id, now)),
            move |result| Message::HotpUsed(used.clone(), result),
        )
    }
}
