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
    #[error(
        "{} is a symbolic link to a file that does not exist; Tessera never replaces a link: fix the link, or give the real path with --vault",
        .0.display()
    )]
    DanglingLink(PathBuf),
    #[error("{} is not a Tessera vault", .0.display())]
    NotAVault(PathBuf),
    #[error(
        "the vault was made by a newer version of Tessera (file format {major}.{minor}); this version cannot read it: update Tessera"
    )]
    UnsupportedVersion { major: u16, minor: u16 },
    /// Written by a newer Tessera in a way this build cannot read.
    #[error(
        "the vault was made by a newer version of Tessera ({0}); this version cannot read it: update Tessera"
    )]
    NewerUnreadable(String),
    /// Written by a newer Tessera: readable, but a save would drop what
    /// this build does not know, so nothing is written.
    #[error(
        "the vault was made by a newer version of Tessera ({0}); this version can read it but not change it: update Tessera"
    )]
    NewerReadOnly(String),
    #[error("the vault file is truncated")]
    Truncated,
    #[error("the vault file is damaged: {0}")]
    Corrupt(&'static str),
    #[error("the vault file is damaged or was modified: its contents failed authentication")]
    Integrity,
    /// Argon2id parameters beyond anything Tessera writes: tampering.
    #[error(
        "the vault asks for key-derivation parameters beyond anything Tessera writes ({0}): the file was tampered with; refusing to run them"
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
    #[error("the keyring has no key for this vault")]
    KeyringNoEntry,
    /// A rotation of the data key must rewrap the password slot, and the
    /// password is not known to this session.
    #[error("this needs the vault password (to rewrap the password slot with the new data key)")]
    PasswordNeeded,
    #[error("the keyring did not answer within {0} s")]
    KeyringTimeout(u64),
    #[error("the vault is busy: another Tessera process holds {} (waited {secs} s)", .0.display(), secs = .1)]
    Busy(PathBuf, u64),
    #[error(
        "the vault was re-keyed by another process or on another computer since it was opened; unlock it again"
    )]
    Rekeyed,
    /// This computer's keyring slot wraps a data key rotated elsewhere.
    #[error(
        "the vault's key was changed on another computer (a new password or recovery key): unlock it once with the password or recovery key, and this computer's keyring opens it again"
    )]
    KeyringStale,
    /// A copy of the vault whose data key differs from this one's.
    #[error(
        "this copy of the vault has another key (changed on another computer): it needs its password or recovery key"
    )]
    CopyNeedsCredential,
    #[error("{} is a copy of another vault (another vault id); it was left alone", .0.display())]
    OtherVault(PathBuf),
    #[error("that account is not a copy kept from a conflict")]
    NotAConflict,
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
            Self::NotAVault(_)
                | Self::Truncated
                | Self::Corrupt(_)
                | Self::Integrity
                | Self::KdfLimits(_)
        )
    }

    /// Whether the file was made by a newer Tessera (update, do not
    /// restore a backup: the file is fine).
    pub fn is_newer(&self) -> bool {
        matches!(
            self,
            Self::UnsupportedVersion { .. } | Self::NewerUnreadable(_) | Self::NewerReadOnly(_)
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
