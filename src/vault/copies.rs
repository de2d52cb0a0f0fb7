//! The conflict copies that sync tools make of the vault's file when two
//! computers changed it at once, recognised by name next to the vault
//! (for `vault.tessera`):
//!
//! - Syncthing: `vault.sync-conflict-20261202-101010-ABCDEF1.tessera`
//! - Nextcloud: `vault (conflicted copy 2026-12-02 101010).tessera`;
//!   ownCloud: the same, or `vault_conflict-20261202-101010.tessera`
//! - Dropbox: `vault (Anna's conflicted copy 2026-12-02).tessera`,
//!   `vault (Case Conflict).tessera`, `vault (Case Conflict 1).tessera`
//! - OneDrive: `vault-HOSTNAME.tessera`, `vault-HOSTNAME-2.tessera`
//! - Google Drive: `vault (1).tessera`
//!
//! A copy merged is renamed to `<its name>.merged` so it is not merged
//! twice (and no longer matches). Whether a copy is of this vault is
//! decided by its vault id when it is merged, not by its name.

use std::fs;
use std::path::{Path, PathBuf};

use super::error::VaultError;
use super::keyring::KeyStore;
use super::merge::MergeReport;

/// What may open a copy of the vault whose data key differs.
#[derive(Clone, Copy, Default)]
pub struct Opener<'a> {
    pub keyring: Option<&'a dyn KeyStore>,
    /// A password or recovery key typed for the copy.
    pub typed: Option<&'a str>,
}

/// What merging one conflict copy did.
#[derive(Debug, Clone)]
pub struct CopyMerged {
    pub report: MergeReport,
    /// Where the copy was moved (`<name>.merged`).
    pub moved_to: PathBuf,
    /// Whether the copy's data key (rotated elsewhere) replaced this one's.
    pub rekeyed: bool,
}

/// The suffix given to a copy once merged.
pub const MERGED_SUFFIX: &str = ".merged";

/// `name` split at its last dot: stem and extension (with the dot).
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(at) if at > 0 => name.split_at(at),
        _ => (name, ""),
    }
}

fn is_host_name(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
}

/// Whether what follows the vault's stem in a file name is a sync tool's
/// conflict marking.
fn is_conflict_suffix(suffix: &str) -> bool {
    if let Some(rest) = suffix.strip_prefix(".sync-conflict-") {
        return !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    }
    if let Some(rest) = suffix.strip_prefix("_conflict-") {
        return !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    }
    if let Some(host) = suffix.strip_prefix('-') {
        return is_host_name(host);
    }
    let inner = suffix
        .strip_prefix(" (")
        .or_else(|| suffix.strip_prefix('('))
        .and_then(|s| s.strip_suffix(')'));
    let Some(inner) = inner else {
        return false;
    };
    let numbered = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    numbered(inner)
        || inner.contains("conflicted copy")
        || inner
            .strip_prefix("Case Conflict")
            .is_some_and(|n| n.is_empty() || n.strip_prefix(' ').is_some_and(numbered))
}

/// Whether the file `name` is a sync tool's conflict copy of the vault
/// file `vault_name`, by name alone.
pub fn is_conflict_copy(vault_name: &str, name: &str) -> bool {
    let (stem, ext) = split_ext(vault_name);
    let (other_stem, other_ext) = split_ext(name);
    if name == vault_name || !other_ext.eq_ignore_ascii_case(ext) || stem.is_empty() {
        return false;
    }
    // Dropbox's case conflicts differ from the original in case.
    let Some(prefix) = other_stem.get(..stem.len()) else {
        return false;
    };
    prefix.eq_ignore_ascii_case(stem) && is_conflict_suffix(&other_stem[stem.len()..])
}

/// The conflict copies of the vault file `vault` in its folder, by name.
pub fn find(vault: &Path) -> Vec<PathBuf> {
    let Some(vault_name) = vault.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = match vault.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(list) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = list
        .flatten()
        .filter(|item| item.file_type().is_ok_and(|t| t.is_file()))
        .filter(|item| is_conflict_copy(&vault_name, &item.file_name().to_string_lossy()))
        .map(|item| item.path())
        .collect();
    found.sort();
    found
}

/// Renames a merged copy to `<name>.merged` (`.merged.2`, ... when taken);
/// returns the new path.
pub fn set_aside(copy: &Path) -> Result<PathBuf, VaultError> {
    let name = copy
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1..1000u32 {
        let suffix = if n == 1 {
            String::from(MERGED_SUFFIX)
        } else {
            format!("{MERGED_SUFFIX}.{n}")
        };
        let target = copy.with_file_name(format!("{name}{suffix}"));
        if target.exists() {
            continue;
        }
        return fs::rename(copy, &target)
            .map(|()| target)
            .map_err(|e| VaultError::io("move aside", copy, e));
    }
    Err(VaultError::io(
        "move aside",
        copy,
        std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_sync_tools_give_conflict_copies() {
        for name in [
            "vault.sync-conflict-20261202-101010-ABCDEF1.tessera",
            "vault (conflicted copy 2026-12-02 101010).tessera",
            "vault_conflict-20261202-101010.tessera",
            "vault (Anna's conflicted copy 2026-12-02).tessera",
            "vault (Anna's conflicted copy 2026-12-02 (1)).tessera",
            "vault (Case Conflict).tessera",
            "Vault (Case Conflict 1).tessera",
            "vault-LAPTOP-7Q2.tessera",
            "vault (1).tessera",
            "vault(2).tessera",
        ] {
            assert!(is_conflict_copy("vault.tessera", name), "{name}");
        }
        for name in [
            "vault.tessera",
            "vault.tessera.0001.2026-12-02T01-13-08Z.bak",
            "vault.sync-conflict-20261202-101010-ABCDEF1.tessera.merged",
            ".vault.tessera.lock",
            ".vault.tessera.tmp.0011223344556677",
            "vault (copy).tessera",
            "vault-.tessera",
            "vault two.tessera",
            "other (1).tessera",
            "vault (12345).tessera",
            "vault.sync-conflict-20261202-101010-ABCDEF1.json",
        ] {
            assert!(!is_conflict_copy("vault.tessera", name), "{name}");
        }
        // Another vault name.
        assert!(is_conflict_copy(
            "work.vault",
            "work.sync-conflict-20261202-101010-XYZ.vault"
        ));
        assert!(!is_conflict_copy("work.vault", "vault (1).tessera"));
    }

    #[test]
    fn found_in_the_folder_and_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.tessera");
        for name in [
            "vault.tessera",
            "vault (1).tessera",
            "vault.sync-conflict-20261202-101010-ABCDEF1.tessera",
            "notes.txt",
        ] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        fs::create_dir(dir.path().join("vault (2).tessera")).unwrap();
        let found = find(&vault);
        assert_eq!(
            found,
            vec![
                dir.path().join("vault (1).tessera"),
                dir.path()
                    .join("vault.sync-conflict-20261202-101010-ABCDEF1.tessera"),
            ]
        );
        let moved = set_aside(&found[0]).unwrap();
        assert_eq!(moved, dir.path().join("vault (1).tessera.merged"));
        fs::write(&found[0], b"y").unwrap();
        assert_eq!(
            set_aside(&found[0]).unwrap(),
            dir.path().join("vault (1).tessera.merged.2")
        );
        assert_eq!(find(&vault).len(), 1);
    }
}
