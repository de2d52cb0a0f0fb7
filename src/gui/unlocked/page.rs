//! The unlocked window's page: the current screen, the scan in progress
//! with its Cancel, and the note floating over the bottom edge.

use iced::widget::{column, row, text};
use iced::{Element, Fill};

use super::super::widget::{button, toast};
use super::{Message, Screen, Unlocked, keys, settings};

impl Unlocked {
    /// The page at `now`.
    pub fn view(&self, now: u64) -> Element<'_, Message> {
        let list = || {
            self.list
                .view(&self.entries, self.settings.hide_codes, now)
                .map(Message::List)
        };
        let body = match &self.screen {
            Screen::List => list(),
            Screen::Account(state) => match state.view(&self.entries, now, self.busy) {
                Some(screen) => screen.map(Message::Account),
                None => list(),
            },
            Screen::Add(form) => form.view(now, self.busy).map(Message::Add),
            Screen::Import(state) => state.view(self.busy).map(Message::Import),
            Screen::Export(form) => form
                .view(self.entries.len(), self.busy)
                .map(Message::Export),
            Screen::Settings => settings::view(&self.settings).map(Message::Settings),
            Screen::Help => keys::help(),
            Screen::Security(state) => state.view(self.busy).map(Message::Security),
        };
        let scanning = self.scanning.as_ref().map(|_| {
            row![
                text(tr!("scan.running")).style(text::secondary),
                button(text(tr!("common.cancel")))
                    .on_press(Message::CancelScan)
                    .style(button::secondary),
            ]
            .spacing(12)
            .align_y(iced::Center)
        });
        // The note floats over the bottom edge: nothing moves when it
        // comes or goes.
        let note = self.toast.as_ref().map(|(t, _)| {
            iced::widget::container(toast(t))
                .align_bottom(Fill)
                .center_x(Fill)
        });
        let page = column![body].push(scanning).spacing(8).padding(16);
        iced::widget::stack![page.width(Fill).height(Fill)]
            .push(note.map(|n| n.padding(12)))
            .into()
    }
}
