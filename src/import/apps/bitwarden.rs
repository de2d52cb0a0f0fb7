//! Bitwarden exports: the unencrypted JSON (`items[].login.totp`); the
//! CSV export lives in `csv.rs`.

use serde::Deserialize;

use super::raw_label;
use crate::account::Account;
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
/// (a Steam Guard account) or a bare key (a default TOTP account); the
/// last two are named after the item (issuer) and its user name.
pub(crate) fn push_login_totp(report: &mut Report, item_name: &str, user: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let (item_name, user) = (item_name.trim(), user.trim());
    let label = raw_label(Some(item_name), user);
    if uri::is_otpauth(value) {
        report.merge(text::parse_payload(value), &label);
    } else {
        let issuer = (!item_name.is_empty()).then(|| item_name.to_string());
        // `Secret::from_base32` never repeats the key in its errors.
        let result = match steam_key(value) {
            Some(key) => Secret::from_base32(key).map(|s| Account::steam(issuer, user, s)),
            None => Secret::from_base32(value).map(|s| Account::totp(issuer, user, s)),
        };
        report.push(label, result);
    }
}

/// The Base32 key of a `steam://KEY` value (the scheme in any case).
fn steam_key(value: &str) -> Option<&str> {
    const SCHEME: &str = "steam://";
    value
        .get(..SCHEME.len())
        .filter(|s| s.eq_ignore_ascii_case(SCHEME))
        .map(|_| &value[SCHEME.len()..])
}
