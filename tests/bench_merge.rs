//! The merge benchmark behind `scripts/bench-merge` (ignored in the normal
//! test run: a figure comes from an optimised build, never a timed test).
//! Two copies of a vault with 10,000 accounts, each changed on its own
//! (renames, HOTP uses, deletions, additions; some accounts changed on
//! both): the merge of the payloads alone, and the whole `merge_copy` of a
//! conflict copy (read, decrypt both, merge, encrypt, write, set aside).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use tessera::account::{Account, OtpKind};
use tessera::secret::Secret;
use tessera::vault::merge::merge;
use tessera::vault::{Entry, KdfPolicy, NewVault, Opener, Payload, Unlock, Vault};

const ACCOUNTS: usize = 10_000;
const RUNS: usize = 11;
const PW: &str = "benchmark password";

fn account(n: usize) -> Account {
    let mut bytes = (n as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(b"-bench-key-x");
    let mut a = Account::totp(
        Some(format!("Issuer {}", n % 97)),
        format!("user{n}@example.com"),
        Secret::from_bytes(bytes).unwrap(),
    );
    if n.is_multiple_of(5) {
        a.kind = OtpKind::Hotp { counter: n as u64 };
    }
    a
}

/// One computer's changes: `salt` picks which accounts (the first 20 are
/// changed by both computers).
fn change(base: &Payload, salt: usize, now: u64) -> Payload {
    let mut p = base.clone();
    for k in 0..220 {
        let at = if k < 20 {
            k * 53 + 3
        } else {
            (k * 37 + salt) % p.entries.len()
        };
        let e = &mut p.entries[at];
        e.new_version(now).unwrap();
        match e.account.kind {
            OtpKind::Hotp { counter } => {
                e.account.kind = OtpKind::Hotp {
                    counter: counter + 1,
                }
            }
            _ => e.account.name = format!("renamed {salt} {k}"),
        }
    }
    for k in 0..50 {
        let at = (k * 101 + salt * 7) % p.entries.len();
        let gone = p.entries.remove(at);
        p.tombstones.push(gone.tombstone(now));
    }
    for k in 0..100 {
        p.entries.push(Entry::new(
            format!("{:08x}{:08x}", salt, k),
            account(ACCOUNTS + salt * 1000 + k),
            now,
        ));
    }
    p
}

fn median(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

fn show(what: &str, times: Vec<Duration>) {
    let (med, min, max) = median(times);
    println!(
        "{what}: median {:.1} ms (min {:.1}, max {:.1}, {RUNS} runs)",
        med.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

#[test]
#[ignore]
fn merge_10000_accounts() {
    let base = Payload {
        entries: (0..ACCOUNTS)
            .map(|n| Entry::new(format!("{n:016x}"), account(n), 1_800_000_000))
            .collect(),
        tombstones: Vec::new(),
        recent: Vec::new(),
    };
    let a = change(&base, 1, 1_800_000_100);
    let b = change(&base, 2, 1_800_000_200);
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let (merged, r) = merge(&a, &b);
        times.push(t.elapsed());
        assert!(merged.entries.len() > ACCOUNTS);
        report = Some(r);
    }
    println!("accounts: {ACCOUNTS}; merge report: {:?}", report.unwrap());
    show("merge (payloads in memory)", times);

    // The same through the files: the vault and a Syncthing conflict copy.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let policy = KdfPolicy::Fixed {
        m_kib: 1024,
        t: 1,
        p: 1,
    };
    let new = NewVault {
        keyring: None,
        password: Some(PW),
        recovery: false,
        policy,
    };
    let (mut vault, _) = Vault::create(&path, new).unwrap();
    vault
        .add((0..ACCOUNTS).map(account).collect(), 1_800_000_000)
        .unwrap();
    let copy = dir
        .path()
        .join("vault.sync-conflict-20261202-101010-ABCDEF1.tessera");
    std::fs::copy(&path, &copy).unwrap();
    let mut other = Vault::open(&copy, Unlock::Password(PW)).unwrap();
    let edit = |v: &mut Vault, salt: usize| {
        for k in 0..100 {
            let id = v.entries()[(k * 37 + salt) % ACCOUNTS].id.clone();
            v.rename(
                &id,
                None,
                Some(format!("renamed {salt} {k}")),
                1_800_000_100,
            )
            .unwrap();
        }
        v.add(
            (0..100)
                .map(|k| account(ACCOUNTS + salt * 1000 + k))
                .collect(),
            1_800_000_100,
        )
        .unwrap();
    };
    edit(&mut vault, 1);
    edit(&mut other, 2);
    drop(other);
    let (ours, theirs) = (std::fs::read(&path).unwrap(), std::fs::read(&copy).unwrap());
    let mut times = Vec::new();
    for _ in 0..RUNS {
        std::fs::write(&path, &ours).unwrap();
        std::fs::write(&copy, &theirs).unwrap();
        let mut vault = Vault::open(&path, Unlock::Password(PW)).unwrap();
        let t = Instant::now();
        let merged = vault
            .merge_copy(&copy, Opener::default(), 1_800_000_300)
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(merged.report.added, 100);
        std::fs::rename(&merged.moved_to, &copy).unwrap();
    }
    show("merge_copy (read, decrypt, merge, encrypt, write)", times);
}
