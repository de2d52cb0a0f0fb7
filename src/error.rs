//! Typed errors of the core and their stable machine-readable codes.
//!
//! Every message names the field and the problem in words a user
//! understands. No message ever contains a secret: errors describe positions
//! and lengths, never key material.

use std::fmt;

use serde::Serialize;

/// The stable error codes of the `tessera scan --json` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NoQr,
    NotOtpauth,
    InvalidSecret,
    MissingSecret,
    UnsupportedDigits,
    UnsupportedAlgorithm,
    InvalidPeriod,
    InvalidCounter,
    UnsupportedType,
    InvalidMigration,
    CorruptImage,
    ImageTooLarge,
    UnreadableFile,
    /// An otpauth link names a parameter twice.
    DuplicateParameter,
    /// The same account appears twice in one input (a skipped entry).
    Duplicate,
}

impl ErrorCode {
    /// The code as written in JSON (`"invalid_secret"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoQr => "no_qr",
            Self::NotOtpauth => "not_otpauth",
            Self::InvalidSecret => "invalid_secret",
            Self::MissingSecret => "missing_secret",
            Self::UnsupportedDigits => "unsupported_digits",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::InvalidPeriod => "invalid_period",
            Self::InvalidCounter => "invalid_counter",
            Self::UnsupportedType => "unsupported_type",
            Self::InvalidMigration => "invalid_migration",
            Self::CorruptImage => "corrupt_image",
            Self::ImageTooLarge => "image_too_large",
            Self::UnreadableFile => "unreadable_file",
            Self::DuplicateParameter => "duplicate_parameter",
            Self::Duplicate => "duplicate",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an input could not become an account.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("no QR code was found in the image")]
    NoQr,
    #[error("{0}")]
    NotOtpauth(String),
    #[error("the secret key is not valid: {0}")]
    InvalidSecret(String),
    #[error("the secret key is missing or empty")]
    MissingSecret,
    #[error("unsupported number of digits {0}: codes must have 6, 7 or 8 digits")]
    UnsupportedDigits(String),
    #[error("unsupported algorithm {0}: use SHA1, SHA256 or SHA512")]
    UnsupportedAlgorithm(String),
    #[error("invalid period {0}: the period must be a whole number of seconds from 1 to 300")]
    InvalidPeriod(String),
    #[error(
        "invalid counter {0}: the HOTP counter must be a whole number from 0 to 18446744073709551615"
    )]
    InvalidCounter(String),
    #[error("unsupported OTP type {0}: only totp, hotp and steam are supported")]
    UnsupportedType(String),
    #[error("duplicated parameter '{0}': it may appear only once")]
    DuplicateParameter(&'static str),
    #[error("invalid Google Authenticator export: {0}")]
    InvalidMigration(String),
    #[error("{0}")]
    CorruptImage(String),
    #[error("{0}")]
    ImageTooLarge(String),
    #[error("{0}")]
    UnreadableFile(String),
    /// An error about one account of a multi-account export.
    #[error("account {index} of the export: {source}")]
    InExport {
        index: usize,
        source: Box<ImportError>,
    },
}

impl ImportError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NoQr => ErrorCode::NoQr,
            Self::NotOtpauth(_) => ErrorCode::NotOtpauth,
            Self::InvalidSecret(_) => ErrorCode::InvalidSecret,
            Self::MissingSecret => ErrorCode::MissingSecret,
            Self::UnsupportedDigits(_) => ErrorCode::UnsupportedDigits,
            Self::UnsupportedAlgorithm(_) => ErrorCode::UnsupportedAlgorithm,
            Self::InvalidPeriod(_) => ErrorCode::InvalidPeriod,
            Self::InvalidCounter(_) => ErrorCode::InvalidCounter,
            Self::UnsupportedType(_) => ErrorCode::UnsupportedType,
            Self::DuplicateParameter(_) => ErrorCode::DuplicateParameter,
            Self::InvalidMigration(_) => ErrorCode::InvalidMigration,
            Self::CorruptImage(_) => ErrorCode::CorruptImage,
            Self::ImageTooLarge(_) => ErrorCode::ImageTooLarge,
            Self::UnreadableFile(_) => ErrorCode::UnreadableFile,
            Self::InExport { source, .. } => source.code(),
        }
    }
}

/// Shows a user-supplied value in an error message: quoted when it is
/// short (at most [`MAX_QUOTED`] characters, no control characters),
/// otherwise only its length, so an error never echoes a key that was
/// typed or pasted into the wrong place.
pub(crate) fn quoted(value: &str) -> String {
    let n = value.chars().count();
    if n <= MAX_QUOTED && !value.chars().any(char::is_control) {
        format!("'{value}'")
    } else {
        format!("({})", described(value))
    }
}

/// Longest input value an error quotes: a digits count, a period, an
/// algorithm or type name. Anything longer could be a key (or hold one)
/// and is described by its length only.
pub(crate) const MAX_QUOTED: usize = 6;

/// An input described without quoting it: its length.
pub(crate) fn described(value: &str) -> String {
    match value.chars().count() {
        1 => String::from("1 character, not shown"),
        n => format!("{n} characters, not shown"),
    }
}
