//! The unlocked screen: the code list (search, copy, next code, countdown,
//! HOTP advance), the binding helper, manual add, rename and delete. Every
//! vault change runs in a task; the list shows a snapshot of the entries.

use iced::widget::{
    button, column, container, pick_list, progress_bar, row, scrollable, space, text, text_input,
};
use iced::{Center, Element, Fill, Font, Task};

use std::path::PathBuf;

use crate::account::{Account, Algorithm, Digits, OtpKind, Period, parse_counter};
use crate::export::{self, ExportFormat};
use crate::import::{self, BackupError, Report, text as input};
use crate::otp::group_code;
use crate::settings::{Language, Settings, ThemeChoice};
use crate::vault::Entry;

use super::unlock::SharedVault;
use super::{blocking, sentence};

const TOAST_SECS: u64 = 3;
const LIST_ID: &str = "list";
/// Height of one account row in the list, its gap included.
const ROW_HEIGHT: f32 = 78.0;
const ROW_GAP: f32 = 6.0;
/// Height of an issuer heading above a group of rows.
const HEADING_HEIGHT: f32 = 22.0;
/// Rows built beyond the visible part of the list, in pixels.
const MARGIN: f32 = 400.0;

/// One line of the list: an issuer heading or an account row, with its
/// position (rows have a fixed height, so only visible ones are built).
struct ListItem<'a> {
    kind: ItemKind<'a>,
    top: f32,
    height: f32,
}

enum ItemKind<'a> {
    Heading(&'a str),
    Row { index: usize, grouped: bool },
}

impl ListItem<'_> {
    fn content_height(&self) -> f32 {
        match self.kind {
            ItemKind::Heading(_) => HEADING_HEIGHT,
            ItemKind::Row { .. } => ROW_HEIGHT - ROW_GAP,
        }
    }
}

/// Headings and rows of the visible accounts, with their positions.
/// Accounts sharing an issuer (a cloud's root account and its sub-users)
/// are grouped under one heading.
fn list_items<'a>(visible: &[&'a Entry]) -> Vec<ListItem<'a>> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in visible {
        if let Some(issuer) = e.account.issuer.as_deref() {
            *counts.entry(issuer).or_default() += 1;
        }
    }
    let mut items = Vec::with_capacity(visible.len() + 8);
    let mut top = 0.0;
    let mut last: Option<&str> = None;
    for (index, e) in visible.iter().enumerate() {
        let issuer = e.account.issuer.as_deref();
        let grouped = issuer.is_some_and(|i| counts.get(i).copied().unwrap_or(0) > 1);
        if grouped && issuer != last {
            items.push(ListItem {
                kind: ItemKind::Heading(issuer.unwrap_or_default()),
                top,
                height: HEADING_HEIGHT + 2.0,
            });
            top += HEADING_HEIGHT + 2.0;
        }
        last = issuer;
        items.push(ListItem {
            kind: ItemKind::Row { index, grouped },
            top,
            height: ROW_HEIGHT,
        });
        top += ROW_HEIGHT;
    }
    items
}
/// Seconds a hidden code stays visible after a click.
const REVEAL_SECS: u64 = 30;
const SEARCH_ID: &str = "search";

/// The unlocked screen.
#[derive(Debug)]
pub struct Codes {
    vault: SharedVault,
    entries: Vec<Entry>,
    query: String,
    selected: usize,
    view: View,
    toast: Option<(String, u64)>,
    copied: Option<(String, u64)>,
    last_activity: u64,
    busy: bool,
    settings: Settings,
    revealed: Option<(String, u64)>,
    /// After a reorder, the account the selection follows.
    follow: Option<String>,
    /// Scroll position and height of the list's viewport.
    scroll_y: f32,
    view_height: f32,
}

#[derive(Debug)]
enum View {
    List,
    BackupPassword {
        path: PathBuf,
        format: String,
        password: String,
        error: Option<String>,
    },
    Export(ExportForm),
    Checklist(Checklist),
    Settings,
    ShowQr {
        id: String,
        qr: Option<iced::widget::qr_code::Data>,
    },
    Bind(String),
    ConfirmDelete(String),
    Rename {
        id: String,
        issuer: String,
        account: String,
    },
    Add(AddForm),
}

#[derive(Debug, Clone)]
pub enum Message {
    Search(String),
    SearchSubmit,
    Move(i32),
    Scrolled(f32, f32),
    /// A character typed while no field has focus: starts a search.
    TypeToSearch(String),
    /// Moves the selected account in the manual order.
    Reorder(i64),
    ReorderEntry(String, i64),
    Copy(String),
    CopyNext(String),
    CopyBoth(String),
    AdvanceHotp(String),
    HotpAdvanced(Result<(Vec<Entry>, String), String>),
    Bind(String),
    AskDelete(String),
    ConfirmDelete,
    StartRename(String),
    RenameIssuer(String),
    RenameAccount(String),
    SaveRename,
    OpenAdd,
    Add(AddMessage),
    SaveAdd,
    Saved(Result<(Vec<Entry>, String), String>),
    Back,
    Lock,
    ClipboardWritten(Result<(), String>),
    ClipboardCleared,
    OpenImage,
    ImageChosen(Option<PathBuf>),
    FileDropped(PathBuf),
    FileRead(String, Opened),
    BackupPassword(String),
    SubmitBackupPassword,
    OpenExport,
    ExportFormat(ExportFormat),
    ExportPassword(String),
    ExportConfirm(String),
    ExportPlainAccepted,
    ExportChoosePath,
    ExportPathChosen(Option<PathBuf>),
    ExportDone(Result<String, String>),
    Paste,
    ScanScreen,
    Scanned(String, Report),
    Toggle(usize),
    ImportChecked,
    OpenSettings,
    SetTheme(ThemeItem),
    SetLanguage(LanguageItem),
    SetClipboardClear(Choice),
    SetAutoLock(Choice),
    ToggleHideCodes,
    ShowQr(String),
    RevealQr,
}

/// What the parent must act on.
pub enum Event {
    Lock,
    Settings(Settings),
}

/// What reading a dropped or chosen file gave.
#[derive(Debug, Clone)]
pub enum Opened {
    Report(Report),
    NeedsPassword(PathBuf, String),
    Failed(String),
}

fn open_file(path: PathBuf, password: Option<zeroize::Zeroizing<String>>) -> Opened {
    let options = import::Options::with_password(password.as_deref().map(|p| p.as_str()));
    match import::read_file(&path, &options) {
        Ok(report) => Opened::Report(report),
        Err(BackupError::PasswordRequired(format)) => {
            Opened::NeedsPassword(path, format.to_string())
        }
        Err(e) => Opened::Failed(sentence(e.to_string())),
    }
}

/// The export form: format, password for encrypted formats, confirmation
/// for plain-text ones.
#[derive(Debug, Default)]
pub struct ExportForm {
    format: Option<ExportFormat>,
    password: String,
    confirm: String,
    plain_accepted: bool,
    error: Option<String>,
}

/// Accounts found in an image or on the clipboard, to tick and import.
#[derive(Debug)]
pub struct Checklist {
    source: String,
    items: Vec<(Account, bool, bool)>,
    errors: Vec<String>,
}

/// A theme in the settings list, shown in the app's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeItem(pub ThemeChoice);

impl std::fmt::Display for ThemeItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            ThemeChoice::System => tr!("settings.theme_system"),
            ThemeChoice::Light => tr!("settings.theme_light"),
            ThemeChoice::Dark => tr!("settings.theme_dark"),
        })
    }
}

/// A language in the settings list: each shown in its own language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageItem(pub Language);

impl std::fmt::Display for LanguageItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            Language::System => tr!("settings.language_system"),
            Language::English => String::from("English"),
            Language::SimplifiedChinese => String::from("简体中文"),
        })
    }
}

/// A duration choice in settings: seconds or minutes, 0 = never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice(pub u64, pub &'static str);

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            f.write_str(&tr!("settings.never"))
        } else if self.1 == "min" {
            f.write_str(&tr!("settings.minutes", n = self.0))
        } else {
            f.write_str(&tr!("settings.seconds", n = self.0))
        }
    }
}

impl Codes {
    pub fn new(vault: SharedVault, now: u64, settings: Settings) -> (Self, Task<Message>) {
        let entries = snapshot(&vault);
        let screen = Self {
            vault,
            entries,
            query: String::new(),
            selected: 0,
            view: View::List,
            toast: None,
            copied: None,
            last_activity: now,
            busy: false,
            settings,
            revealed: None,
            follow: None,
            scroll_y: 0.0,
            view_height: 1200.0,
        };
        // The search field is focused by the first typed character, not
        // now: a focused field blinks its caret, redrawing twice a second.
        (screen, Task::none())
    }

    /// Entries matching the search, in vault order.
    fn visible(&self) -> Vec<&Entry> {
        let q = self.query.trim().to_lowercase();
        let shown: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                q.is_empty()
                    || e.account.name.to_lowercase().contains(&q)
                    || e.account
                        .issuer
                        .as_deref()
                        .is_some_and(|i| i.to_lowercase().contains(&q))
            })
            .collect();
        // Keep the accounts of one issuer together, where it first appears.
        let key = |i: usize| match shown[i].account.issuer.as_deref() {
            Some(issuer) => shown
                .iter()
                .position(|e| e.account.issuer.as_deref() == Some(issuer))
                .unwrap_or(i),
            None => i,
        };
        let mut order: Vec<(usize, usize)> = (0..shown.len()).map(|i| (key(i), i)).collect();
        order.sort_unstable();
        order.into_iter().map(|(_, i)| shown[i]).collect()
    }

    fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Once a second: clipboard clearing, toasts, auto-lock.
    pub fn tick(&mut self, now: u64) -> (Task<Message>, Option<Event>) {
        if self
            .toast
            .as_ref()
            .is_some_and(|(_, at)| now >= at + TOAST_SECS)
        {
            self.toast = None;
        }
        if self
            .revealed
            .as_ref()
            .is_some_and(|(_, until)| now >= *until)
        {
            self.revealed = None;
        }
        let lock_after = self.settings.auto_lock_mins * 60;
        if lock_after > 0 && now >= self.last_activity + lock_after {
            return (Task::none(), Some(Event::Lock));
        }
        let clear_after = self.settings.clipboard_clear_secs;
        if clear_after > 0
            && self
                .copied
                .as_ref()
                .is_some_and(|(_, at)| now >= at + clear_after)
            && let Some(ours) = self.take_copied()
        {
            let ours = zeroize::Zeroizing::new(ours);
            return (
                Task::perform(
                    blocking(move || super::clipboard::clear_if_unchanged(&ours)),
                    |_| Message::ClipboardCleared,
                ),
                None,
            );
        }
        (Task::none(), None)
    }

    fn copy(&mut self, value: String, what: &str, now: u64) -> Task<Message> {
        let clear = self.settings.clipboard_clear_secs;
        self.toast = Some((
            if clear > 0 {
                tr!("codes.copied_cleared", what = what, secs = clear)
            } else {
                tr!("codes.copied", what = what)
            },
            now,
        ));
        let secret = zeroize::Zeroizing::new(value.clone());
        self.copied = Some((value, now));
        Task::perform(
            blocking(move || super::clipboard::write_secret(&secret)),
            Message::ClipboardWritten,
        )
    }

    /// The value copied last, if still to be cleared (taken on lock).
    pub fn take_copied(&mut self) -> Option<String> {
        self.copied.take().map(|(value, _)| value)
    }

    pub fn update(&mut self, message: Message, now: u64) -> (Task<Message>, Option<Event>) {
        self.last_activity = now;
        match message {
            Message::Search(q) => {
                self.query = q;
                self.selected = 0;
            }
            Message::SearchSubmit => {
                if matches!(self.view, View::List)
                    && let Some(id) = self.visible().get(self.selected).map(|e| e.id.clone())
                {
                    return (self.copy_code(&id, now), None);
                }
            }
            Message::Move(delta) => {
                let n = self.visible().len();
                if n > 0 {
                    self.selected =
                        (self.selected as i64 + i64::from(delta)).rem_euclid(n as i64) as usize;
                    return (self.scroll_to_selected(), None);
                }
            }
            Message::TypeToSearch(typed) => {
                if matches!(self.view, View::List) {
                    self.query.push_str(&typed);
                    self.selected = 0;
                    return (
                        Task::batch([
                            iced::widget::operation::focus(SEARCH_ID),
                            iced::widget::operation::move_cursor_to_end(SEARCH_ID),
                        ]),
                        None,
                    );
                }
            }
            Message::Scrolled(y, height) => {
                self.scroll_y = y;
                self.view_height = height;
            }
            Message::Reorder(offset) => {
                if let (View::List, Some(id)) = (
                    &self.view,
                    self.visible().get(self.selected).map(|e| e.id.clone()),
                ) {
                    return (Task::done(Message::ReorderEntry(id, offset)), None);
                }
            }
            Message::ReorderEntry(id, offset) => {
                self.follow = Some(id.clone());
                return (
                    self.save(move |v| v.move_entry(&id, offset).map(|()| String::new())),
                    None,
                );
            }
            Message::Copy(id) => return (self.copy_code(&id, now), None),
            Message::CopyNext(id) => {
                if let Some(code) = self.entry(&id).and_then(|e| e.account.next_code(now)) {
                    return (self.copy(code, &tr!("codes.next_code"), now), None);
                }
            }
            Message::CopyBoth(id) => {
                if let Some(e) = self.entry(&id) {
                    let both = format!(
                        "{} {}",
                        e.account.code_at(now),
                        e.account.next_code(now).unwrap_or_default()
                    );
                    return (self.copy(both, &tr!("codes.both_codes"), now), None);
                }
            }
            Message::AdvanceHotp(id) => {
                if !self.busy {
                    self.busy = true;
                    let vault = self.vault.clone();
                    return (
                        Task::perform(
                            blocking(move || {
                                let mut v = vault.lock().map_err(|_| poisoned())?;
                                let account = v
                                    .use_hotp(&id, 0, now)
                                    .map_err(|e| sentence(e.to_string()))?;
                                Ok((v.entries().to_vec(), account.code_at(now)))
                            }),
                            Message::HotpAdvanced,
                        ),
                        None,
                    );
                }
            }
            Message::HotpAdvanced(result) => {
                self.busy = false;
                match result {
                    // The counter is saved before the code is shown.
                    Ok((entries, code)) => {
                        self.entries = entries;
                        return (self.copy(code, &tr!("codes.new_code"), now), None);
                    }
                    Err(e) => self.toast = Some((e, now)),
                }
            }
            Message::Bind(id) => self.view = View::Bind(id),
            Message::AskDelete(id) => self.view = View::ConfirmDelete(id),
            Message::ConfirmDelete => {
                if let View::ConfirmDelete(id) = &self.view {
                    let id = id.clone();
                    return (
                        self.save(move |v| {
                            v.remove(&id)
                                .map(|e| tr!("codes.removed", label = e.account.display_label()))
                        }),
                        None,
                    );
                }
            }
            Message::StartRename(id) => {
                if let Some(e) = self.entry(&id) {
                    self.view = View::Rename {
                        issuer: e.account.issuer.clone().unwrap_or_default(),
                        account: e.account.name.clone(),
                        id,
                    };
                }
            }
            Message::RenameIssuer(value) => {
                if let View::Rename { issuer, .. } = &mut self.view {
                    *issuer = value;
                }
            }
            Message::RenameAccount(value) => {
                if let View::Rename { account, .. } = &mut self.view {
                    *account = value;
                }
            }
            Message::SaveRename => {
                if let View::Rename {
                    id,
                    issuer,
                    account,
                } = &self.view
                {
                    let (id, issuer, account) = (
                        id.clone(),
                        issuer.trim().to_string(),
                        account.trim().to_string(),
                    );
                    return (
                        self.save(move |v| {
                            let issuer = (!issuer.is_empty()).then_some(issuer);
                            v.rename(&id, Some(issuer), Some(account), now)
                                .map(|()| tr!("codes.renamed"))
                        }),
                        None,
                    );
                }
            }
            Message::OpenAdd => self.view = View::Add(AddForm::default()),
            Message::Add(m) => {
                if let View::Add(form) = &mut self.view {
                    form.update(m);
                }
            }
            Message::SaveAdd => {
                if let View::Add(form) = &mut self.view {
                    match form.account() {
                        Ok(account) => {
                            let label = account.display_label();
                            return (
                                self.save(move |v| {
                                    let added = v.add(vec![account], now)?;
                                    Ok(match added.first() {
                                        Some(crate::vault::Added::Duplicate { .. }) => {
                                            tr!("codes.duplicate", label = label)
                                        }
                                        _ => tr!("codes.added", label = label),
                                    })
                                }),
                                None,
                            );
                        }
                        Err(e) => form.error = Some(e),
                    }
                }
            }
            Message::Saved(result) => {
                self.busy = false;
                match result {
                    Ok((entries, note)) => {
                        self.entries = entries;
                        self.view = View::List;
                        if !note.is_empty() {
                            self.toast = Some((note, now));
                        }
                        if let Some(id) = self.follow.take()
                            && let Some(i) = self.visible().iter().position(|e| e.id == id)
                        {
                            self.selected = i;
                        }
                        return (Task::none(), None);
                    }
                    Err(e) => match &mut self.view {
                        View::Add(form) => form.error = Some(e),
                        _ => self.toast = Some((e, now)),
                    },
                }
            }
            Message::Back => {
                self.view = View::List;
                return (Task::none(), None);
            }
            Message::Lock => return (Task::none(), Some(Event::Lock)),
            Message::OpenImage => {
                return (
                    Task::perform(
                        async {
                            rfd::AsyncFileDialog::new()
                                .set_title("Open a QR code image or another app's backup")
                                .add_filter(
                                    "QR images and backups",
                                    &[
                                        "png",
                                        "jpg",
                                        "jpeg",
                                        "gif",
                                        "bmp",
                                        "webp",
                                        "json",
                                        "txt",
                                        "2fas",
                                        "bin",
                                        "csv",
                                        "tessera-backup",
                                    ],
                                )
                                .add_filter("All files", &["*"])
                                .pick_file()
                                .await
                                .map(|f| f.path().to_path_buf())
                        },
                        Message::ImageChosen,
                    ),
                    None,
                );
            }
            Message::ImageChosen(None) => {}
            Message::ImageChosen(Some(path)) | Message::FileDropped(path) => {
                // Images, link lists and other apps' backups, told apart
                // by their content.
                let source = path.display().to_string();
                return (
                    Task::perform(blocking(move || open_file(path, None)), move |opened| {
                        Message::FileRead(source.clone(), opened)
                    }),
                    None,
                );
            }
            Message::FileRead(source, opened) => match opened {
                Opened::Report(report) => {
                    self.view = View::Checklist(self.report_checklist(source, report));
                }
                Opened::NeedsPassword(path, format) => {
                    let error = match &self.view {
                        View::BackupPassword { path: p, .. } if *p == path => {
                            Some(tr!("backup.wrong_password"))
                        }
                        _ => None,
                    };
                    self.view = View::BackupPassword {
                        path,
                        format,
                        password: String::new(),
                        error,
                    };
                }
                Opened::Failed(e) => match &mut self.view {
                    View::BackupPassword { error, .. } => *error = Some(e),
                    View::Add(form) => form.error = Some(e),
                    _ => self.toast = Some((e, now)),
                },
            },
            Message::BackupPassword(p) => {
                if let View::BackupPassword { password, .. } = &mut self.view {
                    *password = p;
                }
            }
            Message::SubmitBackupPassword => {
                if let View::BackupPassword { path, password, .. } = &self.view {
                    let (path, password) =
                        (path.clone(), zeroize::Zeroizing::new(password.clone()));
                    let source = path.display().to_string();
                    return (
                        Task::perform(
                            blocking(move || open_file(path, Some(password))),
                            move |opened| Message::FileRead(source.clone(), opened),
                        ),
                        None,
                    );
                }
            }
            Message::OpenExport => self.view = View::Export(ExportForm::default()),
            Message::ExportFormat(f) => {
                if let View::Export(form) = &mut self.view {
                    form.format = Some(f);
                    form.plain_accepted = false;
                    form.error = None;
                }
            }
            Message::ExportPassword(p) => {
                if let View::Export(form) = &mut self.view {
                    form.password = p;
                    form.error = None;
                }
            }
            Message::ExportConfirm(p) => {
                if let View::Export(form) = &mut self.view {
                    form.confirm = p;
                    form.error = None;
                }
            }
            Message::ExportPlainAccepted => {
                if let View::Export(form) = &mut self.view {
                    form.plain_accepted = !form.plain_accepted;
                }
            }
            Message::ExportChoosePath => {
                if let View::Export(form) = &mut self.view {
                    let format = form.format.unwrap_or(ExportFormat::TesseraBackup);
                    if let Err(e) = form.ready(format) {
                        form.error = Some(e);
                        return (Task::none(), None);
                    }
                    let dialog = rfd::AsyncFileDialog::new().set_title("Export the accounts");
                    return (
                        Task::perform(
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
                            Message::ExportPathChosen,
                        ),
                        None,
                    );
                }
            }
            Message::ExportPathChosen(None) => {}
            Message::ExportPathChosen(Some(path)) => {
                if let View::Export(form) = &mut self.view {
                    let format = form.format.unwrap_or(ExportFormat::TesseraBackup);
                    let password = zeroize::Zeroizing::new(form.password.clone());
                    let accounts: Vec<Account> =
                        self.entries.iter().map(|e| e.account.clone()).collect();
                    self.busy = true;
                    return (
                        Task::perform(
                            blocking(move || write_export(&accounts, format, &password, &path)),
                            Message::ExportDone,
                        ),
                        None,
                    );
                }
            }
            Message::ExportDone(result) => {
                self.busy = false;
                match result {
                    Ok(note) => {
                        self.view = View::List;
                        self.toast = Some((note, now));
                    }
                    Err(e) => {
                        if let View::Export(form) = &mut self.view {
                            form.error = Some(e);
                        }
                    }
                }
            }
            Message::Paste => {
                if matches!(self.view, View::List | View::Add(_)) {
                    return (
                        Task::perform(blocking(crate::import::desktop::read_clipboard), |found| {
                            Message::Scanned(tr!("source.clipboard"), found)
                        }),
                        None,
                    );
                }
            }
            Message::ScanScreen => {
                return (
                    Task::perform(blocking(crate::import::desktop::read_screen), |found| {
                        Message::Scanned(tr!("source.screen"), found)
                    }),
                    None,
                );
            }
            Message::Scanned(source, found) => {
                if found.accounts.is_empty() {
                    // Nothing importable (e.g. text pasted into the search
                    // field): say why, keep the current view.
                    let why = found
                        .errors
                        .first()
                        .map(|r| sentence(r.error.to_string()))
                        .unwrap_or_else(|| tr!("scan.none"));
                    match &mut self.view {
                        View::Add(form) => {
                            form.error = Some(tr!("codes.nothing", source = source, why = why))
                        }
                        _ if source == tr!("source.clipboard") => {}
                        _ => {
                            self.toast =
                                Some((tr!("codes.nothing", source = source, why = why), now))
                        }
                    }
                } else {
                    self.view = View::Checklist(self.checklist(source, found));
                }
            }
            Message::Toggle(i) => {
                if let View::Checklist(list) = &mut self.view
                    && let Some(item) = list.items.get_mut(i)
                {
                    item.1 = !item.1;
                }
            }
            Message::ImportChecked => {
                if let View::Checklist(list) = &self.view {
                    let chosen: Vec<Account> = list
                        .items
                        .iter()
                        .filter(|i| i.1)
                        .map(|i| i.0.clone())
                        .collect();
                    if chosen.is_empty() {
                        return (Task::none(), None);
                    }
                    return (
                        self.save(move |v| {
                            let added = v.add(chosen, now)?;
                            let new = added
                                .iter()
                                .filter(|a| matches!(a, crate::vault::Added::New(_)))
                                .count();
                            let dup = added.len() - new;
                            Ok(match dup {
                                0 => tr!("codes.imported", n = new),
                                _ => tr!("codes.imported_dup", n = new, dup = dup),
                            })
                        }),
                        None,
                    );
                }
            }
            Message::OpenSettings => self.view = View::Settings,
            Message::SetTheme(theme) => return self.set(|s| s.theme = theme.0),
            Message::SetLanguage(language) => return self.set(|s| s.language = language.0),
            Message::SetClipboardClear(c) => return self.set(|s| s.clipboard_clear_secs = c.0),
            Message::SetAutoLock(c) => return self.set(|s| s.auto_lock_mins = c.0),
            Message::ToggleHideCodes => return self.set(|s| s.hide_codes = !s.hide_codes),
            Message::ShowQr(id) => self.view = View::ShowQr { id, qr: None },
            Message::RevealQr => {
                if let View::ShowQr { id, qr } = &mut self.view
                    && let Some(e) = self.entries.iter().find(|e| e.id == *id)
                {
                    let link = zeroize::Zeroizing::new(crate::uri::format(&e.account));
                    *qr = iced::widget::qr_code::Data::new(link.as_bytes()).ok();
                }
            }
            Message::ClipboardWritten(Ok(())) | Message::ClipboardCleared => {}
            Message::ClipboardWritten(Err(e)) => {
                self.copied = None;
                self.toast = Some((sentence(e), now));
            }
        }
        (Task::none(), None)
    }

    /// Scrolls the list so that the selected row is in view.
    fn scroll_to_selected(&self) -> Task<Message> {
        let visible = self.visible();
        let items = list_items(&visible);
        let Some(row) = items
            .iter()
            .find(|it| matches!(it.kind, ItemKind::Row { index, .. } if index == self.selected))
        else {
            return Task::none();
        };
        let y = if row.top < self.scroll_y {
            row.top
        } else if row.top + row.height > self.scroll_y + self.view_height {
            row.top + row.height - self.view_height
        } else {
            return Task::none();
        };
        iced::widget::operation::scroll_to(
            LIST_ID,
            iced::widget::scrollable::AbsoluteOffset {
                x: None,
                y: Some(y.max(0.0)),
            },
        )
    }

    fn set(&mut self, change: impl FnOnce(&mut Settings)) -> (Task<Message>, Option<Event>) {
        change(&mut self.settings);
        (Task::none(), Some(Event::Settings(self.settings.clone())))
    }

    fn report_checklist(&self, source: String, report: Report) -> Checklist {
        let mut errors = Vec::new();
        for missing in import::missing_batches(&report.batches) {
            errors.push(sentence(missing.to_string()));
        }
        let source = match report.format {
            Some(format) => format!("{source} ({format})"),
            None => source,
        };
        let mut list = self.checklist(source, report);
        list.errors.extend(errors);
        list
    }

    /// The checklist of what a scan found: new accounts ticked, accounts
    /// already in the vault unticked and marked.
    fn checklist(&self, source: String, found: Report) -> Checklist {
        let items = found
            .accounts
            .into_iter()
            .map(|a| {
                let present = self.entries.iter().any(|e| e.account.same_token(&a));
                (a, !present, present)
            })
            .collect();
        Checklist {
            source,
            items,
            errors: found
                .errors
                .iter()
                .map(|r| match r.label.as_str() {
                    "" => sentence(r.error.to_string()),
                    label => format!("{label}: {}", sentence(r.error.to_string())),
                })
                .collect(),
        }
    }

    fn copy_code(&mut self, id: &str, now: u64) -> Task<Message> {
        match self.entry(id).map(|e| e.account.clone()) {
            Some(account) if matches!(account.kind, OtpKind::Totp { .. }) => {
                self.revealed = Some((id.to_string(), now + REVEAL_SECS));
                self.copy(account.code_at(now), &tr!("codes.code"), now)
            }
            // HOTP: copying uses the code, so advance (and save) first.
            Some(_) => Task::done(Message::AdvanceHotp(id.to_string())),
            None => Task::none(),
        }
    }

    /// Runs a vault change in a task, then refreshes the list.
    fn save(
        &mut self,
        change: impl FnOnce(&mut crate::vault::Vault) -> Result<String, crate::vault::VaultError>
        + Send
        + 'static,
    ) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        self.busy = true;
        let vault = self.vault.clone();
        Task::perform(
            blocking(move || {
                let mut v = vault.lock().map_err(|_| poisoned())?;
                let note = change(&mut v).map_err(|e| sentence(e.to_string()))?;
                Ok((v.entries().to_vec(), note))
            }),
            Message::Saved,
        )
    }

    pub fn view(&self, now: u64) -> Element<'_, Message> {
        let body = match &self.view {
            View::List => self.list_view(now),
            View::Bind(id) => match self.entry(id) {
                Some(e) => bind_view(e, now),
                None => self.list_view(now),
            },
            View::ConfirmDelete(id) => match self.entry(id) {
                Some(e) => confirm_delete_view(e),
                None => self.list_view(now),
            },
            View::Rename {
                id,
                issuer,
                account,
            } => rename_view(id, issuer, account, self.busy),
            View::Add(form) => form.view(now, self.busy),
            View::Checklist(list) => checklist_view(list, self.busy),
            View::BackupPassword {
                format,
                password,
                error,
                ..
            } => backup_password_view(format, password, error.as_deref()),
            View::Export(form) => form.view(self.entries.len(), self.busy),
            View::Settings => settings_view(&self.settings),
            View::ShowQr { id, qr } => match self.entry(id) {
                Some(e) => qr_view(e, qr.as_ref()),
                None => self.list_view(now),
            },
        };
        let toast = self.toast.as_ref().map(|(t, _)| {
            container(text(t.clone()).size(14))
                .padding([6, 12])
                .style(container::rounded_box)
        });
        column![body]
            .push(toast)
            .spacing(8)
            .padding(16)
            .width(Fill)
            .height(Fill)
            .into()
    }

    fn list_view(&self, now: u64) -> Element<'_, Message> {
        let search = text_input(&tr!("codes.search"), &self.query)
            .id(SEARCH_ID)
            .on_input(Message::Search)
            .on_submit(Message::SearchSubmit)
            .padding(8);
        let header = row![
            search,
            button(text(tr!("codes.add")))
                .on_press(Message::OpenAdd)
                .padding([8, 14]),
            button(text(tr!("settings.title")))
                .on_press(Message::OpenSettings)
                .style(button::secondary)
                .padding([8, 14]),
            button(text(tr!("codes.lock")))
                .on_press(Message::Lock)
                .style(button::secondary)
                .padding([8, 14]),
        ]
        .spacing(8)
        .align_y(Center);
        let visible = self.visible();
        let list: Element<'_, Message> = if self.entries.is_empty() {
            container(text(tr!("codes.empty")).style(text::secondary))
                .padding(24)
                .into()
        } else if visible.is_empty() {
            container(text(tr!("codes.no_match")).style(text::secondary))
                .padding(24)
                .into()
        } else {
            // Only the rows in view (and a screen of margin) are built: a
            // tick then costs the same with 5 accounts or 500.
            let items = list_items(&visible);
            let total = items.last().map_or(0.0, |it| it.top + it.height);
            let from = self.scroll_y - MARGIN;
            let to = self.scroll_y + self.view_height + MARGIN;
            let shown: Vec<&ListItem> = items
                .iter()
                .filter(|it| it.top + it.height >= from && it.top <= to)
                .collect();
            let above = shown.first().map_or(0.0, |it| it.top);
            let below = shown.last().map_or(0.0, |it| total - (it.top + it.height));
            let mut col = column![space().height(above)];
            for item in shown {
                let element: Element<'_, Message> = match item.kind {
                    ItemKind::Heading(issuer) => {
                        container(text(issuer.to_string()).size(13).style(text::secondary))
                            .height(HEADING_HEIGHT)
                            .align_y(iced::alignment::Vertical::Bottom)
                            .into()
                    }
                    ItemKind::Row { index, grouped } => {
                        let e = visible[index];
                        let hidden = self.settings.hide_codes
                            && self.revealed.as_ref().is_none_or(|(id, _)| *id != e.id);
                        container(row_view(e, now, index == self.selected, grouped, hidden))
                            .height(ROW_HEIGHT - ROW_GAP)
                            .into()
                    }
                };
                col = col.push(element);
                col = col.push(space().height(item.height - item.content_height()));
            }
            col = col.push(space().height(below));
            scrollable(col)
                .id(LIST_ID)
                .on_scroll(|viewport| {
                    Message::Scrolled(viewport.absolute_offset().y, viewport.bounds().height)
                })
                .height(Fill)
                .into()
        };
        column![header, list].spacing(12).into()
    }
}

fn poisoned() -> String {
    tr!("codes.poisoned")
}

fn snapshot(vault: &SharedVault) -> Vec<Entry> {
    vault
        .lock()
        .map(|v| v.entries().to_vec())
        .unwrap_or_default()
}

fn countdown(account: &Account, now: u64) -> Element<'static, Message> {
    match account.kind {
        OtpKind::Totp { period } => {
            let left = account.seconds_remaining(now).unwrap_or(0);
            let bar = progress_bar(0.0..=period.get() as f32, left as f32)
                .length(60)
                .girth(6);
            let bar = if left <= 5 {
                bar.style(progress_bar::warning)
            } else {
                bar
            };
            row![bar, text(tr!("codes.seconds", n = left)).size(13)]
                .spacing(6)
                .align_y(Center)
                .into()
        }
        OtpKind::Hotp { counter } => text(tr!("codes.counter", n = counter)).size(13).into(),
    }
}

fn row_view(
    e: &Entry,
    now: u64,
    selected: bool,
    grouped: bool,
    hidden: bool,
) -> Element<'_, Message> {
    let a = &e.account;
    let title = match (&a.issuer, grouped) {
        (Some(_), true) | (None, _) => a.name.clone(),
        (Some(i), false) if a.name.is_empty() => i.clone(),
        (Some(i), false) => format!("{i} · {}", a.name),
    };
    let mask = |c: String| -> String {
        if hidden {
            c.chars()
                .map(|ch| if ch == ' ' { ' ' } else { '•' })
                .collect()
        } else {
            c
        }
    };
    let code = text(mask(group_code(&a.code_at(now))))
        .size(26)
        .font(Font::MONOSPACE);
    let next = text(mask(
        a.next_code(now).map(|c| group_code(&c)).unwrap_or_default(),
    ))
    .size(14)
    .font(Font::MONOSPACE)
    .style(text::secondary);
    let id = || e.id.clone();
    let specific = match a.kind {
        OtpKind::Totp { .. } => vec![
            (tr!("codes.bind"), Message::Bind(id())),
            (tr!("codes.qr"), Message::ShowQr(id())),
        ],
        OtpKind::Hotp { .. } => vec![(tr!("codes.use_code"), Message::AdvanceHotp(id()))],
    };
    let common = [
        (tr!("codes.rename"), Message::StartRename(id())),
        (tr!("codes.delete"), Message::AskDelete(id())),
    ];
    let actions = specific
        .into_iter()
        .chain(common)
        .fold(row![], |r, (label, message)| {
            r.push(button(text(label)).on_press(message).style(button::text))
        });
    let content = row![
        column![text(title).size(15), countdown(a, now)]
            .spacing(4)
            .width(Fill),
        column![code, next].align_x(iced::alignment::Horizontal::Right),
        actions,
    ]
    .spacing(12)
    .align_y(Center);
    let copy = button(content)
        .on_press(Message::Copy(e.id.clone()))
        .width(Fill)
        .padding(10)
        .style(move |theme, status| row_style(theme, status, selected));
    container(copy).style(container::bordered_box).into()
}

/// A list row: plain, a light tint when hovered, the primary tint when
/// selected by the keyboard.
fn row_style(theme: &iced::Theme, status: button::Status, selected: bool) -> button::Style {
    let palette = theme.extended_palette();
    let background = if selected {
        Some(palette.primary.weak.color.scale_alpha(0.25))
    } else if matches!(status, button::Status::Hovered | button::Status::Pressed) {
        Some(palette.background.weak.color)
    } else {
        None
    };
    button::Style {
        background: background.map(iced::Background::Color),
        text_color: palette.background.base.text,
        border: iced::border::rounded(4),
        ..button::Style::default()
    }
}

/// The binding helper: current and next code together, with the time left,
/// copied as the two consecutive codes enrolment forms ask for.
fn bind_view(e: &Entry, now: u64) -> Element<'_, Message> {
    let a = &e.account;
    let left = a.seconds_remaining(now).unwrap_or(0);
    let current = a.code_at(now);
    let next = a.next_code(now).unwrap_or_default();
    let advice = if left <= 5 {
        tr!("bind.wait")
    } else {
        tr!("bind.advice")
    };
    column![
        text(tr!("bind.title", label = a.display_label())).size(20),
        text(tr!("bind.intro")),
        row![
            column![
                text(tr!("bind.code1")).size(13),
                text(group_code(&current)).size(34).font(Font::MONOSPACE)
            ],
            column![
                text(tr!("bind.code2")).size(13),
                text(group_code(&next)).size(34).font(Font::MONOSPACE)
            ],
        ]
        .spacing(32),
        countdown(a, now),
        text(advice).style(text::secondary),
        row![
            button(text(tr!("bind.copy1"))).on_press(Message::Copy(e.id.clone())),
            button(text(tr!("bind.copy2"))).on_press(Message::CopyNext(e.id.clone())),
            button(text(tr!("bind.copy_both"))).on_press(Message::CopyBoth(e.id.clone())),
            space::horizontal(),
            button(text(tr!("common.done")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8),
    ]
    .spacing(14)
    .into()
}

fn confirm_delete_view(e: &Entry) -> Element<'_, Message> {
    let label = e.account.display_label();
    column![
        text(tr!("delete.title", label = label)).size(20),
        text(tr!("delete.text")),
        row![
            button(text(tr!("delete.button", label = label)))
                .on_press(Message::ConfirmDelete)
                .style(button::danger),
            button(text(tr!("common.cancel")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8),
    ]
    .spacing(14)
    .into()
}

fn rename_view<'a>(
    id: &'a str,
    issuer: &'a str,
    account: &'a str,
    busy: bool,
) -> Element<'a, Message> {
    column![
        text(tr!("codes.rename")).size(20),
        text_input(&tr!("add.issuer"), issuer)
            .on_input(Message::RenameIssuer)
            .padding(8),
        text_input(&tr!("add.account_short"), account)
            .on_input(Message::RenameAccount)
            .on_submit(Message::SaveRename)
            .padding(8),
        row![
            button(text(tr!("common.save"))).on_press_maybe((!busy).then_some(Message::SaveRename)),
            button(text(tr!("common.cancel")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8),
        text(tr!("order.hint")).size(13).style(text::secondary),
        row![
            button(text(tr!("order.up")))
                .on_press_maybe((!busy).then(|| Message::ReorderEntry(id.to_string(), -1)))
                .style(button::secondary),
            button(text(tr!("order.down")))
                .on_press_maybe((!busy).then(|| Message::ReorderEntry(id.to_string(), 1)))
                .style(button::secondary),
        ]
        .spacing(8),
    ]
    .spacing(12)
    .into()
}

/// The manual entry form: a key as shown by the site, or an otpauth link.
#[derive(Debug, Clone)]
pub struct AddForm {
    issuer: String,
    account: String,
    secret: String,
    kind: Kind,
    algorithm: Algorithm,
    digits: u32,
    period: String,
    counter: String,
    advanced: bool,
    error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Totp,
    Hotp,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Kind::Totp => tr!("add.totp"),
            Kind::Hotp => tr!("add.hotp"),
        })
    }
}

#[derive(Debug, Clone)]
pub enum AddMessage {
    Issuer(String),
    Account(String),
    Secret(String),
    Kind(Kind),
    Algorithm(Algorithm),
    Digits(u32),
    Period(String),
    Counter(String),
    ToggleAdvanced,
}

impl Default for AddForm {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            account: String::new(),
            secret: String::new(),
            kind: Kind::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: String::from("30"),
            counter: String::from("0"),
            advanced: false,
            error: None,
        }
    }
}

impl AddForm {
    pub fn update(&mut self, message: AddMessage) {
        self.error = None;
        match message {
            AddMessage::Issuer(v) => self.issuer = v,
            AddMessage::Account(v) => self.account = v,
            AddMessage::Secret(v) => {
                // A pasted otpauth link fills every field.
                if v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("otpauth://")
                {
                    let found = input::parse_payload(&v);
                    match (found.accounts.first(), found.errors.first()) {
                        (Some(a), None) => {
                            self.fill_from(a);
                            return;
                        }
                        (_, Some(r)) => self.error = Some(sentence(r.error.to_string())),
                        _ => {}
                    }
                }
                self.secret = v;
            }
            AddMessage::Kind(k) => self.kind = k,
            AddMessage::Algorithm(a) => self.algorithm = a,
            AddMessage::Digits(d) => self.digits = d,
            AddMessage::Period(p) => self.period = p,
            AddMessage::Counter(c) => self.counter = c,
            AddMessage::ToggleAdvanced => self.advanced = !self.advanced,
        }
    }

    fn fill_from(&mut self, a: &Account) {
        self.issuer = a.issuer.clone().unwrap_or_default();
        self.account = a.name.clone();
        self.secret = a.secret.to_base32();
        self.algorithm = a.algorithm;
        self.digits = a.digits.get();
        match a.kind {
            OtpKind::Totp { period } => {
                self.kind = Kind::Totp;
                self.period = period.get().to_string();
            }
            OtpKind::Hotp { counter } => {
                self.kind = Kind::Hotp;
                self.counter = counter.to_string();
            }
        }
        self.advanced =
            a.algorithm != Algorithm::Sha1 || a.digits.get() != 6 || a.kind != OtpKind::default();
    }

    fn secret_problem(&self) -> Option<String> {
        if self.secret.trim().is_empty() {
            return None;
        }
        input::parse_bare_key(&self.secret)
            .err()
            .map(|e| sentence(e.to_string()))
    }

    fn kind_value(&self) -> Result<OtpKind, String> {
        match self.kind {
            Kind::Totp => Period::parse(&self.period)
                .map(|period| OtpKind::Totp { period })
                .map_err(|e| sentence(e.to_string())),
            Kind::Hotp => parse_counter(&self.counter)
                .map(|counter| OtpKind::Hotp { counter })
                .map_err(|e| sentence(e.to_string())),
        }
    }

    /// The account the form describes, or the first problem in words.
    pub fn account(&self) -> Result<Account, String> {
        if self.secret.trim().is_empty() {
            return Err(tr!("add.need_key"));
        }
        let secret = input::parse_bare_key(&self.secret).map_err(|e| sentence(e.to_string()))?;
        let issuer = self.issuer.trim();
        let name = self.account.trim();
        if issuer.is_empty() && name.is_empty() {
            return Err(tr!("add.need_label"));
        }
        Ok(Account {
            issuer: (!issuer.is_empty()).then(|| issuer.to_string()),
            name: name.to_string(),
            secret,
            algorithm: self.algorithm,
            digits: Digits::new(self.digits).map_err(|e| sentence(e.to_string()))?,
            kind: self.kind_value()?,
        })
    }

    fn view(&self, now: u64, busy: bool) -> Element<'_, Message> {
        let field = |placeholder: &str, value: &str, on: fn(String) -> AddMessage| {
            text_input(placeholder, value)
                .on_input(move |v| Message::Add(on(v)))
                .on_submit(Message::SaveAdd)
                .padding(8)
        };
        let secret_error = self
            .secret_problem()
            .map(|e| text(e).size(13).style(text::danger));
        let sources = row![
            button(text(tr!("add.open_file"))).on_press(Message::OpenImage),
            button(text(tr!("add.paste"))).on_press(Message::Paste),
            button(text(tr!("add.scan_screen"))).on_press(Message::ScanScreen),
        ]
        .spacing(8);
        let mut form = column![
            text(tr!("add.title")).size(20),
            text(tr!("add.sources")).size(13).style(text::secondary),
            sources,
            text(tr!("add.or_type")).size(13).style(text::secondary),
            field(&tr!("add.issuer"), &self.issuer, AddMessage::Issuer).id("add-issuer"),
            field(&tr!("add.account"), &self.account, AddMessage::Account).id("add-account"),
            field(&tr!("add.key"), &self.secret, AddMessage::Secret).id("add-secret"),
        ]
        .push(secret_error)
        .spacing(10);
        form = form.push(
            button(text(if self.advanced {
                tr!("add.hide_advanced")
            } else {
                tr!("add.advanced")
            }))
            .on_press(Message::Add(AddMessage::ToggleAdvanced))
            .style(button::text),
        );
        if self.advanced {
            let kinds = [Kind::Totp, Kind::Hotp];
            let digit_choices = [6u32, 7, 8];
            let param: Element<'_, Message> = match self.kind {
                Kind::Totp => field(&tr!("add.period"), &self.period, AddMessage::Period)
                    .width(100)
                    .into(),
                Kind::Hotp => field(&tr!("add.counter"), &self.counter, AddMessage::Counter)
                    .width(160)
                    .into(),
            };
            form = form.push(
                row![
                    pick_list(kinds, Some(self.kind), |k| Message::Add(AddMessage::Kind(
                        k
                    ))),
                    pick_list(Algorithm::ALL, Some(self.algorithm), |a| Message::Add(
                        AddMessage::Algorithm(a)
                    )),
                    pick_list(digit_choices, Some(self.digits), |d| Message::Add(
                        AddMessage::Digits(d)
                    )),
                    param,
                ]
                .spacing(8)
                .align_y(Center),
            );
            if let Err(e) = self.kind_value() {
                form = form.push(text(e).size(13).style(text::danger));
            }
        }
        if let Ok(account) = self.account() {
            form = form.push(
                row![
                    text(tr!("add.preview")).size(13).style(text::secondary),
                    text(group_code(&account.code_at(now)))
                        .size(24)
                        .font(Font::MONOSPACE),
                    countdown(&account, now),
                ]
                .spacing(12)
                .align_y(Center),
            );
        }
        form = form.push(
            self.error
                .as_ref()
                .map(|e| text(e.clone()).style(text::danger)),
        );
        form.push(
            row![
                button(text(tr!("common.save")))
                    .on_press_maybe((!busy).then_some(Message::SaveAdd)),
                button(text(tr!("common.cancel")))
                    .on_press(Message::Back)
                    .style(button::secondary),
            ]
            .spacing(8),
        )
        .into()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn checklist_view(list: &Checklist, busy: bool) -> Element<'_, Message> {
    let n = list.items.len();
    let mut col =
        column![text(tr!("checklist.title", source = list.source, n = n)).size(20)].spacing(8);
    for (i, (account, checked, present)) in list.items.iter().enumerate() {
        let mark = if *checked { "☑" } else { "☐" };
        let note = if *present {
            format!("  {}", tr!("checklist.present"))
        } else {
            String::new()
        };
        col = col.push(
            button(text(format!("{mark}  {}{note}", account.display_label())))
                .on_press(Message::Toggle(i))
                .style(button::text),
        );
    }
    for e in &list.errors {
        col = col.push(text(e.clone()).size(13).style(text::danger));
    }
    let chosen = list.items.iter().filter(|i| i.1).count();
    col.push(
        row![
            button(text(tr!("checklist.import", n = chosen)))
                .on_press_maybe((!busy && chosen > 0).then_some(Message::ImportChecked)),
            button(text(tr!("common.cancel")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8),
    )
    .into()
}

fn settings_view(settings: &Settings) -> Element<'_, Message> {
    let clear = [
        Choice(10, "s"),
        Choice(20, "s"),
        Choice(30, "s"),
        Choice(60, "s"),
        Choice(0, "s"),
    ];
    let lock = [
        Choice(1, "min"),
        Choice(2, "min"),
        Choice(5, "min"),
        Choice(10, "min"),
        Choice(30, "min"),
        Choice(0, "min"),
    ];
    let current_clear = clear
        .iter()
        .copied()
        .find(|c| c.0 == settings.clipboard_clear_secs);
    let current_lock = lock
        .iter()
        .copied()
        .find(|c| c.0 == settings.auto_lock_mins);
    let line = |label: String, control: Element<'static, Message>| {
        row![text(label).width(260), control]
            .spacing(12)
            .align_y(Center)
    };
    column![
        text(tr!("settings.title")).size(20),
        line(
            tr!("settings.theme"),
            pick_list(
                ThemeChoice::ALL.map(ThemeItem),
                Some(ThemeItem(settings.theme)),
                Message::SetTheme
            )
            .into()
        ),
        line(
            tr!("settings.language"),
            pick_list(
                Language::ALL.map(LanguageItem),
                Some(LanguageItem(settings.language)),
                Message::SetLanguage
            )
            .into()
        ),
        line(
            tr!("settings.clipboard"),
            pick_list(clear, current_clear, Message::SetClipboardClear).into()
        ),
        line(
            tr!("settings.auto_lock"),
            pick_list(lock, current_lock, Message::SetAutoLock).into()
        ),
        line(
            tr!("settings.hide_codes"),
            button(text(if settings.hide_codes {
                tr!("common.on")
            } else {
                tr!("common.off")
            }))
            .on_press(Message::ToggleHideCodes)
            .into(),
        ),
        row![
            button(text(tr!("settings.export"))).on_press(Message::OpenExport),
            button(text(tr!("common.done")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8),
    ]
    .spacing(14)
    .into()
}

fn qr_view<'a>(e: &'a Entry, qr: Option<&'a iced::widget::qr_code::Data>) -> Element<'a, Message> {
    let body: Element<'a, Message> = match qr {
        Some(data) => iced::widget::qr_code(data).cell_size(5).into(),
        None => column![
            text(tr!("qr.warning")),
            button(text(tr!("qr.reveal")))
                .on_press(Message::RevealQr)
                .style(button::danger),
        ]
        .spacing(12)
        .into(),
    };
    column![
        text(tr!("qr.title", label = e.account.display_label())).size(20),
        body,
        button(text(tr!("common.done")))
            .on_press(Message::Back)
            .style(button::secondary),
    ]
    .spacing(14)
    .into()
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

/// Exports and writes the files with owner-only permissions.
fn write_export(
    accounts: &[Account],
    format: ExportFormat,
    password: &str,
    path: &std::path::Path,
) -> Result<String, String> {
    let exported = export::export(accounts, format, (!password.is_empty()).then_some(password))
        .map_err(|e| sentence(e.to_string()))?;
    let written = |e: std::io::Error| sentence(format!("cannot write {}: {e}", path.display()));
    if format.is_folder() {
        for file in &exported.files {
            export::write_private(&path.join(&file.name), &file.bytes).map_err(written)?;
        }
    } else if let Some(file) = exported.files.first() {
        export::write_private(path, &file.bytes).map_err(written)?;
    }
    let n = accounts.len() - exported.skipped.len();
    let mut note = format!("Exported {n} account{} to {}", plural(n), path.display());
    if !exported.skipped.is_empty() {
        let names: Vec<String> = exported.skipped.iter().map(|s| s.label.clone()).collect();
        note.push_str(&format!(
            "; left out (the format cannot carry them): {}",
            names.join(", ")
        ));
    }
    Ok(note)
}

impl ExportForm {
    fn ready(&self, format: ExportFormat) -> Result<(), String> {
        if format.needs_password() {
            if self.password.chars().count() < unlock_min_password() {
                return Err(tr!("export.min_password", n = unlock_min_password()));
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

    fn view(&self, accounts: usize, busy: bool) -> Element<'_, Message> {
        let format = self.format.unwrap_or(ExportFormat::TesseraBackup);
        let mut col = column![
            text(tr!("export.title", n = accounts)).size(20),
            pick_list(ExportFormat::ALL, Some(format), Message::ExportFormat),
        ]
        .spacing(12);
        if format.needs_password() {
            col = col.push(text(tr!("export.encrypted_note")));
            col = col.push(
                text_input(&tr!("backup.password"), &self.password)
                    .secure(true)
                    .on_input(Message::ExportPassword)
                    .padding(8),
            );
            col = col.push(
                text_input(&tr!("backup.password_again"), &self.confirm)
                    .secure(true)
                    .on_input(Message::ExportConfirm)
                    .on_submit(Message::ExportChoosePath)
                    .padding(8),
            );
        }
        if format.is_plain_text() {
            col = col.push(text(tr!("export.plain_warning")).style(text::danger));
            let mark = if self.plain_accepted { "☑" } else { "☐" };
            col = col.push(
                button(text(format!("{mark}  {}", tr!("export.understand"))))
                    .on_press(Message::ExportPlainAccepted)
                    .style(button::text),
            );
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
                .on_press_maybe((!busy).then_some(Message::ExportChoosePath)),
                button(text(tr!("common.cancel")))
                    .on_press(Message::Back)
                    .style(button::secondary),
            ]
            .spacing(8),
        )
        .into()
    }
}

fn unlock_min_password() -> usize {
    super::unlock::MIN_PASSWORD
}

fn backup_password_view<'a>(
    format: &'a str,
    password: &'a str,
    error: Option<&'a str>,
) -> Element<'a, Message> {
    column![
        text(tr!("backup.encrypted_title", format = format)).size(20),
        text(tr!("backup.type_password")),
        text_input(&tr!("backup.password"), password)
            .secure(true)
            .on_input(Message::BackupPassword)
            .on_submit(Message::SubmitBackupPassword)
            .padding(8),
    ]
    .push(error.map(|e| text(e.to_string()).style(text::danger)))
    .push(
        row![
            button(text(tr!("common.open"))).on_press(Message::SubmitBackupPassword),
            button(text(tr!("common.cancel")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8),
    )
    .spacing(12)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(secret: &str) -> AddForm {
        let mut f = AddForm::default();
        f.update(AddMessage::Issuer("JD Cloud".into()));
        f.update(AddMessage::Account("ops".into()));
        f.update(AddMessage::Secret(secret.into()));
        f
    }

    #[test]
    fn manual_entry_validates_each_field() {
        let f = form("jbsw y3dp ehpk 3pxp");
        let a = f.account().unwrap();
        assert_eq!(a.issuer.as_deref(), Some("JD Cloud"));
        assert_eq!(a.code_at(59).len(), 6);
        let f = form("0189");
        assert!(f.secret_problem().unwrap().contains("digit"));
        assert!(f.account().is_err());
        let mut f = form("jbsw y3dp ehpk 3pxp");
        f.update(AddMessage::Period("0".into()));
        assert!(f.account().unwrap_err().contains("period"));
        f.update(AddMessage::Kind(Kind::Hotp));
        f.update(AddMessage::Counter("-1".into()));
        assert!(f.account().unwrap_err().contains("counter"));
        let mut empty = AddForm::default();
        empty.update(AddMessage::Secret("JBSWY3DPEHPK3PXP".into()));
        assert!(
            empty
                .account()
                .unwrap_err()
                .contains("issuer or the account")
        );
    }

    #[test]
    fn pasting_a_link_fills_the_form() {
        let mut f = AddForm::default();
        f.update(AddMessage::Secret(
            "otpauth://hotp/ACME:me?secret=JBSWY3DPEHPK3PXP&counter=7&digits=8&algorithm=SHA256"
                .into(),
        ));
        assert_eq!((f.issuer.as_str(), f.account.as_str()), ("ACME", "me"));
        assert_eq!((f.kind, f.digits, f.counter.as_str()), (Kind::Hotp, 8, "7"));
        assert!(f.advanced);
        assert_eq!(f.account().unwrap().kind, OtpKind::Hotp { counter: 7 });
    }

    #[test]
    fn accounts_of_one_issuer_stay_together() {
        use std::sync::{Arc, Mutex};
        let dir = std::env::temp_dir().join(format!("tessera-gui-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("v.tessera");
        let (mut vault, _) = crate::vault::Vault::create(
            &path,
            crate::vault::NewVault {
                keyring: None,
                password: Some("a long password"),
                recovery: false,
                policy: crate::vault::KdfPolicy::Fixed {
                    m_kib: 1024,
                    t: 1,
                    p: 1,
                },
            },
        )
        .unwrap();
        let key = |s: &str| crate::secret::Secret::from_base32(s).unwrap();
        let accounts = vec![
            Account::totp(Some("A".into()), "1", key("JBSWY3DPEHPK3PXP")),
            Account::totp(Some("B".into()), "1", key("GEZDGNBVGY3TQOJQ")),
            Account::totp(Some("A".into()), "2", key("KRSXG5CTMVRXEZLU")),
            Account::totp(None, "solo", key("MFRGGZDFMZTWQ2LK")),
        ];
        vault.add(accounts, 0).unwrap();
        let (mut codes, _) = Codes::new(Arc::new(Mutex::new(vault)), 0, Settings::default());
        let order: Vec<String> = codes
            .visible()
            .iter()
            .map(|e| e.account.display_label())
            .collect();
        assert_eq!(order, ["A (1)", "A (2)", "B (1)", "solo"]);
        let _ = codes.update(Message::Search("b".into()), 1);
        let order: Vec<String> = codes
            .visible()
            .iter()
            .map(|e| e.account.display_label())
            .collect();
        assert_eq!(order, ["B (1)"]);
        // Delete asks first and names the account; confirming removes it.
        let id = codes.visible()[0].id.clone();
        let _ = codes.update(Message::AskDelete(id), 2);
        assert!(matches!(codes.view, View::ConfirmDelete(_)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sentences() {
        assert_eq!(sentence(String::from("wrong password")), "Wrong password.");
        assert_eq!(sentence(String::from("ok!")), "Ok!");
        assert_eq!(sentence(String::new()), "");
    }

    #[test]
    fn files_open_by_content_and_exports_read_back() {
        let dir = std::env::temp_dir().join(format!("tessera-gui-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let accounts = vec![
            Account::totp(
                Some("JD Cloud".into()),
                "root",
                crate::secret::Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            ),
            Account::totp(
                None,
                "solo",
                crate::secret::Secret::from_base32("GEZDGNBVGY3TQOJQ").unwrap(),
            ),
        ];
        // Encrypted export: the file asks for its password, then gives the accounts.
        let path = dir.join("b.tessera-backup");
        let note = write_export(
            &accounts,
            ExportFormat::TesseraBackup,
            "backup password",
            &path,
        )
        .unwrap();
        assert!(note.starts_with("Exported 2 accounts"), "{note}");
        assert!(matches!(
            open_file(path.clone(), None),
            Opened::NeedsPassword(..)
        ));
        assert!(matches!(
            open_file(path.clone(), Some(zeroize::Zeroizing::new("nope".into()))),
            Opened::Failed(_)
        ));
        match open_file(
            path,
            Some(zeroize::Zeroizing::new("backup password".into())),
        ) {
            Opened::Report(r) => assert_eq!(r.accounts, accounts),
            other => panic!("{other:?}"),
        }
        // Plain text needs an explicit confirmation in the form.
        let mut form = ExportForm {
            format: Some(ExportFormat::Uris),
            ..ExportForm::default()
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
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
