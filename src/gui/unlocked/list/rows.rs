//! One account row of the list (wide, narrow, with its menu open), the
//! row's actions, its title, and the empty list's two ways to add an
//! account.

use iced::widget::{button, column, container, row, space, text, tooltip};
use iced::{Center, Element, Fill};

use crate::account::OtpKind;
use crate::otp::group_code;
use crate::vault::Entry;

use super::super::super::widget::{Icon, avatar, code_text, countdown, focusable, icon};
use super::{Message, Open};

/// How a row is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Name, code and next code; the binding helper and the menu as icons.
    Wide,
    /// Name above the code, the actions behind the menu icon.
    Narrow,
    /// The menu open: the actions replace the code (with their names
    /// when `labels`, else icons with tooltips).
    Menu { labels: bool },
}

/// Size of the row's icons.
const ICON: f32 = 18.0;

/// An icon button with a tooltip (its name).
fn icon_button<'a>(what: Icon, name: String, message: Message) -> Element<'a, Message> {
    tooltip(
        button(icon(what, ICON))
            .on_press(message)
            .style(button::text)
            .padding(6),
        container(text(name).size(13)).padding([4, 8]),
        tooltip::Position::Top,
    )
    .style(container::rounded_box)
    .into()
}

pub fn view(
    e: &Entry,
    now: u64,
    selected: bool,
    hidden: bool,
    layout: Layout,
) -> Element<'_, Message> {
    let a = &e.account;
    // Every row names its issuer, also under a group heading (the heading
    // scrolls away; an ungrouped row after a group must not look like a
    // part of it).
    let title = title(a);
    // Kept from a change made on two computers: the person keeps one.
    let title = match &e.conflict {
        Some(_) => format!("{title} · {}", tr!("sync.conflict_mark")),
        None => title,
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
    let id = || e.id.clone();
    let avatar = avatar(a.issuer.as_deref().unwrap_or(&a.name));
    let content: Element<'_, Message> = match layout {
        Layout::Wide => {
            let code = code_text(mask(group_code(&a.code_at(now))), 26);
            let next = code_text(
                mask(a.next_code(now).map(|c| group_code(&c)).unwrap_or_default()),
                14,
            )
            .style(text::secondary);
            row![
                avatar,
                column![text(title).size(15), countdown(a, now)]
                    .spacing(4)
                    .width(Fill),
                column![code, next].align_x(iced::alignment::Horizontal::Right),
            ]
            .push((!matches!(a.kind, OtpKind::Hotp { .. })).then(|| {
                icon_button(
                    Icon::Bind,
                    tr!("codes.bind"),
                    Message::Open(Open::Bind(id())),
                )
            }))
            .push(icon_button(
                Icon::More,
                tr!("codes.actions"),
                Message::Menu(Some(id())),
            ))
            .spacing(12)
            .align_y(Center)
            .into()
        }
        Layout::Narrow => {
            let code = code_text(mask(group_code(&a.code_at(now))), 24);
            row![
                avatar,
                column![
                    text(title).size(14).wrapping(text::Wrapping::None),
                    row![code, countdown(a, now)].spacing(10).align_y(Center),
                ]
                .spacing(2)
                .width(Fill)
                .clip(true),
                icon_button(Icon::More, tr!("codes.actions"), Message::Menu(Some(id()))),
            ]
            .spacing(10)
            .align_y(Center)
            .into()
        }
        Layout::Menu { labels } => row![
            actions(e, labels),
            space::horizontal(),
            icon_button(Icon::Close, tr!("common.close"), Message::Menu(None)),
        ]
        .align_y(Center)
        .into(),
    };
    let copy = button(container(content).height(Fill).align_y(Center))
        .on_press_maybe(
            (!matches!(layout, Layout::Menu { .. })).then(|| Message::Copy(e.id.clone())),
        )
        .width(Fill)
        .height(Fill)
        .padding(10)
        .style(move |theme, status| row_style(theme, status, selected));
    copy.into()
}

/// No accounts yet: the two ways to add one, as buttons.
pub fn empty_state<'a>() -> Element<'a, Message> {
    let way = |title: String, detail: String, actions: Vec<(String, Open)>| {
        let buttons = actions
            .into_iter()
            .fold(row![].spacing(8), |r, (label, open)| {
                r.push(focusable(button(text(label)).on_press(Message::Open(open))))
            });
        container(
            column![
                text(title).size(16),
                text(detail).size(13).style(text::secondary),
                buttons.wrap(),
            ]
            .spacing(8),
        )
        .padding(16)
        .width(Fill)
        .style(container::bordered_box)
    };
    column![
        text(tr!("codes.empty_title")).size(20),
        text(tr!("codes.empty")).style(text::secondary),
        column![
            way(
                tr!("codes.way_qr"),
                tr!("codes.way_qr_detail"),
                vec![
                    (
                        tr!("add.scan_screen"),
                        Open::AddFrom(super::super::add::Source::Screen)
                    ),
                    (
                        tr!("add.open_file"),
                        Open::AddFrom(super::super::add::Source::File)
                    ),
                ],
            ),
            way(
                tr!("codes.way_key"),
                tr!("codes.way_key_detail"),
                vec![(tr!("codes.way_key_button"), Open::Add)],
            ),
        ]
        .spacing(12),
    ]
    .spacing(12)
    .padding([24, 4])
    .into()
}

/// A row's actions: Bind and QR (time-based) or Use code (HOTP), Rename,
/// Delete; each an icon, with its name beside it or as a tooltip.
fn actions(e: &Entry, labels: bool) -> Element<'_, Message> {
    let id = || e.id.clone();
    let specific = match e.account.kind {
        OtpKind::Hotp { .. } => vec![(Icon::Copy, tr!("codes.use_code"), Message::UseHotp(id()))],
        _ => vec![
            (
                Icon::Bind,
                tr!("codes.bind"),
                Message::Open(Open::Bind(id())),
            ),
            (Icon::Qr, tr!("codes.qr"), Message::Open(Open::Qr(id()))),
        ],
    };
    let common = [
        (
            Icon::Rename,
            tr!("codes.rename"),
            Message::Open(Open::Rename(id())),
        ),
        (
            Icon::Delete,
            tr!("codes.delete"),
            Message::Open(Open::Delete(id())),
        ),
    ];
    specific
        .into_iter()
        .chain(common)
        .fold(row![].spacing(2), |r, (what, name, message)| {
            r.push(if labels {
                button(
                    row![icon(what, ICON), text(name)]
                        .spacing(6)
                        .align_y(Center),
                )
                .on_press(message)
                .style(button::text)
                .padding([6, 8])
                .into()
            } else {
                icon_button(what, name, message)
            })
        })
        .into()
}

/// A row's title: `Issuer · name`, or whichever of the two there is.
pub fn title(a: &crate::account::Account) -> String {
    match &a.issuer {
        None => a.name.clone(),
        Some(i) if a.name.is_empty() => i.clone(),
        Some(i) => format!("{i} · {}", a.name),
    }
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
        ..button::Style::default()
    }
}
