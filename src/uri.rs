//! `otpauth://` Key URIs: parsing and formatting.
//!
//! Rules (draft-andesco-otpauth-uri and the behaviour of the apps people
//! move from): scheme and type are case-insensitive; the label is split at
//! the first `:` or `%3A` *before* percent-decoding; the `issuer` parameter
//! wins over the label prefix; Base32 is tolerant; unknown parameters are
//! ignored; a known parameter given twice is refused; `image` is never
//! fetched. A `+` in the label is a plus sign, in the `issuer` value a space
//! (form encoding).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::account::{Account, Algorithm, Digits, OtpKind, Period, parse_counter};
use crate::error::{ImportError, quoted};
use crate::secret::Secret;

/// Longest `otpauth://` URI accepted, in bytes.
pub const MAX_URI_LEN: usize = 8 * 1024;

const SCHEME: &str = "otpauth://";

/// Characters escaped in labels and parameter values: everything except
/// unreserved characters and `@` (kept readable in e-mail addresses).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Whether `text` starts with `otpauth://` (any case).
pub fn is_otpauth(text: &str) -> bool {
    text.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

/// Parses one `otpauth://` URI (surrounding whitespace is ignored).
pub fn parse(input: &str) -> Result<Account, ImportError> {
    let input = input.trim();
    if input.len() > MAX_URI_LEN {
        return Err(ImportError::NotOtpauth(format!(
            "the otpauth:// link is {} bytes long; at most {MAX_URI_LEN} are accepted",
            input.len()
        )));
    }
    if !is_otpauth(input) {
        return Err(ImportError::NotOtpauth(String::from(
            "the text is not an otpauth:// link",
        )));
    }
    let rest = &input[SCHEME.len()..];
    let (before_query, query) = match rest.split_once('?') {
        Some((a, b)) => (a, b),
        None => (rest, ""),
    };
    let (type_name, label) = match before_query.split_once('/') {
        Some((a, b)) => (a, b),
        None => (before_query, ""),
    };
    let is_totp = if type_name.eq_ignore_ascii_case("totp") {
        true
    } else if type_name.eq_ignore_ascii_case("hotp") {
        false
    } else if type_name.is_empty() {
        return Err(ImportError::NotOtpauth(String::from(
            "the otpauth:// link has no type: it must start with otpauth://totp/ or otpauth://hotp/",
        )));
    } else {
        return Err(ImportError::UnsupportedType(quoted(&decode(
            type_name, false,
        )?)));
    };

    let params = Params::parse(query)?;
    let (label_issuer, name) = split_label(label)?;

    let secret = match params.secret {
        None => return Err(ImportError::MissingSecret),
        Some(text) => Secret::from_base32(&text)?,
    };
    let algorithm = match params.algorithm {
        Some(text) => text.parse::<Algorithm>()?,
        None => Algorithm::Sha1,
    };
    let digits = match params.digits {
        Some(text) => Digits::parse(&text)?,
        None => Digits::SIX,
    };
    let kind = if is_totp {
        OtpKind::Totp {
            period: match params.period {
                Some(text) => Period::parse(&text)?,
                None => Period::THIRTY,
            },
        }
    } else {
        // The counter is required by the spec, but links without one exist;
        // like most apps, start at 0.
        OtpKind::Hotp {
            counter: match params.counter {
                Some(text) => parse_counter(&text)?,
                None => 0,
            },
        }
    };
    let issuer = params
        .issuer
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or(label_issuer);
    Ok(Account {
        issuer,
        name,
        secret,
        algorithm,
        digits,
        kind,
    })
}

/// The known parameters of a Key URI, each at most once.
#[derive(Default)]
struct Params {
    secret: Option<zeroize::Zeroizing<String>>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
}

impl Params {
    fn parse(query: &str) -> Result<Self, ImportError> {
        let mut params = Params::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let key = key.trim().to_ascii_lowercase();
            let (name, slot): (&'static str, &mut Option<String>) = match key.as_str() {
                "secret" => {
                    if params.secret.is_some() {
                        return Err(ImportError::DuplicateParameter("secret"));
                    }
                    // Base32 never contains '%' or '+': decode escapes such
                    // as %3D padding and keep the text zeroizing.
                    let text = percent_decode_str(raw).decode_utf8().map_err(|_| {
                        ImportError::InvalidSecret(String::from("the key is not valid UTF-8"))
                    })?;
                    params.secret = Some(zeroize::Zeroizing::new(text.into_owned()));
                    continue;
                }
                "issuer" => ("issuer", &mut params.issuer),
                "algorithm" => ("algorithm", &mut params.algorithm),
                "digits" => ("digits", &mut params.digits),
                "period" => ("period", &mut params.period),
                "counter" => ("counter", &mut params.counter),
                _ => continue, // unknown parameters (image, color, ...) are ignored
            };
            if slot.is_some() {
                return Err(ImportError::DuplicateParameter(name));
            }
            *slot = Some(decode(raw, name == "issuer")?.into_owned());
        }
        Ok(params)
    }
}

/// Percent-decodes a URI component into UTF-8. With `plus_is_space`, `+`
/// means a space (form encoding, used by some issuers in `issuer=`).
fn decode(raw: &str, plus_is_space: bool) -> Result<Cow<'_, str>, ImportError> {
    let spaced;
    let raw = if plus_is_space && raw.contains('+') {
        spaced = raw.replace('+', " ");
        spaced.as_str()
    } else {
        raw
    };
    match percent_decode_str(raw).decode_utf8() {
        Ok(text) => Ok(Cow::Owned(text.into_owned())),
        Err(_) => Err(ImportError::NotOtpauth(String::from(
            "the otpauth:// link has percent-escapes that are not valid UTF-8 text",
        ))),
    }
}

/// Splits `Issuer:account` at the first `:` or `%3A`, before decoding.
fn split_label(label: &str) -> Result<(Option<String>, String), ImportError> {
    let colon = label.find(':').map(|i| (i, 1));
    let escaped = find_ignore_case(label, "%3A").map(|i| (i, 3));
    let split = match (colon, escaped) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match split {
        Some((at, len)) => {
            let issuer = decode(&label[..at], false)?.trim().to_string();
            let name = decode(&label[at + len..], false)?.trim().to_string();
            Ok(((!issuer.is_empty()).then_some(issuer), name))
        }
        None => Ok((None, decode(label, false)?.trim().to_string())),
    }
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Formats an account as an `otpauth://` URI that [`parse`] reads back to
/// the same account. Contains the secret: handle like the secret itself.
pub fn format(account: &Account) -> String {
    let mut uri = String::from(SCHEME);
    uri.push_str(account.kind.type_name());
    uri.push('/');
    // With no issuer, an empty prefix keeps a ':' inside the name from
    // being read back as an issuer separator.
    // An issuer holding ':' is carried by the issuer parameter alone.
    match &account.issuer {
        Some(issuer) if !issuer.contains(':') => {
            uri.extend(utf8_percent_encode(issuer, COMPONENT));
            uri.push(':');
        }
        _ if account.name.contains(':') || account.issuer.is_some() => uri.push(':'),
        _ => {}
    }
    uri.extend(utf8_percent_encode(&account.name, COMPONENT));
    uri.push_str("?secret=");
    uri.push_str(&account.secret.to_base32());
    if let Some(issuer) = &account.issuer {
        uri.push_str("&issuer=");
        uri.extend(utf8_percent_encode(issuer, COMPONENT));
    }
    uri.push_str("&algorithm=");
    uri.push_str(account.algorithm.as_str());
    uri.push_str(&format!("&digits={}", account.digits.get()));
    match account.kind {
        OtpKind::Totp { period } => uri.push_str(&format!("&period={}", period.get())),
        OtpKind::Hotp { counter } => uri.push_str(&format!("&counter={counter}")),
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn code(uri: &str) -> ErrorCode {
        parse(uri).unwrap_err().code()
    }

    #[test]
    fn issuer_param_wins_and_label_split_before_decoding() {
        let a = parse(
            "otpauth://totp/Tailspin:felix@x.test?secret=67XMYZ3DTUYAMQXP&issuer=Sample%20Mail",
        )
        .unwrap();
        assert_eq!(a.issuer.as_deref(), Some("Sample Mail"));
        assert_eq!(a.name, "felix@x.test");
        // An escaped colon splits too; a later decoded ':' stays in the name.
        let a = parse("otpauth://totp/ACME%3Ajohn%3Ax?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(a.issuer.as_deref(), Some("ACME"));
        assert_eq!(a.name, "john:x");
    }

    #[test]
    fn plus_is_literal_in_label_but_space_in_issuer() {
        let a =
            parse("otpauth://totp/Demo:felix+otp@x.org?secret=GKWFQCUGQQK2AULE&issuer=Example+Web")
                .unwrap();
        assert_eq!(a.name, "felix+otp@x.org");
        assert_eq!(a.issuer.as_deref(), Some("Example Web"));
    }

    #[test]
    fn case_insensitive_scheme_type_and_parameters() {
        let a = parse("OTPAUTH://TOTP/A:b?SECRET=jbswy3dpehpk3pxp&Algorithm=sha256").unwrap();
        assert_eq!(a.algorithm, Algorithm::Sha256);
    }

    #[test]
    fn refusals_have_codes() {
        let s = "secret=JBSWY3DPEHPK3PXP";
        // Any parameter given twice: its own code (issue 10).
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&{s}")),
            ErrorCode::DuplicateParameter
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&digits=6&digits=6")),
            ErrorCode::DuplicateParameter
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&issuer=a&issuer=b")),
            ErrorCode::DuplicateParameter
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&period=0")),
            ErrorCode::InvalidPeriod
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&period=301")),
            ErrorCode::InvalidPeriod
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&digits=4294967296")),
            ErrorCode::UnsupportedDigits
        );
        assert_eq!(
            code(&format!("otpauth://hotp/a?{s}&counter=-1")),
            ErrorCode::InvalidCounter
        );
        assert_eq!(
            code(&format!("otpauth://steam/a?{s}")),
            ErrorCode::UnsupportedType
        );
        assert_eq!(code(&format!("otpauth://?{s}")), ErrorCode::NotOtpauth);
        assert_eq!(code("otpauth://totp/a?secret="), ErrorCode::MissingSecret);
        assert_eq!(code("otpauth://totp/a"), ErrorCode::MissingSecret);
        assert_eq!(code("https://example.org"), ErrorCode::NotOtpauth);
        assert_eq!(
            code(&format!("otpauth://totp/%FF?{s}")),
            ErrorCode::NotOtpauth
        );
        let long = format!("otpauth://totp/{}?{s}", "a".repeat(MAX_URI_LEN));
        assert_eq!(code(&long), ErrorCode::NotOtpauth);
    }

    #[test]
    fn duplicate_parameter_message_names_it() {
        let err =
            parse("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=30&period=60").unwrap_err();
        assert!(err.to_string().contains("'period'"), "{err}");
    }

    #[test]
    fn any_duplicated_parameter_has_its_own_code() {
        for link in [
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&algorithm=SHA256",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&algorithm=SHA1",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=6&digits=6",
        ] {
            assert_eq!(code(link), ErrorCode::DuplicateParameter, "{link}");
        }
    }

    #[test]
    fn hotp_counter_defaults_to_zero() {
        let a = parse("otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(a.kind, OtpKind::Hotp { counter: 0 });
    }

    #[test]
    fn format_round_trips_awkward_labels() {
        for (issuer, name) in [
            (Some("AT&T Business"), "a:b c+d@e?f#g%h/i"),
            (None, "has:colon"),
            (Some("阿里云"), "用户"),
            (None, ""),
            (Some("a:b"), "c"),
        ] {
            let mut a = Account::totp(
                issuer.map(String::from),
                name,
                Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            );
            a.kind = OtpKind::Hotp { counter: u64::MAX };
            let back = parse(&format(&a)).unwrap();
            assert_eq!(back, a, "{}", format(&a));
        }
    }
}
