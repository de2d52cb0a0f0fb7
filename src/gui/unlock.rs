//! The locked screen: first run (create the vault), unlock by password or
//! recovery key, and the recovery key shown once. Key derivation, keyring
//! calls and file work run in tasks: the window never freezes.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Center, Element, Fill, Font, Task};

use crate::vault::{
    KdfPolicy, NewVault, OsKeyring, SlotKind, Unlock as Key, Vault, looks_like_recovery_key,
};

use super::{blocking, sentence};

/// A shared, unlocked vault (moved into tasks for file work).
pub type SharedVault = Arc<Mutex<Vault>>;

/// Shortest password accepted for a new vault.
pub const MIN_PASSWORD: usize = crate::session::MIN_PASSWORD_CHARS;

const PASSWORD_ID: &str = "password";

/// The locked screen.
#[derive(Debug)]
pub struct Locked {
    path: PathBuf,
    stage: Stage,
    password: String,
    confirm: String,
    error: Option<String>,
    note: Option<String>,
    busy: bool,
}

#[derive(Debug)]
enum Stage {
    /// Reading the vault header and asking the keyring.
    Checking,
    /// No vault yet: create one.
    Create { keyring: bool },
    /// A vault exists: ask for its password or recovery key.
    Unlock { slots: Vec<SlotKind> },
    /// Just created: show the recovery key once.
    Recovery { key: String, vault: SharedVault },
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

#[derive(Debug, Clone)]
pub enum Message {
    Inspected(Inspected),
    PasswordChanged(String),
    ConfirmChanged(String),
    Submit,
    Created(Result<(SharedVault, Option<String>), String>),
    Opened(Result<SharedVault, String>),
    CopyRecovery,
    SaveRecovery,
    RecoverySaved(Result<String, String>),
    Continue,
}

/// What the parent must act on.
pub enum Event {
    Unlocked(SharedVault),
}

impl Locked {
    /// The locked screen for `path`, checking it (and the keyring) at once.
    pub fn new(path: PathBuf) -> (Self, Task<Message>) {
        let task = {
            let path = path.clone();
            Task::perform(blocking(move || inspect(&path)), Message::Inspected)
        };
        let screen = Self {
            path,
            stage: Stage::Checking,
            password: String::new(),
            confirm: String::new(),
            error: None,
            note: None,
            busy: true,
        };
        (screen, task)
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
                    Inspected::Opened(vault) => {
                        return (Task::none(), Some(Event::Unlocked(vault)));
                    }
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
            Message::Submit => return (self.submit(), None),
            Message::Created(Ok((vault, key))) => {
                self.busy = false;
                self.password.clear();
                self.confirm.clear();
                match key {
                    Some(key) => self.stage = Stage::Recovery { key, vault },
                    None => return (Task::none(), Some(Event::Unlocked(vault))),
                }
            }
            Message::Opened(Ok(vault)) => {
                self.busy = false;
                self.password.clear();
                return (Task::none(), Some(Event::Unlocked(vault)));
            }
            Message::Created(Err(e)) | Message::Opened(Err(e)) => {
                self.busy = false;
                self.error = Some(e);
                return (iced::widget::operation::focus(PASSWORD_ID), None);
            }
            Message::SaveRecovery => {
                if let Stage::Recovery { key, .. } = &self.stage {
                    let key = zeroize::Zeroizing::new(key.clone());
                    return (
                        Task::perform(
                            async move {
                                let file = rfd::AsyncFileDialog::new()
                                    .set_title("Tessera recovery key")
                                    .set_file_name("tessera-recovery-key.txt")
                                    .save_file()
                                    .await;
                                match file {
                                    None => Err(String::new()),
                                    Some(f) => save_recovery(f.path(), &key),
                                }
                            },
                            Message::RecoverySaved,
                        ),
                        None,
                    );
                }
            }
            Message::RecoverySaved(Ok(path)) => {
                self.error = None;
                self.note = Some(if path.is_empty() {
                    tr!("unlock.recovery_copied")
                } else {
                    tr!("unlock.recovery_saved", path = path)
                });
            }
            Message::RecoverySaved(Err(e)) => {
                if !e.is_empty() {
                    self.error = Some(e);
                }
            }
            Message::CopyRecovery => {
                if let Stage::Recovery { key, .. } = &self.stage {
                    let key = zeroize::Zeroizing::new(key.clone());
                    return (
                        Task::perform(
                            blocking(move || super::clipboard::write_secret(&key)),
                            |r| Message::RecoverySaved(r.map(|()| String::new()).map_err(sentence)),
                        ),
                        None,
                    );
                }
            }
            Message::Continue => {
                if let Stage::Recovery { vault, .. } = &self.stage {
                    let vault = vault.clone();
                    return (Task::none(), Some(Event::Unlocked(vault)));
                }
            }
        }
        (Task::none(), None)
    }

    fn submit(&mut self) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        let path = self.path.clone();
        let password = zeroize::Zeroizing::new(self.password.clone());
        match &self.stage {
            Stage::Create { keyring } => {
                let keyring = *keyring;
                if !keyring || !password.is_empty() {
                    if password.chars().count() < MIN_PASSWORD {
                        self.error = Some(tr!("unlock.min_password", n = MIN_PASSWORD));
                        return Task::none();
                    }
                    if *password != self.confirm {
                        self.error = Some(tr!("unlock.passwords_differ"));
                        return Task::none();
                    }
                }
                self.busy = true;
                Task::perform(
                    blocking(move || create(&path, keyring, &password)),
                    Message::Created,
                )
            }
            Stage::Unlock { .. } => {
                if password.trim().is_empty() {
                    self.error = Some(tr!("unlock.type_password"));
                    return Task::none();
                }
                self.busy = true;
                Task::perform(blocking(move || open(&path, &password)), Message::Opened)
            }
            Stage::Checking | Stage::Recovery { .. } => Task::none(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let title = text(tr!("app.name")).size(28);
        let body: Element<'_, Message> = match &self.stage {
            Stage::Checking => text(tr!("unlock.opening")).into(),
            Stage::Create { keyring } => self.create_view(*keyring),
            Stage::Unlock { slots } => self.unlock_view(slots),
            Stage::Recovery { key, .. } => recovery_view(key),
        };
        let error = self
            .error
            .as_deref()
            .map(|e| text(e.to_string()).style(text::danger));
        let note = self
            .note
            .as_deref()
            .map(|n| text(n.to_string()).style(text::success));
        container(
            column![title, body]
                .push(note)
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
            .secure(true)
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
            .secure(true)
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
            button(text(label))
                .on_press_maybe((!self.busy).then_some(Message::Submit))
                .padding([8, 16]),
        ]
        .spacing(12)
        .into()
    }
}

fn recovery_view(key: &str) -> Element<'_, Message> {
    column![
        text(tr!("unlock.recovery_title")).size(20),
        text(tr!("unlock.recovery_text")),
        container(text(key.to_string()).font(Font::MONOSPACE).size(20))
            .padding(12)
            .style(container::rounded_box),
        row![
            button(text(tr!("common.copy")))
                .on_press(Message::CopyRecovery)
                .padding([8, 16]),
            button(text(tr!("unlock.save_to_file")))
                .on_press(Message::SaveRecovery)
                .padding([8, 16]),
            button(text(tr!("unlock.saved")))
                .on_press(Message::Continue)
                .padding([8, 16]),
        ]
        .spacing(12)
        .align_y(Center),
    ]
    .spacing(12)
    .into()
}

/// Writes the recovery key to a file only the user can read.
fn save_recovery(path: &std::path::Path, key: &str) -> Result<String, String> {
    let text = zeroize::Zeroizing::new(format!(
        "Tessera recovery key\n\n    {key}\n\nIt opens your Tessera vault if the keyring is lost or the password forgotten.\n"
    ));
    crate::backup::write_private(path, text.as_bytes())
        .map(|()| path.display().to_string())
        .map_err(|e| sentence(format!("cannot write {}: {e}", path.display())))
}

fn inspect(path: &std::path::Path) -> Inspected {
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

fn create(
    path: &std::path::Path,
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

fn open(path: &std::path::Path, secret: &str) -> Result<SharedVault, String> {
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
