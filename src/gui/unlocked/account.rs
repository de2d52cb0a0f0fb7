//! Actions on one account: the binding helper (two consecutive codes),
//! rename and order, delete confirmation, and its QR code (revealed on
//! request).

use iced::widget::{column, row, text, text_input};

use super::super::widget::button;
use iced::{Element, Font};

use crate::otp::group_code;
use crate::vault::Entry;

use super::super::widget::{WARN_SECS, ring};

#[derive(Debug)]
pub enum State {
    /// The binding helper; `first` is the time step whose code was copied
    /// as code 1 (code 2 is then the code of the step after it).
    Bind {
        id: String,
        first: Option<u64>,
    },
    Delete(String),
    Rename {
        id: String,
        issuer: String,
        account: String,
    },
    Qr {
        id: String,
        qr: Option<iced::widget::qr_code::Data>,
    },
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Copy code 1 (the current code) and remember its time step.
    CopyFirst,
    /// Copy code 2 (the code after code 1).
    CopySecond,
    ConfirmDelete,
    RenameIssuer(String),
    RenameAccount(String),
    SaveRename,
    Reorder(String, i64),
    RevealQr,
    Back,
}

/// What the parent must act on.
pub enum Event {
    /// Copy this text; `what` names it in the toast.
    CopyText {
        value: String,
        what: String,
    },
    Delete(String),
    Rename {
        id: String,
        issuer: String,
        account: String,
    },
    Reorder(String, i64),
    Back,
}

/// The rename form's first field, focused when it opens.
pub const RENAME_FIRST: &str = "rename-issuer";

fn find<'a>(entries: &'a [Entry], id: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.id == id)
}

impl State {
    /// The rename form of `id`, filled with its names (if it exists).
    pub fn rename(id: String, entries: &[Entry]) -> Option<Self> {
        let e = find(entries, &id)?;
        Some(Self::Rename {
            issuer: e.account.issuer.clone().unwrap_or_default(),
            account: e.account.name.clone(),
            id,
        })
    }

    /// The binding helper of `id`, nothing copied yet.
    pub fn bind(id: String) -> Self {
        Self::Bind { id, first: None }
    }

    pub fn qr(id: String) -> Self {
        Self::Qr { id, qr: None }
    }

    pub fn update(&mut self, message: Message, entries: &[Entry], now: u64) -> Option<Event> {
        match message {
            Message::CopyFirst | Message::CopySecond => {
                let Self::Bind { id, first } = self else {
                    return None;
                };
                let pair = Pair::new(&find(entries, id)?.account, *first, now)?;
                if pair.left <= WARN_SECS {
                    return None;
                }
                let (value, what) = if matches!(message, Message::CopyFirst) {
                    *first = Some(pair.step);
                    (pair.first, tr!("bind.code1"))
                } else {
                    (pair.second, tr!("bind.code2"))
                };
                return Some(Event::CopyText { value, what });
            }
            Message::ConfirmDelete => {
                if let Self::Delete(id) = self {
                    return Some(Event::Delete(id.clone()));
                }
            }
            Message::RenameIssuer(value) => {
                if let Self::Rename { issuer, .. } = self {
                    *issuer = value;
                }
            }
            Message::RenameAccount(value) => {
                if let Self::Rename { account, .. } = self {
                    *account = value;
                }
            }
            Message::SaveRename => {
                if let Self::Rename {
                    id,
                    issuer,
                    account,
                } = self
                {
                    return Some(Event::Rename {
                        id: id.clone(),
                        issuer: issuer.trim().to_string(),
                        account: account.trim().to_string(),
                    });
                }
            }
            Message::Reorder(id, offset) => return Some(Event::Reorder(id, offset)),
            Message::RevealQr => {
                if let Self::Qr { id, qr } = self
                    && let Some(e) = find(entries, id)
                {
                    let link = zeroize::Zeroizing::new(crate::uri::format(&e.account));
                    *qr = iced::widget::qr_code::Data::new(link.as_bytes()).ok();
                }
            }
            Message::Back => return Some(Event::Back),
        }
        None
    }

    /// The screen, or `None` if its account is gone (the list shows then).
    pub fn view<'a>(
        &'a self,
        entries: &'a [Entry],
        now: u64,
        busy: bool,
    ) -> Option<Element<'a, Message>> {
        Some(match self {
            Self::Bind { id, first } => bind_view(find(entries, id)?, *first, now),
            Self::Delete(id) => confirm_delete_view(find(entries, id)?),
            Self::Rename {
                id,
                issuer,
                account,
            } => rename_view(find(entries, id)?, issuer, account, busy),
            Self::Qr { id, qr } => qr_view(find(entries, id)?, qr.as_ref()),
        })
    }
}

/// The two codes the helper offers at `now`.
struct Pair {
    /// The time step of code 1.
    step: u64,
    first: String,
    second: String,
    /// Seconds left in the current step.
    left: u64,
    period: u64,
    /// Code 1 was copied and code 2 is now the current code.
    second_is_current: bool,
}

impl Pair {
    /// Code 1 is the code copied (its step remembered) while its pair is
    /// still usable — during that step and the next — otherwise the current
    /// code; code 2 is always the code of the step after code 1. `None`
    /// for counter-based accounts.
    fn new(account: &crate::account::Account, copied: Option<u64>, now: u64) -> Option<Self> {
        let period = account.kind.period()?.get();
        let current = now / period;
        let step = copied
            .filter(|s| *s == current || s.checked_add(1) == Some(current))
            .unwrap_or(current);
        let at = |step: u64| step.checked_mul(period).map(|t| account.code_at(t));
        Some(Self {
            step,
            first: at(step)?,
            second: at(step.checked_add(1)?)?,
            left: account.seconds_remaining(now)?,
            period,
            second_is_current: step != current,
        })
    }
}

/// The binding helper: code 1 and code 2 together, a large countdown ring
/// that turns to the warning colour, copying disabled in the last seconds,
/// and "Copy code 2" the primary action once code 1 was copied and code 2
/// is current.
fn bind_view(e: &Entry, first: Option<u64>, now: u64) -> Element<'_, Message> {
    let a = &e.account;
    let Some(pair) = Pair::new(a, first, now) else {
        return column![text(tr!("bind.title", label = a.display_label())).size(20)].into();
    };
    let urgent = pair.left <= WARN_SECS;
    let advice = if urgent {
        text(tr!("bind.wait")).style(text::danger)
    } else if pair.second_is_current {
        text(tr!("bind.now_second")).style(text::success)
    } else {
        text(tr!("bind.advice")).style(text::secondary)
    };
    let code = |label: String, value: &str, done: bool| {
        column![
            text(if done { format!("{label} ✓") } else { label }).size(13),
            text(group_code(value))
                .size(34)
                .font(Font::MONOSPACE)
                .wrapping(text::Wrapping::None)
        ]
    };
    let copy = |label: String, message: Message, primary: bool| {
        button(text(label))
            .on_press_maybe((!urgent).then_some(message))
            .style(if primary {
                button::primary
            } else {
                button::secondary
            })
            .padding([8, 14])
    };
    let copied_first = first == Some(pair.step);
    column![
        text(tr!("bind.title", label = a.display_label())).size(20),
        text(tr!("bind.intro")),
        row![
            ring(pair.left, pair.period, 96.0),
            code(tr!("bind.code1"), &pair.first, copied_first),
            code(tr!("bind.code2"), &pair.second, false),
        ]
        .spacing(32)
        .align_y(iced::Center)
        .wrap(),
        advice,
        row![
            copy(tr!("bind.copy1"), Message::CopyFirst, !copied_first),
            copy(
                tr!("bind.copy2"),
                Message::CopySecond,
                copied_first && pair.second_is_current
            ),
            button(text(tr!("common.done")))
                .on_press(Message::Back)
                .style(button::secondary)
                .padding([8, 14]),
        ]
        .spacing(8)
        .wrap(),
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
        .spacing(8)
        .wrap(),
    ]
    .spacing(14)
    .into()
}

/// When the account was added and last changed (UTC).
fn dates_line(e: &Entry) -> String {
    let shown = |unix| crate::dates::minutes_utc(unix).unwrap_or_default();
    tr!(
        "account.dates",
        created = shown(e.created),
        modified = shown(e.modified)
    )
}

fn rename_view<'a>(
    e: &'a Entry,
    issuer: &'a str,
    account: &'a str,
    busy: bool,
) -> Element<'a, Message> {
    let id = e.id.as_str();
    column![
        text(tr!("codes.rename")).size(20),
        text(dates_line(e)).size(13).style(text::secondary),
        column![
            text(tr!("rename.issuer")).size(13),
            text_input(&tr!("add.issuer"), issuer)
                .id(RENAME_FIRST)
                .on_input(Message::RenameIssuer)
                .on_submit(Message::SaveRename)
                .padding(8),
        ]
        .spacing(4),
        column![
            text(tr!("rename.account")).size(13),
            text_input(&tr!("add.account_short"), account)
                .on_input(Message::RenameAccount)
                .on_submit(Message::SaveRename)
                .padding(8),
        ]
        .spacing(4),
        row![
            button(text(tr!("common.save"))).on_press_maybe((!busy).then_some(Message::SaveRename)),
            button(text(tr!("common.cancel")))
                .on_press(Message::Back)
                .style(button::secondary),
        ]
        .spacing(8)
        .wrap(),
        text(tr!("order.hint")).size(13).style(text::secondary),
        row![
            button(text(tr!("order.up")))
                .on_press_maybe((!busy).then(|| Message::Reorder(id.to_string(), -1)))
                .style(button::secondary),
            button(text(tr!("order.down")))
                .on_press_maybe((!busy).then(|| Message::Reorder(id.to_string(), 1)))
                .style(button::secondary),
        ]
        .spacing(8)
        .wrap(),
    ]
    .spacing(12)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Account;
    use crate::gui::task::{snapshot, testing};

    #[test]
    fn the_account_screen_shows_when_it_was_added_and_changed() {
        let (session, _dir) = testing::session();
        let key = crate::secret::Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let account = Account::totp(Some("ACME".into()), "me", key);
        session
            .lock()
            .unwrap()
            .import(vec![account], 1_796_173_988)
            .unwrap();
        let entries = snapshot(&session);
        let state = State::rename(entries[0].id.clone(), &entries).unwrap();
        let line = dates_line(&entries[0]);
        assert!(line.contains("2026-12-02 01:13 UTC"), "{line}");
        let mut ui = iced_test::simulator(state.view(&entries, 0, false).unwrap());
        assert!(ui.find(line.as_str()).is_ok(), "{line}");
    }

    /// The QR code the app draws is read back by a second, independent
    /// decoder (rqrr) from a screenshot of the screen.
    #[test]
    fn the_account_qr_reads_back_with_another_decoder() {
        let (session, _dir) = testing::session();
        let link = "otpauth://totp/%E4%BA%AC%E4%B8%9C%E4%BA%91:ops%40example.cn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&issuer=%E4%BA%AC%E4%B8%9C%E4%BA%91";
        let account = crate::uri::parse(link).unwrap();
        let expected = crate::uri::format(&account);
        session.lock().unwrap().import(vec![account], 0).unwrap();
        let entries = snapshot(&session);
        let mut state = State::qr(entries[0].id.clone());
        assert!(state.update(Message::RevealQr, &entries, 0).is_none());
        let mut ui = iced_test::simulator(state.view(&entries, 0, false).unwrap());
        // A snapshot compared with a missing file writes it: the screenshot.
        let shots = tempfile::tempdir().unwrap();
        let shot = ui.snapshot(&iced::Theme::Light).unwrap();
        assert!(shot.matches_image(shots.path().join("qr.png")).unwrap());
        let file = std::fs::read_dir(shots.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "png"))
            .unwrap();
        let luma = image::open(&file).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            luma.width() as usize,
            luma.height() as usize,
            |x, y| luma.get_pixel(x as u32, y as u32).0[0],
        );
        let read: Vec<String> = prepared
            .detect_grids()
            .iter()
            .filter_map(|g| g.decode().ok().map(|(_, text)| text))
            .collect();
        assert_eq!(read, [expected]);
    }
}
