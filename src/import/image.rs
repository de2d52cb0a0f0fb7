//! Images as hostile input: format sniffing and bounded decoding.
//!
//! Images are hostile input: the format is detected from the bytes, only
//! the decoders Tessera needs are built, and `image::Limits` refuses a
//! header that claims a huge size before anything is allocated.

use std::cell::Cell;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use image::{DynamicImage, GrayImage, ImageFormat, ImageReader, Limits};

use crate::error::ImportError;

/// Largest image file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Largest width or height accepted, in pixels.
pub const MAX_DIMENSION: u32 = 16_384;
/// Most memory the decoder may allocate, in bytes.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// What a file's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// An image format Tessera decodes.
    Image(ImageFormat),
    /// An image format Tessera does not decode (TIFF, ICO, ...).
    OtherImage(ImageFormat),
    /// UTF-8 text.
    Text,
    /// Anything else.
    Binary,
}

/// Detects the kind of a file from its first bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    match image::guess_format(bytes) {
        Ok(
            format @ (ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::Gif
            | ImageFormat::Bmp
            | ImageFormat::WebP),
        ) => Sniffed::Image(format),
        Ok(other) => Sniffed::OtherImage(other),
        Err(_) if std::str::from_utf8(bytes).is_ok() => Sniffed::Text,
        Err(_) => Sniffed::Binary,
    }
}

/// Decodes an image file's bytes with size limits.
pub fn load_image(bytes: &[u8]) -> Result<DynamicImage, ImportError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::ImageTooLarge(format!(
            "the image file is {} bytes; at most {MAX_FILE_BYTES} are read",
            bytes.len()
        )));
    }
    let format = match sniff(bytes) {
        Sniffed::Image(format) => format,
        Sniffed::OtherImage(format) => {
            return Err(ImportError::CorruptImage(format!(
                "{format:?} images are not supported: use PNG, JPEG, GIF, BMP or WebP"
            )));
        }
        Sniffed::Text | Sniffed::Binary if bytes.is_empty() => {
            return Err(ImportError::CorruptImage(String::from("the file is empty")));
        }
        Sniffed::Text | Sniffed::Binary => {
            return Err(ImportError::CorruptImage(String::from(
                "the file is not an image (PNG, JPEG, GIF, BMP or WebP)",
            )));
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let decoded = guarded(|| reader.decode()).ok_or_else(|| {
        ImportError::CorruptImage(format!(
            "the {format:?} image is damaged (its decoder failed)"
        ))
    })?;
    decoded.map_err(|e| match e {
        image::ImageError::Limits(_) => ImportError::ImageTooLarge(format!(
            "the image is too large to decode (at most {MAX_DIMENSION}x{MAX_DIMENSION} pixels and {} MiB)",
            MAX_ALLOC >> 20
        )),
        other => ImportError::CorruptImage(format!(
            "the {format:?} image is damaged or truncated ({other})"
        )),
    })
}

/// Grey levels of an image, with transparent pixels composited over
/// white (a transparent background often hides black RGB values).
pub fn to_luma(image: &DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return image.to_luma8();
    }
    let la = image.to_luma_alpha8();
    GrayImage::from_fn(la.width(), la.height(), |x, y| {
        let p = la.get_pixel(x, y);
        let (l, a) = (u32::from(p[0]), u32::from(p[1]));
        image::Luma([((l * a + 255 * (255 - a) + 127) / 255) as u8])
    })
}

/// [`to_luma`], without a copy when the image is already 8-bit grey.
pub fn into_luma(image: DynamicImage) -> GrayImage {
    match image {
        DynamicImage::ImageLuma8(luma) => luma,
        other => to_luma(&other),
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs a third-party decoder, turning a panic into `None` without the
/// panic message (a malformed symbol must not crash or alarm the user).
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f)).ok();
    QUIET.with(|q| q.set(false));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CRC-32 (ISO-HDLC) of PNG chunks, written out so the test does not
    /// depend on the encoder under test.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A PNG declaring `width`x`height` RGBA with no pixel data: what
    /// a decompression bomb looks like to the decoder before it allocates.
    fn png_declaring(width: u32, height: u32) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        out.extend_from_slice(&13u32.to_be_bytes());
        out.extend_from_slice(&ihdr);
        out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // The start of a zlib stream: the decoder reads up to the first
        // IDAT before it reports the size.
        out.extend_from_slice(&2u32.to_be_bytes());
        out.extend_from_slice(b"IDAT\x78\x9c");
        out.extend_from_slice(&crc32(b"IDAT\x78\x9c").to_be_bytes());
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(b"IEND");
        out.extend_from_slice(&crc32(b"IEND").to_be_bytes());
        out
    }

    #[test]
    fn images_beyond_the_limits_are_refused_before_decoding() {
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        // Over the memory bound within the sides (16384² RGBA is 1 GiB),
        // and over the side limit: both refused as too large, not damaged.
        for (w, h) in [(16_384, 16_384), (16_385, 10), (10, 16_385)] {
            let err = load_image(&png_declaring(w, h)).unwrap_err();
            assert_eq!(
                err.code(),
                crate::error::ErrorCode::ImageTooLarge,
                "{w}x{h}"
            );
        }
        // The same header at a sane size is only truncated.
        let err = load_image(&png_declaring(64, 64)).unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::CorruptImage);
    }
}
