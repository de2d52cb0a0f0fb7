//! Watching the vault's folder while unlocked: when a sync tool replaces
//! the vault file with another computer's version, or leaves a conflict
//! copy next to it, the session merges both ([`Session::sync`]) and the
//! list shows the result without losing what is on screen (the open
//! screen, the search, the selected account). File-system events come
//! from `notify`; network drives give none, so the folder is also looked
//! at every [`POLL_SECS`] seconds (a few metadata reads: the merge runs
//! only when something changed).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use iced::{Subscription, Task};

use crate::session::Session;
use crate::session::sync::SyncReport;
use crate::vault::Entry;

use super::super::task::{blocking, poisoned, sentence};
use super::{Message, Unlocked};

/// Seconds between two looks at the folder without events.
pub const POLL_SECS: u64 = 10;

/// The watch of one vault: where, what was seen last, whether a merge
/// is running.
#[derive(Debug)]
pub struct Watch {
    path: PathBuf,
    seen: Seen,
    running: bool,
}

impl Watch {
    /// Nothing seen yet: the first look merges what is waiting.
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            seen: Seen::default(),
            running: false,
        }
    }
}

/// What is looked at: the vault file's size and time, the conflict copies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Seen {
    file: Option<(u64, Option<SystemTime>)>,
    copies: Vec<PathBuf>,
}

impl Seen {
    fn of(vault: &Path) -> Self {
        Self {
            file: std::fs::metadata(vault)
                .ok()
                .map(|m| (m.len(), m.modified().ok())),
            copies: Session::pending_copies(vault),
        }
    }
}

/// Events of the vault's folder (only the folder: not recursive).
// `Subscription::run_with` hands its data as `&PathBuf`.
#[allow(clippy::ptr_arg)]
fn folder_events(vault: &PathBuf) -> impl iced::futures::Stream<Item = Message> + use<> {
    let dir = match vault.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    iced::stream::channel(8, async move |output| {
        use notify::Watcher;
        let mut sender = output.clone();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| !e.kind.is_access()) {
                // A full channel means a look is already pending.
                let _ = sender.try_send(Message::FolderChanged);
            }
        });
        // Without a watcher (none for this file system), polling remains.
        let _kept = watcher.and_then(|mut w| {
            w.watch(&dir, notify::RecursiveMode::NonRecursive)
                .map(|()| w)
        });
        iced::futures::future::pending::<()>().await;
    })
}

/// The folder's events and the polling fallback.
fn subscription(vault: &Path) -> Subscription<Message> {
    Subscription::batch([
        Subscription::run_with(vault.to_path_buf(), folder_events),
        iced::time::every(Duration::from_secs(POLL_SECS)).map(|_| Message::FolderChanged),
    ])
}

/// A short note on what a merge did (empty when nothing to say).
fn note(report: &SyncReport) -> String {
    let mut parts = Vec::new();
    let conflicts: usize = report.merged.iter().map(|(_, m)| m.report.conflicts).sum();
    if !report.merged.is_empty() {
        parts.push(tr!("sync.merged", n = report.merged.len()));
    }
    if conflicts > 0 {
        parts.push(tr!("sync.conflicts", n = conflicts));
    }
    if let Some((_, error)) = report.failed.first() {
        parts.push(tr!("sync.failed", why = sentence(error.to_string())));
    }
    parts.join(" ")
}

impl Unlocked {
    /// Something may have changed in the vault's folder: when the file or
    /// the conflict copies differ from the last look, merge them.
    pub(super) fn folder_changed(&mut self, now: u64) -> Task<Message> {
        let seen = Seen::of(&self.watch.path);
        if self.watch.running || seen == self.watch.seen {
            return Task::none();
        }
        self.watch.running = true;
        self.watch.seen = seen;
        let vault = self.vault.clone();
        Task::perform(
            blocking(move || {
                let mut session = vault.lock().map_err(|_| poisoned())?;
                let report = session
                    .sync(None, now)
                    .map_err(|e| sentence(e.to_string()))?;
                Ok((session.entries().to_vec(), note(&report)))
            }),
            Message::Synced,
        )
    }

    /// The merge's result: the new accounts, same screen, same selection.
    pub(super) fn synced(
        &mut self,
        result: Result<(Vec<Entry>, String), String>,
        now: u64,
    ) -> Task<Message> {
        self.watch.running = false;
        match result {
            Ok((entries, note)) => {
                self.list.keep_selection(&self.entries);
                if !note.is_empty() {
                    self.toast = Some((note, now));
                }
                self.replace_entries(entries)
            }
            // Tried again on the next change of the folder.
            Err(e) => {
                self.toast = Some((e, now));
                Task::none()
            }
        }
    }

    /// The folder watch of this vault.
    pub fn subscription(&self) -> Subscription<Message> {
        subscription(&self.watch.path)
    }
}
