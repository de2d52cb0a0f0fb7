//! The file operations of a save, behind a trait so a test can record
//! them and replay every crash point ([`RealDisk`] is the file system).

use std::fmt::Debug;
use std::fs::{self, File};
use std::io;
use std::path::Path;

/// The operations a save performs that change the folder or a file.
pub trait Disk: Debug + Send + Sync {
    /// Creates `path` (which must not exist) mode 0600 with `bytes`, and
    /// fsyncs the file (not the folder).
    fn write_new_synced(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// A second name for a file (not synced).
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// A copy, its data fsynced (where hard links are not supported).
    fn copy_synced(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Renames over `to` (not synced).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Fsyncs a folder: its entries survive a power cut from now on.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Deletes a file (not synced).
    fn remove(&self, path: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealDisk;

impl Disk for RealDisk {
    fn write_new_synced(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        crate::fs::write_new_private(path, bytes)
    }

    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::hard_link(from, to)
    }

    fn copy_synced(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::copy(from, to).and_then(|_| File::open(to)?.sync_all())
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        crate::fs::sync_dir(dir)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }
}
