//! An account as typed by a person (the CLI's `--secret` options, the app's
//! add form): every field is text or a plain value, and [`Draft::build`]
//! is the one place that turns it into an [`Account`] or says what is
//! wrong. Errors never quote the key.

use std::fmt;

use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, Digits, OtpKind, Period, parse_counter};
use crate::error::ImportError;
use crate::import::text::parse_bare_key;

/// Time-based or counter-based codes, or Steam Guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DraftKind {
    #[default]
    Totp,
    Hotp,
    /// Fixed parameters: SHA1, 5 characters, 30 s.
    Steam,
}

/// The fields of an account being typed. `None` means "not given": SHA1,
/// 6 digits, 30 s, counter 0.
#[derive(Clone, Default)]
pub struct Draft {
    pub issuer: String,
    pub name: String,
    /// The Base32 key as typed (spaces, dashes, any case).
    pub secret: Zeroizing<String>,
    pub kind: DraftKind,
    pub algorithm: Option<String>,
    pub digits: Option<String>,
    /// TOTP only.
    pub period: Option<String>,
    /// HOTP only.
    pub counter: Option<String>,
}

impl fmt::Debug for Draft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Draft")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"[redacted]")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// What is wrong with a [`Draft`]. Never quotes the key.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("the secret key is missing or empty")]
    NoKey,
    /// The key text is not a key (the reason, without the key).
    #[error("{0}")]
    Key(ImportError),
    #[error("give an issuer or an account name")]
    NoLabel,
    /// Algorithm, digits, period or counter.
    #[error("{0}")]
    Field(ImportError),
    #[error("a counter applies to HOTP keys, not to TOTP keys")]
    CounterWithTotp,
    #[error("a period applies to TOTP keys; HOTP codes move with the counter")]
    PeriodWithHotp,
    #[error(
        "Steam Guard codes have fixed parameters (SHA1, 5 characters, 30 seconds, no counter): leave the others out"
    )]
    SteamParameters,
}

impl From<&Account> for Draft {
    /// The fields of an account (e.g. of a pasted link), to edit them.
    fn from(a: &Account) -> Self {
        let (kind, period, counter) = match a.kind {
            OtpKind::Totp { period } => (DraftKind::Totp, Some(period.get().to_string()), None),
            OtpKind::Hotp { counter } => (DraftKind::Hotp, None, Some(counter.to_string())),
            OtpKind::Steam => (DraftKind::Steam, None, None),
        };
        // Steam Guard: the fixed parameters are not fields to edit.
        let steam = a.kind == OtpKind::Steam;
        Self {
            issuer: a.issuer.clone().unwrap_or_default(),
            name: a.name.clone(),
            secret: Zeroizing::new(a.secret.to_base32()),
            kind,
            algorithm: (!steam).then(|| a.algorithm.as_str().to_string()),
            digits: (!steam).then(|| a.digits.get().to_string()),
            period,
            counter,
        }
    }
}

impl Draft {
    /// A draft of a bare key with default parameters.
    pub fn key(secret: &str) -> Self {
        Self {
            secret: Zeroizing::new(secret.to_string()),
            ..Self::default()
        }
    }

    /// The account, or the first problem. The issuer and name are trimmed;
    /// an empty issuer is none. Both may be empty (e.g. to compute a code);
    /// [`Draft::build_labelled`] requires one of them.
    pub fn build(&self) -> Result<Account, DraftError> {
        if self.secret.trim().is_empty() {
            return Err(DraftError::NoKey);
        }
        let secret = parse_bare_key(&self.secret).map_err(DraftError::Key)?;
        let (algorithm, digits, kind) = self.parameters()?;
        let issuer = self.issuer.trim();
        Ok(Account {
            issuer: (!issuer.is_empty()).then(|| issuer.to_string()),
            name: self.name.trim().to_string(),
            secret,
            algorithm,
            digits,
            kind,
        })
    }

    /// The algorithm, digits and type (with period or counter) alone, or
    /// their first problem: a form can judge them before a key is typed.
    /// Steam Guard takes no parameter but its fixed values (SHA1, 5, 30).
    pub fn parameters(&self) -> Result<(Algorithm, Digits, OtpKind), DraftError> {
        let kind = match self.kind {
            DraftKind::Totp => {
                if self.counter.is_some() {
                    return Err(DraftError::CounterWithTotp);
                }
                OtpKind::Totp {
                    period: match self.period.as_deref() {
                        Some(p) => Period::parse(p).map_err(DraftError::Field)?,
                        None => Period::THIRTY,
                    },
                }
            }
            DraftKind::Hotp => {
                if self.period.is_some() {
                    return Err(DraftError::PeriodWithHotp);
                }
                OtpKind::Hotp {
                    counter: match self.counter.as_deref() {
                        Some(c) => parse_counter(c).map_err(DraftError::Field)?,
                        None => 0,
                    },
                }
            }
            DraftKind::Steam => return self.steam_parameters(),
        };
        let algorithm = match self.algorithm.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => a.parse::<Algorithm>().map_err(DraftError::Field)?,
            _ => Algorithm::Sha1,
        };
        let digits = match self.digits.as_deref() {
            Some(d) => Digits::parse(d).map_err(DraftError::Field)?,
            None => Digits::SIX,
        };
        Ok((algorithm, digits, kind))
    }

    /// Steam Guard's parameters: each given one must be its fixed value.
    fn steam_parameters(&self) -> Result<(Algorithm, Digits, OtpKind), DraftError> {
        let fixed_or_absent = |field: &Option<String>, fixed: &str| {
            field
                .as_deref()
                .map(str::trim)
                .is_none_or(|v| v.is_empty() || v == fixed)
        };
        let algorithm_ok = match self.algorithm.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => a.parse::<Algorithm>().ok() == Some(Algorithm::Sha1),
            _ => true,
        };
        if algorithm_ok
            && fixed_or_absent(&self.digits, "5")
            && fixed_or_absent(&self.period, "30")
            && self.counter.is_none()
        {
            Ok((Algorithm::Sha1, Digits::SIX, OtpKind::Steam))
        } else {
            Err(DraftError::SteamParameters)
        }
    }

    /// [`Draft::build`], refusing an account with neither issuer nor name
    /// (the app's add form).
    pub fn build_labelled(&self) -> Result<Account, DraftError> {
        if self.secret.trim().is_empty() {
            return Err(DraftError::NoKey);
        }
        parse_bare_key(&self.secret).map_err(DraftError::Key)?;
        if self.issuer.trim().is_empty() && self.name.trim().is_empty() {
            return Err(DraftError::NoLabel);
        }
        self.build()
    }
}
