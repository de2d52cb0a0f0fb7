//! The list's order and lines, computed once per search or change of the
//! entries: the matching accounts, each issuer's together, and the
//! headings and rows with their positions (a fixed height each, so the
//! view builds only the lines in view).

use std::collections::HashMap;

use crate::vault::Entry;

use super::{HEADING_HEIGHT, ROW_GAP, ROW_HEIGHT};

/// The search's result: the matching entries in list order, and the
/// list's lines with their positions.
#[derive(Debug, Clone, Default)]
pub(super) struct Shown {
    /// The search and the number of entries it was computed for.
    query: String,
    of: usize,
    /// Indices into the entries, in list order.
    pub(super) order: Vec<usize>,
    pub(super) items: Vec<ListItem>,
}

impl Shown {
    /// Entries matching `query`, the accounts of one issuer together
    /// where it first appears, otherwise in vault order; and their lines.
    /// Linear in the number of entries (and a sort).
    pub(super) fn compute(entries: &[Entry], query: &str) -> Self {
        let q = query.trim().to_lowercase();
        let matches = |e: &Entry| {
            q.is_empty()
                || e.account.name.to_lowercase().contains(&q)
                || e.account
                    .issuer
                    .as_deref()
                    .is_some_and(|i| i.to_lowercase().contains(&q))
        };
        let shown: Vec<usize> = (0..entries.len())
            .filter(|&i| matches(&entries[i]))
            .collect();
        // Each issuer's first position among the matches, and its count.
        let mut groups: HashMap<&str, (usize, usize)> = HashMap::new();
        for (pos, &i) in shown.iter().enumerate() {
            if let Some(issuer) = entries[i].account.issuer.as_deref() {
                groups.entry(issuer).or_insert((pos, 0)).1 += 1;
            }
        }
        let group = |i: usize| {
            entries[i]
                .account
                .issuer
                .as_deref()
                .and_then(|issuer| groups.get(issuer))
        };
        let mut keyed: Vec<(usize, usize)> = shown
            .iter()
            .enumerate()
            .map(|(pos, &i)| (group(i).map_or(pos, |g| g.0), pos))
            .collect();
        keyed.sort_unstable();
        let order: Vec<usize> = keyed.into_iter().map(|(_, pos)| shown[pos]).collect();
        // Accounts sharing an issuer (a cloud's root account and its
        // sub-users) are grouped under one heading.
        let mut items = Vec::with_capacity(order.len() + 8);
        let mut top = 0.0;
        let mut last: Option<&str> = None;
        for (index, &i) in order.iter().enumerate() {
            let issuer = entries[i].account.issuer.as_deref();
            let grouped = group(i).is_some_and(|g| g.1 > 1);
            if grouped && issuer != last {
                items.push(ListItem {
                    kind: ItemKind::Heading(i),
                    top,
                    height: HEADING_HEIGHT + 2.0,
                });
                top += HEADING_HEIGHT + 2.0;
            }
            last = issuer;
            items.push(ListItem {
                kind: ItemKind::Row { index },
                top,
                height: ROW_HEIGHT,
            });
            top += ROW_HEIGHT;
        }
        Self {
            query: query.to_string(),
            of: entries.len(),
            order,
            items,
        }
    }

    /// Whether this was computed for `query` over entries like these (the
    /// parent calls [`State::refreshed`] when its entries change; a count
    /// that differs is caught here).
    pub(super) fn fits(&self, entries: &[Entry], query: &str) -> bool {
        self.of == entries.len() && self.query == query
    }
}

/// One line of the list: an issuer heading or an account row, with its
/// position (rows have a fixed height, so only visible ones are built).
#[derive(Debug, Clone)]
pub(super) struct ListItem {
    pub(super) kind: ItemKind,
    pub(super) top: f32,
    pub(super) height: f32,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum ItemKind {
    /// The issuer of the entry at this index.
    Heading(usize),
    /// The row at this position of the list order.
    Row { index: usize },
}

impl ListItem {
    pub(super) fn content_height(&self) -> f32 {
        match self.kind {
            ItemKind::Heading(_) => HEADING_HEIGHT,
            ItemKind::Row { .. } => ROW_HEIGHT - ROW_GAP,
        }
    }
}
