//! Keyboard shortcuts of the unlocked app, the F1 overlay that lists
//! them, and what counts as the person's activity.
//!
//! Keys reach here only when no widget took them (a focused search field
//! keeps its own Ctrl+C and Delete).

use iced::keyboard::{self, Modifiers, key::Named};
use iced::widget::{column, container, row, text};

use super::super::widget::button;
use iced::{Element, Fill, Task};

use super::{Event, Message, Screen, Unlocked, account, add, list};

/// What a shortcut asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Ctrl+F: the search field.
    Search,
    /// Ctrl+N: the add screen.
    Add,
    /// Ctrl+L: lock now.
    Lock,
    /// Ctrl+,: settings.
    Settings,
    /// Ctrl+C: copy the selected account's code.
    CopySelected,
    /// Delete: ask to delete the selected account.
    DeleteSelected,
    /// Ctrl+B: the binding helper of the selected account.
    BindSelected,
    /// F2: rename the selected account.
    RenameSelected,
    /// F1: the list of shortcuts (again: closes it).
    Help,
    /// Tab / Shift+Tab: the next or previous field.
    FocusNext,
    FocusPrevious,
}

/// The shortcut of a key press no widget took, if any.
pub fn from_key(key: &keyboard::Key, modifiers: Modifiers) -> Option<Shortcut> {
    match key {
        keyboard::Key::Character(c) if modifiers.command() && !modifiers.alt() => {
            match c.as_str() {
                "f" => Some(Shortcut::Search),
                "n" => Some(Shortcut::Add),
                "l" => Some(Shortcut::Lock),
                "," => Some(Shortcut::Settings),
                "c" => Some(Shortcut::CopySelected),
                "b" => Some(Shortcut::BindSelected),
                _ => None,
            }
        }
        keyboard::Key::Named(Named::Delete) if modifiers.is_empty() => {
            Some(Shortcut::DeleteSelected)
        }
        keyboard::Key::Named(Named::F1) => Some(Shortcut::Help),
        keyboard::Key::Named(Named::F2) if modifiers.is_empty() => Some(Shortcut::RenameSelected),
        keyboard::Key::Named(Named::Tab) if modifiers.shift() => Some(Shortcut::FocusPrevious),
        keyboard::Key::Named(Named::Tab) => Some(Shortcut::FocusNext),
        _ => None,
    }
}

/// The shortcuts as the overlay lists them: keys, then what they do.
fn table() -> Vec<(&'static str, String)> {
    vec![
        ("Ctrl+F", tr!("keys.search")),
        ("↑ ↓", tr!("keys.move")),
        ("Enter", tr!("keys.copy")),
        ("Ctrl+C", tr!("keys.copy")),
        ("Alt+↑ Alt+↓", tr!("keys.reorder")),
        ("Ctrl+B", tr!("keys.bind")),
        ("Ctrl+N", tr!("keys.add")),
        ("Ctrl+V", tr!("keys.paste")),
        ("F2", tr!("keys.rename")),
        ("Delete", tr!("keys.delete")),
        ("Ctrl+,", tr!("keys.settings")),
        ("Ctrl+L", tr!("keys.lock")),
        ("Tab  Shift+Tab", tr!("keys.focus")),
        ("Enter  Space", tr!("keys.press")),
        ("Enter", tr!("keys.import")),
        ("Esc", tr!("keys.back")),
        ("F1", tr!("keys.help")),
    ]
}

/// The F1 overlay.
pub fn help<'a>() -> Element<'a, Message> {
    let rows = table()
        .into_iter()
        .fold(column![].spacing(6), |col, (keys, what)| {
            col.push(
                row![
                    container(text(keys).font(iced::Font::MONOSPACE)).width(160),
                    text(what),
                ]
                .spacing(12),
            )
        });
    column![
        text(tr!("keys.title")).size(20),
        rows,
        button(text(tr!("common.done"))).on_press(Message::Back),
    ]
    .spacing(16)
    .width(Fill)
    .into()
}

impl Unlocked {
    pub(super) fn shortcut(
        &mut self,
        shortcut: Shortcut,
        now: u64,
    ) -> (Task<Message>, Option<Event>) {
        let on_list = matches!(self.screen, Screen::List);
        let task = match shortcut {
            Shortcut::FocusNext => iced::widget::operation::focus_next(),
            Shortcut::FocusPrevious => iced::widget::operation::focus_previous(),
            Shortcut::Help => {
                self.screen = if matches!(self.screen, Screen::Help) {
                    Screen::List
                } else {
                    Screen::Help
                };
                Task::none()
            }
            Shortcut::Lock => return (Task::none(), Some(Event::Lock)),
            Shortcut::Search => {
                self.screen = Screen::List;
                iced::widget::operation::focus(list::SEARCH_ID)
            }
            Shortcut::Add => {
                self.screen = Screen::Add(add::State::default());
                add::focus_first()
            }
            Shortcut::Settings => {
                self.screen = Screen::Settings;
                Task::none()
            }
            Shortcut::CopySelected if on_list => {
                return self.list_message(list::Message::Submit, now);
            }
            Shortcut::DeleteSelected if on_list => {
                if let Some(id) = self.list.selected_id(&self.entries) {
                    self.screen = Screen::Account(account::State::Delete(id));
                }
                Task::none()
            }
            Shortcut::BindSelected if on_list => {
                let id = self.list.selected_id(&self.entries);
                if let Some(id) = id.filter(|id| {
                    let entry = self.entries.iter().find(|e| e.id == *id);
                    entry.is_some_and(|e| {
                        !matches!(e.account.kind, crate::account::OtpKind::Hotp { .. })
                    })
                }) {
                    self.screen = Screen::Account(account::State::bind(id));
                }
                Task::none()
            }
            Shortcut::RenameSelected if on_list => {
                let state = self
                    .list
                    .selected_id(&self.entries)
                    .and_then(|id| account::State::rename(id, &self.entries));
                match state {
                    Some(state) => {
                        self.screen = Screen::Account(state);
                        iced::widget::operation::focus(account::RENAME_FIRST)
                    }
                    None => Task::none(),
                }
            }
            Shortcut::CopySelected
            | Shortcut::DeleteSelected
            | Shortcut::BindSelected
            | Shortcut::RenameSelected => Task::none(),
        };
        (task, None)
    }
}

impl Message {
    /// Whether the message comes from the person (a key, a click, a drop)
    /// rather than from finished work: only input delays the auto-lock (a
    /// clipboard clearing 30 s after a copy must not restart the timer).
    pub fn is_input(&self) -> bool {
        !matches!(
            self,
            Message::FileRead(..)
                | Message::Scanned(..)
                | Message::Saved(_)
                | Message::HotpUsed(..)
                | Message::Exported(_)
                | Message::ClipboardWritten(_)
                | Message::ClipboardCleared
                | Message::Glyphs(_)
        )
    }
}

/// How messages name an account: as its row does (`Issuer · name`), or
/// "Code" when it has neither.
pub(super) fn row_label(account: &crate::account::Account) -> String {
    if account.issuer.is_none() && account.name.is_empty() {
        return tr!("codes.code");
    }
    list::rows::title(account)
}
