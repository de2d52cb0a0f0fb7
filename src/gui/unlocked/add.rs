//! Adding an account: the manual entry form (a key as shown by the site,
//! or an otpauth link) with a live preview, and the other sources (the
//! open dialog, a chosen or dropped file, the clipboard, the screen) as
//! tasks the parent runs and maps.

use iced::widget::{column, container, pick_list, row, scrollable, text, text_input};

use super::super::dialogs::{self, Dialog, Picked};
use super::super::widget::{button, focusable_choice, path_entry};
use std::path::PathBuf;

use iced::{Center, Element, Task};

use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, OtpKind};
use crate::import::{Report, text as input};
use crate::otp::group_code;
use crate::session::{Draft, DraftError, DraftKind};

use super::super::task::{blocking, sentence};
use super::super::widget::{code_text, countdown};
use super::core_calls::{Opened, open_file};

/// The manual entry form.
#[derive(Debug, Clone)]
pub struct State {
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
    /// No file dialog can open: the path typed instead (shown once a
    /// dialog was asked for and none could open).
    typed_path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Totp,
    Hotp,
    Steam,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Kind::Totp => tr!("add.totp"),
            Kind::Hotp => tr!("add.hotp"),
            Kind::Steam => tr!("add.steam"),
        })
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Issuer(String),
    Account(String),
    Secret(String),
    Kind(Kind),
    Algorithm(Algorithm),
    Digits(u32),
    Period(String),
    Counter(String),
    ToggleAdvanced,
    Save,
    Source(Source),
    /// No file dialog could open: ask for a path.
    NoChooser,
    TypedPath(String),
    OpenTypedPath,
    Cancel,
}

/// Where else an account can come from (read by the parent).
#[derive(Debug, Clone, Copy)]
pub enum Source {
    File,
    Clipboard,
    Screen,
}

/// What the parent must act on.
pub enum Event {
    Save(Account),
    Source(Source),
    /// Read this file (typed when no dialog could open).
    Open(PathBuf),
    Cancel,
}

/// The path field's id.
const PATH_ID: &str = "add-path";

/// Puts the caret in the form's first field (the issuer).
pub fn focus_first<M: Send + 'static>() -> Task<M> {
    iced::widget::operation::focus("add-issuer")
}

impl Default for State {
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
            typed_path: None,
        }
    }
}

impl State {
    /// Shows a problem (a failed save, nothing found in a source).
    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Save => {
                return match self.account() {
                    Ok(account) => Some(Event::Save(account)),
                    Err(e) => {
                        self.error = Some(e);
                        None
                    }
                };
            }
            Message::Source(source) => return Some(Event::Source(source)),
            Message::Cancel => return Some(Event::Cancel),
            Message::OpenTypedPath => {
                let path = self.typed_path.as_deref().and_then(dialogs::typed_path);
                return path.map(Event::Open);
            }
            _ => {}
        }
        self.error = None;
        match message {
            Message::Issuer(v) => self.issuer = v,
            Message::Account(v) => self.account = v,
            Message::Secret(v) => {
                // A pasted otpauth link fills every field.
                if v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("otpauth://")
                {
                    let found = input::parse_payload(&v);
                    match (found.accounts.first(), found.errors.first()) {
                        (Some(a), None) => {
                            self.fill_from(a);
                            return None;
                        }
                        (_, Some(r)) => self.error = Some(sentence(r.error.to_string())),
                        _ => {}
                    }
                }
                self.secret = v;
            }
            Message::Kind(k) => self.kind = k,
            Message::Algorithm(a) => self.algorithm = a,
            Message::Digits(d) => self.digits = d,
            Message::Period(p) => self.period = p,
            Message::Counter(c) => self.counter = c,
            Message::ToggleAdvanced => self.advanced = !self.advanced,
            Message::NoChooser => {
                self.typed_path.get_or_insert_with(String::new);
            }
            Message::TypedPath(p) => self.typed_path = Some(p),
            Message::Save | Message::Source(_) | Message::Cancel | Message::OpenTypedPath => {}
        }
        None
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
            OtpKind::Steam => self.kind = Kind::Steam,
        }
        self.advanced =
            a.algorithm != Algorithm::Sha1 || a.digits.get() != 6 || a.kind != OtpKind::default();
    }

    // ---- the core's Draft builder: the form only maps its fields in and
    // the builder's verdict out.

    /// The form's fields as the core's [`Draft`].
    fn draft(&self) -> Draft {
        let (kind, period, counter) = match self.kind {
            Kind::Totp => (DraftKind::Totp, Some(self.period.clone()), None),
            Kind::Hotp => (DraftKind::Hotp, None, Some(self.counter.clone())),
            Kind::Steam => (DraftKind::Steam, None, None),
        };
        // Steam Guard's parameters are fixed: the pick lists are hidden.
        let steam = self.kind == Kind::Steam;
        Draft {
            issuer: self.issuer.clone(),
            name: self.account.clone(),
            secret: Zeroizing::new(self.secret.clone()),
            kind,
            algorithm: (!steam).then(|| self.algorithm.as_str().to_string()),
            digits: (!steam).then(|| self.digits.to_string()),
            period,
            counter,
        }
    }

    /// What is wrong with the key typed so far (live, under the field).
    fn secret_problem(&self) -> Option<String> {
        if self.secret.trim().is_empty() {
            return None;
        }
        match Draft::key(&self.secret).build() {
            Err(DraftError::Key(e)) => Some(sentence(e.to_string())),
            _ => None,
        }
    }

    /// What is wrong with the period or counter (under the advanced options).
    fn parameter_problem(&self) -> Option<String> {
        self.draft()
            .parameters()
            .err()
            .map(|e| sentence(e.to_string()))
    }

    /// The account the form describes, or the first problem in words.
    pub fn account(&self) -> Result<Account, String> {
        self.draft().build_labelled().map_err(|e| match e {
            DraftError::NoKey => tr!("add.need_key"),
            DraftError::NoLabel => tr!("add.need_label"),
            e => sentence(e.to_string()),
        })
    }

    // ---- view

    pub fn view(&self, now: u64, busy: bool) -> Element<'_, Message> {
        // Every field has a label above it; the placeholder only shows an
        // example.
        let secret_problem = self.secret_problem();
        let sources = row![
            button(text(tr!("add.open_file"))).on_press(Message::Source(Source::File)),
            button(text(tr!("add.paste"))).on_press(Message::Source(Source::Clipboard)),
            button(text(tr!("add.scan_screen"))).on_press(Message::Source(Source::Screen)),
        ]
        .spacing(8)
        .wrap();
        let issuer = text_input(&tr!("add.issuer"), &self.issuer)
            .id("add-issuer")
            .on_input(Message::Issuer)
            .on_submit(Message::Save)
            .padding(8);
        let account = text_input(&tr!("add.account"), &self.account)
            .id("add-account")
            .on_input(Message::Account)
            .on_submit(Message::Save)
            .padding(8);
        let key = text_input(&tr!("add.key"), &self.secret)
            .id("add-secret")
            .on_input(Message::Secret)
            .on_submit(Message::Save)
            .padding(8);
        let mut form = column![
            text(tr!("add.title")).size(20),
            text(tr!("add.sources")).size(13).style(text::secondary),
            sources,
        ]
        .push(self.typed_path.as_deref().map(|typed| {
            path_entry(
                tr!("dialog.none_open"),
                PATH_ID,
                typed,
                Message::TypedPath,
                Message::OpenTypedPath,
                tr!("common.open"),
            )
        }))
        .push(text(tr!("add.or_type")).size(13).style(text::secondary))
        .push(labelled(tr!("add.issuer_label"), issuer))
        .push(labelled(tr!("add.account_short"), account))
        .push(labelled(tr!("add.key_label"), key))
        .push(
            secret_problem
                .clone()
                .map(|e| text(e).size(13).style(text::danger)),
        )
        .spacing(10);
        // A disclosure: the triangle turns when the options are shown.
        let (mark, label) = if self.advanced {
            ("▼", tr!("add.hide_advanced"))
        } else {
            ("▶", tr!("add.advanced"))
        };
        form = form.push(
            button(
                row![text(mark).size(10), text(label)]
                    .spacing(6)
                    .align_y(Center),
            )
            .on_press(Message::ToggleAdvanced)
            .style(button::text)
            .padding([4, 0]),
        );
        if self.advanced {
            let kinds = [Kind::Totp, Kind::Hotp, Kind::Steam];
            let digit_choices = [6u32, 7, 8];
            let param: Element<'_, Message> = match self.kind {
                Kind::Totp => labelled(
                    tr!("add.period_label"),
                    row![
                        text_input("30", &self.period)
                            .on_input(Message::Period)
                            .on_submit(Message::Save)
                            .padding(8)
                            .width(72),
                        text(tr!("add.seconds_unit")),
                    ]
                    .spacing(6)
                    .align_y(Center),
                ),
                Kind::Hotp => labelled(
                    tr!("add.counter"),
                    text_input("0", &self.counter)
                        .on_input(Message::Counter)
                        .on_submit(Message::Save)
                        .padding(8)
                        .width(160),
                ),
                Kind::Steam => text(tr!("add.steam_fixed"))
                    .size(13)
                    .style(text::secondary)
                    .into(),
            };
            let mut options = row![labelled(
                tr!("add.type"),
                focusable_choice(pick_list(kinds, Some(self.kind), Message::Kind)),
            )];
            if self.kind != Kind::Steam {
                options = options
                    .push(labelled(
                        tr!("add.algorithm"),
                        focusable_choice(pick_list(
                            Algorithm::ALL,
                            Some(self.algorithm),
                            Message::Algorithm,
                        )),
                    ))
                    .push(labelled(
                        tr!("add.digits"),
                        focusable_choice(pick_list(
                            digit_choices,
                            Some(self.digits),
                            Message::Digits,
                        )),
                    ));
            }
            form = form.push(options.push(param).spacing(12).wrap());
            if let Some(e) = self.parameter_problem() {
                form = form.push(text(e).size(13).style(text::danger));
            }
        }
        if let Ok(account) = self.account() {
            form = form.push(
                row![
                    text(tr!("add.preview")).size(13).style(text::secondary),
                    code_text(group_code(&account.code_at(now)), 24),
                    countdown(&account, now),
                ]
                .spacing(12)
                .align_y(Center),
            );
        }
        // One message place: a save's error unless the key's own problem
        // already says it under the field.
        form = form.push(
            self.error
                .as_ref()
                .filter(|e| secret_problem.as_ref() != Some(*e))
                .map(|e| text(e.clone()).style(text::danger)),
        );
        let form = form.push(
            row![
                button(text(tr!("common.save"))).on_press_maybe((!busy).then_some(Message::Save)),
                button(text(tr!("common.cancel")))
                    .on_press(Message::Cancel)
                    .style(button::secondary),
            ]
            .spacing(8)
            .wrap(),
        );
        // Room for the focus rings at the edges; scrolls in a short window.
        scrollable(container(form).padding([4, 6]))
            .spacing(6)
            .into()
    }
}

/// A form field with its name above it.
fn labelled<'a>(label: String, field: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    column![text(label).size(13), field.into()]
        .spacing(4)
        .into()
}

// ---- sources: the open dialog, a file (chosen or dropped), the
// clipboard, the screen. Each resolves to what it read, named for the
// checklist.

/// The open dialog (or word that none can open).
pub fn pick_file() -> Task<Picked> {
    const EXTENSIONS: &[&str] = &[
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
        "maFile",
        "tessera-backup",
    ];
    let (title, filter) = (tr!("import.dialog"), tr!("import.dialog_filter"));
    Task::future(dialogs::pick(
        title,
        Dialog::Open {
            filter,
            extensions: EXTENSIONS,
        },
    ))
}

/// The path field's focus, when it appears.
pub fn focus_path<M: Send + 'static>() -> Task<M> {
    iced::widget::operation::focus(PATH_ID)
}

/// Reads a file: images, link lists and other apps' backups, told apart
/// by content.
pub fn read_file(
    path: PathBuf,
    password: Option<zeroize::Zeroizing<String>>,
) -> Task<(String, Opened)> {
    let source = path.display().to_string();
    Task::perform(blocking(move || open_file(path, password)), move |opened| {
        (source.clone(), opened)
    })
}

/// Reads the QR codes or links on the clipboard.
pub fn scan_clipboard() -> Task<(String, Report)> {
    Task::perform(blocking(crate::import::desktop::read_clipboard), |found| {
        (tr!("source.clipboard"), found)
    })
}

/// Reads the QR codes on the screen.
pub fn scan_screen() -> Task<(String, Report)> {
    Task::perform(blocking(crate::import::desktop::read_screen), |found| {
        (tr!("source.screen"), found)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(secret: &str) -> State {
        let mut f = State::default();
        let _ = f.update(Message::Issuer("JD Cloud".into()));
        let _ = f.update(Message::Account("ops".into()));
        let _ = f.update(Message::Secret(secret.into()));
        f
    }

    #[test]
    fn manual_entry_validates_each_field() {
        let f = form("jbsw y3dp ehpk 3pxp");
        let a = f.account().unwrap();
        assert_eq!(a.issuer.as_deref(), Some("JD Cloud"));
        // oathtool --totp -b JBSWY3DPEHPK3PXP -N @59
        assert_eq!(a.code_at(59), "996554");
        let f = form("0189");
        assert!(f.secret_problem().unwrap().contains("digit"));
        assert!(f.account().is_err());
        let mut f = form("jbsw y3dp ehpk 3pxp");
        let _ = f.update(Message::Period("0".into()));
        assert!(f.account().unwrap_err().contains("period"));
        let _ = f.update(Message::Kind(Kind::Hotp));
        let _ = f.update(Message::Counter("-1".into()));
        assert!(f.account().unwrap_err().contains("counter"));
        let mut empty = State::default();
        let _ = empty.update(Message::Secret("JBSWY3DPEHPK3PXP".into()));
        assert!(
            empty
                .account()
                .unwrap_err()
                .contains("issuer or the account")
        );
    }

    #[test]
    fn pasting_a_link_fills_the_form() {
        let mut f = State::default();
        let _ = f.update(Message::Secret(
            "otpauth://hotp/ACME:me?secret=JBSWY3DPEHPK3PXP&counter=7&digits=8&algorithm=SHA256"
                .into(),
        ));
        assert_eq!((f.issuer.as_str(), f.account.as_str()), ("ACME", "me"));
        assert_eq!((f.kind, f.digits, f.counter.as_str()), (Kind::Hotp, 8, "7"));
        assert!(f.advanced);
        assert_eq!(f.account().unwrap().kind, OtpKind::Hotp { counter: 7 });
    }

    #[test]
    fn steam_is_offered_in_the_advanced_options() {
        let mut f = form("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW");
        let _ = f.update(Message::ToggleAdvanced);
        let _ = f.update(Message::Kind(Kind::Steam));
        // The digits and algorithm left from TOTP do not apply.
        let _ = f.update(Message::Digits(8));
        let a = f.account().unwrap();
        assert_eq!(a.kind, OtpKind::Steam);
        assert_eq!(a.code_at(0), "C5V56");
        assert_eq!(f.parameter_problem(), None);
        // A pasted Steam link fills the form as Steam.
        let mut f = State::default();
        let _ = f.update(Message::Secret(
            "otpauth://totp/Steam:gaben?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&encoder=steam"
                .into(),
        ));
        assert_eq!((f.kind, f.advanced), (Kind::Steam, true));
        assert_eq!(f.account().unwrap().code_at(30), "QJY8Y");
    }
}
