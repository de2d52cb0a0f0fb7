//! The app around its window: the tray's clicks, showing, hiding and
//! reopening the window, and quitting (the window closed without "Keep
//! running in the tray", or Quit in the tray).

use iced::{Task, window};

use super::task::{blocking, poisoned, sentence};
use super::{App, Message, Screen, tray};

impl App {
    /// Shows the window: opens it again if it was closed into the tray,
    /// else brings it forward.
    pub(super) fn show_window(&mut self) -> Task<Message> {
        match self.window {
            Some(id) => raise(id),
            None => {
                let (id, open) = window::open(super::window_settings());
                self.window = Some(id);
                open.map(Message::WindowOpened)
            }
        }
    }

    /// The window is gone: hidden into the tray, kept running in it, or
    /// the end of the app.
    pub(super) fn window_closed(&mut self, id: window::Id) -> Task<Message> {
        if self.window == Some(id) {
            self.window = None;
        }
        let hiding = std::mem::take(&mut self.hiding);
        if self.tray && (hiding || self.settings.keep_in_tray) {
            return Task::none();
        }
        self.quit()
    }

    pub(super) fn tray_event(&mut self, event: tray::Event) -> Task<Message> {
        match event {
            tray::Event::Copy(id) => {
                self.now = super::unix_now();
                match &mut self.screen {
                    Screen::Unlocked(screen) => {
                        screen.copy_code(&id, self.now).map(Message::Unlocked)
                    }
                    Screen::Locked(_) => Task::none(),
                }
            }
            tray::Event::ToggleWindow => match self.window {
                Some(id) if matches!(self.screen, Screen::Unlocked(_)) => {
                    self.hiding = true;
                    window::close(id)
                }
                _ => self.show_window(),
            },
            tray::Event::Lock => self.lock(super::unlock::LockReason::Manual),
            tray::Event::Quit => self.quit(),
        }
    }

    /// Ends the app, once the recently used order is saved.
    pub(super) fn quit(&mut self) -> Task<Message> {
        self.save_recent().map(|result| {
            if let Err(e) = result {
                eprintln!("tessera: the recently used order could not be saved: {e}");
            }
            Message::Quit
        })
    }

    /// Writes the recently used order into the vault (only if it changed):
    /// on lock and on quit, not on every copy.
    pub(super) fn save_recent(&self) -> Task<Result<(), String>> {
        let Screen::Unlocked(screen) = &self.screen else {
            return Task::done(Ok(()));
        };
        let session = screen.session();
        let recent = screen.entries_and_recent().1.to_vec();
        // Unchanged: nothing to write, and the vault goes with the screen
        // at once (when changed, once the order is written).
        if session
            .lock()
            .is_ok_and(|s| s.recent() == recent.as_slice())
        {
            return Task::done(Ok(()));
        }
        Task::perform(
            blocking(move || {
                let mut session = session.lock().map_err(|_| poisoned())?;
                session
                    .set_recent(&recent, tray::MAX_ACCOUNTS)
                    .map_err(|e| sentence(e.to_string()))
            }),
            std::convert::identity,
        )
    }

    /// Sends the tray the menu for the current state, when it changed.
    pub(super) fn refresh_tray(&mut self) {
        if !self.tray {
            return;
        }
        let menu = match &self.screen {
            Screen::Unlocked(screen) => {
                let (entries, recent) = screen.entries_and_recent();
                tray::Menu {
                    unlocked: true,
                    accounts: tray::accounts(entries, recent),
                    window_shown: self.window.is_some(),
                }
            }
            Screen::Locked(_) => tray::Menu {
                window_shown: self.window.is_some(),
                ..tray::Menu::default()
            },
        };
        if menu != self.tray_menu {
            tray::show(menu.clone());
            self.tray_menu = menu;
        }
    }
}

/// Brings the window forward: on X11 the window manager raises and
/// focuses it; winit 0.30 cannot activate an existing Wayland surface, so
/// there the compositor is asked for attention (xdg-activation) instead.
fn raise(id: window::Id) -> Task<Message> {
    let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty());
    let attention = if wayland {
        window::request_user_attention(id, Some(window::UserAttention::Informational))
    } else {
        Task::none()
    };
    Task::batch([
        window::minimize(id, false),
        window::gain_focus(id),
        attention,
    ])
}
