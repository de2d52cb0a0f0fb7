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

/// The first-run screen of `path`, after `password` and `confirm` were
/// typed and submitted.
fn create_typing(path: &std::path::Path, password: &str, confirm: &str) -> (Locked, Vec<Event>) {
    let (mut screen, task) = Locked::with_keys(path.to_path_buf(), testing::keys());
    let events = settle(
        &mut screen,
        task,
        vec![
            Message::PasswordChanged(password.into()),
            Message::ConfirmChanged(confirm.into()),
            Message::Submit,
        ],
    );
    (screen, events)
}

#[test]
fn first_run_refuses_a_one_character_password_with_the_core_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (mut screen, events) = create_typing(&path, "x", "x");
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

/// A keyring that answers nothing (locked, or no Secret Service).
struct BrokenKeyring;

impl crate::vault::KeyStore for BrokenKeyring {
    fn get(&self, _: &str) -> Result<crate::vault::crypto::Key, crate::vault::VaultError> {
        Err(crate::vault::VaultError::Keyring(String::from(
            "the keyring is locked",
        )))
    }
    fn set(
        &self,
        _: &str,
        _: &crate::vault::crypto::Key,
        _: &str,
    ) -> Result<(), crate::vault::VaultError> {
        Err(crate::vault::VaultError::Keyring(String::from(
            "the keyring is locked",
        )))
    }
    fn delete(&self, _: &str) -> Result<(), crate::vault::VaultError> {
        Ok(())
    }
}

/// Whether the screen's view shows `text`.
fn shows(screen: &Locked, text: &str) -> bool {
    iced_test::simulator(screen.view()).find(text).is_ok()
}

#[test]
fn first_run_asks_for_the_same_password_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let (mut screen, events) = create_typing(&path, "a long password", "a long passwort");
    assert!(events.is_empty());
    assert_eq!(screen.error.as_deref(), Some("The two passwords differ."));
    assert!(shows(&screen, "The two passwords differ."));
    assert!(!path.exists(), "no vault created");
    // Typing again clears the message; the same password twice creates it
    // and shows the recovery key once.
    let events = settle(
        &mut screen,
        Task::none(),
        vec![
            Message::ConfirmChanged("a long password".into()),
            Message::Submit,
        ],
    );
    assert!(events.is_empty(), "the recovery key is shown first");
    assert!(path.exists());
    assert!(matches!(screen.stage, Stage::Recovery(_)));
    assert!(shows(&screen, "Your recovery key"));
}

#[test]
fn a_wrong_password_says_so_and_keeps_the_screen() {
    let (session, dir) = testing::session();
    drop(session);
    let path = dir.path().join("v.tessera");
    let before = std::fs::read(&path).unwrap();
    let (screen, events) = open_typing(&path, testing::keys(), "not the password");
    assert!(events.is_empty());
    assert!(matches!(screen.stage, Stage::Unlock { .. }));
    assert_eq!(
        screen.error.as_deref(),
        Some("Wrong password. Nothing was changed; try again.")
    );
    assert!(shows(
        &screen,
        "Wrong password. Nothing was changed; try again."
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing written");
    // Nothing typed: asked to type, nothing tried.
    let (screen, events) = open_typing(&path, testing::keys(), "   ");
    assert!(events.is_empty());
    assert_eq!(
        screen.error.as_deref(),
        Some("Type the vault password or the recovery key.")
    );
}

#[test]
fn the_recovery_key_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let new = crate::session::NewSession {
        keyring: false,
        password: Some(testing::PASSWORD),
    };
    let (session, key) = crate::session::Session::create(&path, new, testing::keys()).unwrap();
    drop(session);
    let key = key.expect("a recovery key").expose().to_string();
    let (screen, events) = open_typing(&path, testing::keys(), &key);
    assert!(
        matches!(events.as_slice(), [Event::Unlocked(_, None)]),
        "{:?}",
        screen.error
    );
    // Typed in lower case with spaces, as read aloud from paper.
    let (screen, events) = open_typing(
        &path,
        testing::keys(),
        &key.to_lowercase().replace('-', " "),
    );
    assert!(
        matches!(events.as_slice(), [Event::Unlocked(_, None)]),
        "{:?}",
        screen.error
    );
}

/// A vault with a keyring slot and a password, on a machine whose keyring
/// does not answer: the screen says why and the password opens it.
#[test]
fn a_failing_keyring_falls_back_to_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let new = crate::session::NewSession {
        keyring: true,
        password: Some(testing::PASSWORD),
    };
    drop(crate::session::Session::create(&path, new, testing::keys()).unwrap());
    let broken = Keys {
        keyring: Arc::new(BrokenKeyring),
        ..testing::keys()
    };
    let (mut screen, task) = Locked::with_keys(path.clone(), broken);
    let events = settle(&mut screen, task, Vec::new());
    assert!(events.is_empty(), "not opened without the keyring");
    let Stage::Unlock { slots } = &screen.stage else {
        panic!("no unlock screen");
    };
    assert!(slots.contains(&SlotKind::Keyring));
    let note = screen.error.clone().unwrap_or_default();
    assert!(
        note.starts_with("The keyring did not open the vault: ") && note.contains("locked"),
        "{note}"
    );
    let events = settle(
        &mut screen,
        Task::none(),
        vec![
            Message::PasswordChanged(testing::PASSWORD.into()),
            Message::Submit,
        ],
    );
    assert!(
        matches!(events.as_slice(), [Event::Unlocked(_, None)]),
        "{:?}",
        screen.error
    );
}

/// A keyring vault locked by the idle timer waits on a locked screen that
/// says why (the keyring would open it again at once, so Lock looked
/// broken); Unlock asks the keyring and opens it.
#[test]
fn a_locked_keyring_vault_waits_for_unlock_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.tessera");
    let new = crate::session::NewSession {
        keyring: true,
        password: None,
    };
    let keys = testing::keys();
    drop(crate::session::Session::create(&path, new, keys.clone()).unwrap());
    let (mut screen, task) = Locked::start(path, keys, Some(LockReason::Idle(1)));
    let events = settle(&mut screen, task, Vec::new());
    assert!(events.is_empty(), "not reopened at once");
    assert!(matches!(screen.stage, Stage::Waiting));
    assert!(shows(&screen, "Locked after 1 minute without use."));
    assert!(shows(&screen, "Unlock"));
    let events = settle(&mut screen, Task::none(), vec![Message::AskKeyring]);
    assert!(
        matches!(events.as_slice(), [Event::Unlocked(_, None)]),
        "{:?}",
        screen.error
    );
}

/// No file dialog on this desktop: "Save to a file…" says so and offers a
/// path field (suggesting the home folder); the key is saved where typed,
/// readable by its owner only.
#[test]
fn without_a_file_dialog_the_recovery_key_is_saved_to_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let (mut screen, _) = create_typing(
        &dir.path().join("v.tessera"),
        "a long pass phrase",
        "a long pass phrase",
    );
    let into = |m: recovery::Message| Message::Recovery(m);
    let target = dir.path().join("key.txt");
    let _ = settle(
        &mut screen,
        Task::none(),
        vec![into(recovery::Message::Done(recovery::Outcome::NoChooser))],
    );
    assert!(shows(&screen, &tr!("dialog.none_save")));
    assert!(!target.exists());
    let _ = settle(
        &mut screen,
        Task::none(),
        vec![
            into(recovery::Message::TypedPath(target.display().to_string())),
            into(recovery::Message::SaveTypedPath),
        ],
    );
    let Stage::Recovery(state) = &screen.stage else {
        panic!("still the recovery key");
    };
    let saved = std::fs::read_to_string(&target).expect("saved");
    assert!(saved.contains(state.key()), "the key is in the file");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "readable by its owner only");
    assert!(shows(
        &screen,
        &tr!("unlock.recovery_saved", path = target.display())
    ));
    assert!(!shows(&screen, &tr!("dialog.none_save")), "the field goes");
}
