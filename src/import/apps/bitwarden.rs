//! Bitwarden exports: the unencrypted JSON (`items[].login.totp`); the
//! CSV export lives in `csv.rs`.

use serde::Deserialize;

use super::{raw_label, unsupported_type};
use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;
use crate::import::text;
use crate::secret::Secret;
use crate::uri;

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

pub(crate) fn import_bitwarden(text: &str) -> Result<Report, BackupError> {
    let export: BitwardenExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::Bitwarden, &e))?;
    if export.items.len() > MAX_ENTRIES {
        return Err(malformed(Format::Bitwarden, "too many items"));
    }
    let mut report = Report::new(Format::Bitwarden, false);
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
pub(crate) fn push_login_totp(report: &mut Report, item_name: &str, user: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let (item_name, user) = (item_name.trim(), user.trim());
    let label = raw_label(Some(item_name), user);
    if uri::is_otpauth(value) {
        report.merge(text::parse_payload(value), &label);
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
