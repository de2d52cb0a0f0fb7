//! The file dialogs (open, save, pick a folder), and what happens when the
//! desktop has none.
//!
//! rfd shows the XDG portal's FileChooser and falls back to zenity; with
//! neither it returns nothing, exactly as for "cancelled". So before a
//! dialog is asked for, [`available`] checks that one of the two exists;
//! when none can open, the screen says so and offers a path field instead
//! ([`Picked::NoChooser`]).

use std::path::PathBuf;
use std::time::Duration;

/// What a file dialog gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Path(PathBuf),
    Cancelled,
    /// No dialog can open on this desktop: ask for a path instead.
    NoChooser,
}

/// Which dialog to show.
pub enum Dialog {
    /// Open a file, with a named filter of extensions.
    Open {
        filter: String,
        extensions: &'static [&'static str],
    },
    /// Save a file, suggesting a name.
    Save { file_name: String },
    /// Choose a folder.
    Folder,
}

/// How long the portal may take to answer whether it has a FileChooser
/// (a D-Bus activated portal starts within this time).
const PORTAL_TIMEOUT: Duration = Duration::from_secs(3);

/// Shows the dialog titled `title`, or says that none can open.
pub async fn pick(title: String, dialog: Dialog) -> Picked {
    if !super::task::blocking(available).await {
        return Picked::NoChooser;
    }
    let base = rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_directory(default_folder());
    let chosen = match dialog {
        Dialog::Open { filter, extensions } => {
            base.add_filter(filter, extensions)
                .add_filter(tr!("common.all_files"), &["*"])
                .pick_file()
                .await
        }
        Dialog::Save { file_name } => base.set_file_name(file_name).save_file().await,
        Dialog::Folder => base.pick_folder().await,
    };
    chosen.map_or(Picked::Cancelled, |f| Picked::Path(f.path().to_path_buf()))
}

/// Where a typed file name without a folder goes, and where dialogs open:
/// the home folder.
pub fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .map(|u| u.home_dir().to_path_buf())
        .unwrap_or_default()
}

/// A path typed in the field shown instead of a dialog: `~/` is the home
/// folder and a bare name goes there. `None` when nothing was typed.
pub fn typed_path(typed: &str) -> Option<PathBuf> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let path = match typed.strip_prefix("~/") {
        Some(rest) => default_folder().join(rest),
        None => PathBuf::from(typed),
    };
    Some(if path.is_absolute() {
        path
    } else {
        default_folder().join(path)
    })
}

/// Whether a file dialog can open: zenity is installed, or the session
/// bus has a portal with a FileChooser.
pub fn available() -> bool {
    zenity_on(std::env::var_os("PATH").as_deref()) || portal_answers(None)
}

/// Whether `zenity` is an executable file in one of `path`'s folders.
fn zenity_on(path: Option<&std::ffi::OsStr>) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.is_some_and(|p| {
        std::env::split_paths(p).any(|dir| {
            std::fs::metadata(dir.join("zenity"))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Whether the portal on the session bus (or on `address`) answers for
/// its FileChooser interface within [`PORTAL_TIMEOUT`].
fn portal_answers(address: Option<String>) -> bool {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(String::from("tessera-chooser"))
        .spawn(move || {
            let answer = ashpd::zbus::block_on(async {
                let builder = match &address {
                    Some(a) => ashpd::zbus::connection::Builder::address(a.as_str())?,
                    None => ashpd::zbus::connection::Builder::session()?,
                };
                let connection = builder.build().await?;
                connection
                    .call_method(
                        Some("org.freedesktop.portal.Desktop"),
                        "/org/freedesktop/portal/desktop",
                        Some("org.freedesktop.DBus.Properties"),
                        "Get",
                        &("org.freedesktop.portal.FileChooser", "version"),
                    )
                    .await
                    .map(|_| ())
            });
            let _ = tx.send(answer.is_ok());
        });
    spawned.is_ok() && rx.recv_timeout(PORTAL_TIMEOUT).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zenity_is_found_only_as_an_executable_on_the_path() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = std::env::join_paths([dir.path()]).unwrap();
        assert!(!zenity_on(Some(&path)), "not there");
        let zenity = dir.path().join("zenity");
        std::fs::write(&zenity, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(!zenity_on(Some(&path)), "not executable");
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(zenity_on(Some(&path)));
        assert!(!zenity_on(None));
    }

    /// No bus, or a bus without the portal: no dialog (quickly).
    #[test]
    fn no_portal_means_no_dialog() {
        let dir = tempfile::tempdir().unwrap();
        let nowhere = format!("unix:path={}", dir.path().join("bus").display());
        let started = std::time::Instant::now();
        assert!(!portal_answers(Some(nowhere)));
        assert!(started.elapsed() < PORTAL_TIMEOUT);
    }

    #[test]
    fn typed_paths_go_to_the_home_folder_unless_absolute() {
        let home = default_folder();
        assert_eq!(typed_path("  "), None);
        assert_eq!(typed_path("/tmp/a.txt"), Some(PathBuf::from("/tmp/a.txt")));
        assert_eq!(typed_path("~/keys/a.txt"), Some(home.join("keys/a.txt")));
        assert_eq!(typed_path("a.txt"), Some(home.join("a.txt")));
    }
}
