//! The account object of the JSON output (`scan --json`, `list --json`):
//! one shape, the one `../shared/fixtures` and README document. Fields a
//! command has no value for are left out.

use serde::Serialize;

use tessera::account::{Account, OtpKind};

#[derive(Serialize)]
pub(super) struct AccountJson<'a> {
    /// The vault id (`list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub issuer: Option<&'a str>,
    pub account: &'a str,
    /// The Base32 key (`scan`; never `list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub algorithm: &'static str,
    pub digits: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter: Option<u64>,
    /// The code at the requested time (`scan`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `list`: on a copy kept from a conflicting change made on two
    /// computers, the id of the account whose other version won.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<&'a str>,
    /// When the account was added to the vault and last changed, RFC 3339
    /// in UTC (`list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

impl<'a> AccountJson<'a> {
    /// The account's parameters, without id, key or code. Steam Guard:
    /// `"type": "steam", "algorithm": "SHA1", "digits": 5, "period": 30`.
    pub fn new(a: &'a Account) -> Self {
        let (period, counter) = match a.kind {
            OtpKind::Hotp { counter } => (None, Some(counter)),
            kind => (kind.period().map(|p| p.get()), None),
        };
        Self {
            id: None,
            kind: a.kind.type_name(),
            issuer: a.issuer.as_deref(),
            account: &a.name,
            secret: None,
            algorithm: a.code_algorithm().as_str(),
            digits: a.code_length(),
            period,
            counter,
            code: None,
            conflict: None,
            created: None,
            modified: None,
        }
    }
}
