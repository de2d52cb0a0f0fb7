//! Reading accounts out of a source: image bytes, text, or a file.

use std::io::Read;
use std::path::Path;

use crate::error::ImportError;
use crate::input::{self, Extracted};
use crate::qr::{self, Sniffed};

/// Largest text read from a file or standard input, in bytes.
pub const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// Extracts accounts from a file's bytes: an image (format detected from
/// the bytes) or a text of otpauth links. `name` (a file name, if any) is
/// only used to word errors: a text file named `.png` is reported as a
/// corrupt image rather than as text without links.
pub fn scan_bytes(bytes: &[u8], name: Option<&str>) -> Extracted {
    let mut out = Extracted::default();
    match qr::sniff(bytes) {
        Sniffed::Image(_) | Sniffed::OtherImage(_) => match qr::decode_bytes(bytes) {
            Ok(payloads) => {
                for payload in payloads {
                    out.merge(input::parse_payload(&payload));
                }
            }
            Err(e) => out.errors.push(e),
        },
        Sniffed::Text if !bytes.is_empty() => {
            let text = String::from_utf8_lossy(bytes);
            let text = text.trim_start_matches('\u{feff}');
            match input::parse_text(text) {
                Some(found) => out = found,
                None if named_like_image(name) => out.errors.push(ImportError::CorruptImage(
                    String::from("the file is named like an image but holds text without any otpauth:// link"),
                )),
                None => out.errors.push(ImportError::NotOtpauth(input::describe_foreign(text))),
            }
        }
        Sniffed::Text | Sniffed::Binary => {
            // Empty or unrecognised bytes: the image loader words the error.
            if let Err(e) = qr::load_image(bytes) {
                out.errors.push(e);
            }
        }
    }
    out
}

fn named_like_image(name: Option<&str>) -> bool {
    let Some(ext) = name
        .and_then(|n| Path::new(n).extension())
        .and_then(|e| e.to_str())
    else {
        return false;
    };
    [
        "png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff", "ico",
    ]
    .iter()
    .any(|known| ext.eq_ignore_ascii_case(known))
}

/// Reads a file (bounded) and extracts its accounts. Changes nothing on disk.
pub fn scan_file(path: &Path) -> Extracted {
    match read_bounded(path) {
        Ok(bytes) => scan_bytes(&bytes, path.file_name().and_then(|n| n.to_str())),
        Err(e) => Extracted {
            errors: vec![e],
            ..Extracted::default()
        },
    }
}

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
    if meta.len() > qr::MAX_FILE_BYTES {
        return Err(ImportError::ImageTooLarge(format!(
            "{shown} is {} MiB; at most {} MiB are read",
            meta.len() >> 20,
            qr::MAX_FILE_BYTES >> 20
        )));
    }
    read_limited(file, qr::MAX_FILE_BYTES)
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
