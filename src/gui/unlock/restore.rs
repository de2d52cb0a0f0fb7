//! The vault cannot be opened because the file is damaged: the backups
//! kept next to it, each checked with the credential just used (date,
//! account count), and a Restore button for those it opens. Restoring
//! keeps the damaged file as a backup first (the core's
//! `Session::restore`), then opens the restored vault.

use std::path::PathBuf;

use iced::widget::{column, row, text};

use super::super::widget::button;
use iced::{Center, Element, Fill, Task};
use zeroize::Zeroizing;

use crate::session::{Keys, Session};

use super::super::task::{SharedSession, blocking, sentence};
use super::core_calls;

/// One backup as listed.
#[derive(Debug, Clone)]
pub struct Row {
    path: PathBuf,
    /// `2026-12-02 01:13 UTC`, or the file name for old-style names.
    made: String,
    /// Accounts in it, when the credential opens it.
    accounts: Option<usize>,
}

#[derive(Debug)]
pub struct State {
    path: PathBuf,
    /// The credential that was typed (`None`: the keyring).
    typed: Option<Zeroizing<String>>,
    keys: Keys,
    rows: Option<Vec<Row>>,
    error: Option<String>,
    busy: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Listed(Vec<Row>),
    Restore(usize),
    Restored(Result<SharedSession, String>),
    Back,
}

/// What the parent must act on.
pub enum Event {
    Unlocked(SharedSession),
    Back,
}

impl super::super::task::Fallible for Vec<Row> {
    fn failed(_: String) -> Self {
        Vec::new()
    }
}

fn list(path: PathBuf, typed: Option<Zeroizing<String>>, keys: Keys) -> Vec<Row> {
    Session::backups(&path, typed.as_deref().map(String::as_str), &keys)
        .into_iter()
        .map(|b| Row {
            made: crate::dates::backup_made(&b.path, b.made, false),
            accounts: b.check.ok().map(|o| o.accounts),
            path: b.path,
        })
        .collect()
}

impl State {
    /// Lists the backups of `path` in a task, checked with `typed`.
    pub fn new(
        path: PathBuf,
        typed: Option<Zeroizing<String>>,
        keys: Keys,
        error: String,
    ) -> (Self, Task<Message>) {
        let task = {
            let (path, typed, keys) = (path.clone(), typed.clone(), keys.clone());
            Task::perform(blocking(move || list(path, typed, keys)), Message::Listed)
        };
        let state = Self {
            path,
            typed,
            keys,
            rows: None,
            error: Some(error),
            busy: true,
        };
        (state, task)
    }

    pub fn update(&mut self, message: Message) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Listed(rows) => {
                self.busy = false;
                self.rows = Some(rows);
            }
            Message::Restore(i) => {
                let Some(row) = self.rows.as_ref().and_then(|r| r.get(i)) else {
                    return (Task::none(), None);
                };
                if self.busy {
                    return (Task::none(), None);
                }
                self.busy = true;
                let (path, backup) = (self.path.clone(), row.path.clone());
                let (typed, keys) = (self.typed.clone(), self.keys.clone());
                let task = Task::perform(
                    blocking(move || {
                        let typed = typed.as_deref().map(String::as_str);
                        Session::restore(&path, &backup, typed, &keys)
                            .map_err(|e| sentence(e.to_string()))?;
                        match typed {
                            Some(text) => core_calls::open(&path, text, keys)
                                .map_err(core_calls::OpenFailure::message),
                            None => match core_calls::inspect(&path, keys, true) {
                                core_calls::Inspected::Opened(session) => Ok(session),
                                _ => Err(tr!("restore.reopen")),
                            },
                        }
                    }),
                    Message::Restored,
                );
                return (task, None);
            }
            Message::Restored(Ok(session)) => {
                self.busy = false;
                return (Task::none(), Some(Event::Unlocked(session)));
            }
            Message::Restored(Err(e)) => {
                self.busy = false;
                self.error = Some(e);
            }
            Message::Back => return (Task::none(), Some(Event::Back)),
        }
        (Task::none(), None)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut col = column![text(tr!("restore.title")).size(20)].spacing(10);
        if let Some(e) = &self.error {
            col = col.push(text(e.clone()).style(text::danger));
        }
        match &self.rows {
            None => col = col.push(text(tr!("restore.checking"))),
            Some(rows) if rows.is_empty() => col = col.push(text(tr!("restore.none"))),
            Some(rows) => {
                col = col.push(text(tr!("restore.intro")).size(13));
                for (i, r) in rows.iter().enumerate() {
                    let (what, action) = match r.accounts {
                        Some(n) => (
                            tr_n!("restore.opens", n),
                            Some(
                                button(text(tr!("restore.restore")))
                                    .on_press_maybe((!self.busy).then_some(Message::Restore(i))),
                            ),
                        ),
                        None => (tr!("restore.closed"), None),
                    };
                    let line = row![
                        text(r.made.clone()),
                        text(what).size(13).style(text::secondary).width(Fill)
                    ]
                    .push(action)
                    .spacing(12)
                    .align_y(Center);
                    col = col.push(line);
                }
            }
        }
        col.push(
            button(text(tr!("restore.back")))
                .on_press(Message::Back)
                .style(button::secondary),
        )
        .into()
    }
}
