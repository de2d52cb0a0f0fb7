//! Where scanned accounts come from: a scan or file read the person can
//! cancel, and what to say when a source held nothing importable.

use std::path::PathBuf;

use iced::Task;

use crate::import::Report;

use super::super::task::sentence;
use super::{Message, Screen, Unlocked, add, import};

impl Unlocked {
    pub(super) fn scanned(&mut self, source: String, found: Report, now: u64) {
        if !found.accounts.is_empty() {
            self.screen = Screen::Import(import::State::checklist(source, found, &self.entries));
            return;
        }
        // Nothing importable (e.g. text pasted into the search field): say
        // why, keep the current screen.
        let why = found
            .errors
            .first()
            .map(|r| sentence(r.error.to_string()))
            .unwrap_or_else(|| tr!("scan.none"));
        let nothing = tr!("codes.nothing", source = source, why = why);
        // Plain text pasted on the list went into the search field: no
        // note then. A picture without a code (or a damaged one) is said.
        let pasted_text = found
            .errors
            .iter()
            .all(|r| r.error.code() == crate::error::ErrorCode::NotOtpauth);
        match &mut self.screen {
            Screen::Add(form) => form.set_error(nothing),
            _ if source == tr!("source.clipboard") && pasted_text => {}
            _ => self.toast = Some((nothing, now)),
        }
    }

    /// Runs a scan or file read that the person can cancel (one at a
    /// time: a new one replaces the handle of the last).
    pub(super) fn start_scan(&mut self, task: Task<Message>) -> Task<Message> {
        let (task, handle) = task.abortable();
        if let Some(old) = self.scanning.replace(handle) {
            old.abort();
        }
        task
    }
}

/// Images, link lists and other apps' backups, told apart by content.
pub(super) fn read_file(
    path: PathBuf,
    password: Option<zeroize::Zeroizing<String>>,
) -> Task<Message> {
    add::read_file(path, password).map(|(source, opened)| Message::FileRead(source, opened))
}

pub(super) fn scan_clipboard() -> Task<Message> {
    add::scan_clipboard().map(|(source, found)| Message::Scanned(source, found))
}
