//! The desktop app (iced, Elm style). This first window computes codes for
//! a pasted otpauth:// link or a typed key; accounts and the vault come
//! with the vault and app issues.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use iced::widget::{column, container, progress_bar, row, text, text_input};
use iced::{Element, Fill, Font, Subscription, Task, window};

use crate::account::{Account, OtpKind};
use crate::input;
use crate::otp::group_code;

/// Reverse-DNS application id shared by the window, desktop file and icon.
pub const APP_ID: &str = crate::APP_ID;

/// Whether a display server is reachable, checked before iced starts
/// (iced panics without one).
pub fn display_available() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none_or(|v| v.is_empty())
        && std::env::var_os("WAYLAND_DISPLAY").is_none_or(|v| v.is_empty())
    {
        return Err(String::from(
            "no graphical display found (DISPLAY and WAYLAND_DISPLAY are not set)",
        ));
    }
    Ok(())
}

mod instance;

/// The app icon (also installed under hicolor by the packages).
const ICON_PNG: &[u8] =
    include_bytes!("../../assets/icons/hicolor/256x256/apps/io.github.tessera.Tessera.png");

fn window_icon() -> Option<window::Icon> {
    let image = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png).ok()?;
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    window::icon::from_rgba(rgba.into_raw(), width, height).ok()
}

/// Opens the app window and runs until it is closed. If Tessera is
/// already running, brings its window forward instead and returns.
pub fn run() -> iced::Result {
    if let instance::Role::Forwarded = instance::acquire() {
        eprintln!("tessera: already running; its window was brought forward");
        return Ok(());
    }
    iced::application(App::new, App::update, App::view)
        .title("Tessera")
        .subscription(App::subscription)
        .settings(iced::Settings {
            id: Some(APP_ID.to_string()),
            default_font: Font::with_name("Fira Sans"),
            ..iced::Settings::default()
        })
        .window(window::Settings {
            size: iced::Size::new(520.0, 300.0),
            icon: window_icon(),
            #[cfg(target_os = "linux")]
            platform_specific: window::settings::PlatformSpecific {
                application_id: APP_ID.to_string(),
                ..Default::default()
            },
            ..window::Settings::default()
        })
        .run()
}

/// State of the window.
#[derive(Debug, Default)]
pub struct App {
    input: String,
    parsed: Option<Result<Account, String>>,
    now: u64,
}

/// Everything that can happen in the window.
#[derive(Debug, Clone)]
pub enum Message {
    InputChanged(String),
    Tick,
    /// Another `tessera` start asked this window to come forward.
    Raise,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl App {
    /// A fresh window reading the clock once.
    pub fn new() -> Self {
        Self {
            now: unix_now(),
            ..Self::default()
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::InputChanged(value) => {
                self.parsed = parse_input(&value);
                self.input = value;
                self.now = unix_now();
            }
            Message::Tick => self.now = unix_now(),
            Message::Raise => {
                return window::latest().and_then(|id| {
                    Task::batch([window::minimize(id, false), window::gain_focus(id)])
                });
            }
        }
        Task::none()
    }

    /// Ticks once a second while a code is shown, never otherwise.
    pub fn subscription(&self) -> Subscription<Message> {
        let raises = instance::raises().map(|()| Message::Raise);
        if matches!(self.parsed, Some(Ok(_))) {
            Subscription::batch([
                raises,
                iced::time::every(Duration::from_secs(1)).map(|_| Message::Tick),
            ])
        } else {
            raises
        }
    }

    /// Draws the window.
    pub fn view(&self) -> Element<'_, Message> {
        let field = text_input("Paste an otpauth:// link or type a key", &self.input)
            .id("key")
            .on_input(Message::InputChanged)
            .secure(true)
            .padding(10);
        let body: Element<'_, Message> = match &self.parsed {
            None => text("The code appears here. Nothing is saved.")
                .style(text::secondary)
                .into(),
            Some(Err(message)) => text(message.as_str()).style(text::danger).into(),
            Some(Ok(account)) => code_view(account, self.now),
        };
        container(column![text("Tessera").size(24), field, body].spacing(16))
            .padding(24)
            .width(Fill)
            .into()
    }
}

fn parse_input(value: &str) -> Option<Result<Account, String>> {
    if value.trim().is_empty() {
        return None;
    }
    let lower = value.trim_start().to_ascii_lowercase();
    if lower.starts_with("otpauth") {
        let found = input::parse_payload(value);
        return Some(
            match (found.accounts.into_iter().next(), found.errors.first()) {
                (_, Some(e)) => Err(e.to_string()),
                (Some(a), None) => Ok(a),
                (None, None) => Err(String::from("The link holds no account.")),
            },
        );
    }
    Some(
        input::parse_bare_key(value)
            .map(|secret| Account::totp(None, "", secret))
            .map_err(|e| e.to_string()),
    )
}

fn code_view(account: &Account, now: u64) -> Element<'_, Message> {
    let label = if account.issuer.is_none() && account.name.is_empty() {
        String::from("Key typed by hand (not saved)")
    } else {
        account.display_label()
    };
    let label = text(label).style(text::secondary);
    let code = text(group_code(&account.code_at(now)))
        .size(40)
        .font(Font::MONOSPACE);
    let next = text(format!(
        "next {}",
        account
            .next_code(now)
            .map(|c| group_code(&c))
            .unwrap_or_default()
    ))
    .style(text::secondary);
    let timer: Element<'_, Message> = match account.kind {
        OtpKind::Totp { period } => {
            let left = account.seconds_remaining(now).unwrap_or(0);
            let bar = progress_bar(0.0..=period.get() as f32, left as f32).girth(6);
            let bar = if left <= 5 {
                bar.style(progress_bar::danger)
            } else {
                bar
            };
            column![bar, text(format!("{left} s left")).size(14)]
                .spacing(4)
                .into()
        }
        OtpKind::Hotp { counter } => text(format!("counter {counter}")).size(14).into(),
    };
    column![
        label,
        row![code, next].spacing(16).align_y(iced::Center),
        timer
    ]
    .spacing(8)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_a_key_shows_its_code() {
        let mut app = App::new();
        let _ = app.update(Message::InputChanged("jbsw y3dp-ehpk 3pxp".into()));
        assert!(matches!(app.parsed, Some(Ok(_))));
        let _ = app.update(Message::InputChanged("0189".into()));
        assert!(matches!(&app.parsed, Some(Err(m)) if m.contains("digit")));
        let _ = app.update(Message::InputChanged(String::new()));
        assert!(app.parsed.is_none());
    }
}
