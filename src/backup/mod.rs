//! Moving between apps: importers of other authenticators' backups and
//! exporters to the formats other apps read. Pure functions over bytes: no
//! file is written here except by [`write_private`], and nothing reads the
//! clock.
//!
//! # Import
//!
//! [`import`] takes a file's bytes and an optional backup password and
//! returns an [`ImportReport`]: one [`Entry`] per account of the file, each
//! imported (a valid [`Account`]) or refused with the reason (for example
//! Steam tokens, which Tessera does not compute). The format is recognised
//! from the content, never from the file name ([`detect`]):
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
//! | otpauth URI lists, Ente Auth plain text | text with `otpauth://` lines |
//! | Google Authenticator export QR images | image bytes (PNG, JPEG, ...) |
//!
//! Recognised but refused with advice ([`BackupError::Unsupported`]):
//! encrypted Authenticator Pro, Ente Auth and Bitwarden exports, and XML
//! app-data dumps (Authy, FreeOTP).
//!
//! A file that fails to decrypt or to parse imports nothing: the error names
//! the format that was expected. A wrong password is its own error
//! ([`BackupError::WrongPassword`]). Key-derivation parameters read from a
//! file are bounded before they run (see [`crypto`]).
//!
//! # Export
//!
//! [`export`] writes `&[Account]` as one of [`ExportFormat`]: the Tessera
//! backup (encrypted, the default), Aegis plain or encrypted, an otpauth URI
//! list, Google Authenticator transfer QR codes (PNG, at most 10 accounts
//! each; accounts that format cannot carry are skipped and listed) or a
//! printable HTML page of QR codes. The Aegis export is exactly Aegis's
//! vault format (one password slot, scrypt N = 2^15, r = 8, p = 1), with
//! database version 2, which both Aegis and GNOME Authenticator read.
//!
//! # The Tessera backup format, version 1
//!
//! ```text
//! offset size
//!  0      8   magic "TSRBACKP"
//!  8      2   format version, u16 little-endian = 1
//! 10      1   KDF id: 1 = Argon2id (version 0x13)
//! 11      4   Argon2 memory in KiB, u32 LE   (read bound: 8 MiB ..= 1 GiB)
//! 15      4   Argon2 passes, u32 LE          (read bound: 1 ..= 20)
//! 19      4   Argon2 lanes, u32 LE           (read bound: 1 ..= 16)
//! 23     16   salt
//! 39     24   XChaCha20-Poly1305 nonce
//! 63      …   ciphertext, then the 16-byte Poly1305 tag
//! ```
//!
//! The key is Argon2id(password as UTF-8, salt) → 32 bytes, written with
//! m = 64 MiB, t = 3, p = 4 (RFC 9106's second recommended option). The
//! associated data of the AEAD is the whole 63-byte header, so any change to
//! the version, the KDF parameters, the salt or the nonce fails
//! authentication. Salt and nonce are fresh for every export. The plaintext
//! is UTF-8 JSON:
//!
//! ```json
//! {"version": 1, "accounts": [
//!   {"issuer": "ACME", "name": "me@example.com", "secret": "JBSWY3DPEHPK3PXP",
//!    "algorithm": "SHA1", "digits": 6, "type": "totp", "period": 30},
//!   {"issuer": null, "name": "x", "secret": "…", "algorithm": "SHA256",
//!    "digits": 8, "type": "hotp", "counter": 5}]}
//! ```
//!
//! A reader refuses a version it does not know and any parameter outside
//! the bounds without running the KDF.

pub mod crypto;

mod aegis;
mod andotp;
mod csv;
mod export;
mod json;
mod tessera;
mod twofas;

use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::account::{Account, Algorithm, Digits, OtpKind, Period};
use crate::error::{ImportError, quoted};
use crate::input::{self, BatchMark, Extracted};
use crate::qr::{self, Sniffed};
use crate::scan;
use crate::secret::Secret;

pub use export::{ExportFile, ExportFormat, Exported, Skipped, export};

/// Largest file read by [`import`], in bytes.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;
/// Most entries read from one file.
pub const MAX_ENTRIES: usize = 10_000;

/// The formats [`import`] recognises.
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
            Self::TesseraBackup => "Tessera backup",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What [`detect`] found, before any decryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub format: Format,
    /// Whether a backup password is needed to read the accounts.
    pub encrypted: bool,
}

/// Why a file could not be imported (nothing of it is) or an export failed.
/// No message holds a secret or a password.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the file is empty")]
    Empty,
    #[error("{0}")]
    Unreadable(String),
    #[error("the file is {0} MiB; at most 32 MiB are read")]
    TooLarge(usize),
    #[error("the file is not in a format Tessera can import: {0}")]
    UnknownFormat(String),
    #[error("{what} cannot be imported: {reason}")]
    Unsupported { what: String, reason: String },
    #[error("this {0} is encrypted: its backup password is needed")]
    PasswordRequired(Format),
    #[error("wrong password for this {0}{hint}", hint = wrong_password_hint(*.0))]
    WrongPassword(Format),
    #[error("the file looks like a {format} but could not be read: {reason}")]
    Malformed { format: Format, reason: String },
    #[error(
        "the {format} asks for key-derivation parameters beyond the accepted limits ({detail}); refusing to run them"
    )]
    KdfLimits { format: Format, detail: String },
    #[error("nothing to export: no account is given")]
    NothingToExport,
    #[error("a backup password is needed for this export format")]
    ExportPasswordRequired,
    #[error("the export could not be encrypted")]
    Encrypt,
    #[error("the system random generator failed: {0}")]
    Random(String),
    #[error("could not draw a QR code: {0}")]
    QrEncode(String),
    #[error("could not write the PNG image: {0}")]
    Image(String),
}

fn wrong_password_hint(format: Format) -> &'static str {
    match format {
        Format::AndOtp => {
            " (or the file is not an encrypted andOTP backup: such backups have no signature, so unrecognised binary files are tried as one)"
        }
        _ => "",
    }
}

/// One account of an imported file: imported, or refused with the reason.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `Issuer (name)` or a position such as `line 7`; never a secret.
    pub label: String,
    pub result: Result<Account, ImportError>,
}

/// The outcome of reading one file.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub format: Format,
    /// Whether the file was encrypted (and decrypted with the password).
    pub encrypted: bool,
    /// Every entry of the file, in file order.
    pub entries: Vec<Entry>,
    /// Google Authenticator export batch marks read from QR codes.
    pub batches: Vec<BatchMark>,
}

impl ImportReport {
    fn new(format: Format, encrypted: bool) -> Self {
        Self {
            format,
            encrypted,
            entries: Vec::new(),
            batches: Vec::new(),
        }
    }

    /// The accounts that were imported.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.entries.iter().filter_map(|e| e.result.as_ref().ok())
    }

    /// The refused entries with their reasons.
    pub fn refused(&self) -> impl Iterator<Item = (&str, &ImportError)> {
        self.entries
            .iter()
            .filter_map(|e| e.result.as_ref().err().map(|err| (e.label.as_str(), err)))
    }

    fn push(&mut self, label: String, result: Result<Account, ImportError>) {
        let label = match &result {
            Ok(account) => account.display_label(),
            Err(_) => label,
        };
        self.entries.push(Entry { label, result });
    }

    fn push_extracted(&mut self, extracted: Extracted, refusal_label: &str) {
        for account in extracted.accounts {
            self.push(String::new(), Ok(account));
        }
        for error in extracted.errors {
            self.push(refusal_label.to_string(), Err(explain(error)));
        }
        self.batches.extend(extracted.batches);
    }
}

/// Whether `account` is already among `existing` (the same token, whatever
/// its label): importing the same file twice adds nothing.
pub fn already_present(account: &Account, existing: &[Account]) -> bool {
    existing.iter().any(|e| e.same_token(account))
}

/// Parts of a Google Authenticator export that were not among the QR codes
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBatch {
    pub batch_id: i32,
    pub batch_size: i32,
    /// 0-based indexes of the missing QR codes.
    pub missing: Vec<i32>,
}

impl fmt::Display for MissingBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self.missing.iter().map(|i| (i + 1).to_string()).collect();
        write!(
            f,
            "the Google Authenticator export has {} QR codes, but code{} {} of {} {} not given",
            self.batch_size,
            if self.missing.len() == 1 { "" } else { "s" },
            shown.join(", "),
            self.batch_size,
            if self.missing.len() == 1 {
                "was"
            } else {
                "were"
            },
        )
    }
}

/// Checks the batch marks of every QR code read (across files) and lists
/// the parts of each export that are missing.
pub fn missing_batches<'a>(marks: impl IntoIterator<Item = &'a BatchMark>) -> Vec<MissingBatch> {
    let mut by_id: Vec<(i32, i32, Vec<i32>)> = Vec::new();
    for mark in marks {
        match by_id.iter_mut().find(|(id, _, _)| *id == mark.batch_id) {
            Some((_, size, seen)) => {
                *size = (*size).max(mark.batch_size);
                seen.push(mark.batch_index);
            }
            None => by_id.push((mark.batch_id, mark.batch_size, vec![mark.batch_index])),
        }
    }
    by_id
        .into_iter()
        .filter_map(|(batch_id, batch_size, seen)| {
            // A corrupt size is not trusted to allocate: cap at 1000 parts.
            let missing: Vec<i32> = (0..batch_size.clamp(0, 1000))
                .filter(|i| !seen.contains(i))
                .collect();
            (!missing.is_empty()).then_some(MissingBatch {
                batch_id,
                batch_size,
                missing,
            })
        })
        .collect()
}

/// Recognises the format of a file from its bytes, without decrypting.
pub fn detect(bytes: &[u8]) -> Result<Detected, BackupError> {
    let bytes = check_size(bytes)?;
    let plain = |format| {
        Ok(Detected {
            format,
            encrypted: false,
        })
    };
    if bytes.starts_with(tessera::MAGIC) {
        return Ok(Detected {
            format: Format::TesseraBackup,
            encrypted: true,
        });
    }
    if bytes.starts_with(b"AUTHENTICATORPRO") {
        return Err(BackupError::Unsupported {
            what: String::from("An encrypted Authenticator Pro (Stratum) backup"),
            reason: String::from(
                "Tessera does not decrypt this format; export an unencrypted backup or an otpauth link list from Authenticator Pro",
            ),
        });
    }
    if let Sniffed::Image(_) | Sniffed::OtherImage(_) = qr::sniff(bytes) {
        return plain(Format::QrImage);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        // andOTP encrypted backups have no signature: any other binary file
        // is tried as one.
        return Ok(Detected {
            format: Format::AndOtp,
            encrypted: true,
        });
    };
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.starts_with('{') || text.starts_with('[') {
        return json::detect(text);
    }
    if text.starts_with("<?xml") || text.starts_with('<') {
        return Err(BackupError::Unsupported {
            what: String::from("An XML file (such as an Authy or FreeOTP app-data dump)"),
            reason: String::from(
                "Tessera reads the export files of apps, not their internal data; export otpauth links from the app instead",
            ),
        });
    }
    if csv::is_bitwarden_csv(text) {
        return plain(Format::Bitwarden);
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("otpauth://") || lower.contains("otpauth-migration://") {
        if lower.contains("codedisplay=") {
            return plain(Format::EnteAuth);
        }
        return plain(Format::OtpauthUris);
    }
    Err(BackupError::UnknownFormat(input::describe_foreign(text)))
}

fn check_size(bytes: &[u8]) -> Result<&[u8], BackupError> {
    if bytes.is_empty() {
        return Err(BackupError::Empty);
    }
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(BackupError::TooLarge(bytes.len() >> 20));
    }
    Ok(bytes)
}

/// Reads the accounts of a backup or export file. `password` is used only
/// by encrypted formats (an unused password is not an error).
pub fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportReport, BackupError> {
    let detected = detect(bytes)?;
    let need = |format| password.ok_or(BackupError::PasswordRequired(format));
    let report = match detected.format {
        Format::TesseraBackup => tessera::import(bytes, need(Format::TesseraBackup)?)?,
        Format::QrImage => {
            let mut report = ImportReport::new(Format::QrImage, false);
            let extracted = scan::scan_bytes(bytes, None);
            if extracted.accounts.is_empty() && extracted.batches.is_empty() {
                // Nothing readable: the image error is the whole answer.
                let reason = extracted
                    .errors
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| String::from("no QR code was found in the image"));
                return Err(BackupError::Malformed {
                    format: Format::QrImage,
                    reason,
                });
            }
            report.push_extracted(extracted, "QR code");
            report
        }
        Format::OtpauthUris | Format::EnteAuth => {
            let text = String::from_utf8_lossy(bytes);
            import_uri_text(detected.format, &text)
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
        | Format::AuthenticatorPro => {
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
                Format::Bitwarden => json::import_bitwarden(text)?,
                Format::FreeOtpPlus => json::import_freeotp_plus(text)?,
                Format::AuthenticatorPro => json::import_stratum(text)?,
                _ => json::import_proton(text)?,
            }
        }
    };
    Ok(report)
}

/// Reads a file (bounded) and imports it.
pub fn import_file(path: &Path, password: Option<&str>) -> Result<ImportReport, BackupError> {
    let bytes = scan::read_bounded(path).map_err(|e| BackupError::Unreadable(e.to_string()))?;
    import(&bytes, password)
}

fn import_uri_text(format: Format, text: &str) -> ImportReport {
    let mut report = ImportReport::new(format, false);
    for (number, line) in text.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        let Some(start) = lower
            .find("otpauth://")
            .or_else(|| lower.find("otpauth-migration://"))
        else {
            continue;
        };
        let extracted = input::parse_payload(&line[start..]);
        report.push_extracted(extracted, &format!("line {}", number + 1));
    }
    report
}

/// How an entry names its type, for [`build_account`].
pub(crate) enum Kind<'a> {
    Totp(i64),
    Hotp(i64),
    /// Any other type name (`steam`, `motp`, `yandex`, ...).
    Other(&'a str),
}

impl<'a> Kind<'a> {
    /// From a type name (`TOTP`/`HOTP`, any case) and the fields that go
    /// with it (period default 30 s, counter default 0).
    pub(crate) fn from_type(type_name: &'a str, period: Option<i64>, counter: Option<i64>) -> Self {
        match type_name.to_ascii_uppercase().as_str() {
            "TOTP" => Kind::Totp(period.unwrap_or(30)),
            "HOTP" => Kind::Hotp(counter.unwrap_or(0)),
            _ => Kind::Other(type_name),
        }
    }
}

/// Builds an account from the loose fields of a foreign format, mapping
/// each problem to the reason the entry is refused.
pub(crate) fn build_account(
    issuer: Option<&str>,
    name: &str,
    secret: Result<Secret, ImportError>,
    algorithm: &str,
    digits: i64,
    kind: Kind<'_>,
) -> Result<Account, ImportError> {
    let kind = match kind {
        Kind::Totp(period) => OtpKind::Totp {
            period: Period::new(u64::try_from(period).unwrap_or(0))
                .map_err(|_| ImportError::InvalidPeriod(period.to_string()))?,
        },
        Kind::Hotp(counter) => OtpKind::Hotp {
            counter: u64::try_from(counter)
                .map_err(|_| ImportError::InvalidCounter(counter.to_string()))?,
        },
        Kind::Other(type_name) => return Err(unsupported_type(type_name)),
    };
    let algorithm: Algorithm = algorithm.parse()?;
    let digits = u32::try_from(digits)
        .map_err(|_| ImportError::UnsupportedDigits(digits.to_string()))
        .and_then(Digits::new)?;
    let secret = secret?;
    let issuer = issuer
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(String::from);
    Ok(Account {
        issuer,
        name: name.trim().to_string(),
        secret,
        algorithm,
        digits,
        kind,
    })
}

/// The refusal of a type Tessera does not compute.
pub(crate) fn unsupported_type(type_name: &str) -> ImportError {
    let lower = type_name.trim().to_ascii_lowercase();
    if lower == "steam" {
        ImportError::UnsupportedType(String::from(
            "'steam' (Steam Guard codes use Steam's own 5-character alphabet, which Tessera does not compute)",
        ))
    } else {
        ImportError::UnsupportedType(quoted(type_name))
    }
}

/// Words the core's refusal of a `steam` link the way the importers do.
fn explain(error: ImportError) -> ImportError {
    match &error {
        ImportError::UnsupportedType(t) if t.eq_ignore_ascii_case("'steam'") => {
            unsupported_type("steam")
        }
        _ => error,
    }
}

/// A label for a refused entry: `Issuer (name)` from raw fields.
pub(crate) fn raw_label(issuer: Option<&str>, name: &str) -> String {
    let issuer = issuer.map(str::trim).filter(|i| !i.is_empty());
    match (issuer, name.trim().is_empty()) {
        (Some(i), false) => format!("{i} ({})", name.trim()),
        (Some(i), true) => i.to_string(),
        (None, false) => name.trim().to_string(),
        (None, true) => String::from("(unnamed)"),
    }
}

/// Writes `bytes` to `path` readable by the owner only (0600 on Unix):
/// through a temporary file in the same folder, renamed over `path`.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("export");
    let suffix = u32::from_le_bytes(crypto::random::<4>().unwrap_or([0; 4]));
    let temp = dir.join(format!(".{name}.{}.{suffix:08x}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn missing_parts_are_listed_by_index() {
        let marks = [
            BatchMark {
                batch_id: 7,
                batch_index: 0,
                batch_size: 3,
            },
            BatchMark {
                batch_id: 7,
                batch_index: 2,
                batch_size: 3,
            },
            BatchMark {
                batch_id: 9,
                batch_index: 0,
                batch_size: 1,
            },
        ];
        let missing = missing_batches(&marks);
        assert_eq!(
            missing,
            vec![MissingBatch {
                batch_id: 7,
                batch_size: 3,
                missing: vec![1]
            }]
        );
        assert!(missing[0].to_string().contains("code 2 of 3 was not given"));
    }

    #[test]
    fn detection_is_by_content() {
        assert!(matches!(detect(b""), Err(BackupError::Empty)));
        assert_eq!(
            detect(b"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP")
                .unwrap()
                .format,
            Format::OtpauthUris
        );
        assert!(matches!(
            detect(b"hello world"),
            Err(BackupError::UnknownFormat(_))
        ));
        assert!(matches!(
            detect(b"{\"hello\": 1}"),
            Err(BackupError::UnknownFormat(_))
        ));
        let d = detect(&[0x00, 0x02, 0xff, 0xfe, 0x80, 0x81]).unwrap();
        assert_eq!(d.format, Format::AndOtp);
        assert!(d.encrypted);
    }

    #[test]
    fn refusals_name_the_reason() {
        let e = build_account(
            Some("Boeing"),
            "Sophia",
            Secret::from_base32("JBSWY3DPEHPK3PXP"),
            "SHA1",
            5,
            Kind::Other("steam"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("Steam"));
        let e = build_account(
            None,
            "x",
            Secret::from_base32("JBSWY3DP"),
            "MD5",
            6,
            Kind::Totp(30),
        )
        .unwrap_err();
        assert!(e.to_string().contains("MD5"));
        let e = build_account(
            None,
            "x",
            Secret::from_base32("JBSWY3DP"),
            "SHA1",
            6,
            Kind::Hotp(-1),
        )
        .unwrap_err();
        assert!(e.to_string().contains("counter"));
    }

    #[test]
    fn private_files_are_owner_only() {
        let dir = std::env::temp_dir().join(format!("tessera-backup-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.txt");
        write_private(&path, b"one").unwrap();
        write_private(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
