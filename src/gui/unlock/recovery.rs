//! The recovery key, shown once after the vault is created: copy it, save
//! it to a file, then continue to the codes.

use std::path::{Path, PathBuf};

use iced::widget::{column, container, row, text};

use super::super::dialogs::{self, Dialog, Picked};
use super::super::widget::{button, path_entry};
use iced::{Center, Element, Font, Task};

use super::super::task::{SharedSession, blocking, sentence};
use super::super::widget::outcome;

/// The key on screen, and the vault it opens (handed on by `Continue`).
#[derive(Debug)]
pub struct State {
    key: String,
    vault: SharedSession,
    note: Option<String>,
    error: Option<String>,
    /// The key was put on the clipboard: the codes screen clears it later
    /// (same timer as codes) and on lock.
    copied: bool,
    /// No file dialog can open: where to save, typed instead.
    typed_path: Option<String>,
}

/// The path field's id (shown when no dialog can open).
const PATH_ID: &str = "recovery-path";

/// How copying or saving the key ended. A cancelled save dialog is its
/// own outcome (nothing to say), not an empty error.
#[derive(Debug, Clone)]
pub enum Outcome {
    Copied,
    Saved(PathBuf),
    Cancelled,
    /// No file dialog can open: ask for a path.
    NoChooser,
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum Message {
    Copy,
    Save,
    TypedPath(String),
    SaveTypedPath,
    Done(Outcome),
    Continue,
}

/// What the parent must act on.
pub enum Event {
    /// On to the codes, with the key if it was copied (to clear it later).
    Continue(SharedSession, Option<String>),
}

impl State {
    pub fn new(key: String, vault: SharedSession) -> Self {
        Self {
            key,
            vault,
            note: None,
            error: None,
            copied: false,
            typed_path: None,
        }
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Copy => {
                let key = zeroize::Zeroizing::new(self.key.clone());
                let task = Task::perform(
                    blocking(move || super::super::clipboard::write_secret(&key)),
                    |r| {
                        Message::Done(match r {
                            Ok(()) => Outcome::Copied,
                            Err(e) => Outcome::Failed(sentence(e)),
                        })
                    },
                );
                return (task, None);
            }
            Message::Save => {
                let key = zeroize::Zeroizing::new(self.key.clone());
                let dialog = Dialog::Save {
                    file_name: String::from(FILE_NAME),
                };
                let task = Task::perform(
                    dialogs::pick(tr!("unlock.recovery_dialog"), dialog),
                    move |picked| match picked {
                        Picked::Cancelled => Message::Done(Outcome::Cancelled),
                        Picked::NoChooser => Message::Done(Outcome::NoChooser),
                        Picked::Path(path) => Message::Done(save_recovery(&path, &key)),
                    },
                );
                return (task, None);
            }
            Message::TypedPath(p) => self.typed_path = Some(p),
            Message::SaveTypedPath => {
                if let Some(path) = self.typed_path.as_deref().and_then(dialogs::typed_path) {
                    let key = zeroize::Zeroizing::new(self.key.clone());
                    let task =
                        Task::perform(blocking(move || save_recovery(&path, &key)), Message::Done);
                    return (task, None);
                }
            }
            Message::Done(Outcome::NoChooser) => {
                let suggested = dialogs::default_folder().join(FILE_NAME);
                self.typed_path = Some(suggested.display().to_string());
                return (iced::widget::operation::focus(PATH_ID), None);
            }
            Message::Done(Outcome::Copied) => {
                self.copied = true;
                self.error = None;
                self.note = Some(tr!("unlock.recovery_copied"));
            }
            Message::Done(Outcome::Saved(path)) => {
                self.error = None;
                self.typed_path = None;
                self.note = Some(tr!("unlock.recovery_saved", path = path.display()));
            }
            Message::Done(Outcome::Cancelled) => {}
            Message::Done(Outcome::Failed(e)) => self.error = Some(e),
            Message::Continue => {
                let copied = self.copied.then(|| self.key.clone());
                return (
                    Task::none(),
                    Some(Event::Continue(self.vault.clone(), copied)),
                );
            }
        }
        (Task::none(), None)
    }

    /// The key shown (tests).
    #[cfg(test)]
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn view(&self) -> Element<'_, Message> {
        column![
            text(tr!("unlock.recovery_title")).size(20),
            text(tr!("unlock.recovery_text")),
            container(text(self.key.clone()).font(Font::MONOSPACE).size(20))
                .padding(12)
                .style(container::rounded_box),
            row![
                button(text(tr!("common.copy")))
                    .on_press(Message::Copy)
                    .padding([8, 16]),
                button(text(tr!("unlock.save_to_file")))
                    .on_press(Message::Save)
                    .padding([8, 16]),
                button(text(tr!("unlock.saved")))
                    .on_press(Message::Continue)
                    .padding([8, 16]),
            ]
            .spacing(12)
            .align_y(Center)
            .wrap(),
        ]
        .push(self.typed_path.as_deref().map(|typed| {
            path_entry(
                tr!("dialog.none_save"),
                PATH_ID,
                typed,
                Message::TypedPath,
                Message::SaveTypedPath,
                tr!("common.save"),
            )
        }))
        .push(outcome(self.note.as_deref(), self.error.as_deref()))
        .spacing(12)
        .into()
    }
}

impl super::super::task::Fallible for Outcome {
    fn failed(reason: String) -> Self {
        Self::Failed(reason)
    }
}

/// The file name the save dialog suggests.
const FILE_NAME: &str = "tessera-recovery-key.txt";

/// Writes the recovery key to a file only the user can read.
fn save_recovery(path: &Path, key: &str) -> Outcome {
    // Formatted here, not by the catalog, so that no copy of the key is
    // left behind unzeroized.
    let text = zeroize::Zeroizing::new(format!(
        "{}\n\n    {key}\n\n{}\n",
        tr!("unlock.recovery_dialog"),
        tr!("unlock.recovery_file_note")
    ));
    match crate::fs::write_private_atomic(path, text.as_bytes()) {
        Ok(()) => Outcome::Saved(path.to_path_buf()),
        Err(e) => Outcome::Failed(sentence(tr!(
            "common.cannot_write",
            path = path.display(),
            error = e
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::task::testing;

    #[test]
    fn a_cancelled_save_says_nothing_and_a_failed_one_says_why() {
        let (session, dir) = testing::session();
        let mut screen = State::new(String::from("key"), session);
        let _ = screen.update(Message::Done(Outcome::Cancelled));
        assert_eq!(
            (screen.note.as_deref(), screen.error.as_deref()),
            (None, None)
        );
        let _ = screen.update(Message::Done(Outcome::Failed(String::from("Disk full."))));
        assert_eq!(screen.error.as_deref(), Some("Disk full."));
        let saved = dir.path().join("key.txt");
        let _ = screen.update(Message::Done(save_recovery(&saved, "ABCD-EFGH")));
        assert!(screen.error.is_none());
        assert!(
            screen
                .note
                .as_deref()
                .is_some_and(|n| n.contains("key.txt"))
        );
        let text = std::fs::read_to_string(&saved).unwrap();
        assert!(
            text.starts_with("Tessera recovery key\n\n    ABCD-EFGH\n"),
            "{text}"
        );
    }

    /// The saved file is readable by the user only, also when it replaces
    /// a file that others could read.
    #[cfg(unix)]
    #[test]
    fn the_saved_key_file_is_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let new = dir.path().join("new.txt");
        assert!(matches!(
            save_recovery(&new, "ABCD-EFGH"),
            Outcome::Saved(_)
        ));
        assert_eq!(mode(&new), 0o600);
        let old = dir.path().join("old.txt");
        std::fs::write(&old, "public").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            save_recovery(&old, "ABCD-EFGH"),
            Outcome::Saved(_)
        ));
        assert_eq!(mode(&old), 0o600);
        assert!(std::fs::read_to_string(&old).unwrap().contains("ABCD-EFGH"));
    }

    #[test]
    fn a_copied_key_is_handed_on_to_be_cleared_like_a_code() {
        let (session, _dir) = testing::session();
        let mut screen = State::new(String::from("ABCD-EFGH"), session.clone());
        let (_, event) = screen.update(Message::Continue);
        assert!(matches!(event, Some(Event::Continue(_, None))));
        let _ = screen.update(Message::Done(Outcome::Copied));
        let (_, event) = screen.update(Message::Continue);
        let Some(Event::Continue(_, Some(key))) = event else {
            panic!("the copied key is not handed on");
        };
        assert_eq!(key, "ABCD-EFGH");
        // The codes screen clears it after the set time (and on lock).
        let settings = crate::settings::Settings::default();
        let clear = settings.clipboard_clear_secs;
        assert!(clear > 0);
        let (mut codes, _) = crate::gui::unlocked::Unlocked::new(session, 100, settings);
        codes.copied_before(key, 100);
        let _ = codes.tick(100 + clear - 1);
        assert!(codes.take_copied().is_some(), "kept until the time is up");
        codes.copied_before(String::from("ABCD-EFGH"), 100);
        let _ = codes.tick(100 + clear);
        assert!(codes.take_copied().is_none(), "cleared when the time is up");
    }
}
