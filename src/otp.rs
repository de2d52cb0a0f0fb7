//! One-time codes: HOTP (RFC 4226) and TOTP (RFC 6238).
//!
//! Time is always a parameter (`unix_time`, seconds since 1970): only the
//! front ends read the clock. TOTP goes through `totp-rs` (its non-compliant
//! builder, since our own types already validated every parameter and
//! it refuses the common 80-bit keys); HOTP is computed here.

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

/// Dynamic truncation (RFC 4226 §5.4) and reduction to `digits` digits.
fn truncate(digest: &[u8], digits: Digits) -> String {
    let Some(last) = digest.last() else {
        return String::new();
    };
    let offset = usize::from(last & 0x0f);
    let bytes: [u8; 4] = match digest
        .get(offset..offset + 4)
        .and_then(|s| s.try_into().ok())
    {
        Some(b) => b,
        None => return String::new(),
    };
    let binary = u32::from_be_bytes(bytes) & 0x7fff_ffff;
    let width = digits.get() as usize;
    let value = binary % 10u32.pow(digits.get());
    format!("{value:0width$}")
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
        }
    }

    /// Seconds until the TOTP code changes (1..=period); `None` for HOTP.
    pub fn seconds_remaining(&self, unix_time: u64) -> Option<u64> {
        match self.kind {
            OtpKind::Totp { period } => Some(period.get() - unix_time % period.get()),
            OtpKind::Hotp { .. } => None,
        }
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

    #[test]
    fn grouping() {
        assert_eq!(group_code("123456"), "123 456");
        assert_eq!(group_code("1234567"), "123 4567");
        assert_eq!(group_code("12345678"), "1234 5678");
    }
}
