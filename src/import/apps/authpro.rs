//! Authenticator Pro (Stratum) unencrypted backups (`Authenticators`).

use serde::Deserialize;

use super::{Kind, build_account, raw_label};
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;
use crate::secret::Secret;

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct StratumExport {
    Authenticators: Vec<StratumEntry>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct StratumEntry {
    Type: i64,
    #[serde(default)]
    Issuer: Option<String>,
    #[serde(default)]
    Username: Option<String>,
    Secret: SecretText,
    #[serde(default)]
    Algorithm: i64,
    #[serde(default)]
    Digits: Option<i64>,
    #[serde(default)]
    Period: Option<i64>,
    #[serde(default)]
    Counter: Option<i64>,
}

/// Authenticator Pro (Stratum) unencrypted backup: `Type` 1 HOTP, 2 TOTP,
/// 3 mOTP, 4 Steam, 5 Yandex; `Algorithm` 0 SHA1, 1 SHA256, 2 SHA512.
pub(crate) fn import_stratum(text: &str) -> Result<Report, BackupError> {
    let export: StratumExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::AuthenticatorPro, &e))?;
    if export.Authenticators.len() > MAX_ENTRIES {
        return Err(malformed(Format::AuthenticatorPro, "too many entries"));
    }
    let mut report = Report::new(Format::AuthenticatorPro, false);
    for entry in &export.Authenticators {
        let issuer = entry.Issuer.as_deref();
        let name = entry.Username.as_deref().unwrap_or("");
        let kind = match entry.Type {
            1 => Kind::Hotp(entry.Counter.unwrap_or(0)),
            2 => Kind::Totp(entry.Period.unwrap_or(30)),
            3 => Kind::Other("motp"),
            4 => Kind::Steam,
            5 => Kind::Other("yandex"),
            _ => Kind::Other("unknown"),
        };
        let algorithm = match entry.Algorithm {
            0 => "SHA1",
            1 => "SHA256",
            2 => "SHA512",
            _ => "unknown",
        };
        let result = build_account(
            issuer,
            name,
            Secret::from_base32(&entry.Secret.0),
            algorithm,
            entry.Digits.unwrap_or(6),
            kind,
        );
        report.push(raw_label(issuer, name), result);
    }
    Ok(report)
}
