//! JSON formats: recognising them, and the simple ones (Bitwarden,
//! FreeOTP+, Proton Authenticator).

use serde::Deserialize;
use serde::de::IgnoredAny;
use zeroize::Zeroizing;

use super::{
    BackupError, Detected, Format, ImportReport, Kind, MAX_ENTRIES, build_account, raw_label,
    unsupported_type,
};
use crate::error::ImportError;
use crate::input;
use crate::secret::Secret;
use crate::uri;

/// A secret string read from a file, zeroized on drop.
#[derive(Default)]
pub(crate) struct SecretText(pub Zeroizing<String>);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretText(Zeroizing::new(s)))
    }
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
}

/// A JSON error without the offending value: serde's messages quote the
/// value of a field of the wrong type, which may be a secret.
pub(crate) fn bad_json(format: Format, e: &serde_json::Error) -> BackupError {
    let message = e.to_string();
    let reason = if message.starts_with("missing field") {
        message
    } else {
        match e.classify() {
            serde_json::error::Category::Data => format!(
                "a field has an unexpected type or value (line {}, column {})",
                e.line(),
                e.column()
            ),
            _ => format!(
                "it is not valid JSON ({}, line {})",
                e.classify_kind(),
                e.line()
            ),
        }
    };
    BackupError::Malformed { format, reason }
}

pub(crate) fn malformed(format: Format, e: impl std::fmt::Display) -> BackupError {
    BackupError::Malformed {
        format,
        reason: e.to_string(),
    }
}

pub(super) fn detect(text: &str) -> Result<Detected, BackupError> {
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
        let encrypted = super::aegis::is_encrypted(text);
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
        "it is JSON, but not an Aegis, 2FAS, andOTP, Bitwarden, FreeOTP+, Proton Authenticator or Authenticator Pro export",
    )))
}

trait ClassifyKind {
    fn classify_kind(&self) -> &'static str;
}

impl ClassifyKind for serde_json::Error {
    fn classify_kind(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Eof => "it ends too early",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Io => "read error",
        }
    }
}

/// A list of key bytes read from a file, zeroized on drop.
#[derive(Default)]
pub(crate) struct SecretInts(pub Zeroizing<Vec<i64>>);

impl<'de> Deserialize<'de> for SecretInts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<i64>::deserialize(d).map(|v| SecretInts(Zeroizing::new(v)))
    }
}

#[derive(Deserialize)]
struct BitwardenExport {
    #[serde(default)]
    items: Vec<BitwardenItem>,
}

#[derive(Deserialize)]
struct BitwardenItem {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    login: Option<BitwardenLogin>,
}

#[derive(Deserialize)]
struct BitwardenLogin {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    totp: Option<SecretText>,
}

pub(super) fn import_bitwarden(text: &str) -> Result<ImportReport, BackupError> {
    let export: BitwardenExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::Bitwarden, &e))?;
    if export.items.len() > MAX_ENTRIES {
        return Err(malformed(Format::Bitwarden, "too many items"));
    }
    let mut report = ImportReport::new(Format::Bitwarden, false);
    for item in &export.items {
        let Some(login) = &item.login else { continue };
        let Some(totp) = &login.totp else { continue };
        push_login_totp(
            &mut report,
            item.name.as_deref().unwrap_or(""),
            login.username.as_deref().unwrap_or(""),
            &totp.0,
        );
    }
    Ok(report)
}

/// One Bitwarden `login.totp` value: an otpauth link, a `steam://` key
/// (refused) or a bare key (a default TOTP account named after the item).
pub(super) fn push_login_totp(report: &mut ImportReport, item_name: &str, user: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let (item_name, user) = (item_name.trim(), user.trim());
    let label = raw_label(Some(item_name), user);
    if uri::is_otpauth(value) {
        report.push_extracted(input::parse_payload(value), &label);
    } else if value.to_ascii_lowercase().starts_with("steam://") {
        report.push(label, Err(unsupported_type("steam")));
    } else {
        let issuer = (!item_name.is_empty()).then(|| item_name.to_string());
        // `Secret::from_base32` never repeats the key in its errors.
        let result = Secret::from_base32(value)
            .map(|secret| crate::account::Account::totp(issuer, user, secret));
        report.push(label, result);
    }
}

#[derive(Deserialize)]
struct FreeOtpExport {
    tokens: Vec<FreeOtpToken>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct FreeOtpToken {
    #[serde(default)]
    algo: Option<String>,
    #[serde(default)]
    counter: Option<i64>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(default)]
    issuerExt: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    secret: SecretInts,
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

pub(super) fn import_freeotp_plus(text: &str) -> Result<ImportReport, BackupError> {
    let export: FreeOtpExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::FreeOtpPlus, &e))?;
    if export.tokens.len() > MAX_ENTRIES {
        return Err(malformed(Format::FreeOtpPlus, "too many tokens"));
    }
    let mut report = ImportReport::new(Format::FreeOtpPlus, false);
    for token in &export.tokens {
        let issuer = token.issuerExt.as_deref();
        let name = token.label.as_deref().unwrap_or("");
        let label = raw_label(issuer, name);
        // Secrets are Java signed bytes (-128..=127).
        let secret = token
            .secret
            .0
            .iter()
            .map(|&b| {
                i8::try_from(b)
                    .map(|b| b as u8)
                    .or_else(|_| u8::try_from(b))
            })
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| ImportError::InvalidSecret(String::from("a key byte is out of range")))
            .and_then(Secret::from_bytes);
        let type_name = token.kind.as_deref().unwrap_or("TOTP");
        let kind = if type_name.eq_ignore_ascii_case("totp") {
            if issuer.is_some_and(|i| i.trim() == "Steam") {
                Kind::Other("steam")
            } else {
                Kind::Totp(token.period.unwrap_or(30))
            }
        } else if type_name.eq_ignore_ascii_case("hotp") {
            // FreeOTP stores the counter of the code last shown (one less
            // than the next one): the next code uses counter + 1.
            Kind::Hotp(token.counter.unwrap_or(-1).saturating_add(1))
        } else {
            Kind::Other(type_name)
        };
        let result = build_account(
            issuer,
            name,
            secret,
            token.algo.as_deref().unwrap_or("SHA1"),
            token.digits.unwrap_or(6),
            kind,
        );
        report.push(label, result);
    }
    Ok(report)
}

#[derive(Deserialize)]
struct ProtonExport {
    entries: Vec<ProtonEntry>,
}

#[derive(Deserialize)]
struct ProtonEntry {
    content: ProtonContent,
}

#[derive(Deserialize)]
struct ProtonContent {
    uri: SecretText,
    #[serde(default)]
    name: Option<String>,
}

pub(super) fn import_proton(text: &str) -> Result<ImportReport, BackupError> {
    let export: ProtonExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::ProtonAuthenticator, &e))?;
    if export.entries.len() > MAX_ENTRIES {
        return Err(malformed(Format::ProtonAuthenticator, "too many entries"));
    }
    let mut report = ImportReport::new(Format::ProtonAuthenticator, false);
    for (i, entry) in export.entries.iter().enumerate() {
        let label = entry
            .content
            .name
            .clone()
            .unwrap_or_else(|| format!("entry {}", i + 1));
        report.push_extracted(input::parse_payload(&entry.content.uri.0), &label);
    }
    Ok(report)
}

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
pub(super) fn import_stratum(text: &str) -> Result<ImportReport, BackupError> {
    let export: StratumExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::AuthenticatorPro, &e))?;
    if export.Authenticators.len() > MAX_ENTRIES {
        return Err(malformed(Format::AuthenticatorPro, "too many entries"));
    }
    let mut report = ImportReport::new(Format::AuthenticatorPro, false);
    for entry in &export.Authenticators {
        let issuer = entry.Issuer.as_deref();
        let name = entry.Username.as_deref().unwrap_or("");
        let kind = match entry.Type {
            1 => Kind::Hotp(entry.Counter.unwrap_or(0)),
            2 => Kind::Totp(entry.Period.unwrap_or(30)),
            3 => Kind::Other("motp"),
            4 => Kind::Other("steam"),
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
