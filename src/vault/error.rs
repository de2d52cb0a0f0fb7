//! Errors of the vault. No message ever holds a secret, a password or an
//! account name: they name files, slots and causes only.

use std::io;
use std::path::PathBuf;

/// Why a vault operation failed.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("no vault at {}", .0.display())]
    NotFound(PathBuf),
    #[error("a vault already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is not a Tessera vault", .0.display())]
    NotAVault(PathBuf),
    #[error(
        "the vault format version {major}.{minor} is newer than this Tessera understands (1.x); update Tessera"
    )]
    UnsupportedVersion { major: u16, minor: u16 },
    #[error("the vault file is truncated")]
    Truncated,
    #[error("the vault file is damaged: {0}")]
    Corrupt(&'static str),
    #[error("the vault file is damaged or was modified: its contents failed authentication")]
    Integrity,
    #[error(
        "the vault asks for key-derivation parameters beyond the accepted limits ({0}); refusing to run them"
    )]
    KdfLimits(String),
    #[error("key derivation failed: {0}")]
    Kdf(String),
    #[error("wrong password")]
    WrongPassword,
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    #[error("the keyring key does not open this vault")]
    WrongKeyringKey,
    #[error("not a recovery key: it has 32 letters and digits, in groups of four")]
    MalformedRecoveryKey,
    #[error("this vault has no {0} slot")]
    NoSuchSlot(&'static str),
    #[error("{0}")]
    Keyring(String),
    #[error("the keyring did not answer within {0} s")]
    KeyringTimeout(u64),
    #[error("the vault is busy: another Tessera process holds {} (waited {secs} s)", .0.display(), secs = .1)]
    Busy(PathBuf, u64),
    #[error("the vault was re-keyed by another process since it was opened; unlock it again")]
    Rekeyed,
    #[error(
        "this would leave no password or keyring to unlock the vault; set a password first (tessera passwd)"
    )]
    LastSlot,
    #[error("the HOTP counter is at its maximum")]
    CounterExhausted,
    #[error("no account with id {0}")]
    NoSuchEntry(String),
    #[error("the vault could not be encrypted")]
    Encrypt,
    #[error("the system random generator failed: {0}")]
    Random(String),
}

impl VaultError {
    /// Whether the file itself is unreadable (a backup may help), as opposed
    /// to a wrong key, a missing file or an I/O problem.
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            Self::NotAVault(_) | Self::Truncated | Self::Corrupt(_) | Self::Integrity
        )
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
