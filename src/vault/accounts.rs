//! The account operations of an unlocked vault: add, remove, move,
//! rename, use an HOTP code, keep one side of a conflict. Each goes
//! through [`Vault::commit`] and starts a new version of the account it
//! changes ([`Entry::new_version`]); a removal leaves a deletion record
//! ([`Entry::tombstone`]) so a copy of the vault merged later loses the
//! account too (unless it changed it since).

use crate::account::{Account, OtpKind};

use super::crypto::{hex, random_vec};
use super::error::VaultError;
use super::merge::{prune_tombstones, sort_tombstones};
use super::payload::Entry;
use super::{Added, Vault};

fn new_entry_id() -> Result<String, VaultError> {
    Ok(hex(&random_vec(8)?))
}

impl Vault {
    /// Entry ids, most recently used first.
    pub fn recent(&self) -> &[String] {
        &self.data.recent
    }

    /// Saves the recently used order (ids of accounts in the vault, at
    /// most `limit`); written only when it changed.
    pub fn set_recent(&mut self, ids: &[String], limit: usize) -> Result<(), VaultError> {
        self.commit(|state| {
            let known = |id: &&String| state.data.entries.iter().any(|e| &e.id == *id);
            state.data.recent = ids.iter().filter(known).take(limit).cloned().collect();
            Ok(())
        })
    }

    /// Adds accounts, skipping those whose token is already in the vault
    /// (or earlier in `accounts`).
    pub fn add(&mut self, accounts: Vec<Account>, now: u64) -> Result<Vec<Added>, VaultError> {
        self.commit(|state| {
            let mut results = Vec::with_capacity(accounts.len());
            for account in accounts {
                if let Some(e) = state
                    .data
                    .entries
                    .iter()
                    .find(|e| e.account.same_token(&account))
                {
                    results.push(Added::Duplicate {
                        existing: e.id.clone(),
                    });
                    continue;
                }
                let id = new_entry_id()?;
                state
                    .data
                    .entries
                    .push(Entry::new(id.clone(), account, now));
                results.push(Added::New(id));
            }
            Ok(results)
        })
    }

    /// Removes an account, keeping a deletion record dated `now` (records
    /// older than the retention at `now` are dropped); returns it.
    pub fn remove(&mut self, id: &str, now: u64) -> Result<Entry, VaultError> {
        self.commit(|state| {
            let at = state.index_of(id)?;
            let entry = state.data.entries.remove(at);
            let tombstones = &mut state.data.tombstones;
            match tombstones.iter_mut().find(|t| t.id == entry.id) {
                // An edit survived an earlier deletion: the new one covers both.
                Some(t) => {
                    let fresh = entry.tombstone(now);
                    for tag in fresh.history {
                        super::payload::push_history(&mut t.history, tag);
                    }
                    t.rev = t.rev.max(entry.rev);
                    t.counter = t.counter.max(fresh.counter);
                    t.deleted = now;
                }
                None => tombstones.push(entry.tombstone(now)),
            }
            sort_tombstones(tombstones);
            prune_tombstones(tombstones, now);
            Ok(entry)
        })
    }

    /// Moves an account by `offset` places in the list order (negative:
    /// up), clamped to the ends. The order is kept in the vault (it is not
    /// a change of the account: a merge keeps this copy's order).
    pub fn move_entry(&mut self, id: &str, offset: i64) -> Result<(), VaultError> {
        self.commit(|state| {
            let from = state.index_of(id)?;
            let last = state.data.entries.len().saturating_sub(1) as i64;
            let to = (from as i64 + offset).clamp(0, last) as usize;
            let entry = state.data.entries.remove(from);
            state.data.entries.insert(to, entry);
            Ok(())
        })
    }

    /// Changes the issuer (`Some(None)` removes it) and/or account name.
    pub fn rename(
        &mut self,
        id: &str,
        issuer: Option<Option<String>>,
        name: Option<String>,
        now: u64,
    ) -> Result<(), VaultError> {
        self.commit(|state| {
            let at = state.index_of(id)?;
            let e = &mut state.data.entries[at];
            let same_issuer = issuer.as_ref().is_none_or(|i| *i == e.account.issuer);
            let same_name = name.as_ref().is_none_or(|n| *n == e.account.name);
            if same_issuer && same_name {
                return Ok(());
            }
            e.new_version(now)?;
            if let Some(issuer) = issuer {
                e.account.issuer = issuer;
            }
            if let Some(name) = name {
                e.account.name = name;
            }
            Ok(())
        })
    }

    /// HOTP: uses the counter `skip` steps ahead of the stored one and
    /// saves the counter after it *before* returning, so a code is never
    /// shown twice. Returns the account at the counter used.
    pub fn use_hotp(&mut self, id: &str, skip: u64, now: u64) -> Result<Account, VaultError> {
        self.commit(|state| {
            let at = state.index_of(id)?;
            let e = &mut state.data.entries[at];
            let OtpKind::Hotp { counter } = e.account.kind else {
                return Ok(e.account.clone());
            };
            let used = counter
                .checked_add(skip)
                .ok_or(VaultError::CounterExhausted)?;
            let after = used.checked_add(1).ok_or(VaultError::CounterExhausted)?;
            let mut shown = e.account.clone();
            shown.kind = OtpKind::Hotp { counter: used };
            e.new_version(now)?;
            e.account.kind = OtpKind::Hotp { counter: after };
            Ok(shown)
        })
    }

    /// Resolves a conflict by keeping the copy `id` (marked `conflict`):
    /// its labels replace those of the account whose version won, as a new
    /// version of it (HOTP: the higher counter stays), and the copy is
    /// removed. To keep the winner instead, remove the copy.
    pub fn keep_conflict_copy(&mut self, id: &str, now: u64) -> Result<(), VaultError> {
        self.commit(|state| {
            let at = state.index_of(id)?;
            let Some(winner_id) = state.data.entries[at].conflict.clone() else {
                return Err(VaultError::NotAConflict);
            };
            let copy = state.data.entries.remove(at);
            state.data.tombstones.push(copy.tombstone(now));
            sort_tombstones(&mut state.data.tombstones);
            match state.data.entries.iter_mut().find(|e| e.id == winner_id) {
                Some(winner) => {
                    winner.new_version(now)?;
                    winner.account.issuer = copy.account.issuer;
                    winner.account.name = copy.account.name;
                }
                // The other version was deleted meanwhile: the copy stays,
                // as an ordinary account.
                None => {
                    let mut kept = copy;
                    kept.new_version(now)?;
                    kept.conflict = None;
                    state.data.entries.insert(at, kept);
                }
            }
            Ok(())
        })
    }
}
