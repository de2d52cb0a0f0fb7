//! Small view helpers shared by the screens: the countdown, the toast, the
//! tick box mark, the issuer avatar and the monospace code text.

mod focus;
mod icon;
mod ring;

/// Noto Sans CJK SC cut down to the characters of the translations and the
/// common cloud issuers (`scripts/cjk-font`): the 简体中文 UI renders on a
/// machine without any CJK font. Its family name is the one the text
/// shaper falls back to for Han script.
pub const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/TesseraCJK-subset.otf");

pub use focus::{button, focusable, focusable_choice};
pub use icon::{Icon, icon};
pub use ring::{WARN_SECS, ring};

/// The styles of [`button`] (iced's): `use widget::button` brings both the
/// keyboard-reachable builder and these.
pub mod button {
    pub use iced::widget::button::*;
}

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

/// A screen's outcome line: the note of what worked (success colour) and
/// the error of what did not (danger colour), each when there is one.
pub fn outcome<'a, M: 'a>(note: Option<&str>, error: Option<&str>) -> Element<'a, M> {
    iced::widget::column![]
        .push(note.map(|n| text(n.to_string()).style(text::success)))
        .push(error.map(|e| text(e.to_string()).style(text::danger)))
        .spacing(8)
        .into()
}

/// What a screen shows when no file dialog can open: why, a path field
/// (with the caret) and the action's button.
pub fn path_entry<'a, M: Clone + 'a>(
    note: String,
    id: &'static str,
    typed: &str,
    on_input: impl Fn(String) -> M + 'a,
    submit: M,
    label: String,
) -> Element<'a, M> {
    iced::widget::column![
        text(note).size(13).style(text::warning),
        row![
            iced::widget::text_input(&tr!("dialog.path_placeholder"), typed)
                .id(id)
                .on_input(on_input)
                .on_submit(submit.clone())
                .padding(8),
            button(text(label)).on_press(submit),
        ]
        .spacing(8)
        .align_y(Center),
    ]
    .spacing(6)
    .into()
}

/// A round badge with the initials of an issuer (or name) on a colour
/// derived from the text, so an account keeps its colour across runs and
/// machines.
pub fn avatar<'a, M: 'a>(label: &str) -> Element<'a, M> {
    let initials: String = label
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    let colour = avatar_colour(label);
    container(text(initials).size(14).color(iced::Color::WHITE))
        .width(36)
        .height(36)
        .align_x(Center)
        .align_y(Center)
        .style(move |_| container::Style {
            background: Some(iced::Background::Color(colour)),
            border: iced::border::rounded(18),
            ..container::Style::default()
        })
        .into()
}

/// One of twelve hues (FNV-1a of the lower-case text), dark enough for
/// white initials in both themes.
fn avatar_colour(label: &str) -> iced::Color {
    let hash = label.to_lowercase().bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let hue = (hash % 12) as f32 * 30.0;
    hsl(hue, 0.45, 0.42)
}

fn hsl(hue: f32, saturation: f32, lightness: f32) -> iced::Color {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    iced::Color::from_rgb(r + m, g + m, b + m)
}

/// A code in large monospace digits.
pub fn code_text<'a>(code: String, size: u32) -> iced::widget::Text<'a> {
    text(code).size(size).font(Font::MONOSPACE)
}

#[cfg(test)]
mod tests {
    /// Every CJK character of the catalogs (and the language menu) is in
    /// the embedded font: a catalog change without `scripts/cjk-font`
    /// fails here instead of showing boxes.
    #[test]
    fn cjk_font_covers_every_catalog_character() {
        let face = ttf_parser::Face::parse(super::CJK_FONT, 0).expect("a valid font");
        let catalogs = [
            include_str!("../../../locales/zh-CN.yml"),
            include_str!("../../../locales/en.yml"),
            "简体中文 京东云 阿里云",
            // The symbols the views draw (the list's menu, the disclosure
            // of the add form, the arrows of the shortcuts).
            "⋯ ▶ ▼ ✓ ↑ ↓ →",
        ];
        let missing: String = catalogs
            .concat()
            .chars()
            .filter(|c| {
                let c32 = u32::from(*c);
                (c32 > 0x2e7f || (0x2190..=0x2bff).contains(&c32)) && face.glyph_index(*c).is_none()
            })
            .collect();
        assert!(missing.is_empty(), "not in the font: {missing}");
        // And it is a subset, not the whole 16 MB collection.
        assert!(super::CJK_FONT.len() < 400_000);
    }
}
