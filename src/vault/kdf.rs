//! Argon2id for the password slot: parameters, read caps, calibration.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::VaultError;

/// Argon2 version 1.3, the only one written or read.
pub const ARGON2_VERSION: u32 = 0x13;

/// Creation floor (Bitwarden default, RFC 9106 second option).
pub const FLOOR_M_KIB: u32 = 64 * 1024;
pub const FLOOR_T: u32 = 3;
pub const FLOOR_P: u32 = 4;
/// Where calibration starts.
pub const START_M_KIB: u32 = 256 * 1024;

/// Caps checked before running parameters read from a file: a few times
/// the most this build ever writes (calibration stays within
/// [`START_M_KIB`] and [`CALIBRATED_T_MAX`] passes, [`FLOOR_P`] lanes), so
/// a later build may calibrate somewhat higher. Anything above is not a
/// Tessera file but a tampered one, refused without running the KDF: a
/// tampered header costs at most a few seconds before "wrong password".
pub const CAP_M_KIB: u32 = 4 * START_M_KIB;
pub const CAP_T: u32 = 3 * CALIBRATED_T_MAX;
pub const CAP_P: u32 = 4 * FLOOR_P;
/// Cap on memory × passes (KiB × passes): twice the most calibration
/// writes (about 2 s where calibration chose its most).
pub const CAP_WORK: u64 = 2 * START_M_KIB as u64 * CALIBRATED_T_MAX as u64;
pub const SALT_MIN: usize = 16;
pub const SALT_MAX: usize = 64;

/// Calibration target window.
const TARGET_LOW: Duration = Duration::from_millis(500);
const TARGET_HIGH: Duration = Duration::from_millis(1000);
/// Calibration never raises the time cost above this.
pub const CALIBRATED_T_MAX: u32 = 10;

/// Argon2id parameters as stored in a password slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Always `argon2id`.
    pub alg: String,
    /// Always 19 (0x13).
    pub version: u32,
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
    /// Random salt.
    #[serde(with = "super::crypto::b64")]
    pub salt: Vec<u8>,
}

impl KdfParams {
    /// Refuses parameters beyond the caps, without running anything.
    pub fn check_caps(&self) -> Result<(), VaultError> {
        let refuse = |why: String| Err(VaultError::KdfLimits(why));
        if self.alg != "argon2id" || self.version != ARGON2_VERSION {
            return refuse(format!(
                "unknown function {} version {}",
                self.alg, self.version
            ));
        }
        if self.m_kib > CAP_M_KIB {
            return refuse(format!(
                "memory {} MiB > {} MiB",
                self.m_kib / 1024,
                CAP_M_KIB / 1024
            ));
        }
        if self.t == 0 || self.t > CAP_T {
            return refuse(format!("passes {} not in 1..={CAP_T}", self.t));
        }
        if self.p == 0 || self.p > CAP_P {
            return refuse(format!("lanes {} not in 1..={CAP_P}", self.p));
        }
        if u64::from(self.m_kib) * u64::from(self.t) > CAP_WORK {
            return refuse(format!(
                "memory {} MiB × {} passes > {} MiB × passes",
                self.m_kib / 1024,
                self.t,
                CAP_WORK / 1024
            ));
        }
        if self.m_kib < 8 * self.p {
            return refuse(format!("memory {} KiB < 8 KiB per lane", self.m_kib));
        }
        if !(SALT_MIN..=SALT_MAX).contains(&self.salt.len()) {
            return refuse(format!(
                "salt of {} bytes not in {SALT_MIN}..={SALT_MAX}",
                self.salt.len()
            ));
        }
        Ok(())
    }

    /// Whether these parameters are below the creation floor (an older or
    /// imported vault): worth upgrading after a successful unlock.
    pub fn below_floor(&self) -> bool {
        self.m_kib < FLOOR_M_KIB || self.t < FLOOR_T || self.p < FLOOR_P
    }

    /// Derives the 32-byte key-encryption key, after checking the caps.
    pub fn derive(&self, password: &[u8]) -> Result<Zeroizing<[u8; 32]>, VaultError> {
        self.check_caps()?;
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| VaultError::Kdf(e.to_string()))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(password, &self.salt, out.as_mut())
            .map_err(|e| VaultError::Kdf(e.to_string()))?;
        Ok(out)
    }

    fn new(m_kib: u32, t: u32, p: u32) -> Result<Self, VaultError> {
        Ok(Self {
            alg: String::from("argon2id"),
            version: ARGON2_VERSION,
            m_kib,
            t,
            p,
            salt: super::crypto::random_vec(32)?,
        })
    }
}

/// How new password slots choose their parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdfPolicy {
    /// Calibrated on this machine to about 0.5–1 s, never below the floor.
    Calibrated,
    /// Fixed parameters: only for tests (see [`KdfPolicy::from_env`]).
    Fixed { m_kib: u32, t: u32, p: u32 },
}

impl KdfPolicy {
    /// Cheap parameters for tests.
    pub(crate) const TEST: KdfPolicy = KdfPolicy::Fixed {
        m_kib: 1024,
        t: 1,
        p: 1,
    };

    /// The policy of this process: [`KdfPolicy::Calibrated`], except that a
    /// debug build (tests) honours `TESSERA_TEST_FAST_KDF=1` with cheap
    /// parameters. Release builds ignore the variable. The slot always
    /// records the parameters actually used.
    pub fn from_env() -> Self {
        if cfg!(debug_assertions)
            && std::env::var_os("TESSERA_TEST_FAST_KDF").is_some_and(|v| v == "1")
        {
            Self::TEST
        } else {
            Self::Calibrated
        }
    }

    /// Chooses parameters for `password` and derives its key in one go:
    /// the first calibration run is kept when it lands in the target window.
    pub fn derive_new(
        self,
        password: &[u8],
    ) -> Result<(KdfParams, Zeroizing<[u8; 32]>), VaultError> {
        match self {
            Self::Fixed { m_kib, t, p } => {
                let params = KdfParams::new(m_kib, t, p)?;
                let key = params.derive(password)?;
                Ok((params, key))
            }
            Self::Calibrated => {
                let params = KdfParams::new(START_M_KIB, FLOOR_T, FLOOR_P)?;
                let started = Instant::now();
                let key = params.derive(password)?;
                let took = started.elapsed();
                if (TARGET_LOW..=TARGET_HIGH).contains(&took) {
                    return Ok((params, key));
                }
                let (m_kib, t) = calibrate(took);
                let params = KdfParams::new(m_kib, t, FLOOR_P)?;
                let key = params.derive(password)?;
                Ok((params, key))
            }
        }
    }
}

/// From the time of one run at (START_M_KIB, FLOOR_T), the parameters that
/// should take about 0.75 s, assuming time linear in memory and passes.
fn calibrate(took: Duration) -> (u32, u32) {
    let secs = took.as_secs_f64().max(1e-3);
    let goal = 0.75;
    if secs > TARGET_HIGH.as_secs_f64() {
        // Too slow: less memory, down to the floor.
        let m = (f64::from(START_M_KIB) * goal / secs) as u32;
        (m.clamp(FLOOR_M_KIB, START_M_KIB) / 1024 * 1024, FLOOR_T)
    } else {
        // Too fast: more passes.
        let t = (f64::from(FLOOR_T) * goal / secs).ceil() as u32;
        (START_M_KIB, t.clamp(FLOOR_T, CALIBRATED_T_MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run, these parameters would fail differently (64 GiB cannot be
    /// allocated) or not finish (2^31 passes): `KdfLimits` means they were
    /// refused first. How fast: scripts/bench-refusals.
    #[test]
    fn caps_refuse_before_running() {
        let mut p = KdfParams::new(64 * 1024 * 1024, 3, 4).unwrap();
        assert!(matches!(p.derive(b"x"), Err(VaultError::KdfLimits(_))));
        p.m_kib = 1024;
        p.t = 1 << 31;
        assert!(matches!(p.derive(b"x"), Err(VaultError::KdfLimits(_))));
        p.t = 1;
        p.p = 17;
        assert!(matches!(p.derive(b"x"), Err(VaultError::KdfLimits(_))));
        p.p = 1;
        p.salt = vec![0; 8];
        assert!(matches!(p.derive(b"x"), Err(VaultError::KdfLimits(_))));
    }

    /// Issue 11 item 14: parameters above what Tessera ever writes (each
    /// within the old caps of 2 GiB, 20 passes, 16 lanes) are refused
    /// without running the KDF; the most calibration writes is accepted.
    #[test]
    fn parameters_beyond_what_tessera_writes_are_tampering() {
        let mut p = KdfParams::new(START_M_KIB, CALIBRATED_T_MAX, FLOOR_P).unwrap();
        assert!(p.check_caps().is_ok());
        for (m_kib, t) in [
            (2 * 1024 * 1024, 20),
            (CAP_M_KIB + 1024, 1),
            (CAP_M_KIB, 20),
            (START_M_KIB, 21),
            (64 * 1024, CAP_T + 1),
        ] {
            p.m_kib = m_kib;
            p.t = t;
            let e = p.derive(b"x").unwrap_err();
            assert!(matches!(e, VaultError::KdfLimits(_)), "{m_kib} {t}: {e:?}");
            assert!(e.is_damage());
        }
    }

    #[test]
    fn calibration_stays_within_floor_and_caps() {
        for ms in [1u64, 50, 300, 600, 1500, 5000, 60_000] {
            let (m, t) = calibrate(Duration::from_millis(ms));
            assert!((FLOOR_M_KIB..=START_M_KIB).contains(&m), "{ms}: {m}");
            assert!((FLOOR_T..=CALIBRATED_T_MAX).contains(&t), "{ms}: {t}");
        }
    }

    #[test]
    fn fixed_policy_records_what_it_used() {
        let (params, key) = KdfPolicy::TEST.derive_new(b"pw").unwrap();
        assert_eq!((params.m_kib, params.t, params.p), (1024, 1, 1));
        assert_eq!(params.derive(b"pw").unwrap(), key);
        assert_ne!(params.derive(b"pw2").unwrap(), key);
    }
}
