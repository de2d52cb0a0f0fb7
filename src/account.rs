//! Accounts: who a code is for and how it is computed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{ImportError, quoted};
use crate::secret::Secret;

/// The HMAC hash function of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Algorithm {
    #[default]
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    /// All supported algorithms.
    pub const ALL: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

    /// The canonical name: `SHA1`, `SHA256` or `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = ImportError;

    /// Accepts `SHA1`, `sha1`, `SHA-1`, `HmacSHA1` and the like.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        let name = upper.strip_prefix("HMAC").unwrap_or(&upper);
        let name = name.trim_start_matches(['-', '_']).replace(['-', '_'], "");
        match name.as_str() {
            "SHA1" => Ok(Self::Sha1),
            "SHA256" => Ok(Self::Sha256),
            "SHA512" => Ok(Self::Sha512),
            _ => Err(ImportError::UnsupportedAlgorithm(quoted(s))),
        }
    }
}

/// Number of digits of a code: 6, 7 or 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Digits(u8);

impl Digits {
    /// The usual six digits.
    pub const SIX: Digits = Digits(6);

    /// Checks the range 6..=8.
    pub fn new(value: u32) -> Result<Self, ImportError> {
        match value {
            6..=8 => Ok(Self(value as u8)),
            _ => Err(ImportError::UnsupportedDigits(value.to_string())),
        }
    }

    /// Parses the text of a `digits=` value.
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        match text.trim().parse::<u32>() {
            Ok(v) => Self::new(v),
            Err(_) => Err(ImportError::UnsupportedDigits(quoted(text))),
        }
    }

    /// The number of digits.
    pub fn get(self) -> u32 {
        u32::from(self.0)
    }
}

impl Default for Digits {
    fn default() -> Self {
        Self::SIX
    }
}

impl TryFrom<u32> for Digits {
    type Error = ImportError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Digits> for u32 {
    fn from(d: Digits) -> u32 {
        d.get()
    }
}

/// TOTP period in seconds: 1..=300.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct Period(u16);

impl Period {
    /// The usual 30 seconds.
    pub const THIRTY: Period = Period(30);
    /// Longest period accepted.
    pub const MAX: u64 = 300;

    /// Checks the range 1..=300.
    pub fn new(seconds: u64) -> Result<Self, ImportError> {
        match seconds {
            1..=Self::MAX => Ok(Self(seconds as u16)),
            _ => Err(ImportError::InvalidPeriod(seconds.to_string())),
        }
    }

    /// Parses the text of a `period=` value.
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        match text.trim().parse::<u64>() {
            Ok(v) => Self::new(v),
            Err(_) => Err(ImportError::InvalidPeriod(quoted(text))),
        }
    }

    /// Seconds.
    pub fn get(self) -> u64 {
        u64::from(self.0)
    }
}

impl Default for Period {
    fn default() -> Self {
        Self::THIRTY
    }
}

impl TryFrom<u64> for Period {
    type Error = ImportError;
    fn try_from(value: u64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Period> for u64 {
    fn from(p: Period) -> u64 {
        p.get()
    }
}

/// Parses the text of a `counter=` value (any u64).
pub fn parse_counter(text: &str) -> Result<u64, ImportError> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| ImportError::InvalidCounter(quoted(text)))
}

/// Time-based or counter-based, with the parameter that moves the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum OtpKind {
    /// RFC 6238: the code changes every `period` seconds.
    Totp { period: Period },
    /// RFC 4226: the code changes when the counter is advanced.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP with fixed parameters (HMAC-SHA1, 30 s) whose code
    /// is 5 characters of Steam's alphabet (see [`crate::otp::steam`]). The
    /// account's `algorithm` and `digits` are not used.
    Steam,
}

impl OtpKind {
    /// Length of a Steam Guard code, in characters.
    pub const STEAM_CHARS: u32 = 5;

    /// `"totp"`, `"hotp"` or `"steam"`.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Totp { .. } => "totp",
            Self::Hotp { .. } => "hotp",
            Self::Steam => "steam",
        }
    }

    /// The period of a time-based kind (Steam: 30 s); `None` for HOTP.
    pub fn period(self) -> Option<Period> {
        match self {
            Self::Totp { period } => Some(period),
            Self::Steam => Some(Period::THIRTY),
            Self::Hotp { .. } => None,
        }
    }
}

impl Default for OtpKind {
    fn default() -> Self {
        Self::Totp {
            period: Period::THIRTY,
        }
    }
}

/// One account: a label and everything needed to compute its codes.
///
/// Every field is valid by construction (see [`Digits`], [`Period`],
/// [`Secret`]), so computing a code never fails or panics.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The service, e.g. `JD Cloud`; `None` when the input names none.
    pub issuer: Option<String>,
    /// The account name at that service (may be empty).
    pub name: String,
    /// The shared key.
    pub secret: Secret,
    /// HMAC hash function.
    pub algorithm: Algorithm,
    /// Code length (not used by Steam Guard accounts, whose codes are
    /// always 5 characters: see [`Account::code_length`]).
    pub digits: Digits,
    /// TOTP with its period, HOTP with its counter, or Steam Guard.
    pub kind: OtpKind,
}

impl Account {
    /// A TOTP account with the defaults (SHA1, 6 digits, 30 s).
    pub fn totp(issuer: Option<String>, name: impl Into<String>, secret: Secret) -> Self {
        Self {
            issuer,
            name: name.into(),
            secret,
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            kind: OtpKind::default(),
        }
    }

    /// A Steam Guard account. Its `algorithm` and `digits` hold the
    /// defaults (SHA1, 6), which Steam Guard codes do not use: every Steam
    /// account is built this way, so two of them with the same labels and
    /// key are equal.
    pub fn steam(issuer: Option<String>, name: impl Into<String>, secret: Secret) -> Self {
        Self {
            kind: OtpKind::Steam,
            ..Self::totp(issuer, name, secret)
        }
    }

    /// The length of a code: the digits, or 5 for Steam Guard.
    pub fn code_length(&self) -> u32 {
        match self.kind {
            OtpKind::Steam => OtpKind::STEAM_CHARS,
            _ => self.digits.get(),
        }
    }

    /// The hash function that computes the codes (always SHA1 for Steam
    /// Guard).
    pub fn code_algorithm(&self) -> Algorithm {
        match self.kind {
            OtpKind::Steam => Algorithm::Sha1,
            _ => self.algorithm,
        }
    }

    /// Whether two accounts compute the same codes (same secret, type and
    /// parameters), whatever their labels. HOTP counters are not compared.
    pub fn same_token(&self, other: &Account) -> bool {
        let parameters_match = match (self.kind, other.kind) {
            (OtpKind::Totp { period: a }, OtpKind::Totp { period: b }) => {
                a == b && self.algorithm == other.algorithm && self.digits == other.digits
            }
            (OtpKind::Hotp { .. }, OtpKind::Hotp { .. }) => {
                self.algorithm == other.algorithm && self.digits == other.digits
            }
            // Fixed parameters: the stored algorithm and digits are unused.
            (OtpKind::Steam, OtpKind::Steam) => true,
            _ => false,
        };
        parameters_match && self.secret == other.secret
    }

    /// `Issuer (name)`, `Issuer` or `name`, for messages and lists.
    pub fn display_label(&self) -> String {
        match (&self.issuer, self.name.is_empty()) {
            (Some(issuer), false) => format!("{issuer} ({})", self.name),
            (Some(issuer), true) => issuer.clone(),
            (None, false) => self.name.clone(),
            (None, true) => String::from("(unnamed)"),
        }
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &self.secret)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits.get())
            .field("kind", &self.kind)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_spellings() {
        for s in ["SHA1", "sha1", "SHA-1", "HmacSHA1", "hmac-sha1"] {
            assert_eq!(s.parse::<Algorithm>().unwrap(), Algorithm::Sha1, "{s}");
        }
        assert_eq!("sha256".parse::<Algorithm>().unwrap(), Algorithm::Sha256);
        assert_eq!("SHA-512".parse::<Algorithm>().unwrap(), Algorithm::Sha512);
        let err = "MD5".parse::<Algorithm>().unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::UnsupportedAlgorithm);
        assert!(err.to_string().contains("'MD5'"));
    }

    #[test]
    fn ranges() {
        assert!(Digits::new(5).is_err());
        assert!(Digits::new(9).is_err());
        assert_eq!(Digits::parse("8").unwrap().get(), 8);
        assert!(Digits::parse("4294967296").is_err());
        assert!(Period::new(0).is_err());
        assert!(Period::new(301).is_err());
        assert_eq!(Period::parse("300").unwrap().get(), 300);
        assert!(parse_counter("-1").is_err());
        assert_eq!(parse_counter("18446744073709551615").unwrap(), u64::MAX);
    }

    #[test]
    fn steam_is_its_own_kind() {
        let key = || Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let steam = Account::steam(Some("Steam".into()), "me", key());
        assert_eq!(steam.kind.type_name(), "steam");
        assert_eq!(steam.code_length(), 5);
        assert_eq!(steam.kind.period(), Some(Period::THIRTY));
        // Same key and 30 s, but a 6-digit TOTP: other codes.
        let totp = Account::totp(Some("Steam".into()), "me", key());
        assert!(!steam.same_token(&totp) && !totp.same_token(&steam));
        // The unused algorithm and digits do not make two Steam tokens differ.
        let mut other = Account::steam(None, "other label", key());
        other.algorithm = Algorithm::Sha512;
        other.digits = Digits::new(8).unwrap();
        assert!(steam.same_token(&other));
        assert_eq!(other.code_algorithm(), Algorithm::Sha1);
        // Stored with its own tag, no period or counter.
        let json = serde_json::to_string(&OtpKind::Steam).unwrap();
        assert_eq!(json, r#"{"type":"steam"}"#);
        let back: OtpKind = serde_json::from_str(&json).unwrap();
        assert_eq!(back, OtpKind::Steam);
    }

    #[test]
    fn debug_hides_the_secret() {
        let a = Account::totp(
            Some("X".into()),
            "y",
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        );
        let shown = format!("{a:?}");
        assert!(shown.contains("redacted") && !shown.contains("JBSW"));
    }
}
