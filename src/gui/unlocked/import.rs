//! Importing: the checklist of the accounts found in a file, an image, the
//! clipboard or the screen (new ones ticked, ones already in the vault
//! unticked and marked), and the password of an encrypted backup.

use std::path::PathBuf;

use iced::Element;
use iced::widget::{checkbox, column, row, text, text_input};

use super::super::widget::{button, focusable};

use crate::account::Account;
use crate::import::{self, Report};
use crate::vault::Entry;

use super::super::task::sentence;

#[derive(Debug)]
pub enum State {
    /// What was found, to tick and import.
    Checklist {
        source: String,
        items: Vec<Item>,
        /// What was left out on purpose (a web link beside an account
        /// QR code, a duplicate), with the reason: shown greyed.
        skipped: Vec<String>,
        errors: Vec<String>,
    },
    /// An encrypted backup: its password first.
    Password {
        path: PathBuf,
        format: String,
        password: String,
        error: Option<String>,
    },
}

/// One account found: ticked to import, already in the vault.
#[derive(Debug)]
pub struct Item {
    account: Account,
    checked: bool,
    present: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Toggle(usize),
    Import,
    Password(String),
    SubmitPassword,
    Cancel,
}

/// What the parent must act on.
pub enum Event {
    Import(Vec<Account>),
    /// Read the backup again with this password.
    Open(PathBuf, zeroize::Zeroizing<String>),
    Cancel,
}

impl State {
    /// The checklist of what an input held (a file, a paste, the
    /// clipboard, the screen): the one import `Report` the CLI prints too.
    pub fn checklist(source: String, report: Report, entries: &[Entry]) -> Self {
        let source = match report.format {
            Some(format) => format!("{source} ({format})"),
            None => source,
        };
        let mut errors: Vec<String> = report
            .errors
            .iter()
            .map(|r| match r.label.as_str() {
                "" => sentence(r.error.to_string()),
                label => format!("{label}: {}", sentence(r.error.to_string())),
            })
            .collect();
        for missing in import::missing_batches(&report.batches) {
            errors.push(sentence(missing.to_string()));
        }
        let skipped = report
            .skipped
            .iter()
            .map(|s| match s.label.as_str() {
                "" => sentence(s.message.clone()),
                label => format!("{label}: {}", sentence(s.message.clone())),
            })
            .collect();
        let items = report
            .accounts
            .into_iter()
            .map(|account| {
                let present = entries.iter().any(|e| e.account.same_token(&account));
                Item {
                    account,
                    checked: !present,
                    present,
                }
            })
            .collect();
        Self::Checklist {
            source,
            items,
            skipped,
            errors,
        }
    }

    /// Asks for the password of the backup at `path`; if it was asked
    /// already (`previous`), the last one was wrong.
    pub fn password(path: PathBuf, format: String, previous: Option<&State>) -> Self {
        let error = match previous {
            Some(Self::Password { path: p, .. }) if *p == path => {
                Some(tr!("backup.wrong_password"))
            }
            _ => None,
        };
        Self::Password {
            path,
            format,
            password: String::new(),
            error,
        }
    }

    /// Shows a problem; `false` if this state has no place for it.
    pub fn set_error(&mut self, problem: String) -> bool {
        match self {
            Self::Password { error, .. } => {
                *error = Some(problem);
                true
            }
            Self::Checklist { .. } => false,
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match (message, &mut *self) {
            (Message::Toggle(i), Self::Checklist { items, .. }) => {
                if let Some(item) = items.get_mut(i) {
                    item.checked = !item.checked;
                }
            }
            (Message::Import, Self::Checklist { items, .. }) => {
                let chosen: Vec<Account> = items
                    .iter()
                    .filter(|i| i.checked)
                    .map(|i| i.account.clone())
                    .collect();
                if !chosen.is_empty() {
                    return Some(Event::Import(chosen));
                }
            }
            (Message::Password(p), Self::Password { password, .. }) => *password = p,
            (Message::SubmitPassword, Self::Password { path, password, .. }) => {
                let event = Event::Open(path.clone(), zeroize::Zeroizing::new(password.clone()));
                return Some(event);
            }
            (Message::Cancel, _) => return Some(Event::Cancel),
            _ => {}
        }
        None
    }

    pub fn view(&self, busy: bool) -> Element<'_, Message> {
        match self {
            Self::Checklist {
                source,
                items,
                skipped,
                errors,
            } => checklist_view(source, items, skipped, errors, busy),
            Self::Password {
                format,
                password,
                error,
                ..
            } => password_view(format, password, error.as_deref()),
        }
    }
}

fn checklist_view<'a>(
    source: &'a str,
    items: &'a [Item],
    skipped: &'a [String],
    errors: &'a [String],
    busy: bool,
) -> Element<'a, Message> {
    let n = items.len();
    let mut col = column![text(tr_n!("checklist.title", n, source = source)).size(20)].spacing(8);
    for (i, item) in items.iter().enumerate() {
        let note = if item.present {
            format!("  {}", tr!("checklist.present"))
        } else {
            String::new()
        };
        col = col.push(focusable(
            checkbox(item.checked)
                .label(format!("{}{note}", item.account.display_label()))
                .on_toggle(move |_| Message::Toggle(i)),
        ));
    }
    for s in skipped {
        let line = tr!("checklist.skipped", reason = s);
        col = col.push(text(line).size(13).style(text::secondary));
    }
    for e in errors {
        col = col.push(text(e.clone()).size(13).style(text::danger));
    }
    let chosen = items.iter().filter(|i| i.checked).count();
    col.push(
        row![
            button(text(tr_n!("checklist.import", chosen)))
                .on_press_maybe((!busy && chosen > 0).then_some(Message::Import)),
            button(text(tr!("common.cancel")))
                .on_press(Message::Cancel)
                .style(button::secondary),
        ]
        .spacing(8)
        .wrap(),
    )
    .into()
}

fn password_view<'a>(
    format: &'a str,
    password: &'a str,
    error: Option<&'a str>,
) -> Element<'a, Message> {
    column![
        text(tr!("backup.encrypted_title", format = format)).size(20),
        text(tr!("backup.type_password")),
        text_input(&tr!("backup.password"), password)
            .secure(true)
            .on_input(Message::Password)
            .on_submit(Message::SubmitPassword)
            .padding(8),
    ]
    .push(error.map(|e| text(e.to_string()).style(text::danger)))
    .push(
        row![
            button(text(tr!("common.open"))).on_press(Message::SubmitPassword),
            button(text(tr!("common.cancel")))
                .on_press(Message::Cancel)
                .style(button::secondary),
        ]
        .spacing(8)
        .wrap(),
    )
    .spacing(12)
    .into()
}
