//! FreeOTP+ JSON exports (`tokens`, secrets as Java signed bytes).

use serde::Deserialize;

use super::{Kind, build_account, raw_label};
use crate::error::ImportError;
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretInts, bad_json, malformed};
use crate::import::report::Report;
use crate::secret::Secret;

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

pub(crate) fn import_freeotp_plus(text: &str) -> Result<Report, BackupError> {
    let export: FreeOtpExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::FreeOtpPlus, &e))?;
    if export.tokens.len() > MAX_ENTRIES {
        return Err(malformed(Format::FreeOtpPlus, "too many tokens"));
    }
    let mut report = Report::new(Format::FreeOtpPlus, false);
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
            // FreeOTP+ has no Steam type: it shows Steam Guard codes for
            // TOTP tokens whose issuer is "Steam".
            if issuer.is_some_and(|i| i.trim() == "Steam") {
                Kind::Steam
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
