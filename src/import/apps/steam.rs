//! Steam Desktop Authenticator (SDA, Jessecar96/SteamDesktopAuthenticator)
//! account files: one `<steamid>.maFile` per account, JSON with the Steam
//! Guard key `shared_secret` (Base64, 20 bytes) and `account_name`, beside
//! the other secrets of the Steam mobile protocol (`identity_secret`,
//! `revocation_code`, a session), which Tessera does not keep.
//!
//! With encryption on, SDA writes each `.maFile` as Base64 text of
//! AES-256-CBC ciphertext, keyed by PBKDF2-HMAC-SHA1 (50 000 rounds) of the
//! user's passkey with the salt and IV of that entry in `manifest.json`
//! (`"encrypted": true`; some SDA forks put `salt<next_string_of_data>iv
//! <next_string_of_data>` before the ciphertext instead). Tessera does not
//! decrypt these: both the encrypted `.maFile` and the manifest are refused
//! with a sentence naming the encryption.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::raw_label;
use crate::account::Account;
use crate::error::ImportError;
use crate::import::error::BackupError;
use crate::import::format::Format;
use crate::import::json::{SecretText, bad_json};
use crate::import::report::Report;
use crate::secret::Secret;

const FORMAT: Format = Format::SteamDesktopAuthenticator;
/// The issuer given to the accounts read (the files name none).
const ISSUER: &str = "Steam";

#[derive(Deserialize)]
struct MaFile {
    shared_secret: SecretText,
    #[serde(default)]
    account_name: Option<String>,
}

/// Reads one plain `.maFile`.
pub(crate) fn import_mafile(text: &str) -> Result<Report, BackupError> {
    let file: MaFile = serde_json::from_str(text).map_err(|e| bad_json(FORMAT, &e))?;
    let name = file.account_name.as_deref().unwrap_or("").trim();
    let mut report = Report::new(FORMAT, false);
    report.push(
        raw_label(Some(ISSUER), name),
        account(name, &file.shared_secret.0),
    );
    Ok(report)
}

/// The account of a Base64 `shared_secret`.
fn account(name: &str, shared_secret: &str) -> Result<Account, ImportError> {
    let bytes = STANDARD
        .decode(shared_secret.trim())
        .map(Zeroizing::new)
        .map_err(|_| {
            ImportError::InvalidSecret(String::from(
                "the shared_secret of the .maFile is not Base64",
            ))
        })?;
    let secret = Secret::from_bytes(bytes.to_vec())?;
    Ok(Account::steam(Some(ISSUER.to_string()), name, secret))
}

/// The refusal of SDA's `manifest.json`: it holds no key, and when
/// `encrypted` the `.maFile` files beside it need the passkey.
pub(crate) fn manifest_refusal(encrypted: bool) -> BackupError {
    if encrypted {
        BackupError::Unsupported {
            what: String::from("A Steam Desktop Authenticator manifest.json with encryption on"),
            reason: encryption_advice(),
        }
    } else {
        BackupError::Unsupported {
            what: String::from("A Steam Desktop Authenticator manifest.json"),
            reason: String::from(
                "it lists the accounts but holds no keys; import the .maFile files in the same folder",
            ),
        }
    }
}

/// The refusal of an encrypted `.maFile`.
pub(crate) fn encrypted_mafile_refusal() -> BackupError {
    BackupError::Unsupported {
        what: String::from("An encrypted Steam Desktop Authenticator .maFile"),
        reason: encryption_advice(),
    }
}

fn encryption_advice() -> String {
    String::from(
        "SDA encrypted its .maFile files with your encryption passkey (PBKDF2-SHA1 and AES-256-CBC, salt and IV in manifest.json), which Tessera does not decrypt; in SDA choose Manage Encryption, Remove Encryption, then import the plain .maFile files",
    )
}

/// Whether a text that no other format claims is an SDA-encrypted
/// `.maFile`: one word of Base64 whose bytes are whole AES blocks, longer
/// than any key (a `.maFile` is over 500 bytes of JSON), with a character
/// outside the Base32 alphabet (so a typed key is never taken for one).
pub(crate) fn is_encrypted_mafile(text: &str) -> bool {
    const MIN_CIPHERTEXT: usize = 256;
    const FORK_SEPARATOR: &str = "<next_string_of_data>";
    let text = text.trim();
    let text = text.rsplit(FORK_SEPARATOR).next().unwrap_or(text);
    let base64_chars = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    let not_base32 = text
        .bytes()
        .any(|b| b.is_ascii_lowercase() || matches!(b, b'0' | b'1' | b'8' | b'9' | b'+' | b'/'));
    base64_chars
        && not_base32
        && text.len() >= MIN_CIPHERTEXT * 4 / 3
        && STANDARD
            .decode(text)
            .is_ok_and(|bytes| bytes.len() >= MIN_CIPHERTEXT && bytes.len() % 16 == 0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::account::OtpKind;

    #[test]
    fn a_key_that_is_not_base64_is_refused_without_quoting_it() {
        let report =
            import_mafile(r#"{"shared_secret": "not base64 at all!", "account_name": "gaben"}"#)
                .unwrap();
        let (label, e) = report.refused().next().unwrap();
        assert_eq!(label, "Steam (gaben)");
        assert!(e.to_string().contains("Base64"), "{e}");
        assert!(!e.to_string().contains("at all"), "{e}");
    }

    #[test]
    fn the_name_may_be_missing() {
        let report = import_mafile(r#"{"shared_secret": "AAECAwQFBgcICQoLDA0ODxAREhM="}"#).unwrap();
        let a = &report.accounts[0];
        assert_eq!((a.issuer.as_deref(), a.name.as_str()), (Some("Steam"), ""));
        assert_eq!(a.kind, OtpKind::Steam);
        assert_eq!(a.secret.expose(), (0u8..20).collect::<Vec<_>>().as_slice());
    }

    #[test]
    fn ciphertext_is_told_from_keys_and_text() {
        let cipher = STANDARD.encode([0x5au8; 1024]);
        assert!(is_encrypted_mafile(&cipher));
        assert!(is_encrypted_mafile(&format!("{cipher}\n")));
        // Not whole AES blocks, too short, Base32 only, or prose.
        assert!(!is_encrypted_mafile(&STANDARD.encode([0x5au8; 1025])));
        assert!(!is_encrypted_mafile(&STANDARD.encode([0x5au8; 32])));
        assert!(!is_encrypted_mafile(&"JBSWY3DPEHPK3PXP".repeat(40)));
        assert!(!is_encrypted_mafile(&format!("{cipher} {cipher}")));
        // The fork's layout: salt and IV before the ciphertext.
        let fork = format!(
            "c2FsdHNhbHQ=<next_string_of_data>aXZpdml2aXZpdml2aXZpdg==<next_string_of_data>{cipher}"
        );
        assert!(is_encrypted_mafile(&fork));
    }
}
