//! Copying codes: through arboard, marked so that clipboard managers keep
//! them out of their history (x-kde-passwordManagerHint on Linux, the
//! concealed type on macOS, excluded from history, cloud and monitoring on
//! Windows). iced's own clipboard is plain text without such hints.
//!
//! One clipboard handle lives as long as the app: on X11 the copied text is
//! served by it, and would vanish if it were dropped.

use std::sync::Mutex;

static CLIPBOARD: Mutex<Option<arboard::Clipboard>> = Mutex::new(None);

fn with<T>(
    f: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
) -> Result<T, String> {
    let mut guard = CLIPBOARD.lock().map_err(|_| tr!("clipboard.unavailable"))?;
    if guard.is_none() {
        *guard = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
    }
    match guard.as_mut() {
        Some(clipboard) => f(clipboard).map_err(|e| e.to_string()),
        None => Err(tr!("clipboard.unavailable")),
    }
}

/// Puts a code (or another secret) on the clipboard, excluded from history.
pub fn write_secret(text: &str) -> Result<(), String> {
    with(|clipboard| {
        let set = clipboard.set();
        #[cfg(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd"
        ))]
        let set = {
            use arboard::SetExtLinux;
            set.exclude_from_history()
        };
        #[cfg(target_os = "windows")]
        let set = {
            use arboard::SetExtWindows;
            set.exclude_from_history()
                .exclude_from_cloud()
                .exclude_from_monitoring()
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple;
            set.exclude_from_history()
        };
        set.text(text.to_string())
    })
}

/// Clears the clipboard if it still holds `ours` (the user may have copied
/// something else since). Returns whether it was cleared.
pub fn clear_if_unchanged(ours: &str) -> bool {
    with(|clipboard| match clipboard.get_text() {
        Ok(current) if current == ours => clipboard.clear().map(|()| true),
        _ => Ok(false),
    })
    .unwrap_or(false)
}
