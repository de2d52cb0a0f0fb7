//! The desktop app (iced 0.14, Elm style). The top state is
//! [`Screen::Locked`] ([`unlock`]) or [`Screen::Unlocked`] ([`unlocked`]):
//! the decrypted vault exists only inside the unlocked screen. Each screen
//! is a module with its own state, `Message`, `update` (returning an
//! `Event` for its parent) and `view`; this module only routes, and holds
//! the clock, the settings, the theme and the subscriptions. Slow work (key
//! derivation, keyring, file I/O) runs in tasks ([`task`]).

use std::path::PathBuf;
use std::time::Duration;

use iced::{Element, Font, Subscription, Task, Theme, keyboard, window};

use crate::settings::{Settings, ThemeChoice};

/// The translation of a catalog key (locales/*.yml) in the current
/// language, as a `String`; `tr!("key", name = value)` fills `%{name}`
/// ([`i18n`]).
macro_rules! tr {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::gui::i18n::text(
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
}

/// The translation of a text about a count: `tr_n!("key", n, name =
/// value)` takes the entry of `n`'s plural form (`key.one`, `key.other`)
/// and fills `%{n}` and `%{name}`.
macro_rules! tr_n {
    ($key:literal, $n:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::gui::i18n::count(
            $key,
            $crate::gui::i18n::as_count($n),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
}

mod clipboard;
pub mod i18n;
mod instance;
#[cfg(test)]
mod sim_tests;
mod task;
mod unlock;
mod unlocked;
mod widget;

use task::{blocking, unix_now};
use unlocked::ListMessage;

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

/// The app icon (also installed under hicolor by the packages).
const ICON_PNG: &[u8] =
    include_bytes!("../../assets/icons/hicolor/256x256/apps/io.github.tessera.Tessera.png");

fn window_icon() -> Option<window::Icon> {
    let image = image::load_from_memory_with_format(ICON_PNG, image::ImageFormat::Png).ok()?;
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    window::icon::from_rgba(rgba.into_raw(), width, height).ok()
}

/// Opens the app on the vault at `vault` and runs until the window is
/// closed. If Tessera is already running, brings its window forward
/// instead and returns.
pub fn run(vault: PathBuf) -> iced::Result {
    if let instance::Role::Forwarded = instance::acquire() {
        eprintln!("tessera: already running; its window was brought forward");
        return Ok(());
    }
    iced::application(move || App::new(vault.clone()), App::update, App::view)
        .title("Tessera")
        .theme(App::theme)
        .subscription(App::subscription)
        .settings(iced::Settings {
            id: Some(APP_ID.to_string()),
            default_font: Font::with_name("Fira Sans"),
            ..iced::Settings::default()
        })
        .window(window::Settings {
            size: iced::Size::new(640.0, 560.0),
            min_size: Some(iced::Size::new(420.0, 360.0)),
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

/// Switches the catalogs to the chosen (or the system's) language.
fn apply_language(settings: &Settings) {
    i18n::set_locale(settings.language.locale(|v| std::env::var(v).ok()));
}

/// The app: which screen, and the clock as last read.
#[derive(Debug)]
pub struct App {
    vault_path: PathBuf,
    screen: Screen,
    now: u64,
    settings: Settings,
    settings_path: Option<PathBuf>,
}

#[derive(Debug)]
enum Screen {
    Locked(Box<unlock::Locked>),
    Unlocked(Box<unlocked::Unlocked>),
}

/// Everything that can happen in the app.
#[derive(Debug, Clone)]
pub enum Message {
    Locked(unlock::Message),
    Unlocked(unlocked::Message),
    Tick,
    /// Another `tessera` start asked this window to come forward.
    Raise,
    SettingsSaved(Result<(), String>),
    /// A copied code was cleared (or left, if the clipboard had changed).
    Cleared,
}

impl App {
    /// The app on `vault_path`, locked, checking the vault at once.
    pub fn new(vault_path: PathBuf) -> (Self, Task<Message>) {
        let (locked, task) = unlock::Locked::new(vault_path.clone());
        let settings_path = crate::settings::default_path();
        let settings = settings_path
            .as_deref()
            .map(Settings::load)
            .unwrap_or_default();
        apply_language(&settings);
        let app = Self {
            vault_path,
            screen: Screen::Locked(Box::new(locked)),
            now: unix_now(),
            settings,
            settings_path,
        };
        (app, task.map(Message::Locked))
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Locked(m) => self.locked(m),
            Message::Unlocked(m) => self.unlocked(m),
            Message::Tick => self.tick(),
            Message::SettingsSaved(Ok(())) | Message::Cleared => Task::none(),
            Message::SettingsSaved(Err(e)) => {
                eprintln!("tessera: the settings could not be saved: {e}");
                Task::none()
            }
            Message::Raise => window::latest()
                .and_then(|id| Task::batch([window::minimize(id, false), window::gain_focus(id)])),
        }
    }

    fn locked(&mut self, message: unlock::Message) -> Task<Message> {
        let Screen::Locked(screen) = &mut self.screen else {
            return Task::none();
        };
        let (task, event) = screen.update(message);
        match event {
            Some(unlock::Event::Unlocked(vault, copied)) => {
                self.now = unix_now();
                let (mut screen, task) =
                    unlocked::Unlocked::new(vault, self.now, self.settings.clone());
                if let Some(key) = copied {
                    // The recovery key copied on the first-run screen is
                    // cleared like a code: after the set time, and on lock.
                    screen.copied_before(key, self.now);
                }
                self.screen = Screen::Unlocked(Box::new(screen));
                task.map(Message::Unlocked)
            }
            None => task.map(Message::Locked),
        }
    }

    fn unlocked(&mut self, message: unlocked::Message) -> Task<Message> {
        self.now = unix_now();
        let Screen::Unlocked(screen) = &mut self.screen else {
            return Task::none();
        };
        let (task, event) = screen.update(message, self.now);
        match event {
            Some(unlocked::Event::Lock) => self.lock(),
            Some(unlocked::Event::Settings(settings)) => {
                apply_language(&settings);
                self.settings = settings.clone();
                let Some(path) = self.settings_path.clone() else {
                    return Task::none();
                };
                Task::perform(
                    blocking(move || settings.save(&path).map_err(|e| e.to_string())),
                    Message::SettingsSaved,
                )
            }
            None => task.map(Message::Unlocked),
        }
    }

    /// Drops the unlocked vault (its keys and secrets are zeroized on drop).
    fn lock(&mut self) -> Task<Message> {
        let copied = match &mut self.screen {
            Screen::Unlocked(screen) => screen.take_copied().map(zeroize::Zeroizing::new),
            Screen::Locked(_) => None,
        };
        let clear = match copied {
            Some(ours) => Task::perform(
                blocking(move || clipboard::clear_if_unchanged(&ours)),
                |_| Message::Cleared,
            ),
            None => Task::none(),
        };
        let (locked, task) = unlock::Locked::new(self.vault_path.clone());
        self.screen = Screen::Locked(Box::new(locked));
        Task::batch([clear, task.map(Message::Locked)])
    }

    fn tick(&mut self) -> Task<Message> {
        self.now = unix_now();
        let Screen::Unlocked(screen) = &mut self.screen else {
            return Task::none();
        };
        let (task, event) = screen.tick(self.now);
        match event {
            Some(unlocked::Event::Lock) => self.lock(),
            Some(unlocked::Event::Settings(_)) | None => task.map(Message::Unlocked),
        }
    }

    /// `None` follows the desktop's light or dark preference.
    pub fn theme(&self) -> Option<Theme> {
        match self.settings.theme {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some(Theme::Light),
            ThemeChoice::Dark => Some(Theme::Dark),
        }
    }

    /// One tick a second while unlocked (countdowns), none while locked.
    pub fn subscription(&self) -> Subscription<Message> {
        let raises = instance::raises().map(|()| Message::Raise);
        match self.screen {
            Screen::Locked(_) => raises,
            Screen::Unlocked(_) => Subscription::batch([
                raises,
                iced::time::every(Duration::from_secs(1)).map(|_| Message::Tick),
                keyboard::listen().filter_map(navigation_key),
                iced::event::listen_with(dropped_file),
            ]),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::Locked(s) => s.view().map(Message::Locked),
            Screen::Unlocked(s) => s.view(self.now).map(Message::Unlocked),
        }
    }
}

/// Files dropped on the window, and Ctrl+V even when a text field has
/// taken the keystroke (a pasted screenshot or link is imported).
fn dropped_file(event: iced::Event, _: iced::event::Status, _: window::Id) -> Option<Message> {
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
        _ => None,
    }
}

fn navigation_key(event: keyboard::Event) -> Option<Message> {
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
        Named::Escape => Some(Message::Unlocked(unlocked::Message::Back)),
        Named::Enter => Some(list(ListMessage::Submit)),
        _ => None,
    }
}

fn list(message: ListMessage) -> Message {
    Message::Unlocked(unlocked::Message::List(message))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::i18n::{self, Catalog, LOCALES};

    /// A catalog's keys: plain ones, and the plural forms of each text
    /// about a count (`key` → its categories).
    fn keys(catalog: &str) -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
        let (mut plain, mut plural) = (BTreeSet::new(), BTreeMap::new());
        for key in Catalog::parse(catalog).texts.into_keys() {
            match key.rsplit_once('.') {
                Some((base, form @ ("one" | "other"))) => {
                    plural
                        .entry(base.to_string())
                        .or_insert_with(BTreeSet::new)
                        .insert(form.to_string());
                }
                _ => {
                    plain.insert(key);
                }
            }
        }
        (plain, plural)
    }

    /// The keys used as `macro!("key"` in `source`.
    fn used<'a>(source: &'a str, call: &str) -> Vec<&'a str> {
        source
            .split(call)
            .skip(1)
            .filter_map(|part| part.split('"').next())
            .filter(|key| {
                key.contains('.')
                    && !key.ends_with(".rs")
                    && key.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                    })
            })
            .collect()
    }

    #[test]
    fn catalogs_have_the_same_keys_and_every_used_key() {
        let (en, en_plural) = keys(include_str!("../../locales/en.yml"));
        let (zh, zh_plural) = keys(include_str!("../../locales/zh-CN.yml"));
        assert_eq!(en, zh, "locales/en.yml and locales/zh-CN.yml differ");
        let forms = |list: &[&str]| list.iter().map(|f| f.to_string()).collect::<BTreeSet<_>>();
        // Each language has exactly the plural forms CLDR gives it.
        for (key, found) in &en_plural {
            assert_eq!(found, &forms(&["one", "other"]), "en.yml: {key}");
        }
        for (key, found) in &zh_plural {
            assert_eq!(found, &forms(&["other"]), "zh-CN.yml: {key}");
        }
        assert_eq!(
            en_plural.keys().collect::<Vec<_>>(),
            zh_plural.keys().collect::<Vec<_>>(),
            "the texts about a count differ"
        );
        // Every tr!("key") and tr_n!("key", n) under src/gui/ has its entry.
        let mut sources = Vec::new();
        gui_sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui"),
            &mut sources,
        );
        assert!(sources.len() > 10, "the GUI sources were not found");
        for (path, source) in &sources {
            for key in used(source, "tr!(\"") {
                assert!(en.contains(key), "missing catalog key {key} ({path:?})");
            }
            for key in used(source, "tr_n!(\"") {
                assert!(
                    en_plural.contains_key(key),
                    "missing plural forms of {key} ({path:?})"
                );
            }
        }
    }

    /// Every `.rs` file under `dir`, recursively, with its text.
    fn gui_sources(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        let entries = std::fs::read_dir(dir).expect("src/gui is readable");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                gui_sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a GUI source");
                out.push((path, text));
            }
        }
    }

    #[test]
    fn chinese_catalog_is_used() {
        assert_eq!(i18n::text_in("zh-CN", "codes.add", &[]), "添加");
        assert_eq!(i18n::text_in("en", "codes.add", &[]), "Add");
        assert_eq!(
            i18n::count_in("zh-CN", "codes.imported", 3, &[]),
            "已导入 3 个账户"
        );
        assert_eq!(LOCALES, ["en", "zh-CN"]);
    }

    #[test]
    fn counts_read_one_account_and_three_accounts() {
        assert_eq!(
            i18n::count_in("en", "codes.imported", 1, &[]),
            "Imported 1 account"
        );
        assert_eq!(
            i18n::count_in("en", "codes.imported", 3, &[]),
            "Imported 3 accounts"
        );
        assert_eq!(
            i18n::count_in("en", "codes.imported_dup", 1, &[("dup", &2)]),
            "Imported 1 account; 2 already in the vault"
        );
    }
}
