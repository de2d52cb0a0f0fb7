//! Small view helpers shared by the screens: the countdown, the toast, the
//! tick box mark and the monospace code text.

use iced::widget::{container, progress_bar, row, text};
use iced::{Center, Element, Font};

use crate::account::{Account, OtpKind, Period};

/// Time left for a TOTP or Steam code (a bar and the seconds), or an HOTP
/// counter.
pub fn countdown<'a, M: 'a>(account: &Account, now: u64) -> Element<'a, M> {
    match account.kind {
        OtpKind::Totp { period } => time_left(account, period, now),
        OtpKind::Steam => time_left(account, Period::THIRTY, now),
        OtpKind::Hotp { counter } => text(tr!("codes.counter", n = counter)).size(13).into(),
    }
}

fn time_left<'a, M: 'a>(account: &Account, period: Period, now: u64) -> Element<'a, M> {
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

/// A short note under the screen (copied, saved, an error).
pub fn toast<'a, M: 'a>(message: &str) -> Element<'a, M> {
    container(text(message.to_string()).size(14))
        .padding([6, 12])
        .style(container::rounded_box)
        .into()
}

/// The mark of a tick box drawn as text.
pub fn check_mark(checked: bool) -> &'static str {
    if checked { "☑" } else { "☐" }
}

/// A code in large monospace digits.
pub fn code_text<'a>(code: String, size: u32) -> iced::widget::Text<'a> {
    text(code).size(size).font(Font::MONOSPACE)
}
