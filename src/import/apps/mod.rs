//! Importers of other apps' backups and exports, one module per app, and
//! the helpers they share to turn loose fields into an [`Account`].

pub mod aegis;
pub mod andotp;
pub mod authpro;
pub mod bitwarden;
pub mod csv;
pub mod freeotp;
pub mod proton;
pub mod steam;
pub mod tessera;
pub mod twofas;

use crate::account::{Account, Algorithm, Digits, OtpKind, Period};
use crate::error::{ImportError, quoted};
use crate::secret::Secret;

/// How an entry names its type, for [`build_account`].
pub(crate) enum Kind<'a> {
    Totp(i64),
    Hotp(i64),
    /// Steam Guard (fixed parameters: the entry's algorithm and digits are
    /// not used).
    Steam,
    /// Any other type name (`motp`, `yandex`, ...).
    Other(&'a str),
}

impl<'a> Kind<'a> {
    /// From a type name (`TOTP`/`HOTP`/`STEAM`, any case) and the fields
    /// that go with it (period default 30 s, counter default 0).
    pub(crate) fn from_type(type_name: &'a str, period: Option<i64>, counter: Option<i64>) -> Self {
        match type_name.trim().to_ascii_uppercase().as_str() {
            "TOTP" => Kind::Totp(period.unwrap_or(30)),
            "HOTP" => Kind::Hotp(counter.unwrap_or(0)),
            "STEAM" => Kind::Steam,
            _ => Kind::Other(type_name),
        }
    }
}

/// Builds an account from the loose fields of a foreign format, mapping
/// each problem to the reason the entry is refused. A Steam entry's
/// algorithm and digits are ignored (Aegis writes SHA1 and 5; others 6).
pub(crate) fn build_account(
    issuer: Option<&str>,
    name: &str,
    secret: Result<Secret, ImportError>,
    algorithm: &str,
    digits: i64,
    kind: Kind<'_>,
) -> Result<Account, ImportError> {
    let issuer = issuer
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(String::from);
    let kind = match kind {
        Kind::Steam => return Ok(Account::steam(issuer, name.trim(), secret?)),
        Kind::Totp(period) => OtpKind::Totp {
            period: Period::new(u64::try_from(period).unwrap_or(0))
                .map_err(|_| ImportError::InvalidPeriod(period.to_string()))?,
        },
        Kind::Hotp(counter) => OtpKind::Hotp {
            counter: u64::try_from(counter)
                .map_err(|_| ImportError::InvalidCounter(counter.to_string()))?,
        },
        Kind::Other(type_name) => return Err(ImportError::UnsupportedType(quoted(type_name))),
    };
    let algorithm: Algorithm = algorithm.parse()?;
    let digits = u32::try_from(digits)
        .map_err(|_| ImportError::UnsupportedDigits(digits.to_string()))
        .and_then(Digits::new)?;
    let secret = secret?;
    Ok(Account {
        issuer,
        name: name.trim().to_string(),
        secret,
        algorithm,
        digits,
        kind,
    })
}

/// One entry as most apps store it: a Base32 key, with SHA1 and 6 digits
/// when the file leaves them out.
pub(crate) struct Fields<'a> {
    pub issuer: Option<&'a str>,
    pub name: &'a str,
    pub secret: &'a str,
    pub algorithm: Option<&'a str>,
    pub digits: Option<i64>,
}

impl Fields<'_> {
    /// The entry's label and its account (or the reason it is refused).
    pub(crate) fn build(&self, kind: Kind<'_>) -> (String, Result<Account, ImportError>) {
        let result = build_account(
            self.issuer,
            self.name,
            Secret::from_base32(self.secret),
            self.algorithm.unwrap_or("SHA1"),
            self.digits.unwrap_or(6),
            kind,
        );
        (raw_label(self.issuer, self.name), result)
    }
}

/// A label for a refused entry: `Issuer (name)` from raw fields.
pub(crate) fn raw_label(issuer: Option<&str>, name: &str) -> String {
    let issuer = issuer.map(str::trim).filter(|i| !i.is_empty());
    match (issuer, name.trim().is_empty()) {
        (Some(i), false) => format!("{i} ({})", name.trim()),
        (Some(i), true) => i.to_string(),
        (None, false) => name.trim().to_string(),
        (None, true) => String::from("(unnamed)"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn steam_entries_are_steam_accounts() {
        for type_name in ["steam", "STEAM", " Steam "] {
            let kind = Kind::from_type(type_name, Some(30), None);
            // Aegis writes digits 5, which a TOTP account would refuse.
            let a = build_account(
                Some(" Boeing "),
                "Sophia",
                Secret::from_base32("JRZCL47CMXVOQMNPZR2F7J4RGI"),
                "SHA1",
                5,
                kind,
            )
            .unwrap();
            let want = Account::steam(
                Some("Boeing".into()),
                "Sophia",
                Secret::from_base32("JRZCL47CMXVOQMNPZR2F7J4RGI").unwrap(),
            );
            assert_eq!(a, want, "{type_name}");
        }
        // A bad key is still refused.
        assert!(
            build_account(
                None,
                "x",
                Secret::from_base32("0189"),
                "SHA1",
                5,
                Kind::Steam
            )
            .is_err()
        );
    }

    #[test]
    fn refusals_name_the_reason() {
        let e = build_account(
            Some("X"),
            "y",
            Secret::from_base32("JBSWY3DPEHPK3PXP"),
            "SHA1",
            6,
            Kind::Other("yandex"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("'yandex'"), "{e}");
        let e = build_account(
            None,
            "x",
            Secret::from_base32("JBSWY3DP"),
            "MD5",
            6,
            Kind::Totp(30),
        )
        .unwrap_err();
        assert!(e.to_string().contains("MD5"));
        let e = build_account(
            None,
            "x",
            Secret::from_base32("JBSWY3DP"),
            "SHA1",
            6,
            Kind::Hotp(-1),
        )
        .unwrap_err();
        assert!(e.to_string().contains("counter"));
    }
}
