//! Headless tests of the main flows with iced_test's simulator: the real
//! views are clicked and typed into, their messages fed back to `update`,
//! and the tasks they return are run to completion.

use iced::event::Status;
use iced::futures::StreamExt;
use iced::keyboard::key::{Named, NativeCode, Physical};
use iced::keyboard::{self, Key, Location, Modifiers};
use iced::{Element, Task};
use iced_test::{selector, simulator};

use super::task::testing;
use super::unlocked::{ListMessage, Message, Unlocked as Codes};
use crate::settings::Settings;

/// Runs a task to completion and returns the messages it produced (widget
/// operations and clipboard writes are dropped: there is no window).
pub(crate) fn run<M: Send + 'static>(task: Task<M>) -> Vec<M> {
    let Some(stream) = iced_runtime::task::into_stream(task) else {
        return Vec::new();
    };
    iced::futures::executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|action| match action {
            iced_runtime::Action::Output(message) => Some(message),
            _ => None,
        })
        .collect()
}

/// Feeds messages to the screen, and the messages of their tasks, until
/// nothing is left.
fn settle(codes: &mut Codes, messages: impl IntoIterator<Item = Message>) {
    let mut queue: Vec<Message> = messages.into_iter().collect();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for message in queue {
            let (task, _) = codes.update(message, 1_000_000);
            next.extend(run(task));
        }
        queue = next;
    }
}

fn view(codes: &Codes) -> Element<'_, Message> {
    codes.view(1_000_000)
}

fn unlocked() -> (Codes, tempfile::TempDir) {
    let (session, dir) = testing::session();
    let (codes, _) = Codes::new(session, 1_000_000, Settings::default());
    (codes, dir)
}

/// Clicks, types, and returns the messages the view produced.
fn interact(
    codes: &Codes,
    steps: impl FnOnce(&mut iced_test::Simulator<'_, Message>),
) -> Vec<Message> {
    let mut ui = simulator(view(codes));
    steps(&mut ui);
    ui.into_messages().collect()
}

/// Presses `key` with `modifiers` in the simulator of the real view. An
/// event no widget took goes through the app's key binding, as
/// `keyboard::listen` (which passes on ignored events only) does; the
/// messages are then fed back.
fn press(codes: &mut Codes, key: Named, modifiers: Modifiers) {
    let event = keyboard::Event::KeyPressed {
        key: Key::Named(key),
        modified_key: Key::Named(key),
        physical_key: Physical::Unidentified(NativeCode::Unidentified),
        location: Location::Standard,
        modifiers,
        repeat: false,
        text: None,
    };
    let mut ui = simulator(view(codes));
    let statuses = ui.simulate([iced::Event::Keyboard(event.clone())]);
    let mut messages: Vec<Message> = ui.into_messages().collect();
    if statuses == [Status::Ignored]
        && let Some(super::Message::Unlocked(m)) = super::input::navigation_key(event)
    {
        messages.push(m);
    }
    settle(codes, messages);
}

#[test]
fn add_manually_then_the_code_is_shown() {
    let (mut codes, _dir) = unlocked();
    let m = interact(&codes, |ui| {
        ui.click("Add").expect("Add button");
    });
    settle(&mut codes, m);
    let m = interact(&codes, |ui| {
        ui.click(selector::id("add-issuer")).expect("issuer field");
        let _ = ui.typewrite("JD Cloud");
        ui.click(selector::id("add-account"))
            .expect("account field");
        let _ = ui.typewrite("root");
        ui.click(selector::id("add-secret")).expect("key field");
        let _ = ui.typewrite("jbsw y3dp ehpk 3pxp");
    });
    settle(&mut codes, m);
    // The preview shows the code before saving, grouped: 346137 is
    // `oathtool --totp -b JBSWY3DPEHPK3PXP -N @1000000`.
    let code = "346 137";
    assert!(simulator(view(&codes)).find(code).is_ok(), "preview {code}");
    let m = interact(&codes, |ui| {
        ui.click("Save").expect("Save button");
    });
    settle(&mut codes, m);
    let mut ui = simulator(view(&codes));
    assert!(ui.find("JD Cloud · root").is_ok(), "the new row");
    assert!(ui.find(code).is_ok(), "its code in the list");
}

#[test]
fn search_filters_the_list() {
    let (mut codes, _dir) = unlocked();
    for (issuer, name, key) in [
        ("JD Cloud", "root", "JBSWY3DPEHPK3PXP"),
        ("GitHub", "octocat", "GEZDGNBVGY3TQOJQ"),
    ] {
        let link = format!("otpauth://totp/{issuer}:{name}?secret={key}").replace(' ', "%20");
        settle(
            &mut codes,
            [
                Message::List(ListMessage::Open(super::unlocked::Open::Add)),
                Message::Add(super::unlocked::AddMessage::Secret(link)),
                Message::Add(super::unlocked::AddMessage::Save),
            ],
        );
    }
    assert!(simulator(view(&codes)).find("GitHub · octocat").is_ok());
    let m = interact(&codes, |ui| {
        ui.click(selector::id("search")).expect("search field");
        let _ = ui.typewrite("jd");
    });
    settle(&mut codes, m);
    let mut ui = simulator(view(&codes));
    assert!(ui.find("JD Cloud · root").is_ok());
    assert!(ui.find("GitHub · octocat").is_err(), "filtered out");
}

#[test]
fn delete_asks_for_confirmation_naming_the_account() {
    let (mut codes, dir) = unlocked();
    let link = String::from("otpauth://totp/JD%20Cloud:root?secret=JBSWY3DPEHPK3PXP");
    settle(
        &mut codes,
        [
            Message::List(ListMessage::Open(super::unlocked::Open::Add)),
            Message::Add(super::unlocked::AddMessage::Secret(link)),
            Message::Add(super::unlocked::AddMessage::Save),
        ],
    );
    // The row's menu (its ⋯ icon), then Delete.
    let id = codes.entries_and_recent().0[0].id.clone();
    settle(&mut codes, [Message::List(ListMessage::Menu(Some(id)))]);
    let m = interact(&codes, |ui| {
        ui.click("Delete").expect("Delete button");
    });
    settle(&mut codes, m);
    assert!(
        simulator(view(&codes))
            .find("Delete JD Cloud (root)?")
            .is_ok(),
        "the confirmation names the account"
    );
    // Cancel keeps it; confirming removes it.
    let m = interact(&codes, |ui| {
        ui.click("Cancel").expect("Cancel");
    });
    settle(&mut codes, m);
    assert!(simulator(view(&codes)).find("JD Cloud · root").is_ok());
    let id = codes.entries_and_recent().0[0].id.clone();
    settle(&mut codes, [Message::List(ListMessage::Menu(Some(id)))]);
    let m = interact(&codes, |ui| {
        ui.click("Delete").expect("Delete button");
    });
    settle(&mut codes, m);
    let m = interact(&codes, |ui| {
        ui.click("Delete JD Cloud (root)").expect("confirm button");
    });
    settle(&mut codes, m);
    assert!(
        simulator(view(&codes)).find("JD Cloud · root").is_err(),
        "removed"
    );
    let vault = testing::reopen(&dir);
    assert!(vault.entries().is_empty(), "removed from the file too");
}

#[test]
fn manual_order_is_kept_in_the_vault() {
    let (mut codes, dir) = unlocked();
    for link in [
        "otpauth://totp/Alpha:a?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/Beta:b?secret=GEZDGNBVGY3TQOJQ",
    ] {
        settle(
            &mut codes,
            [
                Message::List(ListMessage::Open(super::unlocked::Open::Add)),
                Message::Add(super::unlocked::AddMessage::Secret(link.to_string())),
                Message::Add(super::unlocked::AddMessage::Save),
            ],
        );
    }
    // Select Beta (second row) with ↓ and move it up with Alt+↑, as key
    // events through the real view and the app's key binding.
    press(&mut codes, Named::ArrowDown, Modifiers::empty());
    press(&mut codes, Named::ArrowUp, Modifiers::ALT);
    let vault = testing::reopen(&dir);
    let order: Vec<String> = vault
        .entries()
        .iter()
        .map(|e| e.account.name.clone())
        .collect();
    assert_eq!(order, ["b", "a"]);
}

/// The checklist of a scan imports its ticked accounts on Enter.
#[test]
fn the_checklist_imports_on_enter() {
    let (mut codes, _dir) = unlocked();
    let options = crate::import::Options::links_only(None);
    let link = b"otpauth://totp/JD%20Cloud:root?secret=JBSWY3DPEHPK3PXP&issuer=JD%20Cloud";
    let report = crate::import::read(link, &options).expect("a link");
    settle(
        &mut codes,
        [Message::Scanned(String::from("the clipboard"), report)],
    );
    assert!(
        simulator(view(&codes))
            .find(tr_n!("checklist.import", 1).as_str())
            .is_ok()
    );
    press(&mut codes, Named::Enter, Modifiers::empty());
    let mut ui = simulator(view(&codes));
    assert!(
        ui.find("JD Cloud · root").is_ok(),
        "imported, back on the list"
    );
}
