//! The code list: search (typed anywhere), keyboard selection, issuer
//! headings, and only the rows in view built (fixed row height).

use std::borrow::Cow;

use iced::widget::{column, container, responsive, row, scrollable, space, text, text_input};
use iced::{Center, Element, Fill, Task};

use crate::vault::Entry;

use super::super::widget::button;

pub mod rows;

mod shown;

const LIST_ID: &str = "list";
pub const SEARCH_ID: &str = "search";
/// Height of one account row in the list, its gap included.
const ROW_HEIGHT: f32 = 78.0;
const ROW_GAP: f32 = 6.0;
/// Height of an issuer heading above a group of rows.
const HEADING_HEIGHT: f32 = 22.0;
/// Below this width rows put the name above the code and their actions in
/// a menu.
const NARROW: f32 = 560.0;
/// The list's widest extent: on a full screen rows stay readable.
const MAX_WIDTH: f32 = 900.0;
/// Rows built beyond the visible part of the list, in pixels.
const MARGIN: f32 = 400.0;

/// Search, selection and scroll position (kept while other screens show).
#[derive(Debug)]
pub struct State {
    query: String,
    selected: usize,
    /// The account whose hidden code is shown, until when.
    revealed: Option<(String, u64)>,
    /// After a reorder, the account the selection follows.
    follow: Option<String>,
    /// Scroll position and height of the list's viewport.
    scroll_y: f32,
    view_height: f32,
    /// In a narrow window: the row whose actions menu is open.
    menu: Option<String>,
    /// The search's result, computed when the search or the entries
    /// change (not on every frame: 10,000 accounts must still scroll).
    shown: shown::Shown,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Opens (or with `None` closes) a narrow row's actions menu.
    Menu(Option<String>),
    Search(String),
    /// Enter: copies the selected code.
    Submit,
    Move(i32),
    Scrolled(f32, f32),
    /// A character typed while no field has focus: starts a search.
    TypeToSearch(String),
    /// Moves the selected account in the manual order.
    Reorder(i64),
    Copy(String),
    UseHotp(String),
    Open(Open),
    Lock,
}

/// Another screen the list opens.
#[derive(Debug, Clone)]
pub enum Open {
    Add,
    /// The add screen, reading a source at once (the screen, a file).
    AddFrom(super::add::Source),
    Settings,
    Bind(String),
    Qr(String),
    Rename(String),
    Delete(String),
}

/// What the parent must act on.
pub enum Event {
    Copy(String),
    UseHotp(String),
    Reorder(String, i64),
    Open(Open),
    Lock,
}

impl Default for State {
    fn default() -> Self {
        Self {
            query: String::new(),
            selected: 0,
            revealed: None,
            follow: None,
            scroll_y: 0.0,
            view_height: 1200.0,
            menu: None,
            shown: shown::Shown::default(),
        }
    }
}

impl State {
    /// The list of `entries`, nothing searched.
    pub fn of(entries: &[Entry]) -> Self {
        let mut state = Self::default();
        state.shown = shown::Shown::compute(entries, &state.query);
        state
    }

    /// Entries matching the search, the accounts of one issuer together
    /// where it first appears, otherwise in vault order (tests).
    #[cfg(test)]
    pub fn visible<'a>(&self, entries: &'a [Entry]) -> Vec<&'a Entry> {
        let shown = self.shown(entries);
        shown.order.iter().map(|&i| &entries[i]).collect()
    }

    pub fn selected_id(&self, entries: &[Entry]) -> Option<String> {
        let shown = self.shown(entries);
        let i = *shown.order.get(self.selected)?;
        Some(entries[i].id.clone())
    }

    /// The cached result, or (when the entries changed without
    /// [`State::refreshed`]) one computed now.
    fn shown(&self, entries: &[Entry]) -> Cow<'_, shown::Shown> {
        if self.shown.fits(entries, &self.query) {
            Cow::Borrowed(&self.shown)
        } else {
            Cow::Owned(shown::Shown::compute(entries, &self.query))
        }
    }

    /// Shows the hidden code of `id` until `until`.
    pub fn reveal(&mut self, id: &str, until: u64) {
        self.revealed = Some((id.to_string(), until));
    }

    /// Once a second: hides a revealed code again when its time is up.
    pub fn tick(&mut self, now: u64) {
        if self
            .revealed
            .as_ref()
            .is_some_and(|(_, until)| now >= *until)
        {
            self.revealed = None;
        }
    }

    /// After a vault change: the selection follows a moved account.
    pub fn refreshed(&mut self, entries: &[Entry]) {
        self.shown = shown::Shown::compute(entries, &self.query);
        if let Some(id) = self.follow.take()
            && let Some(i) = self.shown.order.iter().position(|&i| entries[i].id == id)
        {
            self.selected = i;
        }
    }

    /// The selection stays on the account selected now after the next
    /// change (another computer's accounts merged in).
    pub fn keep_selection(&mut self, entries: &[Entry]) {
        if self.follow.is_none() {
            self.follow = self.selected_id(entries);
        }
    }

    /// The selection will follow `id` after the next change.
    pub fn follow(&mut self, id: String) {
        self.follow = Some(id);
    }

    pub fn update(
        &mut self,
        message: Message,
        entries: &[Entry],
    ) -> (Task<Message>, Option<Event>) {
        // Any action closes an open row menu.
        if !matches!(message, Message::Menu(_) | Message::Scrolled(..)) {
            self.menu = None;
        }
        match message {
            Message::Menu(id) => self.menu = id,
            Message::Search(q) => {
                self.query = q;
                self.shown = shown::Shown::compute(entries, &self.query);
                return (self.select_first_match(), None);
            }
            Message::Submit => {
                if let Some(id) = self.selected_id(entries) {
                    return (Task::none(), Some(Event::Copy(id)));
                }
            }
            Message::Move(delta) => {
                let n = self.shown(entries).order.len();
                if n > 0 {
                    self.selected =
                        (self.selected as i64 + i64::from(delta)).rem_euclid(n as i64) as usize;
                    return (self.scroll_to_selected(entries), None);
                }
            }
            Message::TypeToSearch(typed) => {
                self.query.push_str(&typed);
                self.shown = shown::Shown::compute(entries, &self.query);
                return (
                    Task::batch([
                        iced::widget::operation::focus(SEARCH_ID),
                        iced::widget::operation::move_cursor_to_end(SEARCH_ID),
                        self.select_first_match(),
                    ]),
                    None,
                );
            }
            Message::Scrolled(y, height) => {
                self.scroll_y = y;
                self.view_height = height;
            }
            Message::Reorder(offset) => {
                if let Some(id) = self.selected_id(entries) {
                    return (Task::none(), Some(Event::Reorder(id, offset)));
                }
            }
            Message::Copy(id) => return (Task::none(), Some(Event::Copy(id))),
            Message::UseHotp(id) => return (Task::none(), Some(Event::UseHotp(id))),
            Message::Open(open) => return (Task::none(), Some(Event::Open(open))),
            Message::Lock => return (Task::none(), Some(Event::Lock)),
        }
        (Task::none(), None)
    }

    /// A new filter: the first match is selected and the list scrolls to
    /// the top, so Enter copies a row the person can see.
    fn select_first_match(&mut self) -> Task<Message> {
        self.selected = 0;
        // The rows near the top are built at once, before the scroll
        // event comes back.
        self.scroll_y = 0.0;
        iced::widget::operation::scroll_to(
            LIST_ID,
            iced::widget::scrollable::AbsoluteOffset {
                x: None,
                y: Some(0.0),
            },
        )
    }

    /// Scrolls the list so that the selected row is in view.
    fn scroll_to_selected(&self, entries: &[Entry]) -> Task<Message> {
        let shown = self.shown(entries);
        let Some(row) = shown
            .items
            .iter()
            .find(|it| matches!(it.kind, shown::ItemKind::Row { index } if index == self.selected))
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

    /// The list, laid out for the window's width: rows reflow below
    /// [`NARROW`] pixels, and the content keeps a readable [`MAX_WIDTH`].
    pub fn view<'a>(
        &'a self,
        entries: &'a [Entry],
        hide_codes: bool,
        now: u64,
    ) -> Element<'a, Message> {
        responsive(move |size| {
            container(self.view_at(entries, hide_codes, now, size.width < NARROW))
                .max_width(MAX_WIDTH)
                .center_x(Fill)
                .into()
        })
        .into()
    }

    fn view_at<'a>(
        &'a self,
        entries: &'a [Entry],
        hide_codes: bool,
        now: u64,
        narrow: bool,
    ) -> Element<'a, Message> {
        let search = text_input(&tr!("codes.search"), &self.query)
            .id(SEARCH_ID)
            .on_input(Message::Search)
            .on_submit(Message::Submit)
            .padding(8);
        // The header's buttons are reachable with Tab; the rows are not (the
        // arrows select a row, Enter copies its code).
        let buttons = row![
            button(text(tr!("codes.add")))
                .on_press(Message::Open(Open::Add))
                .padding([8, 14]),
            button(text(tr!("settings.title")))
                .on_press(Message::Open(Open::Settings))
                .style(button::secondary)
                .padding([8, 14]),
            button(text(tr!("codes.lock")))
                .on_press(Message::Lock)
                .style(button::secondary)
                .padding([8, 14]),
        ]
        .spacing(8);
        // Narrow: the search field gets a line of its own.
        let header: Element<'_, Message> = if narrow {
            column![search, buttons].spacing(8).into()
        } else {
            row![search, buttons].spacing(8).align_y(Center).into()
        };
        let shown = self.shown(entries);
        let list: Element<'_, Message> = if entries.is_empty() {
            rows::empty_state()
        } else if shown.order.is_empty() {
            container(text(tr!("codes.no_match")).style(text::secondary))
                .padding(24)
                .into()
        } else {
            // Only the rows in view (and a screen of margin) are built: a
            // tick then costs the same with 5 accounts or 10,000.
            let items = &shown.items;
            let total = items.last().map_or(0.0, |it| it.top + it.height);
            let from = self.scroll_y - MARGIN;
            let to = self.scroll_y + self.view_height + MARGIN;
            // The lines are in order of position: two binary searches.
            let first = items.partition_point(|it| it.top + it.height < from);
            let end = first + items[first..].partition_point(|it| it.top <= to);
            let in_view = &items[first..end];
            let above = in_view.first().map_or(0.0, |it| it.top);
            let below = in_view
                .last()
                .map_or(0.0, |it| total - (it.top + it.height));
            let mut col = column![space().height(above)];
            for item in in_view {
                let element: Element<'_, Message> = match item.kind {
                    shown::ItemKind::Heading(first) => {
                        let issuer = entries[first].account.issuer.clone().unwrap_or_default();
                        container(text(issuer).size(13).style(text::secondary))
                            .height(HEADING_HEIGHT)
                            .align_y(iced::alignment::Vertical::Bottom)
                            .into()
                    }
                    shown::ItemKind::Row { index } => {
                        let e = &entries[shown.order[index]];
                        let hidden =
                            hide_codes && self.revealed.as_ref().is_none_or(|(id, _)| *id != e.id);
                        let layout = if self.menu.as_deref() == Some(e.id.as_str()) {
                            rows::Layout::Menu { labels: !narrow }
                        } else if narrow {
                            rows::Layout::Narrow
                        } else {
                            rows::Layout::Wide
                        };
                        container(rows::view(e, now, index == self.selected, hidden, layout))
                            .height(ROW_HEIGHT - ROW_GAP)
                            .into()
                    }
                };
                col = col.push(element);
                // Rows are parted by a 1 px rule, not each drawn in a box:
                // a list of boxes costs twice the time to repaint.
                let gap = item.height - item.content_height();
                col = col.push(match item.kind {
                    shown::ItemKind::Row { .. } => Element::from(
                        container(iced::widget::rule::horizontal(1))
                            .height(gap)
                            .center_y(gap),
                    ),
                    shown::ItemKind::Heading(_) => space().height(gap).into(),
                });
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
