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

/// Settings → Security lists the backups with their dates; Restore… asks
/// for the credential of that backup, then the list shows its accounts
/// (the current file is kept as a backup). A wrong credential says so and
/// changes nothing.
#[test]
fn a_backup_is_restored_from_the_app() {
    let (session, dir) = testing::session();
    let key = |s: &str| crate::secret::Secret::from_base32(s).unwrap();
    let first = crate::account::Account::totp(Some("First".into()), "a", key("JBSWY3DPEHPK3PXP"));
    let second = crate::account::Account::totp(Some("Second".into()), "b", key("GEZDGNBVGY3TQOJQ"));
    session.lock().unwrap().import(vec![first], 1).unwrap();
    session.lock().unwrap().import(vec![second], 2).unwrap();
    let (mut codes, _) = Unlocked::new(session, 3, Settings::default());
    assert_eq!(codes.entries.len(), 2);
    settle(
        &mut codes,
        Message::Settings(settings::Message::OpenSecurity),
    );
    // The newest backup was made by the second save: it holds "First".
    let Screen::Security(state) = &codes.screen else {
        panic!("the security screen");
    };
    let newest = state.newest_backup_and_error().0.expect("a backup");
    assert!(newest.ends_with(" UTC"), "{newest}");
    let mut ui = iced_test::simulator(codes.view(100));
    assert!(ui.find(newest.as_str()).is_ok(), "the date is listed");
    drop(ui);
    security(&mut codes, security::Message::PickBackup(Some(0)));
    security(
        &mut codes,
        security::Message::RestoreWith("wrong password".into()),
    );
    security(&mut codes, security::Message::Restore);
    assert_eq!(codes.entries.len(), 2, "nothing changed");
    assert_eq!(testing::reopen(&dir).entries().len(), 2);
    let Screen::Security(state) = &codes.screen else {
        panic!("the security screen");
    };
    assert!(
        state.newest_backup_and_error().1.is_some(),
        "the wrong credential is said"
    );
    security(&mut codes, security::Message::PickBackup(Some(0)));
    security(
        &mut codes,
        security::Message::RestoreWith(testing::PASSWORD.into()),
    );
    security(&mut codes, security::Message::Restore);
    let names: Vec<_> = codes
        .entries
        .iter()
        .map(|e| e.account.issuer.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["First"], "the list shows the backup's accounts");
    assert_eq!(testing::reopen(&dir).entries().len(), 1, "on disk too");
    let mut ui = iced_test::simulator(codes.view(100));
    let note = tr_n!("security.restored", 1, made = newest);
    assert!(ui.find(note.as_str()).is_ok(), "{note}");
}
