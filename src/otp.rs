//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! Time is always a parameter (`unix_time`, seconds since 1970): only the
//! front ends read the clock. TOTP goes through `totp-rs` (its non-compliant
//! builder, since our own types already validated every parameter and
//! it refuses the common 80-bit keys); HOTP and Steam Guard are computed
//! here (Steam Guard is checked against `totp-rs`'s `steam` feature in the
//! tests).

use hmac::{Hmac, KeyInit, Mac};

use crate::account::{Account, Algorithm, Digits, OtpKind, Period};
use crate::secret::Secret;

/// HOTP value for `counter` (RFC 4226 §5.3), as a zero-padded string.
pub fn hotp(secret: &Secret, algorithm: Algorithm, digits: Digits, counter: u64) -> String {
    let message = counter.to_be_bytes();
    let digest = match algorithm {
        Algorithm::Sha1 => mac::<Hmac<sha1::Sha1>>(secret.expose(), &message),
        Algorithm::Sha256 => mac::<Hmac<sha2::Sha256>>(secret.expose(), &message),
        Algorithm::Sha512 => mac::<Hmac<sha2::Sha512>>(secret.expose(), &message),
    };
    truncate(&digest, digits)
}

fn mac<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this never fails.
    match <M as KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(message);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Dynamic truncation (RFC 4226 §5.4): the 31-bit value picked by the
/// digest's last nibble. `None` only for a digest shorter than 20 bytes,
/// which no HMAC here returns.
fn dynamic_truncation(digest: &[u8]) -> Option<u32> {
    let offset = usize::from(digest.last()? & 0x0f);
    let bytes: [u8; 4] = digest.get(offset..offset + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(bytes) & 0x7fff_ffff)
}

/// Dynamic truncation and reduction to `digits` digits.
fn truncate(digest: &[u8], digits: Digits) -> String {
    let Some(binary) = dynamic_truncation(digest) else {
        return String::new();
    };
    let width = digits.get() as usize;
    let value = binary % 10u32.pow(digits.get());
    format!("{value:0width$}")
}

/// The 26 characters of Steam Guard codes: digits and consonants without
/// the look-alikes 0, 1, L, S and Z.
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// Steam Guard code at `unix_time`: HMAC-SHA1 of the 30-second time step,
/// the 31-bit dynamic-truncation value, then 5 times: the character at
/// (value mod 26), value divided by 26.
pub fn steam(secret: &Secret, unix_time: u64) -> String {
    let step = unix_time / Period::THIRTY.get();
    let digest = mac::<Hmac<sha1::Sha1>>(secret.expose(), &step.to_be_bytes());
    let Some(mut value) = dynamic_truncation(&digest) else {
        return String::new();
    };
    let radix = STEAM_ALPHABET.len() as u32;
    (0..OtpKind::STEAM_CHARS)
        .map(|_| {
            let c = STEAM_ALPHABET[(value % radix) as usize];
            value /= radix;
            char::from(c)
        })
        .collect()
}

/// TOTP value at `unix_time` (RFC 6238, T0 = 0), computed by `totp-rs`.
pub fn totp(
    secret: &Secret,
    algorithm: Algorithm,
    digits: Digits,
    period: Period,
    unix_time: u64,
) -> String {
    let algorithm = match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    };
    // The TOTP value zeroizes its copy of the key on drop (feature
    // `zeroize`); never format it with Debug, which would print the key.
    // `build_noncompliant`: our own types already validated every parameter
    // (digits 6..=8, period ≥ 1), and the RFC check refuses 80-bit keys.
    let generator = totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(digits.get() as u8)
        .with_skew(0)
        .with_step_duration(period.get())
        .with_secret(secret.expose())
        .build_noncompliant();
    generator.generate(unix_time).to_string()
}

impl Account {
    /// The code shown at `unix_time`: for TOTP the code of that time step,
    /// for HOTP the code of the current counter (time is ignored).
    pub fn code_at(&self, unix_time: u64) -> String {
        match self.kind {
            OtpKind::Totp { period } => {
                totp(&self.secret, self.algorithm, self.digits, period, unix_time)
            }
            OtpKind::Hotp { counter } => hotp(&self.secret, self.algorithm, self.digits, counter),
            OtpKind::Steam => steam(&self.secret, unix_time),
        }
    }

    /// The code after the current one: the next time step for TOTP, the next
    /// counter value for HOTP. `None` only at the very end of the u64 range.
    pub fn next_code(&self, unix_time: u64) -> Option<String> {
        match self.kind {
            OtpKind::Totp { period } => {
                let step = unix_time / period.get();
                let next = step.checked_add(1)?.checked_mul(period.get())?;
                Some(totp(
                    &self.secret,
                    self.algorithm,
                    self.digits,
                    period,
                    next,
                ))
            }
            OtpKind::Hotp { counter } => Some(hotp(
                &self.secret,
                self.algorithm,
                self.digits,
                counter.checked_add(1)?,
            )),
            OtpKind::Steam => {
                let period = Period::THIRTY.get();
                let next = (unix_time / period).checked_add(1)?.checked_mul(period)?;
                Some(steam(&self.secret, next))
            }
        }
    }

    /// Seconds until a time-based (TOTP, Steam) code changes
    /// (1..=period); `None` for HOTP.
    pub fn seconds_remaining(&self, unix_time: u64) -> Option<u64> {
        let period = self.kind.period()?.get();
        Some(period - unix_time % period)
    }
}

/// Groups a code for reading: `123 456`, `123 4567`, `1234 5678`.
pub fn group_code(code: &str) -> String {
    let split = code.len() / 2;
    match (code.get(..split), code.get(split..)) {
        (Some(a), Some(b)) if code.len() >= 6 => format!("{a} {b}"),
        _ => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(seed: &[u8]) -> Secret {
        Secret::from_bytes(seed.to_vec()).unwrap()
    }

    const RFC4226: [&str; 10] = [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489",
    ];

    #[test]
    fn rfc4226_appendix_d() {
        let secret = ascii(b"12345678901234567890");
        for (counter, want) in RFC4226.iter().enumerate() {
            assert_eq!(
                hotp(&secret, Algorithm::Sha1, Digits::SIX, counter as u64),
                *want
            );
        }
    }

    #[test]
    fn rfc4226_intermediate_hmac_values() {
        let secret = ascii(b"12345678901234567890");
        let want = [
            "cc93cf18508d94934c64b65d8ba7667fb7cde4b0",
            "75a48a19d4cbe100644e8ac1397eea747a2d33ab",
            "0bacb7fa082fef30782211938bc1c5e70416ff44",
            "66c28227d03a2d5529262ff016a1e6ef76557ece",
            "a904c900a64b35909874b33e61c5938a8e15ed1c",
            "a37e783d7b7233c083d4f62926c7a25f238d0316",
            "bc9cd28561042c83f219324d3c607256c03272ae",
            "a4fb960c0bc06e1eabb804e5b397cdc4b45596fa",
            "1b3c89f65e6c9e883012052823443f048b4332db",
            "1637409809a679dc698207310c8c7fc07290d9e5",
        ];
        for (counter, hex) in want.iter().enumerate() {
            let digest = mac::<Hmac<sha1::Sha1>>(secret.expose(), &(counter as u64).to_be_bytes());
            let got: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(&got, hex);
        }
    }

    #[test]
    fn rfc6238_appendix_b_all_18() {
        let sha1 = ascii(b"12345678901234567890");
        let sha256 = ascii(b"12345678901234567890123456789012");
        let sha512 = ascii(b"1234567890123456789012345678901234567890123456789012345678901234");
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let eight = Digits::new(8).unwrap();
        let six = Digits::SIX;
        for (t, a, b, c) in table {
            for (secret, alg, want) in [
                (&sha1, Algorithm::Sha1, a),
                (&sha256, Algorithm::Sha256, b),
                (&sha512, Algorithm::Sha512, c),
            ] {
                assert_eq!(
                    totp(secret, alg, eight, Period::THIRTY, t),
                    want,
                    "{alg} at {t}"
                );
                // The 6-digit truncation is the last six digits.
                assert_eq!(
                    totp(secret, alg, six, Period::THIRTY, t),
                    want[2..],
                    "{alg} at {t}"
                );
                // TOTP is HOTP of the time step: our HOTP agrees with totp-rs.
                assert_eq!(hotp(secret, alg, eight, t / 30), want);
            }
        }
    }

    #[test]
    fn next_code_and_remaining() {
        let mut a = Account::totp(None, "x", ascii(b"12345678901234567890"));
        a.digits = Digits::new(8).unwrap();
        assert_eq!(a.seconds_remaining(59), Some(1));
        assert_eq!(a.seconds_remaining(60), Some(30));
        assert_eq!(a.next_code(1111111109).as_deref(), Some("14050471"));
        assert_eq!(a.next_code(u64::MAX), None);
        a.kind = OtpKind::Hotp { counter: 0 };
        a.digits = Digits::SIX;
        assert_eq!(a.code_at(12345), "755224");
        assert_eq!(a.next_code(0).as_deref(), Some("287082"));
        assert_eq!(a.seconds_remaining(5), None);
    }

    fn b32(text: &str) -> Secret {
        Secret::from_base32(text).unwrap()
    }

    #[test]
    fn steam_vectors_of_pyotp() {
        // pyauth/pyotp test.py, class SteamTOTP (test_match_examples and
        // test_verify; the same secret and codes as its
        // `otpauth://totp/Steam:?secret=FMXN...&encoder=steam` parse_uri case).
        let table: [(&str, &[(u64, &str)]); 2] = [
            (
                "BASE32SECRET3232",
                &[
                    (0, "2TC8B"),
                    (30, "YKKK4"),
                    (60, "M4HQB"),
                    (90, "DTVB3"),
                    (1662883100, "N3G63"),
                    (946681223, "7VP3X"),
                ],
            ),
            (
                "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW",
                &[
                    (0, "C5V56"),
                    (30, "QJY8Y"),
                    (60, "R3WQY"),
                    (90, "JG3T3"),
                    (1662884261, "V6WKJ"),
                    (946681223, "4MK54"),
                ],
            ),
        ];
        for (key, cases) in table {
            let account = Account::steam(Some("Steam".into()), "", b32(key));
            for (t, want) in cases {
                assert_eq!(account.code_at(*t), *want, "{key} at {t}");
            }
        }
    }

    #[test]
    fn steam_vectors_of_keepassxc() {
        // keepassxreboot/keepassxc tests/TestTotp.cpp, testSteamTotp: codes
        // of a real Steam app (also Authenticator Pro's SteamOtpTest).
        let account = Account::steam(None, "", b32("63BEDWCQZKTQWPESARIERL5DTTQFCJTK"));
        assert_eq!(account.code_at(1511200518), "FR8RV");
        assert_eq!(account.code_at(1511200714), "9P3VP");
    }

    /// totp-rs 6 with its `steam` feature (a dev-dependency feature).
    fn totp_rs_steam(secret: &Secret, t: u64) -> String {
        totp_rs::Builder::new()
            .with_algorithm(totp_rs::Algorithm::Steam)
            .with_digits(5)
            .with_skew(0)
            .with_step_duration(30)
            .with_secret(secret.expose())
            .build_noncompliant()
            .generate(t)
            .to_string()
    }

    #[test]
    fn steam_agrees_with_totp_rs() {
        // The Steam entry of Aegis's importer test vectors (beemdevelopment/
        // Aegis, app/src/test/.../vectors/VaultEntries.java: SteamInfo
        // JRZCL47CMXVOQMNPZR2F7J4RGI, SHA1, 5 digits, 30 s; Aegis's tests
        // give no code, so totp-rs computes them), then assorted keys.
        let keys = [
            b32("JRZCL47CMXVOQMNPZR2F7J4RGI"),
            b32("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW"),
            ascii(b"12345678901234567890"),
            ascii(&[0xff; 64]),
            ascii(&[7]),
        ];
        let times = [0, 29, 30, 59, 1111111109, 1662884261, 20000000000, u64::MAX];
        for key in &keys {
            for t in times {
                let ours = steam(key, t);
                assert_eq!(ours.len(), 5);
                assert!(ours.bytes().all(|c| STEAM_ALPHABET.contains(&c)));
                assert_eq!(ours, totp_rs_steam(key, t), "at {t}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        #[test]
        fn steam_agrees_with_totp_rs_on_any_key_and_time(
            key in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..=64),
            t in proptest::prelude::any::<u64>(),
        ) {
            let key = ascii(&key);
            proptest::prop_assert_eq!(steam(&key, t), totp_rs_steam(&key, t));
        }
    }

    #[test]
    fn steam_next_code_and_remaining() {
        let a = Account::steam(None, "x", b32("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW"));
        assert_eq!(a.next_code(0).as_deref(), Some("QJY8Y"));
        assert_eq!(a.next_code(89).as_deref(), Some("JG3T3"));
        assert_eq!(a.seconds_remaining(0), Some(30));
        assert_eq!(a.seconds_remaining(59), Some(1));
        assert_eq!(a.next_code(u64::MAX), None);
        // The stored algorithm and digits do not change a Steam code.
        let mut b = a.clone();
        b.algorithm = Algorithm::Sha256;
        b.digits = Digits::new(8).unwrap();
        assert_eq!(b.code_at(0), "C5V56");
    }

    #[test]
    fn grouping() {
        assert_eq!(group_code("123456"), "123 456");
        assert_eq!(group_code("1234567"), "123 4567");
        assert_eq!(group_code("12345678"), "1234 5678");
    }
}
