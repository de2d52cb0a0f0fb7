//! The vault's files on disk: atomic replacement, backups, the lock file
//! and stale temporary files.
//!
//! Next to `vault.tessera` live `.vault.tessera.lock` (the lock, never
//! replaced), `vault.tessera.<seq>.<UTC time>.bak` (the previous versions,
//! e.g. `vault.tessera.0042.2026-12-02T01-13-08Z.bak`; newest
//! [`BACKUPS_KEPT`] kept) and, only while a save runs,
//! `.vault.tessera.tmp.<random>`.
//!
//! Backups are ordered by their sequence number, which only grows (one
//! more than the highest present), never by the time in the name: a clock
//! set wrong once cannot make new backups look old and get pruned. The
//! backup a save just made is never pruned. Names of older builds,
//! `vault.tessera.bak.<nanoseconds>`, are still recognised, ordered before
//! every numbered one.
//!
//! A vault path that is a symbolic link is resolved first: the lock,
//! backups and the new file are written next to the real file, and the
//! link stays. A link to a missing file is refused, never replaced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use super::crypto::{hex, random_vec};
use super::disk::{Disk, RealDisk};
use super::error::VaultError;
use super::format::MAX_FILE;

/// How many previous versions are kept.
pub const BACKUPS_KEPT: usize = 5;
/// How long a writer waits for another one to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(20);

/// The paths of one vault.
#[derive(Debug, Clone)]
pub struct Files {
    /// Where saves write ([`RealDisk`]; a recorder in the power-cut test).
    pub(crate) disk: std::sync::Arc<dyn Disk>,
    pub vault: PathBuf,
    dir: PathBuf,
    name: String,
    /// How long a writer waits for the lock ([`LOCK_WAIT`]; shorter in tests).
    pub(crate) lock_wait: Duration,
}

/// Held while writing; released on drop.
pub struct LockGuard {
    _file: File,
}

impl Files {
    pub fn new(vault: &Path) -> Self {
        let vault = &resolve_link(vault);
        let name = vault
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| String::from("vault.tessera"));
        let dir = match vault.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Self {
            disk: std::sync::Arc::new(RealDisk),
            vault: vault.to_path_buf(),
            dir,
            name,
            lock_wait: LOCK_WAIT,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(format!(".{}.lock", self.name))
    }

    fn tmp_prefix(&self) -> String {
        format!(".{}.tmp.", self.name)
    }

    /// The place in the backup order (older builds' names first) and the
    /// time of a backup of this vault, from its file name.
    fn parse_backup(&self, file_name: &str) -> Option<(u8, u128, Option<DateTime<Utc>>)> {
        let rest = file_name.strip_prefix(&self.name)?.strip_prefix('.')?;
        if let Some(stamp) = rest.strip_prefix("bak.") {
            if stamp.len() != 20 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let nanos: u128 = stamp.parse().ok()?;
            let secs = i64::try_from(nanos / 1_000_000_000).ok()?;
            return Some((0, nanos, DateTime::from_timestamp(secs, 0)));
        }
        let (seq, time) = rest.strip_suffix(".bak")?.split_once('.')?;
        if seq.is_empty() || seq.len() > 30 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let made = NaiveDateTime::parse_from_str(time, BACKUP_TIME)
            .ok()?
            .and_utc();
        Some((1, seq.parse().ok()?, Some(made)))
    }

    /// Creates the folder (0700 on Unix) if needed.
    pub fn ensure_dir(&self) -> Result<(), VaultError> {
        crate::fs::create_private_dir_all(&self.dir)
            .map_err(|e| VaultError::io("create the folder", &self.dir, e))
    }

    /// Takes the writer lock, waiting up to `wait` for another writer.
    pub fn lock(&self, wait: Duration) -> Result<LockGuard, VaultError> {
        self.ensure_dir()?;
        let path = self.lock_path();
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&path)
            .map_err(|e| VaultError::io("open the lock file", &path, e))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(LockGuard { _file: file }),
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(VaultError::Busy(path, wait.as_secs()));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(VaultError::io("lock", &path, e));
                }
            }
        }
    }

    /// The vault's bytes, `None` when there is no file.
    pub fn read(&self) -> Result<Option<Vec<u8>>, VaultError> {
        read_file(&self.vault)
    }

    /// Removes temporary files left by a save that was interrupted. Call
    /// with the lock held: a live writer holds it while its file exists.
    pub fn clean_temps(&self) {
        let prefix = self.tmp_prefix();
        if let Ok(list) = fs::read_dir(&self.dir) {
            for item in list.flatten() {
                if item.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(item.path());
                }
            }
        }
    }

    /// Backups, newest first, with the time in their names.
    pub fn backups_dated(&self) -> Vec<(PathBuf, Option<DateTime<Utc>>)> {
        type Found = ((u8, u128), PathBuf, Option<DateTime<Utc>>);
        let mut found: Vec<Found> = fs::read_dir(&self.dir)
            .map(|list| {
                list.flatten()
                    .filter_map(|item| {
                        let name = item.file_name().to_string_lossy().into_owned();
                        let (era, n, made) = self.parse_backup(&name)?;
                        Some(((era, n), item.path(), made))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        found.into_iter().map(|(_, p, t)| (p, t)).collect()
    }

    /// Backups, newest first.
    pub fn backups(&self) -> Vec<PathBuf> {
        self.backups_dated().into_iter().map(|(p, _)| p).collect()
    }

    /// The next backup sequence number: one more than any present.
    fn next_seq(&self) -> u128 {
        let highest = fs::read_dir(&self.dir)
            .map(|list| {
                list.flatten()
                    .filter_map(|item| {
                        let (era, n, _) = self.parse_backup(&item.file_name().to_string_lossy())?;
                        (era == 1).then_some(n)
                    })
                    .max()
            })
            .ok()
            .flatten();
        highest.map_or(1, |n| n.saturating_add(1))
    }

    /// [`Files::write_atomic_at`] with the time of this machine (it only
    /// names the backup for people; the order does not depend on it).
    pub fn write_atomic(&self, bytes: &[u8]) -> Result<Option<PathBuf>, VaultError> {
        self.write_atomic_at(bytes, Utc::now())
    }

    /// Replaces the vault with `bytes`: temp file in the same folder,
    /// fsync, previous version kept as a backup (named with `now`), rename,
    /// fsync of the folder. Returns the backup made. Call with the lock held.
    pub fn write_atomic_at(
        &self,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<PathBuf>, VaultError> {
        if fs::symlink_metadata(&self.vault).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(VaultError::DanglingLink(self.vault.clone()));
        }
        self.ensure_dir()?;
        let tmp = self
            .dir
            .join(format!("{}{}", self.tmp_prefix(), hex(&random_vec(8)?)));
        let result = self.write_then_rename(&tmp, bytes, now);
        if result.is_err() {
            let _ = self.disk.remove(&tmp);
        }
        result
    }

    fn write_then_rename(
        &self,
        tmp: &Path,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<PathBuf>, VaultError> {
        self.disk
            .write_new_synced(tmp, bytes)
            .map_err(|e| VaultError::io("write", tmp, e))?;
        let backup = if self.vault.exists() {
            Some(self.keep_backup(now)?)
        } else {
            None
        };
        self.disk
            .rename(tmp, &self.vault)
            .and_then(|()| self.disk.sync_dir(&self.dir))
            .map_err(|e| VaultError::io("replace", &self.vault, e))?;
        self.prune_backups(backup.as_deref());
        Ok(backup)
    }

    /// Keeps the current vault as a backup (a hard link: no copy, atomic).
    fn keep_backup(&self, now: DateTime<Utc>) -> Result<PathBuf, VaultError> {
        let seq = self.next_seq();
        let time = now.format(BACKUP_TIME).to_string();
        for bump in 0..100u128 {
            let backup = self.dir.join(format!(
                "{}.{:04}.{time}.bak",
                self.name,
                seq.saturating_add(bump)
            ));
            match self.disk.hard_link(&self.vault, &backup) {
                Ok(()) => return Ok(backup),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    // No hard links here (some file systems): copy instead.
                    if backup.exists() {
                        continue;
                    }
                    self.disk
                        .copy_synced(&self.vault, &backup)
                        .map_err(|e| VaultError::io("back up", &self.vault, e))?;
                    return Ok(backup);
                }
            }
        }
        Err(VaultError::io(
            "back up",
            &self.vault,
            io::Error::from(io::ErrorKind::AlreadyExists),
        ))
    }

    /// Keeps the newest [`BACKUPS_KEPT`] backups, and always `just_made`.
    fn prune_backups(&self, just_made: Option<&Path>) {
        for old in self.backups().into_iter().skip(BACKUPS_KEPT) {
            if Some(old.as_path()) != just_made {
                let _ = self.disk.remove(&old);
            }
        }
    }
}

/// How a backup's name shows its time (UTC, no colons for Windows).
const BACKUP_TIME: &str = "%Y-%m-%dT%H-%M-%SZ";

/// The real path of a vault given as a symbolic link (the path itself
/// otherwise, or when the link's target is missing).
fn resolve_link(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// A file's bytes (bounded), `None` when it does not exist. A symbolic
/// link to a missing file is an error, not "no file".
pub fn read_file(path: &Path) -> Result<Option<Vec<u8>>, VaultError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(VaultError::DanglingLink(path.to_path_buf()));
            }
            return Ok(None);
        }
        Err(e) => return Err(VaultError::io("open", path, e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| VaultError::io("read", path, e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(VaultError::Corrupt("file too large"));
    }
    Ok(Some(bytes))
}

/// SHA-256 of a file's bytes, to notice changes made by others.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}
