//! The caps on hostile input, each checked on both sides of its bound
//! with inputs made here: the 32 MiB file cap, the entry cap of backup
//! files, the 16,384-pixel side of images.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use image::{GrayImage, ImageFormat};
use serde_json::json;
use tessera::error::{ErrorCode, ImportError};
use tessera::import::file::read_bounded;
use tessera::import::image::{MAX_DIMENSION, MAX_FILE_BYTES, load_image};
use tessera::import::{self, BackupError, Format, MAX_ENTRIES, MAX_IMPORT_BYTES, Options};

const MIB: usize = 1024 * 1024;

#[test]
fn the_caps_are_the_documented_figures() {
    // README: 32 MiB files and 16384 pixels a side; 10,000 entries a file.
    assert_eq!(MAX_IMPORT_BYTES, 32 * MIB);
    assert_eq!(MAX_FILE_BYTES, 32 * MIB as u64);
    assert_eq!(MAX_ENTRIES, 10_000);
    assert_eq!(MAX_DIMENSION, 16_384);
}

#[test]
fn backup_files_over_32_mib_are_refused_unread() {
    // Zero bytes: at the cap, read and refused for what they are.
    let at_cap = vec![0u8; 32 * MIB];
    let err = import::read(&at_cap, &Options::with_password(None)).unwrap_err();
    assert!(matches!(err, BackupError::UnknownFormat(_)), "{err:?}");
    // One byte more: refused for the size.
    let over = vec![0u8; 32 * MIB + 1];
    let err = import::read(&over, &Options::with_password(None)).unwrap_err();
    assert!(matches!(err, BackupError::TooLarge(32)), "{err:?}");
}

#[test]
fn files_over_32_mib_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.png");
    // A sparse file: its size is known without writing 32 MiB.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(32 * MIB as u64 + 1).unwrap();
    let err = read_bounded(&path).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ImageTooLarge, "{err}");
    file.set_len(32 * MIB as u64).unwrap();
    assert_eq!(read_bounded(&path).unwrap().len(), 32 * MIB);
    // Image bytes over the cap are refused before decoding.
    let err = load_image(&vec![0u8; 32 * MIB + 1]).unwrap_err();
    assert!(matches!(err, ImportError::ImageTooLarge(_)), "{err}");
}

/// A plain Aegis vault of `n` TOTP entries.
fn aegis_with(n: usize) -> Vec<u8> {
    let entries: Vec<_> = (0..n)
        .map(|i| {
            json!({"type": "totp", "uuid": format!("00000000-0000-4000-8000-{i:012}"),
                   "name": format!("user{i}"), "issuer": "Issuer", "icon": null,
                   "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}})
        })
        .collect();
    serde_json::to_vec(
        &json!({"version": 1, "header": {"slots": null, "params": null},
                               "db": {"version": 2, "entries": entries}}),
    )
    .unwrap()
}

/// A plain andOTP backup of `n` entries.
fn andotp_with(n: usize) -> Vec<u8> {
    let entries: Vec<_> = (0..n)
        .map(|i| {
            json!({"secret": "JBSWY3DPEHPK3PXP", "issuer": "Issuer", "label": format!("user{i}"),
                   "digits": 6, "type": "TOTP", "algorithm": "SHA1", "period": 30})
        })
        .collect();
    serde_json::to_vec(&entries).unwrap()
}

#[test]
fn backup_files_over_max_entries_are_refused() {
    for (format, make) in [
        (Format::Aegis, aegis_with as fn(usize) -> Vec<u8>),
        (Format::AndOtp, andotp_with),
    ] {
        let report = import::read(&make(MAX_ENTRIES), &Options::with_password(None)).unwrap();
        assert_eq!(report.format, Some(format));
        // The same key under other names: every entry is read.
        assert_eq!(report.accounts.len(), MAX_ENTRIES, "{format:?}");
        let err = import::read(&make(MAX_ENTRIES + 1), &Options::with_password(None)).unwrap_err();
        assert!(
            matches!(&err, BackupError::Malformed { format: f, reason } if *f == format && reason == "too many entries"),
            "{format:?}: {err:?}"
        );
    }
}

/// A grey PNG of `width` × `height` white pixels, encoded here.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    GrayImage::from_pixel(width, height, image::Luma([255]))
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn images_wider_or_taller_than_16384_pixels_are_refused() {
    for (w, h) in [(16_384, 1), (1, 16_384)] {
        let image = load_image(&png(w, h)).unwrap();
        assert_eq!((image.width(), image.height()), (w, h));
    }
    for (w, h) in [(16_385, 1), (1, 16_385)] {
        let bytes = png(w, h);
        assert!(bytes.len() < 64 * 1024, "a small file: {}", bytes.len());
        let err = load_image(&bytes).unwrap_err();
        assert!(
            matches!(err, ImportError::ImageTooLarge(_)),
            "{w}x{h}: {err}"
        );
        // Through the scan as a whole: the same refusal, with its code.
        let report = import::read(&bytes, &Options::links_only(Some("big.png"))).unwrap();
        assert!(report.accounts.is_empty());
        assert_eq!(
            report
                .errors
                .iter()
                .map(|e| e.error.code())
                .collect::<Vec<_>>(),
            [ErrorCode::ImageTooLarge],
            "{w}x{h}"
        );
    }
}
