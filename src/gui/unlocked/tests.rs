//! The unlocked parent's routing: the list order, search and the delete
//! confirmation reached through the list's events.

use super::*;
use crate::account::Account;

#[test]
fn accounts_of_one_issuer_stay_together() {
    let (session, _dir) = crate::gui::task::testing::session();
    let key = |s: &str| crate::secret::Secret::from_base32(s).unwrap();
    let accounts = vec![
        Account::totp(Some("A".into()), "1", key("JBSWY3DPEHPK3PXP")),
        Account::totp(Some("B".into()), "1", key("GEZDGNBVGY3TQOJQ")),
        Account::totp(Some("A".into()), "2", key("KRSXG5CTMVRXEZLU")),
        Account::totp(None, "solo", key("MFRGGZDFMZTWQ2LK")),
    ];
    session.lock().unwrap().import(accounts, 0).unwrap();
    let (mut codes, _) = Unlocked::new(session, 0, Settings::default());
    let labels = |codes: &Unlocked| -> Vec<String> {
        codes
            .list
            .visible(&codes.entries)
            .iter()
            .map(|e| e.account.display_label())
            .collect()
    };
    assert_eq!(labels(&codes), ["A (1)", "A (2)", "B (1)", "solo"]);
    let _ = codes.update(Message::List(list::Message::Search("b".into())), 1);
    assert_eq!(labels(&codes), ["B (1)"]);
    // Delete asks first and names the account; confirming removes it.
    let id = codes.list.visible(&codes.entries)[0].id.clone();
    let _ = codes.update(
        Message::List(list::Message::Open(list::Open::Delete(id))),
        2,
    );
    assert!(matches!(
        codes.screen,
        Screen::Account(account::State::Delete(_))
    ));
}

#[test]
fn a_scan_in_progress_can_be_cancelled() {
    let (session, _dir) = crate::gui::task::testing::session();
    let (mut codes, _) = Unlocked::new(session, 0, Settings::default());
    // A read that would never end (a hostile image, a slow key derivation).
    let task = codes.start_scan(Task::future(std::future::pending::<Message>()));
    assert!(codes.scanning.is_some());
    let _ = codes.update(Message::CancelScan, 5);
    assert!(codes.scanning.is_none());
    assert_eq!(
        codes.toast.as_ref().map(|(t, _)| t.clone()),
        Some(tr!("scan.cancelled"))
    );
    // The aborted task ends at once, with nothing to deliver.
    assert!(crate::gui::sim_tests::run(task).is_empty());
}

/// Issue 16: the sync tool puts another computer's version in place of
/// the vault file (an account added there, moved to the top); the watch
/// merges it and the list keeps the open screen, the search and the
/// selected account (and auto-lock does not count it as activity).
#[test]
fn another_computers_version_is_merged_keeping_screen_search_and_selection() {
    let (session, dir) = crate::gui::task::testing::session();
    let key = |s: &str| crate::secret::Secret::from_base32(s).unwrap();
    session
        .lock()
        .unwrap()
        .import(
            vec![
                Account::totp(Some("Bank".into()), "one", key("JBSWY3DPEHPK3PXP")),
                Account::totp(Some("Bank".into()), "two", key("GEZDGNBVGY3TQOJQ")),
            ],
            0,
        )
        .unwrap();
    let (mut codes, first) = Unlocked::new(session, 0, Settings::default());
    for message in crate::gui::sim_tests::run(first) {
        let (task, _) = codes.update(message, 1);
        for m in crate::gui::sim_tests::run(task) {
            let _ = codes.update(m, 1);
        }
    }
    let _ = codes.update(Message::List(list::Message::Search("bank".into())), 2);
    let _ = codes.update(Message::List(list::Message::Move(1)), 3);
    let selected = codes.list.selected_id(&codes.entries).unwrap();
    assert_eq!(selected, codes.entries[1].id);
    codes.screen = Screen::Settings;
    // The laptop added an account and moved it to the top.
    let laptop_dir = tempfile::tempdir().unwrap();
    let copy = laptop_dir.path().join("v.tessera");
    std::fs::copy(dir.path().join("v.tessera"), &copy).unwrap();
    let mut laptop = crate::session::Session::open(
        &copy,
        Some(crate::gui::task::testing::PASSWORD),
        crate::gui::task::testing::keys(),
    )
    .unwrap();
    let added = laptop
        .add_account(
            Account::totp(Some("Bank".into()), "new", key("KRSXG5CTMVRXEZLU")),
            5,
        )
        .unwrap();
    let crate::vault::Added::New(id) = added else {
        panic!("{added:?}")
    };
    laptop.move_entry(&id, -5).unwrap();
    drop(laptop);
    std::fs::copy(&copy, dir.path().join("v.tessera")).unwrap();
    let (task, _) = codes.update(Message::FolderChanged, 100);
    let results = crate::gui::sim_tests::run(task);
    assert_eq!(results.len(), 1);
    for m in results {
        let _ = codes.update(m, 101);
    }
    assert_eq!(codes.entries.len(), 3);
    assert_eq!(codes.entries[0].id, id);
    assert_eq!(codes.list.visible(&codes.entries).len(), 3);
    assert_eq!(codes.list.selected_id(&codes.entries), Some(selected));
    assert!(matches!(codes.screen, Screen::Settings));
    assert_eq!(codes.last_activity, 3);
    // Nothing changed since: no merge runs.
    let (task, _) = codes.update(Message::FolderChanged, 102);
    assert!(crate::gui::sim_tests::run(task).is_empty());
}

/// No file dialog on this desktop: Add's "Open file…" shows a path field
/// (with the caret) instead of nothing, and the typed file is read.
#[test]
fn without_a_file_dialog_add_reads_a_typed_path() {
    let (session, dir) = crate::gui::task::testing::session();
    let (mut codes, _) = Unlocked::new(session, 0, Settings::default());
    let _ = codes.update(Message::List(list::Message::Open(list::Open::Add)), 1);
    let _ = codes.update(
        Message::FileChosen(super::super::dialogs::Picked::NoChooser),
        2,
    );
    let shows =
        |codes: &Unlocked, text: &str| iced_test::simulator(codes.view(3)).find(text).is_ok();
    assert!(shows(&codes, &tr!("dialog.none_open")));
    let links = dir.path().join("links.txt");
    std::fs::write(
        &links,
        "otpauth://totp/JD%20Cloud:root?secret=JBSWY3DPEHPK3PXP\n",
    )
    .unwrap();
    let _ = codes.update(
        Message::Add(add::Message::TypedPath(links.display().to_string())),
        3,
    );
    let (task, _) = codes.update(Message::Add(add::Message::OpenTypedPath), 4);
    for m in crate::gui::sim_tests::run(task) {
        let _ = codes.update(m, 5);
    }
    assert!(matches!(codes.screen, Screen::Import(_)), "the checklist");
    assert!(
        shows(&codes, &tr_n!("checklist.import", 1)),
        "one account found"
    );
}
