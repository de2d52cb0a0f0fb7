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
