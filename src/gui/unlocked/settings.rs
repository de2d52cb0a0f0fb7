//! The settings screen: theme, language, clipboard clearing, auto-lock,
//! hidden codes, and the way to the export. It edits the parent's
//! [`Settings`] (which the list and the clock also read); the app saves
//! them.

use iced::widget::{column, pick_list, row, text, toggler};

use super::super::widget::{button, focusable, focusable_choice};
use iced::{Center, Element};

use crate::settings::{Language, Settings, ThemeChoice};

#[derive(Debug, Clone)]
pub enum Message {
    SetTheme(ThemeItem),
    SetLanguage(LanguageItem),
    SetClipboardClear(Choice),
    SetAutoLock(Choice),
    ToggleHideCodes,
    ToggleKeepInTray,
    OpenExport,
    OpenSecurity,
    Done,
}

/// What the parent must act on.
pub enum Event {
    /// The settings changed: apply and save them.
    Changed,
    OpenExport,
    OpenSecurity,
    Done,
}

/// Applies a change to `settings`.
pub fn update(settings: &mut Settings, message: Message) -> Event {
    match message {
        Message::SetTheme(theme) => settings.theme = theme.0,
        Message::SetLanguage(language) => settings.language = language.0,
        Message::SetClipboardClear(c) => settings.clipboard_clear_secs = c.0,
        Message::SetAutoLock(c) => settings.auto_lock_mins = c.0,
        Message::ToggleHideCodes => settings.hide_codes = !settings.hide_codes,
        Message::ToggleKeepInTray => settings.keep_in_tray = !settings.keep_in_tray,
        Message::OpenExport => return Event::OpenExport,
        Message::OpenSecurity => return Event::OpenSecurity,
        Message::Done => return Event::Done,
    }
    Event::Changed
}

/// A theme in the settings list, shown in the app's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeItem(pub ThemeChoice);

impl std::fmt::Display for ThemeItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            ThemeChoice::System => tr!("settings.theme_system"),
            ThemeChoice::Light => tr!("settings.theme_light"),
            ThemeChoice::Dark => tr!("settings.theme_dark"),
        })
    }
}

/// A language in the settings list: each shown in its own language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageItem(pub Language);

impl std::fmt::Display for LanguageItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            Language::System => tr!("settings.language_system"),
            Language::English => String::from("English"),
            Language::SimplifiedChinese => String::from("简体中文"),
        })
    }
}

/// A duration choice in settings: seconds or minutes, 0 = never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice(pub u64, pub &'static str);

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            f.write_str(&tr!("settings.never"))
        } else if self.1 == "min" {
            f.write_str(&tr!("settings.minutes", n = self.0))
        } else {
            f.write_str(&tr!("settings.seconds", n = self.0))
        }
    }
}

pub fn view(settings: &Settings) -> Element<'_, Message> {
    let clear = [
        Choice(10, "s"),
        Choice(20, "s"),
        Choice(30, "s"),
        Choice(60, "s"),
        Choice(0, "s"),
    ];
    let lock = [
        Choice(1, "min"),
        Choice(2, "min"),
        Choice(5, "min"),
        Choice(10, "min"),
        Choice(30, "min"),
        Choice(0, "min"),
    ];
    let current_clear = clear
        .iter()
        .copied()
        .find(|c| c.0 == settings.clipboard_clear_secs);
    let current_lock = lock
        .iter()
        .copied()
        .find(|c| c.0 == settings.auto_lock_mins);
    let line = |label: String, control: Element<'static, Message>| {
        row![text(label).width(iced::Length::FillPortion(3)), control]
            .spacing(12)
            .align_y(Center)
    };
    column![
        text(tr!("settings.title")).size(20),
        line(
            tr!("settings.theme"),
            focusable_choice(pick_list(
                ThemeChoice::ALL.map(ThemeItem),
                Some(ThemeItem(settings.theme)),
                Message::SetTheme
            ))
        ),
        line(
            tr!("settings.language"),
            focusable_choice(pick_list(
                Language::ALL.map(LanguageItem),
                Some(LanguageItem(settings.language)),
                Message::SetLanguage
            ))
        ),
        line(
            tr!("settings.clipboard"),
            focusable_choice(pick_list(clear, current_clear, Message::SetClipboardClear))
        ),
        line(
            tr!("settings.auto_lock"),
            focusable_choice(pick_list(lock, current_lock, Message::SetAutoLock))
        ),
        line(
            tr!("settings.hide_codes"),
            focusable(
                toggler(settings.hide_codes)
                    .on_toggle(|_| Message::ToggleHideCodes)
                    .size(22)
            ),
        ),
        line(
            tr!("settings.keep_in_tray"),
            focusable(
                toggler(settings.keep_in_tray)
                    .on_toggle(|_| Message::ToggleKeepInTray)
                    .size(22)
            ),
        ),
        row![
            button(text(tr!("settings.security"))).on_press(Message::OpenSecurity),
            button(text(tr!("settings.export"))).on_press(Message::OpenExport),
            button(text(tr!("common.done")))
                .on_press(Message::Done)
                .style(button::secondary),
        ]
        .spacing(8)
        .wrap(),
    ]
    .spacing(14)
    .into()
}
