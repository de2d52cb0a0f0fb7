//! The formats Tessera reads, and the limits of one input.

use std::fmt;

/// Largest file read by [`super::read`], in bytes.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;
/// Most entries read from one file.
pub const MAX_ENTRIES: usize = 10_000;

/// The formats [`super::read`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Text of `otpauth://` (and `otpauth-migration://`) links.
    OtpauthUris,
    /// Ente Auth's plain text export (otpauth links with `codeDisplay`).
    EnteAuth,
    /// Google Authenticator "Transfer accounts" QR codes (or other QR images).
    QrImage,
    /// Aegis vault JSON.
    Aegis,
    /// 2FAS Authenticator backup (`.2fas`).
    TwoFas,
    /// andOTP JSON backup.
    AndOtp,
    /// Bitwarden JSON export.
    Bitwarden,
    /// FreeOTP+ JSON export.
    FreeOtpPlus,
    /// Proton Authenticator JSON export.
    ProtonAuthenticator,
    /// Authenticator Pro (Stratum) unencrypted backup.
    AuthenticatorPro,
    /// A plain Steam Desktop Authenticator account file (`.maFile`).
    SteamDesktopAuthenticator,
    /// Tessera's own encrypted backup.
    TesseraBackup,
}

impl Format {
    /// A name for messages: "Aegis vault", "2FAS backup", ...
    pub fn name(self) -> &'static str {
        match self {
            Self::OtpauthUris => "otpauth link list",
            Self::EnteAuth => "Ente Auth text export",
            Self::QrImage => "QR code image",
            Self::Aegis => "Aegis vault",
            Self::TwoFas => "2FAS backup",
            Self::AndOtp => "andOTP backup",
            Self::Bitwarden => "Bitwarden export",
            Self::FreeOtpPlus => "FreeOTP+ export",
            Self::ProtonAuthenticator => "Proton Authenticator export",
            Self::AuthenticatorPro => "Authenticator Pro backup",
            Self::SteamDesktopAuthenticator => "Steam Desktop Authenticator .maFile",
            Self::TesseraBackup => "Tessera backup",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `detect` found, before any decryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub format: Format,
    /// Whether a backup password is needed to read the accounts.
    pub encrypted: bool,
}
