//! Two computers, one vault (issue 16): copies A and B of one vault, each
//! in its own folder with its own open session; random interleavings of
//! add / rename / delete / HOTP use on both sides; "sync" by copying one
//! file over the other (the open session reloads and merges) or by
//! producing a sync tool's conflict-copy name next to the other's file
//! (`Session::sync` merges it). At the end both are synced both ways and:
//!
//! - both computers hold the same accounts;
//! - every account added on either side and not deleted is present exactly
//!   once (copies kept from a conflict aside);
//! - a deletion wins only over an untouched account: an account is gone
//!   exactly when the deletions of it (on either computer) were made
//!   knowing every change made to it; an edit no deletion saw keeps it;
//! - HOTP counters never go back: past every code used on either side.
//!
//! Cheap Argon2id parameters (1 MiB, t=1) and a folder in memory keep
//! 1,000 cases fast.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;

use tessera::account::{Account, OtpKind};
use tessera::secret::Secret;
use tessera::session::{Keys, NewSession, Session};
use tessera::vault::{KdfPolicy, MemoryKeyStore};

const PW: &str = "simulation password";
/// The conflict-copy names the sync tools give `vault.tessera`.
const COPY_NAMES: [&str; 6] = [
    "vault.sync-conflict-20261202-101010-ABCDEF1.tessera",
    "vault (conflicted copy 2026-12-02 101010).tessera",
    "vault (Anna's conflicted copy 2026-12-02).tessera",
    "vault (Case Conflict).tessera",
    "vault-LAPTOP.tessera",
    "vault (1).tessera",
];

#[derive(Debug, Clone, Copy)]
enum Op {
    Add {
        hotp: bool,
    },
    Rename(usize),
    Delete(usize),
    UseHotp(usize),
    /// The sync tool copies this computer's file over the other's.
    Overwrite,
    /// The sync tool leaves this computer's file next to the other's,
    /// under a conflict-copy name.
    ConflictCopy(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<bool>().prop_map(|hotp| Op::Add { hotp }),
        2 => any::<usize>().prop_map(Op::Rename),
        2 => any::<usize>().prop_map(Op::Delete),
        2 => any::<usize>().prop_map(Op::UseHotp),
        1 => Just(Op::Overwrite),
        1 => (0..COPY_NAMES.len()).prop_map(Op::ConflictCopy),
    ]
}

/// What the person did to one account, by its key.
#[derive(Default)]
struct Story {
    /// Change events (the add, each rename and HOTP use).
    events: Vec<u64>,
    /// Every name it was given.
    names: HashSet<String>,
    /// The highest HOTP counter used for a code.
    used: Option<u64>,
}

struct Sim {
    paths: [PathBuf; 2],
    sessions: [Session; 2],
    /// The change events each computer's vault holds.
    knows: [HashSet<u64>; 2],
    stories: HashMap<String, Story>,
    /// Each deletion: the key and what the deleting computer knew.
    deletions: Vec<(String, HashSet<u64>)>,
    next: u64,
    now: u64,
}

/// The cheap test parameters of Argon2id.
const CHEAP_KDF: KdfPolicy = KdfPolicy::Fixed {
    m_kib: 1024,
    t: 1,
    p: 1,
};

fn keys() -> Keys {
    let keyring = Arc::new(MemoryKeyStore::default());
    Keys {
        keyring,
        policy: CHEAP_KDF,
    }
}

fn key_of(a: &Account) -> String {
    a.secret.to_base32()
}

impl Sim {
    fn new(dir: &Path) -> Self {
        let paths = [dir.join("a/vault.tessera"), dir.join("b/vault.tessera")];
        fs::create_dir(dir.join("a")).unwrap();
        fs::create_dir(dir.join("b")).unwrap();
        let new = NewSession {
            keyring: false,
            password: Some(PW),
        };
        let (a, _) = Session::create(&paths[0], new, keys()).unwrap();
        fs::copy(&paths[0], &paths[1]).unwrap();
        let b = Session::open(&paths[1], Some(PW), keys()).unwrap();
        Self {
            paths,
            sessions: [a, b],
            knows: [HashSet::new(), HashSet::new()],
            stories: HashMap::new(),
            deletions: Vec::new(),
            next: 0,
            now: 1_800_000_000,
        }
    }

    fn event(&mut self, m: usize, key: &str) -> u64 {
        self.next += 1;
        self.knows[m].insert(self.next);
        self.stories
            .entry(key.to_string())
            .or_default()
            .events
            .push(self.next);
        self.next
    }

    /// The ids of computer `m`'s accounts (not conflict copies), HOTP only
    /// if asked.
    fn pick(&self, m: usize, n: usize, hotp_only: bool) -> Option<(String, String)> {
        let candidates: Vec<_> = self.sessions[m]
            .entries()
            .iter()
            .filter(|e| e.conflict.is_none())
            .filter(|e| !hotp_only || matches!(e.account.kind, OtpKind::Hotp { .. }))
            .collect();
        let e = candidates.get(n % candidates.len().max(1))?;
        Some((e.id.clone(), key_of(&e.account)))
    }

    fn learn(&mut self, to: usize, from: usize) {
        let known = self.knows[from].clone();
        self.knows[to].extend(known);
    }

    fn run(&mut self, m: usize, op: Op) {
        self.now += 7;
        let now = self.now;
        let other = 1 - m;
        match op {
            Op::Add { hotp } => {
                let seed = self.next + 1;
                let mut bytes = seed.to_le_bytes().to_vec();
                bytes.extend_from_slice(b"-sim-key-");
                let mut account = Account::totp(
                    Some("Sim".into()),
                    format!("user{seed}"),
                    Secret::from_bytes(bytes).unwrap(),
                );
                if hotp {
                    account.kind = OtpKind::Hotp { counter: 0 };
                }
                let key = key_of(&account);
                self.sessions[m].add_account(account, now).unwrap();
                self.event(m, &key);
                self.stories
                    .get_mut(&key)
                    .unwrap()
                    .names
                    .insert(format!("user{seed}"));
            }
            Op::Rename(n) => {
                let Some((id, key)) = self.pick(m, n, false) else {
                    return;
                };
                let e = self.event(m, &key);
                let name = format!("name{e}");
                self.sessions[m]
                    .rename(&id, None, Some(&name), now)
                    .unwrap();
                self.stories.get_mut(&key).unwrap().names.insert(name);
            }
            Op::Delete(n) => {
                let Some((id, key)) = self.pick(m, n, false) else {
                    return;
                };
                self.sessions[m].remove(&id, now).unwrap();
                self.deletions.push((key, self.knows[m].clone()));
            }
            Op::UseHotp(n) => {
                let Some((id, key)) = self.pick(m, n, true) else {
                    return;
                };
                let shown = self.sessions[m].use_hotp(&id, 0, now).unwrap();
                let OtpKind::Hotp { counter } = shown.kind else {
                    panic!("not HOTP");
                };
                self.event(m, &key);
                let story = self.stories.get_mut(&key).unwrap();
                story.used = story.used.max(Some(counter));
            }
            Op::Overwrite => {
                fs::copy(&self.paths[m], &self.paths[other]).unwrap();
                self.sessions[other].reload().unwrap();
                self.learn(other, m);
            }
            Op::ConflictCopy(tool) => {
                let copy = self.paths[other].with_file_name(COPY_NAMES[tool]);
                fs::copy(&self.paths[m], &copy).unwrap();
                let report = self.sessions[other].sync(None, now).unwrap();
                assert_eq!(report.merged.len(), 1, "{report:?}");
                assert!(report.failed.is_empty() && report.other_vaults.is_empty());
                assert!(!copy.exists());
                self.learn(other, m);
            }
        }
    }

    fn check(&mut self) -> Result<(), TestCaseError> {
        // The last sync, both ways.
        self.run(0, Op::ConflictCopy(0));
        self.run(1, Op::Overwrite);
        let a = self.sessions[0].entries().to_vec();
        let b = self.sessions[1].entries().to_vec();
        prop_assert_eq!(&a, &b);
        let reopened = Session::open(&self.paths[0], Some(PW), keys()).unwrap();
        prop_assert_eq!(reopened.entries(), &a[..]);
        for (key, story) in &self.stories {
            // Gone exactly when the deletions (on either side) were made
            // knowing every change to it: an edit none of them saw keeps it.
            let seen: HashSet<u64> = self
                .deletions
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, knew)| knew.iter().copied())
                .collect();
            let deleted = self.deletions.iter().any(|(k, _)| k == key)
                && story.events.iter().all(|e| seen.contains(e));
            let present: Vec<_> = a
                .iter()
                .filter(|e| e.conflict.is_none() && key_of(&e.account) == *key)
                .collect();
            prop_assert_eq!(present.len(), usize::from(!deleted), "account {}", key);
            if let Some(e) = present.first() {
                prop_assert!(story.names.contains(&e.account.name));
                if let (Some(used), OtpKind::Hotp { counter }) = (story.used, e.account.kind) {
                    prop_assert!(
                        counter > used,
                        "counter {} went back (used {})",
                        counter,
                        used
                    );
                }
            }
        }
        Ok(())
    }
}

/// A folder in memory where there is one (/dev/shm): every save syncs
/// its files to disk, and 1,000 cases of a few dozen saves each would
/// mostly wait for the disk.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::Builder::new()
            .prefix("tessera-sim")
            .tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]
    #[test]
    fn two_computers_never_lose_an_account(
        ops in proptest::collection::vec((0usize..2, op()), 1..30)
    ) {
        let dir = scratch();
        let mut sim = Sim::new(dir.path());
        for (m, op) in ops {
            sim.run(m, op);
        }
        sim.check()?;
    }
}
