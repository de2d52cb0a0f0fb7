//! The desktop app (iced 0.14, Elm style). The top state is
//! [`Screen::Locked`] ([`unlock`]) or [`Screen::Unlocked`] ([`unlocked`]):
//! the decrypted vault exists only inside the unlocked screen. Each screen
//! is a module with its own state, `Message`, `update` (returning an
//! `Event` for its parent) and `view`; this module only routes, and holds
//! the clock, the settings, the theme and the subscriptions. Slow work (key
//! derivation, keyring, file I/O) runs in tasks ([`task`]). The app is an
//! iced daemon: [`shell`] opens, hides and reopens its window and handles
//! the [`tray`]; [`instance`] keeps one app per user and takes the links
//! later starts hand over.

use std::path::PathBuf;
use std::time::Duration;

use iced::{Element, Font, Subscription, Task, Theme, keyboard, window};

use crate::import::Report;
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
mod dialogs;
pub mod i18n;
mod input;
mod instance;
mod screensaver;
mod shell;
#[cfg(test)]
mod sim_tests;
mod task;
#[cfg(test)]
mod tests_focus;
#[cfg(test)]
mod tests_lock;
mod tray;
mod unlock;
mod unlocked;
mod widget;

use task::{blocking, unix_now};

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

/// How [`run`] ended.
pub enum Ran {
    /// The app ran until the window was closed (or Quit in the tray).
    Closed,
    /// Tessera was already running: its window was asked to come forward
    /// (and given the link).
    Forwarded,
}

/// Opens the app on the vault at `vault` and runs until the window is
/// closed; `link` (an `otpauth://` or `otpauth-migration://` link) opens
/// the add checklist with its accounts once the vault is unlocked. If
/// Tessera is already running, hands the link to its window and brings it
/// forward instead, and returns at once.
pub fn run(vault: PathBuf, link: Option<zeroize::Zeroizing<String>>) -> Result<Ran, iced::Error> {
    let request = instance::request(link);
    if let instance::Role::Forwarded = instance::acquire(&request) {
        return Ok(Ran::Forwarded);
    }
    let link = request.link;
    // A daemon: the app can outlive its window (kept in the tray).
    let tray = tray::start(tray::Menu::default());
    iced::daemon(
        move || App::new(vault.clone(), link.clone(), tray),
        App::update,
        App::view,
    )
    .title(|_: &App, _| String::from("Tessera"))
    .theme(App::theme)
    .subscription(App::subscription)
    .settings(iced::Settings {
        id: Some(APP_ID.to_string()),
        default_font: Font::with_name("Fira Sans"),
        // Found by the text shaper's fallback for Han characters.
        fonts: vec![widget::CJK_FONT.into()],
        ..iced::Settings::default()
    })
    .run()
    .map(|()| Ran::Closed)
}

/// The main window's settings (opened at start, and again from the tray).
fn window_settings() -> window::Settings {
    window::Settings {
        size: iced::Size::new(640.0, 560.0),
        min_size: Some(iced::Size::new(360.0, 360.0)),
        icon: window_icon(),
        #[cfg(target_os = "linux")]
        platform_specific: window::settings::PlatformSpecific {
            application_id: APP_ID.to_string(),
            ..Default::default()
        },
        ..window::Settings::default()
    }
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
    /// The accounts of a link that arrived while locked: the add checklist
    /// shows them once the vault is unlocked.
    pending_link: Option<Report>,
    /// The window, while open.
    window: Option<window::Id>,
    /// The tray icon is up (a tray host took it).
    tray: bool,
    /// The menu the tray shows now.
    tray_menu: tray::Menu,
    /// The window is being closed from the tray (Hide), not to quit.
    hiding: bool,
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
    /// Another `tessera` start asked this window to come forward, maybe
    /// with a link to add.
    Forwarded(instance::Request),
    /// The accounts of an `otpauth://` or `otpauth-migration://` link.
    LinkRead(Report),
    WindowOpened(window::Id),
    WindowClosed(window::Id),
    Tray(tray::Event),
    /// The recently used order was saved on lock (or could not be).
    RecentSaved(Result<(), String>),
    /// The recently used order was saved (or could not be): exit now.
    Quit,
    SettingsSaved(Result<(), String>),
    /// A copied code was cleared (or left, if the clipboard had changed).
    Cleared,
    /// Tab (`true`) or Shift+Tab on the locked screens: the next or
    /// previous field or button.
    FocusMove(bool),
    /// The desktop locked the screen.
    ScreenLocked,
}

impl App {
    /// The app on `vault_path`, locked, checking the vault at once.
    pub fn new(
        vault_path: PathBuf,
        link: Option<zeroize::Zeroizing<String>>,
        tray: bool,
    ) -> (Self, Task<Message>) {
        let (locked, task) = unlock::Locked::new(vault_path.clone());
        // Known at once: a request forwarded before the window maps must
        // not open a second one.
        let (id, open) = window::open(window_settings());
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
            pending_link: None,
            window: Some(id),
            tray,
            tray_menu: tray::Menu::default(),
            hiding: false,
        };
        let link = link.map_or_else(Task::none, read_link);
        let tasks = [
            open.map(Message::WindowOpened),
            task.map(Message::Locked),
            link,
        ];
        (app, Task::batch(tasks))
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.route(message);
        self.refresh_tray();
        task
    }

    fn route(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Locked(m) => self.locked(m),
            Message::Unlocked(m) => self.unlocked(m),
            Message::Tick => self.tick(unix_now()),
            Message::SettingsSaved(Ok(())) | Message::Cleared => Task::none(),
            Message::ScreenLocked => match self.screen {
                Screen::Unlocked(_) => self.lock(unlock::LockReason::Screen),
                Screen::Locked(_) => Task::none(),
            },
            Message::FocusMove(true) => iced::widget::operation::focus_next(),
            Message::FocusMove(false) => iced::widget::operation::focus_previous(),
            Message::SettingsSaved(Err(e)) => {
                eprintln!("tessera: the settings could not be saved: {e}");
                Task::none()
            }
            Message::Forwarded(request) => {
                let link = request.link.map_or_else(Task::none, read_link);
                Task::batch([self.show_window(), link])
            }
            Message::WindowOpened(id) => {
                self.window = Some(id);
                Task::none()
            }
            Message::WindowClosed(id) => self.window_closed(id),
            Message::Tray(event) => self.tray_event(event),
            Message::Quit => iced::exit(),
            Message::RecentSaved(result) => {
                if let Err(e) = result {
                    eprintln!("tessera: the recently used order could not be saved: {e}");
                }
                Task::none()
            }
            Message::LinkRead(report) => match self.screen {
                Screen::Unlocked(_) => self.unlocked(link_checklist(report)),
                Screen::Locked(_) => {
                    self.pending_link = Some(report);
                    Task::none()
                }
            },
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
                let link = match self.pending_link.take() {
                    Some(report) => self.unlocked(link_checklist(report)),
                    None => Task::none(),
                };
                Task::batch([task.map(Message::Unlocked), link])
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
            Some(unlocked::Event::Lock) => self.lock(unlock::LockReason::Manual),
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
    fn lock(&mut self, reason: unlock::LockReason) -> Task<Message> {
        let saved = self.save_recent().map(Message::RecentSaved);
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
        let (locked, task) = unlock::Locked::after_lock(self.vault_path.clone(), reason);
        self.screen = Screen::Locked(Box::new(locked));
        Task::batch([saved, clear, task.map(Message::Locked)])
    }

    /// Once a second, at `now` (Unix seconds): countdowns, clipboard
    /// clearing, auto-lock.
    fn tick(&mut self, now: u64) -> Task<Message> {
        self.now = now;
        let Screen::Unlocked(screen) = &mut self.screen else {
            return Task::none();
        };
        let (task, event) = screen.tick(self.now);
        match event {
            Some(unlocked::Event::Lock) => {
                self.lock(unlock::LockReason::Idle(self.settings.auto_lock_mins))
            }
            Some(unlocked::Event::Settings(_)) | None => task.map(Message::Unlocked),
        }
    }

    /// `None` follows the desktop's light or dark preference.
    pub fn theme(&self, _: window::Id) -> Option<Theme> {
        match self.settings.theme {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some(Theme::Light),
            ThemeChoice::Dark => Some(Theme::Dark),
        }
    }

    /// One tick a second while unlocked (countdowns), none while locked.
    pub fn subscription(&self) -> Subscription<Message> {
        let always = Subscription::batch([
            instance::requests().map(Message::Forwarded),
            tray::events().map(Message::Tray),
            window::close_events().map(Message::WindowClosed),
        ]);
        match &self.screen {
            Screen::Locked(_) => {
                Subscription::batch([always, keyboard::listen().filter_map(input::locked_key)])
            }
            Screen::Unlocked(screen) => Subscription::batch([
                always,
                screen.subscription().map(Message::Unlocked),
                iced::time::every(Duration::from_secs(1)).map(|_| Message::Tick),
                keyboard::listen().filter_map(input::navigation_key),
                iced::event::listen_with(input::dropped_file),
                screensaver::locks().map(|()| Message::ScreenLocked),
            ]),
        }
    }

    pub fn view(&self, _: window::Id) -> Element<'_, Message> {
        match &self.screen {
            Screen::Locked(s) => s.view().map(Message::Locked),
            Screen::Unlocked(s) => s.view(self.now).map(Message::Unlocked),
        }
    }
}

/// Reads a link through the core's one import path (never logged).
fn read_link(link: zeroize::Zeroizing<String>) -> Task<Message> {
    Task::perform(
        blocking(move || {
            let options = crate::import::Options::links_only(None);
            crate::import::read(link.as_bytes(), &options).unwrap_or_default()
        }),
        Message::LinkRead,
    )
}

/// The add checklist of a link's accounts (or why there are none).
fn link_checklist(report: Report) -> unlocked::Message {
    unlocked::Message::Scanned(tr!("source.link"), report)
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
