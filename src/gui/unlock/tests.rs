//! The locked screen reaches the core's rules: the new-password rule on
//! first run, and the raising of weak key-derivation parameters after a
//! password unlock (both live in `session`, tested there; these check
//! that the app calls them).

use std::sync::Arc;

use crate::gui::sim_tests::run;
use crate::gui::task::testing;
use crate::session::Keys;
use crate::vault::{KdfPolicy, MemoryKeyStore, NewVault, Vault, kdf};

use super::*;

/// Feeds messages to the screen and the messages of their tasks; returns
/// the events it raised.
fn settle(screen: &mut Locked, first: Task<Message>, messages: Vec<Message>) -> Vec<Event> {
    let mut queue = run(first);
    queue.extend(messages);
    let mut events = Vec::new();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for message in queue {
            let (task, event) = screen.update(message);
            events.extend(event);
            next.extend(run(task));
        }
        queue = next;
    }
    events
}

/// The locked screen of `path`, after `typed` was entered and submitted.
fn open_typing(path: &std::path::Path, keys: Keys, typed: &str) -> (Locked, Vec<Event>) {
    let (mut screen, task) = Locked::with_keys(path.to_path_buf(), keys);
    let events = settle(
        &mut screen,
        task,
        vec![Message::PasswordChanged(typed.into()), Message::Submit],
    );
    (screen, events)
}

#[test]
fn first_run_refuses_a_one_character_password_with_the_core_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (mut screen, task) = Locked::with_keys(path.clone(), testing::keys());
    let events = settle(
        &mut screen,
        task,
        vec![
            Message::PasswordChanged("x".into()),
            Message::ConfirmChanged("x".into()),
            Message::Submit,
        ],
    );
    assert!(events.is_empty());
    assert!(matches!(screen.stage, Stage::Create { .. }));
    let expected = crate::gui::task::password_words(&crate::session::SessionError::ShortPassword {
        min: crate::session::MIN_PASSWORD_CHARS,
    });
    assert_eq!(screen.error.as_deref(), Some(expected.as_str()));
    assert!(expected.contains('8'), "{expected}");
    assert!(!path.exists(), "no vault created");
    // Eight characters pass the rule and create the vault.
    let events = settle(
        &mut screen,
        Task::none(),
        vec![
            Message::PasswordChanged("eight ch".into()),
            Message::ConfirmChanged("eight ch".into()),
            Message::Submit,
        ],
    );
    assert!(path.exists(), "{:?} {events:?}", screen.error);
}

#[test]
fn an_app_unlock_raises_weak_key_derivation_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    // A vault made with parameters below today's floor (as an old version
    // or a weak machine would have).
    let weak = KdfPolicy::Fixed {
        m_kib: 1024,
        t: 1,
        p: 1,
    };
    Vault::create(
        &path,
        NewVault {
            keyring: None,
            password: Some(testing::PASSWORD),
            recovery: false,
            policy: weak,
        },
    )
    .unwrap();
    let keys = Keys {
        keyring: Arc::new(MemoryKeyStore::default()),
        policy: KdfPolicy::Fixed {
            m_kib: kdf::FLOOR_M_KIB,
            t: kdf::FLOOR_T,
            p: kdf::FLOOR_P,
        },
    };
    let (screen, events) = open_typing(&path, keys, testing::PASSWORD);
    let [Event::Unlocked(session, None)] = events.as_slice() else {
        panic!("not unlocked: {:?}", screen.error);
    };
    assert!(!session.lock().unwrap().vault().password_slot_below_floor());
    let again = Vault::open(&path, crate::vault::Unlock::Password(testing::PASSWORD)).unwrap();
    assert!(!again.password_slot_below_floor(), "saved to the file");
}

#[test]
fn a_damaged_vault_offers_its_backups_and_restores_one() {
    let (session, dir) = testing::session();
    let path = dir.path().join("v.tessera");
    let key = |s: &str| crate::secret::Secret::from_base32(s).unwrap();
    for (name, secret) in [("one", "JBSWY3DPEHPK3PXP"), ("two", "GEZDGNBVGY3TQOJQ")] {
        let account = crate::account::Account::totp(Some("ACME".into()), name, key(secret));
        session.lock().unwrap().import(vec![account], 0).unwrap();
    }
    drop(session);
    // The payload's last byte flipped: the file opens no more.
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();

    let (mut screen, events) = open_typing(&path, testing::keys(), testing::PASSWORD);
    assert!(events.is_empty());
    {
        let Stage::Restore(restore) = &screen.stage else {
            panic!("no restore screen: {:?}", screen.error);
        };
        // The newest backup (the file before the second save) opens with
        // the password and holds one account: it can be restored.
        let mut ui = iced_test::simulator(restore.view().map(Message::Restore));
        assert!(ui.find("Restore").is_ok(), "a Restore button");
    }
    let events = settle(
        &mut screen,
        Task::none(),
        vec![Message::Restore(restore::Message::Restore(0))],
    );
    let [Event::Unlocked(session, None)] = events.as_slice() else {
        panic!("not restored: {:?}", screen.error);
    };
    assert_eq!(session.lock().unwrap().entries().len(), 1);
    // The damaged file was kept as a backup, not lost.
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| std::fs::read(e.path()).is_ok_and(|b| b == bytes));
    assert!(kept, "the damaged file is kept");
}
