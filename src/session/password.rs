//! The new-password rule: every password Tessera sets (the vault's at
//! creation or change, the app's first run, an encrypted `tessera-backup`
//! or `aegis-encrypted` export) has at least [`MIN_PASSWORD_CHARS`]
//! characters (Unicode scalar values, not bytes) and is not only spaces.
//! Passwords that already exist are never checked: an older vault with a
//! shorter password still opens, and other apps' backup passwords (import)
//! are whatever those apps accepted.

use super::error::SessionError;

/// Fewest characters of a new password (shown in the app's hint).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Checks a new password against the rule; never quotes it.
pub fn check_new_password(password: &str) -> Result<(), SessionError> {
    if password.trim().is_empty() {
        return Err(SessionError::EmptyPassword);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(SessionError::ShortPassword {
            min: MIN_PASSWORD_CHARS,
        });
    }
    Ok(())
}
