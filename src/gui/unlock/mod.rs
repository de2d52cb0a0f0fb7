//! The locked screen: first run (create the vault), unlock by password or
//! recovery key, and the recovery key shown once ([`recovery`]). Key
//! derivation, keyring calls and file work run in tasks: the window never
//! freezes. The rules applied here live in [`core_calls`].

mod core_calls;
pub(super) mod recovery;
mod restore;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use iced::widget::{column, container, text, text_input, toggler};

use super::widget::{button, focusable};
use iced::{Element, Fill, Task};

use crate::vault::SlotKind;

use crate::session::Keys;

use super::task::{SharedSession, blocking};
use core_calls::{Inspected, OpenFailure, new_password_problem};

const PASSWORD_ID: &str = "password";
const CONFIRM_ID: &str = "confirm";

/// The locked screen.
#[derive(Debug)]
pub struct Locked {
    path: PathBuf,
    stage: Stage,
    password: String,
    confirm: String,
    error: Option<String>,
    busy: bool,
    /// The keyring and key-derivation policy the session calls use.
    keys: Keys,
    /// Why the vault was locked, when it was open before.
    reason: Option<LockReason>,
    /// The typed password is shown in clear.
    reveal: bool,
}

/// Why an open vault was locked (said on the locked screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// Nothing was typed or clicked for this many minutes.
    Idle(u64),
    /// Lock in the window, Ctrl+L or the tray.
    Manual,
    /// The desktop locked the screen.
    Screen,
}

impl LockReason {
    fn words(self) -> String {
        match self {
            Self::Idle(mins) => tr_n!("unlock.locked_idle", mins),
            Self::Manual => tr!("unlock.locked_manual"),
            Self::Screen => tr!("unlock.locked_screen"),
        }
    }
}

#[derive(Debug)]
enum Stage {
    /// Reading the vault header and asking the keyring.
    Checking,
    /// A keyring vault locked by the person or by the idle timer: Unlock
    /// asks the keyring again.
    Waiting,
    /// No vault yet: create one.
    Create { keyring: bool },
    /// A vault exists: ask for its password or recovery key.
    Unlock { slots: Vec<SlotKind> },
    /// Just created: show the recovery key once.
    Recovery(recovery::State),
    /// The file is damaged: its backups, to restore one.
    Restore(restore::State),
}

#[derive(Debug, Clone)]
pub enum Message {
    Inspected(Inspected),
    PasswordChanged(String),
    ConfirmChanged(String),
    /// Show (or hide again) what was typed in the password fields.
    Reveal(bool),
    Submit,
    /// Unlock on a keyring vault's locked screen: ask the keyring.
    AskKeyring,
    Created(Result<(SharedSession, Option<String>), String>),
    Opened(Result<SharedSession, OpenFailure>),
    Restore(restore::Message),
    Recovery(recovery::Message),
}

/// What the parent must act on.
#[derive(Debug)]
pub enum Event {
    /// Unlocked; with the recovery key if it was copied on the way (to be
    /// cleared from the clipboard like a code).
    Unlocked(SharedSession, Option<String>),
}

impl Locked {
    /// The locked screen for `path`, checking it (and the keyring) at once.
    pub fn new(path: PathBuf) -> (Self, Task<Message>) {
        Self::with_keys(path, Keys::system())
    }

    /// The screen after the open vault was locked: a keyring vault waits
    /// for Unlock instead of opening again at once.
    pub fn after_lock(path: PathBuf, reason: LockReason) -> (Self, Task<Message>) {
        Self::start(path, Keys::system(), Some(reason))
    }

    /// The locked screen with another keyring or policy (tests).
    pub fn with_keys(path: PathBuf, keys: Keys) -> (Self, Task<Message>) {
        Self::start(path, keys, None)
    }

    fn start(path: PathBuf, keys: Keys, reason: Option<LockReason>) -> (Self, Task<Message>) {
        let screen = Self {
            path,
            stage: Stage::Checking,
            password: String::new(),
            confirm: String::new(),
            error: None,
            busy: true,
            keys,
            reason,
            reveal: false,
        };
        let task = screen.inspect(reason.is_none());
        (screen, task)
    }

    /// Reads the header (and asks the keyring if `ask_keyring`) in a task.
    fn inspect(&self, ask_keyring: bool) -> Task<Message> {
        let path = self.path.clone();
        let keys = self.keys.clone();
        Task::perform(
            blocking(move || core_calls::inspect(&path, keys, ask_keyring)),
            Message::Inspected,
        )
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Inspected(found) => {
                self.busy = false;
                match found {
                    Inspected::Missing { keyring } => self.stage = Stage::Create { keyring },
                    Inspected::Locked { slots, note } => {
                        self.stage = Stage::Unlock { slots };
                        self.error = note;
                    }
                    Inspected::KeyringWaits => {
                        self.stage = Stage::Waiting;
                        // The Unlock button has the focus: Enter unlocks.
                        return (iced::widget::operation::focus_next(), None);
                    }
                    Inspected::Opened(vault) => {
                        return (Task::none(), Some(Event::Unlocked(vault, None)));
                    }
                    Inspected::Damaged(e) => return self.restore(None, e),
                    Inspected::Failed(e) => {
                        self.stage = Stage::Unlock { slots: Vec::new() };
                        self.error = Some(e);
                    }
                }
                return (iced::widget::operation::focus(PASSWORD_ID), None);
            }
            Message::PasswordChanged(p) => {
                self.password = p;
                self.error = None;
            }
            Message::ConfirmChanged(c) => {
                self.confirm = c;
                self.error = None;
            }
            Message::Reveal(on) => self.reveal = on,
            Message::Submit => return (self.submit(), None),
            Message::AskKeyring => {
                if !self.busy {
                    self.busy = true;
                    self.error = None;
                    return (self.inspect(true), None);
                }
            }
            Message::Created(Ok((vault, key))) => {
                self.busy = false;
                self.password.clear();
                self.confirm.clear();
                match key {
                    Some(key) => self.stage = Stage::Recovery(recovery::State::new(key, vault)),
                    None => return (Task::none(), Some(Event::Unlocked(vault, None))),
                }
            }
            Message::Opened(Ok(vault)) => {
                self.busy = false;
                self.password.clear();
                return (Task::none(), Some(Event::Unlocked(vault, None)));
            }
            Message::Opened(Err(OpenFailure::Damaged(e))) => {
                self.busy = false;
                let typed = zeroize::Zeroizing::new(std::mem::take(&mut self.password));
                return self.restore(Some(typed), e);
            }
            Message::Restore(m) => {
                if let Stage::Restore(screen) = &mut self.stage {
                    let (task, event) = screen.update(m);
                    return match event {
                        Some(restore::Event::Unlocked(vault)) => {
                            (Task::none(), Some(Event::Unlocked(vault, None)))
                        }
                        Some(restore::Event::Back) => {
                            let (screen, task) =
                                Self::start(self.path.clone(), self.keys.clone(), None);
                            *self = screen;
                            (task, None)
                        }
                        None => (task.map(Message::Restore), None),
                    };
                }
            }
            Message::Opened(Err(OpenFailure::Refused(e))) => {
                self.busy = false;
                self.error = Some(e);
                return (iced::widget::operation::focus(PASSWORD_ID), None);
            }
            Message::Created(Err(e)) => {
                self.busy = false;
                self.error = Some(e);
                return (iced::widget::operation::focus(PASSWORD_ID), None);
            }
            Message::Recovery(m) => {
                if let Stage::Recovery(screen) = &mut self.stage {
                    let (task, event) = screen.update(m);
                    return match event {
                        Some(recovery::Event::Continue(vault, copied)) => {
                            (Task::none(), Some(Event::Unlocked(vault, copied)))
                        }
                        None => (task.map(Message::Recovery), None),
                    };
                }
            }
        }
        (Task::none(), None)
    }

    /// The damaged-file screen: the backups, checked with `typed`.
    fn restore(
        &mut self,
        typed: Option<zeroize::Zeroizing<String>>,
        error: String,
    ) -> (Task<Message>, Option<Event>) {
        self.error = None;
        let (screen, task) =
            restore::State::new(self.path.clone(), typed, self.keys.clone(), error);
        self.stage = Stage::Restore(screen);
        (task.map(Message::Restore), None)
    }

    fn submit(&mut self) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        let path = self.path.clone();
        let password = zeroize::Zeroizing::new(self.password.clone());
        let keys = self.keys.clone();
        match &self.stage {
            Stage::Create { keyring } => {
                let keyring = *keyring;
                // With the keyring, the password is optional.
                if (!keyring || !password.is_empty())
                    && let Some(problem) = new_password_problem(&password, &self.confirm)
                {
                    self.error = Some(problem);
                    return Task::none();
                }
                self.busy = true;
                Task::perform(
                    blocking(move || core_calls::create(&path, keyring, &password, keys)),
                    Message::Created,
                )
            }
            Stage::Unlock { .. } => {
                if password.trim().is_empty() {
                    self.error = Some(tr!("unlock.type_password"));
                    return Task::none();
                }
                self.busy = true;
                Task::perform(
                    blocking(move || core_calls::open(&path, &password, keys)),
                    Message::Opened,
                )
            }
            Stage::Checking | Stage::Waiting | Stage::Recovery(_) | Stage::Restore(_) => {
                Task::none()
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let title = text(tr!("app.name")).size(28);
        let body: Element<'_, Message> = match &self.stage {
            Stage::Checking if self.reason.is_some() => text(tr!("unlock.unlocking")).into(),
            Stage::Checking => text(tr!("unlock.opening")).into(),
            Stage::Waiting => column![
                text(tr!("unlock.keyring_waits")),
                button(text(tr!("unlock.unlock")))
                    .on_press(Message::AskKeyring)
                    .padding([8, 16]),
            ]
            .spacing(12)
            .into(),
            Stage::Create { keyring } => self.create_view(*keyring),
            Stage::Unlock { slots } => self.unlock_view(slots),
            Stage::Recovery(screen) => screen.view().map(Message::Recovery),
            Stage::Restore(screen) => screen.view().map(Message::Restore),
        };
        let error = self
            .error
            .as_deref()
            .map(|e| text(e.to_string()).style(text::danger));
        // Why it is locked, while the person unlocks it again.
        let reason = self
            .reason
            .filter(|_| matches!(self.stage, Stage::Waiting | Stage::Unlock { .. }))
            .map(|r| text(r.words()).style(text::secondary));
        container(
            column![title]
                .push(reason)
                .push(body)
                .push(error)
                .spacing(16)
                .max_width(440),
        )
        .center(Fill)
        .padding(24)
        .into()
    }

    fn password_input(&self, placeholder: &str) -> Element<'_, Message> {
        let input = text_input(placeholder, &self.password)
            .id(PASSWORD_ID)
            .secure(!self.reveal)
            .padding(10);
        if self.busy {
            input.into()
        } else {
            input
                .on_input(Message::PasswordChanged)
                .on_submit(Message::Submit)
                .into()
        }
    }

    /// The show-password switch under the password fields.
    fn reveal_toggle(&self) -> Element<'_, Message> {
        focusable(
            toggler(self.reveal)
                .label(tr!("unlock.show_password"))
                .on_toggle(Message::Reveal)
                .size(18),
        )
    }

    fn create_view(&self, keyring: bool) -> Element<'_, Message> {
        let intro = if keyring {
            tr!("unlock.intro_keyring")
        } else {
            tr!("unlock.intro_password")
        };
        let placeholder = if keyring {
            tr!("unlock.password_optional")
        } else {
            tr!("unlock.password")
        };
        let confirm = text_input(&tr!("unlock.password_again"), &self.confirm)
            .id(CONFIRM_ID)
            .secure(!self.reveal)
            .padding(10);
        let confirm = if self.busy {
            confirm
        } else {
            confirm
                .on_input(Message::ConfirmChanged)
                .on_submit(Message::Submit)
        };
        let label = if self.busy {
            tr!("unlock.creating")
        } else {
            tr!("unlock.create")
        };
        column![
            text(intro),
            self.password_input(&placeholder),
            confirm,
            self.reveal_toggle(),
            button(text(label))
                .on_press_maybe((!self.busy).then_some(Message::Submit))
                .padding([8, 16]),
            text(tr!("unlock.vault_file", path = self.path.display()))
                .size(12)
                .style(text::secondary),
        ]
        .spacing(12)
        .into()
    }

    fn unlock_view(&self, slots: &[SlotKind]) -> Element<'_, Message> {
        let hint = if slots.contains(&SlotKind::Password) {
            tr!("unlock.hint_password")
        } else {
            tr!("unlock.hint_recovery")
        };
        let label = if self.busy {
            tr!("unlock.unlocking")
        } else {
            tr!("unlock.unlock")
        };
        column![
            text(hint),
            self.password_input(&tr!("unlock.password_or_recovery")),
            self.reveal_toggle(),
            button(text(label))
                .on_press_maybe((!self.busy).then_some(Message::Submit))
                .padding([8, 16]),
        ]
        .spacing(12)
        .into()
    }
}
