//! Auto-lock and lock, with the time as a parameter (no sleeping): the
//! tick locks once the configured minutes have passed without activity,
//! and locking drops the vault and clears a copied code.

use std::sync::{Arc, Weak};

use super::sim_tests::run;
use super::task::{SharedSession, testing};
use super::{App, Message, Screen, unlocked};
use crate::settings::Settings;

const T0: u64 = 1_000_000;

fn settings(auto_lock_mins: u64) -> Settings {
    Settings {
        auto_lock_mins,
        ..Settings::default()
    }
}

/// The app unlocked at `T0` on a fresh vault, and a handle that tells
/// whether the vault still lives.
fn unlocked_app(
    settings: Settings,
) -> (
    App,
    tempfile::TempDir,
    Weak<std::sync::Mutex<crate::session::Session>>,
) {
    let (session, dir): (SharedSession, _) = testing::session();
    let alive = Arc::downgrade(&session);
    let (screen, _) = unlocked::Unlocked::new(session, T0, settings.clone());
    let app = App {
        vault_path: dir.path().join("v.tessera"),
        screen: Screen::Unlocked(Box::new(screen)),
        now: T0,
        settings,
        settings_path: None,
        pending_link: None,
        window: None,
        tray: false,
        tray_menu: super::tray::Menu::default(),
        hiding: false,
    };
    (app, dir, alive)
}

fn is_locked(app: &App) -> bool {
    matches!(app.screen, Screen::Locked(_))
}

#[test]
fn tick_locks_after_the_configured_minutes_and_drops_the_vault() {
    let (mut app, _dir, alive) = unlocked_app(settings(5));
    let _ = app.tick(T0 + 5 * 60 - 1);
    assert!(!is_locked(&app), "one second early");
    assert!(alive.upgrade().is_some());
    let _ = app.tick(T0 + 5 * 60);
    assert!(is_locked(&app), "locked after 5 minutes");
    assert!(alive.upgrade().is_none(), "the vault was dropped");
}

#[test]
fn auto_lock_off_never_locks() {
    let (mut app, _dir, alive) = unlocked_app(settings(0));
    let _ = app.tick(T0 + 365 * 24 * 3600);
    assert!(!is_locked(&app));
    assert!(alive.upgrade().is_some());
}

/// Any message is activity: the minutes count from the last one.
#[test]
fn activity_postpones_the_lock() {
    let (session, _dir) = testing::session();
    let (mut codes, _) = unlocked::Unlocked::new(session, T0, settings(2));
    let _ = codes.update(unlocked::Message::Back, T0 + 100);
    let (_, event) = codes.tick(T0 + 100 + 2 * 60 - 1);
    assert!(event.is_none(), "counted from the activity at T0 + 100");
    let (_, event) = codes.tick(T0 + 100 + 2 * 60);
    assert!(matches!(event, Some(unlocked::Event::Lock)));
}

/// Locking takes the copied code with it and clears the clipboard (the
/// clearing task runs and reports); with nothing copied, nothing is
/// cleared.
#[test]
fn lock_clears_the_copied_code() {
    for copied in [true, false] {
        let (mut app, _dir, _) = unlocked_app(settings(1));
        if copied && let Screen::Unlocked(screen) = &mut app.screen {
            screen.copied_before(String::from("123456"), T0);
        }
        let task = app.tick(T0 + 60);
        assert!(is_locked(&app));
        let cleared = run(task)
            .iter()
            .filter(|m| matches!(m, Message::Cleared))
            .count();
        assert_eq!(cleared, usize::from(copied), "copied: {copied}");
    }
}

/// Locking (what the Lock button and the tick call) drops the vault and
/// shows the locked screen, which checks the vault again.
#[test]
fn lock_drops_the_vault_and_shows_the_locked_screen() {
    let (mut app, _dir, alive) = unlocked_app(settings(5));
    let task = app.lock(super::unlock::LockReason::Manual);
    assert!(is_locked(&app));
    assert!(alive.upgrade().is_none());
    let messages = run(task);
    assert!(
        messages
            .iter()
            .any(|m| matches!(m, Message::Locked(super::unlock::Message::Inspected(_)))),
        "{messages:?}"
    );
}
