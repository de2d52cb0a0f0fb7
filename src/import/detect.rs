//! Recognising a file's format from its bytes, once, before any
//! decryption: the name is never used.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::error::BackupError;
use super::format::{Detected, Format, MAX_IMPORT_BYTES};
use super::image::{self, Sniffed};
use super::json::ClassifyKind as _;
use super::{apps, text};

/// Recognises the format of a file from its bytes, without decrypting.
pub fn detect(bytes: &[u8]) -> Result<Detected, BackupError> {
    let bytes = check_size(bytes)?;
    let plain = |format| {
        Ok(Detected {
            format,
            encrypted: false,
        })
    };
    if bytes.starts_with(apps::tessera::MAGIC) {
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
    if let Sniffed::Image(_) | Sniffed::OtherImage(_) = image::sniff(bytes) {
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
        return detect_json(text);
    }
    if text.starts_with("<?xml") || text.starts_with('<') {
        return Err(BackupError::Unsupported {
            what: String::from("An XML file (such as an Authy or FreeOTP app-data dump)"),
            reason: String::from(
                "Tessera reads the export files of apps, not their internal data; export otpauth links from the app instead",
            ),
        });
    }
    if apps::csv::is_bitwarden_csv(text) {
        return plain(Format::Bitwarden);
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("otpauth://") || lower.contains("otpauth-migration://") {
        if lower.contains("codedisplay=") {
            return plain(Format::EnteAuth);
        }
        return plain(Format::OtpauthUris);
    }
    if apps::steam::is_encrypted_mafile(text) {
        return Err(apps::steam::encrypted_mafile_refusal());
    }
    Err(BackupError::UnknownFormat(text::describe_foreign(text)))
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

/// Top-level keys that tell the formats apart.
#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Probe {
    version: Option<IgnoredAny>,
    header: Option<IgnoredAny>,
    db: Option<IgnoredAny>,
    schemaVersion: Option<IgnoredAny>,
    services: Option<IgnoredAny>,
    servicesEncrypted: Option<IgnoredAny>,
    items: Option<IgnoredAny>,
    encrypted: Option<bool>,
    passwordProtected: Option<bool>,
    tokens: Option<IgnoredAny>,
    entries: Option<IgnoredAny>,
    Authenticators: Option<IgnoredAny>,
    kdfParams: Option<IgnoredAny>,
    encryptedData: Option<IgnoredAny>,
    shared_secret: Option<IgnoredAny>,
    first_run: Option<IgnoredAny>,
    periodic_checking: Option<IgnoredAny>,
}

pub(super) fn detect_json(text: &str) -> Result<Detected, BackupError> {
    let plain = |format| {
        Ok(Detected {
            format,
            encrypted: false,
        })
    };
    if text.starts_with('[') {
        // andOTP's plain backup is a bare array of entries.
        return plain(Format::AndOtp);
    }
    let probe: Probe = match serde_json::from_str(text) {
        Ok(probe) => probe,
        Err(e) => {
            let reason = format!(
                "it is not valid JSON ({}, line {})",
                e.classify_kind(),
                e.line()
            );
            // Name the format the opening looks like, if any.
            let looks_like = [
                ("\"schemaVersion\"", Format::TwoFas),
                ("\"header\"", Format::Aegis),
                ("\"tokenOrder\"", Format::FreeOtpPlus),
                ("\"items\"", Format::Bitwarden),
            ]
            .into_iter()
            .find(|(key, _)| text.contains(key));
            return Err(match looks_like {
                Some((_, format)) => BackupError::Malformed { format, reason },
                None => BackupError::UnknownFormat(format!("it starts like JSON but {reason}")),
            });
        }
    };
    if probe.kdfParams.is_some() && probe.encryptedData.is_some() {
        return Err(BackupError::Unsupported {
            what: String::from("An encrypted Ente Auth export"),
            reason: String::from(
                "Tessera does not decrypt this format yet; export again from Ente Auth choosing the plain text export",
            ),
        });
    }
    if probe.header.is_some() && probe.db.is_some() {
        // Encryption is known once the header is read (slots present).
        let encrypted = super::apps::aegis::is_encrypted(text);
        return Ok(Detected {
            format: Format::Aegis,
            encrypted,
        });
    }
    if probe.schemaVersion.is_some()
        && (probe.services.is_some() || probe.servicesEncrypted.is_some())
    {
        return Ok(Detected {
            format: Format::TwoFas,
            encrypted: probe.servicesEncrypted.is_some(),
        });
    }
    if probe.shared_secret.is_some() {
        return plain(Format::SteamDesktopAuthenticator);
    }
    // SDA's manifest.json: before Bitwarden, which also has `encrypted`.
    if probe.entries.is_some() && (probe.first_run.is_some() || probe.periodic_checking.is_some()) {
        return Err(apps::steam::manifest_refusal(probe.encrypted == Some(true)));
    }
    if probe.items.is_some() || probe.encrypted.is_some() {
        if probe.encrypted == Some(true) || probe.passwordProtected == Some(true) {
            return Err(BackupError::Unsupported {
                what: String::from("An encrypted Bitwarden export"),
                reason: String::from(
                    "Tessera reads Bitwarden's unencrypted JSON export; export again choosing the .json format",
                ),
            });
        }
        return plain(Format::Bitwarden);
    }
    if probe.tokens.is_some() {
        return plain(Format::FreeOtpPlus);
    }
    if probe.entries.is_some() && probe.version.is_some() {
        return plain(Format::ProtonAuthenticator);
    }
    if probe.Authenticators.is_some() {
        return plain(Format::AuthenticatorPro);
    }
    Err(BackupError::UnknownFormat(String::from(
        "it is JSON, but not an Aegis, 2FAS, andOTP, Bitwarden, FreeOTP+, Proton Authenticator, Authenticator Pro or Steam Desktop Authenticator export",
    )))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

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
}
