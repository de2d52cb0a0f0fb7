//! QR codes in images: every distinct payload an image holds, read by the
//! steps of [`decode`] (each bounded, see there).

use image::GrayImage;

use super::image::{into_luma, load_image};
use crate::error::ImportError;

pub mod budget;
pub mod decode;
mod finder;

pub use budget::Budget;
pub use decode::{Decoded, decode_with};

/// Every distinct QR payload in a grey image, in reading order (see
/// [`decode`] for the steps tried).
pub fn decode_luma(luma: &GrayImage) -> Vec<String> {
    decode::decode(luma)
}

/// Every distinct QR payload in an image file's bytes; [`ImportError::NoQr`]
/// when there is none.
pub fn decode_bytes(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    let luma = into_luma(load_image(bytes)?);
    let payloads = decode_luma(&luma);
    if payloads.is_empty() {
        return Err(ImportError::NoQr);
    }
    Ok(payloads)
}
