//! Exporters: accounts to the files other apps (and Tessera) read, as
//! bytes; the session's export saves them (overwrite rule, owner-only
//! files through `fs::write_private_atomic`). The writing halves of the Tessera backup
//! and Aegis formats live beside their readers in
//! [`crate::import::apps`], so each format is written down once.
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
//! {"version": 1, "exported": "2026-12-02T01:13:08Z", "accounts": [
//!   {"issuer": "ACME", "name": "me@example.com", "secret": "JBSWY3DPEHPK3PXP",
//!    "algorithm": "SHA1", "digits": 6, "type": "totp", "period": 30},
//!   {"issuer": null, "name": "x", "secret": "…", "algorithm": "SHA256",
//!    "digits": 8, "type": "hotp", "counter": 5},
//!   {"issuer": "Steam", "name": "gaben", "secret": "…", "algorithm": "SHA1",
//!    "digits": 5, "type": "steam", "period": 30}]}
//! ```
//!
//! A Steam Guard account is `"type": "steam"` (its algorithm, digits and
//! period are fixed and written as Aegis writes them); a reader that does
//! not know the type refuses that entry alone (Tessera 0.1 does so).
//!
//! `exported` (RFC 3339, UTC; optional, ignored by readers) dates the
//! backup. A reader refuses a version it does not know and any parameter
//! outside the bounds without running the KDF.

pub mod aegis;
pub mod tessera;

use std::fmt;
use std::str::FromStr;

use image::ImageEncoder as _;
use image::codecs::png::PngEncoder;
use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

use crate::account::{Account, OtpKind};
use crate::import::{BackupError, crypto};
use crate::migration::{self, BatchInfo};
use crate::uri;

/// Most accounts in one Google Authenticator transfer QR code (as Google
/// Authenticator and Aegis write).
pub const MIGRATION_BATCH: usize = 10;

/// The formats [`export`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Tessera's own encrypted backup (the default).
    TesseraBackup,
    /// Aegis vault, unencrypted.
    Aegis,
    /// Aegis vault encrypted with a password slot (readable by Aegis and
    /// GNOME Authenticator).
    AegisEncrypted,
    /// One `otpauth://` link per line.
    Uris,
    /// Google Authenticator transfer QR codes, PNG, at most 10 accounts each.
    MigrationQr,
    /// A printable HTML page of QR codes.
    Html,
}

impl ExportFormat {
    /// Every format, default first.
    pub const ALL: [ExportFormat; 6] = [
        Self::TesseraBackup,
        Self::Aegis,
        Self::AegisEncrypted,
        Self::Uris,
        Self::MigrationQr,
        Self::Html,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TesseraBackup => "tessera-backup",
            Self::Aegis => "aegis",
            Self::AegisEncrypted => "aegis-encrypted",
            Self::Uris => "uris",
            Self::MigrationQr => "migration-qr",
            Self::Html => "html",
        }
    }

    /// Whether the secrets are written unencrypted.
    pub fn is_plain_text(self) -> bool {
        !matches!(self, Self::TesseraBackup | Self::AegisEncrypted)
    }

    /// Whether the export needs a password.
    pub fn needs_password(self) -> bool {
        !self.is_plain_text()
    }

    /// Whether the export is several files (written into a folder).
    pub fn is_folder(self) -> bool {
        matches!(self, Self::MigrationQr)
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown export format '{s}': use one of {}",
                    names.join(", ")
                )
            })
    }
}

/// One file of an export. The bytes hold secrets (encrypted or not) and
/// are zeroized on drop.
#[derive(Debug)]
pub struct ExportFile {
    /// A suggested file name (for `migration-qr`, the name inside the folder).
    pub name: String,
    pub bytes: Zeroizing<Vec<u8>>,
}

/// An account the format cannot carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub label: String,
    pub reason: String,
}

/// The result of [`export`].
#[derive(Debug)]
pub struct Exported {
    pub files: Vec<ExportFile>,
    /// Accounts left out, with the reason (only `migration-qr` skips any).
    pub skipped: Vec<Skipped>,
}

/// Exports `accounts`, undated. `password` is needed by the encrypted
/// formats and ignored by the others.
pub fn export(
    accounts: &[Account],
    format: ExportFormat,
    password: Option<&str>,
) -> Result<Exported, BackupError> {
    write(accounts, format, password, None)
}

/// [`export`], dated `now` (Unix seconds) where the format has a place for
/// it: the HTML page's header, the Tessera backup's `exported` field.
pub fn export_at(
    accounts: &[Account],
    format: ExportFormat,
    password: Option<&str>,
    now: u64,
) -> Result<Exported, BackupError> {
    write(accounts, format, password, Some(now))
}

fn write(
    accounts: &[Account],
    format: ExportFormat,
    password: Option<&str>,
    now: Option<u64>,
) -> Result<Exported, BackupError> {
    if accounts.is_empty() {
        return Err(BackupError::NothingToExport);
    }
    let single = |name: &str, bytes: Zeroizing<Vec<u8>>| Exported {
        files: vec![ExportFile {
            name: name.to_string(),
            bytes,
        }],
        skipped: Vec::new(),
    };
    let password = || {
        password
            .filter(|p| !p.is_empty())
            .ok_or(BackupError::ExportPasswordRequired)
    };
    Ok(match format {
        ExportFormat::TesseraBackup => single(
            "tessera-backup.tsrbak",
            Zeroizing::new(tessera::export(accounts, password()?, now)?),
        ),
        ExportFormat::Aegis => single("aegis-export-plain.json", aegis::export_plain(accounts)?),
        ExportFormat::AegisEncrypted => single(
            "aegis-export.json",
            Zeroizing::new(aegis::export_encrypted(accounts, password()?)?),
        ),
        ExportFormat::Uris => single("otpauth-uris.txt", uris(accounts)),
        ExportFormat::Html => single("tessera-qr-codes.html", html(accounts, now)?),
        ExportFormat::MigrationQr => migration_qr(accounts)?,
    })
}

fn uris(accounts: &[Account]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::new());
    for account in accounts {
        let line = Zeroizing::new(uri::format(account));
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

fn qr_modules(data: &str) -> Result<(usize, Vec<bool>), BackupError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| BackupError::QrEncode(e.to_string()))?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((width, dark))
}

/// A PNG of a QR code: `scale` pixels per module, a 4-module quiet zone.
fn qr_png(data: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    const QUIET: usize = 4;
    let (width, dark) = qr_modules(data)?;
    let scale = (800 / (width + 2 * QUIET)).clamp(4, 12);
    let side = (width + 2 * QUIET) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (mx, my) = (i % width + QUIET, i / width + QUIET);
        for y in my * scale..(my + 1) * scale {
            pixels[y * side + mx * scale..y * side + (mx + 1) * scale].fill(0);
        }
    }
    let mut out = Zeroizing::new(Vec::new());
    let side = u32::try_from(side).map_err(|_| BackupError::Image(String::from("too large")))?;
    PngEncoder::new(&mut *out)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .map_err(|e| BackupError::Image(e.to_string()))?;
    Ok(out)
}

fn migration_qr(accounts: &[Account]) -> Result<Exported, BackupError> {
    let mut skipped = Vec::new();
    let mut fitting: Vec<&Account> = Vec::new();
    for account in accounts {
        match migration::check_encodable(account) {
            Ok(()) => fitting.push(account),
            Err(e) => skipped.push(Skipped {
                label: account.display_label(),
                reason: e.to_string(),
            }),
        }
    }
    let chunks: Vec<&[&Account]> = fitting.chunks(MIGRATION_BATCH).collect();
    let batch_size = i32::try_from(chunks.len()).map_err(|_| BackupError::NothingToExport)?;
    let batch_id = i32::from_le_bytes(crypto::random::<4>()?) & i32::MAX;
    let mut files = Vec::with_capacity(chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        let info = BatchInfo {
            batch_size,
            batch_index: index as i32,
            batch_id,
        };
        let link = Zeroizing::new(
            migration::encode(chunk, info).map_err(|e| BackupError::QrEncode(e.to_string()))?,
        );
        files.push(ExportFile {
            name: format!("tessera-transfer-{}-of-{}.png", index + 1, chunks.len()),
            bytes: qr_png(&link)?,
        });
    }
    Ok(Exported { files, skipped })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An inline SVG QR code (one path, crisp edges).
fn qr_svg(data: &str) -> Result<Zeroizing<String>, BackupError> {
    const QUIET: usize = 4;
    let (width, dark) = qr_modules(data)?;
    let side = width + 2 * QUIET;
    let mut svg = Zeroizing::new(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" width=\"220\" height=\"220\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    ));
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        svg.push_str(&format!(
            "M{} {}h1v1h-1z",
            i % width + QUIET,
            i / width + QUIET
        ));
    }
    svg.push_str("\"/></svg>");
    Ok(svg)
}

fn html(accounts: &[Account], now: Option<u64>) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let mut page = Zeroizing::new(String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"robots\" content=\"noindex\">\n<title>Tessera accounts</title>\n<style>\n\
body{font-family:sans-serif;margin:1.5em;color:#000;background:#fff}\n\
.warn{border:2px solid #b00;padding:.6em;margin-bottom:1.2em}\n\
.grid{display:flex;flex-wrap:wrap;gap:1.2em}\n\
.card{border:1px solid #888;padding:.8em;width:240px;break-inside:avoid;page-break-inside:avoid}\n\
.card h2{font-size:1em;margin:.2em 0;word-break:break-word}\n\
.card p{font-size:.8em;margin:.2em 0;word-break:break-all}\n\
code{font-size:.95em}\n</style>\n</head>\n<body>\n<h1>Tessera accounts</h1>\n",
    ));
    if let Some(date) = now.and_then(crate::dates::minutes_utc) {
        page.push_str(&format!(
            "<p>Exported {date}: {} account{}.</p>\n",
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        ));
    }
    page.push_str(
        "<p class=\"warn\">This page holds the secret keys of your accounts in clear: anyone who sees it can \
generate your codes. Print it, keep the paper somewhere safe, and delete this file.</p>\n\
<div class=\"grid\">\n",
    );
    for account in accounts {
        let link = Zeroizing::new(uri::format(account));
        let svg = qr_svg(&link)?;
        let params = match account.kind {
            OtpKind::Totp { period } => format!("TOTP, {} s", period.get()),
            OtpKind::Hotp { counter } => format!("HOTP, counter {counter}"),
            OtpKind::Steam => String::from("Steam Guard, 30 s"),
        };
        let length = match account.kind {
            OtpKind::Steam => format!("{} characters", account.code_length()),
            _ => format!("{} digits", account.code_length()),
        };
        let key = Zeroizing::new(account.secret.to_base32());
        let grouped: Zeroizing<String> = Zeroizing::new(
            key.as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" "),
        );
        page.push_str("<div class=\"card\">\n");
        page.push_str(&svg);
        page.push_str(&format!(
            "\n<h2>{}</h2>\n<p>{}, {}, {}</p>\n<p>Key: <code>{}</code></p>\n</div>\n",
            escape(&account.display_label()),
            params,
            account.code_algorithm(),
            length,
            grouped.as_str(),
        ));
    }
    page.push_str("</div>\n</body>\n</html>\n");
    Ok(Zeroizing::new(page.as_bytes().to_vec()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in ExportFormat::ALL {
            assert_eq!(f.as_str().parse::<ExportFormat>().unwrap(), f);
        }
        assert!(
            "pdf"
                .parse::<ExportFormat>()
                .unwrap_err()
                .contains("migration-qr")
        );
        assert!(ExportFormat::Uris.is_plain_text());
        assert!(!ExportFormat::AegisEncrypted.is_plain_text());
    }

    #[test]
    fn the_html_page_is_dated() {
        let key = crate::secret::Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let accounts = [Account::totp(Some("ACME".into()), "me", key)];
        let dated = html(&accounts, Some(1_796_173_988)).unwrap();
        let page = String::from_utf8_lossy(&dated);
        assert!(
            page.contains("<p>Exported 2026-12-02 01:13 UTC: 1 account.</p>"),
            "{page}"
        );
        let undated = html(&accounts, None).unwrap();
        assert!(!String::from_utf8_lossy(&undated).contains("Exported"));
    }

    #[test]
    fn html_escapes_labels() {
        assert_eq!(escape("<a&\"b'>"), "&lt;a&amp;&quot;b&#39;&gt;");
    }
}
