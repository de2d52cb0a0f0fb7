//! The keyboard path: Tab and Shift+Tab move through text fields and the
//! other controls ([`super::widget::focusable`]) in screen order, the
//! focused control answers Enter, Space or the arrows, and a first run is
//! done with the keyboard alone.
//!
//! iced_test's simulator cannot run widget operations (the focus moves
//! through one), so these tests hold the real views in a `UserInterface`
//! of their own and run iced's own `focus_next` / `focus_previous` on it,
//! as the app's Tab shortcut does.

use iced::advanced::renderer::Headless;
use iced::advanced::widget::Id;
use iced::advanced::widget::operation::{Focusable, Operation, Outcome, TextInput, focusable};
use iced::keyboard::{Key, key::Named};
use iced::widget::{column, pick_list, text_input, toggler};
use iced::{Element, Event, Font, Pixels, Rectangle, Size, mouse};
use iced_runtime::user_interface::{self, UserInterface};

use super::widget::{button, focusable, focusable_choice};

/// A view held across events and operations (focus lives in its tree).
struct Ui<'a, M> {
    raw: UserInterface<'a, M, iced::Theme, iced::Renderer>,
    renderer: iced::Renderer,
}

/// What a focusable control is called: its id (text fields) or the text
/// drawn inside it.
#[derive(Default)]
struct Scan {
    focusables: Vec<(Option<Id>, Rectangle, bool)>,
    texts: Vec<(Rectangle, String)>,
}

impl Operation for Scan {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        operate(self);
    }

    fn focusable(&mut self, id: Option<&Id>, bounds: Rectangle, state: &mut dyn Focusable) {
        self.focusables
            .push((id.cloned(), bounds, state.is_focused()));
    }

    fn text_input(&mut self, _: Option<&Id>, _: Rectangle, _: &mut dyn TextInput) {}

    fn text(&mut self, _: Option<&Id>, bounds: Rectangle, text: &str) {
        self.texts.push((bounds, text.to_string()));
    }
}

impl<'a, M> Ui<'a, M> {
    fn new(element: impl Into<Element<'a, M>>) -> Self {
        let backend = std::env::var("ICED_TEST_BACKEND").ok();
        let mut renderer = iced::futures::executor::block_on(<iced::Renderer as Headless>::new(
            Font::with_name("Fira Sans"),
            Pixels(16.0),
            backend.as_deref(),
        ))
        .expect("a headless renderer");
        let raw = UserInterface::build(
            element,
            Size::new(640.0, 1000.0),
            user_interface::Cache::default(),
            &mut renderer,
        );
        Self { raw, renderer }
    }

    /// Runs an operation and the operations it chains to.
    fn operate(&mut self, operation: impl Operation + 'static) {
        let mut operation: Box<dyn Operation> = Box::new(operation);
        loop {
            self.raw.operate(&self.renderer, operation.as_mut());
            match operation.finish() {
                Outcome::Chain(next) => operation = next,
                _ => break,
            }
        }
    }

    fn tab(&mut self) {
        self.operate(focusable::focus_next::<()>());
    }

    fn shift_tab(&mut self) {
        self.operate(focusable::focus_previous::<()>());
    }

    fn focus(&mut self, id: &'static str) {
        self.operate(focusable::focus::<()>(Id::new(id)));
    }

    /// The focused control's name: `#id` for a field, else its text.
    fn focused(&mut self) -> Option<String> {
        let mut scan = Scan::default();
        self.raw.operate(&self.renderer, &mut scan);
        let (id, bounds, _) = scan.focusables.into_iter().find(|f| f.2)?;
        if let Some(id) = id {
            return Some(format!("{id:?}"));
        }
        let inside: Vec<String> = scan
            .texts
            .into_iter()
            .filter(|(b, _)| bounds.contains(b.center()))
            .map(|(_, t)| t)
            .collect();
        Some(inside.join(" "))
    }

    /// Key presses (and typed text) with the pointer away from the view;
    /// returns the messages they produced.
    fn events(&mut self, events: impl IntoIterator<Item = Event>) -> Vec<M> {
        let events: Vec<Event> = events.into_iter().collect();
        let mut messages = Vec::new();
        let _ = self.raw.update(
            &events,
            mouse::Cursor::Unavailable,
            &mut self.renderer,
            &mut iced::advanced::clipboard::Null,
            &mut messages,
        );
        messages
    }

    fn press(&mut self, key: Named) -> Vec<M> {
        self.events(iced_test::simulator::tap_key(Key::Named(key), None))
    }

    fn type_text(&mut self, text: &str) -> Vec<M> {
        self.events(iced_test::simulator::typewrite(text))
    }
}

fn name_of(id: &'static str) -> String {
    format!("{:?}", Id::new(id))
}

#[derive(Debug, Clone, PartialEq)]
enum Probe {
    Typed(String),
    One,
    Two,
    Toggled(bool),
    Picked(u32),
}

fn probe_view<'a>() -> Element<'a, Probe> {
    column![
        text_input("field", "").id("field").on_input(Probe::Typed),
        button(iced::widget::text("One")).on_press(Probe::One),
        button(iced::widget::text("Two")).on_press(Probe::Two),
        focusable(toggler(false).label("Switch").on_toggle(Probe::Toggled)),
        focusable_choice(pick_list([6u32, 7, 8], Some(7), Probe::Picked)),
    ]
    .spacing(10)
    .padding(10)
    .into()
}

#[test]
fn tab_moves_through_fields_and_buttons_and_keys_act_on_the_focused_one() {
    let mut ui = Ui::new(probe_view());
    assert_eq!(ui.focused(), None);
    ui.tab();
    assert_eq!(ui.focused(), Some(name_of("field")));
    ui.tab();
    assert_eq!(ui.focused().as_deref(), Some("One"));
    assert_eq!(ui.press(Named::Enter), [Probe::One], "Enter clicks");
    ui.tab();
    assert_eq!(ui.focused().as_deref(), Some("Two"));
    assert_eq!(ui.press(Named::Space), [Probe::Two], "Space clicks");
    ui.shift_tab();
    assert_eq!(ui.focused().as_deref(), Some("One"), "Shift+Tab goes back");
    ui.tab();
    ui.tab();
    // (A toggler draws its label itself: it has no text to name it by.)
    assert_eq!(
        ui.press(Named::Enter),
        [Probe::Toggled(true)],
        "the toggler"
    );
    ui.tab();
    // The pick list (it draws its value itself too).
    assert_eq!(ui.press(Named::ArrowDown), [Probe::Picked(8)], "↓ the next");
    assert_eq!(
        ui.press(Named::ArrowUp),
        [Probe::Picked(6)],
        "↑ the previous"
    );
    assert!(
        ui.press(Named::Enter).is_empty(),
        "Enter does not open its menu"
    );
    // Keys reach only the focused control.
    ui.shift_tab();
    ui.shift_tab();
    ui.shift_tab();
    ui.shift_tab();
    assert_eq!(ui.focused(), Some(name_of("field")));
    assert_eq!(ui.type_text("a"), [Probe::Typed(String::from("a"))]);
    assert!(ui.press(Named::Enter).is_empty());
}

/// The add form: from its first field, Tab reaches the other fields, the
/// advanced options' disclosure, Save and Cancel, in that order; Enter on
/// the disclosure opens the options.
#[test]
fn the_add_form_is_walked_with_tab() {
    use super::unlocked::{AddMessage, Message as Codes, Unlocked};
    let (session, _dir) = super::task::testing::session();
    let (mut codes, _) = Unlocked::new(session, 1_000_000, crate::settings::Settings::default());
    let _ = codes.update(
        Codes::List(super::unlocked::ListMessage::Open(
            super::unlocked::Open::Add,
        )),
        1_000_000,
    );
    let mut ui = Ui::new(codes.view(1_000_000));
    ui.focus("add-issuer");
    let mut order = vec![ui.focused().unwrap_or_default()];
    for _ in 0..5 {
        ui.tab();
        order.push(ui.focused().unwrap_or_default());
    }
    assert_eq!(
        order,
        [
            name_of("add-issuer"),
            name_of("add-account"),
            name_of("add-secret"),
            String::from("▶ Advanced options"),
            String::from("Save"),
            String::from("Cancel"),
        ]
    );
    ui.shift_tab();
    ui.shift_tab();
    let opened = ui.press(Named::Enter);
    assert!(
        matches!(opened.as_slice(), [Codes::Add(AddMessage::ToggleAdvanced)]),
        "{opened:?}"
    );
}

/// The first run with the keyboard only: the password field has the
/// focus, Tab goes to the confirmation, Enter creates the vault.
#[test]
fn a_first_run_is_done_with_the_keyboard_alone() {
    use super::unlock::{Event, Locked, Message};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (mut screen, task) =
        Locked::with_keys(dir.path().join("v.tessera"), super::task::testing::keys());
    let mut queue = super::sim_tests::run(task);
    let mut events: Vec<Event> = Vec::new();
    // What the keys produce, fed back in order.
    let mut keys: Vec<Vec<Message>> = Vec::new();
    // The screen as it appears: the vault is missing, the password field
    // has the focus (the inspection's task focuses it).
    while let Some(m) = queue.pop() {
        let (task, event) = screen.update(m);
        events.extend(event);
        queue.extend(super::sim_tests::run(task));
    }
    {
        let mut ui = Ui::new(screen.view());
        ui.focus("password");
        keys.push(ui.type_text("a long pass phrase"));
        ui.tab();
        assert_eq!(ui.focused().as_deref(), Some(&*name_of("confirm")));
        keys.push(ui.type_text("a long pass phrase"));
        keys.push(ui.press(Named::Enter));
    }
    let mut queue: Vec<Message> = keys.into_iter().flatten().collect();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for m in queue {
            let (task, event) = screen.update(m);
            events.extend(event);
            next.extend(super::sim_tests::run(task));
        }
        queue = next;
    }
    // Created: the recovery key is shown once, with its buttons reachable.
    assert!(events.is_empty(), "the recovery key comes first");
    let mut ui = Ui::new(screen.view());
    let mut names = Vec::new();
    for _ in 0..4 {
        ui.tab();
        names.push(ui.focused().unwrap_or_default());
    }
    assert_eq!(names, ["Copy", "Save to a file…", "I have saved it", ""]);
}
