//! Settings → Security: the session calls behind the screen, run as the
//! app runs them, and the new recovery key shown once.

use super::*;
use crate::gui::sim_tests::run;
use crate::gui::task::testing;

/// Feeds messages and the messages of their tasks until none are left.
fn settle(codes: &mut Unlocked, first: Message) {
    let mut queue = vec![first];
    while let Some(m) = queue.pop() {
        let (task, _) = codes.update(m, 100);
        queue.extend(run(task));
    }
}

fn security(codes: &mut Unlocked, m: security::Message) {
    settle(codes, Message::Security(m));
}

#[test]
fn the_password_changes_from_the_app_and_the_new_recovery_key_shows_once() {
    let (session, dir) = testing::session();
    let (mut codes, _) = Unlocked::new(session, 0, Settings::default());
    settle(
        &mut codes,
        Message::Settings(settings::Message::OpenSecurity),
    );
    assert!(matches!(codes.screen, Screen::Security(_)));
    // Two different new passwords: refused here, nothing written.
    security(
        &mut codes,
        security::Message::New("a longer password".into()),
    );
    security(
        &mut codes,
        security::Message::Confirm("another password".into()),
    );
    security(&mut codes, security::Message::ChangePassword);
    let mut ui = iced_test::simulator(codes.view(100));
    assert!(ui.find(tr!("security.mismatch").as_str()).is_ok());
    drop(ui);
    assert!(testing::reopen(&dir).entries().is_empty());
    // Too short: the core's rule, in its words.
    security(&mut codes, security::Message::New("short".into()));
    security(&mut codes, security::Message::Confirm("short".into()));
    security(&mut codes, security::Message::ChangePassword);
    assert!(!codes.busy);
    // A good one: the vault opens with it, and a new recovery key shows.
    security(
        &mut codes,
        security::Message::New("a longer password".into()),
    );
    security(
        &mut codes,
        security::Message::Confirm("a longer password".into()),
    );
    security(&mut codes, security::Message::ChangePassword);
    let opened = crate::session::Session::open(
        &dir.path().join("v.tessera"),
        Some("a longer password"),
        testing::keys(),
    );
    assert!(opened.is_ok(), "the new password does not open the vault");
    let mut ui = iced_test::simulator(codes.view(100));
    assert!(ui.find(tr!("unlock.recovery_title").as_str()).is_ok());
    ui.click(tr!("unlock.saved").as_str()).expect("continue");
    let messages: Vec<Message> = ui.into_messages().collect();
    for m in messages {
        settle(&mut codes, m);
    }
    let mut ui = iced_test::simulator(codes.view(100));
    assert!(ui.find(tr!("security.password_changed").as_str()).is_ok());
}
