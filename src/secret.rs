//! Secret bytes and the Base32 text people type, paste and scan.
//!
//! A [`Secret`] zeroizes its bytes when dropped and never shows them in
//! `Debug`. [`Secret::from_base32`] is tolerant of the ways keys are written
//! (lowercase, spaces, dashes, `=` padding) but refuses anything that is not
//! Base32, with a message that never repeats the key itself.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::ImportError;

/// Shortest secret accepted, in bytes. RFC 4226 asks for 128 bits, but many
/// services issue 80-bit keys, and a key the issuer produced is never refused
/// for being short; one byte is the only hard floor.
pub const MIN_SECRET_BYTES: usize = 1;
/// Longest secret accepted, in bytes (HMAC-SHA-512 keys are 64 bytes).
pub const MAX_SECRET_BYTES: usize = 128;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The raw key of an account. Zeroized on drop; `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps raw key bytes, checking the length bounds.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, ImportError> {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() < MIN_SECRET_BYTES {
            return Err(ImportError::MissingSecret);
        }
        if bytes.len() > MAX_SECRET_BYTES {
            return Err(ImportError::InvalidSecret(format!(
                "the key is {} bytes long; at most {MAX_SECRET_BYTES} are supported",
                bytes.len()
            )));
        }
        Ok(Self(bytes))
    }

    /// Decodes Base32 as people write it: case-insensitive, with spaces,
    /// tabs, newlines and dashes ignored, and optional `=` padding.
    pub fn from_base32(text: &str) -> Result<Self, ImportError> {
        Self::from_bytes(decode_base32(text)?.to_vec())
    }

    /// The key bytes. Handle with care: never log or print them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Uppercase RFC 4648 Base32 without padding.
    pub fn to_base32(&self) -> String {
        encode_base32(&self.0)
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key is empty (never true for a constructed secret).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([redacted; {} bytes])", self.0.len())
    }
}

/// Uppercase RFC 4648 Base32 without padding.
pub fn encode_base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Tolerant Base32 decoding (see [`Secret::from_base32`]).
///
/// Errors name the position of the first bad character, never the key.
pub fn decode_base32(text: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let mut symbols: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut padding_started = false;
    for (index, ch) in text.chars().enumerate() {
        let position = index + 1;
        if ch.is_whitespace() || ch == '-' {
            continue;
        }
        if ch == '=' {
            padding_started = true;
            continue;
        }
        if padding_started {
            return Err(ImportError::InvalidSecret(format!(
                "character {position} comes after '=' padding; padding may only end the key"
            )));
        }
        let upper = ch.to_ascii_uppercase();
        let value = match upper {
            'A'..='Z' => upper as u8 - b'A',
            '2'..='7' => upper as u8 - b'2' + 26,
            '0' | '1' | '8' | '9' => {
                return Err(ImportError::InvalidSecret(format!(
                    "character {position} is the digit {ch}, which Base32 does not use \
                     (keys use A-Z and 2-7: 0 is usually O, 1 is I or L, 8 is B)"
                )));
            }
            _ => {
                return Err(ImportError::InvalidSecret(format!(
                    "character {position} is not a Base32 letter (keys use A-Z and 2-7)"
                )));
            }
        };
        symbols.push(value);
    }
    if symbols.is_empty() {
        return Err(ImportError::MissingSecret);
    }
    // Valid unpadded lengths leave 0, 2, 4, 5 or 7 symbols in the last group.
    if matches!(symbols.len() % 8, 1 | 3 | 6) {
        return Err(ImportError::InvalidSecret(format!(
            "{} Base32 characters is not a possible key length (a character may be missing or extra)",
            symbols.len()
        )));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(symbols.len() * 5 / 8));
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for &value in symbols.iter() {
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ];
        for (raw, text) in cases {
            assert_eq!(encode_base32(raw), text);
            if !raw.is_empty() {
                assert_eq!(decode_base32(text).unwrap().as_slice(), raw);
            }
        }
    }

    #[test]
    fn tolerant_forms_decode_alike() {
        let want = decode_base32("JBSWY3DPEHPK3PXP").unwrap();
        for text in [
            "jbsw y3dp-ehpk 3pxp",
            "JBSW-Y3DP-EHPK-3PXP",
            "\t jbswy3dpehpk3pxp \n",
            "JBSWY3DPEHPK3PXP======",
        ] {
            assert_eq!(decode_base32(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn refusals_are_specific_and_do_not_echo_the_key() {
        let err = decode_base32("0189!").unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::InvalidSecret);
        assert!(err.to_string().contains("character 1"));
        assert!(!err.to_string().contains("0189"));
        let err = decode_base32("NO4ITLHBE").unwrap_err();
        assert!(err.to_string().contains("9 Base32 characters"));
        assert_eq!(decode_base32("  ").unwrap_err(), ImportError::MissingSecret);
        assert!(decode_base32("AB=CD").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let s = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("JBSW"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn length_bounds() {
        assert!(Secret::from_bytes(vec![7; MAX_SECRET_BYTES]).is_ok());
        assert!(Secret::from_bytes(vec![7; MAX_SECRET_BYTES + 1]).is_err());
        assert_eq!(
            Secret::from_bytes(vec![]).unwrap_err(),
            ImportError::MissingSecret
        );
    }
}
