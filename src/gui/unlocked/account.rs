//! Actions on one account: the binding helper (two consecutive codes),
//! rename and order, delete confirmation, and its QR code (revealed on
//! request).

use iced::widget::{button, column, row, space, text, text_input};
use iced::{Element, Font};

use crate::otp::group_code;
use crate::vault::Entry;

use super::super::widget::countdown;

#[derive(Debug)]
pub enum State {
    Bind(String),
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
    Copy(String),
    CopyNext(String),
    CopyBoth(String),
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
    /// Copy the current code (as a click on its row does).
    Copy(String),
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

    pub fn qr(id: String) -> Self {
        Self::Qr { id, qr: None }
    }

    pub fn update(&mut self, message: Message, entries: &[Entry], now: u64) -> Option<Event> {
        match message {
            Message::Copy(id) => return Some(Event::Copy(id)),
            Message::CopyNext(id) => {
                let code = find(entries, &id).and_then(|e| e.account.next_code(now))?;
                return Some(Event::CopyText {
                    value: code,
                    what: tr!("codes.next_code"),
                });
            }
            Message::CopyBoth(id) => {
                let e = find(entries, &id)?;
                let both = format!(
                    "{} {}",
                    e.account.code_at(now),
                    e.account.next_code(now).unwrap_or_default()
                );
                return Some(Event::CopyText {
                    value: both,
                    what: tr!("codes.both_codes"),
                });
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
            Self::Bind(id) => bind_view(find(entries, id)?, now),
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
                .on_press_maybe((!busy).then(|| Message::Reorder(id.to_string(), -1)))
                .style(button::secondary),
            button(text(tr!("order.down")))
                .on_press_maybe((!busy).then(|| Message::Reorder(id.to_string(), 1)))
                .style(button::secondary),
        ]
        .spacing(8),
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
