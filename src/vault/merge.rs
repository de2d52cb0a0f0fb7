//! Merging two copies of one vault (same vault id), account by account.
//! Exact, never the wall clock, and the same result whichever copy is
//! "ours" (only the order of the list follows `ours`):
//!
//! - an account on one side only is kept (added there), unless the other
//!   side deleted that very version or one it descends from;
//! - the same account on both sides: when one version descends from the
//!   other (its [`Entry::history`] holds the other's tag), the newer one
//!   is kept: a rename or HOTP use on one side wins over the untouched
//!   other side;
//! - changed on both sides: the higher version counter wins (equal
//!   counters: the higher tag, so both machines pick the same), as a new
//!   version that descends from both; for HOTP the higher counter always
//!   wins; when the loser's labels differ, it is kept as a separate account
//!   marked `conflict` (its id derived from the losing version, so merging
//!   again, or on the other machine, makes the same copy once);
//! - a deletion (tombstone) wins only over the version deleted and the
//!   versions it descends from: a delete on one side and an edit on the
//!   other keeps the edit; an HOTP edit that survives a deletion goes up
//!   to the counter deleted, in place (not a new version, so a later
//!   deletion of the edit covers it), and two copies of one version keep
//!   the higher counter;
//! - deletion records of both sides are kept (one per id), the newest
//!   [`TOMBSTONES_KEPT`]; [`prune_tombstones`] drops those older than
//!   [`TOMBSTONE_DAYS`] (time is a parameter).

use std::collections::{HashMap, HashSet};

use crate::account::OtpKind;

use super::crypto::hex;
use super::payload::{Entry, Payload, Tombstone, digest_tag, push_history};

/// Days a deletion record is kept (an older copy of the vault merged after
/// that brings the account back).
pub const TOMBSTONE_DAYS: u64 = 180;
/// Deletion records kept at most (the newest).
pub const TOMBSTONES_KEPT: usize = 1000;

/// What a merge changed in `ours`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Accounts only the other side had.
    pub added: usize,
    /// Accounts the other side changed (or both did).
    pub changed: usize,
    /// Accounts the other side deleted.
    pub deleted: usize,
    /// Copies kept from conflicting changes.
    pub conflicts: usize,
}

impl MergeReport {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The id of the copy kept of a losing version.
fn conflict_id(loser: &Entry) -> String {
    let tag = digest_tag(
        b"tessera-conflict\0",
        &[loser.id.as_bytes(), &loser.tag.to_le_bytes()],
    );
    hex(&tag.to_be_bytes())
}

fn hotp_counter(e: &Entry) -> Option<u64> {
    match e.account.kind {
        OtpKind::Hotp { counter } => Some(counter),
        _ => None,
    }
}

/// The same account changed on both sides: the winner as a new version
/// descending from both, and the loser's copy when its labels differ.
fn concurrent(a: &Entry, b: &Entry) -> (Entry, Option<Entry>) {
    let (w, l) = if (a.rev, a.tag) >= (b.rev, b.tag) {
        (a, b)
    } else {
        (b, a)
    };
    let mut merged = w.clone();
    let mut history = l.history.clone();
    push_history(&mut history, l.tag);
    for &t in &w.history {
        push_history(&mut history, t);
    }
    push_history(&mut history, w.tag);
    merged.history = history;
    merged.rev = a.rev.max(b.rev).saturating_add(1);
    merged.tag = digest_tag(
        b"tessera-merge\0",
        &[&w.tag.to_le_bytes(), &l.tag.to_le_bytes()],
    );
    merged.created = a.created.min(b.created);
    merged.modified = a.modified.max(b.modified);
    let top = hotp_counter(a).max(hotp_counter(b));
    if let (Some(counter), OtpKind::Hotp { .. }) = (top, merged.account.kind) {
        merged.account.kind = OtpKind::Hotp { counter };
    }
    let labels_differ =
        (&w.account.issuer, &w.account.name) != (&l.account.issuer, &l.account.name);
    let copy = labels_differ.then(|| {
        let mut account = l.account.clone();
        if let (Some(counter), OtpKind::Hotp { .. }) = (top, account.kind) {
            account.kind = OtpKind::Hotp { counter };
        }
        let mut copy = Entry::new(conflict_id(l), account, l.created);
        copy.modified = l.modified;
        copy.conflict = Some(w.id.clone());
        copy
    });
    (merged, copy)
}

/// An HOTP account that survived a deletion made elsewhere: its counter
/// goes up to the one deleted, so no code used there is shown again. The
/// raise is made in place, not as a new version: it is no change of the
/// person's, and a deletion made later of this version (by a computer that
/// holds it with the lower counter) still covers it; a new version here
/// would be an edit that deletion never saw, and the account would come
/// back. Copies of one version that differ only by this raise are merged
/// by [`higher_counter`].
fn at_least_deleted_counter(mut e: Entry, deletion: Option<&Tombstone>) -> Entry {
    if let (OtpKind::Hotp { counter }, Some(deleted)) =
        (e.account.kind, deletion.and_then(|t| t.counter))
        && deleted > counter
    {
        e.account.kind = OtpKind::Hotp { counter: deleted };
    }
    e
}

/// The version kept when one side's version is the other's or descends
/// from it, with the higher HOTP counter of the two (one copy of a version
/// may have been raised past a deleted counter, see
/// [`at_least_deleted_counter`]): a counter never goes back.
fn higher_counter(mut kept: Entry, other: &Entry) -> Entry {
    if let (OtpKind::Hotp { counter }, Some(theirs)) = (kept.account.kind, hotp_counter(other))
        && theirs > counter
    {
        kept.account.kind = OtpKind::Hotp { counter: theirs };
    }
    kept
}

/// Both sides' deletion records, one per id (the versions either deleted),
/// newest first by time, at most [`TOMBSTONES_KEPT`].
fn merge_tombstones(ours: &[Tombstone], theirs: &[Tombstone]) -> Vec<Tombstone> {
    let mut by_id: HashMap<&str, Tombstone> = HashMap::with_capacity(ours.len() + theirs.len());
    // In an order that does not depend on which side is ours, so the
    // histories joined come out the same on both computers: the earlier
    // version deleted first (oldest tags first).
    let mut all: Vec<&Tombstone> = ours.iter().chain(theirs).collect();
    all.sort_by(|a, b| {
        (a.rev, a.deleted, a.counter, &a.history).cmp(&(b.rev, b.deleted, b.counter, &b.history))
    });
    for t in all {
        match by_id.get_mut(t.id.as_str()) {
            None => {
                by_id.insert(&t.id, t.clone());
            }
            Some(kept) => {
                kept.rev = kept.rev.max(t.rev);
                kept.deleted = kept.deleted.max(t.deleted);
                kept.counter = kept.counter.max(t.counter);
                for &tag in &t.history {
                    push_history(&mut kept.history, tag);
                }
            }
        }
    }
    let mut all: Vec<Tombstone> = by_id.into_values().collect();
    sort_tombstones(&mut all);
    all.truncate(TOMBSTONES_KEPT);
    all
}

/// The canonical order of deletion records: newest first, then by id.
pub fn sort_tombstones(tombstones: &mut [Tombstone]) {
    tombstones.sort_by(|a, b| b.deleted.cmp(&a.deleted).then_with(|| a.id.cmp(&b.id)));
}

/// Drops deletion records older than [`TOMBSTONE_DAYS`] at `now` (a record
/// dated in the future, from a clock set ahead, is kept) and keeps the
/// newest [`TOMBSTONES_KEPT`].
pub fn prune_tombstones(tombstones: &mut Vec<Tombstone>, now: u64) {
    let keep_for = TOMBSTONE_DAYS * 86_400;
    tombstones.retain(|t| t.deleted.saturating_add(keep_for) >= now);
    sort_tombstones(tombstones);
    tombstones.truncate(TOMBSTONES_KEPT);
}

/// Merges `theirs` into `ours` (see the module documentation).
pub fn merge(ours: &Payload, theirs: &Payload) -> (Payload, MergeReport) {
    let tombstones = merge_tombstones(&ours.tombstones, &theirs.tombstones);
    let dead: HashMap<&str, &Tombstone> = tombstones.iter().map(|t| (t.id.as_str(), t)).collect();
    let killed = |e: &Entry, tag: u64| {
        dead.get(e.id.as_str())
            .is_some_and(|t| t.history.contains(&tag))
    };
    let their_entries: HashMap<&str, (&Entry, u64)> = theirs
        .entries
        .iter()
        .map(|e| (e.id.as_str(), (e, e.tag)))
        .collect();
    let mut present: HashSet<&str> = ours.entries.iter().map(|e| e.id.as_str()).collect();
    present.extend(their_entries.keys().copied());
    let mut report = MergeReport::default();
    let mut entries = Vec::with_capacity(ours.entries.len() + theirs.entries.len());
    let mut copies: Vec<Entry> = Vec::new();
    for mine in &ours.entries {
        let my_tag = mine.tag;
        let (kept, kept_tag) = match their_entries.get(mine.id.as_str()) {
            None => (mine.clone(), my_tag),
            Some(&(other, other_tag)) if other_tag == my_tag || mine.descends_from(other_tag) => {
                let kept = higher_counter(mine.clone(), other);
                if kept.account != mine.account {
                    report.changed += 1;
                }
                (kept, my_tag)
            }
            Some(&(other, other_tag)) if other.descends_from(my_tag) => {
                report.changed += 1;
                (higher_counter(other.clone(), mine), other_tag)
            }
            Some(&(other, _)) => {
                let (merged, copy) = concurrent(mine, other);
                if merged.account != mine.account || merged.conflict != mine.conflict {
                    report.changed += 1;
                }
                if let Some(copy) = copy
                    && !present.contains(copy.id.as_str())
                    && !killed(&copy, copy.tag)
                    && !copies.iter().any(|c| c.id == copy.id)
                {
                    copies.push(copy);
                }
                let tag = merged.tag;
                (merged, tag)
            }
        };
        if killed(&kept, kept_tag) {
            report.deleted += 1;
            continue;
        }
        let deletion = dead.get(kept.id.as_str()).copied();
        let kept = at_least_deleted_counter(kept, deletion);
        let copy_at = copies
            .iter()
            .position(|c| c.conflict.as_deref() == Some(&kept.id));
        entries.push(kept);
        if let Some(at) = copy_at {
            report.conflicts += 1;
            entries.push(copies.remove(at));
        }
    }
    let ours_ids: HashSet<&str> = ours.entries.iter().map(|e| e.id.as_str()).collect();
    for e in &theirs.entries {
        if ours_ids.contains(e.id.as_str()) {
            continue;
        }
        if !killed(e, e.tag) {
            report.added += 1;
            entries.push(at_least_deleted_counter(
                e.clone(),
                dead.get(e.id.as_str()).copied(),
            ));
        }
    }
    report.conflicts += copies.len();
    entries.extend(copies);
    // The recently used order is this computer's: ours, less what is gone.
    let recent = ours
        .recent
        .iter()
        .filter(|id| entries.iter().any(|e| &e.id == *id))
        .cloned()
        .collect();
    (
        Payload {
            entries,
            tombstones,
            recent,
        },
        report,
    )
}

#[cfg(test)]
#[path = "tests_merge.rs"]
mod tests;
