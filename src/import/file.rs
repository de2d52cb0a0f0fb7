//! Bounded reads of files and standard input.

use std::io::Read;
use std::path::Path;

use super::image::MAX_FILE_BYTES;
use crate::error::ImportError;

/// Reads at most the image cap from a file, with a clear error otherwise.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ImportError> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| {
        ImportError::UnreadableFile(format!("cannot open {shown}: {}", io_reason(&e)))
    })?;
    let meta = file.metadata().map_err(|e| {
        ImportError::UnreadableFile(format!("cannot read {shown}: {}", io_reason(&e)))
    })?;
    if meta.is_dir() {
        return Err(ImportError::UnreadableFile(format!(
            "{shown} is a folder, not a file"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::ImageTooLarge(format!(
            "{shown} is {} MiB; at most {} MiB are read",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    read_limited(file, MAX_FILE_BYTES)
        .map_err(|e| ImportError::UnreadableFile(format!("cannot read {shown}: {}", io_reason(&e))))
}

/// Reads at most `limit` bytes; more is an error (for standard input).
pub fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "more than {} MiB of input",
            limit >> 20
        )));
    }
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => String::from("no such file"),
        std::io::ErrorKind::PermissionDenied => String::from("permission denied"),
        _ => e.to_string(),
    }
}
