//! `otpauth://` Key URIs: parsing and formatting.
//!
//! Rules (draft-andesco-otpauth-uri and the behaviour of the apps people
//! move from): scheme and type are case-insensitive; the label is split at
//! the first `:` or `%3A` *before* percent-decoding; the `issuer` parameter
//! wins over the label prefix; Base32 is tolerant; unknown parameters are
//! ignored; a known parameter given twice is refused; `image` is never
//! fetched. A `+` in the label is a plus sign, in the `issuer` value a space
//! (form encoding).
//!
//! Steam Guard accounts come as `otpauth://steam/…` (Aegis, Ente) or as
//! `otpauth://totp/…?encoder=steam` (KeePassXC, pyotp); their fixed
//! parameters make `algorithm`, `digits` and `period` meaningless, so
//! those are ignored (as pyotp does). Any other `encoder` is refused: its
//! codes would not be the TOTP digits. [`format`] writes Steam accounts as
//! `otpauth://steam/…` with an `issuer` (`Steam` when the account has none),
//! which apps that only know `issuer=Steam` as the Steam mark also read.

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
    let link_type = if type_name.eq_ignore_ascii_case("totp") {
        LinkType::Totp
    } else if type_name.eq_ignore_ascii_case("hotp") {
        LinkType::Hotp
    } else if type_name.eq_ignore_ascii_case("steam") {
        LinkType::Steam
    } else if type_name.is_empty() {
        return Err(ImportError::NotOtpauth(String::from(
            "the otpauth:// link has no type: it must start with otpauth://totp/, otpauth://hotp/ or otpauth://steam/",
        )));
    } else {
        return Err(ImportError::UnsupportedType(quoted(&decode(
            type_name, false,
        )?)));
    };

    let params = Params::parse(query)?;
    let link_type = match (link_type, params.encoder.as_deref().map(str::trim)) {
        (link_type, None) => link_type,
        (LinkType::Totp | LinkType::Steam, Some(e)) if e.eq_ignore_ascii_case("steam") => {
            LinkType::Steam
        }
        (_, Some(other)) => {
            return Err(ImportError::UnsupportedType(format!(
                "{} with encoder {}",
                quoted(&decode(type_name, false)?),
                quoted(other)
            )));
        }
    };
    let (label_issuer, name) = split_label(label)?;

    let secret = match params.secret {
        None => return Err(ImportError::MissingSecret),
        Some(text) => Secret::from_base32(&text)?,
    };
    let issuer = params
        .issuer
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or(label_issuer);
    if link_type == LinkType::Steam {
        return Ok(Account::steam(issuer, name, secret));
    }
    let algorithm = match params.algorithm {
        Some(text) => text.parse::<Algorithm>()?,
        None => Algorithm::Sha1,
    };
    let digits = match params.digits {
        Some(text) => Digits::parse(&text)?,
        None => Digits::SIX,
    };
    let kind = if link_type == LinkType::Totp {
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
    Ok(Account {
        issuer,
        name,
        secret,
        algorithm,
        digits,
        kind,
    })
}

/// The type named by a link (its host, or `encoder=steam`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkType {
    Totp,
    Hotp,
    Steam,
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
    encoder: Option<String>,
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
                "encoder" => ("encoder", &mut params.encoder),
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
    // A Steam link always names an issuer: apps that know Steam only by
    // `issuer=Steam` (FreeOTP+, browser extensions) then show its codes.
    let issuer = match (&account.issuer, account.kind) {
        (Some(issuer), _) => Some(issuer.as_str()),
        (None, OtpKind::Steam) => Some(STEAM_ISSUER),
        (None, _) => None,
    };
    if let Some(issuer) = issuer {
        uri.push_str("&issuer=");
        uri.extend(utf8_percent_encode(issuer, COMPONENT));
    }
    // Steam: the fixed parameters, as Aegis writes them.
    uri.push_str("&algorithm=");
    uri.push_str(account.code_algorithm().as_str());
    uri.push_str(&format!("&digits={}", account.code_length()));
    match account.kind {
        OtpKind::Totp { period } => uri.push_str(&format!("&period={}", period.get())),
        OtpKind::Hotp { counter } => uri.push_str(&format!("&counter={counter}")),
        OtpKind::Steam => uri.push_str(&format!("&period={}", Period::THIRTY.get())),
    }
    uri
}

/// The issuer written in a Steam link for an account that has none.
pub const STEAM_ISSUER: &str = "Steam";

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
            code(&format!("otpauth://yandex/a?{s}")),
            ErrorCode::UnsupportedType
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&encoder=yandex")),
            ErrorCode::UnsupportedType
        );
        assert_eq!(
            code(&format!("otpauth://hotp/a?{s}&encoder=steam")),
            ErrorCode::UnsupportedType
        );
        assert_eq!(
            code(&format!("otpauth://totp/a?{s}&encoder=steam&encoder=steam")),
            ErrorCode::DuplicateParameter
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
    fn steam_links_of_every_app() {
        let key = "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW";
        // Aegis and Ente write otpauth://steam/ with the fixed parameters.
        let a = parse(&format!(
            "otpauth://steam/Boeing:Sophia?secret={key}&issuer=Boeing&algorithm=SHA1&digits=5&period=30"
        ))
        .unwrap();
        assert_eq!(
            a,
            Account::steam(Some("Boeing".into()), "Sophia", a.secret.clone())
        );
        assert_eq!(a.code_at(0), "C5V56");
        // KeePassXC and pyotp: a totp link with encoder=steam. pyotp's test
        // (pyauth/pyotp test.py): period and digits are ignored.
        for link in [
            format!("otpauth://totp/Steam:?secret={key}&encoder=steam"),
            format!("otpauth://totp/Steam:?secret={key}&period=15&digits=7&encoder=steam"),
            format!("otpauth://TOTP/Steam:?secret={key}&ENCODER=Steam&algorithm=SHA256"),
        ] {
            let a = parse(&link).unwrap();
            assert_eq!(a.kind, OtpKind::Steam, "{link}");
            assert_eq!(a.issuer.as_deref(), Some("Steam"));
            assert_eq!(a.algorithm, Algorithm::Sha1);
            assert_eq!(
                [0, 30, 60, 90].map(|t| a.code_at(t)),
                ["C5V56", "QJY8Y", "R3WQY", "JG3T3"],
                "{link}"
            );
        }
        // KeePassXC's own steam link (tests/TestTotp.cpp).
        let a = parse("otpauth://totp/test:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam").unwrap();
        assert_eq!(a.code_at(1511200518), "FR8RV");
        // Without the encoder the same link is a plain TOTP account.
        let plain = parse(&format!("otpauth://totp/Steam:me?secret={key}")).unwrap();
        assert_eq!(plain.kind, OtpKind::default());
    }

    #[test]
    fn steam_format_round_trips_with_an_issuer() {
        let secret = Secret::from_base32("JRZCL47CMXVOQMNPZR2F7J4RGI").unwrap();
        let a = Account::steam(Some("Boeing".into()), "Sophia", secret.clone());
        let link = format(&a);
        assert_eq!(
            link,
            "otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&algorithm=SHA1&digits=5&period=30"
        );
        assert_eq!(parse(&link).unwrap(), a);
        // No issuer: Steam is named, so other apps recognise it.
        let bare = Account::steam(None, "gaben", secret);
        let link = format(&bare);
        assert!(link.starts_with("otpauth://steam/gaben?"), "{link}");
        assert!(link.contains("&issuer=Steam&"), "{link}");
        let back = parse(&link).unwrap();
        assert_eq!(back.issuer.as_deref(), Some("Steam"));
        assert!(back.same_token(&bare));
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
