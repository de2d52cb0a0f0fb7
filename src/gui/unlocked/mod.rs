//! The unlocked app: holds the vault handle, the entries snapshot, the
//! toast, the copied code (cleared later), the file dialogs and the
//! sources (file, drop, clipboard, screen), and routes messages to the
//! screens: [`list`], [`add`], [`import`], [`export`], [`settings`] and
//! [`account`]. Every vault change runs in a task (the rules applied are
//! in [`core_calls`]); the list shows a snapshot of the entries.

mod account;
mod add;
mod copying;
mod core_calls;
mod export;
mod glyphs;
mod import;
pub mod keys;
mod list;
mod page;
mod security;
mod settings;
mod sources;
mod watch;

use std::path::PathBuf;

use iced::Task;

use crate::import::Report;
use crate::settings::Settings;
use crate::vault::Entry;

use super::clipboard;
use super::task::{SharedSession, blocking, poisoned, sentence, snapshot};
use core_calls::{Change, Opened};

pub use list::Message as ListMessage;
#[cfg(test)]
pub use {add::Message as AddMessage, list::Open};

const TOAST_SECS: u64 = 3;
/// Seconds a hidden code stays visible after a click.
const REVEAL_SECS: u64 = 30;

/// The unlocked app.
#[derive(Debug)]
pub struct Unlocked {
    vault: SharedSession,
    entries: Vec<Entry>,
    list: list::State,
    screen: Screen,
    toast: Option<(String, u64)>,
    copied: Option<(String, u64)>,
    last_activity: u64,
    busy: bool,
    settings: Settings,
    /// A scan or file read in progress (QR decoding, a backup's key
    /// derivation): Cancel drops its result at once; the worker stops
    /// within the decoder's work budget.
    scanning: Option<iced::task::Handle>,
    /// The vault's folder, watched for another computer's changes.
    watch: watch::Watch,
    /// Entry ids, most recently copied first (the tray's menu).
    recent: Vec<String>,
    /// Characters of names no font covers, said once.
    glyphs: glyphs::Glyphs,
}

/// The screen shown over the list (the list keeps its search meanwhile).
#[derive(Debug)]
enum Screen {
    List,
    Add(add::State),
    Import(import::State),
    Export(export::State),
    Settings,
    Account(account::State),
    /// F1: the keyboard shortcuts.
    Help,
    /// Settings → Security: password, recovery key, keyring, backups.
    Security(security::State),
}

#[derive(Debug, Clone)]
pub enum Message {
    List(list::Message),
    Add(add::Message),
    Import(import::Message),
    Export(export::Message),
    Settings(settings::Message),
    Security(security::Message),
    Account(account::Message),
    /// Escape: back to the list.
    Back,
    /// A keyboard shortcut (Ctrl+F, Ctrl+N, Delete, F1, Tab, ...).
    Shortcut(keys::Shortcut),
    /// Ctrl+V (or the add screen's Paste): import what the clipboard holds.
    Paste,
    FileDropped(PathBuf),
    /// The open dialog's answer.
    FileChosen(super::dialogs::Picked),
    FileRead(String, Opened),
    Scanned(String, Report),
    /// Stop waiting for the scan or file read in progress.
    CancelScan,
    Saved(Result<(Vec<Entry>, String), String>),
    /// The HOTP account used, and the saved entries with its new code.
    HotpUsed(String, Result<(Vec<Entry>, String), String>),
    Exported(Result<String, String>),
    ClipboardWritten(Result<(), String>),
    ClipboardCleared,
    /// The vault's folder changed, or it is time to look (polling).
    FolderChanged,
    /// A merge of the changed file and conflict copies finished.
    Synced(Result<(Vec<Entry>, String), String>),
    /// The characters of names that no font covers.
    Glyphs(Result<Vec<char>, String>),
}

/// What the parent must act on.
pub enum Event {
    Lock,
    Settings(Settings),
}

impl Unlocked {
    pub fn new(vault: SharedSession, now: u64, settings: Settings) -> (Self, Task<Message>) {
        let entries = snapshot(&vault);
        let path = vault.lock().map(|s| s.path().to_path_buf());
        let recent = vault.lock().map(|v| v.recent().to_vec()).ok();
        let mut screen = Self {
            watch: watch::Watch::new(path.unwrap_or_default()),
            vault,
            list: list::State::of(&entries),
            entries,
            screen: Screen::List,
            toast: None,
            copied: None,
            last_activity: now,
            busy: false,
            scanning: None,
            settings,
            recent: recent.unwrap_or_default(),
            glyphs: glyphs::Glyphs::default(),
        };
        // The search field is focused by the first typed character, not
        // now: a focused field blinks its caret, redrawing twice a second.
        // Conflict copies waiting in the folder are merged at once.
        let glyphs = screen.glyphs.check(&screen.entries);
        (
            screen,
            Task::batch([Task::done(Message::FolderChanged), glyphs]),
        )
    }

    /// Once a second: clipboard clearing, toasts, auto-lock.
    pub fn tick(&mut self, now: u64) -> (Task<Message>, Option<Event>) {
        if self
            .toast
            .as_ref()
            .is_some_and(|(_, at)| now >= at + TOAST_SECS)
        {
            self.toast = None;
        }
        self.list.tick(now);
        let lock_after = self.settings.auto_lock_mins * 60;
        if lock_after > 0 && now >= self.last_activity + lock_after {
            return (Task::none(), Some(Event::Lock));
        }
        let clear_after = self.settings.clipboard_clear_secs;
        if clear_after > 0
            && self
                .copied
                .as_ref()
                .is_some_and(|(_, at)| now >= at + clear_after)
            && let Some(ours) = self.take_copied()
        {
            let ours = zeroize::Zeroizing::new(ours);
            return (
                Task::perform(
                    blocking(move || clipboard::clear_if_unchanged(&ours)),
                    |_| Message::ClipboardCleared,
                ),
                None,
            );
        }
        (Task::none(), None)
    }

    /// A secret copied before this screen opened (the recovery key), to be
    /// cleared like a copied code.
    pub fn copied_before(&mut self, value: String, now: u64) {
        self.copied = Some((value, now));
    }

    /// The entries, and the ids copied lately (most recent first).
    pub fn entries_and_recent(&self) -> (&[Entry], &[String]) {
        (&self.entries, &self.recent)
    }

    pub fn session(&self) -> SharedSession {
        self.vault.clone()
    }

    /// The value copied last, if still to be cleared (taken on lock).
    pub fn take_copied(&mut self) -> Option<String> {
        self.copied.take().map(|(value, _)| value)
    }

    fn reorder(&mut self, id: String, offset: i64) -> Task<Message> {
        self.list.follow(id.clone());
        self.save(core_calls::reorder(id, offset))
    }

    /// New entries from the vault (a save, a merge, a restore): the list
    /// follows them, and their names are checked for characters no font
    /// has.
    fn replace_entries(&mut self, entries: Vec<Entry>) -> Task<Message> {
        self.entries = entries;
        self.list.refreshed(&self.entries);
        self.glyphs.check(&self.entries)
    }

    /// Runs a vault change in a task, then refreshes the list.
    fn save(&mut self, change: Change) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        self.busy = true;
        let vault = self.vault.clone();
        Task::perform(
            blocking(move || {
                let mut v = vault.lock().map_err(|_| poisoned())?;
                let note = change(&mut v).map_err(|e| sentence(e.to_string()))?;
                Ok((v.entries().to_vec(), note))
            }),
            Message::Saved,
        )
    }

    /// Shows a problem in the current screen, or as a toast.
    fn problem(&mut self, error: String, now: u64) {
        let placed = match &mut self.screen {
            Screen::Add(form) => {
                form.set_error(error.clone());
                true
            }
            Screen::Import(state) => state.set_error(error.clone()),
            _ => false,
        };
        if !placed {
            self.toast = Some((error, now));
        }
    }

    pub fn update(&mut self, message: Message, now: u64) -> (Task<Message>, Option<Event>) {
        let screen_before = std::mem::discriminant(&self.screen);
        let toast_before = self.toast.clone();
        let result = self.route(message, now);
        // A note belongs to the screen it was shown on: one from before a
        // change of screen goes (a note made by this change stays).
        if std::mem::discriminant(&self.screen) != screen_before && self.toast == toast_before {
            self.toast = None;
        }
        result
    }

    fn route(&mut self, message: Message, now: u64) -> (Task<Message>, Option<Event>) {
        // The folder watch is not the person's activity (auto-lock).
        let message = match message {
            Message::FolderChanged => return (self.folder_changed(now), None),
            Message::Synced(result) => return (self.synced(result, now), None),
            Message::Glyphs(missing) => {
                self.glyphs_found(missing, now);
                return (Task::none(), None);
            }
            other => other,
        };
        if message.is_input() {
            self.last_activity = now;
        }
        let task = match message {
            Message::List(m) => return self.list_message(m, now),
            Message::Add(m) => self.add_message(m, now),
            Message::Import(m) => self.import_message(m, now),
            Message::Export(m) => self.export_message(m),
            Message::Settings(m) => match settings::update(&mut self.settings, m) {
                settings::Event::Changed => {
                    return (Task::none(), Some(Event::Settings(self.settings.clone())));
                }
                settings::Event::OpenExport => {
                    self.screen = Screen::Export(export::State::default());
                    Task::none()
                }
                settings::Event::OpenSecurity => self.open_security(),
                settings::Event::Done => {
                    self.screen = Screen::List;
                    Task::none()
                }
            },
            Message::Security(m) => self.security_message(m, now),
            Message::Account(m) => self.account_message(m, now),
            Message::Back => {
                self.screen = Screen::List;
                Task::none()
            }
            Message::Shortcut(shortcut) => return self.shortcut(shortcut, now),
            Message::Paste => {
                if matches!(self.screen, Screen::List | Screen::Add(_)) {
                    self.start_scan(sources::scan_clipboard())
                } else {
                    Task::none()
                }
            }
            Message::FileChosen(super::dialogs::Picked::Cancelled) => Task::none(),
            // The add screen offers a path field instead.
            Message::FileChosen(super::dialogs::Picked::NoChooser) => Task::batch([
                self.add_message(add::Message::NoChooser, now),
                add::focus_path(),
            ]),
            Message::FileChosen(super::dialogs::Picked::Path(path))
            | Message::FileDropped(path) => self.start_scan(sources::read_file(path, None)),
            Message::CancelScan => {
                if let Some(handle) = self.scanning.take() {
                    handle.abort();
                    self.toast = Some((tr!("scan.cancelled"), now));
                }
                Task::none()
            }
            Message::FileRead(source, opened) => {
                self.scanning = None;
                match opened {
                    Opened::Report(report) => {
                        self.screen =
                            Screen::Import(import::State::checklist(source, report, &self.entries));
                    }
                    Opened::NeedsPassword(path, format) => {
                        let previous = match &self.screen {
                            Screen::Import(state) => Some(state),
                            _ => None,
                        };
                        let state = import::State::password(path, format, previous);
                        self.screen = Screen::Import(state);
                    }
                    Opened::Failed(e) => self.problem(e, now),
                }
                Task::none()
            }
            Message::Scanned(source, found) => {
                self.scanning = None;
                self.scanned(source, found, now);
                Task::none()
            }
            Message::Saved(result) => {
                self.busy = false;
                match result {
                    Ok((entries, note)) => {
                        self.screen = Screen::List;
                        if !note.is_empty() {
                            self.toast = Some((note, now));
                        }
                        return (self.replace_entries(entries), None);
                    }
                    Err(e) => match &mut self.screen {
                        Screen::Add(form) => form.set_error(e),
                        _ => self.toast = Some((e, now)),
                    },
                }
                Task::none()
            }
            Message::HotpUsed(id, result) => {
                self.busy = false;
                match result {
                    // The counter is saved before the code is shown.
                    Ok((entries, code)) => {
                        let glyphs = self.replace_entries(entries);
                        let label = self
                            .entries
                            .iter()
                            .find(|e| e.id == id)
                            .map_or_else(|| tr!("codes.new_code"), |e| keys::row_label(&e.account));
                        Task::batch([glyphs, self.copy_account(code, &label, now)])
                    }
                    Err(e) => {
                        self.toast = Some((e, now));
                        Task::none()
                    }
                }
            }
            Message::Exported(result) => {
                self.busy = false;
                match result {
                    Ok(note) => {
                        self.screen = Screen::List;
                        self.toast = Some((note, now));
                    }
                    Err(e) => {
                        if let Screen::Export(form) = &mut self.screen {
                            form.set_error(e);
                        }
                    }
                }
                Task::none()
            }
            Message::ClipboardWritten(Ok(()))
            | Message::ClipboardCleared
            | Message::FolderChanged
            | Message::Synced(_)
            | Message::Glyphs(_) => Task::none(),
            Message::ClipboardWritten(Err(e)) => {
                self.copied = None;
                self.toast = Some((sentence(e), now));
                Task::none()
            }
        };
        (task, None)
    }

    fn list_message(&mut self, message: list::Message, now: u64) -> (Task<Message>, Option<Event>) {
        // Enter on the checklist imports the ticked accounts.
        if let (Screen::Import(_), list::Message::Submit) = (&self.screen, &message) {
            return (self.import_message(import::Message::Import, now), None);
        }
        // Keys reach the list from anywhere; only the arrows act elsewhere.
        if !matches!(self.screen, Screen::List) && !matches!(message, list::Message::Move(_)) {
            return (Task::none(), None);
        }
        let (task, event) = self.list.update(message, &self.entries);
        let task = match event {
            None => task.map(Message::List),
            Some(list::Event::Copy(id)) => self.copy_code(&id, now),
            Some(list::Event::UseHotp(id)) => self.use_hotp(id, now),
            Some(list::Event::Reorder(id, offset)) => self.reorder(id, offset),
            Some(list::Event::Lock) => return (Task::none(), Some(Event::Lock)),
            Some(list::Event::Open(open)) => {
                self.screen = match open {
                    list::Open::Add => {
                        self.screen = Screen::Add(add::State::default());
                        return (add::focus_first(), None);
                    }
                    list::Open::AddFrom(source) => {
                        self.screen = Screen::Add(add::State::default());
                        return (self.add_message(add::Message::Source(source), now), None);
                    }
                    list::Open::Settings => Screen::Settings,
                    list::Open::Bind(id) => Screen::Account(account::State::bind(id)),
                    list::Open::Qr(id) => Screen::Account(account::State::qr(id)),
                    list::Open::Delete(id) => Screen::Account(account::State::Delete(id)),
                    list::Open::Rename(id) => match account::State::rename(id, &self.entries) {
                        Some(state) => {
                            self.screen = Screen::Account(state);
                            let focus = iced::widget::operation::focus(account::RENAME_FIRST);
                            return (focus, None);
                        }
                        None => return (Task::none(), None),
                    },
                };
                Task::none()
            }
        };
        (task, None)
    }

    fn add_message(&mut self, message: add::Message, now: u64) -> Task<Message> {
        let Screen::Add(form) = &mut self.screen else {
            return Task::none();
        };
        match form.update(message) {
            None => Task::none(),
            Some(add::Event::Save(account)) => self.save(core_calls::add_one(account, now)),
            Some(add::Event::Source(add::Source::File)) => {
                add::pick_file().map(Message::FileChosen)
            }
            Some(add::Event::Open(path)) => self.start_scan(sources::read_file(path, None)),
            Some(add::Event::Source(add::Source::Clipboard)) => {
                self.start_scan(sources::scan_clipboard())
            }
            Some(add::Event::Source(add::Source::Screen)) => self.start_scan(
                add::scan_screen().map(|(source, found)| Message::Scanned(source, found)),
            ),
            Some(add::Event::Cancel) => {
                self.screen = Screen::List;
                Task::none()
            }
        }
    }

    fn import_message(&mut self, message: import::Message, now: u64) -> Task<Message> {
        let Screen::Import(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            None => Task::none(),
            Some(import::Event::Import(chosen)) => self.save(core_calls::import(chosen, now)),
            Some(import::Event::Open(path, password)) => {
                self.start_scan(sources::read_file(path, Some(password)))
            }
            Some(import::Event::Cancel) => {
                self.screen = Screen::List;
                Task::none()
            }
        }
    }

    fn export_message(&mut self, message: export::Message) -> Task<Message> {
        let Screen::Export(form) = &mut self.screen else {
            return Task::none();
        };
        let (task, event) = form.update(message);
        match event {
            None => task.map(Message::Export),
            Some(export::Event::Write {
                path,
                format,
                password,
            }) => {
                let session = self.vault.clone();
                self.busy = true;
                Task::perform(
                    blocking(move || core_calls::write_export(&session, format, &password, &path)),
                    Message::Exported,
                )
            }
            Some(export::Event::Cancel) => {
                self.screen = Screen::List;
                Task::none()
            }
        }
    }

    fn account_message(&mut self, message: account::Message, now: u64) -> Task<Message> {
        let Screen::Account(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message, &self.entries, now) {
            None => Task::none(),
            Some(account::Event::CopyText { value, what }) => self.copy(value, &what, now),
            Some(account::Event::Delete(id)) => self.save(core_calls::remove(id, now)),
            Some(account::Event::Rename {
                id,
                issuer,
                account,
            }) => self.save(core_calls::rename(id, issuer, account, now)),
            Some(account::Event::Reorder(id, offset)) => self.reorder(id, offset),
            Some(account::Event::Back) => {
                self.screen = Screen::List;
                Task::none()
            }
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_list;
#[cfg(test)]
mod tests_security;
