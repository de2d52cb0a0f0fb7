//! Key derivation and ciphers of the backup formats, with bounds checked
//! before any key derivation runs on parameters read from a file.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use super::error::BackupError;
use super::format::Format;

/// Largest scrypt memory accepted (`128 * N * r` bytes): 256 MiB, eight
/// times what Aegis uses.
pub const SCRYPT_MAX_MEMORY: u64 = 256 * 1024 * 1024;
/// Largest scrypt work accepted for one derivation (`N * r * p`): 2^22,
/// 16 times what Aegis uses (about a second on a recent laptop).
pub const SCRYPT_MAX_WORK: u64 = 1 << 22;
/// Most scrypt work one import may run in total (the sum of `N * r * p`
/// over every derivation it would try: several key slots, two password
/// encodings): 2^23, 32 derivations at Aegis's parameters (a few seconds).
/// A file asking for more is refused before any derivation runs.
pub const SCRYPT_MAX_TOTAL_WORK: u64 = 1 << 23;
/// Most PBKDF2 iterations accepted (andOTP picks ~150 000, 2FAS 10 000).
pub const PBKDF2_MAX_ITERATIONS: u32 = 10_000_000;

/// A 256-bit key, zeroized on drop.
pub type Key = Zeroizing<[u8; 32]>;

/// scrypt with the bounds above; `n` must be a power of two.
pub fn scrypt_key(
    format: Format,
    password: &[u8],
    salt: &[u8],
    n: u64,
    r: u32,
    p: u32,
) -> Result<Key, BackupError> {
    scrypt_work(format, n, r, p)?;
    let limits = |detail: String| BackupError::KdfLimits { format, detail };
    let log_n = n.trailing_zeros() as u8;
    let params = scrypt::Params::new(log_n, r, p)
        .map_err(|_| limits(format!("scrypt N = {n}, r = {r}, p = {p} are not valid")))?;
    let mut key: Key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).map_err(|_| BackupError::Malformed {
        format,
        reason: String::from("scrypt refused the parameters"),
    })?;
    Ok(key)
}

/// The work (`N * r * p`) of one scrypt derivation, once its parameters
/// are checked against the bounds above (nothing runs).
pub fn scrypt_work(format: Format, n: u64, r: u32, p: u32) -> Result<u64, BackupError> {
    let limits = |detail: String| BackupError::KdfLimits { format, detail };
    if n < 2 || !n.is_power_of_two() {
        return Err(limits(format!("scrypt N = {n} is not a power of two ≥ 2")));
    }
    if r == 0 || p == 0 {
        return Err(limits(format!("scrypt r = {r}, p = {p} must be ≥ 1")));
    }
    let memory = 128u64.saturating_mul(n).saturating_mul(u64::from(r));
    if memory > SCRYPT_MAX_MEMORY {
        return Err(limits(format!(
            "scrypt would use {} MiB; at most {} MiB are allowed",
            memory >> 20,
            SCRYPT_MAX_MEMORY >> 20
        )));
    }
    let work = n.saturating_mul(u64::from(r)).saturating_mul(u64::from(p));
    if work > SCRYPT_MAX_WORK {
        return Err(limits(format!(
            "scrypt N·r·p = {work} is above {SCRYPT_MAX_WORK}"
        )));
    }
    Ok(work)
}

/// Refuses an import whose derivations would need more scrypt work in
/// total than [`SCRYPT_MAX_TOTAL_WORK`]; `derivations` is how many there
/// would be.
pub fn check_scrypt_total(
    format: Format,
    total: u64,
    derivations: usize,
) -> Result<(), BackupError> {
    if total > SCRYPT_MAX_TOTAL_WORK {
        return Err(BackupError::KdfLimits {
            format,
            detail: format!(
                "{derivations} scrypt derivations with N·r·p = {total} in total; one import runs at most {SCRYPT_MAX_TOTAL_WORK}"
            ),
        });
    }
    Ok(())
}

/// Which PBKDF2 hash.
#[derive(Debug, Clone, Copy)]
pub enum Prf {
    Sha1,
    Sha256,
}

/// PBKDF2-HMAC with the iteration bound above.
pub fn pbkdf2_key(
    format: Format,
    prf: Prf,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Result<Key, BackupError> {
    check_iterations(format, i64::from(iterations))?;
    let mut key: Key = Zeroizing::new([0u8; 32]);
    match prf {
        Prf::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, key.as_mut()),
        Prf::Sha256 => {
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, key.as_mut())
        }
    }
    Ok(key)
}

/// Refuses an iteration count outside `1..=PBKDF2_MAX_ITERATIONS`.
pub fn check_iterations(format: Format, iterations: i64) -> Result<u32, BackupError> {
    if iterations < 1 || iterations > i64::from(PBKDF2_MAX_ITERATIONS) {
        return Err(BackupError::KdfLimits {
            format,
            detail: format!(
                "PBKDF2 with {iterations} iterations; between 1 and {PBKDF2_MAX_ITERATIONS} are accepted"
            ),
        });
    }
    Ok(iterations as u32)
}

/// AES-256-GCM decryption of `ciphertext || tag`. `None` when the tag does
/// not verify (wrong key or damaged data).
pub fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if nonce.len() != 12 || key.len() != 32 {
        return None;
    }
    let nonce = Nonce::try_from(nonce).ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(
            &nonce,
            Payload {
                msg: ciphertext_and_tag,
                aad: &[],
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// AES-256-GCM encryption with a 96-bit nonce; returns `ciphertext || tag`.
pub fn aes_gcm_seal(
    key: &[u8],
    nonce: &[u8; 12],
    plaintext: &[u8],
) -> Result<Vec<u8>, BackupError> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| BackupError::Encrypt)?;
    cipher
        .encrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: plaintext,
                aad: &[],
            },
        )
        .map_err(|_| BackupError::Encrypt)
}

/// Bytes from the system random generator.
pub fn random<const N: usize>() -> Result<[u8; N], BackupError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| BackupError::Random(e.to_string()))?;
    Ok(bytes)
}

/// A random 256-bit key.
pub fn random_key() -> Result<Key, BackupError> {
    let mut key: Key = Zeroizing::new([0u8; 32]);
    getrandom::fill(key.as_mut()).map_err(|e| BackupError::Random(e.to_string()))?;
    Ok(key)
}

/// Lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Hex (either case); `None` if malformed.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

/// A random version-4 UUID, as Aegis writes in its entries and slots.
pub fn uuid_v4() -> Result<String, BackupError> {
    let mut b: [u8; 16] = random()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = to_hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn hex_round_trip() {
        assert_eq!(to_hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(from_hex("00AB10").unwrap(), vec![0, 0xab, 0x10]);
        assert!(from_hex("0g").is_none());
        assert!(from_hex("abc").is_none());
    }

    #[test]
    fn absurd_kdf_parameters_are_refused_before_running() {
        let f = Format::Aegis;
        for (n, r, p) in [
            (1u64 << 40, 8, 1),
            (3, 8, 1),
            (1 << 15, 8, 1 << 20),
            (1 << 15, 0, 1),
        ] {
            assert!(matches!(
                scrypt_key(f, b"x", b"s", n, r, p),
                Err(BackupError::KdfLimits { .. })
            ));
        }
        assert!(matches!(
            pbkdf2_key(f, Prf::Sha1, b"x", b"s", u32::MAX),
            Err(BackupError::KdfLimits { .. })
        ));
        assert!(check_iterations(f, 0).is_err());
        assert!(check_iterations(f, -5).is_err());
    }

    #[test]
    fn uuid_shape() {
        let u = uuid_v4().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
