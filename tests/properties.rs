//! Property tests: format → parse round trips, and parsers that never panic
//! on arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use tessera::account::{Account, Algorithm, Digits, OtpKind, Period};
use tessera::import::{self, Options, image, text};
use tessera::migration::{self, BatchInfo};
use tessera::secret::{Secret, decode_base32, encode_base32};
use tessera::uri;

fn label() -> impl Strategy<Value = String> {
    // Any text, including ':', '%', '+', '&', '#', non-ASCII; the parser
    // trims labels, so generated ones are trimmed too.
    any::<String>().prop_map(|s| s.trim().to_string())
}

fn account() -> impl Strategy<Value = Account> {
    (
        proptest::option::of(label().prop_filter("non-empty", |s| !s.is_empty())),
        label(),
        proptest::collection::vec(any::<u8>(), 1..=64),
        prop_oneof![
            Just(Algorithm::Sha1),
            Just(Algorithm::Sha256),
            Just(Algorithm::Sha512)
        ],
        6u32..=8,
        prop_oneof![
            (1u64..=300).prop_map(|p| OtpKind::Totp {
                period: Period::new(p).unwrap()
            }),
            any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        ],
    )
        .prop_map(|(issuer, name, secret, algorithm, digits, kind)| Account {
            issuer,
            name,
            secret: Secret::from_bytes(secret).unwrap(),
            algorithm,
            digits: Digits::new(digits).unwrap(),
            kind,
        })
}

/// RFC 4226 HOTP written out here (HMAC, dynamic truncation, modulo),
/// independent of Tessera's and totp-rs's code paths; TOTP is HOTP of
/// the time step (RFC 6238).
fn reference_hotp(a: &Account, counter: u64) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    fn mac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
        let mut m = <M as KeyInit>::new_from_slice(key).unwrap();
        m.update(msg);
        m.finalize().into_bytes().to_vec()
    }
    let msg = counter.to_be_bytes();
    let key = a.secret.expose();
    let digest = match a.algorithm {
        Algorithm::Sha1 => mac::<Hmac<sha1::Sha1>>(key, &msg),
        Algorithm::Sha256 => mac::<Hmac<sha2::Sha256>>(key, &msg),
        Algorithm::Sha512 => mac::<Hmac<sha2::Sha512>>(key, &msg),
    };
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let value = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    let digits = a.digits.get() as usize;
    format!("{:0digits$}", u64::from(value) % 10u64.pow(digits as u32))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn otpauth_format_then_parse_is_identity(a in account()) {
        let link = uri::format(&a);
        prop_assert_eq!(uri::parse(&link).unwrap(), a);
    }

    #[test]
    fn migration_encode_then_parse_is_identity(
        mut accounts in proptest::collection::vec(account(), 1..12),
        size in 1i32..5, id in any::<i32>(),
    ) {
        for a in &mut accounts {
            if let OtpKind::Totp { .. } = a.kind {
                a.kind = OtpKind::Totp { period: Period::THIRTY };
            }
            if a.digits.get() == 7 {
                a.digits = Digits::SIX;
            }
            if let OtpKind::Hotp { counter } = a.kind {
                a.kind = OtpKind::Hotp { counter: counter >> 1 }; // int64 on the wire
            }
            // Google's name field carries "issuer:name"; an issuer with ':' can't round-trip there.
            if a.issuer.as_deref().is_some_and(|i| i.contains(':')) {
                a.issuer = None;
            }
            if a.issuer.is_none() && a.name.contains(':') {
                a.name = a.name.replace(':', " ").trim().to_string();
            }
        }
        let refs: Vec<&Account> = accounts.iter().collect();
        let info = BatchInfo { batch_size: size, batch_index: size - 1, batch_id: id };
        let batch = migration::parse(&migration::encode(&refs, info).unwrap()).unwrap();
        prop_assert_eq!((batch.batch_size, batch.batch_index, batch.batch_id), (size, size - 1, id));
        let got: Vec<Account> = batch.entries.into_iter().map(Result::unwrap).collect();
        prop_assert_eq!(got, accounts);
    }

    #[test]
    fn base32_round_trip_and_tolerance(bytes in proptest::collection::vec(any::<u8>(), 1..100), lower in any::<bool>()) {
        let text = encode_base32(&bytes);
        prop_assert_eq!(decode_base32(&text).unwrap().to_vec(), bytes.clone());
        // Grouped in fours, lowercase, with padding: the same key.
        let mut typed: String = text.chars().collect::<Vec<_>>().chunks(4)
            .map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
        if lower { typed = typed.to_lowercase(); }
        typed.push_str("===");
        prop_assert_eq!(decode_base32(&typed).unwrap().to_vec(), bytes);
        // Normalisation is idempotent.
        let once = Secret::from_base32(&typed).unwrap().to_base32();
        prop_assert_eq!(Secret::from_base32(&once).unwrap().to_base32(), once);
    }

    #[test]
    fn codes_match_an_independent_hotp(a in account(), t in any::<u64>()) {
        let step = match a.kind {
            OtpKind::Totp { period } => t / period.get(),
            OtpKind::Hotp { counter } => counter,
            // Steam's alphabet is checked against pyotp's and KeePassXC's
            // vectors in src/otp.rs.
            OtpKind::Steam => return Ok(()),
        };
        prop_assert_eq!(a.code_at(t), reference_hotp(&a, step));
        if let Some(next) = a.next_code(t) {
            prop_assert_eq!(next, reference_hotp(&a, step + 1));
        }
    }

    #[test]
    fn text_parsers_never_panic(s in any::<String>()) {
        let _ = uri::parse(&s);
        let _ = uri::parse(&format!("otpauth://totp/{s}"));
        let _ = uri::parse(&format!("otpauth://hotp/a?{s}"));
        let _ = migration::parse(&format!("otpauth-migration://offline?data={s}"));
        let _ = decode_base32(&s);
        let _ = text::parse_bare_key(&s);
        let _ = text::parse_text(&s);
    }

    #[test]
    fn otpauth_parser_never_panics_on_structured_noise(
        parts in proptest::collection::vec(prop_oneof![
            Just("secret=".to_string()), Just("&".to_string()), Just("=".to_string()),
            Just("%".to_string()), Just("%3A".to_string()), Just(":".to_string()),
            Just("digits=".to_string()), Just("period=".to_string()), Just("counter=".to_string()),
            Just("algorithm=".to_string()), Just("issuer=".to_string()), Just("?".to_string()),
            "[A-Z2-7]{0,20}", "[0-9-]{0,25}", any::<String>(),
        ], 0..20),
    ) {
        let _ = uri::parse(&format!("otpauth://totp/{}", parts.concat()));
    }

    #[test]
    fn migration_decoder_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = migration::decode_payload(&bytes);
    }

    #[test]
    fn scan_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = import::read(&bytes, &Options::links_only(Some("x.png")));
        let _ = image::sniff(&bytes);
    }
}

/// Valid protobuf framing with hostile values (lengths, enums, varints).
#[test]
fn migration_decoder_survives_mutations_of_a_real_payload() {
    let a = Account::totp(
        Some("JD Cloud".into()),
        "ops",
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
    );
    let link = migration::encode(
        &[&a, &a],
        BatchInfo {
            batch_size: 1,
            batch_index: 0,
            batch_id: 9,
        },
    )
    .unwrap();
    let data = percent_encoding::percent_decode_str(link.split_once("data=").unwrap().1)
        .decode_utf8()
        .unwrap();
    use base64::Engine as _;
    let payload = base64::engine::general_purpose::STANDARD
        .decode(data.as_bytes())
        .unwrap();
    for i in 0..payload.len() {
        for value in [0u8, 1, 2, 4, 0x7f, 0x80, 0xff] {
            let mut p = payload.clone();
            p[i] = value;
            let _ = migration::decode_payload(&p);
        }
        let _ = migration::decode_payload(&payload[..i]);
    }
}
