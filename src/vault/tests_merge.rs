//! One test per merge rule (see the module documentation of `merge`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::account::Account;
use crate::secret::Secret;

fn totp(id: &str, name: &str, seed: u8) -> Entry {
    let account = Account::totp(
        Some("Issuer".into()),
        name,
        Secret::from_bytes(vec![seed; 20]).unwrap(),
    );
    Entry::new(id.into(), account, 100)
}

fn hotp(id: &str, counter: u64) -> Entry {
    let mut e = totp(id, "hotp", 7);
    e.account.kind = OtpKind::Hotp { counter };
    e
}

fn side(entries: Vec<Entry>) -> Payload {
    Payload {
        entries,
        tombstones: Vec::new(),
        recent: Vec::new(),
    }
}

fn rename(e: &Entry, name: &str, now: u64) -> Entry {
    let mut e = e.clone();
    e.new_version(now).unwrap();
    e.account.name = name.into();
    e
}

fn use_hotp(e: &Entry, times: u64) -> Entry {
    let mut e = e.clone();
    for _ in 0..times {
        let OtpKind::Hotp { counter } = e.account.kind else {
            panic!("not HOTP")
        };
        e.new_version(200).unwrap();
        e.account.kind = OtpKind::Hotp {
            counter: counter + 1,
        };
    }
    e
}

fn names(p: &Payload) -> Vec<(&str, &str, bool)> {
    p.entries
        .iter()
        .map(|e| (e.id.as_str(), e.account.name.as_str(), e.conflict.is_some()))
        .collect()
}

/// Merging both ways gives the same accounts (order aside).
fn both_ways(a: &Payload, b: &Payload) -> Payload {
    let (ab, _) = merge(a, b);
    let (ba, _) = merge(b, a);
    let mut x = ab.entries.clone();
    let mut y = ba.entries.clone();
    x.sort_by(|p, q| p.id.cmp(&q.id));
    y.sort_by(|p, q| p.id.cmp(&q.id));
    assert_eq!(x, y, "the merge depends on which side is ours");
    assert_eq!(ab.tombstones, ba.tombstones);
    ab
}

#[test]
fn adds_from_both_sides_are_kept() {
    let base = totp("000000000000000a", "a", 1);
    let ours = side(vec![base.clone(), totp("000000000000000b", "b", 2)]);
    let theirs = side(vec![base, totp("000000000000000c", "c", 3)]);
    let (merged, report) = merge(&ours, &theirs);
    assert_eq!(
        names(&merged),
        vec![
            ("000000000000000a", "a", false),
            ("000000000000000b", "b", false),
            ("000000000000000c", "c", false)
        ]
    );
    assert_eq!(
        report,
        MergeReport {
            added: 1,
            ..MergeReport::default()
        }
    );
    both_ways(&ours, &theirs);
}

#[test]
fn a_change_on_one_side_is_kept() {
    let base = totp("000000000000000a", "a", 1);
    let renamed = rename(&base, "renamed", 150);
    let h = hotp("000000000000000h", 3);
    let used = use_hotp(&h, 4);
    let ours = side(vec![base.clone(), used.clone()]);
    let theirs = side(vec![renamed.clone(), h.clone()]);
    let merged = both_ways(&ours, &theirs);
    assert_eq!(merged.entries, vec![renamed.clone(), used.clone()]);
    let (_, report) = merge(&ours, &theirs);
    assert_eq!(report.changed, 1);
    assert_eq!(report.conflicts, 0);
    // Merging again changes nothing.
    assert_eq!(merge(&merged, &theirs).0, merged);
    assert_eq!(merge(&merged, &ours).0, merged);
}

#[test]
fn both_changed_the_higher_version_wins_and_the_loser_is_kept_as_a_conflict() {
    let base = totp("000000000000000a", "a", 1);
    let ours = side(vec![rename(&rename(&base, "x", 1), "ours", 2)]);
    // A clock far ahead does not win: the version counter does.
    let theirs = side(vec![rename(&base, "theirs", u64::MAX / 2)]);
    let merged = both_ways(&ours, &theirs);
    assert_eq!(merged.entries.len(), 2);
    let (winner, copy) = (&merged.entries[0], &merged.entries[1]);
    assert_eq!(
        (winner.id.as_str(), winner.account.name.as_str()),
        ("000000000000000a", "ours")
    );
    assert_eq!(winner.rev, 4);
    assert_eq!(copy.account.name, "theirs");
    assert_eq!(copy.conflict.as_deref(), Some("000000000000000a"));
    assert_ne!(copy.id, winner.id);
    assert_eq!(copy.account.secret, winner.account.secret);
    // The merged version descends from both: merging either side again,
    // or the result of the other computer's merge, adds nothing.
    assert_eq!(merge(&merged, &ours).0, merged);
    assert_eq!(merge(&merged, &theirs).0, merged);
    let (other_computer, _) = merge(&theirs, &ours);
    let (again, report) = merge(&merged, &other_computer);
    assert_eq!(again, merged);
    assert!(report.is_empty());
}

#[test]
fn equal_versions_are_broken_by_tag_the_same_way_on_both_sides() {
    let base = totp("000000000000000a", "a", 1);
    let ours = side(vec![rename(&base, "left", 5)]);
    let theirs = side(vec![rename(&base, "right", 5)]);
    let merged = both_ways(&ours, &theirs);
    assert_eq!(merged.entries.len(), 2);
    let winner = &merged.entries[0];
    let expect = if ours.entries[0].tag > theirs.entries[0].tag {
        "left"
    } else {
        "right"
    };
    assert_eq!(winner.account.name, expect);
    assert!(merged.entries[1].conflict.is_some());
}

#[test]
fn hotp_the_higher_counter_always_wins() {
    let base = hotp("000000000000000h", 10);
    // Ours: renamed twice (higher version), one code used.
    let ours = side(vec![use_hotp(&rename(&rename(&base, "x", 1), "y", 2), 1)]);
    // Theirs: two codes used (lower version, higher counter).
    let theirs = side(vec![use_hotp(&base, 2)]);
    assert!(ours.entries[0].rev > theirs.entries[0].rev);
    let merged = both_ways(&ours, &theirs);
    let winner = &merged.entries[0];
    assert_eq!(winner.account.name, "y");
    assert_eq!(winner.account.kind, OtpKind::Hotp { counter: 12 });
    // The loser's labels differ: its copy never goes back either.
    assert_eq!(
        merged.entries[1].account.kind,
        OtpKind::Hotp { counter: 12 }
    );
    // Only counters moved on both sides: no conflict copy.
    let merged = both_ways(
        &side(vec![use_hotp(&base, 2)]),
        &side(vec![use_hotp(&base, 5)]),
    );
    assert_eq!(merged.entries.len(), 1);
    assert_eq!(
        merged.entries[0].account.kind,
        OtpKind::Hotp { counter: 15 }
    );
}

#[test]
fn delete_against_edit_keeps_the_edit() {
    let base = totp("000000000000000a", "a", 1);
    let h = hotp("000000000000000h", 4);
    let one_code = use_hotp(&h, 1);
    let ours = Payload {
        entries: Vec::new(),
        tombstones: vec![base.tombstone(300), use_hotp(&one_code, 1).tombstone(300)],
        recent: Vec::new(),
    };
    // Theirs renamed both meanwhile (the HOTP one after one code, which the
    // deleting side had seen: a version the deletion covers).
    let theirs = side(vec![
        rename(&base, "edited", 200),
        rename(&one_code, "h edited", 200),
    ]);
    let merged = both_ways(&ours, &theirs);
    assert_eq!(merged.entries.len(), 2);
    assert_eq!(merged.entries[0].account.name, "edited");
    // The deleted side had used two codes: the kept edit never shows them.
    assert_eq!(merged.entries[1].account.name, "h edited");
    assert_eq!(merged.entries[1].account.kind, OtpKind::Hotp { counter: 6 });
    // A version the deleting side had seen is deleted.
    let seen = side(vec![one_code.clone()]);
    assert!(both_ways(&ours, &seen).entries.is_empty());
    // The same change made on the other side is still another edit.
    let same_change = side(vec![use_hotp(&h, 1)]);
    assert_eq!(both_ways(&ours, &same_change).entries.len(), 1);
    // The records stay, for copies that still hold the deleted version.
    assert_eq!(merged.tombstones.len(), 2);
}

#[test]
fn an_edit_that_survived_a_deletion_is_deleted_with_it() {
    // Ours used a code and deleted the account; theirs renamed it meanwhile.
    let h = hotp("000000000000000h", 0);
    let deleted_here = Payload {
        entries: Vec::new(),
        tombstones: vec![use_hotp(&h, 1).tombstone(300)],
        recent: Vec::new(),
    };
    let renamed = rename(&h, "renamed", 200);
    let kept = both_ways(&deleted_here, &side(vec![renamed.clone()]));
    // The rename survives, past the counter deleted, as the same version.
    assert_eq!(kept.entries.len(), 1);
    assert_eq!(kept.entries[0].account.kind, OtpKind::Hotp { counter: 1 });
    assert_eq!(kept.entries[0].tag, renamed.tag);
    // The other side, still at the lower counter, then deletes its rename:
    // every change is deleted somewhere, the account does not come back.
    let deleted_there = Payload {
        entries: Vec::new(),
        tombstones: vec![renamed.tombstone(400)],
        recent: Vec::new(),
    };
    assert!(both_ways(&kept, &deleted_there).entries.is_empty());
    // Copies of one version, one raised: the higher counter, both ways.
    let raised = Payload {
        entries: kept.entries.clone(),
        tombstones: Vec::new(),
        recent: Vec::new(),
    };
    let merged = both_ways(&raised, &side(vec![renamed.clone()]));
    assert_eq!(merged.entries[0].account.kind, OtpKind::Hotp { counter: 1 });
    let later = side(vec![rename(&renamed, "again", 500)]);
    let merged = both_ways(&raised, &later);
    assert_eq!(merged.entries[0].account.name, "again");
    assert_eq!(merged.entries[0].account.kind, OtpKind::Hotp { counter: 1 });
}

#[test]
fn deletions_win_over_untouched_entries_only() {
    let a = totp("000000000000000a", "a", 1);
    let b = totp("000000000000000b", "b", 2);
    let renamed_b = rename(&b, "b2", 10);
    // Ours renamed b, then deleted a and b (after the rename).
    let ours = Payload {
        entries: Vec::new(),
        tombstones: vec![a.tombstone(20), renamed_b.tombstone(20)],
        recent: Vec::new(),
    };
    // Theirs: a untouched; b at the version before the rename (an older
    // version is covered by the deletion too).
    let theirs = side(vec![a.clone(), b.clone()]);
    let merged = both_ways(&ours, &theirs);
    assert!(merged.entries.is_empty());
    let (_, report) = merge(&theirs, &ours);
    assert_eq!(report.deleted, 2);
}

#[test]
fn a_conflict_copy_deleted_on_one_side_is_not_made_again() {
    let base = totp("000000000000000a", "a", 1);
    let ours = side(vec![rename(&base, "left", 5)]);
    let theirs = side(vec![rename(&base, "right", 5)]);
    let (mut resolved, _) = merge(&ours, &theirs);
    let copy = resolved.entries.remove(1);
    resolved.tombstones.push(copy.tombstone(9));
    let merged = both_ways(&resolved, &theirs);
    assert_eq!(merged.entries.len(), 1);
    let merged = both_ways(&resolved, &ours);
    assert_eq!(merged.entries.len(), 1);
}

#[test]
fn tombstones_are_pruned_by_age_and_count() {
    let day = 86_400;
    let mut all: Vec<Tombstone> = (0..(TOMBSTONES_KEPT as u64 + 10))
        .map(|n| totp(&format!("{n:016x}"), "x", 1).tombstone(1_000 * day + n))
        .collect();
    all.push(totp("00000000000000ff", "old", 2).tombstone(day));
    let now = 1_000 * day + 5_000;
    prune_tombstones(&mut all, now);
    assert_eq!(all.len(), TOMBSTONES_KEPT);
    assert!(all.iter().all(|t| t.deleted >= 1_000 * day + 10));
    // Kept exactly TOMBSTONE_DAYS, dropped a second later; a record
    // dated in the future is kept.
    let mut edge = vec![
        totp("0000000000000001", "x", 1).tombstone(now - TOMBSTONE_DAYS * day),
        totp("0000000000000002", "x", 1).tombstone(now - TOMBSTONE_DAYS * day - 1),
        totp("0000000000000003", "x", 1).tombstone(now + day),
    ];
    prune_tombstones(&mut edge, now);
    let ids: Vec<&str> = edge.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec!["0000000000000003", "0000000000000001"]);
    // A merge keeps the newest records of both sides, one per id.
    let ours = Payload {
        entries: Vec::new(),
        tombstones: all.clone(),
        recent: Vec::new(),
    };
    let theirs = Payload {
        entries: Vec::new(),
        tombstones: edge,
        recent: Vec::new(),
    };
    let (merged, _) = merge(&ours, &theirs);
    assert_eq!(merged.tombstones.len(), TOMBSTONES_KEPT);
    assert_eq!(merged.tombstones[0].id, "0000000000000003");
}
