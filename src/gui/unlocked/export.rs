//! Exporting the accounts: format, password for encrypted formats,
//! confirmation for plain-text ones, then the save dialog. The parent
//! writes the files ([`super::core_calls::write_export`]).

use std::path::PathBuf;

use iced::widget::{checkbox, column, pick_list, row, text, text_input};

use super::super::dialogs::{self, Dialog, Picked};
use super::super::widget::{button, focusable, focusable_choice, path_entry};
use iced::{Element, Task};

use crate::export::ExportFormat;

use crate::session::{MIN_PASSWORD_CHARS, check_new_password};

/// The export form.
#[derive(Debug, Default)]
pub struct State {
    format: Option<ExportFormat>,
    password: String,
    confirm: String,
    plain_accepted: bool,
    error: Option<String>,
    /// No file dialog can open: where to write, typed instead.
    typed_path: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Format(ExportFormat),
    Password(String),
    Confirm(String),
    PlainAccepted,
    ChoosePath,
    /// The save dialog's answer.
    PathChosen(Picked),
    TypedPath(String),
    WriteTypedPath,
    Cancel,
}

/// What the parent must act on.
pub enum Event {
    Write {
        path: PathBuf,
        format: ExportFormat,
        password: zeroize::Zeroizing<String>,
    },
    Cancel,
}

/// The path field's id (shown when no dialog can open).
const PATH_ID: &str = "export-path";

impl State {
    fn chosen(&self) -> ExportFormat {
        self.format.unwrap_or(ExportFormat::TesseraBackup)
    }

    /// Shows a problem (the files could not be written).
    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Format(f) => {
                self.format = Some(f);
                self.plain_accepted = false;
                self.typed_path = None;
                self.error = None;
            }
            Message::Password(p) => {
                self.password = p;
                self.error = None;
            }
            Message::Confirm(p) => {
                self.confirm = p;
                self.error = None;
            }
            Message::PlainAccepted => self.plain_accepted = !self.plain_accepted,
            Message::ChoosePath => {
                let format = self.chosen();
                if let Err(e) = self.ready(format) {
                    self.error = Some(e);
                    return (Task::none(), None);
                }
                let dialog = if format.is_folder() {
                    Dialog::Folder
                } else {
                    Dialog::Save {
                        file_name: default_export_name(format).to_string(),
                    }
                };
                let task = Task::perform(
                    dialogs::pick(tr!("export.dialog"), dialog),
                    Message::PathChosen,
                );
                return (task, None);
            }
            Message::PathChosen(Picked::Cancelled) => {}
            Message::PathChosen(Picked::NoChooser) => {
                // Suggested: the dialog's own default, in the home folder.
                let suggested = dialogs::default_folder().join(default_export_name(self.chosen()));
                self.typed_path = Some(suggested.display().to_string());
                return (iced::widget::operation::focus(PATH_ID), None);
            }
            Message::PathChosen(Picked::Path(path)) => {
                return (Task::none(), Some(self.write(path)));
            }
            Message::TypedPath(p) => {
                self.typed_path = Some(p);
                self.error = None;
            }
            Message::WriteTypedPath => {
                let format = self.chosen();
                if let Err(e) = self.ready(format) {
                    self.error = Some(e);
                    return (Task::none(), None);
                }
                if let Some(path) = self.typed_path.as_deref().and_then(dialogs::typed_path) {
                    return (Task::none(), Some(self.write(path)));
                }
            }
            Message::Cancel => return (Task::none(), Some(Event::Cancel)),
        }
        (Task::none(), None)
    }

    fn write(&self, path: PathBuf) -> Event {
        Event::Write {
            path,
            format: self.chosen(),
            password: zeroize::Zeroizing::new(self.password.clone()),
        }
    }

    /// The core's new-password rule for encrypted exports (typed twice)
    /// and the plain-text confirmation.
    fn ready(&self, format: ExportFormat) -> Result<(), String> {
        if format.needs_password() {
            if check_new_password(&self.password).is_err() {
                return Err(tr_n!("export.min_password", MIN_PASSWORD_CHARS));
            }
            if self.password != self.confirm {
                return Err(tr!("unlock.passwords_differ"));
            }
        }
        if format.is_plain_text() && !self.plain_accepted {
            return Err(tr!("export.confirm_first"));
        }
        Ok(())
    }

    pub fn view(&self, accounts: usize, busy: bool) -> Element<'_, Message> {
        let format = self.chosen();
        let mut col = column![
            text(tr_n!("export.title", accounts)).size(20),
            focusable_choice(pick_list(ExportFormat::ALL, Some(format), Message::Format)),
        ]
        .spacing(12);
        if format.needs_password() {
            col = col.push(text(tr!("export.encrypted_note")));
            col = col.push(
                text_input(&tr!("backup.password"), &self.password)
                    .secure(true)
                    .on_input(Message::Password)
                    .padding(8),
            );
            col = col.push(
                text_input(&tr!("backup.password_again"), &self.confirm)
                    .secure(true)
                    .on_input(Message::Confirm)
                    .on_submit(Message::ChoosePath)
                    .padding(8),
            );
        }
        if format.is_plain_text() {
            col = col.push(text(tr!("export.plain_warning")).style(text::danger));
            col = col.push(focusable(
                checkbox(self.plain_accepted)
                    .label(tr!("export.understand"))
                    .on_toggle(|_| Message::PlainAccepted),
            ));
        }
        col.push(self.typed_path.as_deref().map(|typed| {
            let note = if format.is_folder() {
                tr!("dialog.none_folder")
            } else {
                tr!("dialog.none_save")
            };
            path_entry(
                note,
                PATH_ID,
                typed,
                Message::TypedPath,
                Message::WriteTypedPath,
                tr!("export.write"),
            )
        }))
        .push(
            self.error
                .as_ref()
                .map(|e| text(e.clone()).style(text::danger)),
        )
        .push(
            row![
                button(text(if format.is_folder() {
                    tr!("export.choose_folder")
                } else {
                    tr!("export.save_as")
                }))
                .on_press_maybe((!busy).then_some(Message::ChoosePath)),
                button(text(tr!("common.cancel")))
                    .on_press(Message::Cancel)
                    .style(button::secondary),
            ]
            .spacing(8)
            .wrap(),
        )
        .into()
    }
}

fn default_export_name(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::TesseraBackup => "tessera.tessera-backup",
        ExportFormat::Aegis | ExportFormat::AegisEncrypted => "aegis-export.json",
        ExportFormat::Uris => "otpauth-links.txt",
        ExportFormat::MigrationQr => "google-authenticator",
        ExportFormat::Html => "tessera-codes.html",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_needs_a_confirmation_and_passwords_the_rule() {
        // Plain text needs an explicit confirmation in the form.
        let mut form = State {
            format: Some(ExportFormat::Uris),
            ..State::default()
        };
        assert!(form.ready(ExportFormat::Uris).is_err());
        form.plain_accepted = true;
        assert!(form.ready(ExportFormat::Uris).is_ok());
        // A weak or mistyped backup password is refused before any file is written.
        form.password = "short".into();
        assert!(
            form.ready(ExportFormat::TesseraBackup)
                .unwrap_err()
                .contains("at least")
        );
    }

    /// No file dialog on this desktop: the form says so, suggests a path
    /// in the home folder, and writes where the person typed.
    #[test]
    fn without_a_file_dialog_the_path_is_typed() {
        let mut form = State::default();
        form.password = "correct horse battery".into();
        form.confirm = form.password.clone();
        let (_, event) = form.update(Message::PathChosen(Picked::NoChooser));
        assert!(event.is_none());
        let suggested = form.typed_path.clone().expect("a path field");
        assert!(suggested.ends_with("tessera.tessera-backup"), "{suggested}");
        let shown =
            |form: &State, text: &str| iced_test::simulator(form.view(3, false)).find(text).is_ok();
        assert!(shown(&form, &tr!("dialog.none_save")));
        let _ = form.update(Message::TypedPath("/tmp/out.tessera-backup".into()));
        let (_, event) = form.update(Message::WriteTypedPath);
        let Some(Event::Write { path, format, .. }) = event else {
            panic!("no write");
        };
        assert_eq!(path, PathBuf::from("/tmp/out.tessera-backup"));
        assert_eq!(format, ExportFormat::TesseraBackup);
        // The form's rules still apply to a typed path.
        form.confirm = "different".into();
        let (_, event) = form.update(Message::WriteTypedPath);
        assert!(event.is_none());
        assert!(form.error.is_some());
    }
}
