//! 2FAS Authenticator backups (`.2fas`, schemas 1–4). Encrypted backups
//! hold `servicesEncrypted = b64(ciphertext||tag):b64(salt):b64(iv)`, with
//! the key PBKDF2-HMAC-SHA256(password, salt, 10 000 iterations, 256 bits)
//! and AES-256-GCM.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::{Fields, Kind};
use crate::import::crypto::{self, Prf, aes_gcm_open};
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;

const FORMAT: Format = Format::TwoFas;
const ITERATIONS: u32 = 10_000;
/// Newest schema read.
const MAX_SCHEMA: u32 = 4;

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct File {
    schemaVersion: u32,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    servicesEncrypted: Option<String>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    name: Option<String>,
    secret: SecretText,
    #[serde(default)]
    otp: Option<Otp>,
}

#[derive(Deserialize, Default)]
#[allow(non_snake_case)]
struct Otp {
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    digits: Option<i64>,
    #[serde(default)]
    period: Option<i64>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    counter: Option<i64>,
    #[serde(default)]
    tokenType: Option<String>,
}

pub(crate) fn import(text: &str, password: Option<&str>) -> Result<Report, BackupError> {
    let file: File = serde_json::from_str(text).map_err(|e| bad_json(FORMAT, &e))?;
    if file.schemaVersion > MAX_SCHEMA {
        return Err(malformed(
            FORMAT,
            format!(
                "schema version {} is newer than the versions 1 to {MAX_SCHEMA} Tessera reads",
                file.schemaVersion
            ),
        ));
    }
    let Some(encrypted) = file
        .servicesEncrypted
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    else {
        return convert(&file.services, false);
    };
    let password = password.ok_or(BackupError::PasswordRequired(FORMAT))?;
    let parts: Vec<&str> = encrypted.trim().split(':').collect();
    let [data, salt, iv] = parts.as_slice() else {
        return Err(malformed(
            FORMAT,
            format!(
                "servicesEncrypted has {} parts separated by ':'; 3 are expected",
                parts.len()
            ),
        ));
    };
    let decode = |what: &str, part: &str| {
        STANDARD
            .decode(part.trim())
            .map_err(|e| malformed(FORMAT, format!("the {what} is not Base64 ({e})")))
    };
    let (data, salt, iv) = (
        decode("ciphertext", data)?,
        decode("salt", salt)?,
        decode("nonce", iv)?,
    );
    let key = crypto::pbkdf2_key(FORMAT, Prf::Sha256, password.as_bytes(), &salt, ITERATIONS)?;
    let plain = aes_gcm_open(key.as_ref(), &iv, &data).ok_or(BackupError::WrongPassword(FORMAT))?;
    let services: Vec<Service> =
        serde_json::from_slice(&plain).map_err(|e| bad_json(FORMAT, &e))?;
    convert(&services, true)
}

fn convert(services: &[Service], encrypted: bool) -> Result<Report, BackupError> {
    if services.len() > MAX_ENTRIES {
        return Err(malformed(FORMAT, "too many services"));
    }
    let mut report = Report::new(FORMAT, encrypted);
    let none = Otp::default();
    for service in services {
        let otp = service.otp.as_ref().unwrap_or(&none);
        let issuer = otp
            .issuer
            .as_deref()
            .filter(|i| !i.trim().is_empty())
            .or(service.name.as_deref());
        let name = otp
            .account
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .or(otp.label.as_deref())
            .unwrap_or("");
        let type_name = otp.tokenType.as_deref().unwrap_or("TOTP");
        let kind = Kind::from_type(type_name, otp.period, otp.counter);
        let fields = Fields {
            issuer,
            name,
            secret: &service.secret.0,
            algorithm: otp.algorithm.as_deref(),
            digits: otp.digits,
        };
        let (label, result) = fields.build(kind);
        report.push(label, result);
    }
    Ok(report)
}
