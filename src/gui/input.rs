//! Keys and dropped files, anywhere in the window: type-to-search, the
//! list's arrows and Enter, Escape, Ctrl+V, files dropped on the window.

use iced::{keyboard, window};

use super::Message;
use super::unlocked::{self, ListMessage};

/// Files dropped on the window, and Ctrl+V and Esc even when a text field
/// has taken the keystroke (a pasted screenshot or link is imported).
pub fn dropped_file(event: iced::Event, _: iced::event::Status, _: window::Id) -> Option<Message> {
    match event {
        iced::Event::Window(window::Event::FileDropped(path)) => {
            Some(Message::Unlocked(unlocked::Message::FileDropped(path)))
        }
        iced::Event::Keyboard(keyboard::Event::KeyPressed {
            key: keyboard::Key::Character(c),
            modifiers,
            ..
        }) if c.as_str() == "v" && modifiers.command() => {
            Some(Message::Unlocked(unlocked::Message::Paste))
        }
        // Esc goes back also from a form whose field has the caret (the
        // field takes the key to drop its focus).
        iced::Event::Keyboard(keyboard::Event::KeyPressed {
            key: keyboard::Key::Named(keyboard::key::Named::Escape),
            ..
        }) => Some(Message::Unlocked(unlocked::Message::Back)),
        _ => None,
    }
}

pub fn navigation_key(event: keyboard::Event) -> Option<Message> {
    use keyboard::key::Named;
    let keyboard::Event::KeyPressed {
        key,
        modifiers,
        text,
        ..
    } = event
    else {
        return None;
    };
    if let Some(shortcut) = unlocked::keys::from_key(&key, modifiers) {
        return Some(Message::Unlocked(unlocked::Message::Shortcut(shortcut)));
    }
    // Type-to-search: a printable character no widget took.
    if let Some(typed) = text.filter(|t| t.chars().all(|c| !c.is_control()) && !t.is_empty())
        && !modifiers.control()
        && !modifiers.alt()
        && !modifiers.logo()
    {
        return Some(list(ListMessage::TypeToSearch(typed.to_string())));
    }
    let keyboard::Key::Named(named) = key else {
        return None;
    };
    match named {
        Named::ArrowDown if modifiers.alt() => Some(list(ListMessage::Reorder(1))),
        Named::ArrowUp if modifiers.alt() => Some(list(ListMessage::Reorder(-1))),
        Named::ArrowDown => Some(list(ListMessage::Move(1))),
        Named::ArrowUp => Some(list(ListMessage::Move(-1))),
        Named::Enter => Some(list(ListMessage::Submit)),
        _ => None,
    }
}

/// Tab and Shift+Tab on the locked screens (first run, unlock, the
/// recovery key, the backups), which have no other shortcuts.
pub fn locked_key(event: keyboard::Event) -> Option<Message> {
    match event {
        keyboard::Event::KeyPressed {
            key: keyboard::Key::Named(keyboard::key::Named::Tab),
            modifiers,
            ..
        } => Some(Message::FocusMove(!modifiers.shift())),
        _ => None,
    }
}

fn list(message: ListMessage) -> Message {
    Message::Unlocked(unlocked::Message::List(message))
}
