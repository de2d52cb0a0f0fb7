//! The vault's files on disk: atomic replacement, backups, the lock file
//! and stale temporary files.
//!
//! Next to `vault.tessera` live `.vault.tessera.lock` (the lock, never
//! replaced), `vault.tessera.bak.<nanoseconds>` (the previous versions,
//! newest [`BACKUPS_KEPT`] kept) and, only while a save runs,
//! `.vault.tessera.tmp.<random>`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::crypto::{hex, random_vec};
use super::error::VaultError;
use super::format::MAX_FILE;

/// How many previous versions are kept.
pub const BACKUPS_KEPT: usize = 5;
/// How long a writer waits for another one to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(20);

/// The paths of one vault.
#[derive(Debug, Clone)]
pub struct Files {
    pub vault: PathBuf,
    dir: PathBuf,
    name: String,
}

/// Held while writing; released on drop.
pub struct LockGuard {
    _file: File,
}

impl Files {
    pub fn new(vault: &Path) -> Self {
        let name = vault
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| String::from("vault.tessera"));
        let dir = match vault.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Self {
            vault: vault.to_path_buf(),
            dir,
            name,
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

    fn backup_prefix(&self) -> String {
        format!("{}.bak.", self.name)
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

    /// Backups, newest first.
    pub fn backups(&self) -> Vec<PathBuf> {
        let prefix = self.backup_prefix();
        let mut found: Vec<(String, PathBuf)> = fs::read_dir(&self.dir)
            .map(|list| {
                list.flatten()
                    .filter_map(|item| {
                        let name = item.file_name().to_string_lossy().into_owned();
                        let stamp = name.strip_prefix(&prefix)?;
                        (stamp.len() == 20 && stamp.bytes().all(|b| b.is_ascii_digit()))
                            .then(|| (name.clone(), item.path()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by(|a, b| b.0.cmp(&a.0));
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// Replaces the vault with `bytes`: temp file in the same folder,
    /// fsync, previous version kept as a backup, rename, fsync of the
    /// folder. Call with the lock held.
    pub fn write_atomic(&self, bytes: &[u8]) -> Result<(), VaultError> {
        self.ensure_dir()?;
        let tmp = self
            .dir
            .join(format!("{}{}", self.tmp_prefix(), hex(&random_vec(8)?)));
        let result = self.write_then_rename(&tmp, bytes);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    fn write_then_rename(&self, tmp: &Path, bytes: &[u8]) -> Result<(), VaultError> {
        crate::fs::write_new_private(tmp, bytes).map_err(|e| VaultError::io("write", tmp, e))?;
        if self.vault.exists() {
            self.keep_backup()?;
        }
        crate::fs::replace(tmp, &self.vault)
            .map_err(|e| VaultError::io("replace", &self.vault, e))?;
        self.prune_backups();
        Ok(())
    }

    /// Keeps the current vault as a backup (a hard link: no copy, atomic).
    fn keep_backup(&self) -> Result<(), VaultError> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        for bump in 0..100u128 {
            let backup = self
                .dir
                .join(format!("{}{:020}", self.backup_prefix(), nanos + bump));
            match fs::hard_link(&self.vault, &backup) {
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    // No hard links here (some file systems): copy instead.
                    if backup.exists() {
                        continue;
                    }
                    fs::copy(&self.vault, &backup)
                        .and_then(|_| File::open(&backup)?.sync_all())
                        .map_err(|e| VaultError::io("back up", &self.vault, e))?;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn prune_backups(&self) {
        for old in self.backups().into_iter().skip(BACKUPS_KEPT) {
            let _ = fs::remove_file(old);
        }
    }
}

/// A file's bytes (bounded), `None` when it does not exist.
pub fn read_file(path: &Path) -> Result<Option<Vec<u8>>, VaultError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
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
