//! Exporting the accounts: format, password for encrypted formats,
//! confirmation for plain-text ones, then the save dialog. The parent
//! writes the files ([`super::core_calls::write_export`]).

use std::path::PathBuf;

use iced::widget::{checkbox, column, pick_list, row, text, text_input};

use super::super::widget::{button, focusable, focusable_choice};
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
}

#[derive(Debug, Clone)]
pub enum Message {
    Format(ExportFormat),
    Password(String),
    Confirm(String),
    PlainAccepted,
    ChoosePath,
    /// The save dialog's answer: `None` when it was cancelled.
    PathChosen(Option<PathBuf>),
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
                let dialog = rfd::AsyncFileDialog::new().set_title(tr!("export.dialog"));
                let task = Task::perform(
                    async move {
                        if format.is_folder() {
                            dialog.pick_folder().await
                        } else {
                            dialog
                                .set_file_name(default_export_name(format))
                                .save_file()
                                .await
                        }
                        .map(|f| f.path().to_path_buf())
                    },
                    Message::PathChosen,
                );
                return (task, None);
            }
            Message::PathChosen(None) => {}
            Message::PathChosen(Some(path)) => {
                let event = Event::Write {
                    path,
                    format: self.chosen(),
                    password: zeroize::Zeroizing::new(self.password.clone()),
                };
                return (Task::none(), Some(event));
            }
            Message::Cancel => return (Task::none(), Some(Event::Cancel)),
        }
        (Task::none(), None)
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
        col.push(
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
            .spacing(8),
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
}
