//! Settings → Security: what the CLI's `passwd`, `recovery`, `keyring` and
//! `backups` do, in the app. Every rule (password length, rotating the data
//! key, which backups still open with a revoked credential) is the core
//! session's; this screen collects the input, runs the call in a task and
//! shows a new recovery key once (the first-run screen's view).

use std::path::PathBuf;

use iced::widget::{column, container, row, scrollable, text, text_input, toggler};

use super::super::widget::{button, focusable};
use iced::{Center, Element, Fill, Font, Task};
use zeroize::Zeroizing;

use crate::session::{KeyringOff, Session, SessionError};
use crate::vault::SlotKind;

use super::super::task::{SharedSession, blocking, poisoned, sentence};
use super::super::unlock::recovery;
use super::super::widget::outcome;
use super::{Message as Parent, Screen, Unlocked};

/// The field of the credential that opens the backup to restore.
const RESTORE_ID: &str = "restore-with";

/// What the screen knows of the vault (read in a task when it opens and
/// after every change).
#[derive(Debug, Clone)]
pub struct Facts {
    path: PathBuf,
    knows_password: bool,
    keyring: bool,
    /// The backups, newest first: file and when it was made.
    backups: Vec<(PathBuf, String)>,
}

/// A finished operation: its note, and a new recovery key to show once.
#[derive(Debug, Clone)]
pub struct Outcome {
    note: String,
    recovery: Option<String>,
    facts: Facts,
}

#[derive(Debug, Default)]
pub struct State {
    facts: Option<Facts>,
    /// A new recovery key, shown once (the first-run screen).
    key: Option<recovery::State>,
    current: Zeroizing<String>,
    new: Zeroizing<String>,
    confirm: Zeroizing<String>,
    reveal: bool,
    note: Option<String>,
    error: Option<String>,
    /// An operation's task is running.
    running: bool,
    /// The backup chosen to restore (its index), and the credential that
    /// opens it (empty: the keyring).
    restoring: Option<usize>,
    restore_with: Zeroizing<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Facts(Result<Facts, String>),
    Current(String),
    New(String),
    Confirm(String),
    Reveal(bool),
    ChangePassword,
    RenewRecovery,
    Keyring(bool),
    RemoveBackups,
    /// Restore… on a backup (or `None`: cancel).
    PickBackup(Option<usize>),
    RestoreWith(String),
    Restore,
    OpenFolder,
    Opened(Result<(), String>),
    Done(Result<Outcome, String>),
    Key(recovery::Message),
    Back,
}

/// An operation on the session, run in a task.
type Op = Box<dyn FnOnce(&mut Session) -> Result<(String, Option<String>), SessionError> + Send>;

fn facts(s: &Session) -> Facts {
    Facts {
        path: s.path().to_path_buf(),
        knows_password: s.knows_password(),
        keyring: s.vault().has_slot(SlotKind::Keyring),
        backups: s
            .backups_dated()
            .into_iter()
            .map(|(path, made)| {
                let made = crate::dates::backup_made(&path, made, true);
                (path, made)
            })
            .collect(),
    }
}

/// Reads the facts in a task.
pub fn load(vault: SharedSession) -> Task<Message> {
    Task::perform(
        blocking(move || vault.lock().map(|s| facts(&s)).map_err(|_| poisoned())),
        Message::Facts,
    )
}

impl State {
    /// The newest backup's date as listed, and the error shown (tests).
    #[cfg(test)]
    pub fn newest_backup_and_error(&self) -> (Option<String>, Option<String>) {
        let newest = self.facts.as_ref().and_then(|f| f.backups.first());
        (newest.map(|b| b.1.clone()), self.error.clone())
    }

    fn password_given(&self) -> Option<Zeroizing<String>> {
        let needed = self.facts.as_ref().is_some_and(|f| !f.knows_password);
        needed.then(|| self.current.clone())
    }

    /// Runs `op` after giving the current password when the session needs
    /// it (it was opened by the keyring or the recovery key).
    fn run(&mut self, vault: &SharedSession, op: Op) -> Task<Message> {
        let given = self.password_given();
        self.run_with(vault, op, given)
    }

    fn run_with(
        &mut self,
        vault: &SharedSession,
        op: Op,
        given: Option<Zeroizing<String>>,
    ) -> Task<Message> {
        self.error = None;
        self.note = None;
        self.running = true;
        let vault = vault.clone();
        Task::perform(
            blocking(move || {
                let mut s = vault.lock().map_err(|_| poisoned())?;
                let result = (|| {
                    if let Some(password) = given {
                        s.provide_password(&password)?;
                    }
                    op(&mut s)
                })();
                let (note, recovery) = result.map_err(|e| sentence(e.to_string()))?;
                Ok(Outcome {
                    note,
                    recovery,
                    facts: facts(&s),
                })
            }),
            Message::Done,
        )
    }

    fn update(&mut self, message: Message, vault: &SharedSession) -> Task<Message> {
        match message {
            Message::Facts(Ok(f)) => self.facts = Some(f),
            Message::Facts(Err(e)) => self.error = Some(e),
            Message::Current(v) => self.current = Zeroizing::new(v),
            Message::New(v) => self.new = Zeroizing::new(v),
            Message::Confirm(v) => self.confirm = Zeroizing::new(v),
            Message::Reveal(on) => self.reveal = on,
            Message::ChangePassword => {
                if *self.new != *self.confirm {
                    self.error = Some(tr!("security.mismatch"));
                    return Task::none();
                }
                let new = self.new.clone();
                return self.run(
                    vault,
                    Box::new(move |s| {
                        let rekeyed = s.change_password(&new)?;
                        let note = match rekeyed.keyring_dropped {
                            Some(_) => tr!("security.password_changed_keyring"),
                            None => tr!("security.password_changed"),
                        };
                        Ok((note, rekeyed.recovery.map(|k| k.expose().to_string())))
                    }),
                );
            }
            Message::RenewRecovery => {
                return self.run(
                    vault,
                    Box::new(|s| {
                        let key = s.renew_recovery()?;
                        Ok((
                            tr!("security.recovery_renewed"),
                            Some(key.expose().to_string()),
                        ))
                    }),
                );
            }
            Message::Keyring(true) => {
                return self.run(
                    vault,
                    Box::new(|s| {
                        s.enable_keyring()?;
                        Ok((tr!("security.keyring_on"), None))
                    }),
                );
            }
            Message::Keyring(false) => {
                return self.run(
                    vault,
                    Box::new(|s| match s.disable_keyring()? {
                        KeyringOff::NothingToDo => Ok((tr!("security.keyring_off"), None)),
                        KeyringOff::Removed { recovery, .. } => Ok((
                            tr!("security.keyring_off"),
                            recovery.map(|k| k.expose().to_string()),
                        )),
                    }),
                );
            }
            Message::RemoveBackups => {
                return self.run(
                    vault,
                    Box::new(|s| {
                        let n = s.remove_backups()?;
                        Ok((tr_n!("security.backups_removed", n), None))
                    }),
                );
            }
            Message::PickBackup(chosen) => {
                self.restoring = chosen;
                self.restore_with = Zeroizing::default();
                self.error = None;
                if chosen.is_some() {
                    return iced::widget::operation::focus(RESTORE_ID);
                }
            }
            Message::RestoreWith(v) => self.restore_with = Zeroizing::new(v),
            Message::Restore => {
                let chosen = self.restoring.and_then(|i| {
                    let f = self.facts.as_ref()?;
                    f.backups.get(i).map(|(p, made)| (p.clone(), made.clone()))
                });
                let Some((backup, made)) = chosen else {
                    return Task::none();
                };
                let typed = (!self.restore_with.is_empty()).then(|| self.restore_with.clone());
                self.restoring = None;
                self.restore_with = Zeroizing::default();
                return self.run_with(
                    vault,
                    Box::new(move |s| {
                        let restored =
                            s.restore_open(&backup, typed.as_deref().map(|t| t.as_str()))?;
                        Ok((
                            tr_n!("security.restored", restored.accounts, made = made),
                            None,
                        ))
                    }),
                    None,
                );
            }
            Message::OpenFolder => {
                let folder = self
                    .facts
                    .as_ref()
                    .and_then(|f| f.path.parent().map(PathBuf::from));
                if let Some(folder) = folder {
                    return Task::perform(blocking(move || open_folder(folder)), Message::Opened);
                }
            }
            Message::Opened(result) => self.error = result.err(),
            Message::Done(Ok(outcome)) => {
                self.running = false;
                self.facts = Some(outcome.facts);
                self.note = Some(outcome.note);
                self.current = Zeroizing::default();
                self.new = Zeroizing::default();
                self.confirm = Zeroizing::default();
            }
            Message::Done(Err(e)) => {
                self.running = false;
                self.error = Some(e);
            }
            Message::Key(_) | Message::Back => {}
        }
        Task::none()
    }

    pub fn view(&self, busy: bool) -> Element<'_, Message> {
        if let Some(key) = &self.key {
            return key.view().map(Message::Key);
        }
        let Some(f) = &self.facts else {
            return text(tr!("scan.running")).into();
        };
        let secret = |label: String, value: &str, on: fn(String) -> Message| {
            column![
                text(label).size(13),
                text_input("", value)
                    .secure(!self.reveal)
                    .on_input(on)
                    .padding(8),
            ]
            .spacing(4)
        };
        let current = (!f.knows_password)
            .then(|| secret(tr!("security.current"), &self.current, Message::Current));
        let act = |label: String, message: Message| {
            button(text(label))
                .on_press_maybe((!busy).then_some(message))
                .padding([8, 14])
        };
        let section = |title: String| text(title).size(16);
        let body = column![
            text(tr!("security.title")).size(20),
            section(tr!("security.location")),
            // Each text above its action: they stay readable at 360 px.
            column![
                text(f.path.display().to_string())
                    .font(Font::MONOSPACE)
                    .size(13),
                act(tr!("security.open_folder"), Message::OpenFolder),
            ]
            .spacing(6),
        ]
        .push(current)
        .push(section(tr!("security.password")))
        .push(secret(tr!("security.new"), &self.new, Message::New))
        .push(secret(
            tr!("security.confirm"),
            &self.confirm,
            Message::Confirm,
        ))
        .push(
            row![
                focusable(
                    toggler(self.reveal)
                        .label(tr!("security.show"))
                        .on_toggle(Message::Reveal)
                ),
                act(tr!("security.change"), Message::ChangePassword),
            ]
            .spacing(16)
            .align_y(Center),
        )
        .push(section(tr!("security.recovery")))
        .push(
            column![
                text(tr!("security.recovery_text")),
                act(tr!("security.renew"), Message::RenewRecovery),
            ]
            .spacing(6),
        )
        .push(focusable(
            toggler(f.keyring)
                .label(tr!("security.keyring"))
                .on_toggle_maybe((!busy).then_some(Message::Keyring)),
        ))
        .push(section(tr!("security.backups_title")))
        .push(
            column![
                text(tr_n!("security.backups", f.backups.len())),
                act(tr!("security.remove_backups"), Message::RemoveBackups),
            ]
            .spacing(6),
        )
        .push(self.backup_rows(f, busy))
        .push(outcome(self.note.as_deref(), self.error.as_deref()))
        .push(
            button(text(tr!("common.done")))
                .on_press(Message::Back)
                .style(button::secondary),
        )
        .spacing(10);
        // Long: it scrolls in a short window (room kept for focus rings).
        scrollable(container(body).padding([4, 8]))
            .spacing(6)
            .into()
    }

    /// Each backup with its date and Restore…; the chosen one asks for the
    /// credential that opens it.
    fn backup_rows<'a>(&'a self, f: &'a Facts, busy: bool) -> Element<'a, Message> {
        let mut rows = column![].spacing(6);
        for (i, (_, made)) in f.backups.iter().enumerate() {
            rows = rows.push(
                row![
                    text(made.as_str())
                        .font(Font::MONOSPACE)
                        .size(13)
                        .width(Fill),
                    button(text(tr!("security.restore")))
                        .on_press_maybe((!busy).then_some(Message::PickBackup(Some(i))))
                        .style(button::secondary),
                ]
                .spacing(12)
                .align_y(Center),
            );
            if self.restoring == Some(i) {
                let with = text_input(&tr!("security.restore_with"), &self.restore_with)
                    .id(RESTORE_ID)
                    .secure(!self.reveal)
                    .on_input(Message::RestoreWith)
                    .on_submit(Message::Restore)
                    .padding(8);
                rows = rows.push(
                    container(
                        column![
                            text(tr!("security.restore_hint")).size(13),
                            with,
                            row![
                                button(text(tr!("restore.restore")))
                                    .on_press_maybe((!busy).then_some(Message::Restore))
                                    .style(button::danger),
                                button(text(tr!("common.cancel")))
                                    .on_press(Message::PickBackup(None))
                                    .style(button::secondary),
                            ]
                            .spacing(8),
                        ]
                        .spacing(8),
                    )
                    .padding(10)
                    .style(container::bordered_box),
                );
            }
        }
        rows.into()
    }
}

/// `xdg-open` on the vault's folder (the file manager).
fn open_folder(folder: PathBuf) -> Result<(), String> {
    std::process::Command::new("xdg-open")
        .arg(&folder)
        .spawn()
        .map(drop)
        .map_err(|e| sentence(format!("cannot open the folder: {e}")))
}

impl Unlocked {
    /// Opens the security screen and reads its facts.
    pub(super) fn open_security(&mut self) -> Task<Parent> {
        self.screen = Screen::Security(State::default());
        load(self.vault.clone()).map(Parent::Security)
    }

    pub(super) fn security_message(&mut self, message: Message, now: u64) -> Task<Parent> {
        let Screen::Security(state) = &mut self.screen else {
            return Task::none();
        };
        let busy_before = matches!(
            message,
            Message::ChangePassword
                | Message::RenewRecovery
                | Message::Keyring(_)
                | Message::RemoveBackups
                | Message::Restore
        );
        if busy_before && self.busy {
            return Task::none();
        }
        match message {
            Message::Back => {
                self.screen = Screen::Settings;
                Task::none()
            }
            Message::Done(result) => {
                self.busy = false;
                let key = result.as_ref().ok().and_then(|o| o.recovery.clone());
                let task = state.update(Message::Done(result), &self.vault);
                state.key = key.map(|k| recovery::State::new(k, self.vault.clone()));
                // A restored backup brings its own accounts.
                let entries = super::super::task::snapshot(&self.vault);
                Task::batch([task.map(Parent::Security), self.replace_entries(entries)])
            }
            Message::Key(m) => {
                let Some(key) = state.key.as_mut() else {
                    return Task::none();
                };
                let (task, event) = key.update(m);
                if let Some(recovery::Event::Continue(_, copied)) = event {
                    state.key = None;
                    if let Some(copied) = copied {
                        self.copied_before(copied, now);
                    }
                }
                task.map(|m| Parent::Security(Message::Key(m)))
            }
            other => {
                let task = state.update(other, &self.vault);
                self.busy |= state.running;
                task.map(Parent::Security)
            }
        }
    }
}
