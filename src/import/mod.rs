//! One way in: every source (a file, a dropped file, a paste, the
//! clipboard, the screen, standard input, a link given as an argument)
//! becomes bytes, and [`read`] turns bytes into one [`Report`]: the accounts
//! (each labelled), the entries skipped (duplicates within the input,
//! foreign QR codes beside accounts) and the refusals with their reasons
//! (for example an OTP type Tessera does not compute, such as mOTP). Pure
//! functions over bytes; nothing reads the clock.
//!
//! The format is recognised once, from the content, never from the file
//! name ([`detect`]):
//!
//! | format | recognised by |
//! | --- | --- |
//! | Tessera backup | the `TSRBACKP` magic |
//! | Aegis vault, plain or encrypted (scrypt + AES-256-GCM password slots) | JSON with `version`, `header`, `db` |
//! | 2FAS backup, schemas 1–4, plain or encrypted (PBKDF2-SHA256 + AES-GCM) | JSON with `schemaVersion` and `services` |
//! | andOTP, plain JSON | a JSON array of entries with `secret` and `type` |
//! | andOTP, encrypted (new: PBKDF2-SHA1 header; old: SHA-256 key) | any other binary file (andOTP has no magic) |
//! | Bitwarden export, JSON or CSV | JSON with `items` (`login.totp`); CSV with a `login_totp` column |
//! | FreeOTP+ JSON | JSON with `tokens` |
//! | Proton Authenticator | JSON with `entries[].content.uri` |
//! | Authenticator Pro (Stratum), unencrypted | JSON with `Authenticators` |
//! | Steam Desktop Authenticator `.maFile`, plain | JSON with `shared_secret` |
//! | otpauth URI lists, Ente Auth plain text | text with `otpauth://` lines |
//! | Google Authenticator export QR images | image bytes (PNG, JPEG, ...) |
//!
//! Recognised but refused with advice ([`BackupError::Unsupported`]):
//! encrypted Authenticator Pro, Ente Auth and Bitwarden exports, encrypted
//! Steam Desktop Authenticator `.maFile` files (Base64 text of whole AES
//! blocks) and its `manifest.json`, and XML app-data dumps (Authy, FreeOTP).
//!
//! A file that fails to decrypt or to parse imports nothing: the error names
//! the format that was expected. A wrong password is its own error
//! ([`BackupError::WrongPassword`]). Key-derivation parameters read from a
//! file are bounded before they run (see [`crypto`]).
//!
//!
//! With [`Options::links_only`] (the `scan` contract) only QR images and
//! text of links are read, and nothing fails as a whole: problems are
//! entries of [`Report::errors`].
//!
//! Layout: [`detect`] (formats), [`text`] (links, bare keys, foreign text),
//! [`image`] (bounded image loading), [`qr`] (decode pipeline),
//! [`file`] (bounded reads), `desktop` (clipboard and screen), [`apps`]
//! (other apps' formats), [`crypto`] and `json` (helpers they share).

pub mod apps;
#[cfg(feature = "desktop")]
mod clipboard;
pub mod crypto;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod detect;
pub mod error;
pub mod file;
pub mod format;
pub mod image;
mod json;
pub mod qr;
pub mod report;
pub mod text;

use std::path::Path;

use ::image::GrayImage;

pub use detect::detect;
pub use error::BackupError;
pub use format::{Detected, Format, MAX_ENTRIES, MAX_IMPORT_BYTES};
pub use report::{
    BatchMark, MissingBatch, Refused, Report, Skipped, already_present, missing_batches,
};

use self::image::Sniffed;
use crate::error::ImportError;
use apps::{aegis, andotp, authpro, bitwarden, csv, freeotp, proton, steam, tessera, twofas};

/// How [`read`] reads its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The backup password, used only by encrypted formats (an unused
    /// password is not an error).
    pub password: Option<&'a str>,
    /// The file name, if any: only used to word errors (a text file named
    /// `.png` is reported as a corrupt image).
    pub name: Option<&'a str>,
    /// Read only QR images and text of links (`tessera scan`); never fail
    /// as a whole.
    pub links_only: bool,
}

impl<'a> Options<'a> {
    /// Options with a backup password.
    pub fn with_password(password: Option<&'a str>) -> Self {
        Self {
            password,
            ..Self::default()
        }
    }

    /// Options of `tessera scan`, the clipboard and the screen.
    pub fn links_only(name: Option<&'a str>) -> Self {
        Self {
            name,
            links_only: true,
            ..Self::default()
        }
    }
}

/// Reads the accounts of any input: a backup or export file, a QR image,
/// a text of links. Fails as a whole (nothing is read) when the file cannot
/// be decrypted or parsed; [`BackupError::PasswordRequired`] and
/// [`BackupError::WrongPassword`] tell a front end to ask for a password.
pub fn read(bytes: &[u8], options: &Options<'_>) -> Result<Report, BackupError> {
    if options.links_only {
        return Ok(read_links(bytes, options.name));
    }
    let detected = detect(bytes)?;
    let password = options.password;
    let need = |format| password.ok_or(BackupError::PasswordRequired(format));
    let report = match detected.format {
        Format::TesseraBackup => tessera::import(bytes, need(Format::TesseraBackup)?)?,
        Format::QrImage => {
            let report = read_image(bytes);
            if report.accounts.is_empty() && report.batches.is_empty() {
                // Nothing readable: the image error is the whole answer.
                let reason = report
                    .errors
                    .first()
                    .map(|r| r.error.to_string())
                    .unwrap_or_else(|| String::from("no QR code was found in the image"));
                return Err(BackupError::Malformed {
                    format: Format::QrImage,
                    reason,
                });
            }
            report
        }
        Format::OtpauthUris | Format::EnteAuth => {
            let text = String::from_utf8_lossy(bytes);
            let mut report = text::parse_text(&text).unwrap_or_default();
            report.format = Some(detected.format);
            report
        }
        Format::AndOtp if detected.encrypted => {
            andotp::import_encrypted(bytes, need(Format::AndOtp)?)?
        }
        Format::Aegis
        | Format::TwoFas
        | Format::AndOtp
        | Format::Bitwarden
        | Format::FreeOtpPlus
        | Format::ProtonAuthenticator
        | Format::AuthenticatorPro
        | Format::SteamDesktopAuthenticator => {
            let text = std::str::from_utf8(bytes).map_err(|_| BackupError::Malformed {
                format: detected.format,
                reason: String::from("the file is not UTF-8 text"),
            })?;
            let text = text.trim_start_matches('\u{feff}');
            match detected.format {
                Format::Aegis => aegis::import(text, password)?,
                Format::TwoFas => twofas::import(text, password)?,
                Format::AndOtp => andotp::import_plain(text.as_bytes(), false)?,
                Format::Bitwarden if csv::is_bitwarden_csv(text) => {
                    csv::import_bitwarden_csv(text)?
                }
                Format::Bitwarden => bitwarden::import_bitwarden(text)?,
                Format::FreeOtpPlus => freeotp::import_freeotp_plus(text)?,
                Format::AuthenticatorPro => authpro::import_stratum(text)?,
                Format::SteamDesktopAuthenticator => steam::import_mafile(text)?,
                _ => proton::import_proton(text)?,
            }
        }
    };
    Ok(report)
}

/// Reads a file (bounded, see [`file::read_bounded`]) and then [`read`]s
/// it, with the file name as the name hint. With
/// [`Options::links_only`] an unreadable file is an error of the report.
pub fn read_file(path: &Path, options: &Options<'_>) -> Result<Report, BackupError> {
    let name = path.file_name().and_then(|n| n.to_str());
    let options = Options {
        name: options.name.or(name),
        ..*options
    };
    match file::read_bounded(path) {
        Ok(bytes) => read(&bytes, &options),
        Err(e) if options.links_only => Ok(Report::failed(e)),
        Err(e) => Err(BackupError::Unreadable(e.to_string())),
    }
}

/// Every account of the QR codes of an image file's bytes.
fn read_image(bytes: &[u8]) -> Report {
    match self::image::load_image(bytes) {
        Ok(decoded) => read_lumas(&[self::image::into_luma(decoded)]),
        Err(e) => Report::failed(e),
    }
}

/// Every account of the QR codes of grey images (an image file, the
/// clipboard, every monitor): payloads read once each; foreign codes
/// beside an account are skipped; no code at all is [`ImportError::NoQr`].
pub fn read_lumas(images: &[GrayImage]) -> Report {
    let mut payloads: Vec<String> = Vec::new();
    for luma in images {
        for p in qr::decode_luma(luma) {
            if !payloads.contains(&p) {
                payloads.push(p);
            }
        }
    }
    let mut report = Report::new(Format::QrImage, false);
    if payloads.is_empty() {
        report.push(String::new(), Err(ImportError::NoQr));
        return report;
    }
    for payload in payloads {
        report.merge(text::parse_payload(&payload), "QR code");
    }
    report.skip_foreign_beside_accounts();
    report
}

/// The `scan` contract: a QR image or a text of links.
fn read_links(bytes: &[u8], name: Option<&str>) -> Report {
    match self::image::sniff(bytes) {
        Sniffed::Image(_) | Sniffed::OtherImage(_) => read_image(bytes),
        Sniffed::Text if !bytes.is_empty() => {
            let text = String::from_utf8_lossy(bytes);
            let text = text.trim_start_matches('\u{feff}');
            match text::parse_text(text) {
                Some(found) => found,
                None if named_like_image(name) => {
                    Report::failed(ImportError::CorruptImage(String::from(
                        "the file is named like an image but holds text without any otpauth:// link",
                    )))
                }
                None => Report::failed(ImportError::NotOtpauth(text::describe_foreign(text))),
            }
        }
        Sniffed::Text | Sniffed::Binary => match self::image::load_image(bytes) {
            // Empty or unrecognised bytes: the image loader words the error.
            Err(e) => Report::failed(e),
            Ok(_) => Report::default(),
        },
    }
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
