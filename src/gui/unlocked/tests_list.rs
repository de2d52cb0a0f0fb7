//! The list as a person uses it: a filter after scrolling, Enter, the note
//! naming what was copied, and what counts as activity for the auto-lock.

use super::keys::{Shortcut, from_key as keys_shortcut};
use super::*;
use crate::account::Account;
use crate::secret::Secret;

/// An unlocked screen over `n` accounts: `Vendor k · user k`, and one
/// "JD Cloud · root" near the end.
fn with_accounts(n: usize) -> (Unlocked, tempfile::TempDir) {
    let (session, dir) = crate::gui::task::testing::session();
    let mut accounts: Vec<Account> = (0..n)
        .map(|k| {
            let secret = Secret::from_bytes((k as u32 + 1).to_be_bytes().repeat(5)).unwrap();
            Account::totp(Some(format!("Vendor {k}")), format!("user {k}"), secret)
        })
        .collect();
    accounts.push(Account::totp(
        Some("JD Cloud".into()),
        "root",
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
    ));
    session.lock().unwrap().import(accounts, 0).unwrap();
    let (codes, _) = Unlocked::new(session, 0, Settings::default());
    (codes, dir)
}

#[test]
fn a_new_filter_selects_the_first_match_at_the_top_and_enter_names_it() {
    let (mut codes, _dir) = with_accounts(200);
    // Scrolled far down, with a row there selected.
    let _ = codes.update(Message::List(list::Message::Scrolled(9_000.0, 600.0)), 1);
    for _ in 0..120 {
        let _ = codes.update(Message::List(list::Message::Move(1)), 1);
    }
    let _ = codes.update(Message::List(list::Message::Search("cloud".into())), 2);
    let visible = codes.list.visible(&codes.entries);
    assert_eq!(visible.len(), 1);
    assert_eq!(visible[0].account.name, "root");
    let _ = codes.update(Message::List(list::Message::Submit), 3);
    let (note, _) = codes.toast.clone().expect("a note after the copy");
    assert_eq!(
        note,
        tr!(
            "codes.copied_account_cleared",
            name = "JD Cloud · root",
            secs = 30
        )
    );
    assert!(note.contains("JD Cloud · root"), "{note}");
    // What was copied is that account's code at t=3, step 0: as
    // `oathtool -b --hotp JBSWY3DPEHPK3PXP -c 0` prints it.
    assert_eq!(
        codes.copied.as_ref().map(|(c, _)| c.as_str()),
        Some("282760")
    );
}

#[test]
fn typing_to_search_also_starts_at_the_top() {
    let (mut codes, _dir) = with_accounts(50);
    let _ = codes.update(Message::List(list::Message::Scrolled(2_000.0, 600.0)), 1);
    let _ = codes.update(Message::List(list::Message::Move(30)), 1);
    let _ = codes.update(Message::List(list::Message::TypeToSearch("4".into())), 2);
    let first = codes.list.visible(&codes.entries)[0].account.name.clone();
    let _ = codes.update(Message::List(list::Message::Submit), 3);
    let (note, _) = codes.toast.clone().unwrap();
    assert!(note.contains(&format!("Vendor 4 · {first}")), "{note}");
}

#[test]
fn only_the_persons_input_delays_the_auto_lock() {
    let (mut codes, _dir) = with_accounts(1);
    codes.settings.auto_lock_mins = 1;
    // A copy at t=10 (input), its clipboard write and clearing later
    // (finished work, not input).
    let _ = codes.update(Message::List(list::Message::Submit), 10);
    let _ = codes.update(Message::ClipboardWritten(Ok(())), 11);
    let _ = codes.update(Message::ClipboardCleared, 40);
    assert!(codes.tick(69).1.is_none());
    assert!(matches!(codes.tick(70).1, Some(Event::Lock)));
    // A key press does delay it.
    let (mut codes, _dir) = with_accounts(1);
    codes.settings.auto_lock_mins = 1;
    let _ = codes.update(Message::List(list::Message::Move(1)), 40);
    assert!(codes.tick(99).1.is_none());
    assert!(matches!(codes.tick(100).1, Some(Event::Lock)));
}

#[test]
fn shortcuts_map_from_keys() {
    use iced::keyboard::{Key, Modifiers, key::Named};
    let ch = |c: &str| Key::Character(c.into());
    let ctrl = Modifiers::CTRL;
    assert_eq!(keys_shortcut(&ch("f"), ctrl), Some(Shortcut::Search));
    assert_eq!(keys_shortcut(&ch("n"), ctrl), Some(Shortcut::Add));
    assert_eq!(keys_shortcut(&ch("l"), ctrl), Some(Shortcut::Lock));
    assert_eq!(keys_shortcut(&ch(","), ctrl), Some(Shortcut::Settings));
    assert_eq!(keys_shortcut(&ch("c"), ctrl), Some(Shortcut::CopySelected));
    // Plain letters are type-to-search, not shortcuts.
    assert_eq!(keys_shortcut(&ch("f"), Modifiers::empty()), None);
    let named = |n| Key::Named(n);
    assert_eq!(
        keys_shortcut(&named(Named::Delete), Modifiers::empty()),
        Some(Shortcut::DeleteSelected)
    );
    assert_eq!(keys_shortcut(&named(Named::Delete), ctrl), None);
    assert_eq!(
        keys_shortcut(&named(Named::F1), Modifiers::empty()),
        Some(Shortcut::Help)
    );
    assert_eq!(
        keys_shortcut(&named(Named::Tab), Modifiers::empty()),
        Some(Shortcut::FocusNext)
    );
    assert_eq!(
        keys_shortcut(&named(Named::Tab), Modifiers::SHIFT),
        Some(Shortcut::FocusPrevious)
    );
}

#[test]
fn shortcuts_act_on_the_selected_account() {
    let (mut codes, _dir) = with_accounts(3);
    let _ = codes.update(Message::List(list::Message::Search("cloud".into())), 1);
    // Ctrl+C copies the selected row and names it.
    let _ = codes.update(Message::Shortcut(Shortcut::CopySelected), 2);
    assert!(codes.toast.as_ref().unwrap().0.contains("JD Cloud · root"));
    // Delete asks about that same account.
    let id = codes.list.visible(&codes.entries)[0].id.clone();
    let _ = codes.update(Message::Shortcut(Shortcut::DeleteSelected), 3);
    assert!(matches!(&codes.screen, Screen::Account(account::State::Delete(d)) if *d == id));
    // Esc, then F1 opens the list of shortcuts and F1 closes it.
    let _ = codes.update(Message::Back, 4);
    let _ = codes.update(Message::Shortcut(Shortcut::Help), 4);
    assert!(matches!(codes.screen, Screen::Help));
    let _ = codes.update(Message::Shortcut(Shortcut::Help), 5);
    assert!(matches!(codes.screen, Screen::List));
    // Ctrl+N opens Add; Delete there does nothing to the accounts.
    let _ = codes.update(Message::Shortcut(Shortcut::Add), 6);
    assert!(matches!(codes.screen, Screen::Add(_)));
    let _ = codes.update(Message::Shortcut(Shortcut::DeleteSelected), 7);
    assert!(matches!(codes.screen, Screen::Add(_)));
    // Ctrl+L locks.
    assert!(matches!(
        codes.update(Message::Shortcut(Shortcut::Lock), 8).1,
        Some(Event::Lock)
    ));
}

#[test]
fn the_help_overlay_lists_every_shortcut() {
    let (codes, _dir) = with_accounts(0);
    let mut codes = codes;
    let _ = codes.update(Message::Shortcut(Shortcut::Help), 1);
    let mut ui = iced_test::simulator(codes.view(1));
    for keys in [
        "Ctrl+F", "Ctrl+N", "Ctrl+L", "Ctrl+,", "Ctrl+C", "Delete", "F1", "Esc",
    ] {
        assert!(ui.find(keys).is_ok(), "{keys} missing from the overlay");
    }
}

/// The codes of JBSWY3DPEHPK3PXP at the time steps used below, printed by
/// `oathtool -b --hotp JBSWY3DPEHPK3PXP -c STEP` (a TOTP code is the HOTP
/// code of the step).
fn rfc_code(step: u64) -> &'static str {
    match step {
        33_333_333 => OATH_33333333,
        33_333_334 => OATH_33333334,
        33_333_335 => OATH_33333335,
        _ => unreachable!(),
    }
}

#[test]
fn the_binding_helper_copies_code_1_then_code_2_and_waits_at_the_end() {
    let (mut codes, _dir) = with_accounts(0);
    let id = codes.entries[0].id.clone();
    let _ = codes.update(Message::List(list::Message::Open(list::Open::Bind(id))), 1);
    let step = 33_333_333u64;
    let t = step * 30; // the start of a period: 30 s left
    let copy = |codes: &mut Unlocked, m: account::Message, now: u64| {
        let _ = codes.update(Message::Account(m), now);
        codes.copied.as_ref().map(|(c, _)| c.clone())
    };
    assert_eq!(
        copy(&mut codes, account::Message::CopyFirst, t + 3).as_deref(),
        Some(rfc_code(step))
    );
    // Still in the same period: code 2 is the next step's code.
    assert_eq!(
        copy(&mut codes, account::Message::CopySecond, t + 10).as_deref(),
        Some(rfc_code(step + 1))
    );
    // In the next period code 2 is unchanged (the pair stays the pair of
    // what was copied as code 1), and it is the primary action now.
    assert_eq!(
        copy(&mut codes, account::Message::CopySecond, t + 31).as_deref(),
        Some(rfc_code(step + 1))
    );
    let mut ui = iced_test::simulator(codes.view(t + 31));
    assert!(ui.find(tr!("bind.now_second").as_str()).is_ok());
    drop(ui);
    // The last five seconds: copying is refused, the screen says to wait.
    codes.copied = None;
    assert_eq!(
        copy(&mut codes, account::Message::CopyFirst, t + 30 + 26),
        None
    );
    let mut ui = iced_test::simulator(codes.view(t + 30 + 26));
    assert!(ui.find(tr!("bind.wait").as_str()).is_ok());
    drop(ui);
    // Two periods on, the old pair is stale: code 1 is the current code.
    assert_eq!(
        copy(&mut codes, account::Message::CopyFirst, t + 60 + 1).as_deref(),
        Some(rfc_code(step + 2))
    );
}
const OATH_33333333: &str = "949556";
const OATH_33333334: &str = "310976";
const OATH_33333335: &str = "913835";

/// The list's messages when `steps` run on the view at `width` pixels.
fn at_width(
    codes: &Unlocked,
    width: f32,
    steps: impl FnOnce(&mut iced_test::Simulator<'_, Message>),
) -> Vec<Message> {
    let mut ui = iced_test::Simulator::with_size(
        iced::Settings::default(),
        iced::Size::new(width, 700.0),
        codes.view(1),
    );
    steps(&mut ui);
    ui.into_messages().collect()
}

#[test]
fn rows_keep_their_actions_in_a_menu_named_when_wide() {
    let (mut codes, _dir) = with_accounts(1);
    // Wide or narrow, a row shows its name and code; the actions are icons
    // (Bind, the menu) with tooltips, not words that get cut.
    for width in [1280.0, 420.0] {
        let _ = at_width(&codes, width, |ui| {
            assert!(ui.find("JD Cloud · root").is_ok(), "{width} px");
            assert!(ui.find("Delete").is_err(), "{width} px");
        });
    }
    let id = codes.entries[0].id.clone();
    let _ = codes.update(Message::List(list::Message::Menu(Some(id))), 1);
    // The menu open at 420 px: icons only (their names as tooltips).
    let _ = at_width(&codes, 420.0, |ui| {
        assert!(ui.find("Delete").is_err());
    });
    // Wide: the menu names its actions.
    let messages = at_width(&codes, 1280.0, |ui| {
        assert!(ui.find("Rename").is_ok());
        ui.click("Delete").expect("Delete in the open menu");
    });
    for m in messages {
        let _ = codes.update(m, 2);
    }
    assert!(matches!(
        codes.screen,
        Screen::Account(account::State::Delete(_))
    ));
}

#[test]
fn a_pasted_picture_without_a_code_is_said_and_notes_stay_with_their_screen() {
    use crate::error::ImportError;
    use crate::import::Report;
    let (mut codes, _dir) = with_accounts(1);
    let clipboard = tr!("source.clipboard");
    // Text pasted on the list went into the search field: no note.
    let text = Report::failed(ImportError::NotOtpauth(String::from("text")));
    let _ = codes.update(Message::Scanned(clipboard.clone(), text), 1);
    assert!(codes.toast.is_none());
    // A picture without a QR code: the note says so.
    let _ = codes.update(
        Message::Scanned(clipboard, Report::failed(ImportError::NoQr)),
        2,
    );
    let (note, _) = codes.toast.clone().expect("a note for the picture");
    assert!(note.contains(&tr!("source.clipboard")), "{note}");
    // It does not follow to the next screen.
    let _ = codes.update(Message::Shortcut(Shortcut::Add), 3);
    assert!(codes.toast.is_none());
    // A note made by a change of screen stays (Esc back to the list keeps
    // nothing old, a copy note made on the list stays on the list).
    let _ = codes.update(Message::Back, 4);
    let _ = codes.update(Message::List(list::Message::Submit), 5);
    assert!(codes.toast.is_some());
}

/// Ctrl+B opens the binding helper of the selected account.
#[test]
fn ctrl_b_binds_and_f2_renames_the_selected_account() {
    let (mut codes, _dir) = with_accounts(1);
    assert_eq!(
        keys::from_key(
            &iced::keyboard::Key::Character("b".into()),
            iced::keyboard::Modifiers::CTRL
        ),
        Some(keys::Shortcut::BindSelected)
    );
    let _ = codes.update(Message::Shortcut(keys::Shortcut::BindSelected), 1);
    assert!(matches!(codes.screen, Screen::Account(_)));
    let mut ui = iced_test::simulator(codes.view(1));
    assert!(ui.find(tr!("bind.code1").as_str()).is_ok());
    drop(ui);
    // F2 renames it (its first field has the caret).
    let _ = codes.update(Message::Back, 2);
    assert_eq!(
        keys::from_key(
            &iced::keyboard::Key::Named(iced::keyboard::key::Named::F2),
            iced::keyboard::Modifiers::empty()
        ),
        Some(keys::Shortcut::RenameSelected)
    );
    let _ = codes.update(Message::Shortcut(keys::Shortcut::RenameSelected), 3);
    assert!(matches!(
        codes.screen,
        Screen::Account(account::State::Rename { .. })
    ));
}

/// 10,000 accounts over 500 issuers (every 13th without one), in an order
/// that scatters each issuer's accounts through the vault.
fn scattered(n: usize) -> Vec<crate::vault::Entry> {
    (0..n)
        .map(|k| {
            let issuer = (k % 13 != 0).then(|| format!("Issuer {}", (k * 7919) % 500));
            let secret = Secret::from_bytes(vec![7; 20]).unwrap();
            let account = Account::totp(issuer, format!("user {k}"), secret);
            crate::vault::Entry::new(format!("{k:016x}"), account, 0)
        })
        .collect()
}

/// The list order by its definition: each issuer's accounts together, in
/// vault order, where the issuer first appears; accounts without one
/// where they are.
fn grouped_ids(entries: &[&crate::vault::Entry]) -> Vec<String> {
    let mut by_issuer: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for e in entries {
        if let Some(i) = e.account.issuer.as_deref() {
            by_issuer.entry(i).or_default().push(&e.id);
        }
    }
    let mut ids = Vec::new();
    for e in entries {
        match e.account.issuer.as_deref() {
            None => ids.push(e.id.clone()),
            Some(i) => {
                if let Some(group) = by_issuer.remove(i) {
                    ids.extend(group.into_iter().map(str::to_string));
                }
            }
        }
    }
    ids
}

#[test]
fn ten_thousand_accounts_are_grouped_by_issuer_in_vault_order() {
    let mut entries = scattered(10_000);
    let mut list = list::State::of(&entries);
    let ids = |list: &list::State, entries: &[crate::vault::Entry]| -> Vec<String> {
        list.visible(entries).iter().map(|e| e.id.clone()).collect()
    };
    let all: Vec<&crate::vault::Entry> = entries.iter().collect();
    let expected = grouped_ids(&all);
    assert_eq!(expected.len(), 10_000);
    assert_eq!(ids(&list, &entries), expected);
    // Account 1's issuer (18 accounts) follows, then account 2's.
    let shown = list.visible(&entries);
    assert_eq!(shown[0].id, entries[0].id, "account 0 has no issuer");
    assert_eq!(shown[1].account.issuer.as_deref(), Some("Issuer 419"));
    assert_eq!(shown[18].account.issuer.as_deref(), Some("Issuer 419"));
    assert_eq!(shown[19].account.issuer.as_deref(), Some("Issuer 338"));

    // A search: the matches, grouped the same way.
    let _ = list.update(list::Message::Search("USER 12".into()), &entries);
    let matching: Vec<&crate::vault::Entry> = entries
        .iter()
        .filter(|e| e.account.name.contains("user 12"))
        .collect();
    assert_eq!(matching.len(), 111, "12, 120-129, 1200-1299");
    assert_eq!(ids(&list, &entries), grouped_ids(&matching));
    // Down by one: the second match is selected.
    let _ = list.update(list::Message::Move(1), &entries);
    assert_eq!(
        list.selected_id(&entries),
        Some(grouped_ids(&matching)[1].clone())
    );

    // The entries change (the first 5,000 deleted, one renamed into
    // another issuer): the list follows.
    entries.drain(..5_000);
    entries[0].account.issuer = Some("Issuer 338".into());
    entries[0].account.name = "user 12 moved".into();
    list.refreshed(&entries);
    let matching: Vec<&crate::vault::Entry> = entries
        .iter()
        .filter(|e| e.account.name.contains("user 12"))
        .collect();
    assert_eq!(ids(&list, &entries), grouped_ids(&matching));
    let _ = list.update(list::Message::Search(String::new()), &entries);
    let all: Vec<&crate::vault::Entry> = entries.iter().collect();
    assert_eq!(ids(&list, &entries), grouped_ids(&all));
}
