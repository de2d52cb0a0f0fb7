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

/// Refuses an image already decoded elsewhere (the clipboard's, which
/// arboard decodes itself) when it is beyond the limits [`load_image`]
/// applies to files: at most [`MAX_DIMENSION`] a side and [`MAX_ALLOC`]
/// bytes of RGBA, checked before any copy or conversion is made.
pub fn check_decoded_size(width: usize, height: usize) -> Result<(), ImportError> {
    let rgba = (width as u64)
        .saturating_mul(height as u64)
        .saturating_mul(4);
    if width as u64 > u64::from(MAX_DIMENSION)
        || height as u64 > u64::from(MAX_DIMENSION)
        || rgba > MAX_ALLOC
    {
        return Err(ImportError::ImageTooLarge(format!(
            "the image is {width}x{height} pixels: at most {MAX_DIMENSION}x{MAX_DIMENSION} pixels and {} MiB are read",
            MAX_ALLOC >> 20
        )));
    }
    Ok(())
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

    #[test]
    fn decoded_images_beyond_the_file_limits_are_refused() {
        assert!(check_decoded_size(1920, 1080).is_ok());
        assert!(check_decoded_size(8192, 8192).is_ok());
        assert!(check_decoded_size(16_385, 10).is_err());
        assert!(check_decoded_size(10, 16_385).is_err());
        // Within the sides but over the memory bound (16384² RGBA is 1 GiB).
        assert!(check_decoded_size(16_384, 16_384).is_err());
        assert!(check_decoded_size(usize::MAX, usize::MAX).is_err());
    }
}
